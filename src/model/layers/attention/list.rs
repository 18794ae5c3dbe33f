//! `Attention` and `AdditiveAttention`: called on a list `[query, value]` or
//! `[query, value, key]`, scores straight from the inputs (no projections), with at most a
//! learned scale.

use serde::{Deserialize, Serialize};

use super::{one_tensor, qvk, with_scores};
use crate::model::compute::{Tally, known};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::layers::{
    CallOptions, Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, MultiInput,
    is_true, known_last, yes,
};
use crate::model::shape::{Dim, Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, add, mul};

/// How `Attention` scores a query against a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScoreMode {
    /// The dot product of query and key.
    #[default]
    Dot,
    /// The sum of tanh(query + key) over the features, times a learned weight.
    Concat,
}

impl ScoreMode {
    /// Keras' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ScoreMode::Dot => "dot",
            ScoreMode::Concat => "concat",
        }
    }
}

/// `keras.layers.Attention`: Luong-style dot-product attention, called on a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Attention {
    /// A learned scalar multiplies the scores.
    pub use_scale: bool,
    /// How scores are computed.
    pub score_mode: ScoreMode,
    /// Dropout on the attention probabilities while training; changes no count.
    pub dropout: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the weights.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Attention {
    fn default() -> Self {
        Self {
            use_scale: false,
            score_mode: ScoreMode::Dot,
            dropout: 0.0,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Attention {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["use_scale", "score_mode", "dropout"],
        mask: MaskUse::KeepsQuery,
        ..KerasFacts::PLAIN
    };
}

/// `keras.layers.AdditiveAttention`: Bahdanau-style attention, called on a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdditiveAttention {
    /// A learned vector, one weight per feature, scales the tanh before it is summed.
    pub use_scale: bool,
    /// Dropout on the attention probabilities while training; changes no count.
    pub dropout: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the weights.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for AdditiveAttention {
    fn default() -> Self {
        Self {
            use_scale: true,
            dropout: 0.0,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for AdditiveAttention {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["use_scale", "dropout"],
        mask: MaskUse::KeepsQuery,
        ..KerasFacts::PLAIN
    };
}

/// The output and scores of `Attention` and `AdditiveAttention`, as Keras' shapes say:
/// the query's axes with the value's features, and the query's axes with the key's length.
fn list_attention(
    inputs: &[Shape],
    class: &str,
    options: CallOptions,
) -> Result<Output, LayerError> {
    let (q, v, k) = qvk(inputs, class)?;
    let mut out: Vec<Dim> = q.leading().to_vec();
    out.push(v.last().flatten());
    let mut scores: Vec<Dim> = q.leading().to_vec();
    // Keras reads key.shape[-2], which is the batch for a 2-D key.
    scores.push(k.0.len().checked_sub(2).and_then(|i| k.0[i]));
    Ok(with_scores(
        Shape(out.into()),
        Shape(scores.into()),
        options,
    ))
}

/// How many query–key pairs meet (times any extra leading axes), and that product written
/// out: `5 × 7`.
struct Pairs(u64, String);

/// The query–key pairs, the query's and the value's widths, for MACs.
fn list_pairs(inputs: &[Shape], class: &str) -> Result<(Pairs, u64, u64), LayerError> {
    let (q, v, k) = qvk(inputs, class)?;
    if q.0.len() < 2 || k.0.len() < 2 {
        return Err(LayerError::shape(
            "query and key with a length axis, to count MACs",
            format!("query {q} and key {k}"),
            "give them the shape (length, features)",
        ));
    }
    let mut sides = q.0[..q.0.len() - 2]
        .iter()
        .map(|&d| known(d, "size", q))
        .collect::<Result<Vec<u64>, _>>()?;
    sides.push(known(q.0[q.0.len() - 2], "query length", q)?);
    sides.push(known(k.0[k.0.len() - 2], "key length", k)?);
    let d = known_last(q, class)?;
    let dv = known_last(v, class)?;
    let text = sides
        .iter()
        .map(|&n| thousands(n))
        .collect::<Vec<_>>()
        .join(" × ");
    Ok((Pairs(mul(&sides)?, text), d, dv))
}

/// The weighted sum of values, the product every list attention makes.
fn weighted_sum(tally: &mut Tally, pairs: &Pairs, dv: u64) -> Result<u64, LayerError> {
    let n = mul(&[pairs.0, dv])?;
    Ok(tally.step(
        || {
            format!(
                "weighted sum: each of {} query–key pairs' score times a value of {dv}",
                thousands(pairs.0)
            )
        },
        || format!("{} × {dv}", pairs.1),
        n,
    ))
}

/// Sums the MAC steps and says what is counted.
fn list_total(tally: &mut Tally, values: &[u64]) -> Result<u64, LayerError> {
    let total = add(values)?;
    tally.note(|| "Attention's products (query·key scores and the scores' weighted sum of values) are counted as MACs, though they multiply activations rather than weights: they are most of the work on long sequences. The softmax and the scaling by a learned scalar are not counted.".into());
    Ok(tally.step(
        || "the sum".into(),
        || {
            values
                .iter()
                .map(|&n| thousands(n))
                .collect::<Vec<_>>()
                .join(" + ")
        },
        total,
    ))
}

impl Kind for Attention {
    fn auto_name(&self) -> &'static str {
        "attention"
    }
    multi_only!("Attention()([query, value]) or ([query, value, key])");
    fn brief(&self) -> String {
        let mut s = format!("Attention {}", self.score_mode.as_str());
        if self.use_scale {
            s.push_str(" scaled");
        }
        s
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}

impl MultiInput for Attention {
    fn slots(&self) -> &'static [&'static str] {
        &[]
    }
    fn arity(&self) -> (usize, Option<usize>) {
        (2, Some(3))
    }
    fn output(&self, inputs: &[Shape], options: CallOptions) -> Result<Output, LayerError> {
        list_attention(inputs, self.class(), options)
    }
    fn weights(&self, inputs: &[Shape], _: Convention, sink: Sink) -> Result<(), LayerError> {
        qvk(inputs, self.class())?;
        if self.use_scale {
            sink.put(Weight::new("scale", &[]));
        }
        if self.score_mode == ScoreMode::Concat {
            sink.put(Weight::new("concat_score_weight", &[]));
        }
        Ok(())
    }
    fn explain(&self, inputs: &[Shape], _: Convention) -> Result<Explanation, LayerError> {
        qvk(inputs, self.class())?;
        let mut e = Explanation::default();
        let scale = u64::from(self.use_scale);
        let concat = u64::from(self.score_mode == ScoreMode::Concat);
        if scale == 1 {
            e.step(
                "use_scale=True: one learned scalar multiplies the scores",
                "1",
                1,
            );
        }
        if concat == 1 {
            e.step(
                "score_mode=\"concat\": one learned scalar weighs the summed tanh(query + key)",
                "1",
                1,
            );
        }
        e.step("the sum", format!("{scale} + {concat}"), scale + concat);
        e.note("The scores come from the inputs themselves (no projections): the query and key must have the same features for the dot product, though Keras only finds out when the model runs.");
        e.note("The output takes the query's length and the value's features. Keras gives the scores (with return_attention_scores=True) the query's axes and the key's length.");
        e.note("PyTorch has no Attention layer: the export writes a small module with the same scalars, counted the same.");
        Ok(e)
    }
    fn macs(&self, inputs: &[Shape], _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let (pairs, d, dv) = list_pairs(inputs, self.class())?;
        let scores = match self.score_mode {
            ScoreMode::Dot => tally.step(
                || {
                    format!(
                        "scores: each of {} query–key pairs, a dot product of {d}",
                        thousands(pairs.0)
                    )
                },
                || format!("{} × {d}", pairs.1),
                mul(&[pairs.0, d])?,
            ),
            ScoreMode::Concat => tally.step(
                || {
                    "scores: score_mode=\"concat\" sums tanh(query + key), which multiplies nothing"
                        .into()
                },
                || "0".into(),
                0,
            ),
        };
        let sum = weighted_sum(tally, &pairs, dv)?;
        list_total(tally, &[scores, sum])
    }
}

impl Kind for AdditiveAttention {
    fn auto_name(&self) -> &'static str {
        "additive_attention"
    }
    multi_only!("AdditiveAttention()([query, value]) or ([query, value, key])");
    fn brief(&self) -> String {
        if self.use_scale {
            "AdditiveAttention".into()
        } else {
            "AdditiveAttention no-scale".into()
        }
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}

impl MultiInput for AdditiveAttention {
    fn slots(&self) -> &'static [&'static str] {
        &[]
    }
    fn arity(&self) -> (usize, Option<usize>) {
        (2, Some(3))
    }
    fn output(&self, inputs: &[Shape], options: CallOptions) -> Result<Output, LayerError> {
        let (q, _, _) = qvk(inputs, self.class())?;
        if self.use_scale {
            known_last(q, "AdditiveAttention's scale")?;
        }
        list_attention(inputs, self.class(), options)
    }
    fn weights(&self, inputs: &[Shape], _: Convention, sink: Sink) -> Result<(), LayerError> {
        let (q, _, _) = qvk(inputs, self.class())?;
        if self.use_scale {
            sink.put(Weight::new(
                "scale",
                &[known_last(q, "AdditiveAttention's scale")?],
            ));
        }
        Ok(())
    }
    fn explain(&self, inputs: &[Shape], _: Convention) -> Result<Explanation, LayerError> {
        let (q, _, _) = qvk(inputs, self.class())?;
        let mut e = Explanation::default();
        if self.use_scale {
            let d = known_last(q, "AdditiveAttention's scale")?;
            e.step(
                "use_scale=True: one learned weight per query feature scales tanh(query + key) before the sum",
                thousands(d),
                d,
            );
        } else {
            e.step("use_scale=False: AdditiveAttention has no weights", "0", 0);
        }
        e.note("The scores come from the inputs themselves (no projections): query and key must have the same features, though Keras only finds out when the model runs.");
        e.note("The output takes the query's length and the value's features.");
        e.note("PyTorch has no AdditiveAttention layer: the export writes a small module with the same scale, counted the same.");
        Ok(e)
    }
    fn macs(&self, inputs: &[Shape], _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let (pairs, d, dv) = list_pairs(inputs, self.class())?;
        let scores = if self.use_scale {
            tally.step(
                || format!("scores: for each of {} query–key pairs, {d} tanh values times their scale weights", thousands(pairs.0)),
                || format!("{} × {d}", pairs.1),
                mul(&[pairs.0, d])?,
            )
        } else {
            tally.step(
                || {
                    "scores: without a scale, the sum of tanh(query + key) multiplies nothing"
                        .into()
                },
                || "0".into(),
                0,
            )
        };
        let sum = weighted_sum(tally, &pairs, dv)?;
        list_total(tally, &[scores, sum])
    }
}
