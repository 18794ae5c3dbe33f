//! DepthwiseConv1D/2D as `nn.Conv{1,2}d` with `groups=in_channels`, and SeparableConv1D/2D,
//! which torch.nn lacks, as a small `SeparableConv` module written into the file: the same
//! depthwise convolution without bias, then a pointwise one.

use super::conv::{Common, Conv, Window, common, window};
use super::{Catalogued, Sizes, TorchKind, Writer, python_tuple};
use crate::model::Row;
use crate::model::layers::{DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D};

/// The PyTorch form of the depthwise convolution kinds.
macro_rules! torch_depthwise {
    ($($kind:ident),+) => {$(
        impl TorchKind for $kind {
            fn write(&self, w: &mut Writer, row: &Row) {
                w.depthwise(
                    row,
                    &window!(self, self.keras().rank),
                    &common!(self, 0, [depthwise_regularizer, bias_regularizer]),
                    self.depth_multiplier,
                );
            }
        }
    )+};
}

torch_depthwise!(DepthwiseConv1D, DepthwiseConv2D);

/// The PyTorch form of the separable convolution kinds.
macro_rules! torch_separable {
    ($($kind:ident),+) => {$(
        impl TorchKind for $kind {
            fn write(&self, w: &mut Writer, row: &Row) {
                w.separable(
                    row,
                    &window!(self, self.keras().rank),
                    &common!(self, self.filters, [depthwise_regularizer, pointwise_regularizer, bias_regularizer]),
                    self.depth_multiplier,
                );
            }
        }
    )+};
}

torch_separable!(SeparableConv1D, SeparableConv2D);

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

impl Writer {
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
}
