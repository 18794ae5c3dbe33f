//! A design as a runnable PyTorch `nn.Module`: constructors in `__init__`, a `forward` that
//! does what Keras does (last timestep or the whole sequence, bidirectional halves merged),
//! and a header with the counts PyTorch will report. Where PyTorch has no faithful equivalent
//! the code says so and raises `NotImplementedError` instead of guessing.

mod convolutions;

use convolutions::{common, conv_lstm_common, conv_lstm_flags, window};

use std::collections::{HashMap, HashSet};

use crate::interop::export_keras::python_str;
use crate::interop::python::parser::is_keyword;
use crate::model::layers::{
    BatchNormalization, DataFormat, Dense, LayerNormalization, MergeMode, Padding, TimeDistributed,
};
use crate::model::{
    Convention, Design, Dtype, Layer, LayerError, Name, Output, Row, Shape, Summary,
};
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
    for (index, (row, layer)) in summary.rows.iter().zip(&design.layers).enumerate() {
        w.at_input = index == 0;
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
    if w.helpers.same_pad {
        code.push_str(SAME_PAD);
    }
    if w.helpers.separable {
        code.push_str(convolutions::SEPARABLE);
    }
    if w.helpers.conv_lstm {
        code.push_str(convolutions::CONV_LSTM);
    }
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

/// The PyTorch view of a Keras recurrent layer (the three kinds share these fields).
macro_rules! recurrent_spec {
    ($l:expr, $module:literal, $features:expr, $nonlinearity:expr) => {
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

/// Module-level functions the forward pass calls.
#[derive(Debug, Default)]
struct Helpers {
    /// `keras_same_pad`.
    same_pad: bool,
    /// The `SeparableConv` module.
    separable: bool,
    /// The `ConvLSTM` module.
    conv_lstm: bool,
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
}

/// The penalties a convolution sets, for the notes.
macro_rules! conv_regularizers {
    ($c:expr) => {
        vec![
            (
                "kernel_regularizer",
                $c.kernel_regularizer.map(|r| r.to_string()),
            ),
            (
                "bias_regularizer",
                $c.bias_regularizer.map(|r| r.to_string()),
            ),
        ]
    };
}

/// A `Conv1D` or `Conv2D`, with sizes as one list per field.
struct Conv<'a> {
    rank: usize,
    filters: u64,
    kernel: Vec<u64>,
    strides: Vec<u64>,
    dilation: Vec<u64>,
    padding: Padding,
    data_format: DataFormat,
    groups: u64,
    activation: &'a str,
    use_bias: bool,
    trainable: bool,
    regularizers: Vec<(&'static str, Option<String>)>,
}

/// Which reduction a pooling layer takes.
#[derive(Debug, Clone, Copy)]
enum Pool {
    /// The window's maximum.
    Max,
    /// The window's mean.
    Average,
}

/// The PyTorch spec of a recurrent layer, its `trainable`, and its penalties; or why PyTorch
/// has no module that computes the same thing.
type RecurrentOf<'a> = (Recurrent<'a>, bool, Vec<(&'static str, Option<String>)>);

fn recurrent_of(
    layer: &Layer,
    features: u64,
    bidirectional: Option<Merge>,
) -> Result<RecurrentOf<'_>, String> {
    let (mut spec, trainable, regs) = match layer {
        Layer::Lstm(l) => {
            if l.activation != "tanh" || l.recurrent_activation != "sigmoid" {
                return Err(
                    "nn.LSTM always uses tanh and sigmoid; this LSTM sets other activations".into(),
                );
            }
            (
                recurrent_spec!(l, "LSTM", features, None),
                l.trainable,
                recurrent_regularizers!(l).to_vec(),
            )
        }
        Layer::Gru(g) => {
            if !g.reset_after {
                return Err("PyTorch has no GRU with reset_after=False: nn.GRU always applies the reset gate after the recurrent matmul".into());
            }
            if g.activation != "tanh" || g.recurrent_activation != "sigmoid" {
                return Err(
                    "nn.GRU always uses tanh and sigmoid; this GRU sets other activations".into(),
                );
            }
            (
                recurrent_spec!(g, "GRU", features, None),
                g.trainable,
                recurrent_regularizers!(g).to_vec(),
            )
        }
        Layer::SimpleRnn(r) => {
            if r.activation != "tanh" && r.activation != "relu" {
                return Err("nn.RNN only offers tanh or relu as its nonlinearity".into());
            }
            (
                recurrent_spec!(r, "RNN", features, Some(r.activation.as_str())),
                r.trainable,
                recurrent_regularizers!(r).to_vec(),
            )
        }
        other => {
            return Err(format!(
                "PyTorch's bidirectional=True exists only on nn.LSTM, nn.GRU and nn.RNN, not for {}",
                other.kind().class()
            ));
        }
    };
    spec.bidirectional = bidirectional;
    Ok((spec, trainable, regs))
}

/// The axis a global pooling reduces.
fn time_axis(data_format: DataFormat) -> usize {
    match data_format {
        DataFormat::ChannelsLast => 1,
        DataFormat::ChannelsFirst => 2,
    }
}

/// `(batch, steps..., channels)` to `(batch, channels, steps...)`.
fn to_channels_first(rank: usize) -> &'static str {
    match rank {
        1 => "x.transpose(1, 2)",
        2 => "x.permute(0, 3, 1, 2)",
        _ => "x.permute(0, 4, 1, 2, 3)",
    }
}

/// `(batch, channels, steps...)` back to `(batch, steps..., channels)`.
fn to_channels_last(rank: usize) -> &'static str {
    match rank {
        1 => "x.transpose(1, 2)",
        2 => "x.permute(0, 2, 3, 1)",
        _ => "x.permute(0, 2, 3, 4, 1)",
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
        a
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one short arm per layer kind: every kind's PyTorch form in one place"
    )]
    fn layer(&mut self, row: &Row, layer: &Layer) {
        let label = format!("{} ({})", row.name, row.class);
        if let Err(LayerError::NoEquivalent(why)) = &row.params {
            return self.no_equivalent(&label, why);
        }
        if layer.kind().maps_over_lists() && matches!(row.output, Output::Many(_)) {
            return self.each_of_tuple(row, layer);
        }
        let features = row.input.last().flatten().unwrap_or(0);
        match layer {
            Layer::Dense(d) => self.dense(row, d, features),
            Layer::Lstm(_) | Layer::Gru(_) | Layer::SimpleRnn(_) => {
                match recurrent_of(layer, features, None) {
                    Ok((spec, trainable, regs)) => self.recurrent(row, &spec, trainable, &regs),
                    Err(why) => self.no_equivalent(&label, &why),
                }
            }
            Layer::Bidirectional(b) => {
                let merge = match b.merge_mode {
                    Some(MergeMode::Concat) => Merge::Concat,
                    Some(MergeMode::Sum) => Merge::Sum,
                    Some(MergeMode::Ave) => Merge::Ave,
                    Some(MergeMode::Mul) => Merge::Mul,
                    None => Merge::Separate,
                };
                if !b.trainable {
                    self.ignored_trainable(row);
                }
                match recurrent_of(&b.layer, features, Some(merge)) {
                    Ok((spec, trainable, regs)) => self.recurrent(row, &spec, trainable, &regs),
                    Err(why) => self.no_equivalent(&label, &why),
                }
            }
            Layer::TimeDistributed(t) => self.time_distributed(row, t),
            Layer::Conv1D(c) => self.conv(
                row,
                &Conv {
                    rank: 1,
                    filters: c.filters,
                    kernel: vec![c.kernel_size],
                    strides: vec![c.strides],
                    dilation: vec![c.dilation_rate],
                    padding: c.padding,
                    data_format: c.data_format,
                    groups: c.groups,
                    activation: &c.activation,
                    use_bias: c.use_bias,
                    trainable: c.trainable,
                    regularizers: conv_regularizers!(c),
                },
            ),
            Layer::Conv2D(c) => self.conv(
                row,
                &Conv {
                    rank: 2,
                    filters: c.filters,
                    kernel: c.kernel_size.to_vec(),
                    strides: c.strides.to_vec(),
                    dilation: c.dilation_rate.to_vec(),
                    padding: c.padding,
                    data_format: c.data_format,
                    groups: c.groups,
                    activation: &c.activation,
                    use_bias: c.use_bias,
                    trainable: c.trainable,
                    regularizers: conv_regularizers!(c),
                },
            ),
            Layer::Conv3D(c) => self.conv(
                row,
                &Conv {
                    rank: 3,
                    filters: c.filters,
                    kernel: c.kernel_size.to_vec(),
                    strides: c.strides.to_vec(),
                    dilation: c.dilation_rate.to_vec(),
                    padding: c.padding,
                    data_format: c.data_format,
                    groups: c.groups,
                    activation: &c.activation,
                    use_bias: c.use_bias,
                    trainable: c.trainable,
                    regularizers: conv_regularizers!(c),
                },
            ),
            Layer::Conv1DTranspose(c) => self.conv_transpose(
                row,
                &window!(c, 1),
                &common!(c, c.filters, [kernel_regularizer, bias_regularizer]),
                c.output_padding.as_ref().map(std::slice::from_ref),
            ),
            Layer::Conv2DTranspose(c) => self.conv_transpose(
                row,
                &window!(c, 2),
                &common!(c, c.filters, [kernel_regularizer, bias_regularizer]),
                c.output_padding.as_ref().map(|p| &p[..]),
            ),
            Layer::Conv3DTranspose(c) => self.conv_transpose(
                row,
                &window!(c, 3),
                &common!(c, c.filters, [kernel_regularizer, bias_regularizer]),
                c.output_padding.as_ref().map(|p| &p[..]),
            ),
            Layer::DepthwiseConv1D(c) => self.depthwise(
                row,
                &window!(c, 1),
                &common!(c, 0, [depthwise_regularizer, bias_regularizer]),
                c.depth_multiplier,
            ),
            Layer::DepthwiseConv2D(c) => self.depthwise(
                row,
                &window!(c, 2),
                &common!(c, 0, [depthwise_regularizer, bias_regularizer]),
                c.depth_multiplier,
            ),
            Layer::SeparableConv1D(c) => self.separable(
                row,
                &window!(c, 1),
                &common!(
                    c,
                    c.filters,
                    [
                        depthwise_regularizer,
                        pointwise_regularizer,
                        bias_regularizer
                    ]
                ),
                c.depth_multiplier,
            ),
            Layer::SeparableConv2D(c) => self.separable(
                row,
                &window!(c, 2),
                &common!(
                    c,
                    c.filters,
                    [
                        depthwise_regularizer,
                        pointwise_regularizer,
                        bias_regularizer
                    ]
                ),
                c.depth_multiplier,
            ),
            Layer::ConvLstm1D(c) => self.conv_lstm(
                row,
                &window!(c, 1),
                &conv_lstm_common!(c),
                conv_lstm_flags!(c),
            ),
            Layer::ConvLstm2D(c) => self.conv_lstm(
                row,
                &window!(c, 2),
                &conv_lstm_common!(c),
                conv_lstm_flags!(c),
            ),
            Layer::ConvLstm3D(c) => self.conv_lstm(
                row,
                &window!(c, 3),
                &conv_lstm_common!(c),
                conv_lstm_flags!(c),
            ),
            Layer::MaxPooling1D(p) => self.pool(
                row,
                Pool::Max,
                &[p.pool_size],
                &[p.strides.unwrap_or(p.pool_size)],
                p.padding,
                p.data_format,
            ),
            Layer::MaxPooling2D(p) => self.pool(
                row,
                Pool::Max,
                &p.pool_size,
                &p.strides.unwrap_or(p.pool_size),
                p.padding,
                p.data_format,
            ),
            Layer::AveragePooling1D(p) => self.pool(
                row,
                Pool::Average,
                &[p.pool_size],
                &[p.strides.unwrap_or(p.pool_size)],
                p.padding,
                p.data_format,
            ),
            Layer::GlobalMaxPooling1D(p) => self.forward.push(format!(
                "x = x.amax(dim={}, keepdim={})  # {}",
                time_axis(p.data_format),
                python_bool(p.keepdims),
                row.name.escape_debug()
            )),
            Layer::GlobalAveragePooling1D(p) => self.forward.push(format!(
                "x = x.mean(dim={}, keepdim={})  # {}",
                time_axis(p.data_format),
                python_bool(p.keepdims),
                row.name.escape_debug()
            )),
            Layer::BatchNormalization(bn) => self.batch_norm(row, bn),
            Layer::LayerNormalization(ln) => self.layer_norm(row, ln),
            Layer::Embedding(e) => {
                let a = self.attr(&row.name);
                if e.mask_zero {
                    self.init.push("# mask_zero=True: Keras then masks token 0 in the layers that follow (recurrent layers skip those steps); nn.Embedding's padding_idx is not the same (it only zeroes and freezes row 0), so no mask is passed on here".into());
                }
                self.init.push(format!(
                    "self.{a} = nn.Embedding({}, {})",
                    e.input_dim, e.output_dim
                ));
                self.freeze(&a, e.trainable);
                self.regularizer_notes(
                    &a,
                    &[(
                        "embeddings_regularizer",
                        e.embeddings_regularizer.map(|r| r.to_string()),
                    )],
                );
                if self.at_input {
                    self.forward.push(format!(
                        "x = self.{a}(x.long())  # token ids, cast to integers as Keras does"
                    ));
                } else {
                    self.forward.push(format!(
                        "x = self.{a}(x.long().clamp(0, {}))  # ids computed by a float layer, cast to integers as Keras does and kept inside the vocabulary (nn.Embedding raises on any other id)",
                        e.input_dim.saturating_sub(1)
                    ));
                }
            }
            Layer::Flatten(f) => {
                if f.data_format == DataFormat::ChannelsFirst && row.input.0.len() > 1 {
                    // Keras moves the channels last before flattening, so the order of the
                    // features (and the next Dense's weights) matches channels_last.
                    self.forward.push(format!(
                        "x = x.movedim(1, -1).flatten(1)  # {}: channels last, then flattened as Keras does",
                        row.name.escape_debug()
                    ));
                } else {
                    self.forward.push(format!(
                        "x = x.flatten(1)  # {}: the tensor is in Keras' layout, so the order matches",
                        row.name.escape_debug()
                    ));
                }
            }
            Layer::RepeatVector(r) => self.forward.push(format!(
                "x = x.unsqueeze(1).repeat(1, {}, 1)  # {}",
                r.n,
                row.name.escape_debug()
            )),
            Layer::Reshape(r) => {
                let dims: Vec<String> = r.target_shape.iter().map(i64::to_string).collect();
                self.forward.push(format!(
                    "x = x.reshape(x.shape[0], {})  # {}",
                    dims.join(", "),
                    row.name.escape_debug()
                ));
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
        }
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

    /// The wrapped layer on every timestep: layers that act on the last axis (Dense) already
    /// do; anything else runs on batch × time samples and is folded back.
    fn time_distributed(&mut self, row: &Row, t: &TimeDistributed) {
        let label = format!("{} ({})", row.name, row.class);
        let Some((_, rest)) = row.input.0.split_first() else {
            return self.no_equivalent(&label, "TimeDistributed needs a time axis");
        };
        if !t.trainable {
            self.ignored_trainable(row);
        }
        let inner_name = t.layer.kind().name().map_or_else(
            || format!("{}_{}", row.name, t.layer.kind().auto_name()),
            str::to_string,
        );
        let inner = Row {
            name: Name::new(&inner_name),
            class: t.layer.kind().class(),
            input: Shape(rest.to_vec()),
            output: Output::One(Shape(Vec::new())),
            params: row.params.clone(),
            macs: row.macs.clone(),
        };
        if matches!(*t.layer, Layer::Dense(_)) {
            self.forward.push(format!(
                "# {}: nn.Linear already acts on the last axis of every timestep",
                row.name.escape_debug()
            ));
            return self.layer(&inner, &t.layer);
        }
        self.forward.push(format!(
            "n, t = x.shape[0], x.shape[1]  # {}: fold time into the batch",
            row.name.escape_debug()
        ));
        self.forward
            .push("x = x.reshape(n * t, *x.shape[2:])".into());
        self.layer(&inner, &t.layer);
        self.forward
            .push("x = x.reshape(n, t, *x.shape[1:])".into());
    }

    fn conv(&mut self, row: &Row, c: &Conv) {
        let label = format!("{} ({})", row.name, row.class);
        let Some(apply) = activation(c.activation, "{}") else {
            return self.no_equivalent(
                &label,
                &format!("no PyTorch function for the activation {:?}", c.activation),
            );
        };
        let (_, channels) = c.data_format.split(&row.input);
        let channels = channels.unwrap_or(0);
        let a = self.attr(&row.name);
        let module = format!("Conv{}d", c.rank);
        let mut args = format!("{channels}, {}, {}", c.filters, python_tuple(&c.kernel));
        if c.strides.iter().any(|&s| s != 1) {
            args.push_str(&format!(", stride={}", python_tuple(&c.strides)));
        }
        if c.dilation.iter().any(|&d| d != 1) {
            args.push_str(&format!(", dilation={}", python_tuple(&c.dilation)));
        }
        if c.groups != 1 {
            args.push_str(&format!(", groups={}", c.groups));
        }
        if !c.use_bias {
            args.push_str(", bias=False");
        }
        self.init.push(format!("self.{a} = nn.{module}({args})"));
        self.freeze(&a, c.trainable);
        self.regularizer_notes(&a, &c.regularizers);
        let last = c.data_format == DataFormat::ChannelsLast;
        if last {
            self.forward.push(format!(
                "x = {}  # nn.{module} wants channels first",
                to_channels_first(c.rank)
            ));
        }
        match c.padding {
            Padding::Valid => {}
            Padding::Same => {
                self.helpers.same_pad = true;
                self.forward.push(format!(
                    "x = keras_same_pad(x, {}, {}, {})  # padding=\"same\" as Keras pads: any odd extra at the end",
                    python_tuple_always(&c.kernel),
                    python_tuple_always(&c.strides),
                    python_tuple_always(&c.dilation)
                ));
            }
            Padding::Causal => {
                let left = c.dilation[0].saturating_mul(c.kernel[0].saturating_sub(1));
                self.forward.push(format!(
                    "x = F.pad(x, ({left}, 0))  # padding=\"causal\": (kernel_size - 1) × dilation_rate zeros before the sequence"
                ));
            }
        }
        self.forward.push(format!("x = self.{a}(x)"));
        if last {
            self.forward.push(format!(
                "x = {}  # back to Keras' channels last",
                to_channels_last(c.rank)
            ));
        }
        if apply != "{}" {
            self.forward
                .push(format!("x = {}", apply.replace("{}", "x")));
        }
    }

    fn pool(
        &mut self,
        row: &Row,
        pool: Pool,
        size: &[u64],
        strides: &[u64],
        padding: Padding,
        data_format: DataFormat,
    ) {
        let rank = size.len();
        let last = data_format == DataFormat::ChannelsLast;
        let f = match (pool, rank) {
            (Pool::Max, 1) => "F.max_pool1d",
            (Pool::Max, _) => "F.max_pool2d",
            (Pool::Average, 1) => "F.avg_pool1d",
            (Pool::Average, _) => "F.avg_pool2d",
        };
        let (k, s) = (python_tuple(size), python_tuple(strides));
        if last {
            self.forward.push(format!(
                "x = {}  # {}: pooling wants channels first",
                to_channels_first(rank),
                row.name.escape_debug()
            ));
        }
        let ones = vec![1; rank];
        let pad = |x: &str, value: &str| {
            format!(
                "keras_same_pad({x}, {}, {}, {}{value})",
                python_tuple_always(size),
                python_tuple_always(strides),
                python_tuple_always(&ones)
            )
        };
        match (padding, pool) {
            (Padding::Same, Pool::Max) => {
                self.helpers.same_pad = true;
                self.forward.push(format!(
                    "x = {f}({}, {k}, {s})  # padding=\"same\": padded with -inf, so padding never wins",
                    pad("x", ", value=float(\"-inf\")")
                ));
            }
            (Padding::Same, Pool::Average) => {
                self.helpers.same_pad = true;
                // Keras divides each window's sum by the real inputs it covers, not by the
                // pool size: sum over zero padding, divided by the count of real inputs.
                self.forward.push(format!(
                    "x = {f}({}, {k}, {s}) / {f}({}, {k}, {s})  # padding=\"same\": each window averages only the real inputs it covers, as Keras does",
                    pad("x", ""),
                    pad("torch.ones_like(x[:, :1])", "")
                ));
            }
            _ => self.forward.push(format!("x = {f}(x, {k}, {s})")),
        }
        if last {
            self.forward.push(format!(
                "x = {}  # back to channels last",
                to_channels_last(rank)
            ));
        }
    }

    fn batch_norm(&mut self, row: &Row, bn: &BatchNormalization) {
        let label = format!("{} ({})", row.name, row.class);
        let ndim = row.input.0.len() as i64 + 1;
        let axis = if bn.axis < 0 { ndim + bn.axis } else { bn.axis };
        if axis < 1 || axis >= ndim {
            return self.no_equivalent(&label, &format!("axis={} is not a feature axis", bn.axis));
        }
        let channels = row.input.0[(axis - 1) as usize].unwrap_or(0);
        let a = self.attr(&row.name);
        let affine = if bn.scale && bn.center {
            ""
        } else {
            ", affine=False"
        };
        self.init.push(format!(
            "self.{a} = nn.BatchNorm1d({channels}, eps={}, momentum={}{affine})  # PyTorch's momentum weighs the new batch: 1 - Keras' {}",
            py_float(bn.epsilon),
            py_float(1.0 - bn.momentum),
            py_float(bn.momentum)
        ));
        if !bn.trainable {
            self.init.push(format!("self.{a}.requires_grad_(False)  # trainable=False (Keras also keeps a frozen BatchNormalization in inference mode: call self.{a}.eval() when training)"));
        }
        self.regularizer_notes(
            &a,
            &[
                (
                    "beta_regularizer",
                    bn.beta_regularizer.map(|r| r.to_string()),
                ),
                (
                    "gamma_regularizer",
                    bn.gamma_regularizer.map(|r| r.to_string()),
                ),
            ],
        );
        if ndim == 2 {
            self.forward.push(format!("x = self.{a}(x)"));
        } else {
            // Statistics per channel over every other axis: move the channels last and fold
            // the rest into one batch axis, which is what BatchNorm1d over (N, C) does.
            self.forward.push(format!(
                "x = self.{a}(x.movedim({axis}, -1).reshape(-1, {channels})).reshape(x.movedim({axis}, -1).shape).movedim(-1, {axis})  # normalises axis {}",
                bn.axis
            ));
        }
    }

    fn layer_norm(&mut self, row: &Row, ln: &LayerNormalization) {
        let label = format!("{} ({})", row.name, row.class);
        let ndim = row.input.0.len() as i64 + 1;
        let mut axes: Vec<i64> = ln
            .axis
            .iter()
            .map(|&a| if a < 0 { ndim + a } else { a })
            .collect();
        axes.sort_unstable();
        axes.dedup();
        let trailing = axes
            .iter()
            .rev()
            .enumerate()
            .all(|(i, &a)| a == ndim - 1 - i as i64);
        if !trailing {
            return self.no_equivalent(
                &label,
                &format!(
                    "nn.LayerNorm normalises the last axes only; this one normalises axis={:?}",
                    ln.axis
                ),
            );
        }
        let dims: Vec<u64> = axes
            .iter()
            .map(|&a| row.input.0[(a - 1) as usize].unwrap_or(0))
            .collect();
        let shape = python_tuple_always(&dims);
        let a = self.attr(&row.name);
        let eps = py_float(ln.epsilon);
        if ln.rms_scaling {
            // Keras' (deprecated) rms_scaling divides by the standard deviation without
            // subtracting the mean; nn.RMSNorm uses the root mean square, which is different.
            self.init.push(format!(
                "self.{a} = nn.Parameter(torch.ones({shape}))  # gamma of rms_scaling=True"
            ));
            self.freeze(&a, ln.trainable);
            let reduce: Vec<String> = axes.iter().map(i64::to_string).collect();
            self.forward.push(format!(
                "x = x * torch.rsqrt(x.var(dim=({},), keepdim=True, unbiased=False) + {eps}) * self.{a}  # Keras' rms_scaling: scaled by the variance, mean not subtracted",
                reduce.join(", ")
            ));
            return;
        }
        let affine = match (ln.scale, ln.center) {
            (true, true) => String::new(),
            (true, false) => ", bias=False".into(),
            _ => ", elementwise_affine=False".into(),
        };
        self.init.push(format!(
            "self.{a} = nn.LayerNorm({shape}, eps={eps}{affine})"
        ));
        self.freeze(&a, ln.trainable);
        self.regularizer_notes(
            &a,
            &[
                (
                    "beta_regularizer",
                    ln.beta_regularizer.map(|r| r.to_string()),
                ),
                (
                    "gamma_regularizer",
                    ln.gamma_regularizer.map(|r| r.to_string()),
                ),
            ],
        );
        self.forward.push(format!("x = self.{a}(x)"));
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
#[expect(
    clippy::too_many_lines,
    reason = "a few lines per merge mode and return option, checked side by side"
)]
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
            "x, {state_names} = self.{a}(x)  # return_sequences=True: every timestep"
        )),
        (None, false) => {
            forward.push(format!("x, {state_names} = self.{a}(x)"));
            forward
                .push("x = x[:, -1, :]  # return_sequences=False: the last timestep only".into());
        }
        (Some(merge), seq) => {
            if seq {
                forward.push(format!("out, {state_names} = self.{a}(x)"));
                forward.push(format!(
                    "fwd, bwd = out[..., :{h}], out[..., {h}:]  # forward and backward halves, each timestep"
                ));
            } else {
                let h_n = match (lstm, r.return_state) {
                    (true, true) => "(h_n, c_n)",
                    (true, false) => "(h_n, _)",
                    (false, _) => "h_n",
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
