//! A design as a runnable PyTorch `nn.Module`: constructors in `__init__`, a `forward` that
//! does what Keras does (last timestep or the whole sequence, bidirectional halves merged),
//! and a header with the counts PyTorch will report. Where PyTorch has no faithful equivalent
//! the code says so and raises `NotImplementedError` instead of guessing.
//!
//! Every kind writes itself through `TorchKind`, implemented in this folder's file named for
//! its family in `model/layers/`; the writer reaches it through the kinds list, so a kind
//! without its PyTorch form does not compile.

mod activation;
mod adaptive;
mod attention;
mod augment;
mod augment_pixels;
mod augment_policy;
mod augment_warp;
mod cells;
mod conv;
mod conv_depthwise;
mod conv_transpose;
mod dense;
mod dropout;
mod einsum;
mod embedding;
mod encoding;
mod graph;
mod image_size;
mod merge;
mod noise;
mod norm;
mod padding;
mod passthrough;
mod pooling;
mod recurrent;
mod reshape;
mod resize;
mod spectrogram;
mod standardize;
mod wrappers;

pub use activation::activation;
pub use attention::{AttentionCode, KERAS_GQA, KERAS_LIST_ATTENTION, KERAS_MHA, attention_code};
pub use recurrent::{Merge, Recurrent, recurrent_code};

use std::collections::{HashMap, HashSet, VecDeque};

use crate::interop::export_keras::python_str;
use crate::interop::python::parser::is_keyword;
use crate::model::graph::starts_mask;
use crate::model::layers::{Catalogued, each_kind};
use crate::model::{Convention, Design, Dtype, Layer, Output, Row, Shape, Summary};
use crate::report::numbers::thousands;

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
    // A mask is computed and handed on call by call, as the graph writer does.
    if !design.graph.is_chain() || design.layers.iter().any(starts_mask) {
        return graph::graph_export(design);
    }
    let summary = Summary::of(design, Convention::PyTorch);
    let mut w = Writer::default();
    let embeds = design
        .layers
        .first()
        .is_some_and(|l| l.kind().keras().token_ids);
    if design.input.dtype == Dtype::Int32 && !embeds {
        // Keras promotes integer input to float in the first matmul; PyTorch refuses to mix.
        w.forward
            .push("x = x.float()  # integer input, as Keras promotes it".into());
    }
    let mut on_a_list = false;
    for (index, (row, layer)) in summary.rows.iter().zip(&design.layers).enumerate() {
        w.at_input = index == 0;
        // A merge after a layer that returns a tuple merges the tuple, as Keras does.
        if on_a_list && layer.kind().multi().is_some() {
            w.forward.push("xs = list(x)".into());
        }
        w.layer(row, layer);
        on_a_list = matches!(row.output, Output::Many(_));
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
    let mut code = module_head(design, &summary, &w, &class);
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

/// The imports and the module-level helpers the forward pass calls, each once.
/// A module file up to the end of `__init__`: the header, the helpers it uses, the class line
/// and the modules it creates.
fn module_head(design: &Design, summary: &Summary, w: &Writer, class: &str) -> String {
    let mut code = header(design, summary);
    code.push_str(&preamble(w));
    code.push_str(&format!("class {class}(nn.Module):\n"));
    code.push_str("    def __init__(self):\n        super().__init__()\n");
    for line in &w.init {
        code.push_str(&format!("        {line}\n"));
    }
    code
}

fn preamble(w: &Writer) -> String {
    let mut code = String::new();
    code.push_str("import torch\nimport torch.nn.functional as F\nfrom torch import nn\n\n\n");
    if w.helpers.same_pad {
        code.push_str(SAME_PAD);
    }
    if w.helpers.spectral {
        code.push_str(SPECTRAL);
    }
    if w.helpers.resize {
        code.push_str(resize::KERAS_RESIZE);
    }
    if w.helpers.prelu {
        code.push_str(PRELU);
    }
    if w.helpers.separable {
        code.push_str(conv_depthwise::SEPARABLE);
    }
    if w.helpers.conv_lstm {
        code.push_str(conv::CONV_LSTM);
    }
    if w.helpers.keras_rnn {
        code.push_str(recurrent::KERAS_RNN);
    }
    // Activations are plain expressions wherever they are written; sparsemax alone needs a
    // function of its own.
    if w.init
        .iter()
        .chain(&w.forward)
        .any(|l| l.contains("keras_sparsemax("))
    {
        code.push_str(activation::SPARSEMAX);
    }
    if w.helpers.masked_rnn {
        code.push_str(recurrent::KERAS_MASKED_RNN);
    }
    if w.helpers.masked_birnn {
        code.push_str(recurrent::KERAS_MASKED_BIRNN);
    }
    if w.helpers.stft {
        code.push_str(spectrogram::KERAS_STFT);
    }
    if w.helpers.mel {
        code.push_str(spectrogram::KERAS_MEL);
    }
    if w.helpers.auto_contrast {
        code.push_str(augment_pixels::KERAS_AUTO_CONTRAST);
    }
    for helper in &w.helpers.attention {
        code.push_str(helper);
    }
    code
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
    h
}

/// Lengths tried, in order, for an open axis of the demo input: short first, then longer
/// ones for models whose kernels or pools need more steps.
const DEMO_LENGTHS: [u64; 9] = [7, 16, 32, 64, 128, 256, 512, 1024, 4096];

/// The input shape the demo run feeds the module: open axes get the first length of
/// [`DEMO_LENGTHS`] the whole model builds with (a `Conv1D(kernel_size=9)` needs 9 steps).
pub fn demo_input(design: &Design) -> Shape {
    let with = |n: u64| {
        Shape(
            design
                .input
                .shape
                .0
                .iter()
                .map(|d| Some(d.unwrap_or(n)))
                .collect(),
        )
    };
    if design.input.shape.0.iter().all(Option::is_some) {
        return design.input.shape.clone();
    }
    let builds = |shape: &Shape| {
        let trial = Design {
            input: crate::model::Input {
                shape: shape.clone(),
                dtype: design.input.dtype,
            },
            ..design.clone()
        };
        Summary::of(&trial, Convention::PyTorch).is_ok()
    };
    DEMO_LENGTHS
        .iter()
        .map(|&n| with(n))
        .find(builds)
        .unwrap_or_else(|| with(DEMO_LENGTHS[0]))
}

fn main_block(design: &Design, class: &str) -> String {
    let mut dims = vec!["2".to_string()];
    dims.extend(
        demo_input(design)
            .0
            .iter()
            .map(|d| d.unwrap_or(DEMO_LENGTHS[0]).to_string()),
    );
    // Random features; token ids of 0, which every vocabulary holds.
    let (make, dtype) = match design.input.dtype {
        Dtype::Float32 => ("rand", ""),
        Dtype::Int32 => ("zeros", ", dtype=torch.long"),
    };
    format!(
        "if __name__ == \"__main__\":\n    model = {class}()\n    print(model)\n    total = sum(p.numel() for p in model.parameters())\n    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)\n    print(f\"Total params: {{total:,}}\")\n    print(f\"Trainable params: {{trainable:,}}\")\n    print(f\"Non-trainable params: {{total - trainable:,}}\")\n    x = torch.{make}({}{dtype})\n    y = model(x)\n    shapes = [tuple(t.shape) for t in y] if isinstance(y, tuple) else tuple(y.shape)\n    print(\"Output shape:\", shapes)\n",
        dims.join(", ")
    )
}

/// Keras' `padding="same"` on the trailing (spatial) axes of a channels-first tensor: the
/// output keeps `ceil(n / stride)` steps and an odd extra goes at the end, as in Keras.
const SAME_PAD: &str = r#"def keras_same_pad(x, kernel, stride, dilation, value=0.0):
    """Pads the spatial axes as Keras' padding="same" does (any odd extra at the end)."""
    pads = []
    for n, k, s, d in reversed(list(zip(x.shape[-len(kernel):], kernel, stride, dilation))):
        total = max((-(-n // s) - 1) * s + (k - 1) * d + 1 - n, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads, value=value)


"#;

/// Keras' SpectralNormalization in a training call: power iteration on the kernel seen as
/// (-1, its last axis), then the kernel divided by the singular value it finds, in place.
/// PyTorch's first weight axis is Keras' last kernel axis, except for weights kept in Keras'
/// layout (an embedding table, EinsumDense's kernel).
const SPECTRAL: &str = r#"@torch.no_grad()
def keras_spectral_normalize(weight, u, iterations, table=False):
    """Divides weight by its largest singular value as Keras' SpectralNormalization does."""
    w = weight.reshape(-1, weight.shape[-1]) if table else weight.reshape(weight.shape[0], -1).T
    for _ in range(iterations):
        v = F.normalize(u @ w.T, dim=1)
        u.copy_(F.normalize(v @ w, dim=1))
    sigma = (v @ w @ u.T).squeeze()
    weight.div_(sigma)


"#;

/// Keras' PReLU: one learned slope per position, shared along `shared_axes` (size 1 there).
const PRELU: &str = r#"class KerasPReLU(nn.Module):
    """Keras' PReLU: x where positive, alpha * x where negative; alpha has size 1 on shared axes."""

    def __init__(self, shape):
        super().__init__()
        self.alpha = nn.Parameter(torch.zeros(shape))

    def forward(self, x):
        return torch.relu(x) - self.alpha * torch.relu(-x)


"#;

/// Module-level functions the forward pass calls.
#[derive(Debug, Default)]
struct Helpers {
    /// `keras_same_pad`.
    same_pad: bool,
    /// `keras_spectral_normalize`.
    spectral: bool,
    /// `keras_resize`.
    resize: bool,
    /// `KerasPReLU`.
    prelu: bool,
    /// The `SeparableConv` module.
    separable: bool,
    /// The `ConvLSTM` module.
    conv_lstm: bool,
    /// The `KerasRNN` module.
    keras_rnn: bool,
    /// `keras_masked_rnn`.
    masked_rnn: bool,
    /// `keras_masked_birnn` (which calls `keras_masked_rnn`).
    masked_birnn: bool,
    /// `keras_window` and the `KerasSTFTSpectrogram` module.
    stft: bool,
    /// `keras_mel_spectrogram`.
    mel: bool,
    /// `keras_auto_contrast`.
    auto_contrast: bool,
    /// The attention modules' classes, each once, in the order first used.
    attention: Vec<&'static str>,
}

#[derive(Debug, Default)]
struct Writer {
    init: Vec<String>,
    forward: Vec<String>,
    unsupported: Vec<String>,
    /// Attribute names taken so far: a set, so a design of 100k layers exports in linear time.
    attrs: HashSet<String>,
    /// Per sanitised name, the next numeric suffix to try when it is taken.
    suffixes: HashMap<String, usize>,
    helpers: Helpers,
    /// The layer being written reads the model's input (token ids, for an Embedding), not
    /// the output of a float layer.
    at_input: bool,
    /// The call being written passes `initial_state=`: its tensors as Python expressions, in
    /// Keras' order (graph designs only).
    initial_state: Option<Vec<String>>,
    /// The call being written receives a mask: the Python name of the boolean tensor
    /// (graph designs only).
    mask: Option<String>,
    /// Every attribute name handed out, in order.
    attr_log: Vec<String>,
    /// Attribute names to hand out again instead of new ones: a shared layer's later calls
    /// name the modules its first call made.
    replay: VecDeque<String>,
}

/// How a kind is written as PyTorch code. Implemented for every kind, in the file of this
/// folder named for its family.
trait TorchKind: Catalogued {
    /// Writes the kind's `__init__` lines and forward steps for the layer `row` describes.
    fn write(&self, w: &mut Writer, row: &Row);

    /// The kind as the recurrent module a `Bidirectional` runs both ways, or why there is none.
    fn recurrent(&self, _features: u64, _merge: Option<Merge>) -> Result<RecurrentOf<'_>, String> {
        Err(format!(
            "PyTorch's bidirectional=True exists only on nn.LSTM, nn.GRU and nn.RNN, not for {}",
            self.class()
        ))
    }
}

/// The PyTorch spec of a recurrent layer, its `trainable`, and its penalties.
type RecurrentOf<'a> = (Recurrent<'a>, bool, Vec<(&'static str, Option<String>)>);

/// The PyTorch form of the kind behind the variant.
fn torch(layer: &Layer) -> &dyn TorchKind {
    each_kind!(layer, l => l)
}

/// A kind's per-axis sizes as one list: one number for 1-D kinds, an array otherwise.
trait Sizes {
    /// The sizes, one per spatial axis.
    fn sizes(&self) -> Vec<u64>;
}

impl Sizes for u64 {
    fn sizes(&self) -> Vec<u64> {
        vec![*self]
    }
}

impl<const N: usize> Sizes for [u64; N] {
    fn sizes(&self) -> Vec<u64> {
        self.to_vec()
    }
}

/// The features on the last axis of the layer's input (0 when open).
fn features(row: &Row) -> u64 {
    row.input.last().flatten().unwrap_or(0)
}

/// `name (Class)`, as notes and refusals name a layer.
fn label(row: &Row) -> String {
    format!("{} ({})", row.name, row.class)
}

/// `(batch, steps..., channels)` to `(batch, channels, steps...)`.
fn to_channels_first(rank: usize) -> String {
    if rank == 1 {
        "x.transpose(1, 2)".into()
    } else {
        let steps: Vec<String> = (1..=rank).map(|a| a.to_string()).collect();
        format!("x.permute(0, {}, {})", rank + 1, steps.join(", "))
    }
}

/// `(batch, channels, steps...)` back to `(batch, steps..., channels)`.
fn to_channels_last(rank: usize) -> String {
    if rank == 1 {
        "x.transpose(1, 2)".into()
    } else {
        let steps: Vec<String> = (2..=rank + 1).map(|a| a.to_string()).collect();
        format!("x.permute(0, {}, 1)", steps.join(", "))
    }
}

/// One size as a number, several as a tuple: PyTorch's modules take either.
fn python_tuple(v: &[u64]) -> String {
    match v {
        [one] => one.to_string(),
        _ => python_tuple_always(v),
    }
}

/// A tuple literal even for one size: `(3,)`.
fn python_tuple_always(v: &[u64]) -> String {
    let items: Vec<String> = v.iter().map(u64::to_string).collect();
    match items.as_slice() {
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

fn python_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// A float as Python reads it, without binary noise such as `0.010000000000000009`.
fn py_float(v: f64) -> String {
    let short: f64 = format!("{v:.12e}").parse().unwrap_or(v);
    format!("{short:?}")
}

/// Numbers as a Python list, each as [`py_float`] writes it.
fn py_floats(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|x| py_float(*x)).collect();
    format!("[{}]", items.join(", "))
}

impl Writer {
    fn attr(&mut self, keras_name: &str) -> String {
        if let Some(a) = self.replay.pop_front() {
            return a;
        }
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
        if a.is_empty() || a.starts_with(|c: char| c.is_ascii_digit()) || is_keyword(&a) {
            a.insert(0, '_');
        }
        if self.attrs.contains(&a) {
            // Resuming from the last suffix keeps many names that sanitise alike linear too.
            let n = self.suffixes.entry(a.clone()).or_insert(1);
            let mut candidate = format!("{a}_{n}");
            while self.attrs.contains(&candidate) {
                *n += 1;
                candidate = format!("{a}_{n}");
            }
            *n += 1;
            a = candidate;
        }
        self.attrs.insert(a.clone());
        self.attr_log.push(a.clone());
        a
    }

    fn layer(&mut self, row: &Row, layer: &Layer) {
        if layer.kind().maps_over_lists() && matches!(row.output, Output::Many(_)) {
            return self.each_of_tuple(row, layer);
        }
        torch(layer).write(self, row);
    }

    /// Dropout or Activation after a layer that returns a tuple: Keras applies it to every
    /// tensor of the list, so the forward pass does too.
    fn each_of_tuple(&mut self, row: &Row, layer: &Layer) {
        let one = Row {
            output: Output::One(row.input.clone()),
            ..row.clone()
        };
        let start = self.forward.len();
        self.layer(&one, layer);
        let body: Vec<String> = self.forward.drain(start..).collect();
        self.forward.push(format!(
            "def each(x):  # {}: Keras applies it to every tensor of the list",
            row.name.escape_debug()
        ));
        self.forward
            .extend(body.into_iter().map(|line| format!("    {line}")));
        self.forward.push("    return x".into());
        self.forward.push("x = tuple(each(t) for t in x)".into());
    }

    /// A layer PyTorch cannot express faithfully: a comment, and code that refuses to run.
    fn no_equivalent(&mut self, label: &str, why: &str) {
        let text = format!("{label}: {why}");
        self.init.push(format!("# {}", text.escape_debug()));
        self.init
            .push(format!("raise NotImplementedError({})", python_str(&text)));
        self.unsupported.push(text);
    }

    /// `trainable=False` on a wrapper's constructor, which Keras ignores (and so do the counts
    /// in the header): said, not applied.
    fn ignored_trainable(&mut self, row: &Row) {
        self.init.push(format!(
            "# {}: Keras ignores trainable=False given to the {} constructor, so it stays trainable here too; call .requires_grad_(False) on the module to freeze it",
            row.name.escape_debug(),
            row.class
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
