//! Why the shapes a merge receives agree, or where they do not, told axis by axis with the
//! real sizes: the detail pane's and `explain`'s first step for a merge, and the refusal's fix.

use crate::model::shape::Shape;

/// What one axis of an element-wise merge does, its inputs lined up from the last axis as
/// Keras lines them up (a missing leading axis counts as 1).
enum Axis {
    /// Every size is the same, 1 everywhere, or open.
    Agrees,
    /// Sizes of 1 stretch to this size.
    Broadcasts(u64),
    /// Two sizes that are not 1 and differ.
    Differs(u64, u64),
}

/// Each feature axis (batch = 0 not listed) of an element-wise merge of `inputs`.
fn axes(inputs: &[Shape]) -> Vec<Axis> {
    let rank = inputs.iter().map(|s| s.0.len()).max().unwrap_or(0);
    (0..rank)
        .map(|p| {
            // Open sizes agree with any (the output axis stays open), so only known ones count.
            let known: Vec<u64> = inputs
                .iter()
                .filter_map(|s| match p.checked_sub(rank - s.0.len()) {
                    Some(at) => s.0[at],
                    None => Some(1),
                })
                .collect();
            let mut big = known.iter().copied().filter(|&n| n != 1);
            match (big.next(), known.contains(&1)) {
                (Some(a), stretched) => match big.find(|&b| b != a) {
                    Some(b) => Axis::Differs(a, b),
                    None if stretched => Axis::Broadcasts(a),
                    None => Axis::Agrees,
                },
                (None, _) => Axis::Agrees,
            }
        })
        .collect()
}

/// Where an element-wise merge's shapes do not line up: `axis 2 has 64 and 32, and neither
/// is 1` (axes counted as Keras counts them, the batch as 0).
pub(super) fn conflict(inputs: &[Shape]) -> Option<String> {
    axes(inputs).iter().enumerate().find_map(|(p, a)| match a {
        Axis::Differs(x, y) => Some(format!("axis {} has {x} and {y}, and neither is 1", p + 1)),
        Axis::Agrees | Axis::Broadcasts(_) => None,
    })
}

/// Why an element-wise merge's shapes agree: `(None, 64) + (None, 64) agree on every axis`,
/// or which axes broadcast: `(None, 10, 64) + (None, 1, 64): axis 1 broadcasts 1 → 10, the
/// other axes agree`; where they differ when they do not.
pub(super) fn elementwise(class: &str, inputs: &[Shape]) -> String {
    let op = match class {
        "Add" => " + ",
        "Subtract" => " - ",
        "Multiply" => " × ",
        _ => ", ",
    };
    let shapes: Vec<String> = inputs.iter().map(ToString::to_string).collect();
    let listed = shapes.join(op);
    if let Some(why) = conflict(inputs) {
        return format!("{listed}: {why}");
    }
    let stretched: Vec<String> = axes(inputs)
        .iter()
        .enumerate()
        .filter_map(|(p, a)| match a {
            Axis::Broadcasts(n) => Some(format!("axis {} broadcasts 1 → {n}", p + 1)),
            Axis::Agrees | Axis::Differs(..) => None,
        })
        .collect();
    if stretched.is_empty() {
        format!("{listed} agree on every axis")
    } else {
        format!("{listed}: {}, the other axes agree", stretched.join(", "))
    }
}

/// Why a concatenation's shapes agree: every axis but the joined one (feature axis `at`,
/// from 0 after the batch) agrees, and the joined sizes add up:
/// `(None, 4, 8), (None, 6, 8) agree on every axis but axis 1, whose sizes add up: 4 + 6 = 10`.
pub(super) fn concatenated(inputs: &[Shape], at: usize) -> String {
    let shapes: Vec<String> = inputs.iter().map(ToString::to_string).collect();
    let sizes: Option<Vec<u64>> = inputs
        .iter()
        .map(|s| s.0.get(at).copied().flatten())
        .collect();
    let sum = sizes.as_ref().and_then(|s| {
        s.iter()
            .try_fold(0u64, |acc, &n| acc.checked_add(n))
            .map(|total| {
                let parts: Vec<String> = s.iter().map(u64::to_string).collect();
                format!("{} = {total}", parts.join(" + "))
            })
    });
    let sum = sum.unwrap_or_else(|| "an open size leaves it open".into());
    format!(
        "{} agree on every axis but axis {}, whose sizes add up: {sum}",
        shapes.join(", "),
        at + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_shapes_agree_on_every_axis() {
        let s = Shape::known(&[64]);
        assert_eq!(
            elementwise("Add", &[s.clone(), s]),
            "(None, 64) + (None, 64) agree on every axis"
        );
    }

    #[test]
    fn a_size_of_one_or_a_missing_axis_broadcasts() {
        let a = Shape::known(&[10, 64]);
        let b = Shape::known(&[1, 64]);
        assert_eq!(
            elementwise("Multiply", &[a.clone(), b]),
            "(None, 10, 64) × (None, 1, 64): axis 1 broadcasts 1 → 10, the other axes agree"
        );
        let c = Shape::known(&[64]);
        assert!(elementwise("Maximum", &[a, c]).contains("axis 1 broadcasts 1 → 10"));
    }

    #[test]
    fn differing_sizes_name_their_axis() {
        let a = Shape::known(&[5, 64]);
        let b = Shape::known(&[5, 32]);
        assert_eq!(
            conflict(&[a, b]).as_deref(),
            Some("axis 2 has 64 and 32, and neither is 1")
        );
    }
}
