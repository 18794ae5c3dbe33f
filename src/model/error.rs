//! Why a layer cannot be built, in words that say what to change; and the one shape every
//! reader's complaint about a text takes, [`Located`].

use std::fmt;
use std::path::{Path, PathBuf};

/// What is wrong with one layer, independent of where it sits in the stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerError {
    /// The incoming tensor has the wrong rank or size for this layer.
    Shape(Box<Mismatch>),
    /// A field holds a value Keras rejects (zero units, a rate of 1.5, ...).
    Field(Box<Rejected>),
    /// A size or count does not fit in 64 bits.
    Overflow,
}

// Every summary row holds a result that may carry this error, and nearly all of them are
// `Ok`: boxed details keep a row small, and the result no larger than the error.
const _: () = assert!(std::mem::size_of::<LayerError>() <= 16);
const _: () = assert!(std::mem::size_of::<Result<u64, LayerError>>() <= 16);

/// A tensor of the wrong rank or size: what the layer needs, what it got, how to make it fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// What the layer needs, e.g. "3-D input (batch, timesteps, features)".
    pub needs: String,
    /// What it got, in Keras' spelling, e.g. "(None, 64)".
    pub got: String,
    /// How to make it fit.
    pub fix: String,
}

/// A field value Keras rejects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The field's Keras name.
    pub field: &'static str,
    /// Why the value is rejected and what values work.
    pub reason: String,
}

impl LayerError {
    /// A shape mismatch. Cold, as every refusal is: kept out of line, the checks that may
    /// refuse inline into the summary's loop.
    #[cold]
    pub fn shape(needs: impl Into<String>, got: impl fmt::Display, fix: impl Into<String>) -> Self {
        Self::Shape(Box::new(Mismatch {
            needs: needs.into(),
            got: got.to_string(),
            fix: fix.into(),
        }))
    }

    /// A rejected field value. Cold, as [`LayerError::shape`].
    #[cold]
    pub fn field(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Field(Box::new(Rejected {
            field,
            reason: reason.into(),
        }))
    }

    /// The suggested fix, if the error carries one.
    pub fn fix(&self) -> Option<&str> {
        match self {
            Self::Shape(m) => Some(&m.fix),
            Self::Field(_) | Self::Overflow => None,
        }
    }
}

impl From<crate::model::shape::Overflow> for LayerError {
    fn from(_: crate::model::shape::Overflow) -> Self {
        Self::Overflow
    }
}

impl std::error::Error for LayerError {}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shape(m) => write!(f, "needs {} but gets {}: {}", m.needs, m.got, m.fix),
            Self::Field(r) => write!(f, "{}: {}", r.field, r.reason),
            Self::Overflow => f.write_str(
                "sizes too large: a count exceeds 18,446,744,073,709,551,615 (2^64 - 1); use smaller sizes",
            ),
        }
    }
}

/// A layer error placed in its stack: which layer failed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// Position in the design's layer list (0-based, the input not counted), as the Keras
    /// fixtures' `failing_layer_index` counts.
    pub index: usize,
    /// The layer's name, e.g. `lstm_1`.
    pub name: String,
    /// The layer's Keras class, e.g. `LSTM`.
    pub class: &'static str,
    /// What went wrong.
    pub error: LayerError,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}) {}", self.name, self.class, self.error)
    }
}

impl std::error::Error for ShapeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// A place in a text: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// What is wrong at a place in a text (a design file, Keras JSON, Python code), and what to
/// do about it. It reads `path:line:column: message` (the form editors jump to), or
/// `line L, column C: message` for text that has no file (a pasted model), followed by
/// `: fix` when there is one. Characters from the text are left as they are: every output
/// sanitises what it shows (`caps::sanitize`), so there is one policy for that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The file the text came from, when it came from one.
    pub path: Option<PathBuf>,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, counted in characters.
    pub column: usize,
    /// What is wrong, quoting the text where that helps.
    pub message: String,
    /// What to do about it, when the message does not already say.
    pub fix: Option<String>,
}

impl Located {
    /// An error at 1-based `line` and `column` (a 0 from a reader that counts the place
    /// before the first character is taken as 1).
    pub fn at(line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            path: None,
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
            fix: None,
        }
    }

    /// An error at `pos`.
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        Self::at(pos.line, pos.column, message)
    }

    /// The same error with what to do about it.
    #[must_use]
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// The same error, placed in the file at `path`.
    #[must_use]
    pub fn in_file(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            path,
            line,
            column,
            message,
            fix,
        } = self;
        match path {
            Some(path) => write!(f, "{}:{line}:{column}: {message}", path.display())?,
            None => write!(f, "line {line}, column {column}: {message}")?,
        }
        match fix {
            Some(fix) => write!(f, ": {fix}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Located {}
