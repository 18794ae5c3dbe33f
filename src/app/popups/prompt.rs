//! A one-line text prompt: the name to save under, or a saved design's new name.

use crate::app::action::{Action, Effect};
use crate::app::popups::Popup;
use crate::app::state::{App, Mode};
use crate::app::text::{TextEdit, TextOp};
use crate::model::Design;

/// What a text prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// The name to save the design under.
    SaveName,
    /// A new name for the saved design of this name.
    Rename(String),
}

/// A one-line text prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// What is asked.
    pub ask: Ask,
    /// Typed text.
    pub text: TextEdit,
    /// Why the text is not accepted yet.
    pub error: Option<String>,
}

impl Prompt {
    /// The save-as prompt, starting from the design's name.
    pub fn save_as(name: &str) -> Prompt {
        Prompt {
            error: check(&Ask::SaveName, name).err(),
            ask: Ask::SaveName,
            text: TextEdit::selected(name),
        }
    }
}

impl Popup for Prompt {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        match action {
            Action::Insert(c) => {
                self.text.insert(c);
                self.error = check(&self.ask, self.text.text()).err();
            }
            Action::Backspace | Action::Text(_) => {
                let op = match action {
                    Action::Text(op) => op,
                    _ => TextOp::DeleteBack,
                };
                self.text.apply(op);
                self.error = check(&self.ask, self.text.text()).err();
            }
            Action::Confirm => match check(&self.ask, self.text.text()) {
                Err(e) => self.error = Some(e),
                Ok(()) => {
                    let text = self.text.text().trim().to_string();
                    let effect = match self.ask {
                        Ask::Rename(from) => Effect::Rename { from, to: text },
                        Ask::SaveName => Effect::Save {
                            design: Design {
                                name: text.clone(),
                                ..app.design.clone()
                            },
                            name: text,
                            overwrite: false,
                        },
                    };
                    return (Mode::Normal, vec![effect]);
                }
            },
            _ => {}
        }
        (Mode::Prompt(self), Vec::new())
    }
}

/// Whether a prompt's text is acceptable, and if not, why.
fn check(ask: &Ask, text: &str) -> Result<(), String> {
    match ask {
        // The store's own rules: a name never leaves designs/.
        Ask::SaveName | Ask::Rename(_) => {
            crate::store::check_name(text.trim()).map_err(|e| match e {
                crate::store::StoreError::Name { reason, .. } => reason.to_string(),
                other => other.to_string(),
            })
        }
    }
}
