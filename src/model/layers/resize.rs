//! Resizing: `UpSampling1D/2D/3D` repeat (or, in 2-D, interpolate) every position `size` times
//! along each spatial axis. No weights, in Keras or PyTorch.

use serde::{Deserialize, Serialize};

use super::conv::{Dims, tuple};
use super::{
    Catalogued, DataFormat, Keras, KerasFacts, Kind, Knob, KnobValue, is_true, no_weights,
    positive, yes,
};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::shape::{Dim, Output, Shape};
use crate::model::weights::{Convention, Sink, mul};

/// How `UpSampling2D` fills the new positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interpolation {
    /// Each value repeated `size` times: Keras' default.
    #[default]
    Nearest,
    /// Linear between the two nearest values along each axis.
    Bilinear,
    /// Keys' cubic kernel (a = -0.5) over the four nearest values along each axis.
    Bicubic,
    /// Lanczos kernel over the six nearest values along each axis.
    Lanczos3,
    /// Lanczos kernel over the ten nearest values along each axis.
    Lanczos5,
}

impl Interpolation {
    /// Keras' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Interpolation::Nearest => "nearest",
            Interpolation::Bilinear => "bilinear",
            Interpolation::Bicubic => "bicubic",
            Interpolation::Lanczos3 => "lanczos3",
            Interpolation::Lanczos5 => "lanczos5",
        }
    }
}

/// The output of an up-sampling: each known spatial axis times its factor, open ones open.
fn scaled(
    class: &str,
    layout: &str,
    input: &Shape,
    sizes: &[u64],
    data_format: DataFormat,
) -> Result<Output, LayerError> {
    for &s in sizes {
        positive("size", s)?;
    }
    if input.ndim() != sizes.len() + 2 {
        return Err(LayerError::shape(
            layout,
            input,
            format!("{class} needs that layout: put it after a layer that keeps it"),
        ));
    }
    let (spatial, channels) = data_format.split(input);
    let mut out: Vec<Dim> = Vec::with_capacity(sizes.len() + 1);
    for (dim, &s) in spatial.iter().zip(sizes) {
        out.push(match dim {
            Some(n) => Some(mul(&[*n, s])?),
            None => None,
        });
    }
    Ok(Output::One(data_format.join(out, channels)))
}

/// The shared body of every up-sampling kind; each defines `sizes()` and `layout()`.
macro_rules! upsampling_kind {
    ($name:ident, $auto:literal, $layout:literal, $torch:literal) => {
        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                scaled(self.class(), $layout, input, self.size.dims(), self.layout())
            }
            fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
                Ok(())
            }
            fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
                let mut e = Explanation::default();
                no_weights(
                    &mut e,
                    self.class(),
                    &format!("{} repeats each position along the spatial axes.", self.class()),
                );
                e.note(format!(
                    "size={} multiplies each spatial axis by its factor, so only the output shape changes.",
                    tuple(self.size.dims())
                ));
                let (spatial, _) = self.layout().split(input);
                for (axis, (dim, &s)) in spatial.iter().zip(self.size.dims()).enumerate() {
                    if let Some((n, out)) = dim.and_then(|n| Some((n, n.checked_mul(s)?))) {
                        e.note(format!("spatial axis {}: {n} × {s} = {out}", axis + 1));
                    }
                }
                e.note(concat!("PyTorch writes it as ", $torch, "; no parameters either."));
                Ok(e)
            }
            fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                Ok(zero(tally, self.class(), || {
                    format!("{} copies values (or blends them without weights): no weight products.", self.class())
                }))
            }
            fn brief(&self) -> String {
                let mut s = format!("{} ×{}", self.class(), tuple(self.size.dims()));
                if let Some(method) = self.method().filter(|m| *m != Interpolation::Nearest) {
                    s.push(' ');
                    s.push_str(method.as_str());
                }
                s
            }
            fn knob(&self) -> Option<Knob> {
                None
            }
            fn set_knob(&mut self, _: KnobValue) {}
            name_and_trainable!();
        }
    };
}

/// `keras.layers.UpSampling1D`: each timestep repeated `size` times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpSampling1D {
    /// How many times each timestep is repeated.
    pub size: u64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for UpSampling1D {
    fn default() -> Self {
        Self {
            size: 2,
            name: None,
            trainable: true,
        }
    }
}

impl UpSampling1D {
    /// Only UpSampling2D interpolates.
    fn method(&self) -> Option<Interpolation> {
        None
    }
    /// Keras' UpSampling1D has no `data_format`: the time axis is always the second.
    pub fn layout(&self) -> DataFormat {
        DataFormat::ChannelsLast
    }
}

impl Keras for UpSampling1D {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["size"],
        leading: 1,
        rank: 1,
        ..KerasFacts::PLAIN
    };
}

upsampling_kind!(
    UpSampling1D,
    "up_sampling1d",
    "3-D input (batch, steps, channels)",
    "x.repeat_interleave(size, dim=1)"
);

/// `keras.layers.UpSampling2D`: each row and column repeated (or interpolated) `size` times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpSampling2D {
    /// The factor for height and width.
    pub size: [u64; 2],
    /// Where the channel axis is.
    pub data_format: DataFormat,
    /// How the new positions are filled.
    pub interpolation: Interpolation,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for UpSampling2D {
    fn default() -> Self {
        Self {
            size: [2, 2],
            data_format: DataFormat::ChannelsLast,
            interpolation: Interpolation::Nearest,
            name: None,
            trainable: true,
        }
    }
}

impl UpSampling2D {
    /// How the new positions are filled.
    fn method(&self) -> Option<Interpolation> {
        Some(self.interpolation)
    }
    /// Where the channel axis is.
    pub fn layout(&self) -> DataFormat {
        self.data_format
    }
}

impl Keras for UpSampling2D {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["size", "data_format", "interpolation"],
        leading: 1,
        rank: 2,
        ..KerasFacts::PLAIN
    };
}

upsampling_kind!(
    UpSampling2D,
    "up_sampling2d",
    "4-D input (batch, height, width, channels)",
    "nn.Upsample(scale_factor=size, mode=\"nearest\") for nearest"
);

/// `keras.layers.UpSampling3D`: each position repeated `size` times along each axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpSampling3D {
    /// The factor for depth, height and width.
    pub size: [u64; 3],
    /// Where the channel axis is.
    pub data_format: DataFormat,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for UpSampling3D {
    fn default() -> Self {
        Self {
            size: [2, 2, 2],
            data_format: DataFormat::ChannelsLast,
            name: None,
            trainable: true,
        }
    }
}

impl UpSampling3D {
    /// Only UpSampling2D interpolates.
    fn method(&self) -> Option<Interpolation> {
        None
    }
    /// Where the channel axis is.
    pub fn layout(&self) -> DataFormat {
        self.data_format
    }
}

impl Keras for UpSampling3D {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["size", "data_format"],
        leading: 1,
        rank: 3,
        ..KerasFacts::PLAIN
    };
}

upsampling_kind!(
    UpSampling3D,
    "up_sampling3d",
    "5-D input (batch, depth, height, width, channels)",
    "nn.Upsample(scale_factor=size, mode=\"nearest\")"
);
