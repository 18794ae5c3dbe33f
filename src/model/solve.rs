//! Solving for sizes: the largest layer (or the widest scale of every layer) that keeps a
//! design inside its budget. Counts only grow with a size, so a search finds the exact edge.
//! In a graph, sizes whose widths a merge ties (see [`ties`](crate::model::ties)) move as one.

use crate::model::budget::{Budget, Gauge, Measure};
use crate::model::design::Design;
use crate::model::error::ShapeError;
use crate::model::explain::thousands;
use crate::model::layers::KnobValue;
use crate::model::summary::{Row, Summary, layer_names};
use crate::model::ties::{Scaled, Ties, set_size};
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
    /// The layers (by index) whose sizes moved as one because a merge ties their widths, one
    /// list per tied width of two or more layers; empty in a chain.
    pub tied: Vec<Vec<usize>>,
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
    /// (an open sequence length for MACs, a total past 64 bits): the reason.
    Uncounted(String),
    /// `multiple` must be at least 1.
    BadMultiple,
    /// A merge ties the layer's width to one that cannot move (a model input's).
    Pinned {
        /// The layer's name.
        layer: String,
        /// What fixes its width, as people say it: "the model input `x` (32 wide)".
        by: String,
    },
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
            Self::Pinned { layer, by } => write!(
                f,
                "a merge ties {layer}'s width to {by}, so it cannot move: fit a layer whose width is not tied, or change that width"
            ),
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
    if budget.macs.is_some()
        && let Err(e) = &summary.macs
    {
        return SolveError::Uncounted(format!("the MACs cannot be counted: {e}"));
    }
    let Some(gauge) = budget.gauges(&summary).into_iter().find(|g| !g.fits()) else {
        return SolveError::Uncounted("the design is not counted in full".into());
    };
    let share = |r: &Row| -> Option<u64> {
        let params = r.params.total().ok();
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
/// budget, with every later layer's count following along. In a graph every layer a merge
/// ties to it takes the same size (listed first in the changes is `index` itself), and a
/// width a model input pins is refused as [`SolveError::Pinned`].
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
    let moving = Ties::for_design(design, convention)
        .moving_with(index)
        .map_err(|by| SolveError::Pinned {
            layer: layer_names(&design.layers).swap_remove(index),
            by,
        })?;
    let mut trial = design.clone();
    set_all(&mut trial, &moving, multiple);
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
        set_all(&mut trial, &moving, size);
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
    let before = design;
    let mut design = design.clone();
    set_all(&mut design, &moving, new);
    let total = fits(&design, &budget, convention)
        .ok_or_else(|| why_not(&design, &budget, convention, format!("{field} = {new}")))?;
    let changes = moving
        .iter()
        .map(|&i| Change {
            layer: i,
            field: before.layers[i].kind().knob().map_or(field, |k| k.field),
            old: match before.layers[i].kind().knob().map(|k| k.value) {
                Some(KnobValue::Count(v)) => v,
                _ => old,
            },
            new,
        })
        .collect();
    Ok(Proposal {
        changes,
        design,
        total,
        tied: if moving.len() > 1 {
            vec![moving]
        } else {
            Vec::new()
        },
    })
}

/// Sets the size of every layer in `layers` to `size`.
fn set_all(design: &mut Design, layers: &[usize], size: u64) {
    for &i in layers {
        if let Some(l) = design.layers.get_mut(i) {
            l.kind_mut().set_knob(KnobValue::Count(size));
        }
    }
}

/// Scales every hidden width (every whole-number size but the model's output size: in a chain
/// the last layer's) by one factor, rounded to `multiple`, as far as the budget allows. In a
/// graph every layer tied to a width takes that width's one value, and a width a model input
/// pins stays as it is.
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
    let widths = hidden_widths(design, convention);
    let apply = |factor: f64| -> Design {
        let mut d = design.clone();
        for w in &widths {
            let size = scaled(w.old, factor, multiple);
            for &(i, field) in &w.targets {
                set_size(&mut d.layers[i], field, size);
            }
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
            .map(|w| scaled(w.old, factor, multiple))
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
        .flat_map(|w| {
            let size = scaled(w.old, lo, multiple);
            w.targets.iter().map(move |&(i, field)| Change {
                layer: i,
                field,
                old: size_of(design, i, field).unwrap_or(w.old),
                new: size,
            })
        })
        .collect();
    let tied = widths
        .iter()
        .filter(|w| w.targets.len() > 1)
        .map(|w| w.targets.iter().map(|t| t.0).collect())
        .collect();
    Ok(Proposal {
        changes,
        design: new,
        total,
        tied,
    })
}

/// The sizes scaling every hidden width moves: in a chain every whole-number size but the last
/// layer's (and `RepeatVector`'s `n`), each alone; in a graph those its ties allow.
fn hidden_widths(design: &Design, convention: Convention) -> Vec<Scaled> {
    if !design.graph.is_chain() {
        return Ties::for_design(design, convention).scaled(design);
    }
    let last = design.layers.len().saturating_sub(1);
    design
        .layers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != last)
        .filter_map(|(i, l)| match l.kind().knob()? {
            k if k.field == "n" => None,
            k => match k.value {
                KnobValue::Count(v) => Some(Scaled {
                    targets: vec![(i, k.field)],
                    old: v,
                }),
                KnobValue::Rate(_) => None,
            },
        })
        .collect()
}

/// The value of one size a [`Scaled`] names, before scaling.
fn size_of(design: &Design, layer: usize, field: &str) -> Option<u64> {
    match design.layers.get(layer)? {
        crate::model::layers::Layer::MultiHeadAttention(m) if field == "value_dim" => m.value_dim,
        l => match l.kind().knob()?.value {
            KnobValue::Count(v) => Some(v),
            KnobValue::Rate(_) => None,
        },
    }
}

/// `old × factor` rounded to the nearest multiple, at least one multiple.
fn scaled(old: u64, factor: f64, multiple: u64) -> u64 {
    let steps = (old as f64 * factor / multiple as f64).round();
    // Float to int casts saturate in Rust, so huge factors cannot wrap.
    let steps = (steps as u64).max(1);
    steps.saturating_mul(multiple)
}
