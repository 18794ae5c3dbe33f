//! Pasted text: it only ever fills a text field, stripped of anything that could act as a
//! terminal command.

use crate::app::keymap::KeyMode;
use crate::app::{Action, App};

/// Longest pasted text taken, in chars.
const PASTE_MAX: usize = 4096;
/// Longest pasted text the import box takes, in chars (a model file, not a novel).
const IMPORT_PASTE_MAX: usize = 65_536;

/// The characters to type for a paste, last first; none outside a text field. The import box
/// keeps line breaks: code has lines.
pub(super) fn actions(app: &App, text: &str) -> Vec<Action> {
    let lines = app.mode.keys() == KeyMode::Import;
    let mut chars: Vec<Action> = text
        .replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\r' if lines => '\n',
            '\t' => ' ',
            c => c,
        })
        .filter(|c| !c.is_control() || (lines && *c == '\n'))
        .take(if lines { IMPORT_PASTE_MAX } else { PASTE_MAX })
        .map(Action::Insert)
        .collect();
    if app.mode.keys() == KeyMode::Normal {
        return vec![];
    }
    chars.reverse();
    chars
}
