//! Activation as a PyTorch expression, and the one table of Keras activations PyTorch has.

use super::{TorchKind, Writer, label};
use crate::model::Row;
use crate::model::layers::Activation;

impl TorchKind for Activation {
    fn write(&self, w: &mut Writer, row: &Row) {
        match activation(&self.activation, "x") {
            Some(expr) => w
                .forward
                .push(format!("x = {expr}  # {}", row.name.escape_debug())),
            None => w.no_equivalent(
                &label(row),
                &format!(
                    "no PyTorch function for the activation {:?}",
                    self.activation
                ),
            ),
        }
    }
}

/// A Keras activation as a PyTorch expression around `x`; `None` when PyTorch has no
/// function that computes the same thing.
pub fn activation(name: &str, x: &str) -> Option<String> {
    let f = match name {
        "linear" => return Some(x.to_string()),
        "relu" => "torch.relu({})",
        "sigmoid" => "torch.sigmoid({})",
        "tanh" => "torch.tanh({})",
        "softmax" => "torch.softmax({}, dim=-1)",
        "log_softmax" => "torch.log_softmax({}, dim=-1)",
        "exponential" => "torch.exp({})",
        "elu" => "F.elu({})",
        "selu" => "F.selu({})",
        "gelu" => "F.gelu({})",
        "softplus" => "F.softplus({})",
        "softsign" => "F.softsign({})",
        "swish" | "silu" => "F.silu({})",
        "relu6" => "F.relu6({})",
        "leaky_relu" => "F.leaky_relu({}, 0.2)",
        "hard_sigmoid" => "F.hardsigmoid({})",
        "hard_silu" | "hard_swish" => "F.hardswish({})",
        "mish" => "F.mish({})",
        _ => return None,
    };
    Some(f.replace("{}", x))
}
