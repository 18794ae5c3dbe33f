//! The attention kinds in PyTorch: `nn.MultiheadAttention(batch_first=True)` where it is a
//! faithful twin of Keras' MultiHeadAttention, otherwise a small module written into the file
//! that holds Keras' kernels in Keras' shapes (einsum projections, as `EinsumDense`), so
//! weights copy over as they are. [`attention_code`] writes one call on several tensors; a
//! chain of single tensors cannot feed these kinds, so `write` refuses.

use super::{TorchKind, Writer, label, py_float, python_bool, python_tuple_always};
use crate::model::Row;
use crate::model::layers::{
    AdditiveAttention, Attention, CallOptions, GroupQueryAttention, Layer, MultiHeadAttention,
    TorchTwin,
};
use crate::model::shape::Shape;

/// Keras' MultiHeadAttention with its own einsum equations (ported from Keras'
/// `_build_proj_equation` and `_build_attention_equation`), kernels in Keras' shapes.
pub const KERAS_MHA: &str = r#"class KerasMultiHeadAttention(nn.Module):
    """Keras' MultiHeadAttention: projections hold Keras' kernel shapes (in, heads, size) and
    the attention runs over Keras' attention_axes, so Keras weights copy over as they are."""

    def __init__(self, query_dim, key_in, value_in, num_heads, key_dim, value_dim, output_shape,
                 use_bias=True, use_gate=False, attention_axes=None, dropout=0.0):
        super().__init__()
        self.key_size = key_dim
        self.use_gate = use_gate
        self.attention_axes = attention_axes
        self.out_rank = len(output_shape)
        self.dropout = nn.Dropout(dropout)
        parts = [("query", (query_dim, num_heads, key_dim)), ("key", (key_in, num_heads, key_dim))]
        if use_gate:
            parts.append(("gate", (query_dim, num_heads, value_dim)))
        parts += [("value", (value_in, num_heads, value_dim)),
                  ("attention_output", (num_heads, value_dim) + tuple(output_shape))]
        for name, shape in parts:
            setattr(self, name + "_kernel", nn.Parameter(torch.randn(shape) * 0.02))
            bias = tuple(output_shape) if name == "attention_output" else shape[1:]
            setattr(self, name + "_bias", nn.Parameter(torch.zeros(bias)) if use_bias else None)

    def project(self, x, name, contract=1):
        kernel = getattr(self, name + "_kernel")
        y = torch.tensordot(x, kernel, dims=(list(range(x.dim() - contract, x.dim())), list(range(contract))))
        bias = getattr(self, name + "_bias")
        return y if bias is None else y + bias

    @staticmethod
    def equations(rank, axes):
        letters = "abcdefghijklmnopqrstuvwxyz"
        target = letters[:rank]
        batch = [i for i in range(rank) if i not in axes and i != rank - 1]
        source, offset = "", rank
        for i in range(rank):
            if i in batch or i == rank - 1:
                source += target[i]
            else:
                source += letters[offset]
                offset += 1
        product = "".join([target[i] for i in batch] + [target[i] for i in axes] + [source[i] for i in axes])
        return f"{source},{target}->{product}", f"{product},{source}->{target}"

    def forward(self, query, value, key=None, return_attention_scores=False, causal=False, mask=None):
        key = value if key is None else key
        q = self.project(query, "query") * self.key_size ** -0.5
        k = self.project(key, "key")
        v = self.project(value, "value")
        rank = q.dim()
        if self.attention_axes is None:
            axes = tuple(range(1, rank - 2))
        else:
            axes = tuple(a if a >= 0 else rank - 1 + a for a in self.attention_axes)
        dot, combine = self.equations(rank, axes)
        scores = torch.einsum(dot, k, q)
        # Keras' attention mask from the masks its inputs carry: a pair is kept when its query
        # step (B, T, 1) and its value and key steps (B, 1, S) are.
        allowed = None
        for m, axis in zip(mask or [], (-1, -2, -2)):
            if m is not None:
                allowed = m.unsqueeze(axis) if allowed is None else allowed & m.unsqueeze(axis)
        if causal:
            tril = torch.ones(query.shape[1], value.shape[1], dtype=torch.bool, device=scores.device).tril()
            if allowed is None:
                scores = scores.masked_fill(~tril, float("-inf"))
            else:
                allowed = allowed & tril
        # Without dropout or scores to return, Keras computes a masked attention with
        # dot_product_attention, whose masked pairs get jax's large negative score; otherwise
        # its Softmax layer gives them -1e9, then zero.
        fused = self.dropout.p == 0 and not return_attention_scores and rank == 4
        if allowed is not None:
            while allowed.dim() < scores.dim():
                allowed = allowed.unsqueeze(-2 * len(axes) - 1)
            scores = scores.masked_fill(~allowed, -0.7 * torch.finfo(scores.dtype).max if fused else -1.0e9)
        shape = scores.shape
        probs = torch.softmax(scores.reshape(*shape[:len(shape) - len(axes)], -1), dim=-1).reshape(shape)
        if allowed is not None and not fused:
            probs = probs.masked_fill(~allowed, 0.0)
        out = torch.einsum(combine, self.dropout(probs), v)
        if self.use_gate:
            out = out * torch.sigmoid(self.project(query, "gate"))
        out = self.project(out, "attention_output", contract=2)
        return (out, probs) if return_attention_scores else out


"#;

/// Keras' GroupQueryAttention: each key and value head repeated for its group of query heads.
pub const KERAS_GQA: &str = r#"class KerasGroupQueryAttention(nn.Module):
    """Keras' GroupQueryAttention: kernels in Keras' shapes (in, heads, head_dim); each key and
    value head serves num_query_heads // num_key_value_heads query heads."""

    def __init__(self, query_dim, key_in, value_in, head_dim, num_query_heads,
                 num_key_value_heads, use_bias=True, use_gate=False, dropout=0.0):
        super().__init__()
        self.head_dim = head_dim
        self.repeats = num_query_heads // num_key_value_heads
        self.use_gate = use_gate
        self.dropout = nn.Dropout(dropout)
        parts = [("query", (query_dim, num_query_heads, head_dim)),
                 ("key", (key_in, num_key_value_heads, head_dim))]
        if use_gate:
            parts.append(("gate", (query_dim, num_query_heads, head_dim)))
        parts += [("value", (value_in, num_key_value_heads, head_dim)),
                  ("attention_output", (num_query_heads, head_dim, query_dim))]
        for name, shape in parts:
            setattr(self, name + "_kernel", nn.Parameter(torch.randn(shape) * 0.02))
            bias = (query_dim,) if name == "attention_output" else shape[1:]
            setattr(self, name + "_bias", nn.Parameter(torch.zeros(bias)) if use_bias else None)

    def project(self, x, name, equation):
        y = torch.einsum(equation, x, getattr(self, name + "_kernel"))
        bias = getattr(self, name + "_bias")
        return y if bias is None else y + bias

    def forward(self, query, value, key=None, return_attention_scores=False, causal=False):
        key = value if key is None else key
        q = self.project(query, "query", "bqm,muh->bquh")
        k = self.project(key, "key", "bkm,mvh->bkvh").repeat_interleave(self.repeats, dim=2)
        v = self.project(value, "value", "bkm,mvh->bkvh").repeat_interleave(self.repeats, dim=2)
        scores = torch.einsum("bquh,bkuh->buqk", q * self.head_dim ** -0.5, k)
        if causal:
            scores = scores.masked_fill(~torch.ones(query.shape[1], value.shape[1], dtype=torch.bool, device=scores.device).tril(), float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        out = torch.einsum("buqk,bkuh->bquh", self.dropout(probs), v)
        if self.use_gate:
            out = out * torch.sigmoid(self.project(query, "gate", "bqm,muh->bquh"))
        out = self.project(out, "attention_output", "bquh,uhm->bqm")
        return (out, probs) if return_attention_scores else out


"#;

/// Keras' Attention and AdditiveAttention, called on a list as in Keras.
pub const KERAS_LIST_ATTENTION: &str = r#"class KerasAttention(nn.Module):
    """Keras' Attention (additive=False) and AdditiveAttention (additive=True): scores from the
    inputs themselves, softmax over the key's length, weighted sum of the value."""

    def __init__(self, additive=False, use_scale=False, score_mode="dot", dim=None, dropout=0.0):
        super().__init__()
        self.additive = additive
        self.score_mode = score_mode
        self.dropout = nn.Dropout(dropout)
        shape = (dim,) if additive else ()
        self.scale = nn.Parameter(torch.ones(shape)) if use_scale else None
        concat = not additive and score_mode == "concat"
        self.concat_score_weight = nn.Parameter(torch.ones(())) if concat else None

    def forward(self, inputs, return_attention_scores=False, causal=False, mask=None):
        q, v = inputs[0], inputs[1]
        k = inputs[2] if len(inputs) > 2 else v
        q_mask, v_mask = (list(mask) + [None, None])[:2] if mask is not None else (None, None)
        if self.additive:
            t = torch.tanh(q.unsqueeze(-2) + k.unsqueeze(-3))
            scores = (t * self.scale if self.scale is not None else t).sum(-1)
        elif self.score_mode == "dot":
            scores = q @ k.transpose(-2, -1)
            if self.scale is not None:
                scores = scores * self.scale
        else:
            t = q.unsqueeze(-2) + k.unsqueeze(-3)
            if self.scale is not None:
                t = self.scale * t
            scores = self.concat_score_weight * torch.tanh(t).sum(-1)
        if v_mask is not None:
            # Keras pushes the scores of masked value steps down by 1e9.
            scores = scores - 1.0e9 * (~v_mask).unsqueeze(-2).to(scores.dtype)
        if causal:
            scores = scores.masked_fill(~torch.ones(q.shape[-2], v.shape[-2], dtype=torch.bool, device=scores.device).tril(), float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        out = self.dropout(probs) @ v
        if q_mask is not None:
            # Keras zeroes the output at masked query steps.
            out = out * q_mask.unsqueeze(-1).to(out.dtype)
        return (out, probs) if return_attention_scores else out


"#;

/// One attention call as PyTorch code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttentionCode {
    /// Module-level Python the constructor needs (one of [`KERAS_MHA`], [`KERAS_GQA`],
    /// [`KERAS_LIST_ATTENTION`]); empty for `nn.MultiheadAttention`. Write each once per file.
    pub helper: &'static str,
    /// The module's constructor, for `self.NAME = ...`.
    pub module: String,
    /// The forward expression calling `self.{attr}` on the tensors named in `args` (query,
    /// value, key, in Keras' slot order): its value is the output, or `(output, scores)`.
    pub call: String,
    /// Whether PyTorch's own `nn.MultiheadAttention` is used (a faithful twin).
    pub twin: bool,
}

/// The PyTorch module and call for `layer` on these inputs (in Keras' slot or list order), the
/// module stored as `self.{attr}` and called on the Python names `args`; or why there is none.
pub fn attention_code(
    layer: &Layer,
    inputs: &[Shape],
    options: CallOptions,
    attr: &str,
    args: &[&str],
    masks: Option<&str>,
) -> Result<AttentionCode, String> {
    let multi = layer
        .kind()
        .multi()
        .ok_or_else(|| format!("{} is not an attention layer", layer.kind().class()))?;
    multi
        .output(inputs, options)
        .map_err(|e| format!("does not build: {e}"))?;
    if options.use_causal_mask
        && matches!(layer, Layer::MultiHeadAttention(m) if m.attention_axes.as_ref().is_some_and(|a| a.len() > 1))
    {
        return Err("use_causal_mask=True over several attention_axes: Keras' causal mask covers the first axis only and does not broadcast over the others".into());
    }
    let width = |i: usize| {
        inputs
            .get(i)
            .or_else(|| inputs.get(1))
            .and_then(|s| s.last().flatten())
            .unwrap_or(0)
    };
    let scores = python_bool(options.return_attention_scores);
    let list = format!("[{}]", args.join(", "));
    let causal = if options.use_causal_mask {
        ", causal=True"
    } else {
        ""
    };
    let keyword = if options.return_attention_scores {
        format!(", return_attention_scores=True{causal}")
    } else {
        causal.to_string()
    };
    // The masks Keras hands a list attention's call, as a Python list (`[q_mask, v_mask]`).
    let mask = match (masks, layer) {
        (None, _) => String::new(),
        (
            Some(list),
            Layer::Attention(_) | Layer::AdditiveAttention(_) | Layer::MultiHeadAttention(_),
        ) => format!(", mask={list}"),
        (Some(_), _) => return Err("Keras masks this attention by its inputs' masks (after Embedding(mask_zero=True) or Masking); the export writes that for Attention, AdditiveAttention and MultiHeadAttention only".into()),
    };
    match layer {
        Layer::MultiHeadAttention(m) => Ok(mha(m, inputs, options, attr, args, &mask)),
        Layer::GroupQueryAttention(g) => Ok(AttentionCode {
            helper: KERAS_GQA,
            module: format!(
                "KerasGroupQueryAttention({}, {}, {}, {}, {}, {}, use_bias={}, use_gate={}, dropout={})",
                width(0),
                width(2),
                width(1),
                g.head_dim,
                g.num_query_heads,
                g.num_key_value_heads,
                python_bool(g.use_bias),
                python_bool(g.use_gate),
                py_float(g.dropout)
            ),
            call: format!("self.{attr}({}{keyword})", args.join(", ")),
            twin: false,
        }),
        Layer::Attention(a) => Ok(AttentionCode {
            helper: KERAS_LIST_ATTENTION,
            module: format!(
                "KerasAttention(use_scale={}, score_mode=\"{}\", dropout={})",
                python_bool(a.use_scale),
                a.score_mode.as_str(),
                py_float(a.dropout)
            ),
            call: format!("self.{attr}({list}, return_attention_scores={scores}{causal}{mask})"),
            twin: false,
        }),
        Layer::AdditiveAttention(a) => Ok(AttentionCode {
            helper: KERAS_LIST_ATTENTION,
            module: format!(
                "KerasAttention(additive=True, use_scale={}, dim={}, dropout={})",
                python_bool(a.use_scale),
                width(0),
                py_float(a.dropout)
            ),
            call: format!("self.{attr}({list}, return_attention_scores={scores}{causal}{mask})"),
            twin: false,
        }),
        other => Err(format!(
            "{} is not an attention layer",
            other.kind().class()
        )),
    }
}

/// MultiHeadAttention: `nn.MultiheadAttention` when it is a twin, Keras' einsums otherwise
/// and under a mask (`mask`: the call's `, mask=[...]` argument, or empty), which Keras
/// applies in ways `nn.MultiheadAttention` does not (a fully masked query step attends to every
/// step alike, where PyTorch gives NaN).
fn mha(
    m: &MultiHeadAttention,
    inputs: &[Shape],
    options: CallOptions,
    attr: &str,
    args: &[&str],
    mask: &str,
) -> AttentionCode {
    let width = |i: usize| {
        inputs
            .get(i)
            .or_else(|| inputs.get(1))
            .and_then(|s| s.last().flatten())
            .unwrap_or(0)
    };
    let (q, v) = (
        args.first().copied().unwrap_or("query"),
        args.get(1).copied().unwrap_or("value"),
    );
    let k = args.get(2).copied().unwrap_or(v);
    match m.torch_twin(inputs) {
        Ok(twin) if mask.is_empty() => {
            let dims = match twin {
                TorchTwin::Packed => String::new(),
                TorchTwin::Separate => format!(", kdim={}, vdim={}", width(2), width(1)),
            };
            let bias = if m.use_bias { "" } else { ", bias=False" };
            // PyTorch's boolean mask marks the pairs left out: every key after the query.
            let mask = if options.use_causal_mask {
                format!(
                    ", attn_mask=torch.ones({q}.shape[1], {v}.shape[1], dtype=torch.bool, device={q}.device).triu(1)"
                )
            } else {
                String::new()
            };
            let call = if options.return_attention_scores {
                format!(
                    "self.{attr}({q}, {k}, {v}{mask}, need_weights=True, average_attn_weights=False)"
                )
            } else {
                format!("self.{attr}({q}, {k}, {v}{mask}, need_weights=False)[0]")
            };
            AttentionCode {
                helper: "",
                module: format!(
                    "nn.MultiheadAttention({}, {}, dropout={}{bias}{dims}, batch_first=True)",
                    width(0),
                    m.num_heads,
                    py_float(m.dropout)
                ),
                call,
                twin: true,
            }
        }
        _ => {
            let out = match m.output_shape.as_deref() {
                None | Some([]) => vec![width(0)],
                Some(dims) => dims.to_vec(),
            };
            let axes = m.attention_axes.as_deref().map_or_else(
                || "None".to_string(),
                |a| {
                    let items: Vec<String> = a.iter().map(i64::to_string).collect();
                    match items.as_slice() {
                        [one] => format!("({one},)"),
                        _ => format!("({})", items.join(", ")),
                    }
                },
            );
            let scores = match (options.return_attention_scores, options.use_causal_mask) {
                (false, false) => "",
                (true, false) => ", return_attention_scores=True",
                (false, true) => ", causal=True",
                (true, true) => ", return_attention_scores=True, causal=True",
            };
            AttentionCode {
                helper: KERAS_MHA,
                module: format!(
                    "KerasMultiHeadAttention({}, {}, {}, {}, {}, {}, {}, use_bias={}, use_gate={}, attention_axes={axes}, dropout={})",
                    width(0),
                    width(2),
                    width(1),
                    m.num_heads,
                    m.key_dim,
                    m.value_size(),
                    python_tuple_always(&out),
                    python_bool(m.use_bias),
                    python_bool(m.use_gate),
                    py_float(m.dropout)
                ),
                call: format!("self.{attr}({}{scores}{mask})", args.join(", ")),
                twin: false,
            }
        }
    }
}

/// The refusal every attention kind makes in a chain: it needs a query and a value.
fn needs_several(w: &mut Writer, row: &Row) {
    w.no_equivalent(
        &label(row),
        "attention is called on a query and a value; a chain of layers passes one tensor",
    );
}

impl TorchKind for MultiHeadAttention {
    fn write(&self, w: &mut Writer, row: &Row) {
        needs_several(w, row);
    }
}

impl TorchKind for GroupQueryAttention {
    fn write(&self, w: &mut Writer, row: &Row) {
        needs_several(w, row);
    }
}

impl TorchKind for Attention {
    fn write(&self, w: &mut Writer, row: &Row) {
        needs_several(w, row);
    }
}

impl TorchKind for AdditiveAttention {
    fn write(&self, w: &mut Writer, row: &Row) {
        needs_several(w, row);
    }
}
