//! `Normalization`: standardises features with a mean and variance that are either given or
//! learned by `adapt()` (then Keras keeps them, with a sample count, as non-trainable weights).

use serde::{Deserialize, Serialize};

use super::norm::axes_shape;
use super::{Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, NONE_NOTE, is_true, yes};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, add, mul};

/// A mean or variance given to the constructor: one number for every feature, or one per
/// feature of the last normalised axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Stat {
    /// The same value everywhere.
    One(f64),
    /// One value per position of the last normalised axis.
    Each(Vec<f64>),
}

/// `keras.layers.Normalization`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Normalization {
    /// The axes that keep their own statistics (-1: the last), counted with the batch as axis
    /// 0; empty: one mean and variance for everything.
    pub axis: Vec<i64>,
    /// The mean to subtract; `None` until `adapt()` learns it.
    pub mean: Option<Stat>,
    /// The variance to divide by (its square root); given together with `mean`.
    pub variance: Option<Stat>,
    /// Undo the normalisation instead (multiply and add back).
    #[serde(skip_serializing_if = "super::is_false")]
    pub invert: bool,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Keras' `trainable`; the statistics are never trained.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Normalization {
    fn default() -> Self {
        Self {
            axis: vec![-1],
            mean: None,
            variance: None,
            invert: false,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Normalization {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["axis", "mean", "variance", "invert"],
        ..KerasFacts::PLAIN
    };
}

impl Normalization {
    /// The shape of the learned mean and variance: the input's sizes on the kept axes, in
    /// axis order (Keras sorts them).
    pub fn stats_shape(&self, input: &Shape) -> Result<([u64; 5], usize), LayerError> {
        let rank = i64::try_from(input.ndim()).map_err(|_| LayerError::Overflow)?;
        let mut axes: Vec<i64> = self
            .axis
            .iter()
            .map(|&a| if a < 0 { a + rank } else { a })
            .collect();
        axes.sort_unstable();
        axes_shape(input, &axes)
    }

    /// Keras' checks of a given mean and variance: both or neither, the same shape, and a
    /// list as long as the last kept axis (or 1).
    fn check_given(&self, dims: &[u64]) -> Result<(), LayerError> {
        let len = |s: &Stat| match s {
            Stat::One(_) => None,
            Stat::Each(v) => Some(v.len() as u64),
        };
        match (&self.mean, &self.variance) {
            (None, None) => Ok(()),
            (Some(_), None) | (None, Some(_)) => Err(LayerError::field(
                "mean",
                "When setting values directly, both `mean` and `variance` must be set: give both, or neither and call adapt()",
            )),
            (Some(m), Some(v)) if len(m) != len(v) => Err(LayerError::field(
                "variance",
                "When setting values directly, `mean` and `variance` must have the same shape",
            )),
            (Some(m), Some(_)) => match (len(m), dims.last()) {
                (None, _) => Ok(()),
                (Some(_), None) => Err(LayerError::field(
                    "mean",
                    "a list of means needs an axis to lie along: give one number, or set axis",
                )),
                (Some(n), Some(&d)) if n == d || n == 1 => Ok(()),
                (Some(n), Some(&d)) => Err(LayerError::field(
                    "mean",
                    format!(
                        "has {n} values, but the last normalised axis has {d}: give {d} values, or one number"
                    ),
                )),
            },
        }
    }

    /// Whether the statistics are given to the constructor (no weights) or learned.
    fn given(&self) -> bool {
        self.mean.is_some()
    }
}

impl Kind for Normalization {
    fn auto_name(&self) -> &'static str {
        "normalization"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let (dims, rank) = self.stats_shape(input)?;
        self.check_given(&dims[..rank])?;
        mul(&dims[..rank])?;
        Ok(Output::One(input.clone()))
    }
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let (dims, rank) = self.stats_shape(input)?;
        if self.given() || convention == Convention::PyTorch {
            return Ok(());
        }
        sink.put(Weight::new("mean", &dims[..rank]).frozen());
        sink.put(Weight::new("variance", &dims[..rank]).frozen());
        sink.put(Weight::new("count", &[]).frozen());
        Ok(())
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let (dims, rank) = self.stats_shape(input)?;
        let shape = &dims[..rank];
        let mut e = Explanation::default();
        if self.given() {
            e.step(
                "mean and variance given to the constructor: constants, not weights",
                "0",
                0,
            );
            e.note("With mean= and variance= set, Keras stores them as plain constants, so Normalization has 0 parameters.");
        } else {
            let n = mul(shape)?;
            let expr = if shape.is_empty() {
                "1 (axis=None: one value for everything)".to_string()
            } else {
                shape
                    .iter()
                    .map(|&d| thousands(d))
                    .collect::<Vec<_>>()
                    .join(" × ")
            };
            e.step(
                format!(
                    "one mean and one variance per position of the axes {:?}",
                    self.axis
                ),
                expr,
                n,
            );
            let stats = mul(&[2, n])?;
            e.step(
                "non-trainable: mean and variance",
                format!("2 × {}", thousands(n)),
                stats,
            );
            let total = add(&[stats, 1])?;
            e.step(
                "non-trainable: plus count, the number of samples adapt() has seen",
                format!("{} + 1", thousands(stats)),
                total,
            );
            e.note("adapt() computes these statistics from data; no gradient changes them, so Keras counts all of them as non-trainable parameters.");
            if convention == Convention::PyTorch {
                e.note("PyTorch keeps such statistics as buffers, not parameters: it counts 0.");
            }
        }
        if self.invert {
            e.note("invert=True undoes the normalisation (x × sqrt(variance) + mean); the count is the same.");
        }
        e.note(NONE_NOTE);
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "Normalization subtracts a mean and divides by a standard deviation: element-wise work, not a weight product, so 0 MACs under this convention.".into()
        }))
    }
    fn brief(&self) -> String {
        let mut s = "Normalization".to_string();
        if self.given() {
            s.push_str(" given");
        }
        if self.invert {
            s.push_str(" invert");
        }
        s
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}
