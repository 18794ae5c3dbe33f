//! Import errors, located in the pasted text.

/// A place in the source: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// Why a Python snippet could not be read as a model, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct PythonImportError {
    /// Line of the offending text, from 1.
    pub line: usize,
    /// Column of the offending text, from 1.
    pub column: usize,
    /// What was expected and what was found.
    pub message: String,
}

impl PythonImportError {
    /// An error at `pos`.
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        Self {
            line: pos.line,
            column: pos.column,
            message: message.into(),
        }
    }
}
