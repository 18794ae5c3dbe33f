//! Transposed convolutions: `Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose`. Each
//! input position scatters a whole kernel into the output, so the output grows by the stride;
//! the parameter count is a plain convolution's (kernel × input channels × filters + bias),
//! only the output shape differs.

use serde::{Deserialize, Serialize};

use super::conv::{Dims, check_rank, check_window, known_channels, times, tuple};
use super::{
    Catalogued, DataFormat, Keras, KerasFacts, Kind, Knob, KnobValue, NONE_NOTE, Padding,
    Regularizer, is_true, other_convention_note, positive, push_activation, regularizer_notes, yes,
};
use crate::model::compute::{Tally, known_product};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Dim, Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, add, mul};

/// Output length of one axis under Keras' rule for transposed convolutions (its
/// `compute_conv_transpose_output_shape`): without `output_padding`, "valid" gives
/// `len × s + max(k' − s, 0)` and "same" gives `len × s`; with it, `(len − 1) × s + k' − 2 ×
/// pad + output_padding`, where `k'` is the dilated kernel and `pad` is `k' / 2` for "same".
pub(crate) fn transpose_len(
    len: u64,
    k: u64,
    s: u64,
    d: u64,
    padding: Padding,
    output_padding: Option<u64>,
) -> Result<u64, LayerError> {
    let dilated = add(&[mul(&[d, k.saturating_sub(1)])?, 1])?;
    let same = padding != Padding::Valid;
    match output_padding {
        None if same => mul(&[len, s]),
        None => add(&[mul(&[len, s])?, dilated.saturating_sub(s)]),
        Some(op) => {
            let pad = if same { dilated / 2 } else { 0 };
            let grown = add(&[mul(&[len.saturating_sub(1), s])?, dilated, op])?;
            Ok(grown.saturating_sub(mul(&[2, pad])?))
        }
    }
}

macro_rules! conv_transpose_kind {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $ty:ty, $one:expr, $three:expr,
     $layout:literal, $torch:literal, positional [$($p:literal),+], aliases [$($alias:literal),*]) => {
        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                aliases: &[$($alias),*],
                required: &["filters", "kernel_size"],
                positional: &[$($p),+],
                leading: 2,
                rank: <$ty as Dims>::RANK,
                ..KerasFacts::PLAIN
            };
        }

        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// Number of filters: the output channels.
            pub filters: u64,
            /// Extent of the window along each spatial axis.
            pub kernel_size: $ty,
            /// Upsampling factor per axis; changes the output size only.
            pub strides: $ty,
            /// Edge handling; changes the output size only.
            pub padding: Padding,
            /// Extra rows added to one side of the output, each below its stride; `None` lets
            /// Keras infer the size from `padding`.
            pub output_padding: Option<$ty>,
            /// Where the channel axis is.
            pub data_format: DataFormat,
            /// Gaps between kernel taps; changes the output size only.
            pub dilation_rate: $ty,
            /// Applied to the output; changes no count.
            pub activation: String,
            /// Whether each filter has a bias.
            pub use_bias: bool,
            /// Penalty on the kernel.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub kernel_regularizer: Option<Regularizer>,
            /// Penalty on the bias.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub bias_regularizer: Option<Regularizer>,
            /// A name instead of Keras' automatic one.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub name: Option<String>,
            /// False freezes the weights.
            #[serde(default = "yes", skip_serializing_if = "is_true")]
            pub trainable: bool,
        }

        impl Default for $name {
            fn default() -> Self {
                Self {
                    filters: 32,
                    kernel_size: $three,
                    strides: $one,
                    padding: Padding::Valid,
                    output_padding: None,
                    data_format: DataFormat::ChannelsLast,
                    dilation_rate: $one,
                    activation: "linear".into(),
                    use_bias: true,
                    kernel_regularizer: None,
                    bias_regularizer: None,
                    name: None,
                    trainable: true,
                }
            }
        }

        impl $name {
            /// Input channels, after the checks `output` makes.
            fn in_channels(&self, input: &Shape) -> Result<u64, LayerError> {
                known_channels(self.data_format.split(input).1, input, self.class())
            }

            /// The spatial output, one axis at a time.
            fn grow(&self, spatial: &[Dim], input: &Shape) -> Result<Vec<Dim>, LayerError> {
                let (kernel, strides, dilation) = (self.kernel_size.dims(), self.strides.dims(), self.dilation_rate.dims());
                let extra = self.output_padding.as_ref().map(|p| p.dims());
                let mut out = Vec::with_capacity(spatial.len() + 1);
                for (axis, dim) in spatial.iter().enumerate() {
                    let Some(len) = dim else {
                        out.push(None);
                        continue;
                    };
                    let op = extra.map(|p| p[axis]);
                    match transpose_len(*len, kernel[axis], strides[axis], dilation[axis], self.padding, op)? {
                        0 => return Err(LayerError::shape(
                            "an output of at least 1 step on each axis",
                            input,
                            "the computed output size would be zero: use a larger kernel_size or output_padding, or a longer input",
                        )),
                        n => out.push(Some(n)),
                    }
                }
                Ok(out)
            }
        }

        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                let kernel = self.kernel_size.dims();
                let filters = positive("filters", self.filters)?;
                check_window(kernel, self.strides.dims(), self.dilation_rate.dims())?;
                if self.padding == Padding::Causal {
                    return Err(LayerError::field("padding", format!("{} pads \"valid\" or \"same\" only: causal padding exists only for Conv1D", self.class())));
                }
                if let Some(p) = &self.output_padding {
                    for (op, s) in p.dims().iter().zip(self.strides.dims()) {
                        if op >= s {
                            return Err(LayerError::field("output_padding", format!(
                                "{} must be strictly less than strides={} on every axis (Keras rejects it): lower it, or leave it unset",
                                tuple(p.dims()), tuple(self.strides.dims())
                            )));
                        }
                    }
                }
                check_rank(input, kernel.len() + 2, $layout, self.class())?;
                let (spatial, channels) = self.data_format.split(input);
                known_channels(channels, input, self.class())?;
                let out = self.grow(spatial, input)?;
                Ok(Output::One(self.data_format.join(out, Some(filters))))
            }
            fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
                let channels = self.in_channels(input)?;
                let kernel = self.kernel_size.dims();
                let r = kernel.len();
                let mut dims = [0u64; 5];
                let name = match convention {
                    Convention::Keras => {
                        dims[..r].copy_from_slice(kernel);
                        dims[r] = self.filters;
                        dims[r + 1] = channels;
                        "kernel"
                    }
                    Convention::PyTorch => {
                        dims[0] = channels;
                        dims[1] = self.filters;
                        dims[2..r + 2].copy_from_slice(kernel);
                        "weight"
                    }
                };
                sink.put(Weight::new(name, &dims[..r + 2]));
                if self.use_bias {
                    sink.put(Weight::new("bias", &[self.filters]));
                }
                Ok(())
            }
            fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
                let channels = self.in_channels(input)?;
                let kernel = self.kernel_size.dims();
                let mut e = Explanation::default();
                let one = mul(&[mul(kernel)?, channels])?;
                e.step(
                    format!("one filter is a {} window over all {channels} input channels", tuple(kernel)),
                    format!("{} × {}", times(kernel), thousands(channels)),
                    one,
                );
                let weights = mul(&[one, self.filters])?;
                e.step(
                    format!("{} filters, one per output channel", thousands(self.filters)),
                    format!("{} × {}", thousands(one), thousands(self.filters)),
                    weights,
                );
                if self.use_bias {
                    e.step(
                        "plus one bias per filter",
                        format!("{} + {}", thousands(weights), thousands(self.filters)),
                        add(&[weights, self.filters])?,
                    );
                } else {
                    e.note("use_bias=False: no bias vector, only the kernel.");
                }
                e.note(format!(
                    "A transposed convolution counts like a plain one: each input position scatters the same kernel into the output, so padding={}, strides={}, output_padding={} and dilation_rate={} only change the output size (strides multiply it).",
                    self.padding.as_str(),
                    tuple(self.strides.dims()),
                    self.output_padding.as_ref().map_or_else(|| "None".to_string(), |p| tuple(p.dims())),
                    tuple(self.dilation_rate.dims())
                ));
                e.note(NONE_NOTE);
                other_convention_note(&mut e, self, input, convention, concat!(
                    "the same kernel, stored as (in_channels, out_channels, kernel...) in ", $torch,
                    " versus Keras' (kernel..., filters, in_channels)."
                ));
                regularizer_notes(&mut e, &[
                    ("kernel_regularizer", self.kernel_regularizer),
                    ("bias_regularizer", self.bias_regularizer),
                ]);
                Ok(e)
            }
            fn macs(&self, input: &Shape, _output: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                let channels = self.in_channels(input)?;
                let kernel = self.kernel_size.dims();
                let window = tally.step(
                    || format!("one input value scattered through a {} window", tuple(kernel)),
                    || times(kernel),
                    mul(kernel)?,
                );
                let per_position = tally.step(
                    || format!("{channels} input channels × {} filters at each input position", thousands(self.filters)),
                    || format!("{} × {} × {}", thousands(window), thousands(channels), thousands(self.filters)),
                    mul(&[window, channels, self.filters])?,
                );
                let (spatial, _) = self.data_format.split(input);
                let positions = known_product(spatial, "input length", input)?;
                let total = tally.step(
                    || format!("over {} input positions {}", thousands(positions), tuple(&spatial.iter().flatten().copied().collect::<Vec<_>>())),
                    || format!("{} × {}", thousands(positions), thousands(per_position)),
                    mul(&[positions, per_position])?,
                );
                tally.note(|| "A transposed convolution multiplies each input value by the whole kernel once (the products overlapping outputs add up), so it is counted over the input positions; the bias add and the activation are not counted.".into());
                Ok(total)
            }
            fn brief(&self) -> String {
                let mut s = format!("{} {} k{}", self.class(), self.filters, tuple(self.kernel_size.dims()));
                if self.padding != Padding::Valid {
                    s.push(' ');
                    s.push_str(self.padding.as_str());
                }
                if self.strides.dims().iter().any(|&x| x != 1) {
                    s.push_str(&format!(" s{}", tuple(self.strides.dims())));
                }
                if let Some(p) = &self.output_padding {
                    s.push_str(&format!(" op{}", tuple(p.dims())));
                }
                if self.dilation_rate.dims().iter().any(|&x| x != 1) {
                    s.push_str(&format!(" d{}", tuple(self.dilation_rate.dims())));
                }
                push_activation(&mut s, &self.activation);
                if !self.use_bias {
                    s.push_str(" no-bias");
                }
                s
            }
            fn knob(&self) -> Option<Knob> {
                Some(Knob { field: "filters", value: KnobValue::Count(self.filters) })
            }
            fn set_knob(&mut self, value: KnobValue) {
                if let KnobValue::Count(v) = value {
                    self.filters = v.max(1);
                }
            }
            name_and_trainable!();
        }
    };
}

conv_transpose_kind!(
    /// `keras.layers.Conv1DTranspose`.
    Conv1DTranspose, "conv1d_transpose", u64, 1, 3, "(batch, steps, channels)", "nn.ConvTranspose1d",
    positional [
        "filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
        "dilation_rate", "activation", "use_bias"
    ],
    aliases ["Convolution1DTranspose"]
);

conv_transpose_kind!(
    /// `keras.layers.Conv2DTranspose`.
    Conv2DTranspose, "conv2d_transpose", [u64; 2], [1, 1], [3, 3], "(batch, height, width, channels)", "nn.ConvTranspose2d",
    positional [
        "filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
        "dilation_rate", "activation", "use_bias"
    ],
    aliases ["Convolution2DTranspose", "Deconvolution2D", "Deconv2D"]
);

conv_transpose_kind!(
    /// `keras.layers.Conv3DTranspose`.
    Conv3DTranspose, "conv3d_transpose", [u64; 3], [1, 1, 1], [3, 3, 3], "(batch, depth, height, width, channels)", "nn.ConvTranspose3d",
    // Keras 3 puts data_format before output_padding here, unlike the 1-D and 2-D ones.
    positional [
        "filters", "kernel_size", "strides", "padding", "data_format", "output_padding",
        "dilation_rate", "activation", "use_bias"
    ],
    aliases ["Convolution3DTranspose", "Deconvolution3D", "Deconv3D"]
);
