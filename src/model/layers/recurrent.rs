//! LSTM, GRU and SimpleRNN: one gate is a dense layer over `[h(t-1), x(t)]`; the kinds differ
//! in how many gates they have and how many bias vectors each gate carries.

use serde::{Deserialize, Serialize};
use smallvec::smallvec;

use super::{
    Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, NONE_NOTE, Regularizer,
    is_false, is_true, positive, regularizer_notes, yes,
};
use crate::model::compute::{Tally, known};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, add, mul, sum_weights};

/// The arithmetic that tells the recurrent kinds apart.
pub(crate) struct Cell {
    /// Keras class name.
    pub class: &'static str,
    /// Keras' automatic name base.
    pub auto_name: &'static str,
    /// Gate count (4, 3 or 1).
    pub gates: u64,
    /// The gates' names, for the derivation.
    pub gate_names: &'static str,
    /// Bias vectors per gate in Keras (GRU with `reset_after` has 2).
    pub keras_biases: u64,
    /// Bias vectors per gate in PyTorch: `nn.LSTM`, `nn.GRU` and `nn.RNN` keep two; Keras'
    /// GRU without `reset_after`, which no `nn` module computes, is exported as a module of
    /// its own with Keras' one.
    pub pytorch_biases: u64,
    /// Why the PyTorch export writes a module of its own for this cell, if it does.
    pub pytorch_note: Option<&'static str>,
    /// The final states `return_state=True` adds to the output: "h" for most, "h" and "c"
    /// for LSTM.
    pub states: &'static [&'static str],
}

/// Fields every Keras recurrent layer has.
macro_rules! recurrent_struct {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $ty:ty = $default:expr),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// Size of the hidden state (and of each gate).
            pub units: u64,
            /// Output activation; changes no count.
            pub activation: String,
            /// Whether gates carry bias vectors.
            pub use_bias: bool,
            /// True: output every timestep `(batch, timesteps, units)`; false: only the last.
            pub return_sequences: bool,
            /// True: also output the final state(s), each `(batch, units)`, as a list.
            #[serde(skip_serializing_if = "is_false")]
            pub return_state: bool,
            /// Process the sequence backwards; changes no count.
            pub go_backwards: bool,
            /// Dropout on the inputs while training; changes no count.
            pub dropout: f64,
            /// Dropout on the recurrent state while training; changes no count.
            pub recurrent_dropout: f64,
            /// Penalty on the input kernel.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub kernel_regularizer: Option<Regularizer>,
            /// Penalty on the recurrent kernel.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub recurrent_regularizer: Option<Regularizer>,
            /// Penalty on the biases.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub bias_regularizer: Option<Regularizer>,
            $($(#[$fdoc])* pub $field: $ty,)*
            /// A name instead of Keras' automatic one.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub name: Option<String>,
            /// False freezes the weights.
            #[serde(default = "yes", skip_serializing_if = "is_true")]
            pub trainable: bool,
        }

        impl Default for $name {
            fn default() -> Self {
                Self {
                    units: 32,
                    activation: "tanh".into(),
                    use_bias: true,
                    return_sequences: false,
                    return_state: false,
                    go_backwards: false,
                    dropout: 0.0,
                    recurrent_dropout: 0.0,
                    kernel_regularizer: None,
                    recurrent_regularizer: None,
                    bias_regularizer: None,
                    $($field: $default,)*
                    name: None,
                    trainable: true,
                }
            }
        }

        impl Kind for $name {
            fn auto_name(&self) -> &'static str {
                self.cell().auto_name
            }
            fn output(&self, input: &Shape) -> Result<Output, LayerError> {
                let cell = self.cell();
                let out = rnn_output(cell.class, self.units, self.return_sequences, input)?;
                Ok(with_states(out, &cell, self.units, self.return_state))
            }
            fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
                rnn_weights(&self.cell(), input_features(input)?, self.units, self.use_bias, convention, sink)
            }
            fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
                let mut e = rnn_explain(&self.cell(), input, self.units, self.use_bias, self.return_sequences, convention)?;
                regularizer_notes(&mut e, &[
                    ("kernel_regularizer", self.kernel_regularizer),
                    ("recurrent_regularizer", self.recurrent_regularizer),
                    ("bias_regularizer", self.bias_regularizer),
                ]);
                if self.return_state {
                    e.note(state_note(&self.cell(), self.units));
                }
                if self.dropout > 0.0 || self.recurrent_dropout > 0.0 {
                    e.note("dropout and recurrent_dropout only zero activations while training: no parameters.");
                }
                Ok(e)
            }
            fn macs(&self, input: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
                rnn_macs(&self.cell(), input, self.units, tally)
            }
            fn brief(&self) -> String {
                let mut s = format!("{} {}", self.cell().class, self.units);
                if self.return_sequences {
                    s.push_str(" seq");
                }
                if self.return_state {
                    s.push_str(" state");
                }
                if !self.use_bias {
                    s.push_str(" no-bias");
                }
                if let Some(r) = self.recurrent_regularizer.or(self.kernel_regularizer) {
                    s.push_str(&format!(" {r}"));
                }
                s
            }
            fn knob(&self) -> Option<Knob> {
                Some(Knob { field: "units", value: KnobValue::Count(self.units) })
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
            fn go_backwards(&self) -> Option<bool> {
                Some(self.go_backwards)
            }
            fn drops_time_axis(&self) -> bool {
                !self.return_sequences
            }
        }
    };
}

recurrent_struct!(
    /// `keras.layers.LSTM`.
    Lstm {
        /// Gate activation; changes no count.
        recurrent_activation: String = "sigmoid".into(),
        /// Initialise the forget gate's bias to 1; changes no count.
        unit_forget_bias: bool = true,
    }
);

recurrent_struct!(
    /// `keras.layers.GRU`.
    Gru {
        /// Gate activation; changes no count.
        recurrent_activation: String = "sigmoid".into(),
        /// Apply the reset gate after the recurrent matmul (Keras 3 and cuDNN default): a second
        /// bias vector per gate.
        reset_after: bool = true,
    }
);

recurrent_struct!(
    /// `keras.layers.SimpleRNN`.
    SimpleRnn {}
);

impl Keras for Lstm {
    const FACTS: KerasFacts = KerasFacts {
        aliases: &["CuDNNLSTM"],
        required: &["units"],
        positional: &["units", "activation", "recurrent_activation", "use_bias"],
        leading: 1,
        mask: MaskUse::TakesAndPasses,
        ..KerasFacts::PLAIN
    };
}

impl Keras for Gru {
    const FACTS: KerasFacts = KerasFacts {
        aliases: &["CuDNNGRU"],
        required: &["units"],
        positional: &["units", "activation", "recurrent_activation", "use_bias"],
        leading: 1,
        mask: MaskUse::TakesAndPasses,
        ..KerasFacts::PLAIN
    };
}

impl Keras for SimpleRnn {
    const FACTS: KerasFacts = KerasFacts {
        required: &["units"],
        positional: &["units", "activation", "use_bias"],
        leading: 1,
        mask: MaskUse::TakesAndPasses,
        ..KerasFacts::PLAIN
    };
}

impl Lstm {
    pub(crate) fn cell(&self) -> Cell {
        Cell {
            class: self.class(),
            auto_name: "lstm",
            gates: 4,
            gate_names: "input, forget, cell candidate, output",
            keras_biases: 1,
            pytorch_biases: 2,
            pytorch_note: None,
            states: &["h", "c"],
        }
    }
}

impl Gru {
    pub(crate) fn cell(&self) -> Cell {
        Cell {
            class: self.class(),
            auto_name: "gru",
            gates: 3,
            gate_names: "update, reset, candidate",
            keras_biases: if self.reset_after { 2 } else { 1 },
            pytorch_biases: if self.reset_after { 2 } else { 1 },
            pytorch_note: (!self.reset_after).then_some(
                "PyTorch has no GRU with reset_after=False: nn.GRU always applies the reset gate after the recurrent matmul (Keras' reset_after=True), so the PyTorch export writes a small module with Keras' arithmetic and its one bias vector per gate.",
            ),
            states: &["h"],
        }
    }
}

impl SimpleRnn {
    pub(crate) fn cell(&self) -> Cell {
        Cell {
            class: self.class(),
            auto_name: "simple_rnn",
            gates: 1,
            gate_names: "the single tanh update",
            keras_biases: 1,
            pytorch_biases: 2,
            pytorch_note: None,
            states: &["h"],
        }
    }
}

/// The features each timestep carries.
fn input_features(input: &Shape) -> Result<u64, LayerError> {
    super::known_last(input, "the recurrent layer")
}

/// Recurrent layers take `(batch, timesteps, features)`.
pub(crate) fn rnn_output(
    class: &str,
    units: u64,
    return_sequences: bool,
    input: &Shape,
) -> Result<Output, LayerError> {
    let units = positive("units", units)?;
    if input.ndim() != 3 {
        return Err(LayerError::shape(
            "3-D input (batch, timesteps, features)",
            input,
            format!(
                "{class} reads a sequence: put it after the input, a layer that keeps the time axis, or a recurrent layer with return_sequences=True"
            ),
        ));
    }
    input_features(input)?;
    Ok(Output::One(if return_sequences {
        Shape(smallvec![input.0[0], Some(units)])
    } else {
        Shape(smallvec![Some(units)])
    }))
}

/// The output with `return_state=True`: the usual output followed by one `(units,)` tensor
/// per final state, as Keras returns them.
pub(crate) fn with_states(output: Output, cell: &Cell, units: u64, return_state: bool) -> Output {
    match output {
        Output::One(main) if return_state => {
            let mut all = Vec::with_capacity(1 + cell.states.len());
            all.push(main);
            all.extend(cell.states.iter().map(|_| Shape(smallvec![Some(units)])));
            Output::Many(all)
        }
        other => other,
    }
}

/// What `return_state=True` changes, for the derivation.
fn state_note(cell: &Cell, units: u64) -> String {
    format!(
        "return_state=True: {} also returns its final state{} ({}), each (None, {units}), after its output: a list of {} tensors and no extra parameters. In a Sequential model only a merge or a layer applied to each tensor (Dropout, Activation, ReLU, ...) takes such a list; any other next layer is refused.",
        cell.class,
        if cell.states.len() > 1 { "s" } else { "" },
        cell.states.join(", "),
        cell.states.len() + 1
    )
}

/// The weights of one direction of a recurrent layer.
pub(crate) fn rnn_weights(
    cell: &Cell,
    i: u64,
    h: u64,
    use_bias: bool,
    convention: Convention,
    sink: Sink,
) -> Result<(), LayerError> {
    let gh = mul(&[cell.gates, h])?;
    match convention {
        Convention::Keras => {
            sink.put(Weight::new("kernel", &[i, gh]));
            sink.put(Weight::new("recurrent_kernel", &[h, gh]));
            if use_bias {
                if cell.keras_biases == 2 {
                    sink.put(Weight::new("bias", &[2, gh]));
                } else {
                    sink.put(Weight::new("bias", &[gh]));
                }
            }
        }
        Convention::PyTorch => {
            sink.put(Weight::new("weight_ih_l0", &[gh, i]));
            sink.put(Weight::new("weight_hh_l0", &[gh, h]));
            if use_bias {
                sink.put(Weight::new("bias_ih_l0", &[gh]));
                if cell.pytorch_biases == 2 {
                    sink.put(Weight::new("bias_hh_l0", &[gh]));
                }
            }
        }
    }
    Ok(())
}

/// Count of one direction in a convention, for the "other convention" note.
pub(crate) fn rnn_count(
    cell: &Cell,
    i: u64,
    h: u64,
    use_bias: bool,
    convention: Convention,
) -> Result<u64, LayerError> {
    sum_weights(false, |sink| {
        rnn_weights(cell, i, h, use_bias, convention, sink)
    })?
    .total()
}

/// The derivation: concat → one gate → × gates.
pub(crate) fn rnn_explain(
    cell: &Cell,
    input: &Shape,
    h: u64,
    use_bias: bool,
    return_sequences: bool,
    convention: Convention,
) -> Result<Explanation, LayerError> {
    let i = input_features(input)?;
    let mut e = Explanation::default();
    let concat = add(&[h, i])?;
    e.step(
        "each gate sees [h(t-1), x(t)]: the previous hidden state joined to this timestep's input",
        format!("{} + {}", thousands(h), thousands(i)),
        concat,
    );
    let biases = match convention {
        Convention::Keras => cell.keras_biases,
        Convention::PyTorch => cell.pytorch_biases,
    };
    let weights = mul(&[concat, h])?;
    let gate = if use_bias {
        add(&[weights, mul(&[biases, h])?])?
    } else {
        weights
    };
    let bias_expr = match (use_bias, biases) {
        (false, _) => String::new(),
        (true, 1) => format!(" + {}", thousands(h)),
        (true, b) => format!(" + {b} × {}", thousands(h)),
    };
    let bias_words = match (use_bias, biases) {
        (false, _) => "weights, no bias (use_bias=False)".to_string(),
        (true, 1) => "weights + one bias vector".to_string(),
        (true, _) => "weights + two bias vectors (input and recurrent)".to_string(),
    };
    e.step(
        format!(
            "one gate is a dense layer from {} inputs to {} units: {bias_words}",
            thousands(concat),
            thousands(h)
        ),
        format!("{} × {}{bias_expr}", thousands(concat), thousands(h)),
        gate,
    );
    let total = mul(&[cell.gates, gate])?;
    if cell.gates > 1 {
        e.step(
            format!(
                "{} has {} gates ({})",
                cell.class, cell.gates, cell.gate_names
            ),
            format!("{} × {}", cell.gates, thousands(gate)),
            total,
        );
    }
    if return_sequences {
        e.note(format!(
            "return_sequences=True: the output keeps the time axis (None, {}, {h}), one hidden state per timestep.",
            input.0[0].map_or("None".to_string(), |t| t.to_string())
        ));
    } else {
        e.note(format!(
            "return_sequences=False: only the last timestep's hidden state comes out, (None, {h}). A following recurrent layer needs return_sequences=True here."
        ));
    }
    e.note(format!(
        "The weights are shared by every timestep: the sequence length ({}) does not change the count.",
        input.0[0].map_or("None".to_string(), |t| t.to_string())
    ));
    e.note(NONE_NOTE);
    let other = convention.other();
    match rnn_count(cell, i, h, use_bias, other) {
        Ok(n) => {
            let fewer = use_bias && cell.keras_biases < cell.pytorch_biases;
            let why = match other {
                Convention::PyTorch if fewer => format!(
                    "PyTorch keeps two bias vectors per gate (b_ih and b_hh, for cuDNN compatibility), {} × {h} = +{} more",
                    cell.gates,
                    thousands(cell.gates.saturating_mul(h))
                ),
                Convention::Keras if fewer => format!(
                    "Keras keeps one bias vector per gate where PyTorch keeps two ({} × {h} fewer)",
                    cell.gates
                ),
                _ => "the same arithmetic".to_string(),
            };
            e.note(format!("{} counts {}: {why}.", other.label(), thousands(n)));
            if let Some(note) = cell.pytorch_note {
                e.note(note);
            }
        }
        Err(err) => return Err(err),
    }
    Ok(e)
}

/// MACs of one direction: per timestep every gate multiplies `[h(t-1), x(t)]` by its
/// `(i + h) × h` weights; the cell runs once per timestep.
pub(crate) fn rnn_macs(
    cell: &Cell,
    input: &Shape,
    h: u64,
    tally: &mut Tally,
) -> Result<u64, LayerError> {
    let i = input_features(input)?;
    let t = known(input.0.first().copied().flatten(), "sequence length", input)?;
    let gate = tally.step(
        || {
            format!(
                "one gate, one timestep: [h(t-1), x(t)] ({} values) times a {} × {} weight matrix",
                thousands(h.saturating_add(i)),
                thousands(h.saturating_add(i)),
                thousands(h)
            )
        },
        || format!("({} + {}) × {}", thousands(i), thousands(h), thousands(h)),
        mul(&[add(&[i, h])?, h])?,
    );
    let step = mul(&[cell.gates, gate])?;
    if cell.gates > 1 {
        tally.step(
            || format!("{} gates ({})", cell.gates, cell.gate_names),
            || format!("{} × {}", cell.gates, thousands(gate)),
            step,
        );
    }
    let total = mul(&[t, step])?;
    tally.step(
        || {
            format!(
                "the cell runs once per timestep: × {} timesteps",
                thousands(t)
            )
        },
        || format!("{} × {}", thousands(t), thousands(step)),
        total,
    );
    tally.note(|| {
        format!(
            "Bias adds, the activations and the element-wise gate products of the {} cell are not counted: only the weight products are.",
            cell.class
        )
    });
    Ok(total)
}
