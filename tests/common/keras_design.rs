//! A Keras fixture as the design lstm-tui imports from it.

use std::fs;

use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::Design;
use serde_json::Value;

/// The design of a file in tests/fixtures/keras, imported from its `keras_json`.
pub fn keras_fixture_design(file: &str) -> Design {
    let path = format!(
        "{}/tests/fixtures/keras/{file}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let fixture: Value =
        serde_json::from_str(&fs::read_to_string(path).expect("fixture")).expect("fixture JSON");
    design_from_keras_json(&fixture["keras_json"].to_string()).expect("imports")
}
