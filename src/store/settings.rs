//! `settings.ron`: what comes back on the next start. Every field has a default, so a missing
//! or partial file works and a newer file's extra fields are skipped with a warning.

use serde::{Deserialize, Serialize};

use crate::model::Convention;

/// The user's lasting choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The design open when lstm-tui last quit, reopened on the next start.
    pub last_design: Option<String>,
    /// Theme name: a built-in or `themes/<name>.ron`.
    pub theme: String,
    /// Whose counting rules the summary uses.
    pub convention: Convention,
    /// Whether lstm-tui captures the mouse (off lets the terminal select text).
    pub mouse: bool,
    /// The summary's optional columns, by their `--columns` names; `None` shows the default.
    pub columns: Option<Vec<String>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            last_design: None,
            theme: "default".into(),
            convention: Convention::Keras,
            mouse: true,
            columns: None,
        }
    }
}
