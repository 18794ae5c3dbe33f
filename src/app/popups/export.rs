//! Choosing a format and exporting the design to a file under the config folder.

use crate::app::action::{Action, Effect};
use crate::app::popups::{Popup, move_in};
use crate::app::state::{App, Mode};
use crate::caps::escape_json;
use crate::interop::export_keras::keras_code;
use crate::interop::export_pytorch::pytorch_code;
use crate::interop::keras_json;
use crate::report::markdown;

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Runnable Keras 3 code.
    KerasCode,
    /// Runnable PyTorch code (an `nn.Module`).
    PytorchCode,
    /// Keras' model JSON (`model.to_json()`).
    KerasJson,
    /// The summary table in Markdown.
    Markdown,
}

impl ExportFormat {
    /// Every format, in the order the export popup lists them.
    pub const ALL: [ExportFormat; 4] = [
        Self::KerasCode,
        Self::PytorchCode,
        Self::KerasJson,
        Self::Markdown,
    ];

    /// What the popup calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::KerasCode => "Keras code",
            Self::PytorchCode => "PyTorch code",
            Self::KerasJson => "Keras JSON",
            Self::Markdown => "Markdown summary",
        }
    }

    /// How the file name ends.
    pub fn suffix(self) -> &'static str {
        match self {
            Self::KerasCode => "_keras.py",
            Self::PytorchCode => "_torch.py",
            Self::KerasJson => ".json",
            Self::Markdown => ".md",
        }
    }
}

/// The export popup.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportChoice {
    /// The highlighted format.
    pub index: usize,
}

impl Popup for ExportChoice {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let last = ExportFormat::ALL.len() - 1;
        if move_in(&mut self.index, ExportFormat::ALL.len(), &action) || action != Action::Confirm {
            return (Mode::Export(self), Vec::new());
        }
        let format = ExportFormat::ALL[self.index.min(last)];
        let contents = match format {
            ExportFormat::KerasCode => keras_code(&app.design),
            ExportFormat::PytorchCode => pytorch_code(&app.design),
            ExportFormat::KerasJson => {
                let json = serde_json::to_string_pretty(&keras_json(&app.design));
                escape_json(&json.unwrap_or_default()).into_owned() + "\n"
            }
            ExportFormat::Markdown => markdown(&app.summary),
        };
        let name = app.saved_as.as_deref().unwrap_or(&app.design.name);
        let effect = Effect::Export {
            file: format!("exports/{}{}", file_stem(name), format.suffix()),
            contents,
        };
        (Mode::Normal, vec![effect])
    }
}

/// A design name made safe as a file name: anything but letters, digits, `-` and `_` becomes
/// `_`.
fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "design".into() } else { s }
}
