//! A design as a graph: named inputs, layers called on tensor references, shared layers
//! called more than once, and outputs. A chain needs none of it: [`Graph`] is empty, each
//! layer takes the previous one's output, and the design file is written as before.
//!
//! References name tensors as Keras' functional API passes them: `"name"` (the output of an
//! input or of a layer's first call), `"name[i]"` (output `i` of a layer with several),
//! `"name@k"` / `"name@k[i]"` (the `k`-th call of a shared layer, from 0).

mod blocks;
mod build;
mod edit;
mod masks;
mod order;
mod refs;
mod straight;
mod wire;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::design::Dtype;
use crate::model::layers::CallOptions;
use crate::model::shape::Shape;

pub use blocks::{Block, Size, Sizes, Start};
pub(crate) use build::summarize;
pub use edit::Reader;
pub(crate) use masks::{passes_mask, starts_mask, takes_mask};
pub use refs::TensorRef;

/// How a design's layers are wired when they are not a plain chain. Every field is empty for
/// a chain, and a design file leaves the whole `graph` out then.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Graph {
    /// The name of the design's first input (`Design::input`); Keras' automatic
    /// `input_layer` when not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_name: Option<String>,
    /// The model's further inputs, after the first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<NamedInput>,
    /// How a layer is called, by its position in `Design::layers`; a layer not listed takes
    /// the output of the call before it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub wiring: BTreeMap<usize, Call>,
    /// Further calls of layers already in the design (shared layers: one set of weights).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shared: Vec<SharedCall>,
    /// The model's outputs, as tensor references; empty: the last call's output.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<String>,
}

impl Graph {
    /// The shared calls in the order of the list of calls: `(after, index)` sorted, each placed
    /// after the layer it names as `after` (the last of `layers` when past the end), and
    /// those placed after one layer in the order written.
    pub fn shared_order(&self, layers: usize) -> Vec<(usize, usize)> {
        let mut order: Vec<(usize, usize)> = self
            .shared
            .iter()
            .enumerate()
            .map(|(i, s)| (s.after.min(layers.saturating_sub(1)), i))
            .collect();
        order.sort_unstable();
        order
    }

    /// True for a plain chain: one input, each layer on the previous one's output.
    pub fn is_chain(&self) -> bool {
        self.input_name.is_none()
            && self.inputs.is_empty()
            && self.wiring.is_empty()
            && self.shared.is_empty()
            && self.outputs.is_empty()
    }
}

/// A model input besides the first: its name, shape without the batch, and element type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedInput {
    /// The input layer's name; Keras' automatic `input_layer_1`, ... when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// e.g. `[25]` for 25 token ids.
    pub shape: Shape,
    /// `Float32` for features, `Int32` for token ids.
    #[serde(default, skip_serializing_if = "is_float")]
    pub dtype: Dtype,
}

/// Serde skip test for the default element type.
fn is_float(d: &Dtype) -> bool {
    *d == Dtype::Float32
}

/// The tensors one call receives and the options it is called with.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Call {
    /// Tensors passed positionally (a merge's list, attention's query and value), as
    /// references.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
    /// Tensors passed by keyword (`initial_state`, `query`, `value`, `key`, `mask`), each a
    /// list of references; sorted by keyword, as Keras lists them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub keywords: BTreeMap<String, Vec<String>>,
    /// Options of the call that change what it returns (`return_attention_scores`).
    #[serde(skip_serializing_if = "is_default_options")]
    pub options: CallOptions,
}

/// Serde skip test for call options left at their defaults.
fn is_default_options(o: &CallOptions) -> bool {
    *o == CallOptions::default()
}

impl Call {
    /// A call on these tensors, passed positionally.
    pub fn on(inputs: &[&str]) -> Self {
        Self {
            inputs: inputs.iter().map(|s| (*s).to_string()).collect(),
            ..Self::default()
        }
    }

    /// True when the call names no tensor, so it takes the previous call's output.
    pub fn takes_previous(&self) -> bool {
        self.inputs.is_empty() && self.keywords.is_empty()
    }
}

/// A further call of a layer the design already has: the same weights, other tensors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedCall {
    /// The name of the layer called again.
    pub layer: String,
    /// Where the call sits in the order of calls: after the layer at this position of
    /// `Design::layers` (and after earlier shared calls placed there).
    pub after: usize,
    /// What it is called on.
    #[serde(default)]
    pub call: Call,
}
