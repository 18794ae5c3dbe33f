//! Graph designs exported as Keras' functional `model.to_json()`: every valid file in
//! tests/fixtures/keras_graph is imported from its `keras_json`, exported, and the export
//! imported again; the summary (rows in Keras' order, shapes, counts, "Connected to", totals,
//! layout) must not change. The same for the Keras functional code export, read back by the
//! Python importer. That real Keras loads both exports is checked in tests/live.
//!
//! Every model in tests/fixtures/keras_masks, exported as JSON, lists the operations Keras
//! adds to compute masks, and hands each call its mask, as Keras' own `to_json()` did.

use std::fs;

use crate::common;
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::interop::export::ExportFormat;
use lstm_tui::interop::python::design_from_python;
use lstm_tui::model::{Convention, Summary};
use lstm_tui::report::json as summary_json;
use serde_json::Value;

const DIR: &str = "tests/fixtures/keras_graph";

#[test]
fn graph_keras_json_exports_import_back_to_the_same_summary() {
    round_trips(ExportFormat::KerasJson, |text| {
        design_from_keras_json(text).map_err(|e| e.to_string())
    });
}

#[test]
fn graph_keras_code_exports_import_back_to_the_same_summary() {
    round_trips(ExportFormat::Keras, |text| {
        design_from_python(text).map_err(|e| e.to_string())
    });
}

/// Every valid graph fixture exported in `format` and read back by `import` keeps its summary.
fn round_trips(
    format: ExportFormat,
    import: impl Fn(&str) -> Result<lstm_tui::model::Design, String>,
) {
    let mut failures = Vec::new();
    let mut ran = 0;
    let mut exported = 0;
    for path in common::fixture_files(DIR, "json") {
        ran += 1;
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let fixture: Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("readable")).expect("JSON");
        if fixture["expected"]["ok"] == Value::Bool(false) || fixture["keras_json"].is_null() {
            continue;
        }
        let text = serde_json::to_string(&fixture["keras_json"]).expect("JSON");
        let design = design_from_keras_json(&text).expect("the fixture imports");
        let summary = Summary::of(&design, Convention::Keras);
        let out = format.write(&design, &summary);
        if !out.unsupported.is_empty() {
            failures.push(format!("{file}: export refused: {:?}", out.unsupported));
            continue;
        }
        let again = match import(&out.text) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!(
                    "{file}: the export does not import: {e}\n{}",
                    out.text
                ));
                continue;
            }
        };
        exported += 1;
        let before = summary_json(&summary);
        let after = summary_json(&Summary::of(&again, Convention::Keras));
        if before != after {
            failures.push(format!(
                "{file}: the summary changed\n  before: {before}\n  after:  {after}"
            ));
        }
    }
    common::assert_ran_every_fixture(DIR, "json", ran);
    assert!(exported > 40, "only {exported} fixtures exported");
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every masked functional model Keras recorded, imported and exported again as JSON, holds
/// the entries Keras' `to_json()` wrote, in its order: the same layers and mask operations
/// (module, class, name, the operations' configs) and every call with the same tensors, the
/// mask Keras hands it included. Without the operations, Keras reading the file adds them
/// itself under fresh names, and a `Concatenate` layer's mask takes the layer's own name.
#[test]
fn graph_keras_json_exports_write_mask_operations_as_keras_does() {
    const MASKS: &str = "tests/fixtures/keras_masks";
    let mut failures = Vec::new();
    let (mut compared, mut with_operations) = (0, 0);
    for path in common::fixture_files(MASKS, "json") {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let fixture: Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("readable")).expect("JSON");
        let keras = &fixture["keras_json"];
        if keras["class_name"] != "Functional" {
            continue;
        }
        let design = design_from_keras_json(&keras.to_string()).expect("the fixture imports");
        let summary = Summary::of(&design, Convention::Keras);
        let ours: Value =
            serde_json::from_str(&ExportFormat::KerasJson.write(&design, &summary).text)
                .expect("the export is JSON");
        let entries = |model: &Value| -> Vec<Value> {
            let layers = model["config"]["layers"].as_array().cloned();
            layers
                .unwrap_or_default()
                .iter()
                .map(entry_outline)
                .collect()
        };
        let (want, got) = (entries(keras), entries(&ours));
        compared += 1;
        if want.iter().any(|e| !e["module"].is_null()) {
            with_operations += 1;
        }
        if want != got {
            let differs = want.iter().zip(&got).find(|(w, g)| w != g);
            failures.push(format!(
                "{file}: {} entries from Keras, {} written; first difference: {differs:#?}",
                want.len(),
                got.len()
            ));
        }
    }
    assert!(
        with_operations > 40,
        "only {with_operations} models hold mask operations"
    );
    assert!(compared > 60, "only {compared} functional models compared");
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What of an entry the export must agree with Keras on: its class and name, an operation's
/// module and config, and each call's tensors as `keras_history` references (the shapes and
/// dtypes written beside them are placeholders Keras replaces). Two keywords Keras writes
/// change nothing when it reads the file, and are left out: a recurrent call's
/// `training=False`, its default, and `mask=None`, no mask.
fn entry_outline(entry: &Value) -> Value {
    let operation = entry["module"]
        .as_str()
        .is_some_and(|m| m.starts_with("keras.src.ops"));
    let calls: Vec<Value> = entry["inbound_nodes"]
        .as_array()
        .map(|nodes| nodes.iter().map(call_outline).collect())
        .unwrap_or_default();
    serde_json::json!({
        "class": entry["class_name"],
        "name": entry["name"],
        "module": if operation { entry["module"].clone() } else { Value::Null },
        "config": if operation { entry["config"].clone() } else { Value::Null },
        "calls": calls,
    })
}

/// One inbound node's tensors and keywords, as [`entry_outline`] compares them.
fn call_outline(node: &Value) -> Value {
    let keywords: serde_json::Map<String, Value> = node["kwargs"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, value)| *key != "training" && !(*key == "mask" && value.is_null()))
        .map(|(key, value)| (key.clone(), histories(value)))
        .collect();
    serde_json::json!({ "args": histories(&node["args"]), "kwargs": keywords })
}

/// A node's arguments with each serialized tensor replaced by its `keras_history`.
fn histories(value: &Value) -> Value {
    match value {
        Value::Object(o) if o.get("class_name") == Some(&Value::from("__keras_tensor__")) => {
            o["config"]["keras_history"].clone()
        }
        Value::Array(items) => Value::Array(items.iter().map(histories).collect()),
        other => other.clone(),
    }
}
