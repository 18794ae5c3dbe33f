//! Activations: `Activation` (any function by name) and the activation layers ReLU,
//! LeakyReLU, ELU, Softmax (no weights) and PReLU (learned slopes).

use serde::{Deserialize, Serialize};

use super::weightless::{Weightless, not_negative};
use super::{
    Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, NONE_NOTE, Regularizer, is_true,
    other_convention_note, regularizer_notes, yes,
};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, mul};

/// Keras 3's activation names (`keras.activations`), the values `activation=` takes.
pub const ACTIVATIONS: &[&str] = &[
    "celu",
    "elu",
    "exponential",
    "gelu",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
    "threshold",
];

/// `keras.layers.Activation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Activation {
    /// The function: `relu`, `tanh`, `softmax`, ...
    pub activation: String,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Activation {
    fn default() -> Self {
        Self {
            activation: "relu".into(),
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Activation {
    const FACTS: KerasFacts = KerasFacts {
        required: &["activation"],
        positional: &["activation"],
        leading: 1,
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Kind for Activation {
    fn auto_name(&self) -> &'static str {
        "activation"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        Ok(Output::One(input.clone()))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        e.step("Activation has no weights", "0", 0);
        e.note(format!(
            "Applies {} to every element; a fixed function learns nothing, so 0 parameters.",
            self.activation
        ));
        e.note(NONE_NOTE);
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "Activation applies its function to each value on its own: there are no weights to multiply.".into()
        }))
    }
    fn brief(&self) -> String {
        format!("Activation {}", self.activation)
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn set_name(&mut self, name: Option<String>) {
        self.name = name;
    }
    fn trainable(&self) -> bool {
        self.trainable
    }
    fn maps_over_lists(&self) -> bool {
        true
    }
}

/// `keras.layers.ReLU`: `max(x, 0)`, optionally capped, thresholded or leaky.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Relu {
    /// The largest output (`None`: no cap; 6 gives ReLU6). Written even when `None`, so the
    /// edit form offers it.
    pub max_value: Option<f64>,
    /// The slope below the threshold (0: plain ReLU).
    pub negative_slope: f64,
    /// Inputs above it pass; below it the negative slope applies.
    pub threshold: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Relu {
    fn default() -> Self {
        Self {
            max_value: None,
            negative_slope: 0.0,
            threshold: 0.0,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Relu {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["max_value", "negative_slope", "threshold"],
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for Relu {
    const LISTS: bool = true;
    const AUTO: &'static str = "re_lu";
    fn what(&self) -> String {
        let cap = self
            .max_value
            .map_or_else(String::new, |m| format!(", capped at {m}"));
        format!(
            "ReLU passes every value above {}{cap} and maps the rest to {} × (x − {}).",
            self.threshold, self.negative_slope, self.threshold
        )
    }
    fn torch_note(&self) -> String {
        "PyTorch's nn.ReLU, nn.ReLU6 and nn.LeakyReLU cover the plain cases (no threshold); they have no parameters either.".into()
    }
    fn no_macs(&self) -> &'static str {
        "ReLU compares and scales each value on its own: there are no weights to multiply."
    }
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        if let Some(m) = self.max_value {
            not_negative("max_value", m)?;
        }
        not_negative("negative_slope", self.negative_slope)?;
        not_negative("threshold", self.threshold)
    }
    fn line(&self) -> String {
        match self.max_value {
            Some(m) => format!("ReLU max {m}"),
            None => "ReLU".into(),
        }
    }
}

/// `keras.layers.LeakyReLU`: `x` above 0, `negative_slope × x` below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeakyRelu {
    /// The slope below 0 (tf.keras 2 called it `alpha`).
    #[serde(alias = "alpha")]
    pub negative_slope: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for LeakyRelu {
    fn default() -> Self {
        Self {
            negative_slope: 0.3,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for LeakyRelu {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["negative_slope"],
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for LeakyRelu {
    const LISTS: bool = true;
    const AUTO: &'static str = "leaky_re_lu";
    fn what(&self) -> String {
        format!(
            "LeakyReLU passes positive values and multiplies negative ones by the fixed slope {}.",
            self.negative_slope
        )
    }
    fn torch_note(&self) -> String {
        "PyTorch's nn.LeakyReLU does the same with no parameters (its default slope is 0.01, Keras' 0.3).".into()
    }
    fn no_macs(&self) -> &'static str {
        "LeakyReLU scales each negative value by a fixed slope: there are no weights to multiply."
    }
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        not_negative("negative_slope", self.negative_slope)
    }
    fn line(&self) -> String {
        format!("LeakyReLU {}", self.negative_slope)
    }
}

/// `keras.layers.ELU`: `x` above 0, `alpha × (eˣ − 1)` below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Elu {
    /// The value negative inputs approach.
    pub alpha: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Elu {
    fn default() -> Self {
        Self {
            alpha: 1.0,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Elu {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["alpha"],
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for Elu {
    const LISTS: bool = true;
    const AUTO: &'static str = "elu";
    fn what(&self) -> String {
        format!(
            "ELU passes positive values and maps negative ones to {} × (eˣ − 1).",
            self.alpha
        )
    }
    fn torch_note(&self) -> String {
        "PyTorch's nn.ELU(alpha) is the same function, with no parameters.".into()
    }
    fn no_macs(&self) -> &'static str {
        "ELU applies a fixed function to each value on its own: there are no weights to multiply."
    }
    fn line(&self) -> String {
        format!("ELU {}", self.alpha)
    }
}

/// `keras.layers.Softmax`: values along the axes become probabilities that sum to 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Softmax {
    /// The axes normalised together (-1: the last), counted with the batch as axis 0.
    pub axis: Vec<i64>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Softmax {
    fn default() -> Self {
        Self {
            axis: vec![-1],
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Softmax {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["axis"],
        mask: MaskUse::TakesAndPasses,
        ..KerasFacts::PLAIN
    };
}

impl Softmax {
    /// The axes as non-negative indices counted with the batch as 0, or why one is not an
    /// axis of `input`.
    pub fn axes(&self, input: &Shape) -> Result<Vec<usize>, LayerError> {
        let rank = input.ndim();
        let mut out = Vec::with_capacity(self.axis.len());
        for &a in &self.axis {
            let index = if a < 0 {
                i64::try_from(rank).ok().map(|r| r + a)
            } else {
                Some(a)
            };
            match index.and_then(|i| usize::try_from(i).ok()) {
                Some(i) if i < rank && !out.contains(&i) => out.push(i),
                _ => {
                    return Err(LayerError::field(
                        "axis",
                        format!(
                            "{a} is not an axis of {input} (or is named twice): use -1 for the last axis, or 1..{} counting the batch as 0",
                            rank - 1
                        ),
                    ));
                }
            }
        }
        if out.is_empty() {
            return Err(LayerError::field(
                "axis",
                "names no axis: use -1 for the last",
            ));
        }
        Ok(out)
    }
}

impl Weightless for Softmax {
    const LISTS: bool = true;
    const AUTO: &'static str = "softmax";
    fn what(&self) -> String {
        let axes: Vec<String> = self.axis.iter().map(i64::to_string).collect();
        format!(
            "Softmax turns the values along axis {} of each sample into probabilities that sum to 1.",
            axes.join(" and ")
        )
    }
    fn torch_note(&self) -> String {
        "PyTorch's nn.Softmax(dim) takes one axis and has no parameters; over several axes the export writes the same exp / sum.".into()
    }
    fn no_macs(&self) -> &'static str {
        "Softmax exponentiates and divides each value by a sum: element-wise work, no weights to multiply."
    }
    fn check(&self, input: &Shape) -> Result<(), LayerError> {
        self.axes(input).map(|_| ())
    }
    fn line(&self) -> String {
        match self.axis.as_slice() {
            [-1] => "Softmax".into(),
            axes => format!(
                "Softmax axis {}",
                axes.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }
}

weightless!(Relu, LeakyRelu, Elu, Softmax);

/// `keras.layers.PReLU`: a leaky ReLU whose slopes are learned, one per position unless
/// axes share one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prelu {
    /// Axes (counted with the batch as 0) along which one slope is shared; empty: none.
    /// Written even when empty, so the edit form offers it.
    pub shared_axes: Vec<u64>,
    /// Penalty on the slopes; adds no parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha_regularizer: Option<Regularizer>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the slopes.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Prelu {
    fn default() -> Self {
        Self {
            shared_axes: Vec::new(),
            alpha_regularizer: None,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Prelu {
    const FACTS: KerasFacts = KerasFacts {
        positional: &[
            "alpha_initializer",
            "alpha_regularizer",
            "alpha_constraint",
            "shared_axes",
        ],
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Prelu {
    /// The shape of `alpha`: the input's sizes, with 1 on every shared axis.
    pub fn alpha_shape(&self, input: &Shape) -> Result<Vec<u64>, LayerError> {
        let rank = input.0.len();
        for &a in &self.shared_axes {
            if a == 0 || usize::try_from(a).map_or(true, |a| a > rank) {
                return Err(LayerError::field(
                    "shared_axes",
                    format!(
                        "{a} is not an axis of {input}: name axes 1..{rank}, counting the batch as 0"
                    ),
                ));
            }
        }
        let mut shape = Vec::with_capacity(rank);
        for (i, d) in input.0.iter().enumerate() {
            let shared = self
                .shared_axes
                .iter()
                .any(|&a| usize::try_from(a) == Ok(i + 1));
            match (shared, d) {
                (true, _) => shape.push(1),
                (false, Some(n)) => shape.push(*n),
                (false, None) => {
                    return Err(LayerError::shape(
                        format!(
                            "a known size on axis {} (PReLU learns one slope per position there)",
                            i + 1
                        ),
                        input,
                        format!(
                            "give that axis a fixed size, or add {} to shared_axes",
                            i + 1
                        ),
                    ));
                }
            }
        }
        Ok(shape)
    }
}

impl Kind for Prelu {
    fn auto_name(&self) -> &'static str {
        "p_re_lu"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        mul(&self.alpha_shape(input)?)?;
        Ok(Output::One(input.clone()))
    }
    fn weights(&self, input: &Shape, _: Convention, sink: Sink) -> Result<(), LayerError> {
        sink.put(Weight::new("alpha", &self.alpha_shape(input)?));
        Ok(())
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let shape = self.alpha_shape(input)?;
        let n = mul(&shape)?;
        let mut e = Explanation::default();
        let dims = |v: &[u64]| {
            v.iter()
                .map(|&d| thousands(d))
                .collect::<Vec<_>>()
                .join(" × ")
        };
        let what = if self.shared_axes.is_empty() {
            "one slope alpha per input position".to_string()
        } else {
            let axes: Vec<String> = self.shared_axes.iter().map(u64::to_string).collect();
            format!(
                "one slope alpha per non-shared position (axes {} share one)",
                axes.join(", ")
            )
        };
        e.step(what, dims(&shape), n);
        e.note("Each value x becomes x when positive and alpha × x when negative; alpha starts at 0 and is learned.");
        e.note(NONE_NOTE);
        other_convention_note(
            &mut e,
            self,
            input,
            convention,
            "the exported module keeps the same alpha tensor (nn.PReLU shares slopes only per channel on axis 1, so it is written as a small module).",
        );
        regularizer_notes(&mut e, &[("alpha_regularizer", self.alpha_regularizer)]);
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "PReLU scales each negative value by its slope: an activation, which the convention does not count as a weight product.".into()
        }))
    }
    fn brief(&self) -> String {
        if self.shared_axes.is_empty() {
            "PReLU".into()
        } else {
            let axes: Vec<String> = self.shared_axes.iter().map(u64::to_string).collect();
            format!("PReLU shared {}", axes.join(","))
        }
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}
