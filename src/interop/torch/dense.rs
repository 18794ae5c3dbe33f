//! Dense as `nn.Linear`, which acts on the last axis as Dense does.

use super::activation::no_activation;
use super::{TorchKind, Writer, activation, features};
use crate::model::Row;
use crate::model::layers::Dense;

impl TorchKind for Dense {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.dense(row, self, features(row));
    }
}

impl Writer {
    fn dense(&mut self, row: &Row, d: &Dense, features: u64) {
        let label = format!("{} ({})", row.name, row.class);
        let Some(apply) = activation(&d.activation, "{}") else {
            return self.no_equivalent(&label, &no_activation(&d.activation));
        };
        let a = self.attr(&row.name);
        let bias = if d.use_bias { "" } else { ", bias=False" };
        self.init.push(format!(
            "self.{a} = nn.Linear({features}, {}{bias})  # acts on the last axis, like Dense",
            d.units
        ));
        self.freeze(&a, d.trainable);
        self.regularizer_notes(
            &a,
            &[
                (
                    "kernel_regularizer",
                    d.kernel_regularizer.map(|r| r.to_string()),
                ),
                (
                    "bias_regularizer",
                    d.bias_regularizer.map(|r| r.to_string()),
                ),
            ],
        );
        self.forward.push(format!(
            "x = {}",
            apply.replace("{}", &format!("self.{a}(x)"))
        ));
    }
}
