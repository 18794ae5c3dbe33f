//! What one more unit of a layer costs, across the whole design (the next layer grows too, and
//! in a graph every layer whose width a merge ties to it).

use crate::model::design::Design;
use crate::model::layers::KnobValue;
use crate::model::summary::Summary;
use crate::model::ties::Ties;
use crate::model::weights::Convention;

/// The cost of growing one layer's size by one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marginal {
    /// The size's field (`units`, `filters`, ...).
    pub field: &'static str,
    /// Its current value.
    pub size: u64,
    /// Per changed row: (row name, parameter change).
    pub rows: Vec<(String, i128)>,
    /// The whole design's change.
    pub total: i128,
    /// The next size above this one that is a multiple of 8, with the total it gives.
    pub next_multiple_of_8: Option<(u64, u64)>,
}

/// The marginal cost of layer `index`'s size, or `None` when it has no whole-number size or
/// the design does not build at the current or next size.
pub fn marginal(design: &Design, index: usize, convention: Convention) -> Option<Marginal> {
    let knob = design.layers.get(index)?.kind().knob()?;
    let KnobValue::Count(size) = knob.value else {
        return None;
    };
    // A width a model input pins cannot move: growing the layer alone shows it does not build.
    let moving = Ties::for_design(design, convention)
        .moving_with(index)
        .unwrap_or_else(|_| vec![index]);
    let at = |s: u64| {
        let mut d = design.clone();
        for &i in &moving {
            d.layers[i].kind_mut().set_knob(KnobValue::Count(s));
        }
        let summary = Summary::of(&d, convention);
        summary.is_ok().then_some(summary)
    };
    let now = at(size)?;
    let next = at(size.checked_add(1)?)?;
    let count = |s: &Summary, i: usize| s.rows[i].params.total().map_or(0, i128::from);
    let rows = (0..now.rows.len().min(next.rows.len()))
        .map(|i| {
            (
                now.rows[i].name.to_string(),
                count(&next, i) - count(&now, i),
            )
        })
        .filter(|(_, d)| *d != 0)
        .collect();
    let total_of = |s: &Summary| s.totals.total().ok().map(i128::from);
    let total = total_of(&next)? - total_of(&now)?;
    let m8 = (size / 8 + 1).checked_mul(8)?;
    let next_multiple_of_8 = at(m8).and_then(|s| s.totals.total().ok()).map(|t| (m8, t));
    Some(Marginal {
        field: knob.field,
        size,
        rows,
        total,
        next_multiple_of_8,
    })
}
