//! Solving for sizes: the largest layer (or the widest scale of every layer) that keeps a
//! design inside its budget. Counts only grow with a size, so a search finds the exact edge.

use crate::model::budget::{Budget, Gauge, Measure};
use crate::model::design::Design;
use crate::model::error::ShapeError;
use crate::model::explain::thousands;
use crate::model::layers::KnobValue;
use crate::model::summary::{Row, Summary};
use crate::model::weights::Convention;

/// A proposed change, shown before it is applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The changed sizes: (layer index, field, old value, new value).
    pub changes: Vec<Change>,
    /// The design with the change applied.
    pub design: Design,
    /// Its total parameter count.
    pub total: u64,
}

/// One size the proposal changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// Index into the design's layers.
    pub layer: usize,
    /// The field's Keras name (`units`, `filters`, ...).
    pub field: &'static str,
    /// The value before.
    pub old: u64,
    /// The value proposed.
    pub new: u64,
}

/// Why no proposal could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SolveError {
    /// No limit is set, so "largest that fits" is unbounded.
    NoBudget,
    /// The layer index is past the end of the design.
    NoSuchLayer(usize),
    /// The layer has no whole-number size to solve for (Dropout, Flatten, ...).
    NoSize(&'static str),
    /// At the smallest size the design does not build: this layer is refused.
    DoesNotBuild(ShapeError),
    /// Even the smallest size leaves the design over budget.
    OverBudget(Overshoot),
    /// At the smallest size the design builds, but what the budget limits cannot be counted
    /// (an open sequence length for MACs, a layer PyTorch has no equivalent for): the reason.
    Uncounted(String),
    /// `multiple` must be at least 1.
    BadMultiple,
}

/// How far over budget the design is at its smallest, and which layer holds most of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overshoot {
    /// The smallest sizes tried, as people write them (`units = 1`).
    pub smallest: String,
    /// The first budget that does not hold at the smallest size.
    pub gauge: Gauge,
    /// Total parameters at the smallest size.
    pub total: u64,
    /// The layer holding the largest share of what the gauge measures: its name and share.
    pub heaviest: Option<(String, u64)>,
}

impl SolveError {
    /// Total parameters at the smallest size, when the design builds there and is over budget.
    pub fn minimum_total(&self) -> Option<u64> {
        match self {
            Self::OverBudget(o) => Some(o.total),
            _ => None,
        }
    }
}

impl std::fmt::Display for SolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoBudget => {
                f.write_str("no budget is set: set a parameter, memory or MAC budget first")
            }
            Self::NoSuchLayer(i) => write!(f, "there is no layer {}", i + 1),
            Self::NoSize(class) => write!(f, "{class} has no size to solve for"),
            Self::DoesNotBuild(e) => write!(
                f,
                "the design does not build: layer {}, {e}; fix that layer first",
                e.index + 1
            ),
            Self::OverBudget(o) => o.fmt(f),
            Self::Uncounted(why) => write!(f, "the budget cannot be checked: {why}"),
            Self::BadMultiple => f.write_str("the multiple must be at least 1"),
        }
    }
}

impl std::fmt::Display for Overshoot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.gauge.what {
            Measure::Params => "parameters".to_string(),
            Measure::Memory(p) => format!("bytes at {}", p.label()),
            Measure::Macs => "MACs".to_string(),
        };
        let limit = thousands(self.gauge.limit);
        match &self.heaviest {
            Some((name, share)) if *share > self.gauge.limit => write!(
                f,
                "{name} alone is {} > {limit} {unit}: shrink {name} or raise the budget",
                thousands(*share)
            ),
            Some((name, share)) => write!(
                f,
                "even with {} the design needs {} > {limit} {unit}, {name} the most ({}): shrink {name} or raise the budget",
                self.smallest,
                thousands(self.gauge.used),
                thousands(*share)
            ),
            None => write!(
                f,
                "even with {} the design needs {} > {limit} {unit}: raise the budget",
                self.smallest,
                thousands(self.gauge.used)
            ),
        }
    }
}

impl std::error::Error for SolveError {}

/// Why a design that does not fit its budget does not: it does not build, what the budget
/// limits cannot be counted, or a limit is exceeded (and by which layer most).
fn why_not(
    design: &Design,
    budget: &Budget,
    convention: Convention,
    smallest: String,
) -> SolveError {
    let summary = Summary::of(design, convention);
    if let Some(e) = summary.error {
        return SolveError::DoesNotBuild(e);
    }
    let total = match summary.totals.total() {
        Ok(t) => t,
        Err(e) => return SolveError::Uncounted(e.to_string()),
    };
    if summary.uncounted > 0 {
        return SolveError::Uncounted(format!(
            "{} layer(s) have no equivalent in this convention, so the total is not counted",
            summary.uncounted
        ));
    }
    if budget.macs.is_some()
        && let Err(e) = &summary.macs
    {
        return SolveError::Uncounted(format!("the MACs cannot be counted: {e}"));
    }
    let Some(gauge) = budget.gauges(&summary).into_iter().find(|g| !g.fits()) else {
        return SolveError::Uncounted("the design is not counted in full".into());
    };
    let share = |r: &Row| -> Option<u64> {
        let params = r.params.as_ref().ok().and_then(|p| p.total().ok());
        match gauge.what {
            Measure::Params => params,
            Measure::Memory(p) => params.map(|n| n.saturating_mul(p.bytes())),
            Measure::Macs => r.macs.as_ref().ok().copied(),
        }
    };
    let heaviest = summary
        .rows
        .iter()
        .filter_map(|r| Some((r.name.to_string(), share(r)?)))
        .max_by_key(|(_, n)| *n);
    SolveError::OverBudget(Overshoot {
        smallest,
        gauge,
        total,
        heaviest,
    })
}

/// Evaluates whether a design fits its budget in a convention.
fn fits(design: &Design, budget: &Budget, convention: Convention) -> Option<u64> {
    let summary = Summary::of(design, convention);
    if budget.fits(&summary) {
        summary.totals.total().ok()
    } else {
        None
    }
}

/// The largest size for layer `index`, a multiple of `multiple`, that keeps the design in
/// budget, with every later layer's count following along.
pub fn largest_size(
    design: &Design,
    index: usize,
    multiple: u64,
    convention: Convention,
) -> Result<Proposal, SolveError> {
    let budget = design.budget;
    if budget.is_empty() {
        return Err(SolveError::NoBudget);
    }
    if multiple == 0 {
        return Err(SolveError::BadMultiple);
    }
    let layer = design
        .layers
        .get(index)
        .ok_or(SolveError::NoSuchLayer(index))?;
    let kind = layer.kind();
    let (field, old) = match kind.knob() {
        Some(k) => match k.value {
            KnobValue::Count(v) => (k.field, v),
            KnobValue::Rate(_) => return Err(SolveError::NoSize(kind.class())),
        },
        None => return Err(SolveError::NoSize(kind.class())),
    };
    let mut trial = design.clone();
    trial.layers[index]
        .kind_mut()
        .set_knob(KnobValue::Count(multiple));
    if fits(&trial, &budget, convention).is_none() {
        return Err(why_not(
            &trial,
            &budget,
            convention,
            format!("{field} = {multiple}"),
        ));
    }
    let mut at = |steps: u64| -> Option<u64> {
        let size = steps.checked_mul(multiple)?;
        trial.layers[index]
            .kind_mut()
            .set_knob(KnobValue::Count(size));
        fits(&trial, &budget, convention)
    };
    // Steps of `multiple`: lo fits, hi does not.
    let mut lo = 1u64;
    let mut hi = 2u64;
    while at(hi).is_some() {
        lo = hi;
        hi = match hi.checked_mul(2) {
            Some(h) => h,
            None => break,
        };
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if at(mid).is_some() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let new = lo * multiple;
    let mut design = design.clone();
    design.layers[index]
        .kind_mut()
        .set_knob(KnobValue::Count(new));
    let total = fits(&design, &budget, convention)
        .ok_or_else(|| why_not(&design, &budget, convention, format!("{field} = {new}")))?;
    Ok(Proposal {
        changes: vec![Change {
            layer: index,
            field,
            old,
            new,
        }],
        design,
        total,
    })
}

/// Scales every hidden width (every whole-number size but the last layer's, which is the
/// model's output size) by one factor, rounded to `multiple`, as far as the budget allows.
pub fn scale_widths(
    design: &Design,
    multiple: u64,
    convention: Convention,
) -> Result<Proposal, SolveError> {
    let budget = design.budget;
    if budget.is_empty() {
        return Err(SolveError::NoBudget);
    }
    if multiple == 0 {
        return Err(SolveError::BadMultiple);
    }
    let last = design.layers.len().saturating_sub(1);
    let widths: Vec<(usize, &'static str, u64)> = design
        .layers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != last)
        .filter_map(|(i, l)| match l.kind().knob()? {
            k if k.field == "n" => None,
            k => match k.value {
                KnobValue::Count(v) => Some((i, k.field, v)),
                KnobValue::Rate(_) => None,
            },
        })
        .collect();
    let apply = |factor: f64| -> Design {
        let mut d = design.clone();
        for &(i, _, old) in &widths {
            d.layers[i]
                .kind_mut()
                .set_knob(KnobValue::Count(scaled(old, factor, multiple)));
        }
        d
    };
    if widths.is_empty() {
        return Err(SolveError::NoSize("this design"));
    }
    let smallest = apply(0.0);
    if fits(&smallest, &budget, convention).is_none() {
        return Err(why_not(
            &smallest,
            &budget,
            convention,
            format!("every hidden width at {multiple}"),
        ));
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let mut hi_fails = true;
    while fits(&apply(hi), &budget, convention).is_some() {
        lo = hi;
        hi *= 2.0;
        if hi > 1e12 {
            hi_fails = false;
            break;
        }
    }
    // Rounding makes the design piecewise constant in the factor: a midpoint that rounds to
    // the same sizes as an end it lies beside shares that end's verdict, so only distinct
    // designs are summarised.
    let sizes = |factor: f64| -> Vec<u64> {
        widths
            .iter()
            .map(|&(_, _, old)| scaled(old, factor, multiple))
            .collect()
    };
    let (mut lo_sizes, mut hi_sizes) = (sizes(lo), sizes(hi));
    for _ in 0..64 {
        let mid = (lo + hi) / 2.0;
        let mid_sizes = sizes(mid);
        let mid_fits = if mid_sizes == lo_sizes {
            true
        } else if hi_fails && mid_sizes == hi_sizes {
            false
        } else {
            fits(&apply(mid), &budget, convention).is_some()
        };
        if mid_fits {
            lo = mid;
            lo_sizes = mid_sizes;
        } else {
            hi = mid;
            hi_sizes = mid_sizes;
            hi_fails = true;
        }
    }
    let new = apply(lo);
    let total = fits(&new, &budget, convention)
        .ok_or_else(|| why_not(&new, &budget, convention, "the proposed widths".into()))?;
    let changes = widths
        .iter()
        .map(|&(i, field, old)| Change {
            layer: i,
            field,
            old,
            new: scaled(old, lo, multiple),
        })
        .collect();
    Ok(Proposal {
        changes,
        design: new,
        total,
    })
}

/// `old × factor` rounded to the nearest multiple, at least one multiple.
fn scaled(old: u64, factor: f64, multiple: u64) -> u64 {
    let steps = (old as f64 * factor / multiple as f64).round();
    // Float to int casts saturate in Rust, so huge factors cannot wrap.
    let steps = (steps as u64).max(1);
    steps.saturating_mul(multiple)
}
