//! Comparing two designs row by row: what was added, removed or changed, and the totals.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::time::{Duration, Instant};

use similar::algorithms::{Compact, DiffHook, myers};

use crate::model::design::Design;
use crate::model::shape::Output;
use crate::model::summary::{Link, Row, Source, Summary};
use crate::model::weights::Convention;

/// How long the search for the shortest edit may take before the rest of the comparison falls
/// back to "these rows were replaced": two unrelated designs of 100,000 layers would otherwise
/// take O(n·m) time. Designs that share most of their layers finish far sooner.
const SEARCH_TIME: Duration = Duration::from_millis(300);

/// One line of a comparison, borrowing its rows from the [`Diff`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Line<'a> {
    /// The same layer, same output and count, in both.
    Same(&'a Row, &'a Row),
    /// The same kind of layer at the same place, with different fields, shape or count.
    Changed(&'a Row, &'a Row),
    /// Only in the first design.
    Removed(&'a Row),
    /// Only in the second design.
    Added(&'a Row),
}

/// One line of a comparison as indices into the two summaries' rows, so a comparison of two
/// large designs costs a few words per row on top of the summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// `a.rows[i]` and `b.rows[j]` are the same.
    Same(usize, usize),
    /// `a.rows[i]` became `b.rows[j]`.
    Changed(usize, usize),
    /// `a.rows[i]` is only in the first design.
    Removed(usize),
    /// `b.rows[j]` is only in the second design.
    Added(usize),
}

/// Two summaries aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// Aligned rows, in order.
    steps: Vec<Step>,
    /// The first design's summary.
    pub a: Summary,
    /// The second design's summary.
    pub b: Summary,
}

impl Diff {
    /// Total parameters of b minus a (both built), as a signed number.
    pub fn total_change(&self) -> Option<i128> {
        let a = self.a.totals.total().ok()?;
        let b = self.b.totals.total().ok()?;
        Some(i128::from(b) - i128::from(a))
    }

    /// The aligned rows, in order.
    pub fn lines(&self) -> impl Iterator<Item = Line<'_>> + '_ {
        let (a, b) = (&self.a.rows, &self.b.rows);
        self.steps.iter().filter_map(move |s| {
            Some(match *s {
                Step::Same(i, j) => Line::Same(a.get(i)?, b.get(j)?),
                Step::Changed(i, j) => Line::Changed(a.get(i)?, b.get(j)?),
                Step::Removed(i) => Line::Removed(a.get(i)?),
                Step::Added(j) => Line::Added(b.get(j)?),
            })
        })
    }

    /// The changed lines made from design layers: for each, its place among [`Diff::lines`]
    /// and the layer's index in the first and in the second design, so that what changed can
    /// be spelled out (a graph's input rows have no layer and are left out).
    pub fn changed(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        let layer = |rows: &[Row], i: usize| match rows.get(i)?.source {
            Source::Layer(l) => Some(l),
            Source::Input(_) | Source::Implicit(_) => None,
        };
        self.steps
            .iter()
            .enumerate()
            .filter_map(move |(at, s)| match *s {
                Step::Changed(i, j) => Some((at, layer(&self.a.rows, i)?, layer(&self.b.rows, j)?)),
                _ => None,
            })
    }

    /// Whether the two designs differ in any row or in their totals.
    pub fn differs(&self) -> bool {
        self.steps.iter().any(|s| !matches!(s, Step::Same(..)))
            || self.a.totals != self.b.totals
            || self.a.error != self.b.error
    }

    /// How many lines [`Diff::lines`] gives.
    pub fn line_count(&self) -> usize {
        self.steps.len()
    }
}

/// Aligns the built rows of two designs: a shortest edit script over identical layers (Myers,
/// in linear space), with the rows between two matches paired up as changes when their classes
/// agree.
pub fn diff(a: &Design, b: &Design, convention: Convention) -> Diff {
    let sa = Summary::of(a, convention);
    let sb = Summary::of(b, convention);
    if !(a.graph.is_chain() && b.graph.is_chain()) {
        let mut ids = HashMap::new();
        let ka = key_ids(a, &sa, &mut ids);
        let kb = key_ids(b, &sb, &mut ids);
        let steps = by_name(&sa.rows, &sb.rows, &ka, &kb);
        return Diff {
            steps,
            a: sa,
            b: sb,
        };
    }
    let steps = {
        // Rows are compared by class, fields, output and count; each distinct key becomes a
        // number once, so the search compares numbers.
        let mut ids = HashMap::new();
        let ka = key_ids(a, &sa, &mut ids);
        let kb = key_ids(b, &sb, &mut ids);
        let mut shortest = Align::new(&sa.rows, &sb.rows);
        let deadline = Instant::now().checked_add(SEARCH_TIME);
        // Compacting slides runs of removed and added rows together, so that a widened layer
        // among identical ones reads as one change rather than an addition here and a removal
        // further down.
        let Ok(()) = myers::diff_deadline(
            &mut Compact::new(&mut shortest, &ka, &kb),
            &ka,
            0..ka.len(),
            &kb,
            0..kb.len(),
            deadline,
        );
        // Layers edited in place, among many identical ones, can also be read as shifted runs
        // (insert two here, remove two at the end) that are just as short: when row-by-row
        // pairing is no longer, it is what the user did.
        if ka.len() == kb.len() {
            let mut in_place = Align::new(&sa.rows, &sb.rows);
            for (i, (x, y)) in ka.iter().zip(&kb).enumerate() {
                if x == y {
                    in_place.push_equal(i, i, 1);
                } else {
                    in_place.removed.push(i);
                    in_place.added.push(i);
                }
            }
            in_place.flush();
            if in_place.edits() <= shortest.edits() {
                shortest = in_place;
            }
        }
        shortest.steps
    };
    Diff {
        steps,
        a: sa,
        b: sb,
    }
}

/// What makes two rows the same layer: class, fields, output, count and (in a graph) what
/// it is connected to.
type Key<'s> = (
    &'static str,
    Option<String>,
    &'s Output,
    Option<u64>,
    &'s [Link],
);

/// Each row's key as a number, the same number for the same key in either design.
fn key_ids<'s>(d: &Design, s: &'s Summary, ids: &mut HashMap<Key<'s>, u32>) -> Vec<u32> {
    s.rows
        .iter()
        .map(|r| {
            let count = r.params.total().ok();
            let brief = match r.source {
                Source::Layer(l) => d.layers.get(l).map(|l| l.kind().brief()),
                Source::Input(_) | Source::Implicit(_) => None,
            };
            let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            *ids.entry((r.class, brief, &r.output, count, s.connected_to(r)))
                .or_insert(next)
        })
        .collect()
}

/// A graph's rows matched by name, as Keras names layers: the same name with the same key is
/// the same row, with another key (of the same class) a change; the rest were removed from
/// the first or added in the second, listed after the first design's rows.
fn by_name(a: &[Row], b: &[Row], ka: &[u32], kb: &[u32]) -> Vec<Step> {
    let in_b: HashMap<&str, usize> = b
        .iter()
        .enumerate()
        .map(|(j, r)| (r.name.as_str(), j))
        .collect();
    let mut matched = vec![false; b.len()];
    let mut steps = Vec::with_capacity(a.len().max(b.len()));
    for (i, r) in a.iter().enumerate() {
        match in_b.get(r.name.as_str()) {
            Some(&j) if b[j].class == r.class => {
                matched[j] = true;
                steps.push(if ka.get(i) == kb.get(j) {
                    Step::Same(i, j)
                } else {
                    Step::Changed(i, j)
                });
            }
            _ => steps.push(Step::Removed(i)),
        }
    }
    steps.extend((0..b.len()).filter(|&j| !matched[j]).map(Step::Added));
    steps
}

/// Collects the edit script into steps, holding back removed and added rows until the next
/// match so that they can be paired up as changes.
struct Align<'a> {
    a: &'a [Row],
    b: &'a [Row],
    steps: Vec<Step>,
    removed: Vec<usize>,
    added: Vec<usize>,
}

impl<'a> Align<'a> {
    fn new(a: &'a [Row], b: &'a [Row]) -> Self {
        Align {
            a,
            b,
            steps: Vec::with_capacity(a.len().max(b.len())),
            removed: Vec::new(),
            added: Vec::new(),
        }
    }

    /// Rows removed or added so far (a change counts as both).
    fn edits(&self) -> usize {
        self.steps
            .iter()
            .map(|s| match s {
                Step::Same(..) => 0,
                Step::Changed(..) => 2,
                Step::Removed(_) | Step::Added(_) => 1,
            })
            .sum()
    }

    /// `len` rows equal in both, from `old` and `new`.
    fn push_equal(&mut self, old: usize, new: usize, len: usize) {
        self.flush();
        self.steps
            .extend((0..len).map(|k| Step::Same(old + k, new + k)));
    }

    /// Pairs each held-back removed row with the first held-back added row of its class, in
    /// order; what is left over stays removed or added.
    fn flush(&mut self) {
        // Positions in `added`, per class, first first.
        let mut by_class: HashMap<&str, VecDeque<usize>> = HashMap::new();
        for (k, r) in self.added.iter().enumerate() {
            if let Some(r) = self.b.get(*r) {
                by_class.entry(r.class).or_default().push_back(k);
            }
        }
        let mut paired = vec![false; self.added.len()];
        for i in self.removed.drain(..) {
            let partner = self
                .a
                .get(i)
                .and_then(|r| by_class.get_mut(r.class))
                .and_then(VecDeque::pop_front);
            match partner.and_then(|k| Some((k, *self.added.get(k)?))) {
                Some((k, j)) => {
                    if let Some(p) = paired.get_mut(k) {
                        *p = true;
                    }
                    self.steps.push(Step::Changed(i, j));
                }
                None => self.steps.push(Step::Removed(i)),
            }
        }
        for (j, taken) in self.added.drain(..).zip(paired) {
            if !taken {
                self.steps.push(Step::Added(j));
            }
        }
    }
}

impl DiffHook for Align<'_> {
    type Error = Infallible;

    fn equal(&mut self, old: usize, new: usize, len: usize) -> Result<(), Infallible> {
        self.push_equal(old, new, len);
        Ok(())
    }

    fn delete(&mut self, old: usize, len: usize, _new: usize) -> Result<(), Infallible> {
        self.removed.extend(old..old + len);
        Ok(())
    }

    fn insert(&mut self, _old: usize, new: usize, len: usize) -> Result<(), Infallible> {
        self.added.extend(new..new + len);
        Ok(())
    }

    fn finish(&mut self) -> Result<(), Infallible> {
        self.flush();
        Ok(())
    }
}
