//! Pooling as `F.max_pool*d`/`F.avg_pool*d` (the rank is the window's), with Keras' "same"
//! padding; global pooling as a reduction over the time axis.

use super::{
    Sizes, TorchKind, Writer, python_bool, python_tuple, python_tuple_always, to_channels_first,
    to_channels_last,
};
use crate::model::Row;
use crate::model::layers::{
    AveragePooling1D, DataFormat, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D,
    MaxPooling2D, Padding,
};
use crate::model::layers::{
    AveragePooling2D, AveragePooling3D, Catalogued, GlobalAveragePooling2D, GlobalAveragePooling3D,
    GlobalMaxPooling2D, GlobalMaxPooling3D, MaxPooling3D,
};

/// Which reduction a pooling layer takes.
#[derive(Debug, Clone, Copy)]
enum Pool {
    /// The window's maximum.
    Max,
    /// The window's mean.
    Average,
}

/// The PyTorch form of window pooling kinds, each with its reduction.
macro_rules! torch_pool {
    ($($kind:ident => $pool:ident),+) => {$(
        impl TorchKind for $kind {
            fn write(&self, w: &mut Writer, row: &Row) {
                w.pool(
                    row,
                    Pool::$pool,
                    &self.pool_size.sizes(),
                    &self.effective_strides().sizes(),
                    self.padding,
                    self.data_format,
                );
            }
        }
    )+};
}

torch_pool!(MaxPooling1D => Max, MaxPooling2D => Max, AveragePooling1D => Average);
torch_pool!(MaxPooling3D => Max, AveragePooling2D => Average, AveragePooling3D => Average);

/// The PyTorch form of global pooling kinds: a reduction over every spatial axis.
macro_rules! torch_global_pool {
    ($($kind:ident => $method:literal),+) => {$(
        impl TorchKind for $kind {
            fn write(&self, w: &mut Writer, row: &Row) {
                w.forward.push(format!(
                    concat!("x = x.", $method, "(dim={}, keepdim={})  # {}"),
                    spatial_axes(self.data_format, self.keras().rank),
                    python_bool(self.keepdims),
                    row.name.escape_debug()
                ));
            }
        }
    )+};
}

torch_global_pool!(
    GlobalMaxPooling1D => "amax",
    GlobalAveragePooling1D => "mean",
    GlobalMaxPooling2D => "amax",
    GlobalAveragePooling2D => "mean",
    GlobalMaxPooling3D => "amax",
    GlobalAveragePooling3D => "mean"
);

/// The spatial axes of a `rank`-D layer's tensor, as a reduction's `dim`: `1` for a sequence in
/// channels-last order, `(2, 3)` for a channels-first image.
pub(super) fn spatial_axes(data_format: DataFormat, rank: usize) -> String {
    let first = match data_format {
        DataFormat::ChannelsLast => 1,
        DataFormat::ChannelsFirst => 2,
    };
    let axes: Vec<u64> = (first..first + rank as u64).collect();
    python_tuple(&axes)
}

impl Writer {
    fn pool(
        &mut self,
        row: &Row,
        pool: Pool,
        size: &[u64],
        strides: &[u64],
        padding: Padding,
        data_format: DataFormat,
    ) {
        let rank = size.len();
        let last = data_format == DataFormat::ChannelsLast;
        let f = match pool {
            Pool::Max => format!("F.max_pool{rank}d"),
            Pool::Average => format!("F.avg_pool{rank}d"),
        };
        let (k, s) = (python_tuple(size), python_tuple(strides));
        if last {
            self.forward.push(format!(
                "x = {}  # {}: pooling wants channels first",
                to_channels_first(rank),
                row.name.escape_debug()
            ));
        }
        let ones = vec![1; rank];
        let pad = |x: &str, value: &str| {
            format!(
                "keras_same_pad({x}, {}, {}, {}{value})",
                python_tuple_always(size),
                python_tuple_always(strides),
                python_tuple_always(&ones)
            )
        };
        match (padding, pool) {
            (Padding::Same, Pool::Max) => {
                self.helpers.same_pad = true;
                self.forward.push(format!(
                    "x = {f}({}, {k}, {s})  # padding=\"same\": padded with -inf, so padding never wins",
                    pad("x", ", value=float(\"-inf\")")
                ));
            }
            (Padding::Same, Pool::Average) => {
                self.helpers.same_pad = true;
                // Keras divides each window's sum by the real inputs it covers, not by the
                // pool size: sum over zero padding, divided by the count of real inputs.
                self.forward.push(format!(
                    "x = {f}({}, {k}, {s}) / {f}({}, {k}, {s})  # padding=\"same\": each window averages only the real inputs it covers, as Keras does",
                    pad("x", ""),
                    pad("torch.ones_like(x[:, :1])", "")
                ));
            }
            _ => self.forward.push(format!("x = {f}(x, {k}, {s})")),
        }
        if last {
            self.forward.push(format!(
                "x = {}  # back to channels last",
                to_channels_last(rank)
            ));
        }
    }
}
