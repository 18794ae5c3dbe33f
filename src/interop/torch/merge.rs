//! The merge layers as tensor functions in the forward pass: no modules, no weights. A merge
//! takes several tensors, here the list `xs` of the tensors it is called on, in call order.

use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract};

/// The forward step of an element-wise merge: `op` folds the broadcast tensors together.
fn elementwise(w: &mut Writer, row: &Row, expr: &str) {
    w.forward.push(format!(
        "x = {expr}  # {}: element-wise over the tensors xs it is called on, broadcast as Keras does",
        row.name.escape_debug()
    ));
}

impl TorchKind for Add {
    fn write(&self, w: &mut Writer, row: &Row) {
        elementwise(w, row, "torch.stack(torch.broadcast_tensors(*xs)).sum(0)");
    }
}

impl TorchKind for Subtract {
    fn write(&self, w: &mut Writer, row: &Row) {
        elementwise(w, row, "torch.sub(xs[0], xs[1])");
    }
}

impl TorchKind for Multiply {
    fn write(&self, w: &mut Writer, row: &Row) {
        elementwise(w, row, "torch.stack(torch.broadcast_tensors(*xs)).prod(0)");
    }
}

impl TorchKind for Average {
    fn write(&self, w: &mut Writer, row: &Row) {
        elementwise(w, row, "torch.stack(torch.broadcast_tensors(*xs)).mean(0)");
    }
}

impl TorchKind for Maximum {
    fn write(&self, w: &mut Writer, row: &Row) {
        elementwise(w, row, "torch.stack(torch.broadcast_tensors(*xs)).amax(0)");
    }
}

impl TorchKind for Minimum {
    fn write(&self, w: &mut Writer, row: &Row) {
        elementwise(w, row, "torch.stack(torch.broadcast_tensors(*xs)).amin(0)");
    }
}

impl TorchKind for Concatenate {
    fn write(&self, w: &mut Writer, row: &Row) {
        // Keras counts the batch as axis 0 as PyTorch does, so the axis carries over.
        w.forward.push(format!(
            "x = torch.cat(xs, dim={})  # {}",
            self.axis,
            row.name.escape_debug()
        ));
    }
}

impl TorchKind for Dot {
    fn write(&self, w: &mut Writer, row: &Row) {
        let (a, b) = match self.axes.as_slice() {
            [x, y] => (*x, *y),
            [x] => (*x, *x),
            _ => (-1, -1),
        };
        let mut lines = Vec::new();
        if self.normalize {
            lines.push(format!(
                "xs = [F.normalize(xs[0], dim={a}), F.normalize(xs[1], dim={b})]  # normalize=True"
            ));
        }
        // Keras' batch_dot: per sample, the first tensor's other axes against the second's,
        // as one batched matrix product; two vectors give (batch, 1).
        lines.push(format!(
            "xs = [xs[0].movedim({a}, -1), xs[1].movedim({b}, 1)]  # {}: the product's axes last and first",
            row.name.escape_debug()
        ));
        lines.push("x = torch.bmm(xs[0].reshape(xs[0].shape[0], -1, xs[0].shape[-1]), xs[1].reshape(xs[1].shape[0], xs[1].shape[1], -1)).reshape(*xs[0].shape[:-1], *xs[1].shape[2:])".into());
        lines.push("x = x.unsqueeze(-1) if x.dim() == 1 else x".into());
        w.forward.extend(lines);
    }
}
