//! The attention kinds' PyTorch modules against real Keras: each small layer is built in Keras
//! from the config lstm-tui's Keras JSON export writes, given random weights, and its module
//! from `attention_code` gets the same weights; both run on the same tensors. The outputs (and
//! scores) must agree within 1e-4 (float32 rounding), and the module's parameters must be the
//! names and shapes lstm-tui counts in the PyTorch convention.

use crate::{check, common};
use common::needs::Need;
use libtest_mimic::Trial;
use lstm_tui::interop::keras_json;
use lstm_tui::interop::torch::{KERAS_GQA, KERAS_LIST_ATTENTION, KERAS_MHA, attention_code};
use lstm_tui::model::layers::{
    AdditiveAttention, Attention, CallOptions, GroupQueryAttention, MultiHeadAttention, ScoreMode,
};
use lstm_tui::model::{Convention, Design, Layer, Shape, Weights};
use serde_json::Value;

/// One call: a name, the layer, its tensors' shapes (without the batch), and the options.
type Case = (&'static str, Layer, Vec<Shape>, CallOptions);

fn mha(num_heads: u64, key_dim: u64) -> MultiHeadAttention {
    MultiHeadAttention {
        num_heads,
        key_dim,
        ..MultiHeadAttention::default()
    }
}

/// MultiHeadAttention on nn.MultiheadAttention twins and on Keras' einsums.
fn mha_cases() -> Vec<Case> {
    let s = Shape::known;
    let scores = CallOptions {
        return_attention_scores: true,
        ..CallOptions::default()
    };
    let plain = CallOptions::default();
    vec![
        // nn.MultiheadAttention twins: packed, then separate key and value widths.
        (
            "mha_twin_packed",
            Layer::MultiHeadAttention(mha(4, 8)),
            vec![s(&[10, 32]), s(&[10, 32])],
            scores,
        ),
        (
            "mha_twin_separate_no_bias",
            Layer::MultiHeadAttention(MultiHeadAttention {
                use_bias: false,
                ..mha(2, 4)
            }),
            vec![s(&[5, 8]), s(&[6, 6]), s(&[6, 10])],
            plain,
        ),
        // Keras' einsums: heads × key_dim ≠ width, value_dim and output_shape, a grid, a gate.
        (
            "mha_wide_heads",
            Layer::MultiHeadAttention(mha(4, 8)),
            vec![s(&[6, 16]), s(&[3, 24])],
            scores,
        ),
        (
            "mha_value_dim_output_shape",
            Layer::MultiHeadAttention(MultiHeadAttention {
                value_dim: Some(10),
                output_shape: Some(vec![7]),
                ..mha(3, 6)
            }),
            vec![s(&[9, 12]), s(&[4, 20])],
            // Keras 3.15.1's fused path (jax) cannot run value_dim ≠ key_dim; asking for the
            // scores takes its einsum path.
            scores,
        ),
        (
            "mha_attention_axes_grid",
            Layer::MultiHeadAttention(MultiHeadAttention {
                attention_axes: Some(vec![2]),
                ..mha(2, 8)
            }),
            vec![s(&[5, 6, 16]), s(&[5, 6, 16])],
            scores,
        ),
        (
            "mha_gate",
            Layer::MultiHeadAttention(MultiHeadAttention {
                use_gate: true,
                value_dim: Some(3),
                ..mha(2, 4)
            }),
            vec![s(&[5, 16]), s(&[7, 16])],
            scores,
        ),
    ]
}

/// GroupQueryAttention, Attention and AdditiveAttention.
fn other_cases() -> Vec<Case> {
    let s = Shape::known;
    let scores = CallOptions {
        return_attention_scores: true,
        ..CallOptions::default()
    };
    let plain = CallOptions::default();
    vec![
        (
            "gqa_cross_scores",
            Layer::GroupQueryAttention(GroupQueryAttention {
                head_dim: 4,
                num_query_heads: 4,
                num_key_value_heads: 2,
                ..GroupQueryAttention::default()
            }),
            vec![s(&[5, 16]), s(&[7, 16]), s(&[7, 8])],
            scores,
        ),
        (
            "gqa_gate",
            Layer::GroupQueryAttention(GroupQueryAttention {
                head_dim: 8,
                num_query_heads: 4,
                num_key_value_heads: 4,
                use_gate: true,
                ..GroupQueryAttention::default()
            }),
            vec![s(&[6, 12]), s(&[6, 12])],
            plain,
        ),
        (
            "attention_dot",
            Layer::Attention(Attention::default()),
            vec![s(&[5, 16]), s(&[7, 16])],
            scores,
        ),
        (
            "attention_concat_scaled",
            Layer::Attention(Attention {
                use_scale: true,
                score_mode: ScoreMode::Concat,
                ..Attention::default()
            }),
            vec![s(&[5, 16]), s(&[7, 4]), s(&[7, 16])],
            plain,
        ),
        (
            "additive_attention",
            Layer::AdditiveAttention(AdditiveAttention::default()),
            vec![s(&[6, 10]), s(&[8, 10])],
            scores,
        ),
        (
            "additive_attention_no_scale",
            Layer::AdditiveAttention(AdditiveAttention {
                use_scale: false,
                ..AdditiveAttention::default()
            }),
            vec![s(&[6, 10]), s(&[8, 3]), s(&[8, 10])],
            plain,
        ),
    ]
}

/// Every kind with `use_causal_mask=True`: each query sees the keys up to its own position.
fn causal_cases() -> Vec<Case> {
    let s = Shape::known;
    let causal = |scores: bool| CallOptions {
        return_attention_scores: scores,
        use_causal_mask: true,
    };
    vec![
        (
            "mha_twin_causal",
            Layer::MultiHeadAttention(mha(4, 8)),
            vec![s(&[6, 32]), s(&[6, 32])],
            causal(true),
        ),
        (
            "mha_einsum_causal_cross",
            Layer::MultiHeadAttention(mha(2, 8)),
            vec![s(&[6, 16]), s(&[8, 24])],
            causal(true),
        ),
        (
            "gqa_causal",
            Layer::GroupQueryAttention(GroupQueryAttention {
                head_dim: 4,
                num_query_heads: 4,
                num_key_value_heads: 2,
                ..GroupQueryAttention::default()
            }),
            vec![s(&[5, 16]), s(&[5, 16])],
            causal(true),
        ),
        (
            "attention_causal",
            Layer::Attention(Attention::default()),
            vec![s(&[5, 16]), s(&[7, 16])],
            causal(true),
        ),
        (
            "additive_attention_causal",
            Layer::AdditiveAttention(AdditiveAttention::default()),
            vec![s(&[6, 10]), s(&[6, 10])],
            causal(false),
        ),
    ]
}

fn cases() -> Vec<Case> {
    let mut all = mha_cases();
    all.extend(other_cases());
    all.extend(causal_cases());
    all
}

/// Copies Keras' weights into the module, by name for the einsum modules, reshaped into
/// nn.MultiheadAttention's packed or separate layout for a twin; runs both; prints a JSON line
/// per case.
const RUNNER: &str = r#"
def copy(layer, mod, twin):
    named = {w.path.split("/", 1)[1].replace("/", "_"): np.asarray(w.numpy()) for w in layer.weights}
    t = lambda a: torch.tensor(np.array(a, dtype=np.float32))  # keeps 0-d scalars 0-d
    if not twin:
        for k, v in named.items():
            getattr(mod, k).data = t(v)
        return
    flat = lambda a: a.reshape(a.shape[0], -1).T
    q, k, v = (named[p + "_kernel"] for p in ("query", "key", "value"))
    if mod.in_proj_weight is not None:
        mod.in_proj_weight.data = t(np.concatenate([flat(q), flat(k), flat(v)]))
    else:
        mod.q_proj_weight.data = t(flat(q))
        mod.k_proj_weight.data = t(flat(k))
        mod.v_proj_weight.data = t(flat(v))
    if "query_bias" in named:
        mod.in_proj_bias.data = t(np.concatenate([named[p + "_bias"].reshape(-1) for p in ("query", "key", "value")]))
        mod.out_proj.bias.data = t(named["attention_output_bias"])
    o = named["attention_output_kernel"]
    mod.out_proj.weight.data = t(o.reshape(-1, o.shape[-1]).T)

def run(name, layer_json, shapes, list_form, scores, wrap, twin, causal):
    rng = np.random.default_rng(0)
    layer = keras.layers.deserialize(layer_json)
    xs = [rng.standard_normal((2,) + tuple(s)).astype("float32") for s in shapes]
    options = {"return_attention_scores": scores, "use_causal_mask": causal}
    call = (lambda: layer(xs, **options)) if list_form else (lambda: layer(*xs, **options))
    call()
    layer.set_weights([rng.standard_normal(w.shape).astype("float32") * 0.5 for w in layer.get_weights()])
    want = call()
    want = [np.asarray(y) for y in want] if isinstance(want, (tuple, list)) else [np.asarray(want)]
    module = wrap().eval()
    copy(layer, module.att, twin)
    with torch.no_grad():
        got = module(*[torch.tensor(x) for x in xs])
    got = [y.numpy() for y in got] if isinstance(got, tuple) else [got.numpy()]
    shapes_agree = [w.shape for w in want] == [g.shape for g in got]
    diff = max(float(np.abs(w - g).max()) for w, g in zip(want, got)) if shapes_agree else float("inf")
    params = [[n.removeprefix("att."), list(p.shape)] for n, p in module.named_parameters()]
    print(json.dumps({"name": name, "diff": diff, "shapes": [list(w.shape) for w in want], "torch_shapes": [list(g.shape) for g in got], "params": params}))
"#;

/// The Python that runs every case.
fn script() -> String {
    let mut py = String::from(
        "import os, json, math\nos.environ.setdefault(\"KERAS_BACKEND\", \"jax\")\nimport numpy as np, torch, keras\nimport torch.nn.functional as F\nfrom torch import nn\n\n",
    );
    for helper in [KERAS_MHA, KERAS_GQA, KERAS_LIST_ATTENTION] {
        py.push_str(helper);
    }
    py.push_str(RUNNER);
    for (name, layer, inputs, options) in cases() {
        let args = ["query", "value", "key"];
        let args = &args[..inputs.len()];
        let code = attention_code(&layer, &inputs, options, "att", args, None)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let design = Design {
            layers: vec![layer.clone()],
            ..Design::example()
        };
        let layer_json = keras_json(&design)["config"]["layers"][1].clone();
        let shapes: Vec<Vec<u64>> = inputs
            .iter()
            .map(|s| s.0.iter().map(|d| d.expect("known")).collect())
            .collect();
        let list_form = layer.kind().multi().expect("multi").slots().is_empty();
        py.push_str(&format!(
            "\nclass Wrap_{name}(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.att = {}\n\n    def forward(self, {}):\n        return {}\n\nrun({name:?}, json.loads({:?}), {:?}, {}, {}, Wrap_{name}, {}, {})\n",
            code.module,
            args.join(", "),
            code.call,
            layer_json.to_string(),
            shapes,
            if list_form { "True" } else { "False" },
            if options.return_attention_scores { "True" } else { "False" },
            if code.twin { "True" } else { "False" },
            if options.use_causal_mask { "True" } else { "False" },
        ));
    }
    py
}

fn keras_and_pytorch_attention_agree_with_copied_weights(python: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("attention.py");
    std::fs::write(&path, script()).expect("write");
    let out = common::python_command(python)
        .arg(&path)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("a result line"))
        .collect();
    let cases = cases();
    assert_eq!(results.len(), cases.len(), "{stdout}");
    for ((name, layer, inputs, _), result) in cases.iter().zip(&results) {
        assert_eq!(result["name"], *name);
        let diff = result["diff"].as_f64().unwrap_or(f64::INFINITY);
        assert!(diff < 1e-4, "{name}: outputs differ by {diff}: {result}");
        println!("{name}: Keras and PyTorch outputs differ by at most {diff:e}");
        let mut ours = Vec::new();
        layer
            .kind()
            .multi()
            .expect("multi")
            .weights(
                inputs,
                Convention::PyTorch,
                &mut Weights::each(&mut |w| {
                    ours.push(serde_json::json!([w.name, w.shape()]));
                }),
            )
            .expect("weights");
        assert_eq!(
            result["params"],
            Value::Array(ours),
            "{name}: PyTorch's parameters are the ones lstm-tui counts"
        );
    }
}

pub fn checks() -> Vec<Trial> {
    let both = Need::python(&["keras", "torch"]);
    common::needs::listed(
        module_path!(),
        include_str!("export_pytorch_attention.rs"),
        vec![check!(both => keras_and_pytorch_attention_agree_with_copied_weights)],
    )
}
