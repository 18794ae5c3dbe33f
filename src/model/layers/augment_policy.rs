//! Augmentation policies of Keras 3: `RandAugment` and `AugMix` apply a random sequence of the
//! other augmentations while training and pass images through unchanged at inference. No
//! weights; in Keras' summary they keep the shape of any input, and of each tensor of a list.
//! Their constructors make those augmentations as layers, which take automatic names before
//! any layer made after them.

use serde::{Deserialize, Serialize};

use super::augment::{Factor, Rule, TORCH, TRAINING_ONLY, affine};
use super::weightless::Weightless;
use super::{Catalogued, DataFormat, Interpolation, Keras, KerasFacts, MaskUse, is_true, yes};
use crate::model::error::LayerError;
use crate::model::shape::Shape;

/// The layers RandAugment's constructor makes, in order.
const RAND_AUGMENT_LAYERS: &[&str] = &[
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
    "solarization",
    "random_posterization",
    "auto_contrast",
    "equalization",
];

/// The layers AugMix's constructor makes with `all_ops=True` (its default), in order.
const AUG_MIX_ALL_LAYERS: &[&str] = &[
    "random_shear",
    "random_translation",
    "random_rotation",
    "solarization",
    "random_posterization",
    "auto_contrast",
    "equalization",
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
];

/// The layers it makes with `all_ops=False`: the same without the last four (the colour ones).
const AUG_MIX_LAYERS: &[&str] = AUG_MIX_ALL_LAYERS.split_at(7).0;

augmentation!(
    /// `keras.layers.RandAugment`: applies `num_ops` augmentations drawn at random to each image.
    RandAugment {
        /// The range pixel values take: `(0, 255)` or `(0, 1)`.
        value_range: [f64; 2] = [0.0, 255.0],
        /// How many augmentations each image gets.
        num_ops: u32 = 2,
        /// The range of every augmentation's strength, from 0 to 1.
        factor: Factor = Factor::One(0.5),
        /// How the geometric augmentations read pixels: nearest or bilinear.
        interpolation: Interpolation = Interpolation::Bilinear
    },
    required: &[],
    positional: &["value_range", "num_ops", "factor", "interpolation", "seed", "data_format"],
    leading: 0
);

impl Weightless for RandAugment {
    const AUTO: &'static str = "rand_augment";
    fn what(&self) -> String {
        format!(
            "While training, RandAugment applies {} augmentations drawn at random (shear, translation, rotation, brightness, colour, contrast, sharpness, solarization, posterization, auto-contrast, equalization) of strength within {} to each image; at inference it passes it through unchanged.",
            self.num_ops, self.factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.factor.check("factor", 0.0, 1.0, Rule::Overlap)?;
        affine(self.interpolation)
    }
    fn line(&self) -> String {
        format!("RandAugment {} ops {}", self.num_ops, self.factor)
    }
    fn sublayers(&self) -> &'static [&'static str] {
        RAND_AUGMENT_LAYERS
    }
}

augmentation!(
    /// `keras.layers.AugMix`: blends several chains of random augmentations with each image.
    AugMix {
        /// The range pixel values take: `(0, 255)` or `(0, 1)`.
        value_range: [f64; 2] = [0.0, 255.0],
        /// How many chains are blended.
        num_chains: u32 = 3,
        /// The most augmentations in a chain.
        chain_depth: u32 = 3,
        /// The range of every augmentation's strength, from 0 to 1.
        factor: Factor = Factor::One(0.3),
        /// The Dirichlet and Beta parameter the blend's weights are drawn with.
        alpha: f64 = 1.0,
        /// Whether the colour augmentations (brightness, colour, contrast, sharpness) are among
        /// those drawn.
        all_ops: bool = true,
        /// How the geometric augmentations read pixels: nearest or bilinear.
        interpolation: Interpolation = Interpolation::Bilinear
    },
    required: &[],
    positional: &["value_range", "num_chains", "chain_depth", "factor", "alpha", "all_ops", "interpolation", "seed", "data_format"],
    leading: 0
);

impl Weightless for AugMix {
    const AUTO: &'static str = "aug_mix";
    fn what(&self) -> String {
        format!(
            "While training, AugMix blends each image with {} chains of up to {} random augmentations of strength within {}; at inference it passes it through unchanged.",
            self.num_chains, self.chain_depth, self.factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.factor.check("factor", 0.0, 1.0, Rule::Overlap)?;
        affine(self.interpolation)
    }
    fn line(&self) -> String {
        format!(
            "AugMix {} chains × {} {}",
            self.num_chains, self.chain_depth, self.factor
        )
    }
    fn sublayers(&self) -> &'static [&'static str] {
        if self.all_ops {
            AUG_MIX_ALL_LAYERS
        } else {
            AUG_MIX_LAYERS
        }
    }
}

weightless!(RandAugment, AugMix);
