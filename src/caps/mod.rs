//! What the terminal can show: colour level, glyph set, and safe text.
//!
//! Everything here is a pure function of values the caller passes in, so each rule can be
//! tested without touching the real environment. The one impure piece is
//! [`EnvSnapshot::from_process`], which the binary calls once at start-up.
//!
//! - [`detect`] picks a [`ColorLevel`] from `--color` and the environment.
//! - [`fit`] maps a colour to the nearest one that level has.
//! - [`wants_ascii`] decides whether to draw with ASCII only.
//! - [`adapt`] applies both to a finished frame.
//! - [`visible`] and [`truncate`] make text read from files safe and bounded for a cell;
//!   [`wrap`] fits our own text to a width.

mod adapt;
mod color_level;
mod env;
mod glyphs;
mod palette;
mod sanitize;

pub use adapt::{adapt, to_ascii};
pub use color_level::{ColorFlag, ColorLevel, ColorRule, detect, detect_with_rule};
pub use env::EnvSnapshot;
pub use glyphs::{GlyphRule, glyph_rule, wants_ascii};
pub use palette::fit;
pub use sanitize::{
    escape_json, markdown_cell, must_escape, push_json_str, truncate, visible, visible_lines, wrap,
};
