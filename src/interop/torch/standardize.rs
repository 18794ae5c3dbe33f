//! Normalization as buffers (not parameters, as PyTorch keeps statistics) and Keras' formula.

use super::norm::broadcast_shape;
use super::{TorchKind, Writer, py_float, py_floats};
use crate::model::Row;
use crate::model::layers::{Normalization, Stat};

/// A statistic as a Python value: a number or a list.
fn python_stat(s: &Stat) -> String {
    match s {
        Stat::One(v) => py_float(*v),
        Stat::Each(v) => py_floats(v),
    }
}

impl TorchKind for Normalization {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        let shape = broadcast_shape(&row.input, &self.axis);
        match (&self.mean, &self.variance) {
            (Some(m), Some(v)) => {
                // A list lies along the last kept axis, as Keras reshapes it.
                let place = |s: &Stat| match s {
                    Stat::One(_) => format!("torch.tensor({})", python_stat(s)),
                    Stat::Each(_) => format!(
                        "torch.tensor({}).reshape({})",
                        python_stat(s),
                        self.list_shape(row)
                    ),
                };
                w.init.push(format!(
                    "self.register_buffer(\"{a}_mean\", {})  # mean given to Keras' Normalization",
                    place(m)
                ));
                w.init.push(format!(
                    "self.register_buffer(\"{a}_variance\", {})",
                    place(v)
                ));
            }
            _ => {
                // A module of its own, as Keras keeps adapt()'s statistics as the layer's
                // weights; buffers, since nothing trains them.
                w.init.push(format!(
                    "self.{a} = nn.Module()  # Keras learns mean and variance with adapt(); copy them in"
                ));
                w.init.push(format!(
                    "self.{a}.register_buffer(\"mean\", torch.zeros({shape}))"
                ));
                w.init.push(format!(
                    "self.{a}.register_buffer(\"variance\", torch.ones({shape}))"
                ));
            }
        }
        let (mean, variance) = if self.mean.is_some() {
            (format!("self.{a}_mean"), format!("self.{a}_variance"))
        } else {
            (format!("self.{a}.mean"), format!("self.{a}.variance"))
        };
        // Keras' backend epsilon keeps a zero variance from dividing by zero.
        let std = format!("torch.clamp(torch.sqrt({variance}), min=1e-07)");
        w.forward.push(if self.invert {
            format!("x = {mean} + x * {std}  # invert=True")
        } else {
            format!("x = (x - {mean}) / {std}")
        });
    }
}

impl Normalization {
    /// The shape that puts a given list on the last kept axis: `(1, 1, -1)`.
    fn list_shape(&self, row: &Row) -> String {
        let ndim = row.input.0.len() as i64 + 1;
        let last = self
            .axis
            .iter()
            .map(|&a| if a < 0 { ndim + a } else { a })
            .max()
            .unwrap_or(ndim - 1);
        let dims: Vec<&str> = (0..ndim)
            .map(|i| if i == last { "-1" } else { "1" })
            .collect();
        format!("({})", dims.join(", "))
    }
}
