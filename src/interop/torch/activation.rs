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
            None => w.no_equivalent(&label(row), &no_activation(&self.activation)),
        }
    }
}

/// Why a layer naming this activation has no PyTorch form: Keras cannot run it either.
pub(super) fn no_activation(name: &str) -> String {
    if name == "threshold" {
        "Keras' \"threshold\" activation needs threshold and default_value, which activation= cannot give: Keras builds the layer but fails when it is called".into()
    } else {
        format!("{name:?} is not a Keras activation, so Keras does not build it either")
    }
}

/// A refusal of a layer that does not build, said as such.
pub(super) fn not_built(e: &impl std::fmt::Display) -> String {
    format!("Keras does not build it either: {e}")
}

/// Keras' sparsemax over the last axis, as its JAX backend computes it (the threshold from
/// the sum of the cumulative sums inside the support).
pub(super) const SPARSEMAX: &str = r#"def keras_sparsemax(x):
    """Keras' sparsemax over the last axis."""
    z = torch.sort(x, dim=-1, descending=True).values
    cum = z.cumsum(dim=-1)
    r = torch.arange(1, x.shape[-1] + 1, dtype=x.dtype, device=x.device)
    support = z - (cum - 1) / r > 0
    k = support.sum(dim=-1, keepdim=True)
    tau = (torch.where(support, cum, 0.0).sum(dim=-1, keepdim=True) - 1) / k
    return torch.clamp(x - tau, min=0.0)


"#;

/// A Keras activation as a PyTorch expression around `x`; `None` for Keras' `threshold`,
/// which a layer cannot call (it needs arguments), and for names Keras does not know.
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
        "celu" => "F.celu({})",
        "glu" => "F.glu({}, dim=-1)",
        "hard_shrink" => "F.hardshrink({}, 0.5)",
        "hard_tanh" => "F.hardtanh({})",
        "log_sigmoid" => "F.logsigmoid({})",
        "soft_shrink" => "F.softshrink({}, 0.5)",
        "tanh_shrink" => "F.tanhshrink({})",
        // Once-evaluated argument: `{}` may be a whole layer call.
        "sparse_plus" => {
            "(lambda v: torch.where(v <= -1, 0.0, torch.where(v >= 1, v, 0.25 * (v + 1) ** 2)))({})"
        }
        "sparse_sigmoid" => "torch.clamp(0.5 * ({} + 1), 0.0, 1.0)",
        "squareplus" => "(lambda v: (v + torch.sqrt(v ** 2 + 4)) / 2)({})",
        "sparsemax" => "keras_sparsemax({})",
        // Keras' threshold needs its threshold and default value, which activation= cannot
        // give: a layer naming it builds but fails when called.
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
            Err(e) => w.no_equivalent(&label(row), &not_built(&e)),
        }
    }
}

impl TorchKind for Prelu {
    fn write(&self, w: &mut Writer, row: &Row) {
        let shape = match self.alpha_shape(&row.input) {
            Ok(s) => s,
            Err(e) => return w.no_equivalent(&label(row), &not_built(&e)),
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
