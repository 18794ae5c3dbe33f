//! Adaptive pooling as `F.adaptive_avg_pool*d`/`F.adaptive_max_pool*d`, whose windows are
//! Keras' (window i of n over L steps spans floor(i·L/n) to ceil((i+1)·L/n)), with the
//! channels moved first around them.

use super::{Sizes, TorchKind, Writer, python_tuple, to_channels_first, to_channels_last};
use crate::model::Row;
use crate::model::layers::{
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D, Catalogued, DataFormat,
};

/// The PyTorch form of adaptive pooling kinds, each with its function.
macro_rules! torch_adaptive {
    ($($kind:ident => $f:literal),+) => {$(
        impl TorchKind for $kind {
            fn write(&self, w: &mut Writer, row: &Row) {
                let rank = self.keras().rank;
                let last = self.data_format == DataFormat::ChannelsLast;
                if last {
                    w.forward.push(format!(
                        "x = {}  # {}: pooling wants channels first",
                        to_channels_first(rank),
                        row.name.escape_debug()
                    ));
                }
                w.forward.push(format!(
                    "x = F.{}{rank}d(x, {})",
                    $f,
                    python_tuple(&self.output_size.sizes())
                ));
                if last {
                    w.forward.push(format!("x = {}  # back to channels last", to_channels_last(rank)));
                }
            }
        }
    )+};
}

torch_adaptive!(
    AdaptiveAveragePooling1D => "adaptive_avg_pool",
    AdaptiveAveragePooling2D => "adaptive_avg_pool",
    AdaptiveAveragePooling3D => "adaptive_avg_pool",
    AdaptiveMaxPooling1D => "adaptive_max_pool",
    AdaptiveMaxPooling2D => "adaptive_max_pool",
    AdaptiveMaxPooling3D => "adaptive_max_pool"
);
