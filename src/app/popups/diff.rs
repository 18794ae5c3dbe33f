//! This design compared with a saved one.

use crate::app::action::{Action, Effect};
use crate::app::popups::Popup;
use crate::app::state::{App, Mode};

/// A comparison on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffView {
    /// The saved design's name.
    pub name: String,
    /// This design (first) against the saved one (second).
    pub diff: Box<crate::model::diff::Diff>,
    /// First line shown.
    pub scroll: usize,
}

impl Popup for DiffView {
    fn handle(mut self, _app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        match action {
            // A comparison has a line per layer, more than a u16 counts; scrolling stops at
            // its last line.
            Action::PopupDown => self.scroll = (self.scroll + 1).min(self.diff.line_count()),
            Action::PopupUp => self.scroll = self.scroll.saturating_sub(1),
            _ => {}
        }
        (Mode::Diff(self), Vec::new())
    }
}
