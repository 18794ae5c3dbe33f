//! The summary's optional columns (`--columns input,macs,memory,percent,trainable`): what each
//! shows per row, shared by the text and Markdown tables and the JSON rows.

use crate::model::budget::{Budget, Precision};
use crate::model::compute::flops;
use crate::model::memory::{self, param_bytes};
use crate::model::summary::{Row, Summary};
use crate::report::numbers::format_bytes;
use crate::report::numbers::thousands;

/// One optional column, after Keras' three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The shape the layer receives, in Keras' spelling.
    Input,
    /// Multiply-accumulates per sample.
    Macs,
    /// Parameter memory at the chosen precision.
    Memory,
    /// The layer's share of all parameters.
    Percent,
    /// Keras' `show_trainable`: Y, N, or - for a layer without weights.
    Trainable,
}

impl Column {
    /// Every column, by its command-line name.
    pub const ALL: [(&'static str, Column); 5] = [
        ("input", Column::Input),
        ("macs", Column::Macs),
        ("memory", Column::Memory),
        ("percent", Column::Percent),
        ("trainable", Column::Trainable),
    ];

    /// `input,macs` → the columns in the order given; an unknown or repeated name is an error
    /// that lists the valid ones.
    pub fn parse_list(text: &str) -> Result<Vec<Column>, String> {
        let mut out = Vec::new();
        for name in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let found = Self::ALL
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|&(_, c)| c);
            match found {
                Some(c) if out.contains(&c) => {
                    return Err(format!("column `{name}` is given twice"));
                }
                Some(c) => out.push(c),
                None => {
                    let names: Vec<&str> = Self::ALL.iter().map(|(n, _)| *n).collect();
                    return Err(format!(
                        "unknown column `{name}`: choose from {}",
                        names.join(", ")
                    ));
                }
            }
        }
        Ok(out)
    }

    /// The header, as the table prints it.
    pub fn header(self, precision: Precision) -> String {
        match self {
            Column::Input => "Input Shape".into(),
            Column::Macs => "MACs".into(),
            Column::Memory => format!("Memory ({})", precision.label()),
            Column::Percent => "% Params".into(),
            Column::Trainable => "Trainable".into(),
        }
    }

    /// Numbers are right-aligned, as Keras aligns `Param #`.
    pub fn right_aligned(self) -> bool {
        matches!(self, Column::Macs | Column::Memory | Column::Percent)
    }

    /// The cell for one row.
    pub fn cell(self, row: &Row, summary: &Summary, precision: Precision) -> String {
        let na = || "n/a".to_string();
        match self {
            Column::Input => row.input.to_string(),
            Column::Macs => row.macs.as_ref().map_or_else(|_| na(), |m| thousands(*m)),
            Column::Memory => row_memory(row, precision).map_or_else(na, format_bytes),
            Column::Percent => percent(row, summary).map_or_else(na, |p| format!("{p:.1}%")),
            Column::Trainable => match &row.params {
                p if p.trainable == 0 && p.non_trainable == 0 => "-".into(),
                p if p.trainable > 0 => "Y".into(),
                _ => "N".into(),
            },
        }
    }
}

/// A row's parameter bytes at a precision, when its parameters could be counted.
pub fn row_memory(row: &Row, precision: Precision) -> Option<u64> {
    let total = row.params.total().ok()?;
    param_bytes(total, precision).ok()
}

/// A row's share of the summary's parameters, in percent.
pub fn percent(row: &Row, summary: &Summary) -> Option<f64> {
    let mine = row.params.total().ok()?;
    let all = summary.totals.total().ok()?;
    Some(if all == 0 {
        0.0
    } else {
        mine as f64 * 100.0 / all as f64
    })
}

/// The lines under the table for the columns that have a total.
pub fn totals(columns: &[Column], summary: &Summary, budget: &Budget) -> Vec<String> {
    let mut out = Vec::new();
    if columns.contains(&Column::Macs) {
        out.push(match &summary.macs {
            Ok(m) => format!(
                "Total MACs: {} per sample (FLOPs: {})",
                thousands(*m),
                flops(*m).map_or_else(|_| "n/a".into(), thousands)
            ),
            Err(e) => format!("Total MACs: n/a ({e})"),
        });
    }
    if columns.contains(&Column::Memory) {
        out.extend(memory::report(
            summary,
            budget.precision,
            budget.batch_size(),
        ));
    }
    out
}
