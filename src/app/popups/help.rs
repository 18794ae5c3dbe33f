//! The key help: every binding, then how MACs and memory are counted.

use crate::app::action::{Action, Effect};
use crate::app::popups::Popup;
use crate::app::state::{App, Mode};

/// The help overlay.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HelpView {
    /// First line shown.
    pub scroll: u16,
}

impl Popup for HelpView {
    fn handle(mut self, _app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        match action {
            Action::PopupDown => self.scroll = self.scroll.saturating_add(1),
            Action::PopupUp => self.scroll = self.scroll.saturating_sub(1),
            _ => {}
        }
        (Mode::Help(self), Vec::new())
    }
}
