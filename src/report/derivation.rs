//! Everything said about one built layer: its shapes, its parameter count told step by step,
//! the trainable split, its weight tensors, its MACs and the notes. One value, rendered by the
//! detail pane and by `lstm-tui explain`, so the two tell the same facts (they lay them out
//! differently: styled lines against plain text).

use crate::caps::visible;
use crate::model::compute::{Tally, explain_macs};
use crate::model::layers::MultiInput;
use crate::model::weights::Scope;
use crate::model::{Convention, Design, Explanation, LayerError, Output, Params, Shape, Summary};

/// A layer's derivation. Text in it that can come from a design file (names, activations,
/// error snippets) is already made visible ([`crate::caps::visible`]): renderers print it as
/// it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    /// The layer's name.
    pub name: String,
    /// Its Keras class.
    pub class: &'static str,
    /// What the kind does, in a line.
    pub brief: String,
    /// The shape it takes.
    pub input: Shape,
    /// The shape it gives.
    pub output: Output,
    /// Whose counting rules the numbers follow.
    pub convention: Convention,
    /// The parameter count step by step (the last step is the count) with its notes, or why
    /// the convention has no count for this layer.
    pub count: Result<Explanation, String>,
    /// The counted parameters with their trainable split.
    pub params: Params,
    /// The weight tensors the convention counts, in order.
    pub weights: Vec<Tensor>,
    /// The MACs per sample step by step with their notes, or why they cannot be counted.
    pub macs: Result<Explanation, String>,
}

/// One weight tensor of a derivation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tensor {
    /// Whose copy it is inside a wrapper: `forward `, `backward ` or nothing.
    pub scope: &'static str,
    /// Its name in the convention (`kernel`, `weight_ih_l0`, ...).
    pub name: &'static str,
    /// Its shape, spelt as Python does: `(64,)`, `(6, 256)`.
    pub shape: String,
    /// Its number of elements, or `None` past 64 bits.
    pub count: Option<u64>,
    /// Whether an optimiser updates it.
    pub trainable: bool,
}

impl Derivation {
    /// The derivation of row `index` of `summary` (made from `design`), or `None` when that
    /// layer is not built (it fails, or one before it does).
    pub fn of(design: &Design, summary: &Summary, index: usize) -> Option<Derivation> {
        let row = summary.row_of(index)?;
        let layer = design.layers.get(index)?;
        let kind = layer.kind();
        // A call on several tensors (a merge in a graph) is explained from all of them.
        let multi = kind
            .multi()
            .filter(|_| !summary.call_inputs(row).is_empty());
        let convention = summary.convention;
        let shown = |e: &dyn std::fmt::Display| visible(&e.to_string()).into_owned();
        let weights = layer
            .counted_weights(&row.input, convention)
            .map(|ws| {
                ws.iter()
                    .map(|w| Tensor {
                        scope: match w.scope {
                            Scope::Own => "",
                            Scope::Forward => "forward ",
                            Scope::Backward => "backward ",
                        },
                        name: w.name,
                        shape: python_shape(w.shape()),
                        count: w.count().ok(),
                        trainable: w.trainable,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(Derivation {
            name: visible(row.name.as_str()).into_owned(),
            class: row.class,
            brief: visible(&kind.brief()).into_owned(),
            input: row.input.clone(),
            output: row.output.clone(),
            convention,
            count: match multi {
                Some(m) => m.explain(summary.call_inputs(row), convention),
                None => layer.explain(&row.input, convention),
            }
            .map(|e| visible_explanation(&e))
            .map_err(|e| shown(&e)),
            params: row.params,
            weights,
            macs: match multi {
                Some(m) => multi_macs(m, summary.call_inputs(row), &row.output),
                None => explain_macs(kind, &row.input, &row.output),
            }
            .map(|e| visible_explanation(&e))
            .map_err(|e| shown(&e)),
        })
    }

    /// The layer's parameter count, when it can be counted.
    pub fn total(&self) -> Option<u64> {
        self.params.total().ok()
    }
}

/// The MACs of a call on several tensors told step by step, as [`explain_macs`] tells them.
fn multi_macs(
    multi: &dyn MultiInput,
    inputs: &[Shape],
    output: &Output,
) -> Result<Explanation, LayerError> {
    let mut tally = Tally::explain();
    let n = multi.macs(inputs, output, &mut tally)?;
    let mut e = tally.into_explanation().unwrap_or_default();
    if e.steps.last().is_none_or(|s| s.value != n) {
        e.step("MACs per sample", crate::model::explain::thousands(n), n);
    }
    Ok(e)
}

/// The explanation with its words made visible (an activation's name comes from the file).
fn visible_explanation(e: &Explanation) -> Explanation {
    let mut out = Explanation::default();
    for s in &e.steps {
        out.step(visible(&s.what), visible(&s.expr), s.value);
    }
    for n in &e.notes {
        out.note(visible(n));
    }
    out
}

/// `(64,)` for one axis, `(6, 256)` for more: the spelling of Keras' `weight.shape`.
fn python_shape(dims: &[u64]) -> String {
    match dims {
        [one] => format!("({one},)"),
        _ => {
            let dims: Vec<String> = dims.iter().map(u64::to_string).collect();
            format!("({})", dims.join(", "))
        }
    }
}
