//! Keras' rules for masks: which layers start one (`Embedding(mask_zero=True)`, `Masking`),
//! which calls receive it as their `mask` keyword, which hand it on to their output, and the
//! shapes of the operations Keras adds to compute the masks of merges. The summary's implicit
//! rows and "Connected to" entries and the PyTorch export's masking both follow them; each
//! kind's part is its [`MaskUse`](crate::model::layers::MaskUse), recorded from Keras.

use crate::model::layers::{Kind, Layer, MaskUse};
use crate::model::shape::{Dims, Shape};

/// Whether a layer computes a mask of its own from what it receives: a design without one
/// has no mask anywhere.
pub(crate) fn starts_mask(layer: &Layer) -> bool {
    match layer {
        Layer::Embedding(e) => e.mask_zero,
        other => other.kind().keras().mask == MaskUse::Makes,
    }
}

/// Whether a kind's call takes a `mask` (Keras passes the incoming tensor's mask to it).
pub(crate) fn takes_mask(kind: &dyn Kind) -> bool {
    kind.keras().mask.takes()
}

/// Whether a kind's call hands its input's mask on to its output: kinds that keep it, a
/// recurrent one only while it returns sequences.
pub(crate) fn passes_mask(kind: &dyn Kind) -> bool {
    kind.keras().mask.passes() && !kind.drops_time_axis()
}

/// The shape of an element-wise operation on two boolean masks (`LogicalOr`), as Keras'
/// `broadcast_shapes` gives it: trailing axes line up, a 1 stretches, an open size takes the
/// other's. Masks Keras could not broadcast keep the first's size.
pub(crate) fn broadcast(a: &Shape, b: &Shape) -> Shape {
    let rank = a.0.len().max(b.0.len());
    let padded = |s: &Shape, p: usize| match p.checked_sub(rank - s.0.len()) {
        Some(at) => s.0[at],
        None => Some(1),
    };
    let dims: Dims = (0..rank)
        .map(|p| match (padded(a, p), padded(b, p)) {
            (Some(1), other) => other,
            (None, Some(1)) => None,
            (None, other) => other,
            (mine, _) => mine,
        })
        .collect();
    Shape(dims)
}

/// The mask `ExpandDims(axis=-1)` makes: one more axis of size 1.
pub(crate) fn expanded(mask: &Shape) -> Shape {
    let mut dims = mask.0.clone();
    dims.push(Some(1));
    Shape(dims)
}

/// The mask `Any(axis=-1)` makes: the last axis reduced away.
pub(crate) fn reduced(mask: &Shape) -> Shape {
    Shape(mask.leading().iter().copied().collect())
}

#[cfg(test)]
mod tests {
    use super::broadcast;
    use crate::model::shape::Shape;

    #[test]
    fn masks_broadcast_as_keras_broadcast_shapes_does() {
        let s = |d: &[Option<u64>]| Shape(d.iter().copied().collect());
        // Cases read off Keras' operation_utils.broadcast_shapes.
        let cases = [
            (
                s(&[Some(10), Some(1)]),
                s(&[Some(10), Some(8)]),
                s(&[Some(10), Some(8)]),
            ),
            (
                s(&[None, Some(1)]),
                s(&[Some(6), Some(8)]),
                s(&[Some(6), Some(8)]),
            ),
            (s(&[None]), s(&[Some(1)]), s(&[None])),
            (
                s(&[Some(4)]),
                s(&[Some(3), Some(4)]),
                s(&[Some(3), Some(4)]),
            ),
            (s(&[Some(4)]), s(&[None]), s(&[Some(4)])),
        ];
        for (a, b, want) in cases {
            assert_eq!(broadcast(&a, &b), want, "{a} with {b}");
        }
    }
}
