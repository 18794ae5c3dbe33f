//! Dropout layers: they zero activations (or whole channels: SpatialDropout1D/2D/3D) while
//! training and hold no weights.

use serde::{Deserialize, Serialize};

use super::weightless::{Weightless, needs_rank, rate_in_unit};
use super::{
    Catalogued, DataFormat, Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, NONE_NOTE, is_true,
    yes,
};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink};

macro_rules! dropout_kind {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $ndim:pat, $layout:literal, $lists:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// Fraction of inputs zeroed while training, 0 to 1.
            pub rate: f64,
            /// A name instead of Keras' automatic one.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub name: Option<String>,
            /// Kept for round trips; nothing to freeze.
            #[serde(default = "yes", skip_serializing_if = "is_true")]
            pub trainable: bool,
        }

        impl Default for $name {
            fn default() -> Self {
                Self { rate: 0.5, name: None, trainable: true }
            }
        }

        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                if !(0.0..=1.0).contains(&self.rate) {
                    return Err(LayerError::field("rate", format!("{} is outside 0 to 1: it is the fraction of inputs dropped", self.rate)));
                }
                if !self.trainable && !self.keras().trainable_arg {
                    return Err(LayerError::field("trainable", format!("Keras' {} takes no trainable argument (it has no weights to freeze): remove it", self.class())));
                }
                if !matches!(input.ndim(), $ndim) {
                    return Err(LayerError::shape(
                        $layout,
                        input,
                        "use Dropout here, or keep the time axis before it",
                    ));
                }
                Ok(Output::One(input.clone()))
            }
            fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
                Ok(())
            }
            fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
                let mut e = Explanation::default();
                e.step(format!("{} has no weights", self.class()), "0", 0);
                e.note(format!(concat!($what, " It learns nothing, so it has 0 parameters; at inference it passes its input through unchanged."), self.rate * 100.0));
                e.note("The output shape equals the input shape.");
                e.note(NONE_NOTE);
                Ok(e)
            }
            fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                Ok(zero(
                    tally,
                    self.class(),
                    || "Dropout only zeroes (and rescales) activations while training; at inference it passes them through.".into(),
                ))
            }
            fn brief(&self) -> String {
                format!("{} {}", self.class(), self.rate)
            }
            fn knob(&self) -> Option<Knob> {
                Some(Knob { field: "rate", value: KnobValue::Rate(self.rate) })
            }
            fn set_knob(&mut self, value: KnobValue) {
                if let KnobValue::Rate(r) = value {
                    self.rate = (r.clamp(0.0, 1.0) * 100.0).round() / 100.0;
                }
            }
            fn name(&self) -> Option<&str> {
                self.name.as_deref()
            }
            fn set_name(&mut self, name: Option<String>) {
                self.name = name;
            }
            fn trainable(&self) -> bool {
                self.trainable
            }
            fn maps_over_lists(&self) -> bool {
                $lists
            }
        }
    };
}

dropout_kind!(
    /// `keras.layers.Dropout`.
    Dropout, "dropout", 1.., "an input with a batch axis", true,
    "While training, Dropout sets a random {}% of its inputs to zero (and scales the rest up)."
);

dropout_kind!(
    /// `keras.layers.SpatialDropout1D`: drops whole channels of a sequence.
    SpatialDropout1D, "spatial_dropout1d", 3, "3-D input (batch, timesteps, channels)", false,
    "While training, SpatialDropout1D zeroes a random {}% of whole feature channels across all timesteps."
);

impl Keras for Dropout {
    const FACTS: KerasFacts = KerasFacts {
        required: &["rate"],
        positional: &["rate", "noise_shape", "seed"],
        leading: 1,
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Keras for SpatialDropout1D {
    const FACTS: KerasFacts = KerasFacts {
        required: &["rate"],
        positional: &["rate", "seed"],
        leading: 1,
        rank: 1,
        trainable_arg: false,
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

/// Writes a spatial dropout kind over images or volumes: drops whole channels, keeps the
/// shape, holds no weights, and (as Keras' own) takes no `trainable` argument.
macro_rules! spatial_dropout {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $rank:literal, $layout:literal, $maps:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// Fraction of channels zeroed while training, 0 to 1.
            pub rate: f64,
            /// Where the channel axis is.
            pub data_format: DataFormat,
            /// A name instead of Keras' automatic one.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub name: Option<String>,
            /// Kept for round trips; Keras' constructor takes no `trainable`.
            #[serde(default = "yes", skip_serializing_if = "is_true")]
            pub trainable: bool,
        }

        impl Default for $name {
            fn default() -> Self {
                Self { rate: 0.5, data_format: DataFormat::ChannelsLast, name: None, trainable: true }
            }
        }

        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                required: &["rate"],
                positional: &["rate", "data_format", "seed"],
                leading: 1,
                rank: $rank,
                trainable_arg: false,
                ..KerasFacts::PLAIN
            };
        }

        impl Weightless for $name {
            const AUTO: &'static str = $auto;
            fn what(&self) -> String {
                format!(
                    concat!("While training, ", stringify!($name), " zeroes a random {}% of whole ", $maps, " (and scales the rest up); at inference it passes its input through unchanged."),
                    self.rate * 100.0
                )
            }
            fn torch_note(&self) -> String {
                concat!("PyTorch's nn.Dropout", $rank, "d does the same on channels-first tensors, with no parameters.").into()
            }
            fn no_macs(&self) -> &'static str {
                "Dropout only zeroes (and rescales) activations while training; at inference it passes them through."
            }
            fn check(&self, input: &Shape) -> Result<(), LayerError> {
                rate_in_unit("rate", self.rate)?;
                if !self.trainable {
                    return Err(LayerError::field("trainable", concat!("Keras' ", stringify!($name), " takes no trainable argument (it has no weights to freeze): remove it")));
                }
                needs_rank(input, $rank + 2, $layout, "put it after a layer with that many axes, or use Dropout")
            }
            fn line(&self) -> String {
                format!(concat!(stringify!($name), " {}"), self.rate)
            }
            fn rate(&self) -> Option<f64> {
                Some(self.rate)
            }
            fn put_rate(&mut self, rate: f64) {
                self.rate = rate;
            }
        }
    };
}

spatial_dropout!(
    /// `keras.layers.SpatialDropout2D`: drops whole feature maps of an image.
    SpatialDropout2D, "spatial_dropout2d", 2, "4-D input (batch, rows, cols, channels)", "feature maps"
);

spatial_dropout!(
    /// `keras.layers.SpatialDropout3D`: drops whole feature volumes.
    SpatialDropout3D, "spatial_dropout3d", 3, "5-D input (batch, dim1, dim2, dim3, channels)", "feature volumes"
);

weightless!(SpatialDropout2D, SpatialDropout3D);
