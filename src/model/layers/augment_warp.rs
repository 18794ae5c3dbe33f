//! Image warps of Keras 3's image preprocessing: `RandomShear`, `RandomPerspective` and
//! `RandomElasticTransform` move pixels at random while training and pass images through
//! unchanged at inference. No weights; in Keras' summary they keep the shape of any input, and
//! of each tensor of a list.

use serde::{Deserialize, Serialize};

use super::augment::{Factor, FillMode, Rule, TORCH, TRAINING_ONLY, affine, affine_fill};
use super::weightless::Weightless;
use super::{Catalogued, DataFormat, Interpolation, Keras, KerasFacts, MaskUse, is_true, yes};
use crate::model::error::LayerError;
use crate::model::shape::Shape;

geometric!(
    /// `keras.layers.RandomShear`: slants images along x and y by random amounts.
    RandomShear {
        /// The range of horizontal shear: each number from 0 to 1.
        x_factor: Factor = Factor::One(0.0),
        /// The range of vertical shear: each number from 0 to 1.
        y_factor: Factor = Factor::One(0.0)
    },
    required: &[],
    positional: &[
        "x_factor", "y_factor", "interpolation", "fill_mode", "fill_value", "data_format", "seed",
    ],
    leading: 2
);

impl Weightless for RandomShear {
    const AUTO: &'static str = "random_shear";
    fn what(&self) -> String {
        format!(
            "While training, RandomShear slants each image by a random amount within {} along x and {} along y, filling uncovered pixels by {}; at inference it passes it through unchanged.",
            self.x_factor,
            self.y_factor,
            self.fill_mode.as_str()
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        shear(self.x_factor, "x_factor")?;
        shear(self.y_factor, "y_factor")?;
        affine_fill(self.fill_mode)?;
        affine(self.interpolation)
    }
    fn line(&self) -> String {
        format!("RandomShear {} × {}", self.x_factor, self.y_factor)
    }
}

/// Keras' refusal of a shear factor outside 0 to 1, which says when it is what Keras itself
/// saved: `RandomShear(0.1)` keeps `(-0.1, 0.1)` in its config, which its constructor refuses.
fn shear(factor: Factor, field: &'static str) -> Result<(), LayerError> {
    factor
        .check(field, 0.0, 1.0, Rule::Each)
        .map_err(|refused| match factor {
            Factor::Range([a, b]) if a == -b && (0.0..=1.0).contains(&b) => LayerError::field(
                field,
                format!(
                    "{factor} is how Keras saves RandomShear({b}), but its constructor refuses the negative bound, so Keras cannot load it either: write {b}"
                ),
            ),
            _ => refused,
        })
}

augmentation!(
    /// `keras.layers.RandomPerspective`: moves images' corners at random, as seen from elsewhere.
    RandomPerspective {
        /// The range of the probability that an image is warped.
        factor: Factor = Factor::One(1.0),
        /// How far the corners may move, as a fraction of the size, from 0 to 1.
        scale: f64 = 1.0,
        /// How pixels between the grid's points are read: nearest or bilinear.
        interpolation: Interpolation = Interpolation::Bilinear,
        /// The value uncovered pixels take.
        fill_value: f64 = 0.0
    },
    required: &[],
    positional: &["factor", "scale", "interpolation", "fill_value", "seed", "data_format"],
    leading: 1
);

impl Weightless for RandomPerspective {
    const AUTO: &'static str = "random_perspective";
    fn what(&self) -> String {
        format!(
            "While training, RandomPerspective moves each image's corners by up to {} of its size, with a probability drawn within {}; at inference it passes it through unchanged.",
            self.scale, self.factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.factor.check("factor", 0.0, 1.0, Rule::Overlap)?;
        if !(0.0..=1.0).contains(&self.scale) {
            return Err(LayerError::field(
                "scale",
                format!(
                    "{} is outside 0 to 1: Keras takes a fraction such as 0.5",
                    self.scale
                ),
            ));
        }
        affine(self.interpolation)
    }
    fn line(&self) -> String {
        format!("RandomPerspective {} scale {}", self.factor, self.scale)
    }
}

geometric!(
    /// `keras.layers.RandomElasticTransform`: bends images by a smooth random field.
    RandomElasticTransform {
        /// The range of the probability that an image is bent.
        factor: Factor = Factor::One(1.0),
        /// The range of the bend's strength, from 0 to 1.
        scale: Factor = Factor::One(1.0),
        /// The range pixel values take: `(0, 255)` or `(0, 1)`.
        value_range: [f64; 2] = [0.0, 255.0]
    },
    required: &[],
    positional: &[
        "factor", "scale", "interpolation", "fill_mode", "fill_value", "value_range", "seed",
        "data_format",
    ],
    leading: 1
);

impl Weightless for RandomElasticTransform {
    const AUTO: &'static str = "random_elastic_transform";
    fn what(&self) -> String {
        format!(
            "While training, RandomElasticTransform bends each image by a smooth random field of strength within {}, with a probability drawn within {}; at inference it passes it through unchanged.",
            self.scale, self.factor
        )
    }
    training_only!();
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        self.factor.check("factor", 0.0, 1.0, Rule::Overlap)?;
        self.scale.check("scale", 0.0, 1.0, Rule::Overlap)?;
        affine(self.interpolation)
    }
    fn line(&self) -> String {
        format!(
            "RandomElasticTransform {} scale {}",
            self.factor, self.scale
        )
    }
}

weightless!(RandomShear, RandomPerspective, RandomElasticTransform);
