//! The summary as a Markdown table, for READMEs, issues and notebooks.

use crate::model::explain::thousands;
use crate::model::summary::Summary;
use crate::model::weights::Convention;

/// A GitHub-flavoured Markdown table with the totals below it.
pub fn markdown(summary: &Summary) -> String {
    let mut out = String::new();
    if summary.convention == Convention::PyTorch {
        out.push_str("Parameter counts in the PyTorch convention.\n\n");
    }
    out.push_str("| Layer (type) | Output Shape | Param # | Trainable | Non-trainable |\n");
    out.push_str("|---|---|---:|---:|---:|\n");
    for r in &summary.rows {
        let (params, trainable, frozen) = match &r.params {
            Ok(p) => (
                p.total().map_or_else(|_| "overflow".into(), thousands),
                thousands(p.trainable),
                thousands(p.non_trainable),
            ),
            Err(_) => ("n/a (no equivalent)".into(), "n/a".into(), "n/a".into()),
        };
        out.push_str(&format!(
            "| {} ({}) | {} | {params} | {trainable} | {frozen} |\n",
            cell(&r.name),
            r.class,
            cell(&r.output.to_string())
        ));
    }
    let t = &summary.totals;
    out.push('\n');
    out.push_str(&format!(
        "**Total params:** {}  \n**Trainable params:** {}  \n**Non-trainable params:** {}\n",
        t.total().map_or_else(|_| "overflow".into(), thousands),
        thousands(t.trainable),
        thousands(t.non_trainable)
    ));
    if summary.uncounted > 0 {
        out.push_str(&format!(
            "\n{} layer(s) have no PyTorch equivalent and are not counted.\n",
            summary.uncounted
        ));
    }
    if let Some(e) = &summary.error {
        out.push_str(&format!(
            "\n**Does not build:** layer {} `{}` ({}): {}\n",
            e.index,
            cell(&e.name),
            e.class,
            cell(&e.error.to_string())
        ));
    }
    out
}

/// Text safe inside a table cell: pipes escaped, control characters and newlines replaced.
fn cell(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|")
}
