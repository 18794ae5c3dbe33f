//! Why a layer cannot be built, in words that say what to change.

use std::fmt;

/// What is wrong with one layer, independent of where it sits in the stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerError {
    /// The incoming tensor has the wrong rank or size for this layer.
    Shape {
        /// What the layer needs, e.g. "3-D input (batch, timesteps, features)".
        needs: String,
        /// What it got, in Keras' spelling, e.g. "(None, 64)".
        got: String,
        /// How to make it fit.
        fix: String,
    },
    /// A field holds a value Keras rejects (zero units, a rate of 1.5, ...).
    Field {
        /// The field's Keras name.
        field: &'static str,
        /// Why the value is rejected and what values work.
        reason: String,
    },
    /// A size or count does not fit in 64 bits.
    Overflow,
    /// The layer builds, but the chosen convention has no equivalent to count it by (PyTorch
    /// has no GRU with `reset_after=False`, say).
    NoEquivalent(String),
}

impl LayerError {
    /// A shape mismatch.
    pub fn shape(needs: impl Into<String>, got: impl fmt::Display, fix: impl Into<String>) -> Self {
        Self::Shape {
            needs: needs.into(),
            got: got.to_string(),
            fix: fix.into(),
        }
    }

    /// A rejected field value.
    pub fn field(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Field {
            field,
            reason: reason.into(),
        }
    }

    /// The suggested fix, if the error carries one.
    pub fn fix(&self) -> Option<&str> {
        match self {
            Self::Shape { fix, .. } => Some(fix),
            Self::Field { .. } | Self::Overflow | Self::NoEquivalent(_) => None,
        }
    }
}

impl From<crate::model::shape::Overflow> for LayerError {
    fn from(_: crate::model::shape::Overflow) -> Self {
        Self::Overflow
    }
}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shape { needs, got, fix } => write!(f, "needs {needs} but gets {got}: {fix}"),
            Self::Field { field, reason } => write!(f, "{field}: {reason}"),
            Self::Overflow => f.write_str(
                "sizes too large: a count exceeds 18,446,744,073,709,551,615 (2^64 - 1); use smaller sizes",
            ),
            Self::NoEquivalent(why) => f.write_str(why),
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

impl std::error::Error for ShapeError {}
