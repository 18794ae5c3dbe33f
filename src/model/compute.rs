//! Compute per sample: multiply-accumulates (MACs) of each layer, told step by step like the
//! parameter counts. One formula per kind serves both the summary's hot path (no text built)
//! and the detail pane (every step in words), so the two can never disagree.

use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::layers::Kind;
use crate::model::shape::{Output, Overflow, Shape};

/// What a MAC count counts, for the help screen and the README.
pub const MACS_CONVENTION: &str = "MACs are multiply-accumulates per sample (batch size 1) of the weight matrix products and convolutions only: one MAC is one weight times one input added to a sum. Bias additions, activations, the element-wise gate products of LSTM/GRU cells, pooling, normalization and dropout are not counted. Recurrent layers multiply by the sequence length (one step per timestep); Bidirectional counts both directions; TimeDistributed and Dense on a sequence multiply by the positions they run on. Embedding is a table lookup: 0 MACs. Attention layers also count their two attention products, the query·key scores and the scores' weighted sum of values (query length × key length × heads × key_dim each for MultiHeadAttention), though they multiply activations rather than weights. FLOPs = 2 × MACs (a multiply and an add).";

/// The note every layer with no weight product gets.
const ZERO_NOTE: &str = "Under lstm-tui's convention only weight matrix products and convolutions are counted; element-wise work (adds, comparisons, scaling) is cheap next to them and left out.";

/// Where a MAC derivation goes: kept as text for the detail pane, or dropped on the summary's
/// hot path, where the words are never built (the closures are not called).
#[derive(Debug, Default)]
pub struct Tally {
    steps: Option<Explanation>,
}

impl Tally {
    /// Counts only: no step text is built.
    pub fn count() -> Self {
        Self { steps: None }
    }

    /// Records every step and note.
    pub fn explain() -> Self {
        Self {
            steps: Some(Explanation::default()),
        }
    }

    /// An empty tally of the same kind, for a wrapped layer's own derivation.
    pub fn nested(&self) -> Self {
        Self {
            steps: self.steps.as_ref().map(|_| Explanation::default()),
        }
    }

    /// Records a step (when explaining) and hands its value back. Inlined down to the check:
    /// the summary's hot path calls it for every formula step and records nothing.
    #[inline]
    pub fn step(
        &mut self,
        what: impl FnOnce() -> String,
        expr: impl FnOnce() -> String,
        value: u64,
    ) -> u64 {
        if let Some(e) = &mut self.steps {
            record(e, what, expr, value);
        }
        value
    }

    /// Records a note (when explaining).
    #[inline]
    pub fn note(&mut self, note: impl FnOnce() -> String) {
        if let Some(e) = &mut self.steps {
            record_note(e, note);
        }
    }

    /// Takes a wrapped layer's steps, each prefixed with `prefix`, and its notes.
    pub fn absorb(&mut self, inner: Tally, prefix: &str) {
        if let (Some(e), Some(inner)) = (&mut self.steps, inner.steps) {
            for s in inner.steps {
                e.step(format!("{prefix}{}", s.what), s.expr, s.value);
            }
            e.notes.extend(inner.notes);
        }
    }

    /// The derivation, if this tally recorded one.
    pub fn into_explanation(self) -> Option<Explanation> {
        self.steps
    }
}

/// A step's words, built only when explaining: kept out of line, so [`Tally::step`] stays a
/// check where the words are never needed.
#[cold]
#[inline(never)]
fn record(
    e: &mut Explanation,
    what: impl FnOnce() -> String,
    expr: impl FnOnce() -> String,
    value: u64,
) {
    e.step(what(), expr(), value);
}

/// A note's words, built only when explaining (see [`record`]).
#[cold]
#[inline(never)]
fn record_note(e: &mut Explanation, note: impl FnOnce() -> String) {
    e.note(note());
}

/// A layer's MACs per sample for this input and output. Call only after [`Kind::output`]
/// succeeded for the same input.
pub fn macs(kind: &dyn Kind, input: &Shape, output: &Output) -> Result<u64, LayerError> {
    kind.macs(input, output, &mut Tally::count())
}

/// A layer's MACs per sample told step by step; the last step's value is the count, and a
/// layer with no weight products says why it has 0.
pub fn explain_macs(
    kind: &dyn Kind,
    input: &Shape,
    output: &Output,
) -> Result<Explanation, LayerError> {
    let mut tally = Tally::explain();
    let n = kind.macs(input, output, &mut tally)?;
    let mut e = tally.into_explanation().unwrap_or_default();
    if e.steps.last().is_none_or(|s| s.value != n) {
        e.step("MACs per sample", crate::model::explain::thousands(n), n);
    }
    e.note(format!("FLOPs = 2 × MACs = {}.", flops_text(n)));
    Ok(e)
}

/// FLOPs as 2 × MACs, checked.
pub fn flops(macs: u64) -> Result<u64, LayerError> {
    Ok(macs.checked_mul(2).ok_or(Overflow)?)
}

fn flops_text(macs: u64) -> String {
    flops(macs).map_or_else(
        |_| "more than 18,446,744,073,709,551,615".into(),
        crate::model::explain::thousands,
    )
}

/// The 0-MAC derivation of a layer without weight products: one step and why.
pub(crate) fn zero(tally: &mut Tally, class: &'static str, why: impl FnOnce() -> String) -> u64 {
    tally.step(
        || format!("{class} multiplies no weights"),
        || "0".into(),
        0,
    );
    tally.note(why);
    tally.note(|| ZERO_NOTE.to_string());
    0
}

/// A dimension that must be known to count MACs (sequence lengths, spatial sizes).
pub(crate) fn known(
    dim: Option<u64>,
    what: &str,
    shape: &impl std::fmt::Display,
) -> Result<u64, LayerError> {
    dim.ok_or_else(|| {
        LayerError::shape(
            format!("a known {what} to count MACs per sample"),
            shape,
            "give the input a fixed size on that axis (MACs grow with it)",
        )
    })
}

/// The product of dimensions that must all be known, checked.
pub(crate) fn known_product(
    dims: &[Option<u64>],
    what: &str,
    shape: &impl std::fmt::Display,
) -> Result<u64, LayerError> {
    dims.iter().try_fold(1u64, |n, &d| {
        Ok(n.checked_mul(known(d, what, shape)?).ok_or(Overflow)?)
    })
}

/// The one tensor a layer produced (layers with several outputs have no MAC formula here).
pub(crate) fn single(output: &Output) -> Result<&Shape, LayerError> {
    output.single().ok_or_else(|| {
        LayerError::shape(
            "one output tensor to count MACs",
            output,
            "set merge_mode on the wrapper",
        )
    })
}
