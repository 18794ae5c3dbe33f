//! Image augmentation: `RandomFlip`, `RandomRotation`, `RandomZoom`, `RandomTranslation`,
//! `RandomContrast`, `RandomBrightness`, the colour changes of Keras 3's image preprocessing
//! (`RandomHue`, `RandomSaturation`, `RandomSharpness`, `RandomInvert`, `RandomPosterization`,
//! `RandomColorDegeneration`, `RandomGrayscale`) and the image mixers (`MixUp`, `CutMix`)
//! change each image at random while training and pass it through unchanged at inference.
//! They hold no weights and, in Keras' summary, keep the shape of any input, and of each tensor
//! of a list, but for the two whose build reads the channels (`RandomColorDegeneration`,
//! `RandomGrayscale`).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::weightless::{Weightless, rate_in_unit};
use super::{Catalogued, DataFormat, Interpolation, Keras, KerasFacts, MaskUse, is_true, yes};
use crate::model::error::LayerError;
use crate::model::shape::Shape;

/// The MACs note of every layer here.
pub(super) const TRAINING_ONLY: &str = "It moves or rescales pixels only while training; at inference it passes them through, and it has no weights to multiply.";

/// What every layer here writes in PyTorch.
pub(super) const TORCH: &str = "The PyTorch export passes the tensor on (the layer is identity at inference) and names the torchvision transform that does the same while training; no parameters either way.";

/// The answers every layer here gives alike, in its [`Weightless`] impl: what PyTorch
/// writes, why it has no MACs, and that Keras applies it to each tensor of a list (except
/// for the kinds written `training_only!(one tensor)`, whose build reads one tensor's shape).
macro_rules! training_only {
    () => {
        training_only!(one tensor);
        const LISTS: bool = true;
    };
    (one tensor) => {
        fn torch_note(&self) -> String {
            TORCH.into()
        }
        fn no_macs(&self) -> &'static str {
            TRAINING_ONLY
        }
    };
}

/// A random range as Keras takes it: one number, or a `(lower, upper)` pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Factor {
    /// One number `f`: the range from `-f` to `f` (from 0 to `f` where the range cannot go
    /// below 0, as RandomContrast's).
    One(f64),
    /// The range from the first number to the second.
    Range([f64; 2]),
}

/// A count Keras draws with `randint` (RandomPosterization's bits, RandomGaussianBlur's kernel
/// size): whole numbers, since a float there fails under the torch backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Whole {
    /// One number.
    One(u32),
    /// A (lower, upper) pair.
    Range([u32; 2]),
}

impl From<Whole> for Factor {
    fn from(whole: Whole) -> Self {
        match whole {
            Whole::One(n) => Factor::One(f64::from(n)),
            Whole::Range([a, b]) => Factor::Range([f64::from(a), f64::from(b)]),
        }
    }
}

impl fmt::Display for Whole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Factor::from(*self).fmt(f)
    }
}

/// How Keras checks a factor against its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    /// One number must lie within it; a pair is refused only when it lies wholly outside (the
    /// check RandomRotation, RandomContrast and RandomBrightness share).
    Overlap,
    /// Each number must lie within it (RandomTranslation).
    Each,
    /// Each number must lie within it and above its lowest bound (RandomZoom, whose -1 would
    /// zoom to nothing).
    EachAboveLow,
}

impl Factor {
    /// Keras' refusal of a factor outside `lo..=hi` by `rule`.
    pub(super) fn check(
        self,
        field: &'static str,
        lo: f64,
        hi: f64,
        rule: Rule,
    ) -> Result<(), LayerError> {
        let inside = |x: f64| (lo..=hi).contains(&x) && (rule != Rule::EachAboveLow || x > lo);
        let ok = match (self, rule) {
            (Factor::One(f), _) => inside(f),
            (Factor::Range([a, b]), Rule::Overlap) => a <= hi && b >= lo,
            (Factor::Range([a, b]), _) => inside(a) && inside(b),
        };
        if ok {
            Ok(())
        } else {
            Err(LayerError::field(
                field,
                format!(
                    "{self} is outside {lo} to {hi}: Keras takes a number or a (lower, upper) pair in that range"
                ),
            ))
        }
    }
}

impl fmt::Display for Factor {
    /// As Python writes it: `0.1`, `(-0.2, 0.3)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Factor::One(x) => write!(f, "{x}"),
            Factor::Range([a, b]) => write!(f, "({a}, {b})"),
        }
    }
}

/// Which way `RandomFlip` may flip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlipMode {
    /// Left-right and up-down: Keras' default.
    #[default]
    HorizontalAndVertical,
    /// Left-right only.
    Horizontal,
    /// Up-down only.
    Vertical,
}

impl FlipMode {
    /// Keras' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FlipMode::HorizontalAndVertical => "horizontal_and_vertical",
            FlipMode::Horizontal => "horizontal",
            FlipMode::Vertical => "vertical",
        }
    }
}

/// How the pixels a rotation, zoom or shift uncovers are filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FillMode {
    /// Mirrored about the edge: Keras' default.
    #[default]
    Reflect,
    /// Wrapped around to the opposite edge.
    Wrap,
    /// `fill_value`.
    Constant,
    /// The nearest pixel repeated.
    Nearest,
    /// Mirrored without repeating the edge pixel (`c d c b | a b c d | c b a b`); only
    /// RandomElasticTransform takes it.
    Mirror,
}

impl FillMode {
    /// Keras' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FillMode::Reflect => "reflect",
            FillMode::Wrap => "wrap",
            FillMode::Constant => "constant",
            FillMode::Nearest => "nearest",
            FillMode::Mirror => "mirror",
        }
    }
}

/// Keras' refusal of the fill mode only its elastic transform has, by the other warps.
pub(super) fn affine_fill(fill_mode: FillMode) -> Result<(), LayerError> {
    match fill_mode {
        FillMode::Mirror => Err(LayerError::field(
            "fill_mode",
            "\"mirror\" is not one Keras' rotations, zooms, shifts and shears have (only RandomElasticTransform's): use \"reflect\", \"wrap\", \"constant\" or \"nearest\"",
        )),
        _ => Ok(()),
    }
}

/// Keras' refusal of an interpolation its affine transforms do not have.
pub(super) fn affine(interpolation: Interpolation) -> Result<(), LayerError> {
    match interpolation {
        Interpolation::Nearest | Interpolation::Bilinear => Ok(()),
        other => Err(LayerError::field(
            "interpolation",
            format!(
                "{} is not one Keras' random transforms have: use \"bilinear\" or \"nearest\"",
                other.as_str()
            ),
        )),
    }
}

/// Writes a geometric layer's struct (its factors, then the fields they all share), its
/// default and its Keras facts.
macro_rules! geometric {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident: $ty:ty = $default:expr),+ },
     required: $required:expr, positional: $positional:expr, leading: $leading:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            $($(#[$fdoc])* pub $field: $ty,)+
            /// How uncovered pixels are filled.
            pub fill_mode: FillMode,
            /// How pixels between the grid's points are read: nearest or bilinear.
            pub interpolation: Interpolation,
            /// The value `fill_mode="constant"` fills with.
            pub fill_value: f64,
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
                    $($field: $default,)+
                    fill_mode: FillMode::Reflect,
                    interpolation: Interpolation::Bilinear,
                    fill_value: 0.0,
                    data_format: DataFormat::ChannelsLast,
                    name: None,
                    trainable: true,
                }
            }
        }

        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                required: $required,
                positional: $positional,
                leading: $leading,
                mask: MaskUse::Drops,
                ..KerasFacts::PLAIN
            };
        }
    };
}

/// `keras.layers.RandomFlip`: mirrors images at random while training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RandomFlip {
    /// Which way it may flip.
    pub mode: FlipMode,
    /// Where the channel axis is.
    pub data_format: DataFormat,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for RandomFlip {
    fn default() -> Self {
        Self {
            mode: FlipMode::HorizontalAndVertical,
            data_format: DataFormat::ChannelsLast,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for RandomFlip {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["mode", "seed", "data_format"],
        leading: 1,
        mask: MaskUse::Drops,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for RandomFlip {
    const AUTO: &'static str = "random_flip";
    fn what(&self) -> String {
        let way = match self.mode {
            FlipMode::HorizontalAndVertical => "left-right and up-down",
            FlipMode::Horizontal => "left-right",
            FlipMode::Vertical => "up-down",
        };
        format!(
            "While training, RandomFlip mirrors each image {way} at random; at inference it passes it through unchanged."
        )
    }
    training_only!();
    fn line(&self) -> String {
        format!("RandomFlip {}", self.mode.as_str())
    }
}

geometric!(
    /// `keras.layers.RandomRotation`: turns images by a random fraction of a full turn.
    RandomRotation {
        /// The range of turns, as fractions of 2π: `0.1` is up to 36° either way.
        factor: Factor = Factor::One(0.1)
    },
    required: &["factor"],
    positional: &[
        "factor", "fill_mode", "interpolation", "seed", "fill_value", "data_format",
    ],
    leading: 1
);

impl Weightless for RandomRotation {
    const AUTO: &'static str = "random_rotation";
    fn what(&self) -> String {
        format!(
            "While training, RandomRotation turns each image by a random fraction {} of a full turn, filling uncovered pixels by {}; at inference it passes it through unchanged.",
            self.factor,
            self.fill_mode.as_str()
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.factor.check("factor", -1.0, 1.0, Rule::Overlap)?;
        affine_fill(self.fill_mode)?;
        affine(self.interpolation)
    }
    fn line(&self) -> String {
        format!("RandomRotation {}", self.factor)
    }
}

geometric!(
    /// `keras.layers.RandomZoom`: zooms images in or out by a random fraction.
    RandomZoom {
        /// The range of vertical zoom: `-0.2` zooms in by up to 20 %, `0.2` out.
        height_factor: Factor = Factor::One(0.1),
        /// The range of horizontal zoom; `None` keeps the aspect ratio.
        width_factor: Option<Factor> = None
    },
    required: &["height_factor"],
    positional: &[
        "height_factor", "width_factor", "fill_mode", "interpolation", "seed", "fill_value",
        "data_format",
    ],
    leading: 1
);

impl Weightless for RandomZoom {
    const AUTO: &'static str = "random_zoom";
    fn what(&self) -> String {
        let width = self
            .width_factor
            .map_or_else(|| "the same".to_string(), |w| w.to_string());
        format!(
            "While training, RandomZoom zooms each image by a random fraction {} of its height and {width} of its width; at inference it passes it through unchanged.",
            self.height_factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.height_factor
            .check("height_factor", -1.0, 1.0, Rule::EachAboveLow)?;
        if let Some(w) = self.width_factor {
            w.check("width_factor", -1.0, 1.0, Rule::EachAboveLow)?;
        }
        affine_fill(self.fill_mode)?;
        affine(self.interpolation)
    }
    fn line(&self) -> String {
        match self.width_factor {
            Some(w) => format!("RandomZoom {} × {w}", self.height_factor),
            None => format!("RandomZoom {}", self.height_factor),
        }
    }
}

geometric!(
    /// `keras.layers.RandomTranslation`: shifts images by a random fraction of their size.
    RandomTranslation {
        /// The range of vertical shifts, as fractions of the height.
        height_factor: Factor = Factor::One(0.1),
        /// The range of horizontal shifts, as fractions of the width.
        width_factor: Factor = Factor::One(0.1)
    },
    required: &["height_factor", "width_factor"],
    positional: &[
        "height_factor", "width_factor", "fill_mode", "interpolation", "seed", "fill_value",
        "data_format",
    ],
    leading: 2
);

impl Weightless for RandomTranslation {
    const AUTO: &'static str = "random_translation";
    fn what(&self) -> String {
        format!(
            "While training, RandomTranslation shifts each image by a random fraction {} of its height and {} of its width; at inference it passes it through unchanged.",
            self.height_factor, self.width_factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.height_factor
            .check("height_factor", -1.0, 1.0, Rule::Each)?;
        self.width_factor
            .check("width_factor", -1.0, 1.0, Rule::Each)?;
        affine_fill(self.fill_mode)?;
        affine(self.interpolation)
    }
    fn line(&self) -> String {
        format!(
            "RandomTranslation {} × {}",
            self.height_factor, self.width_factor
        )
    }
}

/// Writes a colour layer's struct (`factor`, `value_range`, `seed`), its default, its Keras
/// facts and its [`Weightless`] answers; `$lo` is the lowest factor Keras takes.
macro_rules! colour {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $default:expr, $lo:expr, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// The range of the random change.
            pub factor: Factor,
            /// The range pixel values take: `(0, 255)` or `(0, 1)`.
            pub value_range: [f64; 2],
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
                    factor: $default,
                    value_range: [0.0, 255.0],
                    name: None,
                    trainable: true,
                }
            }
        }

        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                required: &["factor"],
                positional: &["factor", "value_range", "seed"],
                leading: 1,
                mask: MaskUse::Drops,
                ..KerasFacts::PLAIN
            };
        }

        impl Weightless for $name {
            const AUTO: &'static str = $auto;
            fn what(&self) -> String {
                format!(
                    concat!("While training, ", stringify!($name), " ", $what, "; at inference it passes it through unchanged."),
                    self.factor
                )
            }
            training_only!();
            fn check(&self, _: &Shape) -> Result<(), LayerError> {
                self.factor.check("factor", $lo, 1.0, Rule::Overlap)
            }
            fn line(&self) -> String {
                format!(concat!(stringify!($name), " {}"), self.factor)
            }
        }
    };
}

colour!(
    /// `keras.layers.RandomContrast`: scales each image's contrast by a random factor.
    RandomContrast,
    "random_contrast",
    Factor::One(0.2),
    0.0,
    "scales each image's distance from its mean by a random factor within 1 ± {}"
);

colour!(
    /// `keras.layers.RandomBrightness`: adds a random brightness to each image.
    RandomBrightness,
    "random_brightness",
    Factor::One(0.2),
    -1.0,
    "adds a random brightness within {} of the value range to each image"
);

/// Writes the struct of an augmentation on Keras 3's image preprocessing base (its own fields,
/// then `data_format`, `name` and `trainable`), its default and its Keras facts; its
/// [`Weightless`] answers are written beside it.
macro_rules! augmentation {
    ($(#[$doc:meta])* $name:ident {
        $($(#[$fdoc:meta])* $field:ident: $ty:ty = $default:expr),+ $(,)?
     },
     required: $required:expr, positional: $positional:expr, leading: $leading:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            $($(#[$fdoc])* pub $field: $ty,)+
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
                    $($field: $default,)+
                    data_format: DataFormat::ChannelsLast,
                    name: None,
                    trainable: true,
                }
            }
        }

        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                required: $required,
                positional: $positional,
                leading: $leading,
                mask: MaskUse::Drops,
                ..KerasFacts::PLAIN
            };
        }
    };
}

/// [`augmentation!`] for a colour layer (a `factor` within `bounds`, a `value_range`) and its
/// [`Weightless`] answers; `$what` says what it does while training, the factor in its `{}`.
macro_rules! tone {
    ($(#[$doc:meta])* $name:ident, $auto:literal, factor: $default:expr,
     bounds: ($lo:expr, $hi:expr), required: $required:expr, positional: $positional:expr,
     $what:literal) => {
        augmentation!(
            $(#[$doc])*
            $name {
                /// The range of the random change.
                factor: Factor = $default,
                /// The range pixel values take: `(0, 255)` or `(0, 1)`.
                value_range: [f64; 2] = [0.0, 255.0]
            },
            required: $required,
            positional: $positional,
            leading: 1
        );

        impl Weightless for $name {
            const AUTO: &'static str = $auto;
            fn what(&self) -> String {
                format!(
                    concat!("While training, ", stringify!($name), " ", $what, "; at inference it passes it through unchanged."),
                    self.factor
                )
            }
            training_only!();
            fn check(&self, _: &Shape) -> Result<(), LayerError> {
                self.factor.check("factor", $lo, $hi, Rule::Overlap)
            }
            fn line(&self) -> String {
                format!(concat!(stringify!($name), " {}"), self.factor)
            }
        }
    };
}

/// The constructor parameters of most colour layers, in order.
const TONE_PARAMETERS: &[&str] = &["factor", "value_range", "data_format", "seed"];

tone!(
    /// `keras.layers.RandomHue`: turns each image's hue by a random amount.
    RandomHue,
    "random_hue",
    factor: Factor::One(0.1),
    bounds: (0.0, 1.0),
    required: &["factor"],
    positional: TONE_PARAMETERS,
    "turns each image's hue by a random amount within {} (1 is the most Keras turns it)"
);

tone!(
    /// `keras.layers.RandomSaturation`: makes each image greyer or more saturated at random.
    RandomSaturation,
    "random_saturation",
    factor: Factor::One(0.5),
    bounds: (-1.0, 1.0),
    required: &["factor"],
    positional: TONE_PARAMETERS,
    "sets each image's saturation by a random factor within {} (0 is grey, 0.5 unchanged, 1 fully saturated)"
);

tone!(
    /// `keras.layers.RandomSharpness`: blurs or sharpens each image at random.
    RandomSharpness,
    "random_sharpness",
    factor: Factor::One(0.5),
    bounds: (0.0, 1.0),
    required: &["factor"],
    positional: TONE_PARAMETERS,
    "blends each image with a blurred copy by a random factor within {} (0 is blurred, 0.5 unchanged, 1 sharper)"
);

tone!(
    /// `keras.layers.RandomInvert`: inverts each image's colours with a random probability.
    RandomInvert,
    "random_invert",
    factor: Factor::One(1.0),
    bounds: (0.0, 1.0),
    required: &[],
    positional: &["factor", "value_range", "seed", "data_format"],
    "inverts each image's colours within the value range, with a probability drawn within {}"
);

augmentation!(
    /// `keras.layers.RandomPosterization`: keeps a random number of bits of each channel.
    RandomPosterization {
        /// The range of the random change.
        factor: Whole = Whole::One(4),
        /// The range pixel values take: `(0, 255)` or `(0, 1)`.
        value_range: [f64; 2] = [0.0, 255.0]
    },
    required: &["factor"],
    positional: TONE_PARAMETERS,
    leading: 1
);

impl Weightless for RandomPosterization {
    const AUTO: &'static str = "random_posterization";
    fn what(&self) -> String {
        format!(
            "While training, RandomPosterization keeps a random number of bits, within {}, of each 8-bit channel; at inference it passes the image through unchanged.",
            self.factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        Factor::from(self.factor).check("factor", 1.0, 8.0, Rule::Overlap)
    }
    fn line(&self) -> String {
        format!("RandomPosterization {}", self.factor)
    }
}

augmentation!(
    /// `keras.layers.RandomColorDegeneration`: blends each RGB image with its grey version.
    RandomColorDegeneration {
        /// The range of the random change.
        factor: Factor = Factor::One(0.5),
        /// The range pixel values take: `(0, 255)` or `(0, 1)`.
        value_range: [f64; 2] = [0.0, 255.0]
    },
    required: &["factor"],
    positional: TONE_PARAMETERS,
    leading: 1
);

impl Weightless for RandomColorDegeneration {
    const AUTO: &'static str = "random_color_degeneration";
    fn what(&self) -> String {
        format!(
            "While training, RandomColorDegeneration blends each RGB image with its grey version by a random factor within {}; at inference it passes it through unchanged.",
            self.factor
        )
    }
    training_only!(one tensor);
    /// Keras checks the shape when it builds: a batch of RGB images (or one image, as a
    /// tensor of rank 3 with the batch), which a list is not.
    fn check(&self, input: &Shape) -> Result<(), LayerError> {
        self.factor.check("factor", -1.0, 1.0, Rule::Overlap)?;
        if !matches!(input.ndim(), 3 | 4) {
            return Err(LayerError::shape(
                "images (None, rows, cols, channels), or a rank-3 tensor Keras reads as one image",
                input,
                "give it images of shape (rows, cols, 3)",
            ));
        }
        // Keras reads the channels at axis -1, or -3 for channels_first: the batch's axis of
        // a rank-3 tensor, which it then does not check.
        let channels = match self.data_format {
            DataFormat::ChannelsLast => input.last().flatten(),
            DataFormat::ChannelsFirst => input.0.len().checked_sub(3).and_then(|at| input.0[at]),
        };
        match channels {
            Some(c) if c != 3 => Err(LayerError::shape(
                "RGB images (3 channels)",
                input,
                format!(
                    "it blends each colour with the grey, so a channel count of {c} will not do: give it RGB images, or use RandomSaturation, which takes any count"
                ),
            )),
            _ => Ok(()),
        }
    }
    fn line(&self) -> String {
        format!("RandomColorDegeneration {}", self.factor)
    }
}

augmentation!(
    /// `keras.layers.RandomGrayscale`: turns images grey with a given probability.
    RandomGrayscale {
        /// The probability that an image turns grey, from 0 to 1.
        factor: f64 = 0.5
    },
    required: &[],
    positional: &["factor", "data_format", "seed"],
    leading: 1
);

impl Weightless for RandomGrayscale {
    const AUTO: &'static str = "random_grayscale";
    fn what(&self) -> String {
        format!(
            "While training, RandomGrayscale turns each image grey with probability {}, keeping its channels; at inference it passes it through unchanged.",
            self.factor
        )
    }
    // Unlike the other augmentations, it takes no list: Keras' build reads one tensor's shape.
    training_only!(one tensor);
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        rate_in_unit("factor", self.factor)
    }
    fn line(&self) -> String {
        format!("RandomGrayscale {}", self.factor)
    }
}

augmentation!(
    /// `keras.layers.MixUp`: blends pairs of training images (and their labels) at random.
    MixUp {
        /// The Beta distribution's parameter the blend is drawn from: larger mixes more.
        alpha: f64 = 0.2
    },
    required: &[],
    positional: &["alpha", "data_format", "seed"],
    leading: 1
);

impl Weightless for MixUp {
    const AUTO: &'static str = "mix_up";
    fn what(&self) -> String {
        format!(
            "While training, MixUp blends each image (and its label, when given one) with another of the batch, by a weight drawn from Beta({0}, {0}); at inference it passes it through unchanged.",
            self.alpha
        )
    }
    training_only!();
    fn line(&self) -> String {
        format!("MixUp α {}", self.alpha)
    }
}

augmentation!(
    /// `keras.layers.CutMix`: pastes a patch of another training image into each image.
    CutMix {
        /// The range the mixing weight, and so the patch's size, is drawn from.
        factor: Factor = Factor::One(1.0)
    },
    required: &[],
    positional: &["factor", "seed", "data_format"],
    leading: 1
);

impl Weightless for CutMix {
    const AUTO: &'static str = "cut_mix";
    fn what(&self) -> String {
        format!(
            "While training, CutMix pastes a patch of another image of the batch into each image (and mixes their labels by its area), with a mixing weight drawn within {}; at inference it passes it through unchanged.",
            self.factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.factor.check("factor", 0.0, 1.0, Rule::Overlap)
    }
    fn line(&self) -> String {
        format!("CutMix {}", self.factor)
    }
}

weightless!(
    RandomFlip,
    RandomRotation,
    RandomZoom,
    RandomTranslation,
    RandomContrast,
    RandomBrightness,
    RandomHue,
    RandomSaturation,
    RandomSharpness,
    RandomInvert,
    RandomPosterization,
    RandomColorDegeneration,
    RandomGrayscale,
    MixUp,
    CutMix
);
