//! Shape-only layers: `Flatten`, `RepeatVector`, `Reshape`, `Permute`. They move numbers around
//! and hold no weights.

use serde::{Deserialize, Serialize};
use smallvec::smallvec;

use super::{
    Catalogued, DataFormat, Keras, KerasFacts, Kind, Knob, KnobValue, is_true, no_weights,
    positive, yes,
};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::shape::{Dim, Output, Overflow, Shape};
use crate::model::weights::{Convention, Sink, mul};

/// `keras.layers.Flatten`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Flatten {
    /// Channel order before flattening; changes the element order, not the count.
    pub data_format: DataFormat,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Flatten {
    fn default() -> Self {
        Self {
            data_format: DataFormat::ChannelsLast,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Flatten {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["data_format"],
        ..KerasFacts::PLAIN
    };
}

impl Kind for Flatten {
    fn auto_name(&self) -> &'static str {
        "flatten"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let flat = if input.0.is_empty() {
            Some(1)
        } else {
            input.elements()?
        };
        Ok(Output::One(Shape(smallvec![flat])))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        no_weights(
            &mut e,
            "Flatten",
            &format!("Flatten lays every value of {input} per sample out in one row."),
        );
        e.note("PyTorch's nn.Flatten has no parameters either.");
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "Flatten only lays the values out in one row: no arithmetic.".into()
        }))
    }
    fn brief(&self) -> String {
        "Flatten".into()
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}

/// `keras.layers.RepeatVector`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepeatVector {
    /// How many times the vector is repeated: the new time axis.
    pub n: u64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for RepeatVector {
    fn default() -> Self {
        Self {
            n: 10,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for RepeatVector {
    const FACTS: KerasFacts = KerasFacts {
        required: &["n"],
        positional: &["n"],
        leading: 1,
        ..KerasFacts::PLAIN
    };
}

impl Kind for RepeatVector {
    fn auto_name(&self) -> &'static str {
        "repeat_vector"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let n = positive("n", self.n)?;
        if input.ndim() != 2 {
            return Err(LayerError::shape(
                "2-D input (batch, features)",
                input,
                "RepeatVector repeats one vector per sample: put it after a layer that outputs (None, features), e.g. an LSTM with return_sequences=False",
            ));
        }
        Ok(Output::One(Shape(smallvec![Some(n), input.0[0]])))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        no_weights(
            &mut e,
            "RepeatVector",
            &format!(
                "RepeatVector copies each sample's vector {} times into a sequence (typical between an encoder and a decoder).",
                self.n
            ),
        );
        e.note("PyTorch has no RepeatVector module (x.unsqueeze(1).repeat(1, n, 1) does it); no parameters either way.");
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "RepeatVector only copies its input n times: no arithmetic.".into()
        }))
    }
    fn brief(&self) -> String {
        format!("RepeatVector {}", self.n)
    }
    fn knob(&self) -> Option<Knob> {
        Some(Knob {
            field: "n",
            value: KnobValue::Count(self.n),
        })
    }
    fn set_knob(&mut self, value: KnobValue) {
        if let KnobValue::Count(v) = value {
            self.n = v.max(1);
        }
    }
    name_and_trainable!();
}

/// `keras.layers.Reshape`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reshape {
    /// The new shape without the batch; one entry may be -1 (inferred).
    pub target_shape: Vec<i64>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Reshape {
    fn default() -> Self {
        Self {
            target_shape: vec![-1, 1],
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Reshape {
    const FACTS: KerasFacts = KerasFacts {
        required: &["target_shape"],
        positional: &["target_shape"],
        leading: 1,
        ..KerasFacts::PLAIN
    };
}

impl Kind for Reshape {
    fn auto_name(&self) -> &'static str {
        "reshape"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let mut unknown = None;
        let mut known: Vec<Dim> = Vec::with_capacity(self.target_shape.len());
        for (i, &d) in self.target_shape.iter().enumerate() {
            match d {
                -1 if unknown.is_none() => {
                    unknown = Some(i);
                    known.push(None);
                }
                -1 => {
                    return Err(LayerError::field(
                        "target_shape",
                        "at most one dimension may be -1 (inferred)",
                    ));
                }
                d if d <= 0 => {
                    return Err(LayerError::field(
                        "target_shape",
                        format!("{d} is not a size: use positive sizes and at most one -1"),
                    ));
                }
                d => known.push(Some(d.unsigned_abs())),
            }
        }
        let target_known: Vec<u64> = known.iter().flatten().copied().collect();
        let known_product = mul(&target_known)?;
        let Some(total) = input.elements()? else {
            // An open input dimension leaves the inferred one open too, as in Keras.
            return Ok(Output::One(Shape(known.into())));
        };
        let target = format!(
            "({})",
            self.target_shape
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        match unknown {
            None if known_product == total => Ok(Output::One(Shape(known.into()))),
            Some(i) if known_product != 0 && total % known_product == 0 => {
                known[i] = Some(total / known_product);
                Ok(Output::One(Shape(known.into())))
            }
            _ => Err(LayerError::shape(
                format!("a target_shape {target} holding exactly the input's {total} values"),
                input,
                format!(
                    "the total size must be unchanged: pick sizes whose product is {total}, or put -1 in one place to infer it"
                ),
            )),
        }
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        no_weights(
            &mut e,
            "Reshape",
            &format!("Reshape rearranges the values of {input} per sample without changing them."),
        );
        e.note("-1 in target_shape is inferred so the element count stays the same.");
        e.note("PyTorch does this with x.view / x.reshape (or nn.Unflatten); no parameters.");
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "Reshape only changes how the values are indexed: no arithmetic.".into()
        }))
    }
    fn brief(&self) -> String {
        format!(
            "Reshape ({})",
            self.target_shape
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}

/// `keras.layers.Permute`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Permute {
    /// The new order of the axes, counted from 1 (the batch stays first): `[2, 1]` swaps two.
    #[serde(deserialize_with = "permutation")]
    pub dims: Vec<u64>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Permute {
    fn default() -> Self {
        Self {
            dims: vec![2, 1],
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Permute {
    const FACTS: KerasFacts = KerasFacts {
        required: &["dims"],
        positional: &["dims"],
        leading: 1,
        ..KerasFacts::PLAIN
    };
}

/// Why `dims` is not an order of the axes 1..n, as Keras refuses it when the layer is made.
fn not_a_permutation(dims: &[u64]) -> Option<String> {
    let mut sorted = dims.to_vec();
    sorted.sort_unstable();
    let consecutive = sorted.iter().zip(1u64..).all(|(&d, i)| d == i);
    (!consecutive || dims.is_empty()).then(|| {
        let n = dims.len().max(1);
        format!(
            "{dims:?} is not a permutation: the axes must be 1..{n} each once (the batch axis 0 never moves), e.g. {:?}",
            (1..=u64::try_from(n).unwrap_or(1)).rev().collect::<Vec<_>>()
        )
    })
}

/// Reads `dims`, refusing what Keras refuses at construction.
fn permutation<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
    let dims = Vec::<u64>::deserialize(d)?;
    match not_a_permutation(&dims) {
        Some(why) => Err(serde::de::Error::custom(format!("dims: {why}"))),
        None => Ok(dims),
    }
}

impl Kind for Permute {
    fn auto_name(&self) -> &'static str {
        "permute"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        if let Some(why) = not_a_permutation(&self.dims) {
            return Err(LayerError::field("dims", why));
        }
        if input.0.len() != self.dims.len() {
            return Err(LayerError::shape(
                format!(
                    "{}-D input (batch and {} axes to reorder)",
                    self.dims.len() + 1,
                    self.dims.len()
                ),
                input,
                format!(
                    "dims orders every axis but the batch: give {} entries for this input",
                    input.0.len()
                ),
            ));
        }
        let dims = self
            .dims
            .iter()
            .map(|&d| {
                usize::try_from(d - 1)
                    .ok()
                    .and_then(|i| input.0.get(i).copied())
                    .ok_or(Overflow)
            })
            .collect::<Result<Vec<Dim>, _>>()?;
        Ok(Output::One(Shape(dims.into())))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        no_weights(
            &mut e,
            "Permute",
            &format!(
                "Permute reorders the axes of {input} as {:?} (axis 1 is the first after the batch) without changing any value.",
                self.dims
            ),
        );
        e.note("PyTorch does this with x.permute(0, ...): no parameters.");
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "Permute only changes the order of the axes: no arithmetic.".into()
        }))
    }
    fn brief(&self) -> String {
        let dims: Vec<String> = self.dims.iter().map(u64::to_string).collect();
        format!("Permute ({})", dims.join(", "))
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}
