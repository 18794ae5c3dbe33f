//! The list of saved designs, to open one or to compare with it; rename and delete from here.

use crate::app::action::{Action, Effect, Saved};
use crate::app::popups::confirm::Question;
use crate::app::popups::prompt::{Ask, Prompt};
use crate::app::popups::{Popup, filter_list};
use crate::app::state::{App, Mode};

/// The open-design picker.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OpenPicker {
    /// Every saved design (empty until the list arrives).
    pub all: Vec<Saved>,
    /// Typed filter text.
    pub filter: String,
    /// Highlighted entry among the matches.
    pub index: usize,
    /// The chosen design is compared with this one instead of opened.
    pub compare: bool,
}

impl OpenPicker {
    /// The saved designs whose name contains the filter.
    pub fn matches(&self) -> Vec<&Saved> {
        let f = self.filter.to_lowercase();
        self.all
            .iter()
            .filter(|s| s.name.to_lowercase().contains(&f))
            .collect()
    }
}

impl Popup for OpenPicker {
    fn handle(mut self, _app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let len = self.matches().len();
        if filter_list(&mut self.filter, &mut self.index, len, &action) {
            return (Mode::Open(self), Vec::new());
        }
        let Some(name) = self.matches().get(self.index).map(|s| s.name.clone()) else {
            return (Mode::Open(self), Vec::new());
        };
        match action {
            Action::Confirm => {
                let effect = if self.compare {
                    Effect::Compare(name)
                } else {
                    Effect::Open(name)
                };
                (Mode::Normal, vec![effect])
            }
            Action::RenameSaved => (
                Mode::Prompt(Prompt {
                    error: None,
                    ask: Ask::Rename(name.clone()),
                    text: crate::app::text::TextEdit::selected(&name),
                }),
                Vec::new(),
            ),
            Action::DeleteSaved => (Mode::Confirm(Question::Delete(name)), Vec::new()),
            _ => (Mode::Open(self), Vec::new()),
        }
    }
}
