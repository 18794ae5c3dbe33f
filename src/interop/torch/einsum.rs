//! EinsumDense as its kernel and bias and `torch.einsum`: PyTorch has no module for it.

use super::activation::{no_activation, not_built};
use super::{TorchKind, Writer, activation, label, python_tuple_always};
use crate::interop::export_keras::python_str;
use crate::model::Row;
use crate::model::layers::EinsumDense;

impl TorchKind for EinsumDense {
    fn write(&self, w: &mut Writer, row: &Row) {
        let Some(apply) = activation(&self.activation, "{}") else {
            return w.no_equivalent(&label(row), &no_activation(&self.activation));
        };
        let Ok(shapes) = self.analyze(&row.input) else {
            return w.no_equivalent(
                &label(row),
                &not_built(&"the equation does not fit the input"),
            );
        };
        let a = w.attr(&row.name);
        // A ParameterDict is a module of its own: the kernel and bias stay together under
        // the layer's name, as Keras keeps them.
        let mut params = format!(
            "\"kernel\": nn.Parameter(torch.randn({}) * 0.05)",
            python_tuple_always(&shapes.kernel)
        );
        let mut expr = format!(
            "torch.einsum({}, x, self.{a}[\"kernel\"])",
            python_str(&self.equation)
        );
        if let Some(b) = &shapes.bias {
            params.push_str(&format!(
                ", \"bias\": nn.Parameter(torch.zeros({}))",
                python_tuple_always(b)
            ));
            expr = format!("{expr} + self.{a}[\"bias\"]");
        }
        w.init.push(format!(
            "self.{a} = nn.ParameterDict({{{params}}})  # EinsumDense {}: torch.einsum with its kernel{}",
            python_str(&self.equation),
            if shapes.bias.is_some() { " and bias" } else { "" }
        ));
        w.freeze(&a, self.trainable);
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
