//! Conv1D and Conv2D as `nn.Conv1d`/`nn.Conv2d` (the module's rank is the kind's), with
//! Keras' padding and channels-last layout around them. ConvLSTM has no torch.nn module.

use super::{
    Sizes, TorchKind, Writer, activation, label, python_tuple, python_tuple_always,
    to_channels_first, to_channels_last,
};
use crate::model::Row;
use crate::model::layers::{
    Catalogued, Conv1D, Conv2D, ConvLstm1D, ConvLstm2D, DataFormat, Padding,
};

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
struct Conv<'a> {
    rank: usize,
    filters: u64,
    kernel: Vec<u64>,
    strides: Vec<u64>,
    dilation: Vec<u64>,
    padding: Padding,
    data_format: DataFormat,
    groups: u64,
    activation: &'a str,
    use_bias: bool,
    trainable: bool,
    regularizers: Vec<(&'static str, Option<String>)>,
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

torch_conv!(Conv1D, Conv2D);

/// Why ConvLSTM kinds are not translated.
const NO_CONV_LSTM: &str = "torch.nn has no ConvLSTM module (an LSTM whose gates are convolutions); writing one by hand is a model of its own, not a translation";

impl TorchKind for ConvLstm1D {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.no_equivalent(&label(row), NO_CONV_LSTM);
    }
}

impl TorchKind for ConvLstm2D {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.no_equivalent(&label(row), NO_CONV_LSTM);
    }
}

impl Writer {
    fn conv(&mut self, row: &Row, c: &Conv) {
        let label = format!("{} ({})", row.name, row.class);
        let Some(apply) = activation(c.activation, "{}") else {
            return self.no_equivalent(
                &label,
                &format!("no PyTorch function for the activation {:?}", c.activation),
            );
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
