//! The merge layers, called on a list of tensors: the element-wise ones (`Add`, `Subtract`,
//! `Multiply`, `Average`, `Maximum`, `Minimum`, which broadcast as Keras' `_Merge` does),
//! `Concatenate` (one axis grows, the others must agree) and `Dot` (a product along one axis of
//! each). None has weights.

use serde::{Deserialize, Serialize};

use super::{
    CallOptions, Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, MultiInput,
};
use super::{is_true, merge_agree, no_weights, yes};
use crate::model::compute::{Tally, known_product, zero};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Dim, Dims, Output, Overflow, Shape};
use crate::model::weights::{Convention, Sink};

/// Keras' refusal of a merge layer given one tensor instead of a list.
fn not_a_list(class: &str, input: &Shape) -> LayerError {
    LayerError::shape(
        "a list of tensors",
        input,
        format!("call {class} on a list of tensors in a graph, e.g. {class}()([a, b])"),
    )
}

/// The list of shapes as Keras prints it: `[(None, 4), (None, 4)]`.
fn listed(inputs: &[Shape]) -> Output {
    Output::Many(inputs.to_vec())
}

/// Refuses a call with fewer or more tensors than the kind takes. Inlined, with the refusal
/// apart: every merge in a graph is checked.
#[inline]
fn check_arity(
    class: &str,
    inputs: &[Shape],
    (least, most): (usize, Option<usize>),
) -> Result<(), LayerError> {
    let n = inputs.len();
    if n >= least && most.is_none_or(|m| n <= m) {
        return Ok(());
    }
    Err(wrong_arity(class, inputs, (least, most)))
}

/// Why a call's count of tensors is refused, and what to do.
#[cold]
fn wrong_arity(class: &str, inputs: &[Shape], (least, most): (usize, Option<usize>)) -> LayerError {
    let needs = match most {
        Some(m) if m == least => format!("exactly {least} input tensors"),
        Some(m) => format!("{least} to {m} input tensors"),
        None => format!("at least {least} input tensor(s)"),
    };
    LayerError::shape(
        needs,
        listed(inputs),
        format!("call {class} on a list of that many tensors"),
    )
}

/// Keras' `_compute_elemwise_op_output_shape`: trailing axes line up; an axis of size 1
/// stretches, an open one stays open, any other pair must be equal.
fn broadcast(a: &[Dim], b: &[Dim], inputs: &[Shape]) -> Result<Dims, LayerError> {
    if a.len() < b.len() {
        return broadcast(b, a, inputs);
    }
    let lead = a.len() - b.len();
    let mut out: Dims = a[..lead].iter().copied().collect();
    for (&i, &j) in a[lead..].iter().zip(b) {
        out.push(match (i, j) {
            (None, _) | (_, None) => None,
            (Some(1), j) => j,
            (i, Some(1)) => i,
            (Some(i), Some(j)) if i == j => Some(i),
            _ => {
                let why = merge_agree::conflict(inputs).unwrap_or_default();
                return Err(LayerError::shape(
                    "shapes that agree or broadcast (equal sizes, or 1, on each trailing axis)",
                    listed(inputs),
                    format!(
                        "{why}: give the tensors the same sizes (e.g. the same units on the layers before it), or project one of them with a Dense"
                    ),
                ));
            }
        });
    }
    Ok(out)
}

/// The shape of an element-wise merge of `inputs`.
fn elementwise(inputs: &[Shape]) -> Result<Shape, LayerError> {
    // Equal shapes, as in a residual block, need no broadcasting.
    if let Some(first) = inputs.first() {
        if inputs[1..].iter().all(|s| s == first) {
            return Ok(first.clone());
        }
    }
    let mut dims: Dims = inputs.first().map(|s| s.clone().0).unwrap_or_default();
    for s in &inputs[1.min(inputs.len())..] {
        dims = broadcast(&dims, &s.0, inputs)?;
    }
    Ok(Shape(dims))
}

/// The rule a merge's shapes must follow, with the real shapes: `shapes must agree on the
/// axes multiplied along (axes=-1): (None, 8), (None, 8)`.
fn must(rule: &str, inputs: &[Shape]) -> String {
    let shapes: Vec<String> = inputs.iter().map(ToString::to_string).collect();
    format!("shapes must {rule}: {}", shapes.join(", "))
}

/// The "no weights" derivation of a merge: why its shapes (the real ones) agree.
fn merge_explanation(class: &str, why: &str, out: &Output) -> Explanation {
    let mut e = Explanation::default();
    e.step(format!("{class} has no weights; {why} → {out}"), "0", 0);
    e.note(format!(
        "{class} combines tensors with fixed arithmetic; it learns nothing, so it has 0 parameters."
    ));
    e.note(super::NONE_NOTE);
    e
}

/// Writes the element-wise merge kinds: each a name, a `trainable` flag and its Keras facts.
macro_rules! elementwise_merges {
    ($($(#[$doc:meta])* $ty:ident = $auto:literal, $op:literal, $arity:expr;)+) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $ty {
            /// A name instead of Keras' automatic one.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub name: Option<String>,
            /// Kept for round trips; nothing to freeze.
            #[serde(default = "yes", skip_serializing_if = "is_true")]
            pub trainable: bool,
        }

        impl Default for $ty {
            fn default() -> Self {
                Self { name: None, trainable: true }
            }
        }

        impl Keras for $ty {
            const FACTS: KerasFacts = KerasFacts {
                mask: MaskUse::Ors,
                ..KerasFacts::PLAIN
            };
        }

        impl Kind for $ty {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                Err(not_a_list(self.class(), input))
            }
            fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
                Ok(())
            }
            fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
                let mut e = Explanation::default();
                no_weights(&mut e, self.class(), concat!("It ", $op, " its input tensors element by element."));
                Ok(e)
            }
            fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                Ok(zero(tally, self.class(), || concat!("It ", $op, " tensors element by element.").into()))
            }
            fn brief(&self) -> String {
                self.class().into()
            }
            fn knob(&self) -> Option<Knob> {
                None
            }
            fn set_knob(&mut self, _: KnobValue) {}
            fn multi(&self) -> Option<&dyn MultiInput> {
                Some(self)
            }
            name_and_trainable!();
        }

        impl MultiInput for $ty {
            fn slots(&self) -> &'static [&'static str] {
                &[]
            }
            fn arity(&self) -> (usize, Option<usize>) {
                $arity
            }
            fn output(&self, inputs: &[Shape], _: CallOptions) -> Result<Output, LayerError> {
                check_arity(self.class(), inputs, self.arity())?;
                Ok(Output::One(elementwise(inputs)?))
            }
            fn weights(&self, _: &[Shape], _: Convention, _: Sink) -> Result<(), LayerError> {
                Ok(())
            }
            fn explain(&self, inputs: &[Shape], _: Convention) -> Result<Explanation, LayerError> {
                let out = MultiInput::output(self, inputs, CallOptions::default())?;
                Ok(merge_explanation(
                    self.class(),
                    &merge_agree::elementwise(self.class(), inputs),
                    &out,
                ))
            }
            fn macs(&self, _: &[Shape], _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                Ok(zero(tally, self.class(), || concat!("It ", $op, " tensors element by element.").into()))
            }
        }
    )+};
}

elementwise_merges! {
    /// `keras.layers.Add`: the element-wise sum of its inputs.
    Add = "add", "adds", (1, None);
    /// `keras.layers.Subtract`: the first input minus the second.
    Subtract = "subtract", "subtracts", (2, Some(2));
    /// `keras.layers.Multiply`: the element-wise product of its inputs.
    Multiply = "multiply", "multiplies", (1, None);
    /// `keras.layers.Average`: the element-wise mean of its inputs.
    Average = "average", "averages", (1, None);
    /// `keras.layers.Maximum`: the element-wise maximum of its inputs.
    Maximum = "maximum", "takes the maximum of", (1, None);
    /// `keras.layers.Minimum`: the element-wise minimum of its inputs.
    Minimum = "minimum", "takes the minimum of", (1, None);
}

/// `keras.layers.Concatenate`: joins its inputs along `axis`; every other axis must agree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Concatenate {
    /// The axis that grows, counting the batch as 0 (-1: the last).
    pub axis: i64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Concatenate {
    fn default() -> Self {
        Self {
            axis: -1,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Concatenate {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["axis"],
        mask: MaskUse::Joins,
        ..KerasFacts::PLAIN
    };
}

/// The position (without the batch) of `axis` in a tensor of `rank` dimensions without the
/// batch, as Python indexes the full shape; `None` for the batch axis or one out of range.
fn feature_axis(axis: i64, rank: usize) -> Option<usize> {
    let full = i64::try_from(rank).ok()? + 1;
    let a = if axis < 0 { axis + full } else { axis };
    (1..full)
        .contains(&a)
        .then(|| usize::try_from(a - 1).ok())
        .flatten()
}

impl Concatenate {
    /// The shape of `inputs` joined on the layer's axis (Keras joins their masks the same way).
    pub(crate) fn joined(&self, inputs: &[Shape]) -> Result<Shape, LayerError> {
        check_arity("Concatenate", inputs, (1, None))?;
        let first = &inputs[0];
        let Some(at) = feature_axis(self.axis, first.0.len()) else {
            return Err(LayerError::field(
                "axis",
                format!(
                    "axis {} is not a feature axis of {first} (use -1 for the last, or 1..{} counting the batch as 0)",
                    self.axis,
                    first.0.len()
                ),
            ));
        };
        let mismatch = || {
            LayerError::shape(
                format!(
                    "tensors whose shapes agree on every axis but the concatenation axis ({})",
                    self.axis
                ),
                listed(inputs),
                "give the tensors the same rank and the same sizes on the other axes, or concatenate on another axis",
            )
        };
        let mut out = first.clone();
        let mut open = false;
        for s in &inputs[1..] {
            if s.0.len() != first.0.len() {
                return Err(mismatch());
            }
            for (i, (&a, &b)) in first.0.iter().zip(&s.0).enumerate() {
                if i != at && matches!((a, b), (Some(a), Some(b)) if a != b) {
                    return Err(mismatch());
                }
            }
            // Keras stops summing at the first open size: the axis stays open.
            if !open {
                match (out.0[at], s.0[at]) {
                    (Some(a), Some(b)) => {
                        out.0[at] = Some(a.checked_add(b).ok_or(Overflow)?);
                    }
                    _ => {
                        out.0[at] = None;
                        open = true;
                    }
                }
            }
        }
        Ok(out)
    }
}

impl Kind for Concatenate {
    fn auto_name(&self) -> &'static str {
        "concatenate"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        Err(not_a_list(self.class(), input))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        no_weights(
            &mut e,
            self.class(),
            "It joins its input tensors along one axis.",
        );
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "It copies tensors side by side.".into()
        }))
    }
    fn brief(&self) -> String {
        if self.axis == -1 {
            "Concatenate".into()
        } else {
            format!("Concatenate axis={}", self.axis)
        }
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    fn multi(&self) -> Option<&dyn MultiInput> {
        Some(self)
    }
    name_and_trainable!();
}

impl MultiInput for Concatenate {
    fn slots(&self) -> &'static [&'static str] {
        &[]
    }
    fn arity(&self) -> (usize, Option<usize>) {
        (1, None)
    }
    fn output(&self, inputs: &[Shape], _: CallOptions) -> Result<Output, LayerError> {
        self.joined(inputs).map(Output::One)
    }
    fn weights(&self, _: &[Shape], _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, inputs: &[Shape], _: Convention) -> Result<Explanation, LayerError> {
        let out = Output::One(self.joined(inputs)?);
        let rank = inputs.first().map_or(0, |s| s.0.len());
        let why = match feature_axis(self.axis, rank) {
            Some(at) => merge_agree::concatenated(inputs, at),
            None => must(
                &format!("agree on every axis but axis {}", self.axis),
                inputs,
            ),
        };
        Ok(merge_explanation(self.class(), &why, &out))
    }
    fn macs(&self, _: &[Shape], _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "It copies tensors side by side.".into()
        }))
    }
}

/// `keras.layers.Dot`: sums the products of two tensors along one axis of each (cosine
/// similarity with `normalize`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Dot {
    /// The axis of each input to multiply along, counting the batch as 0: one number for
    /// both, or one per input (Keras' `axes=1` or `axes=(2, 2)`).
    pub axes: Vec<i64>,
    /// L2-normalise both inputs along those axes first (cosine similarity).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub normalize: bool,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Dot {
    fn default() -> Self {
        Self {
            axes: vec![-1],
            normalize: false,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Dot {
    const FACTS: KerasFacts = KerasFacts {
        required: &["axes"],
        positional: &["axes", "normalize"],
        leading: 1,
        ..KerasFacts::PLAIN
    };
}

impl Dot {
    /// The axis of each input (positions in the full shape, batch = 0), as Keras resolves
    /// `axes` against both ranks.
    fn resolved(&self, a: &Shape, b: &Shape) -> Result<(usize, usize), LayerError> {
        let pick = |axis: i64, s: &Shape| {
            let full = i64::try_from(s.ndim()).map_err(|_| LayerError::Overflow)?;
            let i = if axis < 0 {
                axis.rem_euclid(full)
            } else {
                axis
            };
            match usize::try_from(i) {
                Ok(i) if i >= 1 && i < s.ndim() => Ok(i),
                _ => Err(LayerError::field(
                    "axes",
                    format!(
                        "axis {axis} is not a feature axis of {s} (use -1 for the last, or 1..{} counting the batch as 0)",
                        s.ndim() - 1
                    ),
                )),
            }
        };
        match self.axes.as_slice() {
            [one] => Ok((pick(*one, a)?, pick(*one, b)?)),
            [x, y] => Ok((pick(*x, a)?, pick(*y, b)?)),
            _ => Err(LayerError::field(
                "axes",
                "takes one axis for both inputs or one per input, e.g. 1 or (2, 2)",
            )),
        }
    }

    fn shape(&self, inputs: &[Shape]) -> Result<(Shape, u64), LayerError> {
        check_arity("Dot", inputs, (2, Some(2)))?;
        let (a, b) = (&inputs[0], &inputs[1]);
        let (i, j) = self.resolved(a, b)?;
        let (da, db) = (a.0[i - 1], b.0[j - 1]);
        if da != db {
            return Err(LayerError::shape(
                format!(
                    "equal sizes on the axes multiplied along (axis {i} of the first, axis {j} of the second)"
                ),
                listed(inputs),
                "make those sizes equal, or choose other axes",
            ));
        }
        let mut dims: Dims = a.clone().0;
        dims.remove(i - 1);
        let mut rest = b.clone().0;
        rest.remove(j - 1);
        dims.extend(rest);
        if dims.is_empty() {
            dims.push(Some(1));
        }
        Ok((Shape(dims), da.unwrap_or(0)))
    }
}

impl Kind for Dot {
    fn auto_name(&self) -> &'static str {
        "dot"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        Err(not_a_list(self.class(), input))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        no_weights(
            &mut e,
            self.class(),
            "It multiplies two tensors along one axis of each and sums the products.",
        );
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "Called on one tensor it multiplies nothing.".into()
        }))
    }
    fn brief(&self) -> String {
        let axes: Vec<String> = self.axes.iter().map(i64::to_string).collect();
        let norm = if self.normalize { " normalize" } else { "" };
        format!("Dot axes={}{norm}", axes.join(","))
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    fn multi(&self) -> Option<&dyn MultiInput> {
        Some(self)
    }
    name_and_trainable!();
}

impl MultiInput for Dot {
    fn slots(&self) -> &'static [&'static str] {
        &[]
    }
    fn arity(&self) -> (usize, Option<usize>) {
        (2, Some(2))
    }
    fn output(&self, inputs: &[Shape], _: CallOptions) -> Result<Output, LayerError> {
        self.shape(inputs).map(|(s, _)| Output::One(s))
    }
    fn weights(&self, _: &[Shape], _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, inputs: &[Shape], _: Convention) -> Result<Explanation, LayerError> {
        let (out, _) = self.shape(inputs)?;
        let axes: Vec<String> = self.axes.iter().map(i64::to_string).collect();
        let why = must(
            &format!(
                "agree on the axes multiplied along (axes={})",
                axes.join(", ")
            ),
            inputs,
        );
        let mut e = merge_explanation(self.class(), &why, &Output::One(out));
        if self.normalize {
            e.note("normalize=True divides each input by its L2 norm along that axis first, so the result is the cosine similarity.");
        }
        Ok(e)
    }
    fn macs(&self, inputs: &[Shape], _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let (out, reduced) = self.shape(inputs)?;
        let cells = known_product(&out.0, "output size", &out)?;
        let n = cells.checked_mul(reduced).ok_or(Overflow)?;
        Ok(tally.step(
            || "each output cell sums the products along the shared axis".into(),
            || format!("{} × {}", thousands(cells), thousands(reduced)),
            n,
        ))
    }
}
