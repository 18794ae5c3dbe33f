//! What a design's numbers look like on the page: the summary as text, Markdown and JSON, its
//! columns, and one layer's derivation (`derivation.rs`) that `explain` prints and the detail
//! pane draws. Pure: it reads `model` values and returns
//! strings, never touching the terminal or files, so the TUI, the CLI and the exporters share
//! one presentation.

pub mod clock;
pub mod columns;
pub mod derivation;
pub mod explain_text;
pub mod lanes;
pub mod layer_changes;
pub mod numbers;
pub mod summary_json;
pub mod summary_markdown;
pub mod summary_text;
pub mod summary_width;

pub use derivation::Derivation;
pub use lanes::Lanes;
pub use summary_json::{json, json_text_in_parts, json_text_with, json_with};
pub use summary_markdown::{markdown, markdown_with};
pub use summary_text::{text, text_in, text_in_parts, text_with};
pub use summary_width::{TableWidths, TooNarrow};
