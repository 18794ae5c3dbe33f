//! `Dense`: a fully connected layer on the last axis.

use serde::{Deserialize, Serialize};

use super::{
    Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, Regularizer, is_true, known_last, positive,
    push_activation, regularizer_notes, yes,
};
use crate::model::compute::{Tally, known_product};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, add, mul};

/// `keras.layers.Dense`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Dense {
    /// Output features.
    pub units: u64,
    /// Applied to the output; changes no count.
    pub activation: String,
    /// Whether a bias vector is added.
    pub use_bias: bool,
    /// Penalty on the kernel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_regularizer: Option<Regularizer>,
    /// Penalty on the bias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias_regularizer: Option<Regularizer>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the weights.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Dense {
    fn default() -> Self {
        Self {
            units: 32,
            activation: "linear".into(),
            use_bias: true,
            kernel_regularizer: None,
            bias_regularizer: None,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Dense {
    const FACTS: KerasFacts = KerasFacts {
        required: &["units"],
        positional: &["units", "activation", "use_bias"],
        leading: 1,
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

impl Kind for Dense {
    fn auto_name(&self) -> &'static str {
        "dense"
    }

    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let units = positive("units", self.units)?;
        if input.0.is_empty() {
            return Err(LayerError::shape(
                "at least 2-D input (batch, features)",
                input,
                "Dense cannot follow a layer that outputs a scalar per sample",
            ));
        }
        known_last(input, "Dense")?;
        Ok(Output::One(input.with_last(units)))
    }

    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let i = known_last(input, "Dense")?;
        let u = self.units;
        match convention {
            Convention::Keras => sink.put(Weight::new("kernel", &[i, u])),
            Convention::PyTorch => sink.put(Weight::new("weight", &[u, i])),
        }
        if self.use_bias {
            sink.put(Weight::new("bias", &[u]));
        }
        Ok(())
    }

    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let i = known_last(input, "Dense")?;
        let u = self.units;
        let mut e = Explanation::default();
        let weights = mul(&[i, u])?;
        e.step(
            format!(
                "{} a weight for {}",
                counted(u, "the one output has", "every one of the {} outputs has"),
                counted(i, "the one input feature", "each of the {} input features"),
            ),
            format!("{} × {}", thousands(i), thousands(u)),
            weights,
        );
        if self.use_bias {
            e.step(
                "plus one bias per output",
                format!("{} + {}", thousands(weights), thousands(u)),
                add(&[weights, u])?,
            );
        } else {
            e.note("use_bias=False: no bias vector, only the weight matrix.");
        }
        if input.0.len() > 1 {
            e.note(format!(
                "Dense acts on the last axis only: the same {i} × {u} weights are shared across the other axes {input}, so they add no parameters."
            ));
        }
        let other = match convention {
            Convention::Keras => {
                "PyTorch's nn.Linear counts the same; it stores the weight transposed, as (out, in)."
            }
            Convention::PyTorch => {
                "Keras' Dense counts the same; it stores the kernel as (in, out)."
            }
        };
        e.note(other);
        regularizer_notes(
            &mut e,
            &[
                ("kernel_regularizer", self.kernel_regularizer),
                ("bias_regularizer", self.bias_regularizer),
            ],
        );
        Ok(e)
    }

    fn macs(&self, input: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let i = known_last(input, "Dense")?;
        let u = self.units;
        let one = tally.step(
            || {
                format!(
                    "{} {}",
                    counted(u, "the one output sums", "each of the {} outputs sums"),
                    counted(
                        i,
                        "its one input times its weight",
                        "{} inputs times their weights"
                    ),
                )
            },
            || format!("{} × {}", thousands(i), thousands(u)),
            mul(&[i, u])?,
        );
        tally.note(|| "The bias add (one per output) and the activation are not counted: only the weight products are.".into());
        let lead = input.leading();
        if lead.is_empty() {
            return Ok(one);
        }
        let positions = known_product(lead, "size on every axis but the features", input)?;
        let total = mul(&[positions, one])?;
        Ok(tally.step(
            || match lead {
                [_] => format!("Dense on a sequence runs the same weights at each of the {} timesteps", thousands(positions)),
                _ => format!("the same weights run at each of the {} positions of {input} (every axis but the last)", thousands(positions)),
            },
            || format!("{} × {}", thousands(positions), thousands(one)),
            total,
        ))
    }
    fn brief(&self) -> String {
        let mut s = format!("Dense {}", self.units);
        push_activation(&mut s, &self.activation);
        if !self.use_bias {
            s.push_str(" no-bias");
        }
        s
    }

    fn knob(&self) -> Option<Knob> {
        Some(Knob {
            field: "units",
            value: KnobValue::Count(self.units),
        })
    }

    fn set_knob(&mut self, value: KnobValue) {
        if let KnobValue::Count(v) = value {
            self.units = v.max(1);
        }
    }

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    fn set_name(&mut self, name: Option<String>) {
        self.name = name;
    }

    fn trainable(&self) -> bool {
        self.trainable
    }
}

/// `one` when `n` is 1, else `many` with `n` in place of its `{}`: "the one output", not
/// "the 1 outputs" (Dense(1) ends most binary classifiers and regressions).
fn counted(n: u64, one: &str, many: &str) -> String {
    match n {
        1 => one.to_string(),
        n => many.replacen("{}", &thousands(n), 1),
    }
}
