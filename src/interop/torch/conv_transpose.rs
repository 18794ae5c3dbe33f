//! Conv1DTranspose, Conv2DTranspose and Conv3DTranspose as `nn.ConvTranspose{1,2,3}d`
//! without padding, then cropped as Keras crops the full transposed convolution; rows Keras
//! adds at the end come from PyTorch's `output_padding`, so they get the bias as in Keras.

use super::conv::{Common, Window, common, window};
use super::{Catalogued, Sizes, TorchKind, Writer, python_tuple};
use crate::model::Row;
use crate::model::layers::{Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, Padding};

/// The PyTorch form of the transposed convolution kinds.
macro_rules! torch_conv_transpose {
    ($($kind:ident),+) => {$(
        impl TorchKind for $kind {
            fn write(&self, w: &mut Writer, row: &Row) {
                let output_padding = self.output_padding.as_ref().map(Sizes::sizes);
                w.conv_transpose(
                    row,
                    &window!(self, self.keras().rank),
                    &common!(self, self.filters, [kernel_regularizer, bias_regularizer]),
                    output_padding.as_deref(),
                );
            }
        }
    )+};
}

torch_conv_transpose!(Conv1DTranspose, Conv2DTranspose, Conv3DTranspose);

/// Per axis, how much Keras crops from the start and the end of the full transposed
/// convolution (`(len − 1) × s + k'`); a negative end is rows Keras adds, which
/// `output_padding` adds in PyTorch. This is Keras' own padding for its JAX backend
/// (`_convert_conv_transpose_padding_args_from_keras_to_jax`) read as a crop.
fn transpose_crop(
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
}
