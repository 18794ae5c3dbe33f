//! The import box: Keras code or Keras JSON, typed or pasted, read as a new design.

use crate::app::action::{Action, Effect};
use crate::app::popups::Popup;
use crate::app::state::{App, Mode};
use crate::app::text::{TextEdit, TextOp};
use crate::interop::python::design_from_python;
use crate::interop::{ImportError, design_from_keras_json};

/// The name an imported design gets until it is saved.
const IMPORTED: &str = "imported";
/// Longest text the import box takes, in chars.
const IMPORT_MAX: usize = 65_536;

/// The import box.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportBox {
    /// Pasted or typed text.
    pub text: TextEdit,
    /// Why the last attempt failed, with line and column where there is one.
    pub error: Option<ImportError>,
}

impl Popup for ImportBox {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        match action {
            Action::Insert(c) => {
                if self.text.text().chars().count() < IMPORT_MAX {
                    self.text.insert(c);
                }
                self.error = None;
            }
            Action::Backspace => {
                self.text.apply(TextOp::DeleteBack);
                self.error = None;
            }
            Action::Text(op) => {
                self.text.apply(op);
                self.error = None;
            }
            Action::Confirm => {
                let text = self.text.text();
                let read = if text.trim_start().starts_with('{') {
                    design_from_keras_json(text)
                } else {
                    design_from_python(text).map_err(ImportError::from)
                };
                match read {
                    Ok(mut design) => {
                        design.name = IMPORTED.into();
                        let n = design.layers.len();
                        app.change(usize::from(n > 0), |d| *d = design);
                        app.selected = app.lanes.first_layer_row();
                        app.saved_as = None;
                        app.delta = None;
                        app.status(
                            format!("imported {n} layers as a new design (u undoes, Ctrl-s saves)"),
                            false,
                        );
                        return (Mode::Normal, Vec::new());
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            _ => {}
        }
        (Mode::Import(self), Vec::new())
    }
}
