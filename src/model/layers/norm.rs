//! Normalization: `BatchNormalization` (per-feature statistics over the batch, with moving
//! averages Keras counts as non-trainable weights), and the per-sample ones:
//! `LayerNormalization`, `GroupNormalization` (statistics per group of channels),
//! `RMSNormalization` (a scale only) and `UnitNormalization` (no weights).

use serde::{Deserialize, Serialize};

use super::{
    Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, NONE_NOTE, Regularizer,
    axis_dim, is_true, no_weights, other_convention_note, regularizer_notes, yes,
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
        mask: MaskUse::TakesAndPasses,
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
                    sink.put(Weight::new("gamma", &[c]));
                }
                if self.center {
                    sink.put(Weight::new("beta", &[c]));
                }
                sink.put(Weight::new("moving_mean", &[c]).frozen());
                sink.put(Weight::new("moving_variance", &[c]).frozen());
            }
            // With only one of center and scale, the export drops the other parameter from
            // the module (PyTorch's batch norm takes either as None).
            Convention::PyTorch => {
                if self.scale {
                    sink.put(Weight::new("weight", &[c]));
                }
                if self.center {
                    sink.put(Weight::new("bias", &[c]));
                }
            }
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
    /// Whether it has gamma or beta to size: Keras needs the normalised axes' sizes only for
    /// them, so without both an open axis builds.
    fn learns(&self) -> bool {
        self.has_gamma() || self.has_beta()
    }
}

impl Keras for LayerNormalization {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["axis", "epsilon", "center", "scale", "rms_scaling"],
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Kind for LayerNormalization {
    fn auto_name(&self) -> &'static str {
        "layer_normalization"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        match self.param_shape(input) {
            Ok((dims, rank)) => {
                mul(&dims[..rank])?;
            }
            Err(LayerError::Shape(_)) if !self.learns() => {}
            Err(e) => return Err(e),
        }
        Ok(Output::One(input.clone()))
    }
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        if !self.learns() {
            return Ok(());
        }
        let (dims, rank) = self.param_shape(input)?;
        let shape = &dims[..rank];
        let (g, b) = match convention {
            Convention::Keras => ("gamma", "beta"),
            Convention::PyTorch => ("weight", "bias"),
        };
        if self.has_gamma() {
            sink.put(Weight::new(g, shape));
        }
        if self.has_beta() {
            sink.put(Weight::new(b, shape));
        }
        Ok(())
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let (dims, rank) = match self.param_shape(input) {
            Err(LayerError::Shape(_)) if !self.learns() => {
                let mut e = Explanation::default();
                no_weights(
                    &mut e,
                    self.class(),
                    "With center=False and scale=False it normalises each sample with no gamma or beta, so Keras builds it on axes of any size, open ones included.",
                );
                return Ok(e);
            }
            other => other?,
        };
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

/// The sizes of the input on `axes` (counted as Keras does, the batch is axis 0): the shape
/// of a per-element weight over those axes. Written into a fixed array: this runs for every
/// row of every summary.
pub(crate) fn axes_shape(input: &Shape, axes: &[i64]) -> Result<([u64; 5], usize), LayerError> {
    if axes.len() > 5 {
        return Err(LayerError::field("axis", "lstm-tui reads at most 5 axes"));
    }
    let mut dims = [0u64; 5];
    for (slot, &a) in dims.iter_mut().zip(axes) {
        *slot = axis_dim(input, a, "axis")?;
    }
    Ok((dims, axes.len()))
}

/// `2 × 3 × 4`, as a formula writes a shape.
fn times(dims: &[u64]) -> String {
    dims.iter()
        .map(|&d| thousands(d))
        .collect::<Vec<_>>()
        .join(" × ")
}

/// `keras.layers.GroupNormalization`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupNormalization {
    /// How many groups the channels are split into for the statistics; -1 makes every channel
    /// its own group (instance normalization).
    pub groups: i64,
    /// The channel axis (-1: the last), counted with the batch as axis 0.
    pub axis: i64,
    /// Added to the variance for stability; changes no count.
    pub epsilon: f64,
    /// Learn a shift `beta` per channel.
    pub center: bool,
    /// Learn a scale `gamma` per channel.
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

impl Default for GroupNormalization {
    fn default() -> Self {
        Self {
            groups: 32,
            axis: -1,
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

impl Keras for GroupNormalization {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["groups", "axis", "epsilon", "center", "scale"],
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl GroupNormalization {
    /// The channel count and the group count in effect, or Keras' refusal.
    pub fn channels_and_groups(&self, input: &Shape) -> Result<(u64, u64), LayerError> {
        let c = axis_dim(input, self.axis, "axis")?;
        let groups = match self.groups {
            -1 => c,
            g if g >= 1 => g.unsigned_abs(),
            g => {
                return Err(LayerError::field(
                    "groups",
                    format!(
                        "is {g}: Keras takes a group count ≥ 1, or -1 for one group per channel"
                    ),
                ));
            }
        };
        if groups > c {
            return Err(LayerError::field(
                "groups",
                format!(
                    "Number of groups ({groups}) cannot be more than the number of channels ({c}): use at most {c} groups, or -1 for one per channel"
                ),
            ));
        }
        if c % groups != 0 {
            return Err(LayerError::field(
                "groups",
                format!(
                    "Number of groups ({groups}) must be a multiple of the number of channels ({c}): Keras needs the {c} channels to split evenly, so use a divisor of {c} such as {}",
                    largest_divisor_at_most(c, groups)
                ),
            ));
        }
        Ok((c, groups))
    }
}

/// The largest divisor of `n` not above `limit`: the nearest group count Keras accepts.
fn largest_divisor_at_most(n: u64, limit: u64) -> u64 {
    (1..=limit.min(n)).rev().find(|d| n % d == 0).unwrap_or(1)
}

impl Kind for GroupNormalization {
    fn auto_name(&self) -> &'static str {
        "group_normalization"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        self.channels_and_groups(input)?;
        Ok(Output::One(input.clone()))
    }
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let (c, _) = self.channels_and_groups(input)?;
        let (g, b) = match convention {
            Convention::Keras => ("gamma", "beta"),
            Convention::PyTorch => ("weight", "bias"),
        };
        if self.scale {
            sink.put(Weight::new(g, &[c]));
        }
        if self.center {
            sink.put(Weight::new(b, &[c]));
        }
        Ok(())
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let (c, groups) = self.channels_and_groups(input)?;
        let mut e = Explanation::default();
        e.step(
            format!("{} channels on axis {}", thousands(c), self.axis),
            thousands(c),
            c,
        );
        let vectors = u64::from(self.scale) + u64::from(self.center);
        let which = match (self.scale, self.center) {
            (true, true) => "gamma (scale) and beta (shift), one of each per channel",
            (true, false) => "gamma (scale) per channel only, center=False",
            (false, true) => "beta (shift) per channel only, scale=False",
            (false, false) => "nothing learned: center=False and scale=False",
        };
        e.step(
            which,
            format!("{vectors} × {}", thousands(c)),
            mul(&[vectors, c])?,
        );
        e.note(format!(
            "The {} channels are split into {groups} group(s) of {} for the mean and variance, per sample: the groups only change the statistics, not the count (gamma and beta stay per channel).",
            thousands(c),
            thousands(c / groups)
        ));
        if self.groups == -1 {
            e.note("groups=-1: every channel is its own group (instance normalization).");
        }
        e.note("Statistics are computed per sample at run time: nothing is stored, so there are no non-trainable parameters.");
        e.note(NONE_NOTE);
        other_convention_note(
            &mut e,
            self,
            input,
            convention,
            "nn.GroupNorm learns the same per-channel weight (scale) and bias (shift).",
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
            "GroupNormalization computes each group's mean and variance, then scales and shifts each value: element-wise work, not a weight product, so 0 MACs under this convention.".into()
        }))
    }
    fn brief(&self) -> String {
        let mut s = format!("GroupNormalization {}", self.groups);
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

/// `keras.layers.RMSNormalization`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RmsNormalization {
    /// The axes the root mean square is taken over (-1: the last), counted with the batch as
    /// axis 0.
    pub axis: Vec<i64>,
    /// Added to the mean square for stability; changes no count.
    pub epsilon: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the scale.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for RmsNormalization {
    fn default() -> Self {
        Self {
            axis: vec![-1],
            epsilon: 1e-6,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for RmsNormalization {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["axis", "epsilon"],
        ..KerasFacts::PLAIN
    };
}

impl RmsNormalization {
    /// The shape of `scale`: the input's sizes on the normalised axes.
    pub fn scale_shape(&self, input: &Shape) -> Result<([u64; 5], usize), LayerError> {
        if self.axis.is_empty() {
            return Err(LayerError::field(
                "axis",
                "name at least one axis (usually -1)",
            ));
        }
        axes_shape(input, &self.axis)
    }
}

impl Kind for RmsNormalization {
    fn auto_name(&self) -> &'static str {
        "rms_normalization"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let (dims, rank) = self.scale_shape(input)?;
        mul(&dims[..rank])?;
        Ok(Output::One(input.clone()))
    }
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let (dims, rank) = self.scale_shape(input)?;
        let name = match convention {
            Convention::Keras => "scale",
            Convention::PyTorch => "weight",
        };
        sink.put(Weight::new(name, &dims[..rank]));
        Ok(())
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let (dims, rank) = self.scale_shape(input)?;
        let shape = &dims[..rank];
        let mut e = Explanation::default();
        e.step(
            format!(
                "scale: one value per element of the normalised axes {:?}",
                self.axis
            ),
            times(shape),
            mul(shape)?,
        );
        e.note("Each sample is divided by its root mean square over those axes, then multiplied by scale: no mean is subtracted and there is no shift, so scale is the only weight.");
        e.note(NONE_NOTE);
        other_convention_note(
            &mut e,
            self,
            input,
            convention,
            "nn.RMSNorm learns the same scale, as its weight.",
        );
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "RMSNormalization divides each value by a root mean square and scales it: element-wise work, not a weight product, so 0 MACs under this convention.".into()
        }))
    }
    fn brief(&self) -> String {
        "RMSNormalization".into()
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}

/// `keras.layers.UnitNormalization`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitNormalization {
    /// The axes whose L2 norm becomes 1 (-1: the last), counted with the batch as axis 0.
    pub axis: Vec<i64>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Keras' `trainable`; there is nothing to train.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for UnitNormalization {
    fn default() -> Self {
        Self {
            axis: vec![-1],
            name: None,
            trainable: true,
        }
    }
}

impl Keras for UnitNormalization {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["axis"],
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Kind for UnitNormalization {
    fn auto_name(&self) -> &'static str {
        "unit_normalization"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let rank = i64::try_from(input.ndim()).map_err(|_| LayerError::Overflow)?;
        for &a in &self.axis {
            let index = if a < 0 { rank + a } else { a };
            if index <= 0 || index >= rank {
                return Err(LayerError::field(
                    "axis",
                    format!(
                        "axis {a} does not name a feature axis of {input} (use -1 for the last axis, or 1..{} counting the batch as 0)",
                        rank - 1
                    ),
                ));
            }
        }
        Ok(Output::One(input.clone()))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        super::no_weights(
            &mut e,
            self.class(),
            &format!(
                "UnitNormalization divides each sample by its L2 norm over the axes {:?}, so that norm becomes 1.",
                self.axis
            ),
        );
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "UnitNormalization divides each value by a norm: element-wise work, not a weight product, so 0 MACs under this convention.".into()
        }))
    }
    fn brief(&self) -> String {
        "UnitNormalization".into()
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    /// Keras' summary applies it to each tensor of a list (its call on data then fails).
    fn maps_over_lists(&self) -> bool {
        true
    }
    name_and_trainable!();
}
