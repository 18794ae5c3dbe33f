//! Graph designs exported as Keras' functional `model.to_json()`: every valid file in
//! tests/fixtures/keras_graph is imported from its `keras_json`, exported, and the export
//! imported again; the summary (rows in Keras' order, shapes, counts, "Connected to", totals,
//! layout) must not change. The same for the Keras functional code export, read back by the
//! Python importer. That real Keras loads both exports is checked in tests/live.

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
