//! Attention, the kinds called on several tensors: `MultiHeadAttention` and
//! `GroupQueryAttention` (learned query, key, value and output projections, as Keras'
//! `EinsumDense`), and `Attention` and `AdditiveAttention` (scores straight from the inputs,
//! with at most a learned scale). Each answers [`MultiInput`]; a call on one tensor is Keras'
//! refusal.

use serde::{Deserialize, Serialize};

use super::{
    CallOptions, Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, MultiInput,
    Regularizer, is_true, known_last, positive, regularizer_notes, yes,
};
use crate::model::compute::{Tally, known, known_product};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Dim, Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, Weights, add, mul};

/// The sub-layers Keras' multi-head kinds create when first called, which take the next
/// automatic names of their kinds.
const SUBLAYERS: &[&str] = &["softmax", "dropout"];

/// The slots of a multi-head call, in Keras' positional order.
const QVK: &[&str] = &["query", "value", "key"];

/// One `EinsumDense` projection inside a multi-head kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The query's projection to heads.
    Query,
    /// The key's projection to heads.
    Key,
    /// The sigmoid gate on the query (`use_gate=True`).
    Gate,
    /// The value's projection to heads.
    Value,
    /// The heads back to the output width.
    Output,
}

impl Part {
    /// Kernel and bias as Keras names them inside the layer.
    fn keras(self) -> (&'static str, &'static str) {
        match self {
            Part::Query => ("query/kernel", "query/bias"),
            Part::Key => ("key/kernel", "key/bias"),
            Part::Gate => ("gate/kernel", "gate/bias"),
            Part::Value => ("value/kernel", "value/bias"),
            Part::Output => ("attention_output/kernel", "attention_output/bias"),
        }
    }

    /// Kernel and bias as the exported PyTorch module names its parameters.
    fn torch(self) -> (&'static str, &'static str) {
        match self {
            Part::Query => ("query_kernel", "query_bias"),
            Part::Key => ("key_kernel", "key_bias"),
            Part::Gate => ("gate_kernel", "gate_bias"),
            Part::Value => ("value_kernel", "value_bias"),
            Part::Output => ("attention_output_kernel", "attention_output_bias"),
        }
    }

    /// The projection in words.
    fn label(self) -> &'static str {
        match self {
            Part::Query => "query projection",
            Part::Key => "key projection",
            Part::Gate => "gate projection (sigmoid, on the query)",
            Part::Value => "value projection",
            Part::Output => "output projection",
        }
    }
}

/// One projection: its kernel and bias shapes and the positions it runs at.
#[derive(Debug, Clone, PartialEq)]
struct Proj {
    part: Part,
    kernel: Vec<u64>,
    bias: Vec<u64>,
    /// The leading axes of the tensor it reads (one run per position).
    lead: Vec<Dim>,
}

impl Proj {
    fn params(&self, use_bias: bool) -> Result<u64, LayerError> {
        let bias = if use_bias { mul(&self.bias)? } else { 0 };
        add(&[mul(&self.kernel)?, bias])
    }

    fn expr(&self, use_bias: bool) -> String {
        let kernel = times(&self.kernel);
        if use_bias {
            format!("{kernel} + {}", times(&self.bias))
        } else {
            kernel
        }
    }
}

/// `16 × 4 × 8`.
fn times(dims: &[u64]) -> String {
    dims.iter()
        .map(|&d| thousands(d))
        .collect::<Vec<_>>()
        .join(" × ")
}

/// What a multi-head call builds: its projections, output and scores.
#[derive(Debug, Clone, PartialEq)]
struct Plan {
    projs: Vec<Proj>,
    output: Shape,
    scores: Shape,
    /// Heads that score (query heads for grouped attention).
    heads: u64,
    key_size: u64,
    value_size: u64,
}

/// The query, value and key of a call (the key is the value when not given).
fn qvk<'a>(
    inputs: &'a [Shape],
    class: &str,
) -> Result<(&'a Shape, &'a Shape, &'a Shape), LayerError> {
    match inputs {
        [q, v] => Ok((q, v, v)),
        [q, v, k] => Ok((q, v, k)),
        _ => Err(LayerError::shape(
            "2 or 3 tensors: query, value and optionally key",
            format!("{} tensor(s)", inputs.len()),
            format!("call {class} on [query, value] or [query, value, key]"),
        )),
    }
}

/// Keras' check that key and value differ only in their features.
fn same_but_last(v: &Shape, k: &Shape) -> Result<(), LayerError> {
    if v.0.len() == k.0.len() && v.leading() == k.leading() {
        return Ok(());
    }
    Err(LayerError::shape(
        "value and key equal on every axis but the last",
        format!("value {v} and key {k}"),
        "give key the value's length: each key position scores the value at the same position",
    ))
}

/// Weights of the projections in the convention's spelling.
fn report(projs: &[Proj], use_bias: bool, torch_names: bool, sink: Sink) {
    for p in projs {
        let (kernel, bias) = if torch_names {
            p.part.torch()
        } else {
            p.part.keras()
        };
        sink.put(Weight::new(kernel, &p.kernel));
        if use_bias {
            sink.put(Weight::new(bias, &p.bias));
        }
    }
}

/// One step per projection, then their sum.
fn projection_steps(
    e: &mut Explanation,
    projs: &[Proj],
    use_bias: bool,
) -> Result<u64, LayerError> {
    let mut values = Vec::with_capacity(projs.len());
    for p in projs {
        let n = p.params(use_bias)?;
        let what = match p.part {
            Part::Output => format!(
                "{}: {} heads × {} back to {}",
                p.part.label(),
                p.kernel[0],
                p.kernel[1],
                times(&p.bias)
            ),
            _ => format!(
                "{}: {} features to {} heads × {}",
                p.part.label(),
                p.kernel[0],
                p.kernel[1],
                p.kernel[2]
            ),
        };
        e.step(what, p.expr(use_bias), n);
        values.push(n);
    }
    let total = add(&values)?;
    let expr = values
        .iter()
        .map(|&n| thousands(n))
        .collect::<Vec<_>>()
        .join(" + ");
    e.step("the sum of the projections", expr, total);
    Ok(total)
}

/// The MACs of every projection and of the two attention products, then their sum.
fn projection_macs(
    plan: &Plan,
    (pairs, sides): (u64, String),
    tally: &mut Tally,
) -> Result<u64, LayerError> {
    let mut values = Vec::new();
    for p in &plan.projs {
        let at = Shape(p.lead.iter().copied().collect());
        let positions = known_product(&p.lead, "length", &at)?;
        let per = mul(&p.kernel)?;
        values.push(tally.step(
            || {
                format!(
                    "{}: {} position(s) × {} weights",
                    p.part.label(),
                    thousands(positions),
                    times(&p.kernel)
                )
            },
            || format!("{} × {}", thousands(positions), times(&p.kernel)),
            mul(&[positions, per])?,
        ));
    }
    let (h, kd, vd) = (plan.heads, plan.key_size, plan.value_size);
    values.push(tally.step(
        || {
            format!(
                "scores: each of {} query–key pairs, in each of {h} heads, a dot product of {kd}",
                thousands(pairs)
            )
        },
        || format!("{sides} × {h} × {kd}"),
        mul(&[pairs, h, kd])?,
    ));
    values.push(tally.step(
        || format!("weighted sum: each pair's score times a value of {vd}, in each of {h} heads"),
        || format!("{sides} × {h} × {vd}"),
        mul(&[pairs, h, vd])?,
    ));
    let total = add(&values)?;
    tally.note(|| "Attention's two products (query·key scores and the scores' weighted sum of values) are counted as MACs, though they multiply activations rather than weights: they are most of the work on long sequences. The softmax, the 1/√key_dim scaling and the bias adds are not counted.".into());
    Ok(tally.step(
        || "the sum".into(),
        || {
            values
                .iter()
                .map(|&n| thousands(n))
                .collect::<Vec<_>>()
                .join(" + ")
        },
        total,
    ))
}

/// The refusal of a call on one tensor, which every attention kind makes.
fn one_tensor(class: &str, input: &Shape, call: &str) -> LayerError {
    LayerError::shape(
        format!("a query and a value tensor: {call}"),
        input,
        format!(
            "call {class} on two tensors (the same one twice for self-attention); a chain of layers cannot feed it"
        ),
    )
}

/// The error of a Kind method asked about a multi-input kind with one tensor.
macro_rules! multi_only {
    ($call:literal) => {
        fn output(&self, input: &Shape) -> Result<Output, LayerError> {
            Err(one_tensor(self.class(), input, $call))
        }
        fn weights(&self, input: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
            Err(one_tensor(self.class(), input, $call))
        }
        fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
            Err(one_tensor(self.class(), input, $call))
        }
        fn macs(&self, input: &Shape, _: &Output, _: &mut Tally) -> Result<u64, LayerError> {
            Err(one_tensor(self.class(), input, $call))
        }
        fn multi(&self) -> Option<&dyn MultiInput> {
            Some(self)
        }
    };
}

mod list;

pub use list::{AdditiveAttention, Attention, ScoreMode};

/// The output, with the scores when the call asks for them.
fn with_scores(plan_output: Shape, scores: Shape, options: CallOptions) -> Output {
    if options.return_attention_scores {
        Output::Many(vec![plan_output, scores])
    } else {
        Output::One(plan_output)
    }
}

/// `keras.layers.MultiHeadAttention`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MultiHeadAttention {
    /// Attention heads.
    pub num_heads: u64,
    /// Size of each head's query and key.
    pub key_dim: u64,
    /// Size of each head's value (`None`: `key_dim`).
    pub value_dim: Option<u64>,
    /// Dropout on the attention probabilities while training; changes no count.
    pub dropout: f64,
    /// Whether every projection adds a bias.
    pub use_bias: bool,
    /// The output's trailing shape (`None`: the query's width).
    pub output_shape: Option<Vec<u64>>,
    /// The axes attention runs over, counted with the batch as 0 (`None`: every axis between
    /// the batch and the features).
    pub attention_axes: Option<Vec<i64>>,
    /// A sigmoid gate on the query multiplies the heads' output (one more projection).
    pub use_gate: bool,
    /// Each query attends to keys at most this far away minus one; changes no count.
    pub sliding_window: Option<u64>,
    /// Penalty on every projection's kernel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_regularizer: Option<Regularizer>,
    /// Penalty on every projection's bias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias_regularizer: Option<Regularizer>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the weights.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for MultiHeadAttention {
    fn default() -> Self {
        Self {
            num_heads: 4,
            key_dim: 16,
            value_dim: None,
            dropout: 0.0,
            use_bias: true,
            output_shape: None,
            attention_axes: None,
            use_gate: false,
            sliding_window: None,
            kernel_regularizer: None,
            bias_regularizer: None,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for MultiHeadAttention {
    const FACTS: KerasFacts = KerasFacts {
        required: &["num_heads", "key_dim"],
        positional: &[
            "num_heads",
            "key_dim",
            "value_dim",
            "dropout",
            "use_bias",
            "output_shape",
            "attention_axes",
            "sliding_window",
        ],
        leading: 2,
        mask: MaskUse::Passes,
        ..KerasFacts::PLAIN
    };
}

/// How PyTorch's `nn.MultiheadAttention` holds the input projections of a faithful twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TorchTwin {
    /// Key and value as wide as the query: one `in_proj_weight` of `(3E, E)`.
    Packed,
    /// Other key or value widths (`kdim`, `vdim`): `q_proj_weight`, `k_proj_weight`,
    /// `v_proj_weight`.
    Separate,
}

impl MultiHeadAttention {
    /// Each head's value size: `value_dim`, or `key_dim` when it is not set.
    pub fn value_size(&self) -> u64 {
        self.value_dim.unwrap_or(self.key_dim)
    }

    fn plan(&self, inputs: &[Shape]) -> Result<Plan, LayerError> {
        let (q, v, k) = qvk(inputs, self.class())?;
        same_but_last(v, k)?;
        let h = positive("num_heads", self.num_heads)?;
        let kd = positive("key_dim", self.key_dim)?;
        let vd = positive("value_dim", self.value_size())?;
        let dq = known_last(q, "the query projection")?;
        let dk = known_last(k, "the key projection")?;
        let dv = known_last(v, "the value projection")?;
        let out: Vec<u64> = match self.output_shape.as_deref() {
            None | Some([]) => vec![dq],
            Some(dims) if dims.len() > 3 => {
                return Err(LayerError::field(
                    "output_shape",
                    "lstm-tui holds at most 3 output axes; use (features,) or a shorter tuple",
                ));
            }
            Some(dims) if dims.contains(&0) => {
                return Err(LayerError::field(
                    "output_shape",
                    "sizes must be at least 1",
                ));
            }
            Some(dims) => dims.to_vec(),
        };
        let proj = |part, from, heads, size, lead: &[Dim]| Proj {
            part,
            kernel: vec![from, heads, size],
            bias: vec![heads, size],
            lead: lead.to_vec(),
        };
        let mut projs = vec![
            proj(Part::Query, dq, h, kd, q.leading()),
            proj(Part::Key, dk, h, kd, k.leading()),
        ];
        if self.use_gate {
            projs.push(proj(Part::Gate, dq, h, vd, q.leading()));
        }
        projs.push(proj(Part::Value, dv, h, vd, v.leading()));
        let mut kernel = vec![h, vd];
        kernel.extend(&out);
        projs.push(Proj {
            part: Part::Output,
            kernel,
            bias: out.clone(),
            lead: q.leading().to_vec(),
        });
        let output = match self.output_shape.as_deref() {
            None | Some([]) => q.clone(),
            Some(_) => {
                let mut dims: Vec<Dim> = q.leading().to_vec();
                dims.extend(out.iter().map(|&d| Some(d)));
                Shape(dims.into())
            }
        };
        // Keras 3.15.1 gives the scores the query's length on both axes, even when the key
        // is longer (compute_output_spec reads query.shape[1] twice).
        let length = q.0.first().copied().flatten();
        Ok(Plan {
            projs,
            output,
            scores: Shape(vec![Some(h), length, length].into()),
            heads: h,
            key_size: kd,
            value_size: vd,
        })
    }

    /// Whether `nn.MultiheadAttention(batch_first=True)` does exactly what this layer does on
    /// these inputs, and how it holds the projections; or why not.
    pub fn torch_twin(&self, inputs: &[Shape]) -> Result<TorchTwin, String> {
        let plan = self.plan(inputs).map_err(|e| e.to_string())?;
        let (q, v, k) = qvk(inputs, self.class()).map_err(|e| e.to_string())?;
        let dq = q.last().flatten().unwrap_or(0);
        let width = mul(&[self.num_heads, self.key_dim]).unwrap_or(0);
        let dout = plan.output.last().flatten();
        let why = if self.use_gate {
            Some(
                "use_gate=True adds a sigmoid gate nn.MultiheadAttention does not have".to_string(),
            )
        } else if width != dq {
            Some(format!(
                "num_heads × key_dim = {} × {} = {width} differs from the query width {dq}, and nn.MultiheadAttention's heads split the query width",
                self.num_heads, self.key_dim
            ))
        } else if self.value_size() != self.key_dim {
            Some(format!(
                "value_dim {} differs from key_dim {}, and nn.MultiheadAttention's heads share one size",
                self.value_size(),
                self.key_dim
            ))
        } else if dout != Some(dq) || plan.output.0.len() != q.0.len() {
            Some("output_shape projects to another width, and nn.MultiheadAttention returns the query width".to_string())
        } else if [q, v, k].iter().any(|s| s.0.len() != 2) {
            Some("the inputs are not (batch, length, features), the only layout nn.MultiheadAttention takes".to_string())
        } else if self
            .attention_axes
            .as_deref()
            .is_some_and(|a| !matches!(a, [1] | [-2]))
        {
            Some("attention_axes names another axis than the sequence".to_string())
        } else {
            None
        };
        match why {
            Some(why) => Err(format!(
                "no torch.nn twin: {why}; the export writes a module with Keras' einsum projections, counted the same as Keras"
            )),
            None if k.last() == q.last() && v.last() == q.last() => Ok(TorchTwin::Packed),
            None => Ok(TorchTwin::Separate),
        }
    }

    fn torch_weights(
        &self,
        twin: TorchTwin,
        inputs: &[Shape],
        sink: Sink,
    ) -> Result<(), LayerError> {
        let (q, v, k) = qvk(inputs, self.class())?;
        let width = |s: &Shape| s.last().flatten().unwrap_or(0);
        let e = width(q);
        let three = mul(&[3, e])?;
        match twin {
            TorchTwin::Packed => sink.put(Weight::new("in_proj_weight", &[three, e])),
            TorchTwin::Separate => {
                sink.put(Weight::new("q_proj_weight", &[e, e]));
                sink.put(Weight::new("k_proj_weight", &[e, width(k)]));
                sink.put(Weight::new("v_proj_weight", &[e, width(v)]));
            }
        }
        if self.use_bias {
            sink.put(Weight::new("in_proj_bias", &[three]));
        }
        sink.put(Weight::new("out_proj.weight", &[e, e]));
        if self.use_bias {
            sink.put(Weight::new("out_proj.bias", &[e]));
        }
        Ok(())
    }

    /// The query and key positions that meet in the scores, over the attention axes, and
    /// the product written out: the axes outside the attention, the query's attention axes,
    /// then the key's (`64 × 64` for a sequence).
    fn pairs(&self, inputs: &[Shape]) -> Result<(u64, String), LayerError> {
        let (q, _, k) = qvk(inputs, self.class())?;
        if q.0.len() != k.0.len() || q.0.len() < 2 {
            return Err(LayerError::shape(
                "query and key of one rank with a length axis, to count MACs",
                format!("query {q} and key {k}"),
                "give query and key the same axes",
            ));
        }
        let inner = q.0.len() - 1;
        let ndim = i64::try_from(q.ndim()).map_err(|_| LayerError::Overflow)?;
        let axes: Vec<usize> = match self.attention_axes.as_deref() {
            None | Some([]) => (0..inner).collect(),
            Some(list) => list
                .iter()
                .map(|&a| {
                    let a = if a < 0 { ndim + a } else { a };
                    usize::try_from(a - 1)
                        .ok()
                        .filter(|&i| i < inner)
                        .ok_or_else(|| {
                            LayerError::field(
                                "attention_axes",
                                format!(
                                    "axis {a} is not between the batch and the features of {q}"
                                ),
                            )
                        })
                })
                .collect::<Result<_, _>>()?,
        };
        let mut outside = Vec::new();
        let (mut on_q, mut on_k) = (Vec::new(), Vec::new());
        for i in 0..inner {
            let qd = known(q.0[i], "length", q)?;
            if axes.contains(&i) {
                on_q.push(qd);
                on_k.push(known(k.0[i], "length", k)?);
            } else {
                outside.push(qd);
            }
        }
        outside.extend(on_q);
        outside.extend(on_k);
        Ok((mul(&outside)?, times(&outside)))
    }
}

impl Kind for MultiHeadAttention {
    fn auto_name(&self) -> &'static str {
        "multi_head_attention"
    }
    multi_only!("MultiHeadAttention(...)(query, value) or (query, value, key)");
    fn brief(&self) -> String {
        let mut s = format!("MultiHeadAttention {}×{}", self.num_heads, self.key_dim);
        if let Some(vd) = self.value_dim.filter(|&v| v != self.key_dim) {
            s.push_str(&format!(" v{vd}"));
        }
        if !self.use_bias {
            s.push_str(" no-bias");
        }
        s
    }
    /// `key_dim`, each head's size: every projection grows with it (value_dim follows it
    /// unless set), in steps fine enough for the solver, while `num_heads` is usually fixed by
    /// how the model's width divides into heads.
    fn knob(&self) -> Option<Knob> {
        Some(Knob {
            field: "key_dim",
            value: KnobValue::Count(self.key_dim),
        })
    }
    fn set_knob(&mut self, value: KnobValue) {
        if let KnobValue::Count(v) = value {
            self.key_dim = v.max(1);
        }
    }
    name_and_trainable!();
    fn sublayer_names(&self) -> &'static [&'static str] {
        SUBLAYERS
    }
}

impl MultiInput for MultiHeadAttention {
    fn slots(&self) -> &'static [&'static str] {
        QVK
    }
    fn arity(&self) -> (usize, Option<usize>) {
        (2, Some(3))
    }
    fn output(&self, inputs: &[Shape], options: CallOptions) -> Result<Output, LayerError> {
        let plan = self.plan(inputs)?;
        Ok(with_scores(plan.output, plan.scores, options))
    }
    fn weights(
        &self,
        inputs: &[Shape],
        convention: Convention,
        sink: Sink,
    ) -> Result<(), LayerError> {
        let plan = self.plan(inputs)?;
        match (convention, self.torch_twin(inputs)) {
            (Convention::PyTorch, Ok(twin)) => self.torch_weights(twin, inputs, sink)?,
            (Convention::PyTorch, Err(_)) => report(&plan.projs, self.use_bias, true, sink),
            (Convention::Keras, _) => report(&plan.projs, self.use_bias, false, sink),
        }
        Ok(())
    }
    fn explain(&self, inputs: &[Shape], convention: Convention) -> Result<Explanation, LayerError> {
        let plan = self.plan(inputs)?;
        let mut e = Explanation::default();
        let twin = self.torch_twin(inputs);
        match (convention, twin.clone()) {
            (Convention::PyTorch, Ok(t)) => {
                let mut ws = Vec::new();
                self.torch_weights(t, inputs, &mut Weights::each(&mut |w| ws.push(w)))?;
                weight_steps(&mut e, &ws)?;
                e.note("PyTorch's nn.MultiheadAttention(batch_first=True) is a faithful twin here: it packs the query, key and value biases into one in_proj_bias and the output projection into out_proj.");
            }
            _ => {
                let total = projection_steps(&mut e, &plan.projs, self.use_bias)?;
                match (convention, twin) {
                    (Convention::Keras, Ok(t)) => {
                        let how = match t {
                            TorchTwin::Packed => {
                                "packs the three input projections into in_proj_weight (3E × E) and in_proj_bias"
                            }
                            TorchTwin::Separate => {
                                "keeps separate q_proj_weight, k_proj_weight and v_proj_weight (the key or value is not as wide as the query) and one in_proj_bias"
                            }
                        };
                        e.note(format!("PyTorch's nn.MultiheadAttention(batch_first=True) is a faithful twin and counts the same {}: it {how}.", thousands(total)));
                    }
                    (_, Err(why)) => e.note(format!("PyTorch: {why}.")),
                    (Convention::PyTorch, Ok(_)) => {}
                }
            }
        }
        if inputs.len() == 2 {
            e.note("No key given: Keras projects the value as the key too (key = value).");
        }
        if self.value_dim.is_none() {
            e.note(format!(
                "value_dim is not set: each head's value takes key_dim = {}.",
                self.key_dim
            ));
        }
        e.note(format!(
            "The attention itself (softmax of query·key / √{}, then the weighted sum of values) learns nothing; Keras builds its Softmax and Dropout as sub-layers, which take the next `softmax` and `dropout` automatic names.",
            self.key_dim
        ));
        e.note(format!(
            "With return_attention_scores=True the call also returns the scores {}: Keras gives them the query's length on both last axes, even when the key is longer.",
            plan.scores
        ));
        regularizer_notes(
            &mut e,
            &[
                ("kernel_regularizer", self.kernel_regularizer),
                ("bias_regularizer", self.bias_regularizer),
            ],
        );
        Ok(e)
    }
    fn macs(&self, inputs: &[Shape], _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let plan = self.plan(inputs)?;
        let pairs = self.pairs(inputs)?;
        projection_macs(&plan, pairs, tally)
    }
}

/// One step per weight tensor, then their sum (for PyTorch's packed layout).
fn weight_steps(e: &mut Explanation, weights: &[Weight]) -> Result<u64, LayerError> {
    let mut values = Vec::with_capacity(weights.len());
    for w in weights {
        let n = w.count()?;
        e.step(w.name, times(w.shape()), n);
        values.push(n);
    }
    let total = add(&values)?;
    e.step(
        "the sum",
        values
            .iter()
            .map(|&n| thousands(n))
            .collect::<Vec<_>>()
            .join(" + "),
        total,
    );
    Ok(total)
}

/// `keras.layers.GroupQueryAttention` (the class Keras prints as `GroupedQueryAttention`):
/// several query heads share each key and value head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupQueryAttention {
    /// Size of every head.
    pub head_dim: u64,
    /// Query heads.
    pub num_query_heads: u64,
    /// Key and value heads; `num_query_heads` must be a multiple of it.
    pub num_key_value_heads: u64,
    /// Dropout on the attention probabilities while training; changes no count.
    pub dropout: f64,
    /// Whether every projection adds a bias.
    pub use_bias: bool,
    /// A sigmoid gate on the query multiplies the heads' output (one more projection).
    pub use_gate: bool,
    /// Each query attends to keys at most this far away minus one; changes no count.
    pub sliding_window: Option<u64>,
    /// Penalty on every projection's kernel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_regularizer: Option<Regularizer>,
    /// Penalty on every projection's bias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias_regularizer: Option<Regularizer>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the weights.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for GroupQueryAttention {
    fn default() -> Self {
        Self {
            head_dim: 16,
            num_query_heads: 8,
            num_key_value_heads: 2,
            dropout: 0.0,
            use_bias: true,
            use_gate: false,
            sliding_window: None,
            kernel_regularizer: None,
            bias_regularizer: None,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for GroupQueryAttention {
    const FACTS: KerasFacts = KerasFacts {
        // The Python class is GroupedQueryAttention; keras.layers exports it under this
        // kind's name only, and model.to_json() writes that name.
        aliases: &["GroupedQueryAttention"],
        required: &["head_dim", "num_query_heads", "num_key_value_heads"],
        positional: &[
            "head_dim",
            "num_query_heads",
            "num_key_value_heads",
            "dropout",
            "use_bias",
            "sliding_window",
        ],
        leading: 3,
        ..KerasFacts::PLAIN
    };
}

impl GroupQueryAttention {
    fn plan(&self, inputs: &[Shape]) -> Result<Plan, LayerError> {
        let (q, v, k) = qvk(inputs, self.class())?;
        let hd = positive("head_dim", self.head_dim)?;
        let hq = positive("num_query_heads", self.num_query_heads)?;
        let hkv = positive("num_key_value_heads", self.num_key_value_heads)?;
        if hq % hkv != 0 {
            return Err(LayerError::field(
                "num_query_heads",
                format!(
                    "{hq} is not a multiple of num_key_value_heads = {hkv}: each key and value head serves a whole group of query heads"
                ),
            ));
        }
        for (slot, s) in [("query", q), ("value", v), ("key", k)] {
            if s.0.len() != 2 {
                return Err(LayerError::shape(
                    format!("a 3-D {slot} (batch, length, features)"),
                    s,
                    "GroupQueryAttention attends over one sequence axis; reshape to (length, features)",
                ));
            }
        }
        let dq = known_last(q, "the query projection")?;
        let dk = known_last(k, "the key projection")?;
        let dv = known_last(v, "the value projection")?;
        if dq != dv {
            return Err(LayerError::shape(
                format!("a value as wide as the query ({dq} features)"),
                v,
                "give value the query's width (GroupQueryAttention projects back to it)",
            ));
        }
        same_but_last(v, k)?;
        let proj = |part, from, heads, lead: &[Dim]| Proj {
            part,
            kernel: vec![from, heads, hd],
            bias: vec![heads, hd],
            lead: lead.to_vec(),
        };
        let mut projs = vec![
            proj(Part::Query, dq, hq, q.leading()),
            proj(Part::Key, dk, hkv, k.leading()),
        ];
        if self.use_gate {
            projs.push(proj(Part::Gate, dq, hq, q.leading()));
        }
        projs.push(proj(Part::Value, dv, hkv, v.leading()));
        projs.push(Proj {
            part: Part::Output,
            kernel: vec![hq, hd, dq],
            bias: vec![dq],
            lead: q.leading().to_vec(),
        });
        Ok(Plan {
            projs,
            output: q.clone(),
            scores: Shape(vec![Some(hq), q.0[0], k.0[0]].into()),
            heads: hq,
            key_size: hd,
            value_size: hd,
        })
    }
}

impl Kind for GroupQueryAttention {
    fn auto_name(&self) -> &'static str {
        "grouped_query_attention"
    }
    multi_only!("GroupQueryAttention(...)(query, value) or (query, value, key)");
    fn brief(&self) -> String {
        format!(
            "GroupQueryAttention {}q/{}kv×{}",
            self.num_query_heads, self.num_key_value_heads, self.head_dim
        )
    }
    /// `head_dim`, each head's size: every projection grows with it, while the head counts
    /// are tied together (query heads must be a multiple of key and value heads).
    fn knob(&self) -> Option<Knob> {
        Some(Knob {
            field: "head_dim",
            value: KnobValue::Count(self.head_dim),
        })
    }
    fn set_knob(&mut self, value: KnobValue) {
        if let KnobValue::Count(v) = value {
            self.head_dim = v.max(1);
        }
    }
    name_and_trainable!();
    fn sublayer_names(&self) -> &'static [&'static str] {
        SUBLAYERS
    }
    fn summary_class(&self) -> &'static str {
        "GroupedQueryAttention"
    }
}

impl MultiInput for GroupQueryAttention {
    fn slots(&self) -> &'static [&'static str] {
        QVK
    }
    fn arity(&self) -> (usize, Option<usize>) {
        (2, Some(3))
    }
    fn output(&self, inputs: &[Shape], options: CallOptions) -> Result<Output, LayerError> {
        let plan = self.plan(inputs)?;
        Ok(with_scores(plan.output, plan.scores, options))
    }
    fn weights(
        &self,
        inputs: &[Shape],
        convention: Convention,
        sink: Sink,
    ) -> Result<(), LayerError> {
        let plan = self.plan(inputs)?;
        report(
            &plan.projs,
            self.use_bias,
            convention == Convention::PyTorch,
            sink,
        );
        Ok(())
    }
    fn explain(&self, inputs: &[Shape], _: Convention) -> Result<Explanation, LayerError> {
        let plan = self.plan(inputs)?;
        let mut e = Explanation::default();
        projection_steps(&mut e, &plan.projs, self.use_bias)?;
        e.note(format!(
            "{} query heads share {} key and value heads: each key and value head serves {} query heads, so the key and value projections are that much smaller than the query's.",
            self.num_query_heads,
            self.num_key_value_heads,
            self.num_query_heads / self.num_key_value_heads.max(1)
        ));
        if inputs.len() == 2 {
            e.note("No key given: Keras projects the value as the key too (key = value).");
        }
        e.note("The attention itself learns nothing; Keras builds its Softmax and Dropout as sub-layers, which take the next `softmax` and `dropout` automatic names. Keras' summary prints the class as GroupedQueryAttention; its JSON and keras.layers call it GroupQueryAttention.");
        e.note("PyTorch has no grouped-query module (nn.MultiheadAttention gives each head its own key and value): the export writes a module with Keras' einsum projections, counted the same as Keras.");
        regularizer_notes(
            &mut e,
            &[
                ("kernel_regularizer", self.kernel_regularizer),
                ("bias_regularizer", self.bias_regularizer),
            ],
        );
        Ok(e)
    }
    fn macs(&self, inputs: &[Shape], _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let plan = self.plan(inputs)?;
        let (q, _, k) = qvk(inputs, self.class())?;
        let sides = [
            known(q.0[0], "query length", q)?,
            known(k.0[0], "key length", k)?,
        ];
        projection_macs(&plan, (mul(&sides)?, times(&sides)), tally)
    }
}
