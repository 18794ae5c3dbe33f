//! A design: the input, the layer stack and the budget, as saved in a RON file.

use serde::{Deserialize, Serialize};

use crate::model::budget::Budget;
use crate::model::graph::Graph;
use crate::model::layers::{Dense, Dropout, Layer, Lstm, Regularizer};
use crate::model::shape::Shape;

/// The file format's version; a file with a larger number was written by a newer lstm-tui.
pub const VERSION: u32 = 1;

/// A model being designed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Design {
    /// File format version ([`VERSION`]).
    pub version: u32,
    /// The design's name (its file is `designs/<name>.ron`).
    pub name: String,
    /// The model's input.
    pub input: Input,
    /// The stack, first layer first.
    pub layers: Vec<Layer>,
    /// Limits the design should stay within.
    #[serde(default)]
    pub budget: Budget,
    /// How the layers are wired when they are not a chain; empty (and left out of the file)
    /// for a chain. Boxed: most designs are chains, and a design is cloned into every undo
    /// step and popup.
    #[serde(default, skip_serializing_if = "Graph::is_chain")]
    pub graph: Box<Graph>,
}

/// The model's input, without the batch dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Input {
    /// e.g. `[100, 6]`: 100 timesteps of 6 features.
    pub shape: Shape,
    /// `Float32` for features, `Int32` for token ids feeding an Embedding.
    #[serde(default)]
    pub dtype: Dtype,
}

/// Element type of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Dtype {
    /// Real-valued features.
    #[default]
    Float32,
    /// Integer token ids.
    Int32,
}

impl Design {
    /// The example lstm-tui opens on first run: the LSTM classifier from the docs, 59,910
    /// parameters in Keras.
    pub fn example() -> Self {
        let lstm = |return_sequences| {
            Layer::Lstm(Lstm {
                units: 64,
                return_sequences,
                recurrent_regularizer: Some(Regularizer::L2(0.0015)),
                ..Lstm::default()
            })
        };
        let dense = |units, activation: &str| {
            Layer::Dense(Dense {
                units,
                activation: activation.into(),
                ..Dense::default()
            })
        };
        Self {
            version: VERSION,
            name: "example".into(),
            input: Input {
                shape: Shape::known(&[100, 6]),
                dtype: Dtype::Float32,
            },
            layers: vec![
                lstm(true),
                Layer::Dropout(Dropout {
                    rate: 0.5,
                    ..Dropout::default()
                }),
                lstm(false),
                dense(64, "relu"),
                dense(64, "relu"),
                dense(6, "softmax"),
            ],
            budget: Budget::default(),
            graph: Box::default(),
        }
    }
}
