//! Regularisation by noise or penalty: `GaussianNoise`, `GaussianDropout`, `AlphaDropout` and
//! `ActivityRegularization`. They act only while training (or only on the loss), keep the
//! shape and hold no weights.

use serde::{Deserialize, Serialize};

use super::weightless::{Weightless, not_negative, rate_in_unit};
use super::{Catalogued, Keras, KerasFacts, MaskUse, is_true, yes};
use crate::model::error::LayerError;
use crate::model::shape::Shape;

/// The MACs note of every layer here.
const TRAINING_ONLY: &str = "It only perturbs activations while training (or adds to the loss); at inference it passes them through, and it has no weights to multiply.";

/// `keras.layers.GaussianNoise`: adds zero-mean noise while training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GaussianNoise {
    /// Standard deviation of the noise, 0 to 1.
    pub stddev: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for GaussianNoise {
    fn default() -> Self {
        Self {
            stddev: 0.1,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for GaussianNoise {
    const FACTS: KerasFacts = KerasFacts {
        required: &["stddev"],
        positional: &["stddev", "seed"],
        leading: 1,
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for GaussianNoise {
    // Keras applies it to each tensor of a list, as it does Dropout.
    const LISTS: bool = true;
    const AUTO: &'static str = "gaussian_noise";
    fn what(&self) -> String {
        format!(
            "While training, GaussianNoise adds noise of standard deviation {} to every value; at inference it passes its input through unchanged.",
            self.stddev
        )
    }
    fn torch_note(&self) -> String {
        "PyTorch has no module for it: the export adds torch.randn_like noise while training only, no parameters.".into()
    }
    fn no_macs(&self) -> &'static str {
        TRAINING_ONLY
    }
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        rate_in_unit("stddev", self.stddev)
    }
    fn line(&self) -> String {
        format!("GaussianNoise {}", self.stddev)
    }
}

/// `keras.layers.GaussianDropout`: multiplies by noise of mean 1 while training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GaussianDropout {
    /// The drop rate the noise matches, 0 to 1: standard deviation √(rate / (1 − rate)).
    pub rate: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for GaussianDropout {
    fn default() -> Self {
        Self {
            rate: 0.5,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for GaussianDropout {
    const FACTS: KerasFacts = KerasFacts {
        required: &["rate"],
        positional: &["rate", "seed"],
        leading: 1,
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for GaussianDropout {
    // Keras applies it to each tensor of a list, as it does Dropout.
    const LISTS: bool = true;
    const AUTO: &'static str = "gaussian_dropout";
    fn what(&self) -> String {
        format!(
            "While training, GaussianDropout multiplies every value by noise of mean 1 and standard deviation √({0} / (1 − {0})); at inference it passes its input through unchanged.",
            self.rate
        )
    }
    fn torch_note(&self) -> String {
        "PyTorch has no module for it: the export multiplies by torch.randn_like noise while training only, no parameters.".into()
    }
    fn no_macs(&self) -> &'static str {
        TRAINING_ONLY
    }
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        rate_in_unit("rate", self.rate)
    }
    fn line(&self) -> String {
        format!("GaussianDropout {}", self.rate)
    }
    fn rate(&self) -> Option<f64> {
        Some(self.rate)
    }
    fn put_rate(&mut self, rate: f64) {
        self.rate = rate;
    }
}

/// `keras.layers.AlphaDropout`: dropout that keeps SELU's mean and variance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlphaDropout {
    /// Fraction of inputs dropped while training, 0 to 1.
    pub rate: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for AlphaDropout {
    fn default() -> Self {
        Self {
            rate: 0.5,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for AlphaDropout {
    const FACTS: KerasFacts = KerasFacts {
        required: &["rate"],
        positional: &["rate", "noise_shape", "seed"],
        leading: 1,
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for AlphaDropout {
    // Keras applies it to each tensor of a list, as it does Dropout.
    const LISTS: bool = true;
    const AUTO: &'static str = "alpha_dropout";
    fn what(&self) -> String {
        format!(
            "While training, AlphaDropout sets a random {}% of its inputs to SELU's negative saturation value and rescales, keeping mean and variance; at inference it passes its input through unchanged.",
            self.rate * 100.0
        )
    }
    fn torch_note(&self) -> String {
        "PyTorch's nn.AlphaDropout does the same, with no parameters.".into()
    }
    fn no_macs(&self) -> &'static str {
        TRAINING_ONLY
    }
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        rate_in_unit("rate", self.rate)
    }
    fn line(&self) -> String {
        format!("AlphaDropout {}", self.rate)
    }
    fn rate(&self) -> Option<f64> {
        Some(self.rate)
    }
    fn put_rate(&mut self, rate: f64) {
        self.rate = rate;
    }
}

/// `keras.layers.ActivityRegularization`: adds a penalty on its input to the loss.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityRegularization {
    /// Factor of the sum of absolute activations.
    pub l1: f64,
    /// Factor of the sum of squared activations.
    pub l2: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for ActivityRegularization {
    fn default() -> Self {
        Self {
            l1: 0.0,
            l2: 0.0,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for ActivityRegularization {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["l1", "l2"],
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for ActivityRegularization {
    // Keras applies it to each tensor of a list, as it does Dropout.
    const LISTS: bool = true;
    const AUTO: &'static str = "activity_regularization";
    fn what(&self) -> String {
        format!(
            "ActivityRegularization passes its input through and adds {} × sum |x| + {} × sum x² to the training loss.",
            self.l1, self.l2
        )
    }
    fn torch_note(&self) -> String {
        "PyTorch has no module for it: the export passes the input through and says which penalty to add to the loss.".into()
    }
    fn no_macs(&self) -> &'static str {
        TRAINING_ONLY
    }
    fn check(&self, _: &Shape) -> Result<(), LayerError> {
        not_negative("l1", self.l1)?;
        not_negative("l2", self.l2)
    }
    fn line(&self) -> String {
        format!("ActivityRegularization l1={} l2={}", self.l1, self.l2)
    }
}

weightless!(
    GaussianNoise,
    GaussianDropout,
    AlphaDropout,
    ActivityRegularization
);
