//! Adaptive pooling: the maximum or mean over windows sized so that each spatial axis comes
//! out at a chosen length, whatever the input's. No weights, in Keras or PyTorch.

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
use crate::model::weights::{Convention, Sink};

macro_rules! adaptive_kind {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $ty:ty, $default:expr, $layout:literal,
     $what:literal, $torch:literal) => {
        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                required: &["output_size"],
                positional: &["output_size", "data_format"],
                leading: 1,
                rank: <$ty as Dims>::RANK,
                ..KerasFacts::PLAIN
            };
        }

        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// The length each spatial axis comes out at.
            pub output_size: $ty,
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
                    output_size: $default,
                    data_format: DataFormat::ChannelsLast,
                    name: None,
                    trainable: true,
                }
            }
        }

        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                for &n in self.output_size.dims() {
                    positive("output_size", n)?;
                }
                if input.ndim() != <$ty as Dims>::RANK + 2 {
                    return Err(LayerError::shape(
                        $layout,
                        input,
                        format!("{} needs that layout: put it after a layer that keeps it", self.class()),
                    ));
                }
                let (_, channels) = self.data_format.split(input);
                let spatial: Vec<Dim> = self.output_size.dims().iter().map(|&n| Some(n)).collect();
                Ok(Output::One(self.data_format.join(spatial, channels)))
            }
            fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
                Ok(())
            }
            fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
                let mut e = Explanation::default();
                no_weights(
                    &mut e,
                    self.class(),
                    &format!(concat!("{} takes the ", $what, " of each window."), self.class()),
                );
                e.note(format!(
                    "output_size={} sets the output length of each spatial axis; the windows are as wide as it takes to cover the input (window i of n over L steps spans floor(i·L/n) to ceil((i+1)·L/n)).",
                    tuple(self.output_size.dims())
                ));
                e.note(concat!("PyTorch's ", $torch, " has no parameters either."));
                Ok(e)
            }
            fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                Ok(zero(tally, self.class(), || {
                    format!(
                        concat!("{} takes the ", $what, " of each window: comparisons or additions, no weights."),
                        self.class()
                    )
                }))
            }
            fn brief(&self) -> String {
                format!("{} {}", self.class(), tuple(self.output_size.dims()))
            }
            fn knob(&self) -> Option<Knob> {
                None
            }
            fn set_knob(&mut self, _: KnobValue) {}
            name_and_trainable!();
        }
    };
}

adaptive_kind!(
    /// `keras.layers.AdaptiveAveragePooling1D`.
    AdaptiveAveragePooling1D, "adaptive_average_pooling1d", u64, 4,
    "3-D input (batch, steps, channels)", "mean", "nn.AdaptiveAvgPool1d"
);

adaptive_kind!(
    /// `keras.layers.AdaptiveAveragePooling2D`.
    AdaptiveAveragePooling2D, "adaptive_average_pooling2d", [u64; 2], [4, 4],
    "4-D input (batch, height, width, channels)", "mean", "nn.AdaptiveAvgPool2d"
);

adaptive_kind!(
    /// `keras.layers.AdaptiveAveragePooling3D`.
    AdaptiveAveragePooling3D, "adaptive_average_pooling3d", [u64; 3], [4, 4, 4],
    "5-D input (batch, depth, height, width, channels)", "mean", "nn.AdaptiveAvgPool3d"
);

adaptive_kind!(
    /// `keras.layers.AdaptiveMaxPooling1D`.
    AdaptiveMaxPooling1D, "adaptive_max_pooling1d", u64, 4,
    "3-D input (batch, steps, channels)", "maximum", "nn.AdaptiveMaxPool1d"
);

adaptive_kind!(
    /// `keras.layers.AdaptiveMaxPooling2D`.
    AdaptiveMaxPooling2D, "adaptive_max_pooling2d", [u64; 2], [4, 4],
    "4-D input (batch, height, width, channels)", "maximum", "nn.AdaptiveMaxPool2d"
);

adaptive_kind!(
    /// `keras.layers.AdaptiveMaxPooling3D`.
    AdaptiveMaxPooling3D, "adaptive_max_pooling3d", [u64; 3], [4, 4, 4],
    "5-D input (batch, depth, height, width, channels)", "maximum", "nn.AdaptiveMaxPool3d"
);
