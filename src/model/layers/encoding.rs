//! `CategoryEncoding`: integer category ids as one-hot, multi-hot or count vectors; no
//! weights, and an output rank that depends on the input's.

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
