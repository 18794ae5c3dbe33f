//! Conv1D, Conv2D and Conv3D as `nn.Conv{1,2,3}d` (the module's rank is the kind's), with
//! Keras' padding and channels-last layout around them; ConvLSTM, which torch.nn lacks, as a
//! small `ConvLSTM` module written into the file. The window and forward steps every
//! convolution family file shares live here too.

use super::activation::no_activation;
use super::{
    Sizes, TorchKind, Writer, activation, label, python_bool, python_tuple, python_tuple_always,
    to_channels_first, to_channels_last,
};
use crate::model::layers::{
    Catalogued, Conv1D, Conv2D, Conv3D, ConvLstm1D, ConvLstm2D, ConvLstm3D, DataFormat, Padding,
};
use crate::model::{Row, Shape};

/// The penalties a convolution sets, for the notes.
macro_rules! conv_regularizers {
    ($c:expr) => {
        vec![
            (
                "kernel_regularizer",
                $c.kernel_regularizer.map(|r| r.to_string()),
            ),
            (
                "bias_regularizer",
                $c.bias_regularizer.map(|r| r.to_string()),
            ),
        ]
    };
}

/// A convolution of any rank, with sizes as one list per field.
pub(super) struct Conv<'a> {
    pub(super) rank: usize,
    pub(super) filters: u64,
    pub(super) kernel: Vec<u64>,
    pub(super) strides: Vec<u64>,
    pub(super) dilation: Vec<u64>,
    pub(super) padding: Padding,
    pub(super) data_format: DataFormat,
    pub(super) groups: u64,
    pub(super) activation: &'a str,
    pub(super) use_bias: bool,
    pub(super) trainable: bool,
    pub(super) regularizers: Vec<(&'static str, Option<String>)>,
}

/// The PyTorch form of convolution kinds: their fields as a [`Conv`].
macro_rules! torch_conv {
    ($($kind:ident),+) => {$(
        impl TorchKind for $kind {
            fn write(&self, w: &mut Writer, row: &Row) {
                w.conv(
                    row,
                    &Conv {
                        rank: self.keras().rank,
                        filters: self.filters,
                        kernel: self.kernel_size.sizes(),
                        strides: self.strides.sizes(),
                        dilation: self.dilation_rate.sizes(),
                        padding: self.padding,
                        data_format: self.data_format,
                        groups: self.groups,
                        activation: &self.activation,
                        use_bias: self.use_bias,
                        trainable: self.trainable,
                        regularizers: conv_regularizers!(self),
                    },
                );
            }
        }
    )+};
}

torch_conv!(Conv1D, Conv2D, Conv3D);

/// The [`Window`] of a convolution kind of rank `$rank`.
macro_rules! window {
    ($c:expr, $rank:expr) => {
        $crate::interop::torch::conv::Window {
            rank: $rank,
            kernel: $c.kernel_size.sizes(),
            strides: $c.strides.sizes(),
            dilation: $c.dilation_rate.sizes(),
            padding: $c.padding,
            data_format: $c.data_format,
        }
    };
}

/// The [`Common`] fields of a convolution kind: `$filters` its output channels, `$reg` its
/// regularizer fields.
macro_rules! common {
    ($c:expr, $filters:expr, [$($reg:ident),+]) => {
        $crate::interop::torch::conv::Common {
            filters: $filters,
            activation: &$c.activation,
            use_bias: $c.use_bias,
            trainable: $c.trainable,
            regularizers: vec![$((stringify!($reg), $c.$reg.map(|r| r.to_string()))),+],
        }
    };
}

pub(super) use {common, window};

/// The PyTorch form of the ConvLSTM kinds: the `ConvLSTM` module of this file.
macro_rules! torch_conv_lstm {
    ($($kind:ident),+) => {$(
        impl TorchKind for $kind {
            fn write(&self, w: &mut Writer, row: &Row) {
                let window = window!(self, self.keras().rank);
                let common = common!(self, self.filters, [kernel_regularizer, recurrent_regularizer, bias_regularizer]);
                let flags = ConvLstmFlags {
                    recurrent_activation: &self.recurrent_activation,
                    return_sequences: self.return_sequences,
                    go_backwards: self.go_backwards,
                };
                w.conv_lstm(row, &window, &common, flags);
            }
        }
    )+};
}

torch_conv_lstm!(ConvLstm1D, ConvLstm2D, ConvLstm3D);

/// The window of a convolution, sizes as one list per field.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Window {
    /// Spatial axes: 1, 2 or 3.
    pub(super) rank: usize,
    /// `kernel_size`.
    pub(super) kernel: Vec<u64>,
    /// `strides`.
    pub(super) strides: Vec<u64>,
    /// `dilation_rate`.
    pub(super) dilation: Vec<u64>,
    /// `padding`.
    pub(super) padding: Padding,
    /// `data_format`.
    pub(super) data_format: DataFormat,
}

/// What every convolution here shares besides its window.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Common<'a> {
    /// Output channels.
    pub(super) filters: u64,
    /// Keras' activation name.
    pub(super) activation: &'a str,
    /// `use_bias`.
    pub(super) use_bias: bool,
    /// `trainable`.
    pub(super) trainable: bool,
    /// The penalties it sets, for the notes.
    pub(super) regularizers: Vec<(&'static str, Option<String>)>,
}

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

/// The ConvLSTM fields the module takes besides its window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ConvLstmFlags<'a> {
    /// Gate activation.
    pub(super) recurrent_activation: &'a str,
    /// Every timestep, or the last.
    pub(super) return_sequences: bool,
    /// Reads the sequence from its end.
    pub(super) go_backwards: bool,
}

impl Writer {
    pub(super) fn conv(&mut self, row: &Row, c: &Conv) {
        let label = format!("{} ({})", row.name, row.class);
        let Some(apply) = activation(c.activation, "{}") else {
            return self.no_equivalent(&label, &no_activation(c.activation));
        };
        let (_, channels) = c.data_format.split(&row.input);
        let channels = channels.unwrap_or(0);
        let a = self.attr(&row.name);
        let module = format!("Conv{}d", c.rank);
        let mut args = format!("{channels}, {}, {}", c.filters, python_tuple(&c.kernel));
        if c.strides.iter().any(|&s| s != 1) {
            args.push_str(&format!(", stride={}", python_tuple(&c.strides)));
        }
        if c.dilation.iter().any(|&d| d != 1) {
            args.push_str(&format!(", dilation={}", python_tuple(&c.dilation)));
        }
        if c.groups != 1 {
            args.push_str(&format!(", groups={}", c.groups));
        }
        if !c.use_bias {
            args.push_str(", bias=False");
        }
        self.init.push(format!("self.{a} = nn.{module}({args})"));
        self.freeze(&a, c.trainable);
        self.regularizer_notes(&a, &c.regularizers);
        let last = c.data_format == DataFormat::ChannelsLast;
        if last {
            self.forward.push(format!(
                "x = {}  # nn.{module} wants channels first",
                to_channels_first(c.rank)
            ));
        }
        match c.padding {
            Padding::Valid => {}
            Padding::Same => {
                self.helpers.same_pad = true;
                self.forward.push(format!(
                    "x = keras_same_pad(x, {}, {}, {})  # padding=\"same\" as Keras pads: any odd extra at the end",
                    python_tuple_always(&c.kernel),
                    python_tuple_always(&c.strides),
                    python_tuple_always(&c.dilation)
                ));
            }
            Padding::Causal => {
                let left = c.dilation[0].saturating_mul(c.kernel[0].saturating_sub(1));
                self.forward.push(format!(
                    "x = F.pad(x, ({left}, 0))  # padding=\"causal\": (kernel_size - 1) × dilation_rate zeros before the sequence"
                ));
            }
        }
        self.forward.push(format!("x = self.{a}(x)"));
        if last {
            self.forward.push(format!(
                "x = {}  # back to Keras' channels last",
                to_channels_last(c.rank)
            ));
        }
        if apply != "{}" {
            self.forward
                .push(format!("x = {}", apply.replace("{}", "x")));
        }
    }
}

impl Writer {
    /// The forward lines around `x = self.{a}(x)`: channels first for PyTorch, Keras' "same"
    /// padding (`pad_same`), `after` (a crop), channels back, and the activation.
    pub(super) fn around(
        &mut self,
        a: &str,
        w: &Window,
        pad_same: bool,
        after: Option<String>,
        apply: &str,
    ) {
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
    pub(super) fn window_args(w: &Window) -> String {
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
    pub(super) fn activation_or_refuse(&mut self, row: &Row, name: &str) -> Option<String> {
        let apply = activation(name, "{}");
        if apply.is_none() {
            self.no_equivalent(&label(row), &no_activation(name));
        }
        apply
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
        let frame = Shape(row.input.0.get(1..).unwrap_or_default().into());
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
