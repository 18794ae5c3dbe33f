//! Why a design could not be brought in (opened from the config folder or a path, or imported
//! from Keras JSON or Python code), as the command line and the designer both report it.

use std::path::{Path, PathBuf};

use crate::interop::ImportError;
use crate::store::StoreError;

/// A design that could not be opened or imported. Every variant names the file, and an error
/// at a place in it reads `path:line:column: what is wrong`.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file cannot be found or read, or is not a design lstm-tui can read (RON, or text
    /// that is not UTF-8).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A Keras JSON or Python file that does not read as a model lstm-tui supports.
    #[error("{}", import_text(path, error))]
    Import {
        /// The file.
        path: PathBuf,
        /// What is wrong in it; an error at a place already carries `path`.
        error: ImportError,
    },
}

impl LoadError {
    /// `error`, found while importing the file at `path`.
    pub fn import(path: &Path, error: impl Into<ImportError>) -> Self {
        let error = match error.into() {
            ImportError::At(at) => ImportError::At(at.in_file(path)),
            other => other,
        };
        LoadError::Import {
            path: path.to_path_buf(),
            error,
        }
    }
}

/// `path:line:column: what` for an error at a place (the path is in it), `path: what`
/// otherwise.
fn import_text(path: &Path, error: &ImportError) -> String {
    match error {
        ImportError::At(at) => at.to_string(),
        other => format!("{}: {other}", path.display()),
    }
}
