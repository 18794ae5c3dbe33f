//! Pooling: a fixed function (maximum or mean) over windows or over whole axes. No
//! weights, in Keras or PyTorch.

use serde::{Deserialize, Serialize};

use super::conv::{Dims, tuple};
use super::{
    Catalogued, DataFormat, Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, Padding, is_true,
    no_weights, positive, yes,
};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::shape::{Dim, Output, Shape};
use crate::model::weights::{Convention, Sink};

/// Output length of one pooled axis under Keras' rule; `None` when it would be zero or
/// negative, which Keras refuses ("Computed output size would be zero or negative") with
/// valid padding. Same padding is not checked by Keras: an empty axis stays empty.
fn pool_len(len: u64, pool: u64, stride: u64, padding: Padding) -> Option<u64> {
    match padding {
        Padding::Valid => len.checked_sub(pool).map(|rest| rest / stride + 1),
        Padding::Same | Padding::Causal => Some(if len == 0 { 0 } else { (len - 1) / stride + 1 }),
    }
}

macro_rules! pool_kind {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $ty:ty, $two:expr, $layout:literal,
     $what:literal, $torch:literal, aliases [$($alias:literal),*]) => {
        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                aliases: &[$($alias),*],
                positional: &["pool_size", "strides", "padding", "data_format"],
                leading: 1,
                rank: <$ty as Dims>::RANK,
                ..KerasFacts::PLAIN
            };
        }

        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// Window size along each spatial axis.
            pub pool_size: $ty,
            /// Step between windows; `None` means the window size (Keras' default).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub strides: Option<$ty>,
            /// Edge handling ("valid" or "same").
            pub padding: Padding,
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
                    pool_size: $two,
                    strides: None,
                    padding: Padding::Valid,
                    data_format: DataFormat::ChannelsLast,
                    name: None,
                    trainable: true,
                }
            }
        }

        impl $name {
            /// The strides in effect.
            pub fn effective_strides(&self) -> $ty {
                self.strides.unwrap_or(self.pool_size)
            }
        }

        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                let pool = self.pool_size.dims();
                let strides = self.effective_strides();
                for &p in pool {
                    positive("pool_size", p)?;
                }
                for &s in strides.dims() {
                    positive("strides", s)?;
                }
                if self.padding == Padding::Causal {
                    return Err(LayerError::field("padding", "pooling takes \"valid\" or \"same\""));
                }
                if input.ndim() != pool.len() + 2 {
                    return Err(LayerError::shape(
                        concat!($layout),
                        input,
                        format!("{} needs that layout: put it after a layer that keeps it", self.class()),
                    ));
                }
                let (spatial, channels) = self.data_format.split(input);
                let mut out: Vec<Dim> = Vec::with_capacity(spatial.len() + 1);
                for (axis, dim) in spatial.iter().enumerate() {
                    match dim {
                        None => out.push(None),
                        Some(len) => match pool_len(*len, pool[axis], strides.dims()[axis], self.padding) {
                            Some(n) => out.push(Some(n)),
                            None => {
                                return Err(LayerError::shape(
                                    format!("at least {} steps on each pooled axis (pool_size={})", pool[axis], tuple(pool)),
                                    input,
                                    "the computed output size would be zero or negative: use a pool_size no longer than the input, padding=\"same\", or a longer input",
                                ));
                            }
                        },
                    }
                }
                Ok(Output::One(self.data_format.join(out, channels)))
            }
            fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
                Ok(())
            }
            fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
                let mut e = Explanation::default();
                no_weights(&mut e, self.class(), &format!(concat!("{} takes the ", $what, " of each window."), self.class()));
                e.note(format!(
                    "pool_size={} with strides={} and padding={} only decides how many windows there are, so the output length.",
                    tuple(self.pool_size.dims()), tuple(self.effective_strides().dims()), self.padding.as_str()
                ));
                e.note(concat!("PyTorch's ", $torch, " has no parameters either."));
                Ok(e)
            }
            fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                Ok(zero(
                    tally,
                    self.class(),
                    || format!(concat!("{} takes the ", $what, " of each window: comparisons or additions, no weights."), self.class()),
                ))
            }
            fn brief(&self) -> String {
                let mut s = format!("{} {}", self.class(), tuple(self.pool_size.dims()));
                if self.strides.is_some_and(|st| st != self.pool_size) {
                    s.push_str(&format!(" s{}", tuple(self.effective_strides().dims())));
                }
                if self.padding != Padding::Valid {
                    s.push(' ');
                    s.push_str(self.padding.as_str());
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

pool_kind!(
    /// `keras.layers.MaxPooling1D`.
    MaxPooling1D, "max_pooling1d", u64, 2, "3-D input (batch, steps, channels)",
    "maximum", "nn.MaxPool1d", aliases ["MaxPool1D"]
);

pool_kind!(
    /// `keras.layers.MaxPooling2D`.
    MaxPooling2D, "max_pooling2d", [u64; 2], [2, 2],
    "4-D input (batch, height, width, channels)", "maximum", "nn.MaxPool2d", aliases ["MaxPool2D"]
);

pool_kind!(
    /// `keras.layers.AveragePooling1D`.
    AveragePooling1D, "average_pooling1d", u64, 2,
    "3-D input (batch, steps, channels)", "mean", "nn.AvgPool1d", aliases ["AvgPool1D"]
);

macro_rules! global_pool_kind {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $rank:literal, $layout:literal, $over:literal,
     $kept:literal, $hint:literal, $what:literal, $torch:literal, aliases [$($alias:literal),*],
     mask $mask:ident) => {
        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                aliases: &[$($alias),*],
                positional: &["data_format", "keepdims"],
                rank: $rank,
                mask: MaskUse::$mask,
                ..KerasFacts::PLAIN
            };
        }

        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// Where the channel axis is.
            pub data_format: DataFormat,
            /// Keep the reduced axes with length 1.
            pub keepdims: bool,
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
                    data_format: DataFormat::ChannelsLast,
                    keepdims: false,
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
                if input.ndim() != $rank + 2 {
                    return Err(LayerError::shape(
                        $layout,
                        input,
                        format!(concat!("{} ", $hint), self.class()),
                    ));
                }
                let (_, channels) = self.data_format.split(input);
                let spatial = if self.keepdims { vec![Some(1); $rank] } else { Vec::new() };
                Ok(Output::One(self.data_format.join(spatial, channels)))
            }
            fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
                Ok(())
            }
            fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
                let mut e = Explanation::default();
                no_weights(&mut e, self.class(), &format!(concat!("{} takes the ", $what, " of each channel over all ", $over, "."), self.class()));
                if self.keepdims {
                    e.note(concat!("keepdims=True keeps the ", $kept, " with length 1."));
                }
                e.note(concat!("PyTorch writes it as ", $torch, "; no parameters either."));
                Ok(e)
            }
            fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                Ok(zero(
                    tally,
                    self.class(),
                    || format!(concat!("{} takes the ", $what, " of each channel: comparisons or additions, no weights."), self.class()),
                ))
            }
            fn brief(&self) -> String {
                if self.keepdims {
                    format!("{} keepdims", self.class())
                } else {
                    self.class().to_string()
                }
            }
            fn knob(&self) -> Option<Knob> {
                None
            }
            fn set_knob(&mut self, _: KnobValue) {}
            name_and_trainable!();
        }
    };
}

global_pool_kind!(
    /// `keras.layers.GlobalMaxPooling1D`.
    GlobalMaxPooling1D, "global_max_pooling1d", 1, "3-D input (batch, steps, channels)",
    "timesteps", "time axis", "reduces a sequence: put it after a layer that keeps the time axis (return_sequences=True, Conv1D, ...)",
    "maximum",
    "x.amax(dim=1) (or nn.AdaptiveMaxPool1d(1))", aliases ["GlobalMaxPool1D"],
    mask Drops
);

global_pool_kind!(
    /// `keras.layers.GlobalAveragePooling1D`.
    GlobalAveragePooling1D, "global_average_pooling1d", 1, "3-D input (batch, steps, channels)",
    "timesteps", "time axis", "reduces a sequence: put it after a layer that keeps the time axis (return_sequences=True, Conv1D, ...)",
    "mean",
    "x.mean(dim=1) (or nn.AdaptiveAvgPool1d(1))", aliases ["GlobalAvgPool1D"],
    mask Takes
);

pool_kind!(
    /// `keras.layers.MaxPooling3D`.
    MaxPooling3D, "max_pooling3d", [u64; 3], [2, 2, 2],
    "5-D input (batch, depth, height, width, channels)", "maximum", "nn.MaxPool3d", aliases ["MaxPool3D"]
);

pool_kind!(
    /// `keras.layers.AveragePooling2D`.
    AveragePooling2D, "average_pooling2d", [u64; 2], [2, 2],
    "4-D input (batch, height, width, channels)", "mean", "nn.AvgPool2d", aliases ["AvgPool2D"]
);

pool_kind!(
    /// `keras.layers.AveragePooling3D`.
    AveragePooling3D, "average_pooling3d", [u64; 3], [2, 2, 2],
    "5-D input (batch, depth, height, width, channels)", "mean", "nn.AvgPool3d", aliases ["AvgPool3D"]
);

global_pool_kind!(
    /// `keras.layers.GlobalMaxPooling2D`.
    GlobalMaxPooling2D, "global_max_pooling2d", 2, "4-D input (batch, height, width, channels)",
    "positions", "height and width axes", "reduces an image: put it after a layer that keeps its height and width (Conv2D, MaxPooling2D, ...)",
    "maximum", "x.amax(dim=(1, 2)) (or nn.AdaptiveMaxPool2d(1))", aliases ["GlobalMaxPool2D"],
    mask Drops
);

global_pool_kind!(
    /// `keras.layers.GlobalAveragePooling2D`.
    GlobalAveragePooling2D, "global_average_pooling2d", 2, "4-D input (batch, height, width, channels)",
    "positions", "height and width axes", "reduces an image: put it after a layer that keeps its height and width (Conv2D, MaxPooling2D, ...)",
    "mean", "x.mean(dim=(1, 2)) (or nn.AdaptiveAvgPool2d(1))", aliases ["GlobalAvgPool2D"],
    mask Drops
);

global_pool_kind!(
    /// `keras.layers.GlobalMaxPooling3D`.
    GlobalMaxPooling3D, "global_max_pooling3d", 3, "5-D input (batch, depth, height, width, channels)",
    "positions", "depth, height and width axes", "reduces a volume: put it after a layer that keeps its three spatial axes (Conv3D, MaxPooling3D, ...)",
    "maximum", "x.amax(dim=(1, 2, 3)) (or nn.AdaptiveMaxPool3d(1))", aliases ["GlobalMaxPool3D"],
    mask Drops
);

global_pool_kind!(
    /// `keras.layers.GlobalAveragePooling3D`.
    GlobalAveragePooling3D, "global_average_pooling3d", 3, "5-D input (batch, depth, height, width, channels)",
    "positions", "depth, height and width axes", "reduces a volume: put it after a layer that keeps its three spatial axes (Conv3D, MaxPooling3D, ...)",
    "mean", "x.mean(dim=(1, 2, 3)) (or nn.AdaptiveAvgPool3d(1))", aliases ["GlobalAvgPool3D"],
    mask Drops
);
