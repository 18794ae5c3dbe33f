//! Pixel changes of Keras 3's image preprocessing: `RandomErasing`, `RandomGaussianBlur`,
//! `Solarization` and `RandomColorJitter` change pixel values at random while training and
//! pass images through unchanged at inference; `AutoContrast` stretches each image's values
//! at inference too. No weights; in Keras' summary they keep the shape of any input, and of
//! each tensor of a list.

use serde::{Deserialize, Serialize};

use super::augment::{Factor, Rule, TORCH, TRAINING_ONLY, Whole};
use super::weightless::Weightless;
use super::{Catalogued, DataFormat, Keras, KerasFacts, MaskUse, is_true, yes};
use crate::model::error::LayerError;
use crate::model::shape::Shape;

augmentation!(
    /// `keras.layers.RandomErasing`: blanks a random rectangle of each image.
    RandomErasing {
        /// The range of the probability that an image is erased.
        factor: Factor = Factor::One(1.0),
        /// The range of the rectangle's area, as a fraction of the image's.
        scale: Factor = Factor::Range([0.02, 0.33]),
        /// The value the rectangle takes; `None` fills it with noise.
        fill_value: Option<f64> = None,
        /// The range pixel values take: `(0, 255)` or `(0, 1)`.
        value_range: [f64; 2] = [0.0, 255.0]
    },
    required: &[],
    positional: &["factor", "scale", "fill_value", "value_range", "seed", "data_format"],
    leading: 1
);

impl Weightless for RandomErasing {
    const AUTO: &'static str = "random_erasing";
    fn what(&self) -> String {
        let fill = self
            .fill_value
            .map_or_else(|| "noise".to_string(), |v| v.to_string());
        format!(
            "While training, RandomErasing fills a random rectangle of {} of each image's area with {fill}, with a probability drawn within {}; at inference it passes it through unchanged.",
            self.scale, self.factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.factor.check("factor", 0.0, 1.0, Rule::Overlap)?;
        self.scale.check("scale", 0.0, 1.0, Rule::Overlap)
    }
    fn line(&self) -> String {
        format!("RandomErasing {} scale {}", self.factor, self.scale)
    }
}

augmentation!(
    /// `keras.layers.RandomGaussianBlur`: blurs images by a Gaussian kernel of random width.
    RandomGaussianBlur {
        /// The range of the probability that an image is blurred.
        factor: Factor = Factor::One(1.0),
        /// The kernel's size, odd: one for both axes, or (rows, cols).
        kernel_size: Whole = Whole::One(3),
        /// The range of the Gaussian's width, from 0 to 1.
        sigma: Factor = Factor::One(1.0),
        /// The range pixel values take: `(0, 255)` or `(0, 1)`.
        value_range: [f64; 2] = [0.0, 255.0]
    },
    required: &[],
    positional: &["factor", "kernel_size", "sigma", "value_range", "data_format", "seed"],
    leading: 1
);

impl Weightless for RandomGaussianBlur {
    const AUTO: &'static str = "random_gaussian_blur";
    fn what(&self) -> String {
        format!(
            "While training, RandomGaussianBlur blurs each image by a {} kernel of width within {}, with a probability drawn within {}; at inference it passes it through unchanged.",
            self.kernel_size, self.sigma, self.factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.factor.check("factor", 0.0, 1.0, Rule::Overlap)?;
        let odd = match self.kernel_size {
            Whole::One(k) => k % 2 == 1,
            Whole::Range([a, b]) => a % 2 == 1 && b % 2 == 1,
        };
        if !odd {
            return Err(LayerError::field(
                "kernel_size",
                format!(
                    "{} is even: Keras takes an odd size, such as 3, or a pair of them",
                    self.kernel_size
                ),
            ));
        }
        self.sigma.check("sigma", 0.0, 1.0, Rule::Overlap)
    }
    fn line(&self) -> String {
        format!("RandomGaussianBlur {} σ {}", self.kernel_size, self.sigma)
    }
}

/// `keras.layers.Solarization`: inverts the pixels above a random threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Solarization {
    /// The range of the value added to each pixel first, as a fraction of the value range.
    pub addition_factor: Factor,
    /// The range of the threshold above which pixels are inverted, as a fraction.
    pub threshold_factor: Factor,
    /// The range pixel values take: `(0, 255)` or `(0, 1)`.
    pub value_range: [f64; 2],
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Solarization {
    fn default() -> Self {
        Self {
            addition_factor: Factor::One(0.0),
            threshold_factor: Factor::One(0.0),
            value_range: [0.0, 255.0],
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Solarization {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["addition_factor", "threshold_factor", "value_range", "seed"],
        leading: 2,
        mask: MaskUse::Drops,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for Solarization {
    const AUTO: &'static str = "solarization";
    fn what(&self) -> String {
        format!(
            "While training, Solarization adds a random fraction within {} of the value range to each pixel, then inverts those above a random threshold within {}; at inference it passes the image through unchanged.",
            self.addition_factor, self.threshold_factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.addition_factor
            .check("addition_factor", 0.0, 1.0, Rule::Each)?;
        self.threshold_factor
            .check("threshold_factor", 0.0, 1.0, Rule::Each)
    }
    fn line(&self) -> String {
        format!(
            "Solarization + {} above {}",
            self.addition_factor, self.threshold_factor
        )
    }
}

augmentation!(
    /// `keras.layers.RandomColorJitter`: RandomBrightness, RandomContrast, RandomSaturation and
    /// RandomHue in one layer, each only when its factor is given.
    RandomColorJitter {
        /// The range pixel values take: `(0, 255)` or `(0, 1)`.
        value_range: [f64; 2] = [0.0, 255.0],
        /// RandomBrightness's factor, or `None` for none.
        brightness_factor: Option<Factor> = None,
        /// RandomContrast's factor, or `None` for none.
        contrast_factor: Option<Factor> = None,
        /// RandomSaturation's factor, or `None` for none.
        saturation_factor: Option<Factor> = None,
        /// RandomHue's factor, or `None` for none.
        hue_factor: Option<Factor> = None
    },
    required: &[],
    positional: &["value_range", "brightness_factor", "contrast_factor", "saturation_factor", "hue_factor", "seed", "data_format"],
    leading: 0
);
/// The layers RandomColorJitter makes, in order, for each set of given factors (bit 0
/// brightness, 1 contrast, 2 saturation, 3 hue): Keras names each as if made on its own.
const JITTER_LAYERS: [&[&str]; 16] = {
    const B: &str = "random_brightness";
    const C: &str = "random_contrast";
    const S: &str = "random_saturation";
    const H: &str = "random_hue";
    [
        &[],
        &[B],
        &[C],
        &[B, C],
        &[S],
        &[B, S],
        &[C, S],
        &[B, C, S],
        &[H],
        &[B, H],
        &[C, H],
        &[B, C, H],
        &[S, H],
        &[B, S, H],
        &[C, S, H],
        &[B, C, S, H],
    ]
};

impl RandomColorJitter {
    /// Each change with its name, its factor and the bounds and rule of the layer that makes it.
    fn changes(&self) -> [(&'static str, Option<Factor>, f64, f64); 4] {
        [
            ("brightness_factor", self.brightness_factor, -1.0, 1.0),
            ("contrast_factor", self.contrast_factor, 0.0, 1.0),
            ("saturation_factor", self.saturation_factor, -1.0, 1.0),
            ("hue_factor", self.hue_factor, 0.0, 1.0),
        ]
    }
}

impl Weightless for RandomColorJitter {
    const AUTO: &'static str = "random_color_jitter";
    fn what(&self) -> String {
        let given: Vec<String> = self
            .changes()
            .iter()
            .filter_map(|(field, f, _, _)| {
                f.map(|f| format!("{} within {f}", field.trim_end_matches("_factor")))
            })
            .collect();
        let changes = if given.is_empty() {
            "changes nothing (no factor is given)".to_string()
        } else {
            format!("changes each image's {}", given.join(", "))
        };
        format!(
            "While training, RandomColorJitter {changes}; at inference it passes it through unchanged."
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        for (field, factor, lo, hi) in self.changes() {
            if let Some(f) = factor {
                f.check(field, lo, hi, Rule::Overlap)?;
            }
        }
        Ok(())
    }
    fn line(&self) -> String {
        let given = self.changes().iter().filter(|c| c.1.is_some()).count();
        format!("RandomColorJitter {given} of 4 changes")
    }
    fn sublayers(&self) -> &'static [&'static str] {
        let bits = self
            .changes()
            .iter()
            .enumerate()
            .filter(|(_, c)| c.1.is_some())
            .fold(0, |bits, (i, _)| bits | 1 << i);
        JITTER_LAYERS[bits]
    }
}

/// `keras.layers.AutoContrast`: stretches each image's channels over the whole value range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoContrast {
    /// The range pixel values take, and are stretched over: `(0, 255)` or `(0, 1)`.
    pub value_range: [f64; 2],
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for AutoContrast {
    fn default() -> Self {
        Self {
            value_range: [0.0, 255.0],
            name: None,
            trainable: true,
        }
    }
}

impl Keras for AutoContrast {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["value_range"],
        mask: MaskUse::Drops,
        ..KerasFacts::PLAIN
    };
}

impl AutoContrast {
    /// The value range's ends, lowest first, as Keras sorts them.
    pub fn range(&self) -> (f64, f64) {
        let [a, b] = self.value_range;
        (a.min(b), a.max(b))
    }
}

impl Weightless for AutoContrast {
    const AUTO: &'static str = "auto_contrast";
    fn what(&self) -> String {
        let (low, high) = self.range();
        format!(
            "AutoContrast stretches each channel of each image so its darkest value becomes {low} and its brightest {high}, at inference as in training."
        )
    }
    fn torch_note(&self) -> String {
        "The PyTorch export computes it as Keras does (keras_auto_contrast: each image's minimum and maximum over its first two axes); no parameters either way.".into()
    }
    fn no_macs(&self) -> &'static str {
        "It shifts and scales each channel by the image's own range: a few operations per value, and no weights to multiply."
    }
    // Keras' summary builds it on each tensor of a list (its call on data then fails).
    const LISTS: bool = true;
    fn line(&self) -> String {
        let (low, high) = self.range();
        format!("AutoContrast {low}–{high}")
    }
}

weightless!(
    RandomErasing,
    RandomGaussianBlur,
    Solarization,
    RandomColorJitter,
    AutoContrast
);
