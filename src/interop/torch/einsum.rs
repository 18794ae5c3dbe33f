//! EinsumDense as its kernel and bias and `torch.einsum`: PyTorch has no module for it.

use super::{TorchKind, Writer, activation, label, python_tuple_always};
use crate::interop::export_keras::python_str;
use crate::model::Row;
use crate::model::layers::EinsumDense;

impl TorchKind for EinsumDense {
    fn write(&self, w: &mut Writer, row: &Row) {
        let Some(apply) = activation(&self.activation, "{}") else {
            return w.no_equivalent(
                &label(row),
                &format!(
                    "no PyTorch function for the activation {:?}",
                    self.activation
                ),
            );
        };
        let Ok(shapes) = self.analyze(&row.input) else {
            return w.no_equivalent(&label(row), "the equation does not fit the input");
        };
        let a = w.attr(&row.name);
        w.init.push(format!(
            "self.{a}_kernel = nn.Parameter(torch.randn({}) * 0.05)  # EinsumDense's kernel",
            python_tuple_always(&shapes.kernel)
        ));
        let mut expr = format!(
            "torch.einsum({}, x, self.{a}_kernel)",
            python_str(&self.equation)
        );
        if let Some(b) = &shapes.bias {
            w.init.push(format!(
                "self.{a}_bias = nn.Parameter(torch.zeros({}))  # over bias_axes={}",
                python_tuple_always(b),
                python_str(self.bias_axes.as_deref().unwrap_or(""))
            ));
            expr = format!("{expr} + self.{a}_bias");
        }
        if !self.trainable {
            w.init.push(format!(
                "for p in (self.{a}_kernel{}): p.requires_grad_(False)  # trainable=False",
                if shapes.bias.is_some() {
                    format!(", self.{a}_bias")
                } else {
                    ",".into()
                }
            ));
        }
        w.regularizer_notes(
            &a,
            &[
                (
                    "kernel_regularizer",
                    self.kernel_regularizer.map(|r| r.to_string()),
                ),
                (
                    "bias_regularizer",
                    self.bias_regularizer.map(|r| r.to_string()),
                ),
            ],
        );
        w.forward
            .push(format!("x = {}", apply.replace("{}", &expr)));
    }
}
