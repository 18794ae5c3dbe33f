//! Comparing two designs row by row: what was added, removed or changed, and the totals.

use crate::model::design::Design;
use crate::model::summary::{Row, Summary};
use crate::model::weights::Convention;

/// One line of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// The same layer, same output and count, in both.
    Same(Row, Row),
    /// The same kind of layer at the same place, with different fields, shape or count.
    Changed(Row, Row),
    /// Only in the first design.
    Removed(Row),
    /// Only in the second design.
    Added(Row),
}

/// Two summaries aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// Aligned rows, in order.
    pub lines: Vec<Line>,
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
}

/// Aligns the built rows of two designs: a longest common subsequence of identical layers,
/// with the rows between two matches paired up as changes when their classes agree.
pub fn diff(a: &Design, b: &Design, convention: Convention) -> Diff {
    let sa = Summary::of(a, convention);
    let sb = Summary::of(b, convention);
    let key = |d: &Design, r: &Row, i: usize| {
        let count = r.params.as_ref().ok().and_then(|p| p.total().ok());
        (r.class, d.layers[i].kind().brief(), r.output.clone(), count)
    };
    let ka: Vec<_> = sa
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| key(a, r, i))
        .collect();
    let kb: Vec<_> = sb
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| key(b, r, i))
        .collect();
    // LCS table over identical layers; sizes are a few hundred rows at most in practice.
    let (n, m) = (ka.len(), kb.len());
    let mut t = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i][j] = if ka[i] == kb[j] {
                t[i + 1][j + 1] + 1
            } else {
                t[i + 1][j].max(t[i][j + 1])
            };
        }
    }
    let mut lines = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut pending_a = Vec::new();
    let mut pending_b = Vec::new();
    let flush = |lines: &mut Vec<Line>, pa: &mut Vec<usize>, pb: &mut Vec<usize>| {
        let mut pb_left: Vec<Option<usize>> = pb.drain(..).map(Some).collect();
        for ia in pa.drain(..) {
            let partner = pb_left
                .iter_mut()
                .find(|slot| slot.is_some_and(|jb| sb.rows[jb].class == sa.rows[ia].class));
            match partner.and_then(Option::take) {
                Some(jb) => lines.push(Line::Changed(sa.rows[ia].clone(), sb.rows[jb].clone())),
                None => lines.push(Line::Removed(sa.rows[ia].clone())),
            }
        }
        lines.extend(
            pb_left
                .into_iter()
                .flatten()
                .map(|jb| Line::Added(sb.rows[jb].clone())),
        );
    };
    while i < n || j < m {
        if i < n && j < m && ka[i] == kb[j] {
            flush(&mut lines, &mut pending_a, &mut pending_b);
            lines.push(Line::Same(sa.rows[i].clone(), sb.rows[j].clone()));
            i += 1;
            j += 1;
        } else if j == m || (i < n && t[i + 1][j] >= t[i][j + 1]) {
            pending_a.push(i);
            i += 1;
        } else {
            pending_b.push(j);
            j += 1;
        }
    }
    flush(&mut lines, &mut pending_a, &mut pending_b);
    Diff {
        lines,
        a: sa,
        b: sb,
    }
}
