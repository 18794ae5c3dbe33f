//! The budgets form: parameters, memory (with its precision), MACs and the batch size.

use crate::app::action::{Action, Effect};
use crate::app::popups::{Popup, move_in};
use crate::app::state::{App, Mode};
use crate::app::text::{TextEdit, TextOp};
use crate::model::Budget;
use crate::model::budget::Precision;

/// A field of the budgets form, in the order the form shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetField {
    /// The parameter budget.
    Params,
    /// The memory budget, in bytes.
    Memory,
    /// The precision memory is counted in.
    Precision,
    /// The MACs per sample budget.
    Macs,
    /// The batch size memory estimates assume.
    Batch,
}

impl BudgetField {
    /// Every field, in form order.
    pub const ALL: [BudgetField; 5] = [
        Self::Params,
        Self::Memory,
        Self::Precision,
        Self::Macs,
        Self::Batch,
    ];

    /// The field's name in the form.
    pub fn label(self) -> &'static str {
        match self {
            Self::Params => "parameters",
            Self::Memory => "memory",
            Self::Precision => "precision",
            Self::Macs => "MACs/sample",
            Self::Batch => "batch size",
        }
    }

    /// What may be typed, shown beside the field.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Params => "60000, 60k, 1.5M",
            Self::Memory => "bytes: 120000, 512KiB, 1MiB",
            Self::Precision => "← → fp32 fp16 bf16 int8",
            Self::Macs => "per sample: 5M, 250k",
            Self::Batch => "for memory estimates (32)",
        }
    }

    /// The field's row in the form.
    pub fn row(self) -> usize {
        self as usize
    }
}

/// The budgets form: one text per [`BudgetField`].
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetForm {
    /// Typed texts, one per field in [`BudgetField::ALL`] order.
    pub fields: Vec<TextEdit>,
    /// The row of the field with the cursor.
    pub index: usize,
    /// Why the texts are rejected, and the row of the field at fault.
    pub error: Option<(usize, String)>,
}

impl BudgetForm {
    /// The form filled in from a budget.
    pub fn new(b: &Budget) -> BudgetForm {
        let text = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        let mut fields: Vec<TextEdit> = Vec::from(BudgetField::ALL.map(|f| {
            TextEdit::new(&match f {
                BudgetField::Params => text(b.params),
                BudgetField::Memory => text(b.memory),
                BudgetField::Precision => b.precision.label().to_string(),
                BudgetField::Macs => text(b.macs),
                BudgetField::Batch => text(b.batch),
            })
        }));
        if let Some(first) = fields.first_mut() {
            first.select();
        }
        BudgetForm {
            fields,
            index: 0,
            error: None,
        }
    }

    /// The text typed into a field.
    pub fn text(&self, field: BudgetField) -> &str {
        self.fields.get(field.row()).map_or("", TextEdit::text)
    }

    /// The field with the cursor, as edited.
    pub fn current(&self) -> Option<&TextEdit> {
        self.fields.get(self.index)
    }

    /// Shows the next (or previous) precision.
    fn cycle(&mut self, step: usize) {
        let at = BudgetField::Precision.row();
        let now = parse_precision(self.text(BudgetField::Precision)).unwrap_or_default();
        let i = Precision::ALL.iter().position(|p| *p == now).unwrap_or(0);
        let next = Precision::ALL[(i + step) % Precision::ALL.len()];
        if let Some(f) = self.fields.get_mut(at) {
            f.set(next.label());
        }
    }

    /// The budget the texts say: every field is checked; an error names its field's row.
    fn read(&self) -> Result<Budget, (usize, String)> {
        let at = |field: BudgetField| move |e| (field.row(), e);
        let params =
            parse_budget(self.text(BudgetField::Params)).map_err(at(BudgetField::Params))?;
        let memory =
            parse_bytes(self.text(BudgetField::Memory)).map_err(at(BudgetField::Memory))?;
        let precision = parse_precision(self.text(BudgetField::Precision)).ok_or_else(|| {
            (
                BudgetField::Precision.row(),
                "precision is fp32, fp16, bf16 or int8 (← → choose)".to_string(),
            )
        })?;
        let macs = parse_budget(self.text(BudgetField::Macs)).map_err(at(BudgetField::Macs))?;
        let batch =
            match parse_budget(self.text(BudgetField::Batch)).map_err(at(BudgetField::Batch))? {
                Some(0) => {
                    return Err((
                        BudgetField::Batch.row(),
                        "the batch size is at least 1".into(),
                    ));
                }
                b => b,
            };
        Ok(Budget {
            params,
            memory,
            precision,
            macs,
            batch,
        })
    }
}

impl Popup for BudgetForm {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let on_precision = self.index == BudgetField::Precision.row();
        let back = Precision::ALL.len() - 1;
        match action {
            Action::Insert(' ') | Action::Text(TextOp::Right) if on_precision => self.cycle(1),
            Action::Text(TextOp::Left) if on_precision => self.cycle(back),
            Action::Insert(c) => {
                if let Some(f) = self.fields.get_mut(self.index) {
                    f.insert(c);
                }
            }
            Action::Backspace | Action::Text(_) => {
                let op = match action {
                    Action::Text(op) => op,
                    _ => TextOp::DeleteBack,
                };
                if let Some(f) = self.fields.get_mut(self.index) {
                    f.apply(op);
                }
            }
            Action::PopupUp | Action::PopupDown => {
                move_in(&mut self.index, self.fields.len(), &action);
                if let Some(f) = self.fields.get_mut(self.index) {
                    f.select();
                }
            }
            Action::Confirm => match self.read() {
                Ok(budget) => {
                    let sel = app.selected;
                    app.change(sel, |d| d.budget = budget);
                    return (Mode::Normal, Vec::new());
                }
                Err(e) => {
                    self.index = e.0;
                    self.error = Some(e);
                }
            },
            _ => {}
        }
        self.error = self.read().err();
        (Mode::Budgets(self), Vec::new())
    }
}

/// `fp16` (any case) → the precision.
fn parse_precision(text: &str) -> Option<Precision> {
    let t = text.trim().to_lowercase();
    Precision::ALL.into_iter().find(|p| p.label() == t)
}

/// The text without the digit separators people type (`60,000`, `60_000`, `60 000`).
fn without_separators(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect()
}

/// A budget as typed: `60000`, `60,000`, `60k`, `1.5M`; empty clears it.
pub fn parse_budget(text: &str) -> Result<Option<u64>, String> {
    let t = without_separators(text);
    if t.is_empty() {
        return Ok(None);
    }
    let (num, scale) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1e3),
        Some('m' | 'M') => (&t[..t.len() - 1], 1e6),
        Some('g' | 'G' | 'b' | 'B') => (&t[..t.len() - 1], 1e9),
        _ => (t.as_str(), 1.0),
    };
    if let Ok(n) = num.parse::<u64>()
        && scale == 1.0
    {
        return if n == 0 {
            Err("a budget must be at least 1 parameter".into())
        } else {
            Ok(Some(n))
        };
    }
    match num.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x * scale < 1.8e19 => {
            Ok(Some((x * scale).round().max(1.0) as u64))
        }
        _ => Err(format!("{text:?} is not a count like 60000, 60k or 1.5M")),
    }
}

/// A byte count as typed: `120000`, `120k` (1,000), `1.5M`, `512KiB` or `1MiB`; `KB`, `kB`
/// and `MB` are 1,024-based too, as Keras' summary prints them; empty clears it.
pub fn parse_bytes(text: &str) -> Result<Option<u64>, String> {
    let t = without_separators(text);
    if t.is_empty() {
        return Ok(None);
    }
    let lower = t.to_lowercase();
    let units: [(&str, f64); 9] = [
        ("kib", 1024.0),
        ("mib", 1024.0 * 1024.0),
        ("gib", 1024.0 * 1024.0 * 1024.0),
        ("kb", 1024.0),
        ("mb", 1024.0 * 1024.0),
        ("gb", 1024.0 * 1024.0 * 1024.0),
        ("k", 1e3),
        ("m", 1e6),
        ("b", 1.0),
    ];
    let (num, scale) = units
        .iter()
        .find(|(u, _)| lower.ends_with(u))
        .map_or((lower.as_str(), 1.0), |(u, s)| {
            (&lower[..lower.len() - u.len()], *s)
        });
    let bad = || format!("{text:?} is not a size like 120000, 120k, 512KiB or 1MiB");
    if scale == 1.0
        && let Ok(n) = num.parse::<u64>()
    {
        return if n == 0 { Err(bad()) } else { Ok(Some(n)) };
    }
    match num.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x * scale < 1.8e19 => {
            Ok(Some((x * scale).round().max(1.0) as u64))
        }
        _ => Err(bad()),
    }
}
