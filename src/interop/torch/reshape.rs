//! Flatten, RepeatVector, Reshape and Permute as tensor methods in the forward pass: no modules.

use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{DataFormat, Flatten, Permute, RepeatVector, Reshape};

impl TorchKind for Flatten {
    fn write(&self, w: &mut Writer, row: &Row) {
        if self.data_format == DataFormat::ChannelsFirst && row.input.0.len() > 1 {
            // Keras moves the channels last before flattening, so the order of the
            // features (and the next Dense's weights) matches channels_last.
            w.forward.push(format!(
                    "x = x.movedim(1, -1).flatten(1)  # {}: channels last, then flattened as Keras does",
                    row.name.escape_debug()
                ));
        } else {
            w.forward.push(format!(
                "x = x.flatten(1)  # {}: the tensor is in Keras' layout, so the order matches",
                row.name.escape_debug()
            ));
        }
    }
}

impl TorchKind for RepeatVector {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.forward.push(format!(
            "x = x.unsqueeze(1).repeat(1, {}, 1)  # {}",
            self.n,
            row.name.escape_debug()
        ));
    }
}

impl TorchKind for Reshape {
    fn write(&self, w: &mut Writer, row: &Row) {
        let dims: Vec<String> = self.target_shape.iter().map(i64::to_string).collect();
        w.forward.push(format!(
            "x = x.reshape(x.shape[0], {})  # {}",
            dims.join(", "),
            row.name.escape_debug()
        ));
    }
}

impl TorchKind for Permute {
    fn write(&self, w: &mut Writer, row: &Row) {
        let dims: Vec<String> = self.dims.iter().map(u64::to_string).collect();
        w.forward.push(format!(
            "x = x.permute(0, {})  # {}",
            dims.join(", "),
            row.name.escape_debug()
        ));
    }
}
