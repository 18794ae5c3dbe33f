//! Zero padding as `F.pad` and cropping as slicing, both on the tensor in Keras' layout: no
//! modules, no parameters.

use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{
    Cropping1D, Cropping2D, Cropping3D, DataFormat, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D,
};

/// `F.pad`'s list: (start, end) pairs from the last axis backwards, zeros for the channels
/// when they come last.
fn pad_list(pairs: &[[u64; 2]], data_format: DataFormat) -> String {
    let mut pads: Vec<String> = Vec::new();
    if data_format == DataFormat::ChannelsLast {
        pads.extend(["0".to_string(), "0".to_string()]);
    }
    for [start, end] in pairs.iter().rev() {
        pads.push(start.to_string());
        pads.push(end.to_string());
    }
    format!("({})", pads.join(", "))
}

/// The index that keeps what a crop leaves: `x[:, 2:-3, :]`, with `start:` when nothing is
/// cut at the end (`-0` would keep nothing).
fn crop_index(pairs: &[[u64; 2]], data_format: DataFormat) -> String {
    let mut parts = vec![":".to_string()];
    if data_format == DataFormat::ChannelsFirst {
        parts.push(":".into());
    }
    for [start, end] in pairs {
        parts.push(if *end == 0 {
            format!("{start}:")
        } else {
            format!("{start}:-{end}")
        });
    }
    if data_format == DataFormat::ChannelsLast {
        parts.push(":".into());
    }
    format!("x[{}]", parts.join(", "))
}

/// The PyTorch form of the zero padding kinds.
macro_rules! torch_pad {
    ($($kind:ident),+) => {$(
        impl TorchKind for $kind {
            fn write(&self, w: &mut Writer, row: &Row) {
                w.forward.push(format!(
                    "x = F.pad(x, {})  # {}: zeros at both ends of each spatial axis",
                    pad_list(self.pairs(), self.layout()),
                    row.name.escape_debug()
                ));
            }
        }
    )+};
}

torch_pad!(ZeroPadding1D, ZeroPadding2D, ZeroPadding3D);

/// The PyTorch form of the cropping kinds.
macro_rules! torch_crop {
    ($($kind:ident),+) => {$(
        impl TorchKind for $kind {
            fn write(&self, w: &mut Writer, row: &Row) {
                w.forward.push(format!(
                    "x = {}  # {}: positions cut at both ends of each spatial axis",
                    crop_index(self.pairs(), self.layout()),
                    row.name.escape_debug()
                ));
            }
        }
    )+};
}

torch_crop!(Cropping1D, Cropping2D, Cropping3D);
