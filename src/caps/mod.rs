//! What the terminal can show: colour level, glyph set, and safe text.
//!
//! Everything here is a pure function of values the caller passes in, so each rule can be
//! tested without touching the real environment. The one impure piece is
//! [`EnvSnapshot::from_process`], which the binary calls once at start-up.
//!
//! - [`detect`] picks a [`ColorLevel`] from `--color` and the environment.
//! - [`fit`] / [`fit_style`] map a theme's colours to the nearest ones that level has.
//! - [`wants_ascii`] decides between [`Glyphs::UNICODE`] and [`Glyphs::ASCII`].
//! - [`adapt`] applies both to a finished frame.
//! - [`visible`] and [`truncate`] make text read from files safe and bounded for a cell.

mod adapt;
mod color_level;
mod env;
mod glyphs;
mod palette;
mod sanitize;

pub use adapt::{adapt, to_ascii};
pub use color_level::{ColorFlag, ColorLevel, ColorRule, detect, detect_with_rule};
pub use env::EnvSnapshot;
pub use glyphs::{GlyphRule, Glyphs, glyph_rule, wants_ascii};
pub use palette::{fit, fit_style};
pub use sanitize::{truncate, visible};
