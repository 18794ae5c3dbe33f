//! Images brought to one size: `Resizing` scales them, `CenterCrop` cuts out their middle and
//! `RandomCrop` a random window while training (its middle at inference). No weights; each
//! gives `(height, width)` whatever the input's, with the channels kept.

use serde::{Deserialize, Serialize};

use super::{
    Catalogued, DataFormat, FillMode, Interpolation, Keras, KerasFacts, Kind, Knob, KnobValue,
    MaskUse, is_false, is_true, no_weights, positive, yes,
};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink};

/// The layout all three need, as the error says it.
const IMAGE: &str = "4-D input (batch, height, width, channels)";

/// The image at `height` × `width`, its channels kept. Keras reads other ranks as images
/// without a batch axis, or fails when it calls the layer; lstm-tui refuses them.
fn sized(
    class: &str,
    input: &Shape,
    height: u64,
    width: u64,
    data_format: DataFormat,
) -> Result<Output, LayerError> {
    positive("height", height)?;
    positive("width", width)?;
    if input.ndim() != 4 {
        return Err(LayerError::shape(
            IMAGE,
            input,
            format!(
                "{class} works on images: put it after an image input or a layer that keeps (height, width, channels)"
            ),
        ));
    }
    let (_, channels) = data_format.split(input);
    Ok(Output::One(
        data_format.join(vec![Some(height), Some(width)], channels),
    ))
}

/// Writes `Kind` for a sizing kind: `$what` says what it does, `$macs` why it multiplies no
/// weights.
macro_rules! sizing_kind {
    ($name:ident, $auto:literal, $what:literal, $macs:literal) => {
        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                sized(
                    self.class(),
                    input,
                    self.height,
                    self.width,
                    self.data_format,
                )
            }
            fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
                Ok(())
            }
            fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
                let mut e = Explanation::default();
                no_weights(&mut e, self.class(), $what);
                let (spatial, _) = self.data_format.split(input);
                if let [h, w] = spatial {
                    let spell = |d: &Option<u64>| d.map_or("None".to_string(), |d| d.to_string());
                    e.note(format!(
                        "{} × {} becomes {} × {}; the channels stay.",
                        spell(h),
                        spell(w),
                        self.height,
                        self.width
                    ));
                }
                e.note(
                    "PyTorch writes it as the same arithmetic on the tensor; no parameters either.",
                );
                Ok(e)
            }
            fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                Ok(zero(tally, self.class(), || $macs.into()))
            }
            fn brief(&self) -> String {
                format!("{} {}×{}", self.class(), self.height, self.width)
            }
            fn knob(&self) -> Option<Knob> {
                None
            }
            fn set_knob(&mut self, _: KnobValue) {}
            name_and_trainable!();
        }
    };
}

/// `keras.layers.Resizing`: scales each image to `height` × `width`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Resizing {
    /// Output height.
    pub height: u64,
    /// Output width.
    pub width: u64,
    /// How new pixels are computed from the old.
    pub interpolation: Interpolation,
    /// Crops the largest middle window of the target's aspect ratio first.
    #[serde(skip_serializing_if = "is_false")]
    pub crop_to_aspect_ratio: bool,
    /// Pads to the target's aspect ratio first.
    #[serde(skip_serializing_if = "is_false")]
    pub pad_to_aspect_ratio: bool,
    /// How `pad_to_aspect_ratio` fills.
    pub fill_mode: FillMode,
    /// The value padding fills with.
    pub fill_value: f64,
    /// Filters when shrinking, against aliasing.
    #[serde(skip_serializing_if = "is_false")]
    pub antialias: bool,
    /// Where the channel axis is.
    pub data_format: DataFormat,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Resizing {
    fn default() -> Self {
        Self {
            height: 224,
            width: 224,
            interpolation: Interpolation::Bilinear,
            crop_to_aspect_ratio: false,
            pad_to_aspect_ratio: false,
            fill_mode: FillMode::Constant,
            fill_value: 0.0,
            antialias: false,
            data_format: DataFormat::ChannelsLast,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Resizing {
    const FACTS: KerasFacts = KerasFacts {
        required: &["height", "width"],
        positional: &[
            "height",
            "width",
            "interpolation",
            "crop_to_aspect_ratio",
            "pad_to_aspect_ratio",
            "fill_mode",
            "fill_value",
            "antialias",
            "data_format",
        ],
        leading: 2,
        mask: MaskUse::Drops,
        ..KerasFacts::PLAIN
    };
}

sizing_kind!(
    Resizing,
    "resizing",
    "Resizing interpolates each image to the new size with fixed rules.",
    "Resizing blends neighbouring pixels with fixed weights: no learned weights to multiply."
);

/// Writes a crop's struct (its size and layout), its default, its Keras facts with
/// `$positional`, and its `Kind`.
macro_rules! crop_kind {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $positional:expr, $what:literal, $macs:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// Output height.
            pub height: u64,
            /// Output width.
            pub width: u64,
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
                    height: 224,
                    width: 224,
                    data_format: DataFormat::ChannelsLast,
                    name: None,
                    trainable: true,
                }
            }
        }

        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                required: &["height", "width"],
                positional: $positional,
                leading: 2,
                mask: MaskUse::Drops,
                ..KerasFacts::PLAIN
            };
        }

        sizing_kind!($name, $auto, $what, $macs);
    };
}

crop_kind!(
    /// `keras.layers.CenterCrop`: the middle `height` × `width` of each image (resized when
    /// the image is smaller).
    CenterCrop,
    "center_crop",
    &["height", "width", "data_format"],
    "CenterCrop keeps the middle of each image (an image smaller than the crop is resized to it).",
    "CenterCrop copies pixels: no weights to multiply."
);

crop_kind!(
    /// `keras.layers.RandomCrop`: a random `height` × `width` window of each image while
    /// training; at inference the middle of it, resized to that size.
    RandomCrop,
    "random_crop",
    &["height", "width", "seed", "data_format"],
    "RandomCrop cuts a random window of each image while training, and at inference its middle, resized to the window's size.",
    "RandomCrop copies (at inference, blends) pixels: no learned weights to multiply."
);
