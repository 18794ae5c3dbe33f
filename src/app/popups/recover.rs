//! The unsaved work left by ended instances, offered at start: each copy is restored, kept
//! for later or discarded on its own.

use crate::app::action::{Action, Effect, Leftover};
use crate::app::popups::{Popup, move_in};
use crate::app::state::{App, Mode};

/// The recovery list shown at start.
#[derive(Debug, Clone, PartialEq)]
pub struct RecoverList {
    /// The copies not answered yet, newest first.
    pub items: Vec<Leftover>,
    /// The highlighted copy.
    pub index: usize,
}

impl Popup for RecoverList {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let mut note = None;
        let effects = match action {
            Action::PopupUp | Action::PopupDown => {
                move_in(&mut self.index, self.items.len(), &action);
                vec![]
            }
            Action::Confirm => match self.items.get(self.index) {
                None => vec![],
                Some(Leftover { error: Some(e), .. }) => {
                    note = Some((format!("this copy cannot be restored: {e}"), true));
                    vec![]
                }
                Some(_) => {
                    let chosen = self.items.remove(self.index);
                    let kept: Vec<Effect> = self
                        .items
                        .drain(..)
                        .map(|i| Effect::KeepCopy(i.path))
                        .collect();
                    std::iter::once(Effect::RestoreCopy(chosen.path))
                        .chain(kept)
                        .collect()
                }
            },
            Action::KeepForLater if self.index < self.items.len() => {
                let item = self.items.remove(self.index);
                note = Some((
                    format!(
                        "kept the copy of {} for later: it is offered at the next start",
                        item.name
                    ),
                    false,
                ));
                vec![Effect::KeepCopy(item.path)]
            }
            Action::DiscardCopy if self.index < self.items.len() => {
                let item = self.items.remove(self.index);
                note = Some((format!("discarded the copy of {}", item.name), false));
                vec![Effect::DiscardCopy(item.path)]
            }
            _ => vec![],
        };
        if let Some((text, error)) = note {
            app.status(text, error);
        }
        if self.items.is_empty() {
            return (Mode::Normal, effects);
        }
        self.index = self.index.min(self.items.len() - 1);
        (Mode::Recover(self), effects)
    }

    fn close(self, app: &mut App) -> Vec<Effect> {
        let n = self.items.len();
        let copies = if n == 1 { "copy" } else { "copies" };
        app.status(
            format!("{n} recovery {copies} kept for later: offered again at the next start"),
            false,
        );
        self.items
            .into_iter()
            .map(|i| Effect::KeepCopy(i.path))
            .collect()
    }
}
