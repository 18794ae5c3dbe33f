//! Normalization: `BatchNormalization` (per-feature statistics over the batch, with moving
//! averages Keras counts as non-trainable weights) and `LayerNormalization` (per sample).

use serde::{Deserialize, Serialize};

use super::{
    Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, NONE_NOTE, Regularizer, axis_dim,
    is_true, other_convention_note, regularizer_notes, yes,
};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, add, mul};

/// `keras.layers.BatchNormalization`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchNormalization {
    /// The feature axis (-1: the last), counted with the batch as axis 0.
    pub axis: i64,
    /// How fast the moving statistics follow the batch; changes no count.
    pub momentum: f64,
    /// Added to the variance for stability; changes no count.
    pub epsilon: f64,
    /// Learn a shift `beta` per feature.
    pub center: bool,
    /// Learn a scale `gamma` per feature.
    pub scale: bool,
    /// Penalty on beta.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta_regularizer: Option<Regularizer>,
    /// Penalty on gamma.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gamma_regularizer: Option<Regularizer>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes gamma and beta.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for BatchNormalization {
    fn default() -> Self {
        Self {
            axis: -1,
            momentum: 0.99,
            epsilon: 0.001,
            center: true,
            scale: true,
            beta_regularizer: None,
            gamma_regularizer: None,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for BatchNormalization {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["axis", "momentum", "epsilon", "center", "scale"],
        ..KerasFacts::PLAIN
    };
}

impl Kind for BatchNormalization {
    fn auto_name(&self) -> &'static str {
        "batch_normalization"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        axis_dim(input, self.axis, "axis")?;
        Ok(Output::One(input.clone()))
    }
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let c = axis_dim(input, self.axis, "axis")?;
        match convention {
            Convention::Keras => {
                if self.scale {
                    sink(Weight::new("gamma", &[c]));
                }
                if self.center {
                    sink(Weight::new("beta", &[c]));
                }
                sink(Weight::new("moving_mean", &[c]).frozen());
                sink(Weight::new("moving_variance", &[c]).frozen());
            }
            Convention::PyTorch => match (self.scale, self.center) {
                (true, true) => {
                    sink(Weight::new("weight", &[c]));
                    sink(Weight::new("bias", &[c]));
                }
                (false, false) => {}
                _ => {
                    return Err(LayerError::NoEquivalent(
                        "PyTorch's BatchNorm learns both a scale and a shift (affine=True) or neither (affine=False); it has no equivalent of setting only one of center and scale.".into(),
                    ));
                }
            },
        }
        Ok(())
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let c = axis_dim(input, self.axis, "axis")?;
        let mut e = Explanation::default();
        e.step(
            format!("one statistic per feature on axis {}", self.axis),
            thousands(c),
            c,
        );
        let learned = u64::from(self.scale) + u64::from(self.center);
        let names = match (self.scale, self.center) {
            (true, true) => "gamma (scale) and beta (shift)",
            (true, false) => "gamma (scale) only, center=False",
            (false, true) => "beta (shift) only, scale=False",
            (false, false) => "nothing learned: center=False and scale=False",
        };
        let trainable = mul(&[learned, c])?;
        e.step(
            format!("trainable: {names}"),
            format!("{learned} × {}", thousands(c)),
            trainable,
        );
        let moving = mul(&[2, c])?;
        match convention {
            Convention::Keras => {
                e.step(
                    "non-trainable: moving_mean and moving_variance",
                    format!("2 × {}", thousands(c)),
                    moving,
                );
                e.step(
                    "all parameters",
                    format!("{} + {}", thousands(trainable), thousands(moving)),
                    add(&[trainable, moving])?,
                );
                e.note("The moving mean and variance are updated by averaging batch statistics, not by gradients, so Keras lists them as non-trainable parameters.");
                other_convention_note(
                    &mut e,
                    self,
                    input,
                    convention,
                    "its running_mean and running_var are buffers, not parameters, so only the learned scale and shift count.",
                );
            }
            Convention::PyTorch => {
                e.note(format!(
                    "running_mean and running_var ({} values) are buffers in PyTorch, not parameters.",
                    thousands(moving)
                ));
                other_convention_note(
                    &mut e,
                    self,
                    input,
                    convention,
                    "it also counts the moving mean and variance, as non-trainable parameters.",
                );
            }
        }
        e.note(NONE_NOTE);
        regularizer_notes(
            &mut e,
            &[
                ("beta_regularizer", self.beta_regularizer),
                ("gamma_regularizer", self.gamma_regularizer),
            ],
        );
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "BatchNormalization subtracts a mean and scales and shifts each value by its feature's numbers: element-wise work, not a weight product, so 0 MACs under this convention (at inference it is often folded into the layer before).".into()
        }))
    }
    fn brief(&self) -> String {
        let mut s = "BatchNormalization".to_string();
        if !self.center {
            s.push_str(" no-center");
        }
        if !self.scale {
            s.push_str(" no-scale");
        }
        s
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}

/// `keras.layers.LayerNormalization`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LayerNormalization {
    /// The axes normalised over (-1: the last), counted with the batch as axis 0.
    pub axis: Vec<i64>,
    /// Added to the variance for stability; changes no count.
    pub epsilon: f64,
    /// Learn a shift `beta`.
    pub center: bool,
    /// Learn a scale `gamma`.
    pub scale: bool,
    /// Scale by the root mean square only (RMSNorm): gamma, no beta.
    pub rms_scaling: bool,
    /// Penalty on beta.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta_regularizer: Option<Regularizer>,
    /// Penalty on gamma.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gamma_regularizer: Option<Regularizer>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes gamma and beta.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for LayerNormalization {
    fn default() -> Self {
        Self {
            axis: vec![-1],
            epsilon: 0.001,
            center: true,
            scale: true,
            rms_scaling: false,
            beta_regularizer: None,
            gamma_regularizer: None,
            name: None,
            trainable: true,
        }
    }
}

impl LayerNormalization {
    /// The shape of gamma and beta: the input's sizes on the normalised axes.
    /// Written into a fixed array: this runs for every row of every summary.
    fn param_shape(&self, input: &Shape) -> Result<([u64; 5], usize), LayerError> {
        if self.axis.is_empty() {
            return Err(LayerError::field(
                "axis",
                "name at least one axis (usually -1)",
            ));
        }
        if self.axis.len() > 5 {
            return Err(LayerError::field("axis", "lstm-tui reads at most 5 axes"));
        }
        let mut dims = [0u64; 5];
        for (slot, &a) in dims.iter_mut().zip(&self.axis) {
            *slot = axis_dim(input, a, "axis")?;
        }
        Ok((dims, self.axis.len()))
    }
    fn has_gamma(&self) -> bool {
        self.scale || self.rms_scaling
    }
    fn has_beta(&self) -> bool {
        self.center && !self.rms_scaling
    }
}

impl Keras for LayerNormalization {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["axis", "epsilon", "center", "scale", "rms_scaling"],
        ..KerasFacts::PLAIN
    };
}

impl Kind for LayerNormalization {
    fn auto_name(&self) -> &'static str {
        "layer_normalization"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let (dims, rank) = self.param_shape(input)?;
        mul(&dims[..rank])?;
        Ok(Output::One(input.clone()))
    }
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let (dims, rank) = self.param_shape(input)?;
        let shape = &dims[..rank];
        let (g, b) = match convention {
            Convention::Keras => ("gamma", "beta"),
            Convention::PyTorch => {
                if self.has_beta() && !self.has_gamma() {
                    return Err(LayerError::NoEquivalent(
                        "PyTorch's LayerNorm has no shift without a scale (center=True with scale=False).".into(),
                    ));
                }
                ("weight", "bias")
            }
        };
        if self.has_gamma() {
            sink(Weight::new(g, shape));
        }
        if self.has_beta() {
            sink(Weight::new(b, shape));
        }
        Ok(())
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let (dims, rank) = self.param_shape(input)?;
        let shape = &dims[..rank];
        let n = mul(shape)?;
        let mut e = Explanation::default();
        e.step(
            "one value per element of the normalised axes",
            shape
                .iter()
                .map(|&d| thousands(d))
                .collect::<Vec<_>>()
                .join(" × "),
            n,
        );
        let vectors = u64::from(self.has_gamma()) + u64::from(self.has_beta());
        let which = match (self.has_gamma(), self.has_beta()) {
            (true, true) => "gamma (scale) and beta (shift)",
            (true, false) if self.rms_scaling => "gamma only (rms_scaling=True)",
            (true, false) => "gamma only (center=False)",
            (false, true) => "beta only (scale=False)",
            (false, false) => "nothing learned (center=False, scale=False)",
        };
        e.step(
            which,
            format!("{vectors} × {}", thousands(n)),
            mul(&[vectors, n])?,
        );
        e.note("Statistics are computed per sample at run time, so nothing is stored for them: unlike BatchNormalization there are no non-trainable parameters.");
        e.note(NONE_NOTE);
        other_convention_note(
            &mut e,
            self,
            input,
            convention,
            "nn.LayerNorm learns the same weight (scale) and bias (shift) over normalized_shape.",
        );
        regularizer_notes(
            &mut e,
            &[
                ("beta_regularizer", self.beta_regularizer),
                ("gamma_regularizer", self.gamma_regularizer),
            ],
        );
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "LayerNormalization computes each sample's mean and variance, then scales and shifts each value: element-wise work, not a weight product, so 0 MACs under this convention.".into()
        }))
    }
    fn brief(&self) -> String {
        let mut s = "LayerNormalization".to_string();
        if self.rms_scaling {
            s.push_str(" rms");
        }
        if !self.center {
            s.push_str(" no-center");
        }
        if !self.scale {
            s.push_str(" no-scale");
        }
        s
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}
