//! Depthwise and depthwise-separable convolutions: `DepthwiseConv1D/2D` filter each input
//! channel on its own (`depth_multiplier` filters per channel), and `SeparableConv1D/2D`
//! follow that with a 1×1 pointwise convolution that mixes the channels. Both cost far fewer
//! weights than a full convolution with the same output channels.

use serde::{Deserialize, Serialize};

use super::conv::{Dims, check_rank, check_sizes, convolve, known_channels, times, tuple};
use super::{
    Catalogued, DataFormat, Keras, KerasFacts, Kind, Knob, KnobValue, NONE_NOTE, Padding,
    Regularizer, is_true, other_convention_note, positive, push_activation, regularizer_notes, yes,
};
use crate::model::compute::{Tally, known_product, single};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Dim, Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, add, mul};

/// The checks and spatial output both kinds share: Keras' depthwise convolutions accept
/// strides and dilation together, and pad "valid" or "same" only.
fn depthwise_output(
    input: &Shape,
    spec: (&[u64], &[u64], &[u64], Padding, DataFormat),
    layout: &str,
    class: &str,
) -> Result<(Vec<Dim>, u64), LayerError> {
    let (kernel, strides, dilation, padding, data_format) = spec;
    check_sizes(kernel, strides, dilation)?;
    if padding == Padding::Causal {
        return Err(LayerError::field(
            "padding",
            format!(
                "{class} pads \"valid\" or \"same\" only: causal padding exists only for Conv1D"
            ),
        ));
    }
    check_rank(input, kernel.len() + 2, layout, class)?;
    let (spatial, channels) = data_format.split(input);
    let channels = known_channels(channels, input, class)?;
    let out = convolve(spatial, kernel, strides, dilation, padding, input)?;
    Ok((out.to_vec(), channels))
}

/// Keras' `(kernel..., channels, depth_multiplier)` depthwise kernel, or PyTorch's
/// `(channels × multiplier, 1, kernel...)` weight of a `groups=channels` convolution.
fn depthwise_kernel(
    kernel: &[u64],
    channels: u64,
    multiplier: u64,
    convention: Convention,
    names: (&'static str, &'static str),
) -> Result<Weight, LayerError> {
    let r = kernel.len();
    let mut dims = [0u64; 5];
    Ok(match convention {
        Convention::Keras => {
            dims[..r].copy_from_slice(kernel);
            dims[r] = channels;
            dims[r + 1] = multiplier;
            Weight::new(names.0, &dims[..r + 2])
        }
        Convention::PyTorch => {
            dims[0] = mul(&[channels, multiplier])?;
            dims[1] = 1;
            dims[2..r + 2].copy_from_slice(kernel);
            Weight::new(names.1, &dims[..r + 2])
        }
    })
}

/// The depthwise step of the derivation: one `k` window per channel and multiplier.
fn depthwise_step(
    e: &mut Explanation,
    kernel: &[u64],
    channels: u64,
    m: u64,
) -> Result<u64, LayerError> {
    let value = mul(&[mul(kernel)?, channels, m])?;
    e.step(
        format!(
            "depthwise: each of the {channels} input channels gets {m} {} filter(s) of its own",
            tuple(kernel)
        ),
        format!(
            "{} × {} × {}",
            times(kernel),
            thousands(channels),
            thousands(m)
        ),
        value,
    );
    Ok(value)
}

/// The depthwise MACs: one window per output channel and position.
fn depthwise_macs(
    tally: &mut Tally,
    kernel: &[u64],
    channels: u64,
    m: u64,
    positions: u64,
) -> Result<u64, LayerError> {
    Ok(tally.step(
        || {
            format!(
                "depthwise: a {} window for each of {channels} channels × {m} at {} output positions",
                tuple(kernel),
                thousands(positions)
            )
        },
        || format!("{} × {} × {} × {}", times(kernel), thousands(channels), thousands(m), thousands(positions)),
        mul(&[mul(kernel)?, channels, m, positions])?,
    ))
}

/// Output positions of a depthwise layer's output.
fn positions(output: &Output, data_format: DataFormat) -> Result<u64, LayerError> {
    let out = single(output)?;
    let (spatial, _) = data_format.split(out);
    known_product(spatial, "output length", out)
}

/// `" same s2 d2 m3 relu no-bias"`: the fields a brief shows when they differ from the
/// defaults.
fn brief_tail(spec: (&[u64], &[u64], Padding), m: u64, activation: &str, use_bias: bool) -> String {
    let (strides, dilation, padding) = spec;
    let mut s = String::new();
    if padding != Padding::Valid {
        s.push(' ');
        s.push_str(padding.as_str());
    }
    if strides.iter().any(|&x| x != 1) {
        s.push_str(&format!(" s{}", tuple(strides)));
    }
    if dilation.iter().any(|&x| x != 1) {
        s.push_str(&format!(" d{}", tuple(dilation)));
    }
    if m != 1 {
        s.push_str(&format!(" m{m}"));
    }
    push_activation(&mut s, activation);
    if !use_bias {
        s.push_str(" no-bias");
    }
    s
}

macro_rules! depthwise_kind {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $ty:ty, $one:expr, $three:expr,
     $layout:literal, $torch:literal) => {
        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                required: &["kernel_size"],
                positional: &[
                    "kernel_size", "strides", "padding", "depth_multiplier", "data_format",
                    "dilation_rate", "activation", "use_bias",
                ],
                leading: 1,
                rank: <$ty as Dims>::RANK,
                ..KerasFacts::PLAIN
            };
        }

        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// Extent of the window along each spatial axis.
            pub kernel_size: $ty,
            /// Step between windows; changes the output size only.
            pub strides: $ty,
            /// Edge handling; changes the output size only.
            pub padding: Padding,
            /// Filters per input channel: the output has channels × this many.
            pub depth_multiplier: u64,
            /// Where the channel axis is.
            pub data_format: DataFormat,
            /// Gaps between kernel taps; changes the output size only.
            pub dilation_rate: $ty,
            /// Applied to the output; changes no count.
            pub activation: String,
            /// Whether each output channel has a bias.
            pub use_bias: bool,
            /// Penalty on the depthwise kernel.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub depthwise_regularizer: Option<Regularizer>,
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
                    kernel_size: $three,
                    strides: $one,
                    padding: Padding::Valid,
                    depth_multiplier: 1,
                    data_format: DataFormat::ChannelsLast,
                    dilation_rate: $one,
                    activation: "linear".into(),
                    use_bias: true,
                    depthwise_regularizer: None,
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
        }

        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                let m = positive("depth_multiplier", self.depth_multiplier)?;
                let spec = (self.kernel_size.dims(), self.strides.dims(), self.dilation_rate.dims(), self.padding, self.data_format);
                let (out, channels) = depthwise_output(input, spec, $layout, self.class())?;
                Ok(Output::One(self.data_format.join(out, Some(mul(&[channels, m])?))))
            }
            fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
                let channels = self.in_channels(input)?;
                let m = self.depth_multiplier;
                sink.put(depthwise_kernel(self.kernel_size.dims(), channels, m, convention, ("kernel", "weight"))?);
                if self.use_bias {
                    sink.put(Weight::new("bias", &[mul(&[channels, m])?]));
                }
                Ok(())
            }
            fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
                let channels = self.in_channels(input)?;
                let m = self.depth_multiplier;
                let mut e = Explanation::default();
                let kernel = depthwise_step(&mut e, self.kernel_size.dims(), channels, m)?;
                let outputs = mul(&[channels, m])?;
                if self.use_bias {
                    e.step(
                        format!("plus one bias per output channel ({channels} × {m})"),
                        format!("{} + {}", thousands(kernel), thousands(outputs)),
                        add(&[kernel, outputs])?,
                    );
                } else {
                    e.note("use_bias=False: no bias vector, only the kernel.");
                }
                e.note("No filter sees more than one input channel, which is why a depthwise convolution is so much smaller than a full one; padding, strides and dilation_rate only change the output size.");
                e.note(NONE_NOTE);
                other_convention_note(&mut e, self, input, convention, concat!(
                    "the same weights, as an ", $torch, " with groups=in_channels and out_channels = in_channels × depth_multiplier, weight (out_channels, 1, kernel...)."
                ));
                regularizer_notes(&mut e, &[
                    ("depthwise_regularizer", self.depthwise_regularizer),
                    ("bias_regularizer", self.bias_regularizer),
                ]);
                Ok(e)
            }
            fn macs(&self, input: &Shape, output: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                let channels = self.in_channels(input)?;
                let positions = positions(output, self.data_format)?;
                let total = depthwise_macs(tally, self.kernel_size.dims(), channels, self.depth_multiplier, positions)?;
                tally.note(|| "The bias add and the activation are not counted: only the kernel products are.".into());
                Ok(total)
            }
            fn brief(&self) -> String {
                let spec = (self.strides.dims(), self.dilation_rate.dims(), self.padding);
                format!("{} k{}{}", self.class(), tuple(self.kernel_size.dims()), brief_tail(spec, self.depth_multiplier, &self.activation, self.use_bias))
            }
            fn knob(&self) -> Option<Knob> {
                Some(Knob { field: "depth_multiplier", value: KnobValue::Count(self.depth_multiplier) })
            }
            fn set_knob(&mut self, value: KnobValue) {
                if let KnobValue::Count(v) = value {
                    self.depth_multiplier = v.max(1);
                }
            }
            name_and_trainable!();
        }
    };
}

depthwise_kind!(
    /// `keras.layers.DepthwiseConv1D`.
    DepthwiseConv1D, "depthwise_conv1d", u64, 1, 3, "(batch, steps, channels)", "nn.Conv1d"
);

depthwise_kind!(
    /// `keras.layers.DepthwiseConv2D`.
    DepthwiseConv2D, "depthwise_conv2d", [u64; 2], [1, 1], [3, 3], "(batch, height, width, channels)", "nn.Conv2d"
);

macro_rules! separable_kind {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $ty:ty, $one:expr, $three:expr,
     $layout:literal, aliases [$($alias:literal),*]) => {
        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                aliases: &[$($alias),*],
                required: &["filters", "kernel_size"],
                positional: &[
                    "filters", "kernel_size", "strides", "padding", "data_format",
                    "dilation_rate", "depth_multiplier", "activation", "use_bias",
                ],
                leading: 2,
                rank: <$ty as Dims>::RANK,
                ..KerasFacts::PLAIN
            };
        }

        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// Number of pointwise filters: the output channels.
            pub filters: u64,
            /// Extent of the depthwise window along each spatial axis.
            pub kernel_size: $ty,
            /// Step between windows; changes the output size only.
            pub strides: $ty,
            /// Edge handling; changes the output size only.
            pub padding: Padding,
            /// Where the channel axis is.
            pub data_format: DataFormat,
            /// Gaps between kernel taps; changes the output size only.
            pub dilation_rate: $ty,
            /// Depthwise filters per input channel, before the pointwise step.
            pub depth_multiplier: u64,
            /// Applied to the output; changes no count.
            pub activation: String,
            /// Whether each pointwise filter has a bias.
            pub use_bias: bool,
            /// Penalty on the depthwise kernel.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub depthwise_regularizer: Option<Regularizer>,
            /// Penalty on the pointwise kernel.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub pointwise_regularizer: Option<Regularizer>,
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
                    data_format: DataFormat::ChannelsLast,
                    dilation_rate: $one,
                    depth_multiplier: 1,
                    activation: "linear".into(),
                    use_bias: true,
                    depthwise_regularizer: None,
                    pointwise_regularizer: None,
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

            /// The pointwise kernel: a 1-wide window from channels × multiplier to filters.
            fn pointwise(&self, mid: u64, convention: Convention) -> Weight {
                let r = self.kernel_size.dims().len();
                let mut dims = [1u64; 5];
                match convention {
                    Convention::Keras => {
                        dims[r] = mid;
                        dims[r + 1] = self.filters;
                        Weight::new("pointwise_kernel", &dims[..r + 2])
                    }
                    Convention::PyTorch => {
                        dims[0] = self.filters;
                        dims[1] = mid;
                        Weight::new("pointwise.weight", &dims[..r + 2])
                    }
                }
            }
        }

        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                positive("depth_multiplier", self.depth_multiplier)?;
                let filters = positive("filters", self.filters)?;
                let spec = (self.kernel_size.dims(), self.strides.dims(), self.dilation_rate.dims(), self.padding, self.data_format);
                let (out, _) = depthwise_output(input, spec, $layout, self.class())?;
                Ok(Output::One(self.data_format.join(out, Some(filters))))
            }
            fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
                let channels = self.in_channels(input)?;
                let m = self.depth_multiplier;
                let names = ("depthwise_kernel", "depthwise.weight");
                sink.put(depthwise_kernel(self.kernel_size.dims(), channels, m, convention, names)?);
                sink.put(self.pointwise(mul(&[channels, m])?, convention));
                if self.use_bias {
                    let name = match convention {
                        Convention::Keras => "bias",
                        Convention::PyTorch => "pointwise.bias",
                    };
                    sink.put(Weight::new(name, &[self.filters]));
                }
                Ok(())
            }
            fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
                let channels = self.in_channels(input)?;
                let (m, f) = (self.depth_multiplier, self.filters);
                let mut e = Explanation::default();
                let depthwise = depthwise_step(&mut e, self.kernel_size.dims(), channels, m)?;
                let mid = mul(&[channels, m])?;
                let pointwise = mul(&[mid, f])?;
                let both = add(&[depthwise, pointwise])?;
                e.step(
                    format!("pointwise: a 1-wide filter from the {mid} depthwise channels ({channels} × {m}) to each of {f} filters"),
                    format!("{} + {} × {}", thousands(depthwise), thousands(mid), thousands(f)),
                    both,
                );
                if self.use_bias {
                    e.step(
                        "plus one bias per pointwise filter (the depthwise step has none)",
                        format!("{} + {}", thousands(both), thousands(f)),
                        add(&[both, f])?,
                    );
                } else {
                    e.note("use_bias=False: no bias vector, only the two kernels.");
                }
                e.note("Filtering each channel alone and then mixing channels 1×1 replaces a full convolution's kernel × channels × filters weights with kernel × channels × multiplier + channels × multiplier × filters; padding, strides and dilation_rate only change the output size.");
                e.note(NONE_NOTE);
                other_convention_note(&mut e, self, input, convention, "torch.nn has no separable convolution: the export writes a small module of a depthwise convolution (groups=in_channels, no bias) then a 1-wide pointwise one, with the same weights.");
                regularizer_notes(&mut e, &[
                    ("depthwise_regularizer", self.depthwise_regularizer),
                    ("pointwise_regularizer", self.pointwise_regularizer),
                    ("bias_regularizer", self.bias_regularizer),
                ]);
                Ok(e)
            }
            fn macs(&self, input: &Shape, output: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                let channels = self.in_channels(input)?;
                let (m, f) = (self.depth_multiplier, self.filters);
                let positions = positions(output, self.data_format)?;
                let depthwise = depthwise_macs(tally, self.kernel_size.dims(), channels, m, positions)?;
                let mid = mul(&[channels, m])?;
                let pointwise = tally.step(
                    || format!("pointwise: {mid} channels to {f} filters at {} output positions", thousands(positions)),
                    || format!("{} × {} × {}", thousands(mid), thousands(f), thousands(positions)),
                    mul(&[mid, f, positions])?,
                );
                let total = tally.step(
                    || "both steps".to_string(),
                    || format!("{} + {}", thousands(depthwise), thousands(pointwise)),
                    add(&[depthwise, pointwise])?,
                );
                tally.note(|| "The bias add and the activation are not counted: only the kernel products are.".into());
                Ok(total)
            }
            fn brief(&self) -> String {
                let spec = (self.strides.dims(), self.dilation_rate.dims(), self.padding);
                format!("{} {} k{}{}", self.class(), self.filters, tuple(self.kernel_size.dims()), brief_tail(spec, self.depth_multiplier, &self.activation, self.use_bias))
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

separable_kind!(
    /// `keras.layers.SeparableConv1D`.
    SeparableConv1D, "separable_conv1d", u64, 1, 3, "(batch, steps, channels)",
    aliases ["SeparableConvolution1D"]
);

separable_kind!(
    /// `keras.layers.SeparableConv2D`.
    SeparableConv2D, "separable_conv2d", [u64; 2], [1, 1], [3, 3], "(batch, height, width, channels)",
    aliases ["SeparableConvolution2D"]
);
