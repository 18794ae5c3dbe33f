//! A layer's derivation as plain text, for `lstm-tui explain`.

use std::fmt::Write as _;

use crate::model::summary::Summary;
use crate::model::{Design, Explanation};
use crate::report::derivation::Derivation;
use crate::report::numbers::thousands;

/// The derivation of row `index` of `summary` (a built layer) as text: shapes, steps, the
/// count with its trainable split, notes, weight tensors and MACs. Empty for a layer that is
/// not built.
pub fn layer(design: &Design, summary: &Summary, index: usize) -> String {
    Derivation::of(design, summary, index).map_or_else(String::new, |d| text(&d))
}

/// The derivation as text.
pub fn text(d: &Derivation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})  {}", d.name, d.class, d.brief);
    let _ = writeln!(out, "  input {}  →  output {}", d.input, d.output);
    match &d.count {
        Ok(e) => {
            steps(&mut out, e);
            let label = d.convention.label();
            let p = &d.params;
            let total = p.total().map_or("overflow".into(), thousands);
            let _ = write!(out, "  Param # ({label}): {total}");
            if p.non_trainable > 0 {
                let _ = write!(
                    out,
                    " ({} trainable, {} non-trainable)",
                    thousands(p.trainable),
                    thousands(p.non_trainable)
                );
            }
            out.push('\n');
            notes(&mut out, e);
        }
        Err(why) => {
            let _ = writeln!(out, "  {why}");
        }
    }
    if !d.weights.is_empty() {
        let _ = writeln!(out, "  weights:");
        for w in &d.weights {
            let frozen = if w.trainable { "" } else { "  (non-trainable)" };
            let _ = writeln!(
                out,
                "    {}{:<20} {} = {}{frozen}",
                w.scope,
                w.name,
                w.shape,
                w.count.map_or("overflow".into(), thousands)
            );
        }
    }
    match &d.macs {
        Ok(e) => {
            let _ = writeln!(out, "  compute (MACs per sample):");
            steps(&mut out, e);
            notes(&mut out, e);
        }
        Err(why) => {
            let _ = writeln!(out, "  compute (MACs per sample): n/a — {why}");
        }
    }
    out
}

fn steps(out: &mut String, e: &Explanation) {
    for (n, step) in e.steps.iter().enumerate() {
        let _ = writeln!(out, "  {}. {}", n + 1, step.what);
        let _ = writeln!(out, "       {} = {}", step.expr, thousands(step.value));
    }
}

fn notes(out: &mut String, e: &Explanation) {
    for note in &e.notes {
        let _ = writeln!(out, "  • {note}");
    }
}
