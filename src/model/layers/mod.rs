//! The layer catalogue: one file per family. Each kind keeps its fields, output shape, weights
//! (per convention) and formula steps together, so adding a kind touches one file and one arm
//! of [`Layer`].

mod activation;
mod dense;
mod dropout;
mod recurrent;

pub use activation::Activation;
pub use dense::Dense;
pub use dropout::{Dropout, SpatialDropout1D};
pub use recurrent::{Gru, Lstm, SimpleRnn};

use serde::{Deserialize, Serialize};

use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink};

/// What every layer kind answers. Object safe, so [`Layer::kind`] can hand out one `&dyn`.
pub trait Kind {
    /// The Keras class name, e.g. `LSTM`.
    fn class(&self) -> &'static str;
    /// The base of Keras' automatic names, e.g. `lstm` (then `lstm_1`, `lstm_2`, ...).
    fn auto_name(&self) -> &'static str;
    /// The output shape for this input, or why Keras would refuse to build it.
    fn output(&self, input: &Shape) -> Result<Output, LayerError>;
    /// Reports every weight tensor, in the convention's order and spelling. Call only after
    /// [`Kind::output`] succeeded for the same input.
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError>;
    /// The parameter count told step by step, with notes.
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError>;
    /// One line with the key fields, as the layer list shows it: `LSTM 64 seq`.
    fn brief(&self) -> String;
    /// The size `+`/`-` nudge and the solver searches over, if the kind has one.
    fn knob(&self) -> Option<Knob>;
    /// Sets the knob's value (clamped to what the kind accepts).
    fn set_knob(&mut self, value: KnobValue);
    /// The user-given name, if any (Keras' `name=`).
    fn name(&self) -> Option<&str>;
    /// Keras' `trainable`: false freezes every weight.
    fn trainable(&self) -> bool;
    /// The wrapped layer, for wrappers (it takes an automatic name of its own, as in Keras).
    fn inner(&self) -> Option<&Layer> {
        None
    }
    /// True for a recurrent layer that outputs only its last timestep: the usual fix when the
    /// next layer needs a sequence is to set `return_sequences=True` here.
    fn drops_time_axis(&self) -> bool {
        false
    }
}

/// The main size of a layer kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knob {
    /// Keras field name: `units`, `filters`, `rate`, `output_dim`, ...
    pub field: &'static str,
    /// Its current value.
    pub value: KnobValue,
}

/// A knob's value: a whole count or a rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KnobValue {
    /// Units, filters, dimensions: whole numbers from 1.
    Count(u64),
    /// Dropout rates: 0 to 1, nudged in steps of 0.05.
    Rate(f64),
}

/// One layer of a design, named and spelled as Keras 3 names its classes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Layer {
    /// Fully connected: `units` outputs from the last axis.
    Dense(Dense),
    /// Long short-term memory: 4 gates.
    #[serde(rename = "LSTM")]
    Lstm(Lstm),
    /// Gated recurrent unit: 3 gates.
    #[serde(rename = "GRU")]
    Gru(Gru),
    /// Plain recurrent layer: one gate.
    #[serde(rename = "SimpleRNN")]
    SimpleRnn(SimpleRnn),
    /// Zeroes a fraction of inputs while training; no weights.
    Dropout(Dropout),
    /// Drops whole feature channels of a sequence; no weights.
    SpatialDropout1D(SpatialDropout1D),
    /// Applies a function element-wise; no weights.
    Activation(Activation),
}

impl Layer {
    /// The kind behind the variant.
    pub fn kind(&self) -> &dyn Kind {
        match self {
            Layer::Dense(l) => l,
            Layer::Lstm(l) => l,
            Layer::Gru(l) => l,
            Layer::SimpleRnn(l) => l,
            Layer::Dropout(l) => l,
            Layer::SpatialDropout1D(l) => l,
            Layer::Activation(l) => l,
        }
    }

    /// The kind behind the variant, to change it.
    pub fn kind_mut(&mut self) -> &mut dyn Kind {
        match self {
            Layer::Dense(l) => l,
            Layer::Lstm(l) => l,
            Layer::Gru(l) => l,
            Layer::SimpleRnn(l) => l,
            Layer::Dropout(l) => l,
            Layer::SpatialDropout1D(l) => l,
            Layer::Activation(l) => l,
        }
    }

    /// One default layer of every kind, in the order the add-layer picker lists them.
    pub fn catalogue() -> Vec<Layer> {
        vec![
            Layer::Dense(Dense::default()),
            Layer::Lstm(Lstm::default()),
            Layer::Gru(Gru::default()),
            Layer::SimpleRnn(SimpleRnn::default()),
            Layer::Dropout(Dropout::default()),
            Layer::SpatialDropout1D(SpatialDropout1D::default()),
            Layer::Activation(Activation::default()),
        ]
    }
}

/// Keras' regularizers: they add a penalty to the loss and no parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Regularizer {
    /// `l1(x)`: x × sum of absolute weights.
    L1(f64),
    /// `l2(x)`: x × sum of squared weights.
    L2(f64),
    /// `l1_l2(l1=a, l2=b)`: both.
    L1L2 {
        /// The L1 factor.
        l1: f64,
        /// The L2 factor.
        l2: f64,
    },
}

impl std::fmt::Display for Regularizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Regularizer::L1(x) => write!(f, "l1({x})"),
            Regularizer::L2(x) => write!(f, "l2({x})"),
            Regularizer::L1L2 { l1, l2 } => write!(f, "l1_l2(l1={l1}, l2={l2})"),
        }
    }
}

/// The note every regularized layer gets.
pub(crate) fn regularizer_notes(e: &mut Explanation, regs: &[(&str, Option<Regularizer>)]) {
    for (field, reg) in regs {
        if let Some(r) = reg {
            e.note(format!(
                "{field}={r} adds a penalty term to the training loss; it adds no parameters and does not change the count."
            ));
        }
    }
}

/// Serde default for `trainable`.
pub(crate) fn yes() -> bool {
    true
}

/// Serde skip test for `trainable`.
pub(crate) fn is_true(b: &bool) -> bool {
    *b
}

/// The feature count a layer needs from the last axis, or the error saying it is open.
pub(crate) fn known_last(input: &Shape, who: &str) -> Result<u64, LayerError> {
    match input.last() {
        Some(Some(n)) => Ok(n),
        _ => Err(LayerError::shape(
            format!("a known last dimension (the features {who} reads)"),
            input,
            "give the input a fixed feature size",
        )),
    }
}

/// A count field must be at least 1.
pub(crate) fn positive(field: &'static str, v: u64) -> Result<u64, LayerError> {
    if v == 0 {
        Err(LayerError::field(field, "must be at least 1"))
    } else {
        Ok(v)
    }
}

/// The note that explains Keras' `None`.
pub(crate) const NONE_NOTE: &str = "None in the output shape is the batch size: Keras leaves it open so the same model takes any number of samples at once.";
