//! `CategoryEncoding` and `Discretization`: category ids, or values put in bins, as indices or
//! one-hot, multi-hot or count vectors; no weights, and an output rank that depends on the
//! input's.

use serde::{Deserialize, Serialize};

use super::{
    Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, is_true, no_weights, positive, yes,
};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink};

/// How `CategoryEncoding` turns ids into a vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputMode {
    /// One vector per sample, 1 where any of its ids occurs.
    #[default]
    MultiHot,
    /// One vector per id, 1 at that id: adds an axis (unless the last one has size 1).
    OneHot,
    /// One vector per sample, counting how often each id occurs.
    Count,
}

impl OutputMode {
    /// Keras' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputMode::MultiHot => "multi_hot",
            OutputMode::OneHot => "one_hot",
            OutputMode::Count => "count",
        }
    }
}

/// `keras.layers.CategoryEncoding`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CategoryEncoding {
    /// How many categories: ids run from 0 to `num_tokens - 1`.
    pub num_tokens: u64,
    /// One-hot, multi-hot or count.
    pub output_mode: OutputMode,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Keras' `trainable`; there is nothing to train.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for CategoryEncoding {
    fn default() -> Self {
        Self {
            num_tokens: 10,
            output_mode: OutputMode::MultiHot,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for CategoryEncoding {
    const FACTS: KerasFacts = KerasFacts {
        required: &["num_tokens"],
        positional: &["num_tokens", "output_mode", "sparse"],
        leading: 1,
        ..KerasFacts::PLAIN
    };
}

impl Kind for CategoryEncoding {
    fn auto_name(&self) -> &'static str {
        "category_encoding"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let n = positive("num_tokens", self.num_tokens)?;
        let dims = &input.0;
        // Keras' compute_output_shape, with the batch axis counted: one_hot adds an axis unless
        // the last one is a single id; the other modes replace the last axis.
        let out = match (self.output_mode, dims.split_last()) {
            (_, None) => vec![Some(n)],
            (OutputMode::OneHot, Some((Some(1), rest))) => {
                let mut v = rest.to_vec();
                v.push(Some(n));
                v
            }
            (OutputMode::OneHot, Some(_)) => {
                let mut v = dims.to_vec();
                v.push(Some(n));
                v
            }
            (_, Some((_, rest))) => {
                let mut v = rest.to_vec();
                v.push(Some(n));
                v
            }
        };
        Ok(Output::One(Shape(out.into())))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        let how = match self.output_mode {
            OutputMode::OneHot => format!(
                "output_mode=\"one_hot\" turns each id of {input} into a vector of {} with a single 1: one more axis (unless the last axis is a single id).",
                self.num_tokens
            ),
            OutputMode::MultiHot => format!(
                "output_mode=\"multi_hot\" marks, for each sample of {input}, which of the {} categories occur: the last axis becomes {}.",
                self.num_tokens, self.num_tokens
            ),
            OutputMode::Count => format!(
                "output_mode=\"count\" counts, for each sample of {input}, how often each of the {} categories occurs: the last axis becomes {}.",
                self.num_tokens, self.num_tokens
            ),
        };
        no_weights(&mut e, self.class(), &how);
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "CategoryEncoding writes ones and counts into a vector: no weight products, so 0 MACs under this convention.".into()
        }))
    }
    fn brief(&self) -> String {
        format!(
            "CategoryEncoding {} {}",
            self.num_tokens,
            self.output_mode.as_str()
        )
    }
    fn knob(&self) -> Option<Knob> {
        Some(Knob {
            field: "num_tokens",
            value: KnobValue::Count(self.num_tokens),
        })
    }
    fn set_knob(&mut self, value: KnobValue) {
        if let KnobValue::Count(v) = value {
            self.num_tokens = v.max(1);
        }
    }
    name_and_trainable!();
}

/// What `Discretization` returns for each value's bin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinOutput {
    /// The bin's index, in place of the value: the shape is kept.
    #[default]
    Int,
    /// A vector per value with a 1 at its bin: adds an axis (unless the last one has size 1).
    OneHot,
    /// A vector per sample, 1 for each bin any of its values falls in, over the first axis
    /// after the batch.
    MultiHot,
    /// As `MultiHot`, counting the values in each bin.
    Count,
}

impl BinOutput {
    /// Keras' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            BinOutput::Int => "int",
            BinOutput::OneHot => "one_hot",
            BinOutput::MultiHot => "multi_hot",
            BinOutput::Count => "count",
        }
    }
}

/// `keras.layers.Discretization`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Discretization {
    /// Where each bin ends and the next begins: `n` boundaries make `n + 1` bins, the first
    /// from -inf and the last to +inf. `None` when `adapt()` is to learn them. Keras' default
    /// is `None`, which makes a layer it refuses; the picker starts from Keras' example, so a
    /// design writes `None` out.
    pub bin_boundaries: Option<Vec<f64>>,
    /// How many bins `adapt()` is to learn the boundaries of, instead of `bin_boundaries`.
    pub num_bins: Option<u64>,
    /// `adapt()`'s tolerance on its quantiles; no shape depends on it.
    pub epsilon: f64,
    /// The bins' indices, or one-hot, multi-hot or count vectors of them.
    pub output_mode: BinOutput,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Keras' `trainable`, which its constructor does not take: only `true` builds.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Discretization {
    fn default() -> Self {
        Self {
            bin_boundaries: Some(vec![0.0, 1.0, 2.0]),
            num_bins: None,
            epsilon: 0.01,
            output_mode: BinOutput::Int,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Discretization {
    const FACTS: KerasFacts = KerasFacts {
        // The boundaries lead, so Keras code always says them (the picker's differ from
        // Keras' default, None).
        positional: &[
            "bin_boundaries",
            "num_bins",
            "epsilon",
            "output_mode",
            "sparse",
        ],
        leading: 1,
        trainable_arg: false,
        ..KerasFacts::PLAIN
    };
}

impl Discretization {
    /// How many bins there are, as Keras' constructor checks the two ways of giving them.
    pub fn bins(&self) -> Result<u64, LayerError> {
        match (&self.bin_boundaries, self.num_bins) {
            (Some(edges), None) => u64::try_from(edges.len())
                .ok()
                .and_then(|n| n.checked_add(1))
                .ok_or(LayerError::Overflow),
            (None, Some(n)) => Ok(n),
            (Some(_), Some(_)) => Err(LayerError::field(
                "num_bins",
                "Both `num_bins` and `bin_boundaries` should not be set: keep the boundaries, or num_bins for adapt() to learn them",
            )),
            (None, None) => Err(LayerError::field(
                "bin_boundaries",
                "You need to set either `num_bins` or `bin_boundaries`: give the bins' edges, or how many bins adapt() is to find",
            )),
        }
    }
}

impl Kind for Discretization {
    fn auto_name(&self) -> &'static str {
        "discretization"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        if !self.trainable {
            return Err(LayerError::field(
                "trainable",
                "Keras' Discretization takes no trainable argument (it has no weights to freeze): remove it",
            ));
        }
        let depth = Some(self.bins()?);
        let dims = &input.0;
        // Keras' compute_output_shape: one_hot adds an axis unless the last one is a single
        // value; multi_hot and count drop the first axis after the batch.
        let out: Vec<_> = match (self.output_mode, dims.split_first(), dims.split_last()) {
            (BinOutput::Int, _, _) => return Ok(Output::One(input.clone())),
            (BinOutput::OneHot, _, Some((Some(1), rest))) => {
                rest.iter().copied().chain([depth]).collect()
            }
            (BinOutput::OneHot, _, _) => dims.iter().copied().chain([depth]).collect(),
            (_, Some((_, rest)), _) => rest.iter().copied().chain([depth]).collect(),
            (_, None, _) => {
                return Err(LayerError::shape(
                    "an axis besides the batch: Keras' multi_hot and count output of (batch,) has no batch axis",
                    input,
                    "give the input a feature axis, or use output_mode=\"int\" or \"one_hot\"",
                ));
            }
        };
        Ok(Output::One(Shape(out.into())))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        let bins = self.bins()?;
        let edges = match &self.bin_boundaries {
            Some(b) => format!("{} boundaries make {bins} bins", b.len()),
            None => format!("adapt() learns the boundaries of {bins} bins"),
        };
        let how = match self.output_mode {
            BinOutput::Int => format!(
                "{edges}; output_mode=\"int\" puts each value of {input} in its bin's index (int32): the same shape."
            ),
            BinOutput::OneHot => format!(
                "{edges}; output_mode=\"one_hot\" turns each value of {input} into a vector of {bins} with a single 1: one more axis (unless the last axis is a single value)."
            ),
            BinOutput::MultiHot => format!(
                "{edges}; output_mode=\"multi_hot\" marks which bins the values along the first axis of {input} fall in: that axis goes, and a last axis of {bins} comes."
            ),
            BinOutput::Count => format!(
                "{edges}; output_mode=\"count\" counts the values along the first axis of {input} in each bin: that axis goes, and a last axis of {bins} comes."
            ),
        };
        no_weights(&mut e, self.class(), &how);
        if self.bin_boundaries.is_none() {
            e.note("adapt() keeps the boundaries it learns as the layer's state, not as weights: 0 parameters either way.");
        }
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "Discretization compares values with the bins' edges: no weight products, so 0 MACs under this convention.".into()
        }))
    }
    fn brief(&self) -> String {
        let bins = match (&self.bin_boundaries, self.num_bins) {
            (Some(b), _) => format!("{} bins", b.len() + 1),
            (None, Some(n)) => format!("{n} bins to adapt"),
            (None, None) => "no bins".to_string(),
        };
        format!("Discretization {bins} {}", self.output_mode.as_str())
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}
