//! Every file in tests/fixtures/keras_graph (real Keras 3 functional models) built two ways,
//! from its own `inputs`/`layers`/`outputs` fields and from its `keras_json`, then compared
//! with what Keras printed: rows in Keras' order, names, classes, shapes, counts, weights,
//! "Connected to", totals and layout; refused graphs must fail at the same layer with a fix.
//! A new fixture file is a new case; all failures are reported together.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common;
use lstm_tui::interop::{design_from_keras_json, layer_from_keras};
use lstm_tui::model::design::VERSION;
use lstm_tui::model::graph::{Call, Graph, NamedInput, SharedCall};
use lstm_tui::model::layers::CallOptions;
use lstm_tui::model::{
    Budget, Convention, Design, Dtype, Input, LayerError, Shape, Source, Summary, Weights,
};
use lstm_tui::report::json as summary_json;
use serde_json::Value;

const DIR: &str = "tests/fixtures/keras_graph";

/// Files whose layer kinds lstm-tui does not model yet (attention, EinsumDense,
/// RMSNormalization). A listed file must still fail somewhere (one that passes every check is
/// reported, so the list only shrinks); every other file must pass.
const PENDING: &[&str] = &[];

pub(crate) fn read(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).expect("readable")).expect("JSON")
}

/// Runs `check` on every fixture not pending and fails once, listing every problem.
fn each_fixture(check: impl Fn(&Value, &mut Vec<String>)) {
    each_fixture_in(DIR, check);
}

/// Runs `check` on every fixture in `dir` (in this folder's layout) not pending, and fails
/// once, listing every problem.
pub(crate) fn each_fixture_in(dir: &str, check: impl Fn(&Value, &mut Vec<String>)) {
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in common::fixture_files(dir, "json") {
        ran += 1;
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if PENDING.contains(&file.as_str()) {
            continue;
        }
        let mut problems = Vec::new();
        check(&read(&path), &mut problems);
        failures.extend(problems.into_iter().map(|p| format!("{file}: {p}")));
    }
    common::assert_ran_every_fixture(dir, "json", ran);
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Both ways of building a fixture, each compared with Keras.
fn every_check(fixture: &Value, problems: &mut Vec<String>) {
    check_fields(fixture, problems);
    check_keras_json(fixture, problems);
}

#[test]
fn pending_files_still_fail() {
    let mut stale = Vec::new();
    for file in PENDING {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join(file);
        assert!(
            path.exists(),
            "PENDING names {file}, which is not a fixture"
        );
        let mut problems = Vec::new();
        every_check(&read(&path), &mut problems);
        if problems.is_empty() {
            stale.push(*file);
        }
    }
    assert!(
        stale.is_empty(),
        "these pass now; take them off PENDING: {stale:?}"
    );
}

fn shape(v: &Value) -> Shape {
    Shape(
        v.as_array()
            .map(|a| a.iter().map(Value::as_u64).collect())
            .unwrap_or_default(),
    )
}

fn dtype(v: &Value) -> Dtype {
    if v.as_str().is_some_and(|d| d.starts_with("int")) {
        Dtype::Int32
    } else {
        Dtype::Float32
    }
}

fn refs(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|r| r.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// The design the fixture's own fields describe: its inputs, each layer call with its
/// tensors, the shared calls, its outputs.
pub(crate) fn design_from_fields(fixture: &Value) -> Result<Design, String> {
    let inputs = fixture["inputs"].as_array().cloned().unwrap_or_default();
    let first = inputs.first().ok_or("no inputs")?;
    let mut graph = Graph {
        input_name: first["name"].as_str().map(String::from),
        inputs: inputs[1..]
            .iter()
            .map(|i| NamedInput {
                name: i["name"].as_str().map(String::from),
                shape: shape(&i["shape"]),
                dtype: dtype(&i["dtype"]),
            })
            .collect(),
        outputs: refs(&fixture["outputs"]),
        ..Graph::default()
    };
    let mut layers = Vec::new();
    for entry in fixture["layers"].as_array().cloned().unwrap_or_default() {
        let keywords: BTreeMap<String, Vec<String>> = entry["call_kwargs"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), refs(v))).collect())
            .unwrap_or_default();
        let options: CallOptions =
            serde_json::from_value(entry["call_options"].clone()).unwrap_or_default();
        let call = Call {
            inputs: refs(&entry["inputs"]),
            keywords,
            options,
        };
        let name = entry["name"].as_str().unwrap_or("").to_string();
        if entry["shared_call"].is_u64() {
            graph.shared.push(SharedCall {
                layer: name,
                after: layers.len() - 1,
                call,
            });
            continue;
        }
        let class = entry["class"].as_str().unwrap_or("");
        let mut config = entry["config"].clone();
        if !entry["inner"].is_null() {
            let inner = &entry["inner"];
            config["layer"] =
                serde_json::json!({"class_name": inner["class"], "config": inner["config"]});
        }
        let mut layer = layer_from_keras(class, &config).map_err(|e| e.to_string())?;
        layer.kind_mut().set_name(Some(name));
        graph.wiring.insert(layers.len(), call);
        layers.push(layer);
    }
    Ok(Design {
        version: VERSION,
        name: "functional".into(),
        input: Input {
            shape: shape(&first["shape"]),
            dtype: dtype(&first["dtype"]),
        },
        layers,
        budget: Budget::default(),
        graph: Box::new(graph),
    })
}

fn check_fields(fixture: &Value, problems: &mut Vec<String>) {
    match design_from_fields(fixture) {
        Ok(design) => compare(&design, &fixture["expected"], "fields", problems),
        Err(e) => problems.push(format!("fields: {e}")),
    }
}

pub(crate) fn check_keras_json(fixture: &Value, problems: &mut Vec<String>) {
    if fixture["keras_json"].is_null() {
        return;
    }
    let text = serde_json::to_string(&fixture["keras_json"]).expect("JSON");
    match design_from_keras_json(&text) {
        Ok(design) => compare(&design, &fixture["expected"], "keras_json", problems),
        Err(e) => problems.push(format!("keras_json: {e}")),
    }
}

/// Compares the summary (through its JSON, as `summary --format json` prints it) with Keras.
pub(crate) fn compare(design: &Design, expected: &Value, how: &str, problems: &mut Vec<String>) {
    let summary = Summary::of(design, Convention::Keras);
    let got = summary_json(&summary);
    if expected["ok"] == Value::Bool(false) {
        check_refusal(&summary, &got, expected, how, problems);
        return;
    }
    if got["ok"] != Value::Bool(true) {
        problems.push(format!("{how}: does not build: {}", got["error"]));
        return;
    }
    for key in ["total", "trainable", "non_trainable", "layout"] {
        if got[key] != expected[key] {
            problems.push(format!(
                "{how}: {key} {} (expected {})",
                got[key], expected[key]
            ));
        }
    }
    let want_rows = expected["rows"].as_array().cloned().unwrap_or_default();
    let got_rows = got["rows"].as_array().cloned().unwrap_or_default();
    let names = |rows: &[Value]| -> Vec<String> {
        rows.iter()
            .map(|r| r["name"].as_str().unwrap_or("?").to_string())
            .collect()
    };
    if names(&want_rows) != names(&got_rows) {
        problems.push(format!(
            "{how}: rows {:?} (expected {:?})",
            names(&got_rows),
            names(&want_rows)
        ));
        return;
    }
    for (i, (want, have)) in want_rows.iter().zip(&got_rows).enumerate() {
        for key in common::ROW_KEYS {
            if want[key] != have[key] {
                problems.push(format!(
                    "{how}: row {i} {key}: {} (expected {})",
                    have[key], want[key]
                ));
            }
        }
        if !want["connected_to"].is_null() && want["connected_to"] != have["connected_to"] {
            problems.push(format!(
                "{how}: row {i} connected_to: {} (expected {})",
                have["connected_to"], want["connected_to"]
            ));
        }
        if want["implicit_op"].as_bool().unwrap_or(false)
            != have["implicit_op"].as_bool().unwrap_or(false)
        {
            problems.push(format!("{how}: row {i} implicit_op differs"));
        }
    }
    check_weights(design, &summary, &want_rows, how, problems);
}

/// Weight tensors: names (last path component), shapes and trainable, in Keras' order.
fn check_weights(
    design: &Design,
    summary: &Summary,
    want_rows: &[Value],
    how: &str,
    problems: &mut Vec<String>,
) {
    for (i, (row, want)) in summary.rows.iter().zip(want_rows).enumerate() {
        let mut got = Vec::new();
        if let Source::Layer(l) = row.source {
            let layer = &design.layers[l];
            let frozen = layer.frozen();
            let mut sink = |w: lstm_tui::model::Weight| {
                // The last path component, as for Keras' paths below (attention's full
                // `query/kernel` paths are checked in the model tests).
                got.push((
                    w.name.rsplit('/').next().unwrap_or("").to_string(),
                    w.shape().to_vec(),
                    w.trainable && !frozen,
                ));
            };
            let result = match layer.kind().multi() {
                Some(multi) => multi.weights(
                    summary.call_inputs(row),
                    Convention::Keras,
                    &mut Weights::each(&mut sink),
                ),
                None => layer.kind().weights(
                    &row.input,
                    Convention::Keras,
                    &mut Weights::each(&mut sink),
                ),
            };
            if let Err(e) = result {
                problems.push(format!("{how}: row {i} weights: {e}"));
                continue;
            }
        }
        let want: Vec<(String, Vec<u64>, bool)> = want["weights"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|w| {
                let path = w["path"].as_str().unwrap_or("");
                let name = path.rsplit('/').next().unwrap_or("").to_string();
                let shape = w["shape"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Value::as_u64)
                    .collect();
                (name, shape, w["trainable"].as_bool().unwrap_or(true))
            })
            .collect();
        if got != want {
            problems.push(format!(
                "{how}: row {i} weights {got:?} (expected {want:?})"
            ));
        }
    }
}

/// A refused graph fails at Keras' layer, with a fix hint.
fn check_refusal(
    summary: &Summary,
    got: &Value,
    expected: &Value,
    how: &str,
    problems: &mut Vec<String>,
) {
    if got["ok"] != Value::Bool(false) {
        problems.push(format!(
            "{how}: Keras refuses this graph but the summary builds"
        ));
        return;
    }
    for key in ["failing_layer", "failing_layer_index"] {
        if got[key] != expected[key] {
            problems.push(format!(
                "{how}: {key} {} (expected {}): {}",
                got[key], expected[key], got["error"]
            ));
        }
    }
    let fix = summary.error.as_ref().map(|e| match &e.error {
        LayerError::Shape(m) => m.fix.clone(),
        other => other.to_string(),
    });
    if fix.is_none_or(|f| f.trim().is_empty()) {
        problems.push(format!("{how}: the refusal gives no fix: {}", got["error"]));
    }
}

#[test]
fn functional_graphs_match_keras() {
    each_fixture(check_fields);
}

#[test]
fn functional_keras_json_imports_match_keras() {
    each_fixture(check_keras_json);
}

/// The design of the fixture `file`, built from its own fields.
fn fixture_design(file: &str) -> Design {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join(file);
    design_from_fields(&read(&path)).expect("a fixture design")
}

#[test]
fn an_unknown_reference_is_refused_at_its_layer_with_the_names_to_use() {
    let mut design = fixture_design("residual_dense_block.json");
    let call = design.graph.wiring.get_mut(&2).expect("layer 2 is wired");
    call.inputs = vec!["nowhere".into()];
    let summary = Summary::of(&design, Convention::Keras);
    let error = summary.error.expect("refused");
    assert_eq!(error.index, 2);
    let text = error.to_string();
    assert!(text.contains("`nowhere` names no input or layer"), "{text}");
    assert!(text.contains("dense"), "names the layers to use: {text}");
}

#[test]
fn a_cycle_is_refused_at_its_first_layer() {
    let mut design = fixture_design("residual_dense_block.json");
    let last = design.layers.len() - 1;
    let name = Summary::of(&design, Convention::Keras)
        .rows
        .iter()
        .find(|r| r.source == Source::Layer(last))
        .map(|r| r.name.to_string())
        .expect("the last layer has a row");
    design.graph.wiring.get_mut(&0).expect("wired").inputs = vec![name];
    let error = Summary::of(&design, Convention::Keras)
        .error
        .expect("refused");
    assert_eq!(error.index, 0, "{error}");
    assert!(error.to_string().contains("cycle"), "{error}");
}

#[test]
fn a_graph_design_round_trips_through_its_file() {
    for file in [
        "shared_dense_three_calls.json",
        "seq2seq_lstm_encoder_decoder.json",
    ] {
        let design = fixture_design(file);
        let text = lstm_tui::store::to_ron(&design);
        let back =
            lstm_tui::store::parse_design(&text).unwrap_or_else(|e| panic!("{file}: {e}\n{text}"));
        assert_eq!(back, design, "{file}:\n{text}");
    }
}

#[test]
fn json_of_another_model_class_says_what_was_found_and_what_is_read() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(DIR)
        .join("residual_dense_block.json");
    let mut json = read(&path)["keras_json"].clone();
    json["class_name"] = Value::String("Sequential2".into());
    let error = design_from_keras_json(&json.to_string()).expect_err("refused");
    let text = error.to_string();
    assert!(text.contains("class_name `Sequential2`"), "{text}");
    assert!(text.contains("\"Sequential\" or \"Functional\""), "{text}");
}

#[test]
fn a_merge_in_a_graph_is_explained_from_all_its_tensors() {
    let design = fixture_design("dot_attention_matrix.json");
    let summary = Summary::of(&design, Convention::Keras);
    let dot = design
        .layers
        .iter()
        .position(|l| l.kind().class() == "Dot")
        .expect("a Dot layer");
    let row = summary.row_of(dot).expect("built");
    let text = lstm_tui::report::explain_text::layer(&design, &summary, dot);
    let shapes: Vec<String> = summary
        .call_inputs(row)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(shapes.len(), 2, "{text}");
    assert!(text.contains("no weights; shapes must"), "{text}");
    for s in &shapes {
        assert!(text.contains(s.as_str()), "names the input {s}: {text}");
    }
    assert!(text.contains("products"), "counts Dot's products: {text}");
}

#[test]
fn graph_designs_are_not_exported_as_chains() {
    use lstm_tui::interop::export::ExportFormat;
    let design = fixture_design("residual_dense_block.json");
    let summary = Summary::of(&design, Convention::Keras);
    let out = ExportFormat::Pytorch.write(&design, &summary);
    assert!(out.unsupported.is_empty(), "{:?}", out.unsupported);
    assert!(
        out.text.contains(".sum(0)  # add"),
        "the Add is written: {}",
        out.text
    );
    assert!(!out.text.contains("Sequential"), "{}", out.text);
    let json = ExportFormat::KerasJson.write(&design, &summary).text;
    assert!(json.contains("\"Functional\""), "{json}");
    assert!(!json.contains("Sequential"), "{json}");
    let code = ExportFormat::Keras.write(&design, &summary).text;
    assert!(code.contains("keras.Model(inputs=["), "{code}");
    assert!(!code.contains("Sequential"), "{code}");
}

/// tf.keras 2 functional JSON (tests/fixtures/tf_keras2/functional) gives the summary of the
/// same model's Keras 3 graph fixture: rows in Keras' order, "Connected to", totals.
#[test]
fn tf_keras2_functional_json_matches_the_keras3_graph_fixture() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in common::fixture_files("tests/fixtures/tf_keras2/functional", "json") {
        ran += 1;
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let case = read(&path);
        let same_as = case["same_as"].as_str().unwrap_or("");
        let keras3 = read(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(DIR)
                .join(format!("{same_as}.json")),
        );
        match design_from_keras_json(&case["model"].to_string()) {
            Ok(design) => {
                let mut problems = Vec::new();
                compare(&design, &keras3["expected"], "tf.keras 2", &mut problems);
                failures.extend(problems.into_iter().map(|p| format!("{file}: {p}")));
            }
            Err(e) => failures.push(format!("{file}: import failed: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    common::assert_ran_every_fixture("tests/fixtures/tf_keras2/functional", "json", ran);
}

#[test]
fn a_refused_graph_exports_pytorch_code_that_raises_at_the_failing_layer() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(DIR)
        .join("invalid_add_mismatched_shapes.json");
    let fixture = read(&path);
    let failing = fixture["expected"]["failing_layer"]
        .as_str()
        .expect("a name");
    let design = design_from_fields(&fixture).expect("a design");
    let code = lstm_tui::interop::torch::pytorch_export(&design).code;
    let raises = code
        .lines()
        .find(|l| l.contains("raise ValueError("))
        .unwrap_or_else(|| panic!("no refusal: {code}"));
    assert!(raises.contains(&format!("({failing} Add)")), "{raises}");
}

#[test]
fn diff_of_graphs_matches_layers_by_name() {
    use lstm_tui::model::diff::{Line, diff};
    let a = fixture_design("residual_dense_projection.json");
    let mut b = a.clone();
    // The first layer is removed: in a chain every later row would shift; by name, only its
    // own row goes and the rows wired to it change.
    let first = Summary::of(&a, Convention::Keras)
        .row_of(0)
        .map(|r| r.name.to_string())
        .expect("built");
    b.layers[0].kind_mut().set_name(Some("renamed".into()));
    for call in b.graph.wiring.values_mut() {
        for r in &mut call.inputs {
            if *r == first {
                *r = "renamed".into();
            }
        }
    }
    let d = diff(&a, &b, Convention::Keras);
    let removed: Vec<String> = d
        .lines()
        .filter_map(|l| match l {
            Line::Removed(r) => Some(r.name.to_string()),
            _ => None,
        })
        .collect();
    let added: Vec<String> = d
        .lines()
        .filter_map(|l| match l {
            Line::Added(r) => Some(r.name.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(removed, vec![first]);
    assert_eq!(added, vec!["renamed".to_string()]);
    let same = d.lines().filter(|l| matches!(l, Line::Same(..))).count();
    let changed = d.lines().filter(|l| matches!(l, Line::Changed(..))).count();
    assert!(changed >= 1, "the rows wired to it change");
    assert_eq!(same + changed + 1, d.b.rows.len());
}
