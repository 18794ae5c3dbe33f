//! Zero padding and cropping: a fixed number of positions added (zeros) or removed at each
//! end of every spatial axis. No weights, in Keras or PyTorch.

use serde::{Deserialize, Serialize};

use super::{
    Catalogued, DataFormat, Keras, KerasFacts, Kind, Knob, KnobValue, is_true, no_weights, yes,
};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::shape::{Dim, Output, Shape};
use crate::model::weights::{Convention, Sink, add};

/// Per spatial axis, what goes at its start and at its end: `(2, 2)` for one axis,
/// `((1, 1), (2, 3))` for two.
pub(crate) trait Edges {
    /// The `(start, end)` pairs, one per spatial axis.
    fn pairs(&self) -> &[[u64; 2]];
}

impl Edges for [u64; 2] {
    fn pairs(&self) -> &[[u64; 2]] {
        std::slice::from_ref(self)
    }
}

impl<const N: usize> Edges for [[u64; 2]; N] {
    fn pairs(&self) -> &[[u64; 2]] {
        self
    }
}

/// Keras' spelling of the pairs: `(2, 2)` for one axis, `((1, 1), (2, 3))` for more.
fn spelled(pairs: &[[u64; 2]]) -> String {
    let each: Vec<String> = pairs.iter().map(|[a, b]| format!("({a}, {b})")).collect();
    match each.as_slice() {
        [one] => one.clone(),
        _ => format!("({})", each.join(", ")),
    }
}

/// Whether a kind adds or removes positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// Zeros added at both ends.
    Pad,
    /// Positions removed at both ends.
    Crop,
}

/// The output shape after padding or cropping every spatial axis; a crop that leaves an axis
/// empty is refused, as Keras refuses it.
fn edged(
    class: &str,
    layout: &str,
    input: &Shape,
    pairs: &[[u64; 2]],
    data_format: DataFormat,
    edge: Edge,
) -> Result<Output, LayerError> {
    if input.ndim() != pairs.len() + 2 {
        return Err(LayerError::shape(
            layout,
            input,
            format!("{class} needs that layout: put it after a layer that keeps it"),
        ));
    }
    let (spatial, channels) = data_format.split(input);
    let mut out: Vec<Dim> = Vec::with_capacity(pairs.len() + 1);
    for (dim, &[start, end]) in spatial.iter().zip(pairs) {
        let Some(len) = dim else {
            out.push(None);
            continue;
        };
        let both = add(&[start, end])?;
        out.push(Some(match edge {
            Edge::Pad => add(&[*len, both])?,
            Edge::Crop if both < *len => len - both,
            Edge::Crop => {
                return Err(LayerError::shape(
                    format!(
                        "more than {both} positions on each cropped axis (cropping={})",
                        spelled(pairs)
                    ),
                    input,
                    "cropping must leave at least one position on every axis: crop less, or crop a longer input",
                ));
            }
        }));
    }
    Ok(Output::One(data_format.join(out, channels)))
}

/// One note per known spatial axis with its arithmetic: `height: 8 + 1 + 2 = 11`.
fn axis_notes(e: &mut Explanation, spatial: &[Dim], pairs: &[[u64; 2]], edge: Edge) {
    for (axis, (dim, &[start, end])) in spatial.iter().zip(pairs).enumerate() {
        let Some(len) = dim else { continue };
        let out = match edge {
            Edge::Pad => len.checked_add(start).and_then(|n| n.checked_add(end)),
            Edge::Crop => len.checked_sub(start).and_then(|n| n.checked_sub(end)),
        };
        let sign = if edge == Edge::Pad { '+' } else { '−' };
        if let Some(out) = out {
            e.note(format!(
                "spatial axis {}: {len} {sign} {start} {sign} {end} = {out}",
                axis + 1
            ));
        }
    }
}

/// The shared body of the padding and cropping kinds; each defines `pairs()` and `layout()`.
macro_rules! edge_kind {
    ($name:ident, $auto:literal, $layout:literal, $edge:ident, $field:ident, $torch:literal) => {
        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                edged(
                    self.class(),
                    $layout,
                    input,
                    self.pairs(),
                    self.layout(),
                    Edge::$edge,
                )
            }
            fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
                Ok(())
            }
            fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
                let mut e = Explanation::default();
                let what = match Edge::$edge {
                    Edge::Pad => "adds zeros at both ends of each spatial axis",
                    Edge::Crop => "removes positions at both ends of each spatial axis",
                };
                no_weights(&mut e, self.class(), &format!("{} {what}.", self.class()));
                e.note(format!(
                    concat!(
                        stringify!($field),
                        "={} (start, end) per axis changes only the output shape."
                    ),
                    spelled(self.pairs())
                ));
                axis_notes(
                    &mut e,
                    self.layout().split(input).0,
                    self.pairs(),
                    Edge::$edge,
                );
                e.note(concat!(
                    "PyTorch writes it as ",
                    $torch,
                    "; no parameters either."
                ));
                Ok(e)
            }
            fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                Ok(zero(tally, self.class(), || {
                    format!("{} only moves values: no weight products.", self.class())
                }))
            }
            fn brief(&self) -> String {
                format!("{} {}", self.class(), spelled(self.pairs()))
            }
            fn knob(&self) -> Option<Knob> {
                None
            }
            fn set_knob(&mut self, _: KnobValue) {}
            name_and_trainable!();
        }
    };
}

/// A padding or cropping kind with a `data_format`.
macro_rules! edge_struct {
    ($(#[$doc:meta])* $name:ident, $field:ident, $ty:ty, $default:expr, $rank:literal,
     $auto:literal, $layout:literal, $edge:ident, $torch:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// `(start, end)` per spatial axis.
            pub $field: $ty,
            /// Where the channel axis is.
            pub data_format: DataFormat,
            /// A name instead of Keras' automatic one.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub name: Option<String>,
            /// Kept for round trips; nothing to freeze.
            #[serde(default = "yes", skip_serializing_if = "is_true")]
            pub trainable: bool,
        }

        impl Default for $name {
            fn default() -> Self {
                Self {
                    $field: $default,
                    data_format: DataFormat::ChannelsLast,
                    name: None,
                    trainable: true,
                }
            }
        }

        impl $name {
            /// `(start, end)` per spatial axis.
            pub fn pairs(&self) -> &[[u64; 2]] {
                self.$field.pairs()
            }
            /// Where the channel axis is.
            pub fn layout(&self) -> DataFormat {
                self.data_format
            }
        }

        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                positional: &[stringify!($field), "data_format"],
                leading: 1,
                rank: $rank,
                ..KerasFacts::PLAIN
            };
        }

        edge_kind!($name, $auto, $layout, $edge, $field, $torch);
    };
}

edge_struct!(
    /// `keras.layers.ZeroPadding1D`: zeros before and after the timesteps.
    ZeroPadding1D, padding, [u64; 2], [1, 1], 1, "zero_padding1d",
    "3-D input (batch, steps, channels)", Pad, "F.pad"
);

edge_struct!(
    /// `keras.layers.ZeroPadding2D`: zeros around an image.
    ZeroPadding2D, padding, [[u64; 2]; 2], [[1, 1]; 2], 2, "zero_padding2d",
    "4-D input (batch, height, width, channels)", Pad, "F.pad"
);

edge_struct!(
    /// `keras.layers.ZeroPadding3D`: zeros around a volume.
    ZeroPadding3D, padding, [[u64; 2]; 3], [[1, 1]; 3], 3, "zero_padding3d",
    "5-D input (batch, depth, height, width, channels)", Pad, "F.pad"
);

edge_struct!(
    /// `keras.layers.Cropping2D`: rows and columns cut from an image's edges.
    Cropping2D, cropping, [[u64; 2]; 2], [[0, 0]; 2], 2, "cropping2d",
    "4-D input (batch, height, width, channels)", Crop, "slicing"
);

edge_struct!(
    /// `keras.layers.Cropping3D`: planes cut from a volume's faces.
    Cropping3D, cropping, [[u64; 2]; 3], [[1, 1]; 3], 3, "cropping3d",
    "5-D input (batch, depth, height, width, channels)", Crop, "slicing"
);

/// `keras.layers.Cropping1D`: timesteps cut from both ends of a sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Cropping1D {
    /// Timesteps cut at the start and at the end.
    pub cropping: [u64; 2],
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Cropping1D {
    fn default() -> Self {
        Self {
            cropping: [1, 1],
            name: None,
            trainable: true,
        }
    }
}

impl Cropping1D {
    /// `(start, end)`: one axis.
    pub fn pairs(&self) -> &[[u64; 2]] {
        self.cropping.pairs()
    }
    /// Keras' Cropping1D has no `data_format`: the time axis is always the second.
    pub fn layout(&self) -> DataFormat {
        DataFormat::ChannelsLast
    }
}

impl Keras for Cropping1D {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["cropping"],
        leading: 1,
        rank: 1,
        ..KerasFacts::PLAIN
    };
}

edge_kind!(
    Cropping1D,
    "cropping1d",
    "3-D input (batch, steps, channels)",
    Crop,
    cropping,
    "slicing"
);
