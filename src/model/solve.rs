//! Solving for sizes: the largest layer (or the widest scale of every layer) that keeps a
//! design inside its budget. Counts only grow with a size, so a search finds the exact edge.

use crate::model::budget::Budget;
use crate::model::design::Design;
use crate::model::layers::KnobValue;
use crate::model::summary::Summary;
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
    /// Even the smallest size does not fit (or the design does not build): the rest of the
    /// design is over budget on its own.
    NothingFits,
    /// `multiple` must be at least 1.
    BadMultiple,
}

impl std::fmt::Display for SolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoBudget => f.write_str("no budget is set: set a parameter, memory or MAC budget first"),
            Self::NoSuchLayer(i) => write!(f, "there is no layer {i}"),
            Self::NoSize(class) => write!(f, "{class} has no size to solve for"),
            Self::NothingFits => f.write_str(
                "nothing fits: even the smallest size leaves the design over budget (or it does not build); shrink other layers or raise the budget",
            ),
            Self::BadMultiple => f.write_str("the multiple must be at least 1"),
        }
    }
}

impl std::error::Error for SolveError {}

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
    let mut at = |steps: u64| -> Option<u64> {
        let size = steps.checked_mul(multiple)?;
        trial.layers[index]
            .kind_mut()
            .set_knob(KnobValue::Count(size));
        fits(&trial, &budget, convention)
    };
    // Steps of `multiple`: lo fits, hi does not.
    let mut lo = 1u64;
    if at(lo).is_none() {
        return Err(SolveError::NothingFits);
    }
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
    let total = fits(&design, &budget, convention).ok_or(SolveError::NothingFits)?;
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
    if fits(&apply(0.0), &budget, convention).is_none() {
        return Err(SolveError::NothingFits);
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
    let total = fits(&new, &budget, convention).ok_or(SolveError::NothingFits)?;
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
