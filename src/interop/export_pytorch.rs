//! A design as a runnable PyTorch `nn.Module`: constructors in `__init__`, a `forward` that
//! does what Keras does (last timestep or the whole sequence, bidirectional halves merged),
//! and a header with the counts PyTorch will report. Where PyTorch has no faithful equivalent
//! the code says so and raises `NotImplementedError` instead of guessing.

use crate::interop::export_keras::python_str;
use crate::model::explain::thousands;
use crate::model::layers::Dense;
use crate::model::{Convention, Design, Dtype, Layer, Row, Summary};

/// The generated code and what it could not translate.
#[derive(Debug, Clone, PartialEq)]
pub struct PyTorchExport {
    /// The Python source.
    pub code: String,
    /// One line per layer that has no faithful PyTorch equivalent (the code raises
    /// `NotImplementedError` for it): `gru (GRU): why`.
    pub unsupported: Vec<String>,
}

/// Python source that builds `design` as a PyTorch module and prints its parameter counts.
pub fn pytorch_code(design: &Design) -> String {
    pytorch_export(design).code
}

/// [`pytorch_code`], with the list of layers it could not translate.
pub fn pytorch_export(design: &Design) -> PyTorchExport {
    let summary = Summary::of(design, Convention::PyTorch);
    let mut w = Writer::default();
    let embeds = design
        .layers
        .first()
        .is_some_and(|l| l.kind().class() == "Embedding");
    if design.input.dtype == Dtype::Int32 && !embeds {
        // Keras promotes integer input to float in the first matmul; PyTorch refuses to mix.
        w.forward
            .push("x = x.float()  # integer input, as Keras promotes it".into());
    }
    for (row, layer) in summary.rows.iter().zip(&design.layers) {
        w.layer(row, layer);
    }
    if let Some(err) = &summary.error {
        let why = format!(
            "layer {} ({} {}) does not build: {}",
            err.index + 1,
            err.name,
            err.class,
            err.error
        );
        w.init
            .push(format!("raise ValueError({})", python_str(&why)));
    }
    let class = class_name(&design.name);
    let mut code = header(design, &summary);
    code.push_str("import torch\nimport torch.nn.functional as F\nfrom torch import nn\n\n\n");
    code.push_str(&format!("class {class}(nn.Module):\n"));
    code.push_str("    def __init__(self):\n        super().__init__()\n");
    for line in &w.init {
        code.push_str(&format!("        {line}\n"));
    }
    code.push_str("\n    def forward(self, x):\n");
    for line in &w.forward {
        code.push_str(&format!("        {line}\n"));
    }
    code.push_str("        return x\n\n\n");
    code.push_str(&main_block(design, &class));
    PyTorchExport {
        code,
        unsupported: w.unsupported,
    }
}

fn header(design: &Design, summary: &Summary) -> String {
    let mut h = format!(
        "# PyTorch code for the lstm-tui design {}.\n",
        python_str(&design.name)
    );
    if let Some(err) = &summary.error {
        h.push_str(&format!(
            "# This design does not build (layer {}: {}); the module raises ValueError.\n",
            err.index + 1,
            err.error.to_string().escape_debug()
        ));
        return h;
    }
    let t = summary.totals;
    h.push_str(&format!(
        "# Expected parameter counts (PyTorch convention, sum of p.numel() over model.parameters()):\n#   Total params: {}\n#   Trainable params: {}\n#   Non-trainable params: {}\n",
        t.total().map_or_else(|_| "too many to count".into(), thousands),
        thousands(t.trainable),
        thousands(t.non_trainable)
    ));
    if summary.uncounted > 0 {
        h.push_str(&format!(
            "#   ({} layer(s) have no PyTorch equivalent and are not counted; the module raises NotImplementedError.)\n",
            summary.uncounted
        ));
    }
    h
}

fn main_block(design: &Design, class: &str) -> String {
    let mut dims = vec!["2".to_string()];
    dims.extend(
        design
            .input
            .shape
            .0
            .iter()
            .map(|d| d.map_or("7".to_string(), |d| d.to_string())),
    );
    let dtype = match design.input.dtype {
        Dtype::Float32 => "",
        Dtype::Int32 => ", dtype=torch.long",
    };
    format!(
        "if __name__ == \"__main__\":\n    model = {class}()\n    print(model)\n    total = sum(p.numel() for p in model.parameters())\n    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)\n    print(f\"Total params: {{total:,}}\")\n    print(f\"Trainable params: {{trainable:,}}\")\n    print(f\"Non-trainable params: {{total - trainable:,}}\")\n    x = torch.zeros({}{dtype})\n    y = model(x)\n    shapes = [tuple(t.shape) for t in y] if isinstance(y, tuple) else tuple(y.shape)\n    print(\"Output shape:\", shapes)\n",
        dims.join(", ")
    )
}

/// The PyTorch view of a Keras recurrent layer (the three kinds share these fields).
macro_rules! recurrent_spec {
    ($l:expr, $module:literal, $features:expr, $nonlinearity:expr) => {
        Recurrent {
            module: $module,
            input: $features,
            units: $l.units,
            use_bias: $l.use_bias,
            return_sequences: $l.return_sequences,
            go_backwards: $l.go_backwards,
            dropout: $l.dropout,
            recurrent_dropout: $l.recurrent_dropout,
            nonlinearity: $nonlinearity,
            bidirectional: None,
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
}

#[derive(Debug, Default)]
struct Writer {
    init: Vec<String>,
    forward: Vec<String>,
    unsupported: Vec<String>,
    attrs: Vec<String>,
}

impl Writer {
    fn attr(&mut self, keras_name: &str) -> String {
        let mut a: String = keras_name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if a.is_empty() || a.starts_with(|c: char| c.is_ascii_digit()) || is_reserved(&a) {
            a.insert(0, '_');
        }
        let base = a.clone();
        let mut n = 1;
        while self.attrs.contains(&a) {
            a = format!("{base}_{n}");
            n += 1;
        }
        self.attrs.push(a.clone());
        a
    }

    fn layer(&mut self, row: &Row, layer: &Layer) {
        let label = format!("{} ({})", row.name, row.class);
        let features = row.input.last().flatten().unwrap_or(0);
        match layer {
            Layer::Dense(d) => self.dense(row, d, features),
            Layer::Lstm(l) => {
                if l.activation != "tanh" || l.recurrent_activation != "sigmoid" {
                    return self.no_equivalent(
                        &label,
                        "nn.LSTM always uses tanh and sigmoid; this LSTM sets other activations",
                    );
                }
                let spec = recurrent_spec!(l, "LSTM", features, None);
                self.recurrent(row, &spec, l.trainable, &recurrent_regularizers!(l));
            }
            Layer::Gru(g) => {
                if !g.reset_after {
                    return self.no_equivalent(&label, "PyTorch has no GRU with reset_after=False: nn.GRU always applies the reset gate after the recurrent matmul");
                }
                if g.activation != "tanh" || g.recurrent_activation != "sigmoid" {
                    return self.no_equivalent(
                        &label,
                        "nn.GRU always uses tanh and sigmoid; this GRU sets other activations",
                    );
                }
                let spec = recurrent_spec!(g, "GRU", features, None);
                self.recurrent(row, &spec, g.trainable, &recurrent_regularizers!(g));
            }
            Layer::SimpleRnn(r) => {
                if r.activation != "tanh" && r.activation != "relu" {
                    return self.no_equivalent(
                        &label,
                        "nn.RNN only offers tanh or relu as its nonlinearity",
                    );
                }
                let spec = recurrent_spec!(r, "RNN", features, Some(r.activation.as_str()));
                self.recurrent(row, &spec, r.trainable, &recurrent_regularizers!(r));
            }
            Layer::Dropout(d) => {
                let a = self.attr(&row.name);
                self.init
                    .push(format!("self.{a} = nn.Dropout(p={:?})", d.rate));
                self.forward.push(format!("x = self.{a}(x)"));
            }
            Layer::SpatialDropout1D(d) => {
                let a = self.attr(&row.name);
                self.init.push(format!(
                    "self.{a} = nn.Dropout1d(p={:?})  # drops whole channels, as SpatialDropout1D",
                    d.rate
                ));
                self.forward.push(format!(
                    "x = self.{a}(x.transpose(1, 2)).transpose(1, 2)  # Dropout1d wants (batch, channels, time)"
                ));
            }
            Layer::Activation(act) => match activation(&act.activation, "x") {
                Some(expr) => self
                    .forward
                    .push(format!("x = {expr}  # {}", row.name.escape_debug())),
                None => self.no_equivalent(
                    &label,
                    &format!(
                        "no PyTorch function for the activation {:?}",
                        act.activation
                    ),
                ),
            },
            other => self.no_equivalent(
                &label,
                &format!(
                    "the PyTorch export does not write {} layers",
                    other.kind().class()
                ),
            ),
        }
    }

    /// A layer PyTorch cannot express faithfully: a comment, and code that refuses to run.
    fn no_equivalent(&mut self, label: &str, why: &str) {
        let text = format!("{label}: {why}");
        self.init.push(format!("# {}", text.escape_debug()));
        self.init
            .push(format!("raise NotImplementedError({})", python_str(&text)));
        self.unsupported.push(text);
    }

    fn dense(&mut self, row: &Row, d: &Dense, features: u64) {
        let label = format!("{} ({})", row.name, row.class);
        let Some(apply) = activation(&d.activation, "{}") else {
            return self.no_equivalent(
                &label,
                &format!("no PyTorch function for the activation {:?}", d.activation),
            );
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

    fn freeze(&mut self, attr: &str, trainable: bool) {
        if !trainable {
            self.init.push(format!(
                "self.{attr}.requires_grad_(False)  # trainable=False"
            ));
        }
    }

    fn regularizer_notes(&mut self, attr: &str, regs: &[(&str, Option<String>)]) {
        for (field, reg) in regs {
            if let Some(r) = reg {
                self.init.push(format!(
                    "# {field}={r}: PyTorch modules carry no regularizer; add the penalty on self.{attr}'s weights to the loss"
                ));
            }
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
        let (init, forward) = recurrent_code(&a, r);
        self.init.extend(init);
        self.freeze(&a, trainable);
        self.regularizer_notes(&a, regularizers);
        self.forward.extend(forward);
    }
}

/// The `__init__` and `forward` lines for a recurrent layer called `a`.
pub fn recurrent_code(a: &str, r: &Recurrent) -> (Vec<String>, Vec<String>) {
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
    init.push(format!("self.{a} = nn.{}({args})", r.module));
    if r.go_backwards {
        forward.push(
            "x = torch.flip(x, dims=[1])  # go_backwards=True: read the sequence from the end"
                .to_string(),
        );
    }
    let h = r.units;
    match (r.bidirectional, r.return_sequences) {
        (None, true) => forward.push(format!(
            "x, _ = self.{a}(x)  # return_sequences=True: every timestep"
        )),
        (None, false) => {
            forward.push(format!("x, _ = self.{a}(x)"));
            forward
                .push("x = x[:, -1, :]  # return_sequences=False: the last timestep only".into());
        }
        (Some(merge), seq) => {
            if seq {
                forward.push(format!("out, _ = self.{a}(x)"));
                forward.push(format!(
                    "fwd, bwd = out[..., :{h}], out[..., {h}:]  # forward and backward halves, each timestep"
                ));
            } else {
                let h_n = if r.module == "LSTM" {
                    "(h_n, _)"
                } else {
                    "h_n"
                };
                forward.push(format!("_, {h_n} = self.{a}(x)"));
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
    (init, forward)
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

/// A Python class name from the design's name: `my-model` → `MyModel`.
fn class_name(design: &str) -> String {
    let mut out = String::new();
    for part in design.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Model");
    }
    out
}

fn is_reserved(word: &str) -> bool {
    matches!(
        word,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
            | "forward"
            | "training"
    )
}
