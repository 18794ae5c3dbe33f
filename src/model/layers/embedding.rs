//! `Embedding`: a learned lookup table from integer token ids to vectors, and
//! `ReversibleEmbedding`, which can also project vectors back to token logits.

use serde::{Deserialize, Serialize};

use super::{
    Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, NONE_NOTE, Regularizer, is_true,
    other_convention_note, positive, regularizer_notes, yes,
};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, mul};

/// `keras.layers.Embedding`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Embedding {
    /// Vocabulary size: token ids run from 0 to `input_dim - 1`.
    pub input_dim: u64,
    /// Length of each token's vector.
    pub output_dim: u64,
    /// Treat id 0 as padding and mask it for later layers; changes no count.
    pub mask_zero: bool,
    /// Penalty on the table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embeddings_regularizer: Option<Regularizer>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the table (e.g. pretrained vectors).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Embedding {
    fn default() -> Self {
        Self {
            input_dim: 10_000,
            output_dim: 64,
            mask_zero: false,
            embeddings_regularizer: None,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Embedding {
    const FACTS: KerasFacts = KerasFacts {
        required: &["input_dim", "output_dim"],
        positional: &[
            "input_dim",
            "output_dim",
            "embeddings_initializer",
            "embeddings_regularizer",
            "embeddings_constraint",
            "mask_zero",
        ],
        leading: 2,
        token_ids: true,
        ..KerasFacts::PLAIN
    };
}

impl Kind for Embedding {
    fn auto_name(&self) -> &'static str {
        "embedding"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        positive("input_dim", self.input_dim)?;
        let out = positive("output_dim", self.output_dim)?;
        mul(&[self.input_dim, out])?;
        let Shape(mut dims) = input.clone();
        dims.push(Some(out));
        Ok(Output::One(Shape(dims)))
    }
    fn weights(&self, _: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let name = match convention {
            Convention::Keras => "embeddings",
            Convention::PyTorch => "weight",
        };
        sink.put(Weight::new(name, &[self.input_dim, self.output_dim]));
        Ok(())
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        e.step(
            format!(
                "one learned vector of {} numbers for each of the {} token ids",
                thousands(self.output_dim),
                thousands(self.input_dim)
            ),
            format!(
                "{} × {}",
                thousands(self.input_dim),
                thousands(self.output_dim)
            ),
            mul(&[self.input_dim, self.output_dim])?,
        );
        e.note("The sequence length does not change the count: every position looks up the same table. Each input value is a token id; the output adds an axis of output_dim.");
        e.note("Embedding expects integer ids (an int input); Keras casts floats to integers, which is rarely what was meant after a Dense layer.");
        if self.mask_zero {
            e.note("mask_zero=True marks id 0 as padding for later layers; the table still has a row for it.");
        }
        e.note(NONE_NOTE);
        other_convention_note(
            &mut e,
            self,
            input,
            convention,
            "nn.Embedding(num_embeddings, embedding_dim) holds the same table.",
        );
        regularizer_notes(
            &mut e,
            &[("embeddings_regularizer", self.embeddings_regularizer)],
        );
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "Embedding looks each token's vector up in its table: a copy, not a multiplication (the one-hot matrix product it equals is never computed).".into()
        }))
    }
    fn brief(&self) -> String {
        let mut s = format!("Embedding {}→{}", self.input_dim, self.output_dim);
        if self.mask_zero {
            s.push_str(" mask0");
        }
        s
    }
    fn knob(&self) -> Option<Knob> {
        Some(Knob {
            field: "output_dim",
            value: KnobValue::Count(self.output_dim),
        })
    }
    fn set_knob(&mut self, value: KnobValue) {
        if let KnobValue::Count(v) = value {
            self.output_dim = v.max(1);
        }
    }
    name_and_trainable!();
}

/// `keras.layers.ReversibleEmbedding`: an `Embedding` that can also map vectors back to
/// token logits, with its own table for that (`tie_weights=False`) or the same one transposed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReversibleEmbedding {
    /// Vocabulary size: token ids run from 0 to `input_dim - 1`.
    pub input_dim: u64,
    /// Length of each token's vector.
    pub output_dim: u64,
    /// Reuse the table, transposed, for the reverse projection: no second table.
    pub tie_weights: bool,
    /// Treat id 0 as padding and mask it for later layers; changes no count.
    pub mask_zero: bool,
    /// Caps the reverse logits with `tanh(x / cap) * cap`; changes no count.
    pub logit_soft_cap: Option<f64>,
    /// Penalty on the table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embeddings_regularizer: Option<Regularizer>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the tables.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for ReversibleEmbedding {
    fn default() -> Self {
        Self {
            input_dim: 10_000,
            output_dim: 64,
            tie_weights: true,
            mask_zero: false,
            logit_soft_cap: None,
            embeddings_regularizer: None,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for ReversibleEmbedding {
    const FACTS: KerasFacts = KerasFacts {
        required: &["input_dim", "output_dim"],
        positional: &["input_dim", "output_dim", "tie_weights"],
        leading: 2,
        token_ids: true,
        ..KerasFacts::PLAIN
    };
}

impl Kind for ReversibleEmbedding {
    fn auto_name(&self) -> &'static str {
        "reversible_embedding"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        positive("input_dim", self.input_dim)?;
        let out = positive("output_dim", self.output_dim)?;
        mul(&[2, self.input_dim, out])?;
        let Shape(mut dims) = input.clone();
        dims.push(Some(out));
        Ok(Output::One(Shape(dims)))
    }
    fn weights(&self, _: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let (table, reverse) = match convention {
            Convention::Keras => ("embeddings", "reverse_embeddings"),
            Convention::PyTorch => ("weight", "reverse_weight"),
        };
        sink.put(Weight::new(table, &[self.input_dim, self.output_dim]));
        if !self.tie_weights {
            sink.put(Weight::new(reverse, &[self.output_dim, self.input_dim]));
        }
        Ok(())
    }
    fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        let table = mul(&[self.input_dim, self.output_dim])?;
        e.step(
            format!(
                "embeddings: one learned vector of {} numbers for each of the {} token ids",
                thousands(self.output_dim),
                thousands(self.input_dim)
            ),
            format!(
                "{} × {}",
                thousands(self.input_dim),
                thousands(self.output_dim)
            ),
            table,
        );
        if self.tie_weights {
            e.note("tie_weights=True: the reverse projection (vectors back to token logits) reuses the same table transposed, so it adds no parameters.");
        } else {
            e.step(
                format!(
                    "tie_weights=False: plus reverse_embeddings, its own {} × {} table for the reverse projection",
                    thousands(self.output_dim),
                    thousands(self.input_dim)
                ),
                format!("{} + {} × {}", thousands(table), thousands(self.output_dim), thousands(self.input_dim)),
                mul(&[2, table])?,
            );
        }
        e.note("In a Sequential model the layer runs forwards only (a lookup); the reverse table is counted because Keras builds it.");
        e.note(NONE_NOTE);
        e.note("PyTorch has no ReversibleEmbedding: the export writes nn.Embedding plus, untied, an nn.Parameter for the reverse table, so it counts the same.");
        regularizer_notes(
            &mut e,
            &[("embeddings_regularizer", self.embeddings_regularizer)],
        );
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "ReversibleEmbedding run forwards looks each token's vector up in its table: a copy, not a multiplication.".into()
        }))
    }
    fn brief(&self) -> String {
        let mut s = format!("ReversibleEmbedding {}→{}", self.input_dim, self.output_dim);
        if !self.tie_weights {
            s.push_str(" untied");
        }
        s
    }
    fn knob(&self) -> Option<Knob> {
        Some(Knob {
            field: "output_dim",
            value: KnobValue::Count(self.output_dim),
        })
    }
    fn set_knob(&mut self, value: KnobValue) {
        if let KnobValue::Count(v) = value {
            self.output_dim = v.max(1);
        }
    }
    name_and_trainable!();
}
