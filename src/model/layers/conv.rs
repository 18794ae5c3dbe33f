//! Convolutions: `Conv1D`, `Conv2D`, `Conv3D`, and the ConvLSTM layers whose four gates are
//! convolutions. A filter's weights are shared along every spatial position, so only the
//! kernel size and the channel counts enter the parameter count; padding, strides and
//! dilation change the output shape alone.

use serde::{Deserialize, Serialize};

use super::{
    Catalogued, DataFormat, Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, NONE_NOTE, Padding,
    Regularizer, is_true, other_convention_note, positive, push_activation, regularizer_notes, yes,
};
use crate::model::compute::{Tally, known, known_product, single};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{self, Dim, Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, add, mul};

/// A per-axis size written either as one number (1-D layers) or one per axis.
pub(crate) trait Dims {
    /// How many spatial axes the sizes cover.
    const RANK: usize;
    /// The sizes, one per spatial axis.
    fn dims(&self) -> &[u64];
}

impl Dims for u64 {
    const RANK: usize = 1;
    fn dims(&self) -> &[u64] {
        std::slice::from_ref(self)
    }
}

impl Dims for [u64; 2] {
    const RANK: usize = 2;
    fn dims(&self) -> &[u64] {
        self
    }
}

impl Dims for [u64; 3] {
    const RANK: usize = 3;
    fn dims(&self) -> &[u64] {
        self
    }
}

/// Keras' `(1, 2)` spelling of a size list, or `3` for one axis.
pub(crate) fn tuple(v: &[u64]) -> String {
    match v {
        [one] => one.to_string(),
        _ => format!(
            "({})",
            v.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// `3 × 3` for a kernel's spatial extent.
pub(super) fn times(v: &[u64]) -> String {
    v.iter()
        .map(|&d| thousands(d))
        .collect::<Vec<_>>()
        .join(" × ")
}

/// Output length of one convolved axis under Keras' rule, or `None` when it would be zero or
/// negative (Keras refuses to build then).
pub(crate) fn conv_len(
    len: u64,
    k: u64,
    s: u64,
    d: u64,
    padding: Padding,
) -> Result<Option<u64>, LayerError> {
    match padding {
        Padding::Valid => {
            let span = add(&[mul(&[d, k.saturating_sub(1)])?, 1])?;
            Ok(len.checked_sub(span).map(|rest| rest / s + 1))
        }
        Padding::Same | Padding::Causal => Ok(if len == 0 {
            None
        } else {
            Some((len - 1) / s + 1)
        }),
    }
}

/// Checks that every window size is at least 1 (Keras refuses a 0 in its constructor).
pub(super) fn check_sizes(
    kernel: &[u64],
    strides: &[u64],
    dilation: &[u64],
) -> Result<(), LayerError> {
    for &k in kernel {
        positive("kernel_size", k)?;
    }
    for &s in strides {
        positive("strides", s)?;
    }
    for &d in dilation {
        positive("dilation_rate", d)?;
    }
    Ok(())
}

/// Checks the window fields every convolution shares, with the strides-and-dilation refusal
/// of Keras' plain and transposed convolutions (its depthwise ones accept both).
pub(super) fn check_window(
    kernel: &[u64],
    strides: &[u64],
    dilation: &[u64],
) -> Result<(), LayerError> {
    check_sizes(kernel, strides, dilation)?;
    if strides.iter().any(|&s| s > 1) && dilation.iter().any(|&d| d > 1) {
        return Err(LayerError::field(
            "strides",
            "strides > 1 cannot be combined with dilation_rate > 1 (Keras rejects it): set one of them to 1",
        ));
    }
    Ok(())
}

/// The spatial output of a convolution over `spatial`.
pub(super) fn convolve(
    spatial: &[Dim],
    kernel: &[u64],
    strides: &[u64],
    dilation: &[u64],
    padding: Padding,
    input: &Shape,
) -> Result<shape::Dims, LayerError> {
    let mut out = shape::Dims::new();
    for (axis, dim) in spatial.iter().enumerate() {
        let (k, s, d) = (kernel[axis], strides[axis], dilation[axis]);
        match dim {
            None => out.push(None),
            Some(len) => match conv_len(*len, k, s, d, padding)? {
                Some(n) => out.push(Some(n)),
                None => {
                    let span = add(&[mul(&[d, k.saturating_sub(1)])?, 1])?;
                    return Err(LayerError::shape(
                        format!(
                            "at least {span} steps on each convolved axis (kernel_size={}, dilation_rate={}, padding={})",
                            tuple(kernel),
                            tuple(dilation),
                            padding.as_str()
                        ),
                        input,
                        "the computed output size would be zero or negative: use padding=\"same\", a smaller kernel_size or dilation_rate, or a longer input",
                    ));
                }
            },
        }
    }
    Ok(out)
}

/// The channel count, which must be known to size the kernel.
pub(super) fn known_channels(channels: Dim, input: &Shape, class: &str) -> Result<u64, LayerError> {
    channels.ok_or_else(|| {
        LayerError::shape(
            format!("a known channel count (the kernel of {class} is sized by it)"),
            input,
            "give the input a fixed number of channels",
        )
    })
}

/// `(batch, steps..., channels)` rank check.
pub(super) fn check_rank(
    input: &Shape,
    ndim: usize,
    what: &str,
    class: &str,
) -> Result<(), LayerError> {
    if input.ndim() != ndim {
        return Err(LayerError::shape(
            format!("{ndim}-D input {what}"),
            input,
            format!(
                "{class} needs that layout: reshape the input (Reshape) or pick the convolution that matches its rank"
            ),
        ));
    }
    Ok(())
}

macro_rules! conv_kind {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $ty:ty, $one:expr, $three:expr,
     $layout:literal, $torch:literal, aliases [$($alias:literal),*]) => {
        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                aliases: &[$($alias),*],
                required: &["filters", "kernel_size"],
                positional: &[
                    "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
                    "groups", "activation", "use_bias",
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
            /// Number of filters: the output channels.
            pub filters: u64,
            /// Extent of the window along each spatial axis.
            pub kernel_size: $ty,
            /// Step between windows; changes the output length only.
            pub strides: $ty,
            /// Edge handling; changes the output length only.
            pub padding: Padding,
            /// Where the channel axis is.
            pub data_format: DataFormat,
            /// Gaps between kernel taps; changes the output length only.
            pub dilation_rate: $ty,
            /// Splits channels into this many independent groups, each with its own filters.
            pub groups: u64,
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
                    data_format: DataFormat::ChannelsLast,
                    dilation_rate: $one,
                    groups: 1,
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
        }

        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                $auto
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                let kernel = self.kernel_size.dims();
                let filters = positive("filters", self.filters)?;
                let groups = positive("groups", self.groups)?;
                check_window(kernel, self.strides.dims(), self.dilation_rate.dims())?;
                if self.padding == Padding::Causal && kernel.len() != 1 {
                    return Err(LayerError::field("padding", "causal padding exists only for Conv1D: use \"valid\" or \"same\""));
                }
                check_rank(input, kernel.len() + 2, $layout, self.class())?;
                let (spatial, channels) = self.data_format.split(input);
                let channels = known_channels(channels, input, self.class())?;
                if filters % groups != 0 {
                    return Err(LayerError::field("groups", format!("filters={filters} must be divisible by groups={groups}")));
                }
                if channels % groups != 0 {
                    return Err(LayerError::shape(
                        format!("an input channel count divisible by groups={groups}"),
                        input,
                        format!("change groups to a divisor of {channels}, or the channels before this layer"),
                    ));
                }
                let out = convolve(spatial, kernel, self.strides.dims(), self.dilation_rate.dims(), self.padding, input)?;
                Ok(Output::One(self.data_format.join(out, Some(filters))))
            }
            fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
                let per_group = self.in_channels(input)? / self.groups.max(1);
                let kernel = self.kernel_size.dims();
                let mut dims = [0u64; 5];
                match convention {
                    Convention::Keras => {
                        dims[..kernel.len()].copy_from_slice(kernel);
                        dims[kernel.len()] = per_group;
                        dims[kernel.len() + 1] = self.filters;
                    }
                    Convention::PyTorch => {
                        dims[0] = self.filters;
                        dims[1] = per_group;
                        dims[2..kernel.len() + 2].copy_from_slice(kernel);
                    }
                }
                let name = match convention {
                    Convention::Keras => "kernel",
                    Convention::PyTorch => "weight",
                };
                sink.put(Weight::new(name, &dims[..kernel.len() + 2]));
                if self.use_bias {
                    sink.put(Weight::new("bias", &[self.filters]));
                }
                Ok(())
            }
            fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
                let channels = self.in_channels(input)?;
                let groups = self.groups.max(1);
                let per_group = channels / groups;
                let kernel = self.kernel_size.dims();
                let mut e = Explanation::default();
                let one = mul(&[mul(kernel)?, per_group])?;
                let channel_words = if groups > 1 {
                    format!("the {per_group} input channels of its group ({channels} channels in {groups} groups)")
                } else {
                    format!("all {channels} input channels")
                };
                e.step(
                    format!("one filter is a {} window over {channel_words}", tuple(kernel)),
                    format!("{} × {}", times(kernel), thousands(per_group)),
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
                    "The same filters slide over every position, so the input's length does not change the count; padding={}, strides={} and dilation_rate={} only change the output length.",
                    self.padding.as_str(), tuple(self.strides.dims()), tuple(self.dilation_rate.dims())
                ));
                if self.padding == Padding::Causal {
                    e.note("padding=causal pads only the start, so step t never sees later inputs (PyTorch has no causal mode: pad the left by hand; the count is the same).");
                }
                e.note(NONE_NOTE);
                other_convention_note(&mut e, self, input, convention, concat!(
                    "the same kernel, stored as (out_channels, in_channels / groups, kernel...) in ", $torch,
                    " versus Keras' (kernel..., in_channels / groups, filters)."
                ));
                regularizer_notes(&mut e, &[
                    ("kernel_regularizer", self.kernel_regularizer),
                    ("bias_regularizer", self.bias_regularizer),
                ]);
                Ok(e)
            }
            fn macs(&self, input: &Shape, output: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                let per_group = self.in_channels(input)? / self.groups.max(1);
                let kernel = self.kernel_size.dims();
                let window = tally.step(
                    || format!("one output value: a {} window over {per_group} input channels", tuple(kernel)),
                    || format!("{} × {}", times(kernel), thousands(per_group)),
                    mul(&[mul(kernel)?, per_group])?,
                );
                let per_position = tally.step(
                    || format!("{} filters at each output position", thousands(self.filters)),
                    || format!("{} × {}", thousands(window), thousands(self.filters)),
                    mul(&[window, self.filters])?,
                );
                let out = single(output)?;
                let (spatial, _) = self.data_format.split(out);
                let positions = known_product(spatial, "output length", out)?;
                let total = tally.step(
                    || format!("the filters slide over {} output positions {}", thousands(positions), tuple(&spatial.iter().flatten().copied().collect::<Vec<_>>())),
                    || format!("{} × {}", thousands(positions), thousands(per_position)),
                    mul(&[positions, per_position])?,
                );
                tally.note(|| "The bias add (one per filter and position) and the activation are not counted: only the kernel products are.".into());
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
                if self.dilation_rate.dims().iter().any(|&x| x != 1) {
                    s.push_str(&format!(" d{}", tuple(self.dilation_rate.dims())));
                }
                if self.groups != 1 {
                    s.push_str(&format!(" g{}", self.groups));
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

conv_kind!(
    /// `keras.layers.Conv1D`.
    Conv1D, "conv1d", u64, 1, 3, "(batch, steps, channels)", "nn.Conv1d",
    aliases ["Convolution1D"]
);

conv_kind!(
    /// `keras.layers.Conv2D`.
    Conv2D, "conv2d", [u64; 2], [1, 1], [3, 3], "(batch, height, width, channels)", "nn.Conv2d",
    aliases ["Convolution2D"]
);

conv_kind!(
    /// `keras.layers.Conv3D`.
    Conv3D, "conv3d", [u64; 3], [1, 1, 1], [3, 3, 3], "(batch, depth, height, width, channels)", "nn.Conv3d",
    aliases ["Convolution3D"]
);

macro_rules! conv_lstm_kind {
    ($(#[$doc:meta])* $name:ident, $auto:literal, $ty:ty, $one:expr, $three:expr,
     $layout:literal) => {
        impl Keras for $name {
            const FACTS: KerasFacts = KerasFacts {
                required: &["filters", "kernel_size"],
                positional: &["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate"],
                leading: 2,
                rank: <$ty as Dims>::RANK,
                // A recurrent layer, as LSTM: it reads the mask and keeps it on its sequence.
                mask: MaskUse::TakesAndPasses,
                ..KerasFacts::PLAIN
            };
        }

        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// Number of filters: the hidden state's channels.
            pub filters: u64,
            /// Extent of the input and recurrent convolutions.
            pub kernel_size: $ty,
            /// Step of the input convolution; changes the output size only.
            pub strides: $ty,
            /// Edge handling of the input convolution (the recurrent one always uses "same").
            pub padding: Padding,
            /// Where the channel axis is.
            pub data_format: DataFormat,
            /// Gaps between kernel taps; changes the output size only.
            pub dilation_rate: $ty,
            /// Output activation; changes no count.
            pub activation: String,
            /// Gate activation; changes no count.
            pub recurrent_activation: String,
            /// Whether gates carry bias vectors.
            pub use_bias: bool,
            /// Initialise the forget gate's bias to 1; changes no count.
            pub unit_forget_bias: bool,
            /// True: output every timestep; false: only the last.
            pub return_sequences: bool,
            /// Process the sequence backwards; changes no count.
            pub go_backwards: bool,
            /// Dropout on the inputs while training; changes no count.
            pub dropout: f64,
            /// Dropout on the recurrent state while training; changes no count.
            pub recurrent_dropout: f64,
            /// Penalty on the input kernel.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub kernel_regularizer: Option<Regularizer>,
            /// Penalty on the recurrent kernel.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub recurrent_regularizer: Option<Regularizer>,
            /// Penalty on the biases.
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
                    activation: "tanh".into(),
                    recurrent_activation: "sigmoid".into(),
                    use_bias: true,
                    unit_forget_bias: true,
                    return_sequences: false,
                    go_backwards: false,
                    dropout: 0.0,
                    recurrent_dropout: 0.0,
                    kernel_regularizer: None,
                    recurrent_regularizer: None,
                    bias_regularizer: None,
                    name: None,
                    trainable: true,
                }
            }
        }

        impl $name {
            /// The per-timestep shape: the input without its time axis.
            fn frame(input: &Shape) -> Shape {
                Shape(input.0.get(1..).unwrap_or_default().into())
            }
            fn in_channels(&self, input: &Shape) -> Result<u64, LayerError> {
                let frame = Self::frame(input);
                known_channels(self.data_format.split(&frame).1, input, self.class())
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
                    return Err(LayerError::field("padding", "causal padding exists only for Conv1D: use \"valid\" or \"same\""));
                }
                check_rank(input, kernel.len() + 3, $layout, self.class())?;
                let frame = Self::frame(input);
                let (spatial, channels) = self.data_format.split(&frame);
                known_channels(channels, input, self.class())?;
                let out = convolve(spatial, kernel, self.strides.dims(), self.dilation_rate.dims(), self.padding, input)?;
                let mut shape = self.data_format.join(out, Some(filters));
                if self.return_sequences {
                    shape.0.insert(0, input.0[0]);
                }
                Ok(Output::One(shape))
            }
            fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
                let channels = self.in_channels(input)?;
                let kernel = self.kernel_size.dims();
                let gates = mul(&[4, self.filters])?;
                let mut dims = [0u64; 5];
                let r = kernel.len();
                if convention == Convention::PyTorch {
                    // The exported ConvLSTM module: an input convolution with the bias, then a
                    // recurrent one without, each (out_channels, in_channels, kernel...).
                    dims[0] = gates;
                    dims[1] = channels;
                    dims[2..r + 2].copy_from_slice(kernel);
                    sink.put(Weight::new("input_conv.weight", &dims[..r + 2]));
                    if self.use_bias {
                        sink.put(Weight::new("input_conv.bias", &[gates]));
                    }
                    dims[1] = self.filters;
                    sink.put(Weight::new("recurrent_conv.weight", &dims[..r + 2]));
                    return Ok(());
                }
                dims[..r].copy_from_slice(kernel);
                dims[r] = channels;
                dims[r + 1] = gates;
                sink.put(Weight::new("kernel", &dims[..r + 2]));
                dims[r] = self.filters;
                sink.put(Weight::new("recurrent_kernel", &dims[..r + 2]));
                if self.use_bias {
                    sink.put(Weight::new("bias", &[gates]));
                }
                Ok(())
            }
            fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
                let channels = self.in_channels(input)?;
                let kernel = self.kernel_size.dims();
                let k = mul(kernel)?;
                let f = self.filters;
                let gates = mul(&[4, f])?;
                let mut e = Explanation::default();
                let input_kernel = mul(&[k, channels, gates])?;
                e.step(
                    format!("input convolution: a {} kernel from {channels} input channels to 4 gates × {f} filters", tuple(kernel)),
                    format!("{} × {} × (4 × {})", times(kernel), thousands(channels), thousands(f)),
                    input_kernel,
                );
                let recurrent = mul(&[k, f, gates])?;
                e.step(
                    format!("recurrent convolution: a {} kernel from the {f}-channel hidden state to the same 4 gates", tuple(kernel)),
                    format!("{} × {} × (4 × {})", times(kernel), thousands(f), thousands(f)),
                    recurrent,
                );
                let both = add(&[input_kernel, recurrent])?;
                if self.use_bias {
                    e.step(
                        "plus one bias per gate channel",
                        format!("{} + {} + 4 × {}", thousands(input_kernel), thousands(recurrent), thousands(f)),
                        add(&[both, gates])?,
                    );
                } else {
                    e.step("no bias (use_bias=False)", format!("{} + {}", thousands(input_kernel), thousands(recurrent)), both);
                }
                e.note(format!("{} is an LSTM whose 4 gates (input, forget, cell candidate, output) are convolutions instead of dense layers; the kernels are shared over positions and timesteps.", self.class()));
                e.note(NONE_NOTE);
                other_convention_note(&mut e, self, input, convention, "torch.nn has no ConvLSTM: the export writes a small module of two convolutions (input with the bias, recurrent without) holding the same weights.");
                regularizer_notes(&mut e, &[
                    ("kernel_regularizer", self.kernel_regularizer),
                    ("recurrent_regularizer", self.recurrent_regularizer),
                    ("bias_regularizer", self.bias_regularizer),
                ]);
                Ok(e)
            }
            fn macs(&self, input: &Shape, output: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                let channels = self.in_channels(input)?;
                let kernel = self.kernel_size.dims();
                let k = mul(kernel)?;
                let f = self.filters;
                let gates = mul(&[4, f])?;
                let out = single(output)?;
                let frame = if self.return_sequences { Self::frame(out) } else { out.clone() };
                let (spatial, _) = self.data_format.split(&frame);
                let positions = known_product(spatial, "output size", out)?;
                let t = known(input.0.first().copied().flatten(), "sequence length", input)?;
                let from_input = tally.step(
                    || format!("input convolution, one timestep: a {} window over {channels} channels, for 4 gates × {f} filters at {} positions", tuple(kernel), thousands(positions)),
                    || format!("{} × {} × (4 × {}) × {}", times(kernel), thousands(channels), thousands(f), thousands(positions)),
                    mul(&[k, channels, gates, positions])?,
                );
                let from_state = tally.step(
                    || format!("recurrent convolution, one timestep: a {} window over the {f}-channel hidden state, same gates and positions", tuple(kernel)),
                    || format!("{} × {} × (4 × {}) × {}", times(kernel), thousands(f), thousands(f), thousands(positions)),
                    mul(&[k, f, gates, positions])?,
                );
                let step = add(&[from_input, from_state])?;
                let total = tally.step(
                    || format!("the cell runs once per timestep: × {} timesteps", thousands(t)),
                    || format!("{} × ({} + {})", thousands(t), thousands(from_input), thousands(from_state)),
                    mul(&[t, step])?,
                );
                tally.note(|| format!("Bias adds, the activations and the element-wise gate products of the {} cell are not counted: only the convolutions are.", self.class()));
                Ok(total)
            }
            fn brief(&self) -> String {
                let mut s = format!("{} {} k{}", self.class(), self.filters, tuple(self.kernel_size.dims()));
                if self.padding != Padding::Valid {
                    s.push(' ');
                    s.push_str(self.padding.as_str());
                }
                if self.return_sequences {
                    s.push_str(" seq");
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
            fn go_backwards(&self) -> Option<bool> {
                Some(self.go_backwards)
            }
            fn drops_time_axis(&self) -> bool {
                !self.return_sequences
            }
            fn constructor_freezes(&self) -> bool {
                false
            }
            name_and_trainable!();
        }
    };
}

conv_lstm_kind!(
    /// `keras.layers.ConvLSTM1D`.
    ConvLstm1D, "conv_lstm1d", u64, 1, 3, "(batch, timesteps, steps, channels)"
);

conv_lstm_kind!(
    /// `keras.layers.ConvLSTM2D`.
    ConvLstm2D, "conv_lstm2d", [u64; 2], [1, 1], [3, 3], "(batch, timesteps, height, width, channels)"
);

conv_lstm_kind!(
    /// `keras.layers.ConvLSTM3D`.
    ConvLstm3D, "conv_lstm3d", [u64; 3], [1, 1, 1], [3, 3, 3], "(batch, timesteps, depth, height, width, channels)"
);
