//! The summary as a Markdown table, for READMEs, issues and notebooks.

use crate::caps::markdown_cell;
use crate::model::budget::Budget;
use crate::model::summary::Summary;
use crate::model::weights::Convention;
use crate::report::columns::{self, Column};
use crate::report::numbers::thousands;

/// A GitHub-flavoured Markdown table with the totals below it.
pub fn markdown(summary: &Summary) -> String {
    markdown_with(summary, &[], &Budget::default())
}

/// The same table with optional columns after the standard ones, and their totals below.
pub fn markdown_with(summary: &Summary, columns: &[Column], budget: &Budget) -> String {
    let precision = budget.precision;
    let mut out = String::new();
    if summary.convention == Convention::PyTorch {
        out.push_str("Parameter counts in the PyTorch convention.\n\n");
    }
    out.push_str("| Layer (type) | Output Shape | Param # | Trainable | Non-trainable |");
    for c in columns {
        out.push_str(&format!(" {} |", markdown_cell(&c.header(precision))));
    }
    out.push_str("\n|---|---|---:|---:|---:|");
    for c in columns {
        out.push_str(if c.right_aligned() { "---:|" } else { "---|" });
    }
    out.push('\n');
    for r in &summary.rows {
        let p = &r.params;
        let (params, trainable, frozen) = (
            p.total().map_or_else(|_| "overflow".into(), thousands),
            thousands(p.trainable),
            thousands(p.non_trainable),
        );
        out.push_str(&format!(
            "| {} ({}) | {} | {params} | {trainable} | {frozen} |",
            markdown_cell(&r.name),
            r.class,
            markdown_cell(&r.output.to_string())
        ));
        for c in columns {
            out.push_str(&format!(
                " {} |",
                markdown_cell(&c.cell(r, summary, precision))
            ));
        }
        out.push('\n');
    }
    let t = &summary.totals;
    out.push('\n');
    out.push_str(&format!(
        "**Total params:** {}  \n**Trainable params:** {}  \n**Non-trainable params:** {}\n",
        t.total().map_or_else(|_| "overflow".into(), thousands),
        thousands(t.trainable),
        thousands(t.non_trainable)
    ));
    let extra = columns::totals(columns, summary, budget);
    if !extra.is_empty() {
        out.push('\n');
        for line in extra {
            out.push_str(&format!("{}  \n", markdown_cell(&line)));
        }
    }
    if let Some(e) = &summary.error {
        out.push_str(&format!(
            "\n**Does not build:** layer {} {} ({}): {}\n",
            // Counted as the designer's list counts, from 1; JSON keeps Keras' 0-based index.
            e.index + 1,
            markdown_cell(&e.name),
            e.class,
            markdown_cell(&e.error.to_string())
        ));
    }
    out
}
