//! The attention kinds against real Keras: every MultiHeadAttention, GroupedQueryAttention,
//! Attention and AdditiveAttention call in `tests/fixtures/keras_graph/`, its config read by
//! the Keras JSON importer and its input shapes taken from the fixture's rows of the tensors it
//! is called on, gives Keras' output shapes, counts and weights; the refused call is refused.

use std::fs;

use lstm_tui::interop::export_keras::keras_code;
use lstm_tui::interop::python::design_from_python;
use lstm_tui::interop::{design_from_keras_json, keras_json, layer_from_keras};
use lstm_tui::model::layers::{
    AdditiveAttention, Attention, CallOptions, GroupQueryAttention, KindEntry, Layer,
    MultiHeadAttention, MultiInput, ScoreMode,
};
use lstm_tui::model::{Convention, Design, Output, Shape, Weights};
use serde_json::Value;

use crate::common::fixture_files;

const CLASSES: &[&str] = &[
    "MultiHeadAttention",
    "GroupedQueryAttention",
    "GroupQueryAttention",
    "Attention",
    "AdditiveAttention",
];

/// `[null, 5, 16]` without its batch entry.
fn shape(v: &Value) -> Shape {
    let dims = v.as_array().expect("a shape list");
    Shape(dims[1..].iter().map(Value::as_u64).collect())
}

/// `(None, 5, 16)`-style list of an input's shape (no batch entry in the fixture's inputs).
fn input_shape(v: &Value) -> Shape {
    Shape(
        v.as_array()
            .expect("an input shape")
            .iter()
            .map(Value::as_u64)
            .collect(),
    )
}

/// One output (or a list of them) as Keras' rows write it.
fn output(v: &Value) -> Output {
    let list = v.as_array().expect("an output shape");
    if list.first().is_some_and(Value::is_array) {
        Output::Many(list.iter().map(shape).collect())
    } else {
        Output::One(shape(v))
    }
}

/// The shape a tensor reference names: `"x"`, `"lstm[1]"`, `"dense@2"`, `"dense@2[0]"`.
fn lookup(fixture: &Value, reference: &str) -> Shape {
    let (head, index) = match reference.strip_suffix(']').and_then(|r| r.rsplit_once('[')) {
        Some((head, i)) => (head, Some(i.parse::<usize>().expect("an output index"))),
        None => (reference, None),
    };
    let (name, call) = match head.split_once('@') {
        Some((name, k)) => (name, Some(k.parse::<usize>().expect("a call index"))),
        None => (head, None),
    };
    if let Some(input) = fixture["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .find(|i| i["name"] == name)
    {
        return input_shape(&input["shape"]);
    }
    let row = fixture["expected"]["rows"]
        .as_array()
        .expect("rows of a valid graph")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name}"));
    let out = match call {
        Some(k) => &row["output_shapes_per_call"][k],
        None => &row["output_shape"],
    };
    match (output(out), index) {
        (Output::One(s), None | Some(0)) => s,
        (Output::Many(v), Some(i)) => v[i].clone(),
        (other, i) => panic!("{reference}: output {other} has no tensor {i:?}"),
    }
}

/// One attention call of a fixture: the layer, its input shapes in slot or list order, its
/// options.
struct Call {
    file: String,
    name: String,
    layer: Layer,
    inputs: Vec<Shape>,
    options: CallOptions,
    fixture: Value,
}

fn calls() -> Vec<Call> {
    let mut calls = Vec::new();
    for path in fixture_files("tests/fixtures/keras_graph", "json") {
        let fixture: Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("fixture")).expect("json");
        let file = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for entry in fixture["layers"].as_array().expect("layers") {
            let class = entry["class"].as_str().expect("class");
            if !CLASSES.contains(&class) {
                continue;
            }
            let layer = layer_from_keras(class, &entry["config"])
                .unwrap_or_else(|e| panic!("{file}: {class}: {e}"));
            let mut refs: Vec<String> = entry["inputs"]
                .as_array()
                .expect("inputs")
                .iter()
                .map(|r| r.as_str().expect("a reference").to_string())
                .collect();
            if let Some(kwargs) = entry.get("call_kwargs") {
                for slot in ["query", "value", "key"] {
                    if let Some(r) = kwargs.get(slot).and_then(Value::as_str) {
                        refs.push(r.to_string());
                    }
                }
            }
            let inputs = refs.iter().map(|r| lookup(&fixture, r)).collect();
            let options = CallOptions {
                return_attention_scores: entry["call_options"]["return_attention_scores"]
                    == Value::Bool(true),
                use_causal_mask: entry["call_options"]["use_causal_mask"] == Value::Bool(true),
            };
            calls.push(Call {
                file: file.clone(),
                name: entry["name"].as_str().expect("name").to_string(),
                layer,
                inputs,
                options,
                fixture: fixture.clone(),
            });
        }
    }
    calls
}

fn multi(layer: &Layer) -> &dyn MultiInput {
    layer
        .kind()
        .multi()
        .expect("an attention kind takes several tensors")
}

#[test]
fn every_attention_call_matches_keras_shapes_counts_and_weights() {
    let mut checked = 0;
    for call in calls()
        .iter()
        .filter(|c| c.fixture["expected"]["ok"] == true)
    {
        let at = format!("{} {}", call.file, call.name);
        let row = call.fixture["expected"]["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["name"] == call.name.as_str())
            .expect("the layer's row");
        let m = multi(&call.layer);
        let got = m
            .output(&call.inputs, call.options)
            .unwrap_or_else(|e| panic!("{at}: {e}"));
        assert_eq!(got, output(&row["output_shape"]), "{at}: output");
        assert_eq!(
            call.layer.kind().summary_class(),
            row["class"].as_str().expect("class"),
            "{at}: the class summary() prints"
        );
        let mut weights = Vec::new();
        m.weights(
            &call.inputs,
            Convention::Keras,
            &mut Weights::each(&mut |w| weights.push(w)),
        )
        .expect("weights");
        let frozen = call.layer.frozen();
        let expected: Vec<(String, Vec<u64>, bool)> = row["weights"]
            .as_array()
            .expect("weights")
            .iter()
            .map(|w| {
                (
                    w["path"].as_str().expect("path").to_string(),
                    w["shape"]
                        .as_array()
                        .expect("shape")
                        .iter()
                        .map(|d| d.as_u64().expect("size"))
                        .collect(),
                    w["trainable"].as_bool().expect("trainable"),
                )
            })
            .collect();
        let ours: Vec<(String, Vec<u64>, bool)> = weights
            .iter()
            .map(|w| {
                (
                    format!("{}/{}", call.name, w.name),
                    w.shape().to_vec(),
                    w.trainable && !frozen,
                )
            })
            .collect();
        assert_eq!(ours, expected, "{at}: weights in Keras' order");
        let count = |trainable: bool| -> u64 {
            ours.iter()
                .filter(|w| w.2 == trainable)
                .map(|w| w.1.iter().product::<u64>())
                .sum()
        };
        assert_eq!(count(true), row["trainable"].as_u64().expect("n"), "{at}");
        assert_eq!(
            count(false),
            row["non_trainable"].as_u64().expect("n"),
            "{at}"
        );
        let steps = m
            .explain(&call.inputs, Convention::Keras)
            .expect("explain")
            .steps;
        assert_eq!(
            steps.last().map(|s| s.value),
            row["params"].as_u64(),
            "{at}: the derivation ends at Keras' count"
        );
        checked += 1;
    }
    assert!(checked >= 13, "only {checked} attention calls checked");
}

#[test]
fn the_refused_call_is_refused_naming_both_shapes() {
    let refused: Vec<Call> = calls()
        .into_iter()
        .filter(|c| c.fixture["expected"]["ok"] == false)
        .collect();
    assert!(!refused.is_empty());
    for call in refused {
        assert_eq!(
            call.fixture["expected"]["failing_layer"],
            call.name.as_str()
        );
        let err = multi(&call.layer)
            .output(&call.inputs, call.options)
            .expect_err("Keras refuses this call")
            .to_string();
        let keras = call.fixture["expected"]["error"].as_str().expect("error");
        for shape in ["value_shape=", "key_shape="].map(|k| {
            let rest = &keras[keras.find(k).expect("shape in Keras' error") + k.len()..];
            &rest[..=rest.find(')').expect("tuple end")]
        }) {
            assert!(
                err.contains(shape),
                "{err} should name {shape} as Keras does: {keras}"
            );
        }
    }
}

#[test]
fn a_call_on_one_tensor_is_refused_with_the_fix() {
    for class in [
        "MultiHeadAttention",
        "GroupQueryAttention",
        "Attention",
        "AdditiveAttention",
    ] {
        let entry = KindEntry::named(class).expect("in the catalogue");
        let layer = Layer::catalogue()
            .into_iter()
            .find(|l| l.kind().class() == entry.class)
            .expect("a default");
        let err = layer
            .kind()
            .output(&Shape::known(&[5, 8]))
            .expect_err("one tensor is not enough")
            .to_string();
        assert!(err.contains("query and a value"), "{class}: {err}");
        assert!(err.contains("two tensors"), "{class}: {err}");
    }
}

#[test]
fn grouped_query_attention_reads_under_both_of_its_names() {
    let text = fs::read_to_string("tests/fixtures/keras_graph/group_query_attention_self.json")
        .expect("fixture");
    let fixture: Value = serde_json::from_str(&text).expect("json");
    let json_class = fixture["keras_json"]["config"]["layers"][1]["class_name"]
        .as_str()
        .expect("class_name");
    let printed = fixture["layers"][0]["class"].as_str().expect("class");
    assert_ne!(json_class, printed, "Keras spells it two ways");
    for class in [json_class, printed] {
        let entry = KindEntry::named(class).expect("known under both names");
        assert_eq!(
            entry.class, json_class,
            "the design and JSON keep Keras' registered name"
        );
    }
}

/// The MHA derivation's steps: each projection `in × heads × size + heads × size`, the output
/// `heads × value_dim × out + out`, then the sum, with the numbers of a Keras cross-attention.
#[test]
fn the_mha_derivation_shows_each_projection_with_the_fixture_numbers() {
    let call = calls()
        .into_iter()
        .find(|c| c.file == "mha_cross_attention_different_widths.json")
        .expect("the cross-attention fixture");
    let row = call.fixture["expected"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == call.name.as_str())
        .expect("row")
        .clone();
    let e = multi(&call.layer)
        .explain(&call.inputs, Convention::Keras)
        .expect("explain");
    let weights = row["weights"].as_array().expect("weights");
    let dims = |w: &Value| -> Vec<u64> {
        w["shape"]
            .as_array()
            .expect("shape")
            .iter()
            .map(|d| d.as_u64().expect("size"))
            .collect()
    };
    let text = |d: &[u64]| d.iter().map(u64::to_string).collect::<Vec<_>>().join(" × ");
    let mut sums = Vec::new();
    for (i, pair) in weights.chunks(2).enumerate() {
        let (kernel, bias) = (dims(&pair[0]), dims(&pair[1]));
        let value: u64 = kernel.iter().product::<u64>() + bias.iter().product::<u64>();
        assert_eq!(
            e.steps[i].expr,
            format!("{} + {}", text(&kernel), text(&bias))
        );
        assert_eq!(e.steps[i].value, value);
        let part = pair[0]["path"]
            .as_str()
            .expect("path")
            .split('/')
            .nth(1)
            .expect("part");
        let part = if part == "attention_output" {
            "output"
        } else {
            part
        };
        assert!(e.steps[i].what.starts_with(part), "{}", e.steps[i].what);
        sums.push(value);
    }
    let last = e.steps.last().expect("a sum");
    assert_eq!(
        last.expr,
        sums.iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(" + ")
    );
    assert_eq!(Some(last.value), row["params"].as_u64());
    // 4 heads × 8 = 32 against a 16-wide query: nn.MultiheadAttention cannot split it.
    assert!(
        e.notes.iter().any(|n| n.contains("no torch.nn twin")),
        "{:#?}",
        e.notes
    );
}

/// One layer of each attention kind with fields off their defaults.
fn unusual_attention_layers() -> Vec<Layer> {
    vec![
        Layer::MultiHeadAttention(MultiHeadAttention {
            num_heads: 3,
            key_dim: 6,
            value_dim: Some(10),
            dropout: 0.1,
            use_bias: false,
            output_shape: Some(vec![7]),
            attention_axes: Some(vec![-2]),
            use_gate: true,
            sliding_window: Some(4),
            ..MultiHeadAttention::default()
        }),
        Layer::GroupQueryAttention(GroupQueryAttention {
            head_dim: 8,
            num_query_heads: 6,
            num_key_value_heads: 3,
            use_bias: false,
            ..GroupQueryAttention::default()
        }),
        Layer::Attention(Attention {
            use_scale: true,
            score_mode: ScoreMode::Concat,
            dropout: 0.2,
            ..Attention::default()
        }),
        Layer::AdditiveAttention(AdditiveAttention {
            use_scale: false,
            ..AdditiveAttention::default()
        }),
    ]
}

#[test]
fn attention_layers_survive_keras_json_and_keras_code_round_trips() {
    let design = Design {
        layers: unusual_attention_layers(),
        ..Design::example()
    };
    let json = keras_json(&design).to_string();
    let back = design_from_keras_json(&json).expect("reads its own JSON");
    assert_eq!(back.layers, design.layers, "{json}");
    let code = keras_code(&design);
    for call in [
        "layers.MultiHeadAttention(3, 6, ",
        "layers.GroupQueryAttention(8, 6, 3, ",
        "layers.Attention(",
        "layers.AdditiveAttention(use_scale=False)",
    ] {
        assert!(code.contains(call), "{call} in:\n{code}");
    }
    let back = design_from_python(&code).expect("reads its own code");
    assert_eq!(back.layers, design.layers, "{code}");
}

/// PyTorch's own nn.MultiheadAttention (recorded in tests/fixtures/torch/) is the twin of a
/// MultiHeadAttention whose heads split the query width: its parameters, names and order are
/// the PyTorch convention's, and its total is Keras' too.
#[test]
fn the_pytorch_count_of_a_twin_is_nn_multihead_attentions() {
    let text =
        fs::read_to_string("tests/fixtures/torch/multihead_attention.json").expect("fixture");
    let fixture: Value = serde_json::from_str(&text).expect("json");
    let config = &fixture["module"]["config"];
    let (e, heads) = (
        config["embed_dim"].as_u64().expect("E"),
        config["num_heads"].as_u64().expect("heads"),
    );
    assert_eq!(config["kdim"], Value::Null);
    // (L, N, E) with batch_first=False: the sequence is the first axis.
    let length = fixture["input_shape"][0].as_u64().expect("L");
    let layer = Layer::MultiHeadAttention(MultiHeadAttention {
        num_heads: heads,
        key_dim: e / heads,
        use_bias: config["bias"] == true,
        ..MultiHeadAttention::default()
    });
    let x = Shape::known(&[length, e]);
    let inputs = [x.clone(), x];
    let mut ours = Vec::new();
    multi(&layer)
        .weights(
            &inputs,
            Convention::PyTorch,
            &mut Weights::each(&mut |w| {
                ours.push((w.name.to_string(), w.shape().to_vec()));
            }),
        )
        .expect("weights");
    let expected: Vec<(String, Vec<u64>)> = fixture["expected"]["per_parameter"]
        .as_object()
        .expect("per_parameter")
        .iter()
        .map(|(name, shape)| {
            (
                name.clone(),
                shape
                    .as_array()
                    .expect("shape")
                    .iter()
                    .map(|d| d.as_u64().expect("size"))
                    .collect(),
            )
        })
        .collect();
    // serde_json reads the object's keys sorted, so names and shapes are compared as a set
    // (the live check compares the order with real PyTorch).
    let mut sorted = ours.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    let total: u64 = ours.iter().map(|w| w.1.iter().product::<u64>()).sum();
    assert_eq!(Some(total), fixture["expected"]["params"].as_u64());
    let keras = multi(&layer)
        .explain(&inputs, Convention::Keras)
        .expect("explain");
    assert_eq!(
        keras.steps.last().map(|s| s.value),
        Some(total),
        "the same count"
    );
    assert!(
        keras.notes.iter().any(|n| n.contains("faithful twin")),
        "{:#?}",
        keras.notes
    );
}

/// Calls the graph fixtures do not hold (tests/support/keras_attention_fixtures.py recorded
/// them from real Keras): scores of every kind, key lengths other than the query's, gates, a
/// grid and a two-axis output_shape.
#[test]
fn more_attention_calls_match_keras_shapes_and_weights() {
    let text = fs::read_to_string("tests/fixtures/keras_attention/calls.json").expect("fixture");
    let fixture: Value = serde_json::from_str(&text).expect("json");
    let calls = fixture["calls"].as_array().expect("calls");
    assert!(calls.len() >= 9);
    for call in calls {
        let name = call["name"].as_str().expect("name");
        let class = call["class"].as_str().expect("class");
        let layer = layer_from_keras(class, &call["config"]).expect("reads the config");
        let inputs: Vec<Shape> = call["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .map(input_shape)
            .collect();
        let options = CallOptions {
            return_attention_scores: call["return_attention_scores"] == true,
            ..CallOptions::default()
        };
        let got = multi(&layer)
            .output(&inputs, options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let shapes: Vec<Shape> = call["output_shapes"]
            .as_array()
            .expect("outputs")
            .iter()
            .map(shape)
            .collect();
        let expected = match shapes.as_slice() {
            [one] => Output::One(one.clone()),
            _ => Output::Many(shapes),
        };
        assert_eq!(got, expected, "{name}");
        let mut ours = Vec::new();
        multi(&layer)
            .weights(
                &inputs,
                Convention::Keras,
                &mut Weights::each(&mut |w| {
                    ours.push(serde_json::json!({"path": w.name, "shape": w.shape()}));
                }),
            )
            .expect("weights");
        assert_eq!(Value::Array(ours), call["weights"], "{name}");
    }
}
