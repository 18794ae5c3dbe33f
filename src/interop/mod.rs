//! Moving designs in and out of lstm-tui: Keras JSON and Python code in; Keras code, PyTorch
//! code, Keras JSON, and summaries as text, Markdown and JSON out.

pub mod columns;
pub mod explain_text;
pub mod export_keras;
pub mod export_pytorch;
pub mod keras_json;
pub mod python;
pub mod summary_json;
pub mod summary_markdown;
pub mod summary_text;

pub use keras_json::{ImportError, design_from_keras_json, keras_json, layer_from_keras};
pub use summary_json::{json, json_with};
pub use summary_markdown::{markdown, markdown_with};
pub use summary_text::{text, text_with};
