//! The convolutions beyond `Conv1D`/`Conv2D` in PyTorch: transposed ones as
//! `nn.ConvTranspose{1,2,3}d` cropped as Keras crops them, depthwise ones as a grouped
//! `nn.Conv{1,2}d`, and, where torch.nn has no module, small ones written into the file:
//! `SeparableConv` (depthwise then pointwise) and `ConvLSTM` (an LSTM with convolution gates).

use super::{
    Conv, Writer, activation, python_bool, python_tuple, python_tuple_always, to_channels_first,
    to_channels_last,
};
use crate::model::Row;
use crate::model::layers::{DataFormat, Padding};

/// The window of a convolution, sizes as one list per field.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Window {
    /// Spatial axes: 1, 2 or 3.
    pub rank: usize,
    /// `kernel_size`.
    pub kernel: Vec<u64>,
    /// `strides`.
    pub strides: Vec<u64>,
    /// `dilation_rate`.
    pub dilation: Vec<u64>,
    /// `padding`.
    pub padding: Padding,
    /// `data_format`.
    pub data_format: DataFormat,
}

/// What every convolution here shares besides its window.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Common<'a> {
    /// Output channels.
    pub filters: u64,
    /// Keras' activation name.
    pub activation: &'a str,
    /// `use_bias`.
    pub use_bias: bool,
    /// `trainable`.
    pub trainable: bool,
    /// The penalties it sets, for the notes.
    pub regularizers: Vec<(&'static str, Option<String>)>,
}

/// Keras' separable convolution, for the exported file.
pub(super) const SEPARABLE: &str = r#"class SeparableConv(nn.Module):
    """Keras' SeparableConv1D/2D: a depthwise convolution (one filter per input channel and
    depth_multiplier, no bias), then a pointwise one (kernel 1) that mixes the channels."""

    def __init__(self, conv, in_channels, filters, kernel_size, stride=1, dilation=1,
                 depth_multiplier=1, bias=True):
        super().__init__()
        mid = in_channels * depth_multiplier
        self.depthwise = conv(in_channels, mid, kernel_size, stride=stride, dilation=dilation,
                              groups=in_channels, bias=False)
        self.pointwise = conv(mid, filters, 1, bias=bias)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


"#;

/// Keras' ConvLSTM, for the exported file.
pub(super) const CONV_LSTM: &str = r#"class ConvLSTM(nn.Module):
    """Keras' ConvLSTM1D/2D/3D on (batch, time, channels, *spatial): an LSTM whose gates (input,
    forget, cell, output, in Keras' order) are convolutions. The input convolution pads as the
    layer's padding and carries the bias; the recurrent one always pads "same", stride 1."""

    def __init__(self, conv, in_channels, filters, kernel_size, stride=1, dilation=1,
                 same=False, bias=True, return_sequences=False, go_backwards=False,
                 activation=torch.tanh, recurrent_activation=torch.sigmoid):
        super().__init__()
        rank = {nn.Conv1d: 1, nn.Conv2d: 2, nn.Conv3d: 3}[conv]
        size = lambda v: tuple(v) if isinstance(v, (tuple, list)) else (v,) * rank
        self.kernel, self.stride, self.dilation = size(kernel_size), size(stride), size(dilation)
        self.same, self.filters = same, filters
        self.return_sequences, self.go_backwards = return_sequences, go_backwards
        self.activation, self.recurrent_activation = activation, recurrent_activation
        self.input_conv = conv(in_channels, 4 * filters, kernel_size, stride=stride,
                               dilation=dilation, bias=bias)
        self.recurrent_conv = conv(filters, 4 * filters, kernel_size, bias=False)

    def forward(self, x):
        steps = range(x.shape[1] - 1, -1, -1) if self.go_backwards else range(x.shape[1])
        h = c = None
        outputs = []
        for t in steps:
            xt = x[:, t]
            if self.same:
                xt = keras_same_pad(xt, self.kernel, self.stride, self.dilation)
            z = self.input_conv(xt)
            if h is None:
                h = z.new_zeros(z.shape[0], self.filters, *z.shape[2:])
                c = torch.zeros_like(h)
            ones = (1,) * len(self.kernel)
            z = z + self.recurrent_conv(keras_same_pad(h, self.kernel, ones, ones))
            i, f, g, o = z.chunk(4, dim=1)
            f, i, o = self.recurrent_activation(f), self.recurrent_activation(i), self.recurrent_activation(o)
            c = f * c + i * self.activation(g)
            h = o * self.activation(c)
            outputs.append(h)
        return torch.stack(outputs, 1) if self.return_sequences else h


"#;

/// Per axis, how much Keras crops from the start and the end of the full transposed
/// convolution (`(len − 1) × s + k'`); a negative end is rows Keras adds, which
/// `output_padding` adds in PyTorch. This is Keras' own padding for its JAX backend
/// (`_convert_conv_transpose_padding_args_from_keras_to_jax`) read as a crop.
pub(super) fn transpose_crop(
    kernel: u64,
    stride: u64,
    dilation: u64,
    padding: Padding,
    output_padding: Option<u64>,
) -> (i128, i128) {
    let (k, s) = (
        i128::from(kernel.saturating_sub(1)) * i128::from(dilation) + 1,
        i128::from(stride),
    );
    let op = output_padding.map(i128::from);
    let (left, right) = if padding == Padding::Valid {
        (k - 1, k - 1 + op.unwrap_or_else(|| k.max(s) - k))
    } else {
        let pad = op.map_or(s + k - 2, |op| k + k % 2 - 2 + op);
        let left = (pad / 2 + pad % 2).min(k - 1);
        (left, pad - left)
    };
    (k - 1 - left, k - 1 - right)
}

/// `name (Class)`, how refusals name a layer.
fn label(row: &Row) -> String {
    format!("{} ({})", row.name, row.class)
}

/// `a:-b` for one axis of a crop.
fn slice(start: i128, end: i128) -> String {
    let from = if start > 0 {
        start.to_string()
    } else {
        String::new()
    };
    let to = if end > 0 {
        format!("-{end}")
    } else {
        String::new()
    };
    format!("{from}:{to}")
}

impl Writer {
    /// The forward lines around `x = self.{a}(x)`: channels first for PyTorch, Keras' "same"
    /// padding (`pad_same`), `after` (a crop), channels back, and the activation.
    fn around(&mut self, a: &str, w: &Window, pad_same: bool, after: Option<String>, apply: &str) {
        let last = w.data_format == DataFormat::ChannelsLast;
        if last {
            self.forward.push(format!(
                "x = {}  # PyTorch wants channels first",
                to_channels_first(w.rank)
            ));
        }
        if pad_same && w.padding == Padding::Same {
            self.helpers.same_pad = true;
            self.forward.push(format!(
                "x = keras_same_pad(x, {}, {}, {})  # padding=\"same\" as Keras pads: any odd extra at the end",
                python_tuple_always(&w.kernel),
                python_tuple_always(&w.strides),
                python_tuple_always(&w.dilation)
            ));
        }
        self.forward.push(format!("x = self.{a}(x)"));
        self.forward.extend(after);
        if last {
            self.forward.push(format!(
                "x = {}  # back to Keras' channels last",
                to_channels_last(w.rank)
            ));
        }
        if apply != "{}" {
            self.forward
                .push(format!("x = {}", apply.replace("{}", "x")));
        }
    }

    /// `stride=` and `dilation=` arguments where they differ from 1.
    fn window_args(w: &Window) -> String {
        let mut args = String::new();
        if w.strides.iter().any(|&s| s != 1) {
            args.push_str(&format!(", stride={}", python_tuple(&w.strides)));
        }
        if w.dilation.iter().any(|&d| d != 1) {
            args.push_str(&format!(", dilation={}", python_tuple(&w.dilation)));
        }
        args
    }

    /// The activation as PyTorch code, or the refusal written for it.
    fn activation_or_refuse(&mut self, row: &Row, name: &str) -> Option<String> {
        let apply = activation(name, "{}");
        if apply.is_none() {
            self.no_equivalent(
                &label(row),
                &format!("no PyTorch function for the activation {name:?}"),
            );
        }
        apply
    }

    /// `Conv{1,2,3}DTranspose` as `nn.ConvTranspose{1,2,3}d` without padding, then Keras'
    /// crop; rows Keras adds at the end come from `output_padding`, so they get the bias too.
    pub(super) fn conv_transpose(
        &mut self,
        row: &Row,
        w: &Window,
        c: &Common,
        output_padding: Option<&[u64]>,
    ) {
        let Some(apply) = self.activation_or_refuse(row, c.activation) else {
            return;
        };
        let crops: Vec<(i128, i128)> = (0..w.rank)
            .map(|i| {
                let op = output_padding.map(|p| p[i]);
                transpose_crop(w.kernel[i], w.strides[i], w.dilation[i], w.padding, op)
            })
            .collect();
        let channels = w.data_format.split(&row.input).1.unwrap_or(0);
        let a = self.attr(&row.name);
        let module = format!("ConvTranspose{}d", w.rank);
        let mut args = format!("{channels}, {}, {}", c.filters, python_tuple(&w.kernel));
        args.push_str(&Self::window_args(w));
        let extra: Vec<u64> = crops
            .iter()
            .map(|&(_, end)| u64::try_from(-end).unwrap_or(0))
            .collect();
        if extra.iter().any(|&e| e > 0) {
            args.push_str(&format!(", output_padding={}", python_tuple(&extra)));
        }
        if !c.use_bias {
            args.push_str(", bias=False");
        }
        self.init.push(format!("self.{a} = nn.{module}({args})"));
        self.freeze(&a, c.trainable);
        self.regularizer_notes(&a, &c.regularizers);
        let crop = crops
            .iter()
            .any(|&(start, end)| start > 0 || end > 0)
            .then(|| {
                let axes: Vec<String> = crops.iter().map(|&(s, e)| slice(s, e)).collect();
                format!(
                    "x = x[:, :, {}]  # the rows Keras' padding={:?} leaves out",
                    axes.join(", "),
                    w.padding.as_str()
                )
            });
        // The crop is Keras' padding for a transposed convolution: nothing is padded before.
        self.around(&a, w, false, crop, &apply);
    }

    /// `DepthwiseConv{1,2}D` as a convolution with `groups=in_channels`.
    pub(super) fn depthwise(&mut self, row: &Row, w: &Window, c: &Common, multiplier: u64) {
        let channels = w.data_format.split(&row.input).1.unwrap_or(0);
        self.conv(
            row,
            &Conv {
                rank: w.rank,
                filters: channels.saturating_mul(multiplier),
                kernel: w.kernel.clone(),
                strides: w.strides.clone(),
                dilation: w.dilation.clone(),
                padding: w.padding,
                data_format: w.data_format,
                groups: channels,
                activation: c.activation,
                use_bias: c.use_bias,
                trainable: c.trainable,
                regularizers: c.regularizers.clone(),
            },
        );
    }

    /// `SeparableConv{1,2}D` as the `SeparableConv` module written into the file.
    pub(super) fn separable(&mut self, row: &Row, w: &Window, c: &Common, multiplier: u64) {
        let Some(apply) = self.activation_or_refuse(row, c.activation) else {
            return;
        };
        self.helpers.separable = true;
        let channels = w.data_format.split(&row.input).1.unwrap_or(0);
        let a = self.attr(&row.name);
        let mut args = format!(
            "nn.Conv{}d, {channels}, {}, {}",
            w.rank,
            c.filters,
            python_tuple(&w.kernel)
        );
        args.push_str(&Self::window_args(w));
        if multiplier != 1 {
            args.push_str(&format!(", depth_multiplier={multiplier}"));
        }
        if !c.use_bias {
            args.push_str(", bias=False");
        }
        self.init.push(format!("self.{a} = SeparableConv({args})"));
        self.freeze(&a, c.trainable);
        self.regularizer_notes(&a, &c.regularizers);
        self.around(&a, w, true, None, &apply);
    }

    /// `ConvLSTM{1,2,3}D` as the `ConvLSTM` module written into the file.
    pub(super) fn conv_lstm(&mut self, row: &Row, w: &Window, c: &Common, lstm: ConvLstmFlags) {
        let (Some(act), Some(rec)) = (
            self.activation_or_refuse(row, c.activation),
            self.activation_or_refuse(row, lstm.recurrent_activation),
        ) else {
            return;
        };
        self.helpers.same_pad = true;
        self.helpers.conv_lstm = true;
        let frame = crate::model::Shape(row.input.0.get(1..).unwrap_or_default().to_vec());
        let channels = w.data_format.split(&frame).1.unwrap_or(0);
        let a = self.attr(&row.name);
        let mut args = format!(
            "nn.Conv{}d, {channels}, {}, {}",
            w.rank,
            c.filters,
            python_tuple(&w.kernel)
        );
        args.push_str(&Self::window_args(w));
        if w.padding == Padding::Same {
            args.push_str(", same=True");
        }
        if !c.use_bias {
            args.push_str(", bias=False");
        }
        for (key, on) in [
            ("return_sequences", lstm.return_sequences),
            ("go_backwards", lstm.go_backwards),
        ] {
            if on {
                args.push_str(&format!(", {key}={}", python_bool(on)));
            }
        }
        args.push_str(&format!(
            ", activation=lambda v: {}, recurrent_activation=lambda v: {}",
            act.replace("{}", "v"),
            rec.replace("{}", "v")
        ));
        self.init.push(format!("self.{a} = ConvLSTM({args})"));
        if !c.trainable {
            self.ignored_trainable(row);
        }
        self.regularizer_notes(&a, &c.regularizers);
        let r = w.rank;
        let last = w.data_format == DataFormat::ChannelsLast;
        if last {
            // (batch, time, *spatial, channels) to (batch, time, channels, *spatial).
            let order: Vec<String> = [0, 1, r + 2]
                .into_iter()
                .chain(2..r + 2)
                .map(|i| i.to_string())
                .collect();
            self.forward.push(format!(
                "x = x.permute({})  # PyTorch wants channels first",
                order.join(", ")
            ));
        }
        self.forward.push(format!("x = self.{a}(x)"));
        if last {
            let first = usize::from(lstm.return_sequences) + 1;
            let order: Vec<String> = (0..first)
                .chain(first + 1..first + r + 1)
                .chain([first])
                .map(|i| i.to_string())
                .collect();
            self.forward.push(format!(
                "x = x.permute({})  # back to Keras' channels last",
                order.join(", ")
            ));
        }
    }
}

/// The ConvLSTM fields the module takes besides its window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ConvLstmFlags<'a> {
    /// Gate activation.
    pub recurrent_activation: &'a str,
    /// Every timestep, or the last.
    pub return_sequences: bool,
    /// Reads the sequence from its end.
    pub go_backwards: bool,
}

/// A per-axis size field as one list.
pub(super) trait Sizes {
    /// The sizes, one per spatial axis.
    fn sizes(&self) -> Vec<u64>;
}

impl Sizes for u64 {
    fn sizes(&self) -> Vec<u64> {
        vec![*self]
    }
}

impl<const N: usize> Sizes for [u64; N] {
    fn sizes(&self) -> Vec<u64> {
        self.to_vec()
    }
}

/// The [`Window`] of a convolution kind of rank `$rank`.
macro_rules! window {
    ($c:expr, $rank:expr) => {
        convolutions::Window {
            rank: $rank,
            kernel: convolutions::Sizes::sizes(&$c.kernel_size),
            strides: convolutions::Sizes::sizes(&$c.strides),
            dilation: convolutions::Sizes::sizes(&$c.dilation_rate),
            padding: $c.padding,
            data_format: $c.data_format,
        }
    };
}

/// The [`Common`] fields of a convolution kind, `$filters` its output channels and `$regs`
/// its regularizer fields.
macro_rules! common {
    ($c:expr, $filters:expr, [$($reg:ident),+]) => {
        convolutions::Common {
            filters: $filters,
            activation: &$c.activation,
            use_bias: $c.use_bias,
            trainable: $c.trainable,
            regularizers: vec![$((stringify!($reg), $c.$reg.map(|r| r.to_string()))),+],
        }
    };
}

pub(super) use {common, window};

/// The [`Common`] fields of a ConvLSTM kind.
macro_rules! conv_lstm_common {
    ($c:expr) => {
        common!(
            $c,
            $c.filters,
            [kernel_regularizer, recurrent_regularizer, bias_regularizer]
        )
    };
}

/// The [`ConvLstmFlags`] of a ConvLSTM kind.
macro_rules! conv_lstm_flags {
    ($c:expr) => {
        convolutions::ConvLstmFlags {
            recurrent_activation: &$c.recurrent_activation,
            return_sequences: $c.return_sequences,
            go_backwards: $c.go_backwards,
        }
    };
}

pub(super) use {conv_lstm_common, conv_lstm_flags};
