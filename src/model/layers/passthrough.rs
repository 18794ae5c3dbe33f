//! Layers that hand their input on with its shape and hold no weights: `Identity`, `Masking`
//! (marks padded timesteps for the layers after it) and `Rescaling` (`x × scale + offset`).

use serde::{Deserialize, Serialize};

use super::weightless::Weightless;
use super::{Catalogued, Keras, KerasFacts, MaskUse, is_true, yes};

/// `keras.layers.Identity`: returns its input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Identity {
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Identity {
    fn default() -> Self {
        Self {
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Identity {
    const FACTS: KerasFacts = KerasFacts {
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for Identity {
    // Keras applies it to each tensor of a list, as it does Dropout.
    const LISTS: bool = true;
    const AUTO: &'static str = "identity";
    fn what(&self) -> String {
        "Identity returns its input unchanged (a placeholder, e.g. where a block may hold a layer)."
            .into()
    }
    fn torch_note(&self) -> String {
        "PyTorch's nn.Identity is the same, with no parameters.".into()
    }
    fn no_macs(&self) -> &'static str {
        "Identity does no arithmetic."
    }
    fn line(&self) -> String {
        "Identity".into()
    }
}

/// `keras.layers.Masking`: timesteps whose features all equal `mask_value` are skipped by
/// the layers after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Masking {
    /// The padding value that marks a timestep as missing.
    pub mask_value: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Masking {
    fn default() -> Self {
        Self {
            mask_value: 0.0,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Masking {
    const FACTS: KerasFacts = KerasFacts {
        positional: &["mask_value"],
        mask: MaskUse::Makes,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for Masking {
    const AUTO: &'static str = "masking";
    fn what(&self) -> String {
        format!(
            "Masking marks every timestep whose features all equal {} as padding (zeroing it), so recurrent layers after it skip those steps.",
            self.mask_value
        )
    }
    fn torch_note(&self) -> String {
        "PyTorch has no mask: the export zeroes the masked steps and computes the mask in forward, where the recurrent layers after it skip those steps as Keras' do; no parameters either way.".into()
    }
    fn no_macs(&self) -> &'static str {
        "Masking compares each value with the mask value: no weights to multiply."
    }
    fn line(&self) -> String {
        format!("Masking {}", self.mask_value)
    }
}

/// `keras.layers.Rescaling`: `x × scale + offset`, e.g. pixels from 0..255 to 0..1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rescaling {
    /// The factor every value is multiplied by.
    pub scale: f64,
    /// Added after scaling.
    pub offset: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Rescaling {
    fn default() -> Self {
        Self {
            scale: 1.0 / 255.0,
            offset: 0.0,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Rescaling {
    const FACTS: KerasFacts = KerasFacts {
        required: &["scale"],
        positional: &["scale", "offset"],
        leading: 1,
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Weightless for Rescaling {
    // Keras applies it to each tensor of a list, as it does Dropout.
    const LISTS: bool = true;
    const AUTO: &'static str = "rescaling";
    fn what(&self) -> String {
        format!(
            "Rescaling computes x × {} + {} for every value with fixed numbers.",
            self.scale, self.offset
        )
    }
    fn torch_note(&self) -> String {
        "PyTorch has no module for it: the export writes the same x * scale + offset, no parameters.".into()
    }
    fn no_macs(&self) -> &'static str {
        "Rescaling multiplies by one fixed number, not by learned weights."
    }
    fn line(&self) -> String {
        format!("Rescaling ×{} +{}", self.scale, self.offset)
    }
}

weightless!(Identity, Masking, Rescaling);
