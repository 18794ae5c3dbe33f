//! Activation as a PyTorch expression, and the one table of Keras activations PyTorch has;
//! the activation layers as their `nn` modules, PReLU with shared axes as a small module.

use super::{TorchKind, Writer, label, py_float, python_tuple_always};
use crate::model::Row;
use crate::model::layers::{Activation, Elu, LeakyRelu, Prelu, Relu, Softmax};

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

impl TorchKind for Relu {
    fn write(&self, w: &mut Writer, row: &Row) {
        let plain = self.threshold == 0.0;
        let module = match (self.max_value, self.negative_slope) {
            (None, s) if plain && s == 0.0 => Some("nn.ReLU()".to_string()),
            (None, s) if plain => Some(format!("nn.LeakyReLU(negative_slope={})", py_float(s))),
            (Some(m), s) if plain && s == 0.0 && m == 6.0 => Some("nn.ReLU6()".to_string()),
            _ => None,
        };
        if let Some(module) = module {
            let a = w.attr(&row.name);
            w.init.push(format!("self.{a} = {module}"));
            w.forward.push(format!("x = self.{a}(x)"));
            return;
        }
        // Keras' relu with a threshold or a cap: x above the threshold, clipped to the cap,
        // minus the slope times how far below the threshold x is.
        let t = py_float(self.threshold);
        let cap = self
            .max_value
            .map_or_else(String::new, |m| format!(".clamp(0.0, {})", py_float(m)));
        let leak = if self.negative_slope == 0.0 {
            String::new()
        } else {
            format!(" - {} * torch.relu({t} - x)", py_float(self.negative_slope))
        };
        w.forward.push(format!(
            "x = torch.where(x > {t}, x, 0.0){cap}{leak}  # {}: Keras' ReLU with threshold/max_value",
            row.name.escape_debug()
        ));
    }
}

impl TorchKind for LeakyRelu {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        w.init.push(format!(
            "self.{a} = nn.LeakyReLU(negative_slope={})",
            py_float(self.negative_slope)
        ));
        w.forward.push(format!("x = self.{a}(x)"));
    }
}

impl TorchKind for Elu {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        w.init
            .push(format!("self.{a} = nn.ELU(alpha={})", py_float(self.alpha)));
        w.forward.push(format!("x = self.{a}(x)"));
    }
}

impl TorchKind for Softmax {
    fn write(&self, w: &mut Writer, row: &Row) {
        // The tensor is in Keras' layout, so Keras' axes (batch = 0) are PyTorch's dims.
        match self.axes(&row.input).as_deref() {
            Ok([one]) => {
                let a = w.attr(&row.name);
                w.init.push(format!("self.{a} = nn.Softmax(dim={one})"));
                w.forward.push(format!("x = self.{a}(x)"));
            }
            Ok(axes) => {
                let dims: Vec<String> = axes.iter().map(usize::to_string).collect();
                w.forward.push(format!(
                    "x = torch.exp(x - torch.logsumexp(x, dim=({}), keepdim=True))  # {}: softmax over several axes, as Keras computes it",
                    dims.join(", "),
                    row.name.escape_debug()
                ));
            }
            Err(e) => w.no_equivalent(&label(row), &e.to_string()),
        }
    }
}

impl TorchKind for Prelu {
    fn write(&self, w: &mut Writer, row: &Row) {
        let shape = match self.alpha_shape(&row.input) {
            Ok(s) => s,
            Err(e) => return w.no_equivalent(&label(row), &e.to_string()),
        };
        w.helpers.prelu = true;
        let a = w.attr(&row.name);
        w.init.push(format!(
            "self.{a} = KerasPReLU({})  # nn.PReLU shares slopes only per channel on axis 1",
            python_tuple_always(&shape)
        ));
        w.freeze(&a, self.trainable);
        w.regularizer_notes(
            &a,
            &[(
                "alpha_regularizer",
                self.alpha_regularizer.map(|r| r.to_string()),
            )],
        );
        w.forward.push(format!("x = self.{a}(x)"));
    }
}
