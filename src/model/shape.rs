//! Tensor shapes with the batch dimension left open, as Keras prints them: `(None, 100, 64)`.

use std::fmt;

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

/// One dimension of a tensor: a known size, or `None` when it is left open (the batch size
/// always is; a sequence length may be).
pub type Dim = Option<u64>;

/// Dimensions held in place up to this rank (a volume's `(depth, height, width, channels)`),
/// so computing a summary allocates no shape per row; longer shapes (ConvLSTM3D's input has 5
/// without the batch) spill to the heap. Every row holds two shapes, so each further place
/// would add 32 bytes to every row of every summary.
const INLINE_RANK: usize = 4;

/// A shape's dimensions, without the batch: a vector that needs no allocation for the ranks
/// nearly every layer takes.
pub type Dims = SmallVec<[Dim; INLINE_RANK]>;

/// A shape without its batch dimension. `(None, 100, 64)` is
/// `Shape(smallvec![Some(100), Some(64)])`: the leading `None` is implied, because every Keras
/// layer keeps the batch size open.
#[derive(Debug, PartialEq, Eq, Hash, Default)]
pub struct Shape(pub Dims);

/// Shapes are cloned for every row of a summary: one held in place is copied as its fixed-size
/// buffer, read place by place, which compiles to a few moves where a copy of its used length
/// (or the derived clone's iterator) costs a call.
impl Clone for Shape {
    #[inline]
    fn clone(&self) -> Self {
        if self.0.spilled() {
            return Self(Dims::from_slice(&self.0));
        }
        let places: [Dim; INLINE_RANK] = std::array::from_fn(|i| self.0.get(i).copied().flatten());
        Self(Dims::from_buf_and_len(places, self.0.len()))
    }
}

impl Shape {
    /// A shape whose dimensions are all known.
    pub fn known(dims: &[u64]) -> Self {
        Self(dims.iter().map(|&d| Some(d)).collect())
    }

    /// Rank including the batch dimension, as Keras counts `ndim`.
    pub fn ndim(&self) -> usize {
        self.0.len() + 1
    }

    /// The last dimension (features / channels), if any.
    pub fn last(&self) -> Option<Dim> {
        self.0.last().copied()
    }

    /// All dimensions but the last.
    pub fn leading(&self) -> &[Dim] {
        &self.0[..self.0.len().saturating_sub(1)]
    }

    /// This shape with its last dimension replaced.
    pub fn with_last(&self, last: u64) -> Self {
        // Through `Shape::clone`, which copies the dimensions as a slice.
        let Self(mut dims) = self.clone();
        if let Some(d) = dims.last_mut() {
            *d = Some(last);
        } else {
            dims.push(Some(last));
        }
        Self(dims)
    }

    /// Product of all dimensions; `None` when one is open, an error on overflow.
    pub fn elements(&self) -> Result<Option<u64>, Overflow> {
        let mut n: u64 = 1;
        for d in &self.0 {
            match d {
                Some(d) => n = n.checked_mul(*d).ok_or(Overflow)?,
                None => return Ok(None),
            }
        }
        Ok(Some(n))
    }

    /// The shape as Python writes it without the batch axis: `(100,)`, `(None, 6)`.
    pub fn python(&self) -> String {
        let dims: Vec<String> = self
            .0
            .iter()
            .map(|d| d.map_or("None".into(), |d| d.to_string()))
            .collect();
        match dims.as_slice() {
            [one] => format!("({one},)"),
            _ => format!("({})", dims.join(", ")),
        }
    }
}

impl fmt::Display for Shape {
    /// Keras' spelling: `(None, 100, 64)`; a 1-tuple keeps no trailing comma, as Keras 3 prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(None")?;
        for d in &self.0 {
            match d {
                Some(d) => write!(f, ", {d}")?,
                None => f.write_str(", None")?,
            }
        }
        f.write_str(")")
    }
}

/// What a layer produces: one tensor, or several (a `Bidirectional` with `merge_mode=None`
/// returns the forward and backward outputs separately).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Output {
    /// The usual case: one tensor.
    One(Shape),
    /// Several tensors, in the order Keras returns them.
    Many(Vec<Shape>),
}

impl Output {
    /// The single tensor, if there is exactly one.
    pub fn single(&self) -> Option<&Shape> {
        match self {
            Output::One(s) => Some(s),
            Output::Many(_) => None,
        }
    }

    /// How many tensors it holds.
    pub fn count(&self) -> usize {
        match self {
            Output::One(_) => 1,
            Output::Many(list) => list.len(),
        }
    }

    /// All its tensors (`index` `None`), or the one at `index`; `None` when it has no such
    /// tensor.
    pub fn tensors(&self, index: Option<usize>) -> Option<&[Shape]> {
        match (self, index) {
            (Output::One(s), None | Some(0)) => Some(std::slice::from_ref(s)),
            (Output::Many(list), None) => Some(list),
            (Output::Many(list), Some(i)) => list.get(i).map(std::slice::from_ref),
            (Output::One(_), Some(_)) => None,
        }
    }
}

impl fmt::Display for Output {
    /// Keras prints several outputs as `[(None, 8), (None, 8)]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::One(s) => s.fmt(f),
            Output::Many(v) => {
                f.write_str("[")?;
                for (i, s) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    s.fmt(f)?;
                }
                f.write_str("]")
            }
        }
    }
}

/// A count that does not fit in 64 bits. Checked arithmetic gives this, which `?` turns into
/// [`LayerError::Overflow`](crate::model::error::LayerError::Overflow): an error built ahead
/// for `ok_or` would be dropped, through a call, after every sum that fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// Design files write a shape as a plain list, `[100, 6]`, with `None` for an open dimension.
impl Serialize for Shape {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for d in &self.0 {
            match d {
                Some(d) => seq.serialize_element(d)?,
                None => seq.serialize_element(&None::<u64>)?,
            }
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DimSeed;
        impl<'de> serde::de::Visitor<'de> for DimSeed {
            type Value = Dim;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a positive size or None")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Dim, E> {
                Ok(Some(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Dim, E> {
                u64::try_from(v)
                    .map(Some)
                    .map_err(|_| E::custom(format!("a size cannot be negative ({v})")))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Dim, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Dim, E> {
                Ok(None)
            }
            fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Dim, D2::Error> {
                d.deserialize_any(self)
            }
        }
        impl<'de> serde::de::DeserializeSeed<'de> for DimSeed {
            type Value = Dim;
            fn deserialize<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Dim, D2::Error> {
                d.deserialize_any(self)
            }
        }
        struct SeqVisitor;
        impl<'de> serde::de::Visitor<'de> for SeqVisitor {
            type Value = Shape;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of sizes such as [100, 6]")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Shape, A::Error> {
                let mut dims = Dims::new();
                while let Some(d) = a.next_element_seed(DimSeed)? {
                    dims.push(d);
                }
                Ok(Shape(dims))
            }
        }
        d.deserialize_seq(SeqVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::{Dims, INLINE_RANK, Shape};

    #[test]
    fn a_clone_holds_the_same_dimensions_in_place_or_spilled() {
        // Ranks 0 to two past the places held in place, with open dimensions among them: a
        // clone that copied the wrong count, or read places past the used ones, differs.
        for rank in 0..=INLINE_RANK + 2 {
            let dims: Dims = (0..rank as u64)
                .map(|d| (d % 3 != 1).then_some(d + 7))
                .collect();
            let shape = Shape(dims);
            let copy = shape.clone();
            assert_eq!(copy, shape, "rank {rank}");
            assert_eq!(copy.0.len(), rank);
            assert_eq!(copy.0.spilled(), rank > INLINE_RANK);
            let mut shorter = shape.clone();
            shorter.0.pop();
            assert_eq!(shorter.clone(), shorter, "rank {rank} less one");
        }
    }
}
