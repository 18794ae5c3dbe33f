//! A yes/no question.

use crate::app::action::{Action, Effect};
use crate::app::popups::Popup;
use crate::app::state::{App, Mode};
use crate::model::{Dtype, Input, Shape};

/// A yes/no question.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    /// Quit and lose unsaved changes?
    Quit,
    /// Replace a saved design that changed on disk since it was loaded?
    Overwrite(String),
    /// Delete this saved design's file?
    Delete(String),
    /// An Embedding was added first on a float input: switch the input to int32 token ids?
    TokenIds,
}

impl Popup for Question {
    fn handle(self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        match (self, action) {
            (Question::Quit, Action::Confirm) => {
                app.quit = true;
                (
                    Mode::Normal,
                    vec![Effect::DiscardRecovery, Effect::Remember, Effect::Quit],
                )
            }
            (Question::Quit, Action::SaveAndQuit) => {
                app.quit_after_save = true;
                let name = app
                    .saved_as
                    .clone()
                    .unwrap_or_else(|| app.design.name.clone());
                app.status(format!("saving {name}, then quitting"), false);
                (
                    Mode::Normal,
                    vec![Effect::Save {
                        design: app.design.clone(),
                        name,
                        overwrite: false,
                    }],
                )
            }
            (Question::Overwrite(name), Action::Confirm) => (
                Mode::Normal,
                vec![Effect::Save {
                    design: app.design.clone(),
                    name,
                    overwrite: true,
                }],
            ),
            (Question::Delete(name), Action::Confirm) => (Mode::Normal, vec![Effect::Delete(name)]),
            (Question::TokenIds, Action::Confirm) => {
                let first = app.design.input.shape.0.first().copied().flatten();
                let sel = app.selected;
                app.change(sel, |d| {
                    d.input = Input {
                        shape: Shape(vec![first].into()),
                        dtype: Dtype::Int32,
                    };
                });
                (Mode::Normal, Vec::new())
            }
            (q, Action::Deny) => (Mode::Normal, q.close(app)),
            (q, _) => (Mode::Confirm(q), Vec::new()),
        }
    }

    fn close(self, app: &mut App) -> Vec<Effect> {
        if matches!(self, Question::Overwrite(_)) {
            app.status("not saved", false);
        }
        Vec::new()
    }
}
