//! Keras functional code read without running it: every program in
//! tests/fixtures/keras_python_graph/ must give the model JSON real Keras wrote for it
//! (`model.to_json()`, recorded beside it by tests/support/keras_python_graph.py) on every field
//! an importer reads, and every program in its `invalid/` folder must be refused where its first
//! line says.

use std::fs;
use std::path::{Path, PathBuf};

use lstm_tui::interop::python::{design_from_python, functional_json_from_python};
use lstm_tui::model::{Convention, Summary};
use serde_json::{Map, Value};

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keras_python_graph")
}

fn programs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no programs in {}", dir.display());
    files
}

/// A tensor reference as an importer reads it: its `keras_history`, and its shape when the
/// side under test knows one.
fn tensor_history(v: &Value) -> Option<&Value> {
    (v.get("class_name")? == "__keras_tensor__").then(|| &v["config"]["keras_history"])
}

/// Call arguments with tensors reduced to their history.
fn references(v: &Value) -> Value {
    if let Some(h) = tensor_history(v) {
        return serde_json::json!({ "tensor": h });
    }
    match v {
        Value::Array(items) => Value::Array(items.iter().map(references).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), references(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Whether `v` is a tensor of booleans: a mask.
fn is_mask(v: &Value) -> bool {
    tensor_history(v).is_some() && v["config"]["dtype"] == "bool"
}

/// The names of the operations Keras adds to compute masks: those whose output some call
/// receives as a boolean tensor. An importer reads past them (the summary adds them again).
fn mask_operations(model: &Value) -> Vec<String> {
    fn visit(v: &Value, out: &mut Vec<String>) {
        if is_mask(v) {
            out.extend(v["config"]["keras_history"][0].as_str().map(str::to_string));
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|x| visit(x, out)),
            Value::Object(map) => map.values().for_each(|x| visit(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    visit(&model["config"]["layers"], &mut out);
    out
}

/// Keyword arguments Keras records that carry no information for an importer: `training`
/// (only matters when the model runs), a `mask` of None (the default) and a mask Keras
/// computed itself.
fn informative_kwargs(kwargs: &Value) -> Value {
    let mut out = Map::new();
    for (k, v) in kwargs.as_object().unwrap() {
        if k == "training" || (k == "mask" && (v.is_null() || is_mask(v))) {
            continue;
        }
        out.insert(k.clone(), references(v));
    }
    Value::Object(out)
}

/// Keras writes a size given as `3` as `[3]` or `[3, 3]` where the parameter takes one per
/// axis.
fn same_value(ours: &Value, keras: &Value) -> bool {
    match (ours, keras) {
        (Value::Number(_), Value::Array(b)) if !b.is_empty() => {
            b.iter().all(|item| same_value(ours, item))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Object(a), Value::Object(b)) => same_config(a, b).is_ok(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y))
        }
        _ => ours == keras,
    }
}

/// Every key our config sets holds Keras' value (the rest are Keras' defaults, which an
/// importer fills in the same way).
fn same_config(ours: &Map<String, Value>, keras: &Map<String, Value>) -> Result<(), String> {
    for (k, v) in ours {
        match keras.get(k) {
            Some(kv) if same_value(v, kv) => {}
            other => return Err(format!("`{k}`: ours {v}, Keras {other:?}")),
        }
    }
    Ok(())
}

fn shapes_agree(ours: &Value, keras: &Value, at: &str) {
    if let (Some(_), Some(_)) = (tensor_history(ours), tensor_history(keras)) {
        let shape = &ours["config"]["shape"];
        if !shape.is_null() {
            assert_eq!(shape, &keras["config"]["shape"], "{at}: tensor shape");
        }
        return;
    }
    match (ours, keras) {
        (Value::Array(a), Value::Array(b)) => {
            a.iter().zip(b).for_each(|(x, y)| shapes_agree(x, y, at));
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                if let Some(kv) = b.get(k) {
                    shapes_agree(v, kv, at);
                }
            }
        }
        _ => {}
    }
}

fn compare(ours: &Value, keras: &Value, file: &str) {
    let (o, k) = (&ours["config"], &keras["config"]);
    assert_eq!(o["name"], k["name"], "{file}: model name");
    assert_eq!(o["input_layers"], k["input_layers"], "{file}: input_layers");
    assert_eq!(
        o["output_layers"], k["output_layers"],
        "{file}: output_layers"
    );
    let masks = mask_operations(keras);
    let layers = |v: &Value| -> Vec<Value> {
        v["config"]["layers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| !masks.iter().any(|m| l["name"] == m.as_str()))
            .cloned()
            .collect()
    };
    let (ours_layers, keras_layers) = (layers(ours), layers(keras));
    let names = |v: &[Value]| -> Vec<String> {
        v.iter()
            .map(|l| l["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(&ours_layers),
        names(&keras_layers),
        "{file}: layers, in Keras' order"
    );
    for (ol, kl) in ours_layers.iter().zip(&keras_layers) {
        let at = format!("{file}: layer {}", ol["name"]);
        assert_eq!(ol["class_name"], kl["class_name"], "{at}: class");
        assert_eq!(ol["module"], kl["module"], "{at}: module");
        assert_eq!(
            ol["registered_name"], kl["registered_name"],
            "{at}: registered_name"
        );
        if let Err(why) = same_config(
            ol["config"].as_object().unwrap(),
            kl["config"].as_object().unwrap(),
        ) {
            panic!("{at}: config {why}");
        }
        let (on, kn) = (
            ol["inbound_nodes"].as_array().unwrap(),
            kl["inbound_nodes"].as_array().unwrap(),
        );
        assert_eq!(on.len(), kn.len(), "{at}: number of calls");
        for (i, (a, b)) in on.iter().zip(kn).enumerate() {
            assert_eq!(
                references(&a["args"]),
                references(&b["args"]),
                "{at}: call {i} args"
            );
            assert_eq!(
                informative_kwargs(&a["kwargs"]),
                informative_kwargs(&b["kwargs"]),
                "{at}: call {i} kwargs"
            );
            shapes_agree(a, b, &format!("{at}: call {i}"));
        }
    }
}

#[test]
fn functional_programs_give_the_json_keras_wrote() {
    for path in programs(&folder()) {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let source = fs::read_to_string(&path).unwrap();
        let recorded: Value =
            serde_json::from_str(&fs::read_to_string(path.with_extension("json")).unwrap())
                .unwrap();
        let ours = match functional_json_from_python(&source) {
            Ok(Some(json)) => json,
            Ok(None) => panic!("{file}: not read as a functional model"),
            Err(e) => panic!("{file}: refused: {e}"),
        };
        compare(&ours, &recorded["to_json"], &file);
    }
}

#[test]
fn the_transformer_example_builds_all_its_blocks() {
    let source = fs::read_to_string(folder().join("timeseries_transformer.py")).unwrap();
    let recorded: Value = serde_json::from_str(
        &fs::read_to_string(folder().join("timeseries_transformer.json")).unwrap(),
    )
    .unwrap();
    let ours = functional_json_from_python(&source).unwrap().unwrap();
    let count = |v: &Value, class: &str| {
        v["config"]["layers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["class_name"] == class)
            .count()
    };
    for class in ["MultiHeadAttention", "Add", "Conv1D", "Dropout"] {
        assert_eq!(
            count(&ours, class),
            count(&recorded["to_json"], class),
            "{class}"
        );
    }
    // `model.layers` leaves out tensor operations such as `x + res`.
    let layers = ours["config"]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["module"] == "keras.layers")
        .count();
    assert_eq!(recorded["layer_count"], layers);
}

#[test]
fn sequential_code_is_left_to_the_sequential_reader() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/python/valid");
    for path in programs(&dir) {
        let source = fs::read_to_string(&path).unwrap();
        assert!(
            functional_json_from_python(&source).unwrap().is_none(),
            "{}",
            path.display()
        );
    }
}

/// The whole path `lstm-tui import model.py` takes: each program, read as a design and
/// summarised by the graph engine, has the layers and the counts real Keras reported for it.
/// (Its recorded table was printed with `line_length=120` into an 80-column console, a layout
/// no terminal gives, so the table itself is compared for the keras_graph fixtures instead.)
#[test]
fn functional_programs_import_with_keras_layers_and_counts() {
    let mut problems = Vec::new();
    for path in programs(&folder()) {
        let source = fs::read_to_string(&path).unwrap();
        let recorded: Value =
            serde_json::from_str(&fs::read_to_string(path.with_extension("json")).unwrap())
                .unwrap();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let design = match design_from_python(&source) {
            Ok(d) => d,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        let summary = Summary::of(&design, Convention::Keras);
        if let Some(e) = &summary.error {
            problems.push(format!("{file}: does not build: {e}"));
            continue;
        }
        let counts = (summary.totals.trainable, summary.totals.non_trainable);
        let want = (
            recorded["trainable"].as_u64().unwrap(),
            recorded["non_trainable"].as_u64().unwrap(),
        );
        if counts != want {
            problems.push(format!("{file}: counts {counts:?}, Keras {want:?}"));
        }
        let mut got: Vec<String> = summary.rows.iter().map(|r| r.name.to_string()).collect();
        let mut keras: Vec<String> = recorded["to_json"]["config"]["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_string())
            .collect();
        got.sort();
        keras.sort();
        if got != keras {
            problems.push(format!("{file}: layers {got:?}, Keras {keras:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn programs_outside_the_subset_are_refused_where_written() {
    for path in programs(&folder().join("invalid")) {
        let source = fs::read_to_string(&path).unwrap();
        let first = source.lines().next().unwrap();
        let expect = first.strip_prefix("# expect: ").unwrap();
        let (at, fragment) = expect.split_once(' ').unwrap();
        let err = match functional_json_from_python(&source) {
            Err(e) => e,
            Ok(v) => panic!("{}: accepted: {v:?}", path.display()),
        };
        assert_eq!(
            format!("{}:{}", err.line, err.column),
            at,
            "{}: {err}",
            path.display()
        );
        assert!(err.message.contains(fragment), "{}: {err}", path.display());
    }
}

#[test]
fn cut_programs_are_refused_or_read_never_panicking() {
    for path in programs(&folder()) {
        let source = fs::read_to_string(&path).unwrap();
        let cuts: Vec<usize> = source.char_indices().map(|(i, _)| i).step_by(7).collect();
        for cut in cuts {
            let _ = functional_json_from_python(&source[..cut]);
            let _ = design_from_python(&source[..cut]);
        }
    }
}
