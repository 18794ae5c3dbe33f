//! LSTM, GRU and SimpleRNN as `nn.LSTM`, `nn.GRU` and `nn.RNN`, and the forward steps that
//! give Keras' outputs (the last timestep or the sequence, final states, both directions).
//! Where Keras computes what those modules cannot (other activations, GRU's reset gate
//! before the recurrent product), a small `KerasRNN` module with the same layout does it.

use super::{RecurrentOf, TorchKind, Writer, activation, features, label};
use crate::interop::export_keras::python_str;
use crate::model::Row;
use crate::model::layers::{Gru, Lstm, SimpleRnn};

/// The PyTorch view of a Keras recurrent layer (the three kinds share these fields).
macro_rules! recurrent_spec {
    ($l:expr, $module:literal, $features:expr, $nonlinearity:expr, $merge:expr) => {
        Recurrent {
            module: $module,
            input: $features,
            units: $l.units,
            use_bias: $l.use_bias,
            return_sequences: $l.return_sequences,
            return_state: $l.return_state,
            go_backwards: $l.go_backwards,
            dropout: $l.dropout,
            recurrent_dropout: $l.recurrent_dropout,
            nonlinearity: $nonlinearity,
            bidirectional: $merge,
            keras: None,
        }
    };
}

/// The penalties a recurrent layer sets, for the notes.
macro_rules! recurrent_regularizers {
    ($l:expr) => {
        [
            (
                "kernel_regularizer",
                $l.kernel_regularizer.map(|r| r.to_string()),
            ),
            (
                "recurrent_regularizer",
                $l.recurrent_regularizer.map(|r| r.to_string()),
            ),
            (
                "bias_regularizer",
                $l.bias_regularizer.map(|r| r.to_string()),
            ),
        ]
    };
}

/// How Keras' merge modes combine a bidirectional layer's forward and backward outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// `concat`: features side by side (PyTorch's own layout).
    Concat,
    /// `sum`: element-wise sum.
    Sum,
    /// `ave`: element-wise mean.
    Ave,
    /// `mul`: element-wise product.
    Mul,
    /// `None`: both outputs, separately.
    Separate,
}

/// The recurrent layer as PyTorch builds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recurrent<'a> {
    /// `LSTM`, `GRU` or `RNN`.
    pub module: &'static str,
    /// Input features.
    pub input: u64,
    /// Hidden units.
    pub units: u64,
    /// Bias vectors on the gates.
    pub use_bias: bool,
    /// Keras' `return_sequences`.
    pub return_sequences: bool,
    /// Keras' `return_state`: the final state(s) follow the output, as a tuple.
    pub return_state: bool,
    /// Keras' `go_backwards`.
    pub go_backwards: bool,
    /// Dropout on the inputs, in training.
    pub dropout: f64,
    /// Dropout on the recurrent state, in training (PyTorch has none).
    pub recurrent_dropout: f64,
    /// `nonlinearity=` for `nn.RNN`.
    pub nonlinearity: Option<&'a str>,
    /// `Some` for a Bidirectional wrapper, with its merge mode.
    pub bidirectional: Option<Merge>,
    /// `Some` where the layer needs Keras' own arithmetic (`KerasRNN`) rather than `nn.*`.
    pub keras: Option<KerasArithmetic>,
}

/// What a `KerasRNN` module computes that `nn.LSTM`, `nn.GRU` and `nn.RNN` cannot.
#[derive(Debug, Clone, PartialEq)]
pub struct KerasArithmetic {
    /// The output activation as a PyTorch expression of `x`.
    pub activation: String,
    /// The gate activation as a PyTorch expression of `x`.
    pub recurrent_activation: String,
    /// GRU's `reset_after`: false applies the reset gate before the recurrent product.
    pub reset_after: bool,
}

/// Keras' arithmetic for these activations, or why PyTorch cannot compute one of them.
fn keras_arithmetic(
    act: &str,
    recurrent: &str,
    reset_after: bool,
) -> Result<KerasArithmetic, String> {
    let expr = |name: &str| {
        activation(name, "x").ok_or_else(|| {
            format!("Keras' {name:?} activation needs arguments a recurrent layer cannot give it, so Keras fails when the layer is called")
        })
    };
    Ok(KerasArithmetic {
        activation: expr(act)?,
        recurrent_activation: expr(recurrent)?,
        reset_after,
    })
}

/// Keras' LSTM, GRU and SimpleRNN with any activations and GRU's `reset_after=False`, with the
/// parameters of `nn.LSTM`, `nn.GRU` and `nn.RNN` (same names, shapes and gate order), and the
/// same call: `batch_first`, output and final states, both directions when bidirectional.
pub(super) const KERAS_RNN: &str = r#"class KerasRNN(nn.Module):
    """Keras' recurrent arithmetic where nn.LSTM/nn.GRU/nn.RNN differ, in their layout."""

    def __init__(self, mode, input_size, hidden_size, batch_first=True, bias=True,
                 bidirectional=False, activation=torch.tanh,
                 recurrent_activation=torch.sigmoid, reset_after=True):
        super().__init__()
        self.mode, self.reset_after = mode, reset_after
        self.activation, self.recurrent_activation = activation, recurrent_activation
        gates = {"LSTM": 4, "GRU": 3, "RNN": 1}[mode] * hidden_size
        self.directions = ["", "_reverse"] if bidirectional else [""]
        for s in self.directions:
            self.register_parameter("weight_ih_l0" + s, nn.Parameter(torch.randn(gates, input_size) * 0.05))
            self.register_parameter("weight_hh_l0" + s, nn.Parameter(torch.randn(gates, hidden_size) * 0.05))
            if bias:
                self.register_parameter("bias_ih_l0" + s, nn.Parameter(torch.zeros(gates)))
                # Keras' GRU without reset_after keeps one bias, on the input side.
                if mode != "GRU" or reset_after:
                    self.register_parameter("bias_hh_l0" + s, nn.Parameter(torch.zeros(gates)))

    def step(self, x, h, c, s):
        w_hh = getattr(self, "weight_hh_l0" + s)
        gi = x @ getattr(self, "weight_ih_l0" + s).T
        if hasattr(self, "bias_ih_l0" + s):
            gi = gi + getattr(self, "bias_ih_l0" + s)
        b_hh = getattr(self, "bias_hh_l0" + s, None)
        act, rec = self.activation, self.recurrent_activation
        if self.mode == "GRU" and not self.reset_after:
            r_w, z_w, n_w = w_hh.chunk(3)
            i_r, i_z, i_n = gi.chunk(3, dim=-1)
            r = rec(i_r + h @ r_w.T)
            z = rec(i_z + h @ z_w.T)
            return z * h + (1 - z) * act(i_n + (r * h) @ n_w.T), c
        gh = h @ w_hh.T
        if b_hh is not None:
            gh = gh + b_hh
        if self.mode == "RNN":
            return act(gi + gh), c
        if self.mode == "GRU":
            i_r, i_z, i_n = gi.chunk(3, dim=-1)
            h_r, h_z, h_n = gh.chunk(3, dim=-1)
            r, z = rec(i_r + h_r), rec(i_z + h_z)
            return z * h + (1 - z) * act(i_n + r * h_n), c
        i, f, g, o = (gi + gh).chunk(4, dim=-1)
        c = rec(f) * c + rec(i) * act(g)
        return rec(o) * act(c), c

    def run(self, x, s):
        h = x.new_zeros(x.shape[0], getattr(self, "weight_hh_l0" + s).shape[1])
        c = h
        out = []
        for t in range(x.shape[1]):
            h, c = self.step(x[:, t], h, c, s)
            out.append(h)
        return torch.stack(out, dim=1), h, c

    def forward(self, x):
        out, h, c = self.run(x, "")
        outs, hs, cs = [out], [h], [c]
        if len(self.directions) == 2:
            out, h, c = self.run(torch.flip(x, dims=[1]), "_reverse")
            outs.append(torch.flip(out, dims=[1]))
            hs.append(h)
            cs.append(c)
        h_n, c_n = torch.stack(hs), torch.stack(cs)
        return torch.cat(outs, dim=-1), ((h_n, c_n) if self.mode == "LSTM" else h_n)


"#;

impl TorchKind for Lstm {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.recurrent_kind(row, self, None);
    }

    fn recurrent(&self, features: u64, merge: Option<Merge>) -> Result<RecurrentOf<'_>, String> {
        let mut spec = recurrent_spec!(self, "LSTM", features, None, merge);
        if self.activation != "tanh" || self.recurrent_activation != "sigmoid" {
            spec.keras = Some(keras_arithmetic(
                &self.activation,
                &self.recurrent_activation,
                true,
            )?);
        }
        Ok((spec, self.trainable, recurrent_regularizers!(self).to_vec()))
    }
}

impl TorchKind for Gru {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.recurrent_kind(row, self, None);
    }

    fn recurrent(&self, features: u64, merge: Option<Merge>) -> Result<RecurrentOf<'_>, String> {
        let mut spec = recurrent_spec!(self, "GRU", features, None, merge);
        if !self.reset_after || self.activation != "tanh" || self.recurrent_activation != "sigmoid"
        {
            spec.keras = Some(keras_arithmetic(
                &self.activation,
                &self.recurrent_activation,
                self.reset_after,
            )?);
        }
        Ok((spec, self.trainable, recurrent_regularizers!(self).to_vec()))
    }
}

impl TorchKind for SimpleRnn {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.recurrent_kind(row, self, None);
    }

    fn recurrent(&self, features: u64, merge: Option<Merge>) -> Result<RecurrentOf<'_>, String> {
        let plain = self.activation == "tanh" || self.activation == "relu";
        let mut spec =
            recurrent_spec!(self, "RNN", features, Some(self.activation.as_str()), merge);
        if !plain {
            spec.nonlinearity = None;
            spec.keras = Some(keras_arithmetic(&self.activation, "sigmoid", true)?);
        }
        Ok((spec, self.trainable, recurrent_regularizers!(self).to_vec()))
    }
}

impl Writer {
    /// A recurrent kind, run both ways when `merge` is given: its module, or why PyTorch has
    /// none.
    pub(super) fn recurrent_kind(&mut self, row: &Row, kind: &dyn TorchKind, merge: Option<Merge>) {
        match kind.recurrent(features(row), merge) {
            Ok((spec, trainable, regs)) => self.recurrent(row, &spec, trainable, &regs),
            Err(why) => self.no_equivalent(&label(row), &why),
        }
    }

    /// An `nn.LSTM` / `nn.GRU` / `nn.RNN` with `batch_first=True`, and the forward step that
    /// gives Keras' output: the whole sequence, or the last timestep.
    fn recurrent(
        &mut self,
        row: &Row,
        r: &Recurrent,
        trainable: bool,
        regularizers: &[(&str, Option<String>)],
    ) {
        let a = self.attr(&row.name);
        let call = match self.recurrent_call(&a, r) {
            Ok(call) => call,
            Err(why) => return self.no_equivalent(&label(row), &why),
        };
        self.helpers.keras_rnn |= r.keras.is_some();
        let (init, forward) = recurrent_lines(&a, r, &call);
        self.init.extend(init);
        self.freeze(&a, trainable);
        self.regularizer_notes(&a, regularizers);
        self.forward.extend(forward);
    }

    /// How the forward pass calls the module `a` on `x`: with the call's initial state
    /// (PyTorch's `(directions, batch, units)` tensors stacked from Keras' list) and its mask
    /// (a step at a time, as Keras runs a masked sequence), or why it cannot.
    fn recurrent_call(&mut self, a: &str, r: &Recurrent) -> Result<String, String> {
        let state = match &self.initial_state {
            None => None,
            Some(tensors) => Some(initial_state(r, tensors)?),
        };
        let Some(mask) = &self.mask else {
            return Ok(match state {
                None => format!("self.{a}(x)"),
                Some(s) => format!("self.{a}(x, {s})"),
            });
        };
        if r.keras.is_some() || r.go_backwards {
            return Err(
                "Keras masks steps here (after Embedding(mask_zero=True) or Masking); the mask is written for nn.LSTM, nn.GRU and nn.RNN reading forwards or both ways, not for this layer".into(),
            );
        }
        self.helpers.masked_rnn = true;
        let helper = if r.bidirectional.is_some() {
            self.helpers.masked_birnn = true;
            "keras_masked_birnn"
        } else {
            "keras_masked_rnn"
        };
        Ok(match state {
            None => format!("{helper}(self.{a}, x, {mask})"),
            Some(s) => format!("{helper}(self.{a}, x, {mask}, {s})"),
        })
    }
}

/// Keras' `initial_state` list (per direction: h, then c for an LSTM) as the state PyTorch's
/// recurrent modules take, or why it does not fit.
fn initial_state(r: &Recurrent, tensors: &[String]) -> Result<String, String> {
    if r.keras.is_some() {
        return Err("initial_state= is not written for KerasRNN (the module for Keras-only activations or GRU's reset_after=False)".into());
    }
    let lstm = r.module == "LSTM";
    let per_direction = if lstm { 2 } else { 1 };
    let directions = if r.bidirectional.is_some() { 2 } else { 1 };
    if tensors.len() != per_direction * directions {
        return Err(format!(
            "initial_state= holds {} tensors; this layer takes {}: pass h{} per direction",
            tensors.len(),
            per_direction * directions,
            if lstm { " and c" } else { "" }
        ));
    }
    let stacked = |j: usize| {
        let items: Vec<&str> = (0..directions)
            .map(|d| tensors[d * per_direction + j].as_str())
            .collect();
        match items.as_slice() {
            [one] => format!("{one}.unsqueeze(0)"),
            _ => format!("torch.stack([{}])", items.join(", ")),
        }
    };
    Ok(if lstm {
        format!("({}, {})", stacked(0), stacked(1))
    } else {
        stacked(0)
    })
}

/// Keras' recurrent layers on a masked sequence: a step at a time, a masked step keeping the
/// state and repeating the previous output (zeros before the first unmasked step).
pub(super) const KERAS_MASKED_RNN: &str = r#"def keras_masked_rnn(rnn, x, mask, state=None):
    """Runs a batch_first nn.LSTM/GRU/RNN as Keras runs it under a mask: masked steps change nothing."""
    outs, out = [], None
    for t in range(x.shape[1]):
        y, new = rnn(x[:, t:t + 1], state)
        keep = mask[:, t].view(1, -1, 1)
        if state is None:
            state = tuple(torch.zeros_like(s) for s in new) if isinstance(new, tuple) else torch.zeros_like(new)
        if isinstance(new, tuple):
            state = tuple(torch.where(keep, n, s) for n, s in zip(new, state))
        else:
            state = torch.where(keep, new, state)
        y = y[:, 0]
        out = torch.where(keep[0], y, torch.zeros_like(y) if out is None else out)
        outs.append(out)
    return torch.stack(outs, dim=1), state


"#;

/// Keras' `Bidirectional` on a masked sequence: each direction as [`KERAS_MASKED_RNN`] runs
/// it, on one-way modules holding the bidirectional module's weights; the backward direction
/// reads the sequence and its mask reversed, as Keras' does, and its outputs are turned back.
/// Returns what the bidirectional module returns.
pub(super) const KERAS_MASKED_BIRNN: &str = r#"def keras_masked_birnn(rnn, x, mask, state=None):
    """Runs a bidirectional batch_first nn.LSTM/GRU/RNN as Keras' Bidirectional runs it under a mask."""
    extra = {"nonlinearity": rnn.nonlinearity} if type(rnn) is nn.RNN else {}
    outs, finals = [], []
    for d, suffix in enumerate(["", "_reverse"]):
        one = type(rnn)(rnn.input_size, rnn.hidden_size, bias=rnn.bias, batch_first=True, **extra).to(x.device)
        for name in ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]:
            if hasattr(rnn, name + suffix):
                setattr(one, name, getattr(rnn, name + suffix))
        start = None if state is None else tuple(s[d:d + 1] for s in state) if isinstance(state, tuple) else state[d:d + 1]
        xs, ms = (x, mask) if d == 0 else (x.flip(1), mask.flip(1))
        y, final = keras_masked_rnn(one, xs, ms, start)
        outs.append(y if d == 0 else y.flip(1))
        finals.append(final)
    if isinstance(finals[0], tuple):
        return torch.cat(outs, dim=-1), tuple(torch.cat(parts, dim=0) for parts in zip(*finals))
    return torch.cat(outs, dim=-1), torch.cat(finals, dim=0)


"#;

/// The `__init__` and `forward` lines for a recurrent layer called `a`.
pub fn recurrent_code(a: &str, r: &Recurrent) -> (Vec<String>, Vec<String>) {
    recurrent_lines(a, r, &format!("self.{a}(x)"))
}

/// [`recurrent_code`], the module called as `call` (with a state or a mask in a graph).
#[expect(
    clippy::too_many_lines,
    reason = "a few lines per merge mode and return option, checked side by side"
)]
fn recurrent_lines(a: &str, r: &Recurrent, call: &str) -> (Vec<String>, Vec<String>) {
    let mut init = Vec::new();
    let mut forward = Vec::new();
    let mut args = format!("{}, {}, batch_first=True", r.input, r.units);
    if !r.use_bias {
        args.push_str(", bias=False");
    }
    if let Some(n) = r.nonlinearity.filter(|n| *n != "tanh") {
        args.push_str(&format!(", nonlinearity={}", python_str(n)));
    }
    if r.bidirectional.is_some() {
        args.push_str(", bidirectional=True");
    }
    if r.dropout > 0.0 {
        init.push(format!(
            "self.{a}_input_dropout = nn.Dropout(p={:?})  # Keras' dropout= on the inputs (Keras reuses one mask for every timestep)",
            r.dropout
        ));
        forward.push(format!("x = self.{a}_input_dropout(x)"));
    }
    if r.recurrent_dropout > 0.0 {
        init.push(format!(
            "# recurrent_dropout={:?}: nn.{} has no dropout on the recurrent state; it only acts in training, so inference and counts are unchanged",
            r.recurrent_dropout, r.module
        ));
    }
    match &r.keras {
        None => init.push(format!("self.{a} = nn.{}({args})", r.module)),
        Some(k) => {
            let reset = if k.reset_after || r.module != "GRU" {
                String::new()
            } else {
                ", reset_after=False".into()
            };
            init.push(format!(
                "self.{a} = KerasRNN({}, {args}, activation=lambda x: {}, recurrent_activation=lambda x: {}{reset})  # nn.{} has other activations or applies GRU's reset gate after the recurrent product",
                python_str(r.module),
                k.activation,
                k.recurrent_activation,
                r.module
            ));
        }
    }
    if r.go_backwards {
        forward.push(
            "x = torch.flip(x, dims=[1])  # go_backwards=True: read the sequence from the end"
                .to_string(),
        );
    }
    let h = r.units;
    let lstm = r.module == "LSTM";
    // The final states Keras' return_state=True appends, in its order: per direction, h then
    // (LSTM) c; PyTorch stacks the directions on the first axis of h_n and c_n.
    let states = |directions: usize| {
        (0..directions)
            .flat_map(|d| {
                let mut s = vec![format!("h_n[{d}]")];
                if lstm {
                    s.push(format!("c_n[{d}]"));
                }
                s
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let state_names = if r.return_state && lstm {
        "(h_n, c_n)"
    } else if r.return_state {
        "h_n"
    } else {
        "_"
    };
    match (r.bidirectional, r.return_sequences) {
        (None, true) => forward.push(format!(
            "x, {state_names} = {call}  # return_sequences=True: every timestep"
        )),
        (None, false) => {
            forward.push(format!("x, {state_names} = {call}"));
            forward
                .push("x = x[:, -1, :]  # return_sequences=False: the last timestep only".into());
        }
        (Some(merge), seq) => {
            if seq {
                forward.push(format!("out, {state_names} = {call}"));
                forward.push(format!(
                    "fwd, bwd = out[..., :{h}], out[..., {h}:]  # forward and backward halves, each timestep"
                ));
            } else {
                let h_n = match (lstm, r.return_state) {
                    (true, true) => "(h_n, c_n)",
                    (true, false) => "(h_n, _)",
                    (false, _) => "h_n",
                };
                forward.push(format!("_, {h_n} = {call}"));
                forward.push(
                    "fwd, bwd = h_n[0], h_n[1]  # each direction's final state (the backward one has read the whole sequence)"
                        .into(),
                );
            }
            forward.push(match merge {
                Merge::Concat => {
                    "x = torch.cat([fwd, bwd], dim=-1)  # merge_mode=\"concat\"".into()
                }
                Merge::Sum => "x = fwd + bwd  # merge_mode=\"sum\"".into(),
                Merge::Ave => "x = (fwd + bwd) / 2  # merge_mode=\"ave\"".into(),
                Merge::Mul => "x = fwd * bwd  # merge_mode=\"mul\"".into(),
                Merge::Separate => "x = (fwd, bwd)  # merge_mode=None: both outputs".into(),
            });
        }
    }
    if r.return_state {
        let (directions, outputs) = match r.bidirectional {
            None => (1, "x"),
            Some(Merge::Separate) => (2, "*x"),
            Some(_) => (2, "x"),
        };
        forward.push(format!(
            "x = ({outputs}, {})  # return_state=True: the output, then the final state(s)",
            states(directions)
        ));
    }
    (init, forward)
}
