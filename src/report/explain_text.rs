//! A layer's derivation as plain text, for `lstm-tui explain`.

use std::fmt::Write as _;

use crate::caps::visible_lines;
use crate::model::compute::explain_macs;
use crate::model::summary::Summary;
use crate::model::weights::Scope;
use crate::model::{Design, LayerError};
use crate::report::numbers::thousands;

/// The steps, notes and weight tensors of row `index` of `summary` (a built layer). Names,
/// activations and error snippets come from the design file, so the text passes
/// [`visible_lines`].
pub fn layer(design: &Design, summary: &Summary, index: usize) -> String {
    let mut out = String::new();
    let (Some(row), Some(layer)) = (summary.rows.get(index), design.layers.get(index)) else {
        return out;
    };
    let kind = layer.kind();
    let _ = writeln!(out, "{} ({})  {}", row.name, row.class, kind.brief());
    let _ = writeln!(out, "  input {}  →  output {}", row.input, row.output);
    match layer.explain(&row.input, summary.convention) {
        Ok(e) => {
            for (n, step) in e.steps.iter().enumerate() {
                let _ = writeln!(out, "  {}. {}", n + 1, step.what);
                let _ = writeln!(out, "       {} = {}", step.expr, thousands(step.value));
            }
            match &row.params {
                Ok(p) => {
                    let total = p.total().map_or("overflow".into(), thousands);
                    let _ = write!(out, "  Param # ({}): {total}", summary.convention.label());
                    if p.non_trainable > 0 {
                        let _ = write!(
                            out,
                            " ({} trainable, {} non-trainable)",
                            thousands(p.trainable),
                            thousands(p.non_trainable)
                        );
                    }
                    out.push('\n');
                }
                Err(e) => {
                    let _ = writeln!(out, "  Param # ({}): n/a — {e}", summary.convention.label());
                }
            }
            for note in &e.notes {
                let _ = writeln!(out, "  • {note}");
            }
        }
        Err(LayerError::NoEquivalent(why)) => {
            let _ = writeln!(out, "  {why}");
        }
        Err(e) => {
            let _ = writeln!(out, "  {e}");
        }
    }
    if let Ok(weights) = layer.counted_weights(&row.input, summary.convention)
        && !weights.is_empty()
    {
        let _ = writeln!(out, "  weights:");
        for w in &weights {
            let shape: Vec<String> = w.shape().iter().map(|d| d.to_string()).collect();
            let scope = match w.scope {
                Scope::Own => "",
                Scope::Forward => "forward ",
                Scope::Backward => "backward ",
            };
            let frozen = if w.trainable { "" } else { "  (non-trainable)" };
            let _ = writeln!(
                out,
                "    {scope}{:<20} ({}) = {}{frozen}",
                w.name,
                shape.join(", "),
                w.count().map_or("overflow".into(), thousands)
            );
        }
    }
    match explain_macs(kind, &row.input, &row.output) {
        Ok(e) => {
            let _ = writeln!(out, "  compute (MACs per sample):");
            for (n, step) in e.steps.iter().enumerate() {
                let _ = writeln!(out, "  {}. {}", n + 1, step.what);
                let _ = writeln!(out, "       {} = {}", step.expr, thousands(step.value));
            }
            for note in &e.notes {
                let _ = writeln!(out, "  • {note}");
            }
        }
        Err(e) => {
            let _ = writeln!(out, "  compute (MACs per sample): n/a — {e}");
        }
    }
    visible_lines(&out).into_owned()
}
