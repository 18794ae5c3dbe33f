//! Identity as `nn.Identity`; Masking and Rescaling as the same arithmetic in the forward pass.

use super::{TorchKind, Writer, py_float};
use crate::model::Row;
use crate::model::layers::{Identity, Masking, Rescaling};

impl TorchKind for Identity {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        w.init.push(format!("self.{a} = nn.Identity()"));
        w.forward.push(format!("x = self.{a}(x)"));
    }
}

impl TorchKind for Masking {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.forward.push(format!(
            "x = x * (x != {}).any(dim=-1, keepdim=True)  # {}: zeroes masked steps, as Keras' Masking does",
            py_float(self.mask_value),
            row.name.escape_debug()
        ));
    }
}

impl TorchKind for Rescaling {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.forward.push(format!(
            "x = x * {} + {}  # {}: Rescaling",
            py_float(self.scale),
            py_float(self.offset),
            row.name.escape_debug()
        ));
    }
}
