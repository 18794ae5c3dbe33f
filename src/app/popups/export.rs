//! Choosing a format and exporting the design to a file under the config folder.

use crate::app::action::{Action, Effect};
use crate::app::popups::{Popup, move_in};
use crate::app::state::{App, Mode};
use crate::interop::export::ExportFormat;

/// The export popup.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportChoice {
    /// The highlighted format.
    pub index: usize,
}

impl Popup for ExportChoice {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let last = ExportFormat::IN_POPUP.len() - 1;
        if move_in(&mut self.index, ExportFormat::IN_POPUP.len(), &action)
            || action != Action::Confirm
        {
            return (Mode::Export(self), Vec::new());
        }
        let format = ExportFormat::IN_POPUP[self.index.min(last)];
        let contents = format.write(&app.design, &app.summary).text;
        let name = app.saved_as.as_deref().unwrap_or(&app.design.name);
        let effect = Effect::Export {
            file: format!("exports/{}", format.file_name(name)),
            contents,
        };
        (Mode::Normal, vec![effect])
    }
}
