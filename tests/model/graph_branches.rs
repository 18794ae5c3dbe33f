//! A refusal in one branch of a graph: the branches that do not read from it still build,
//! and only the layers that depend on it wait, while the summary keeps what Keras reports.

use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::{Convention, Design, LayerState, Summary, layer_names};
use serde_json::Value;

/// A Keras functional fixture: its `model.to_json()` read as a design, and what Keras reported.
fn fixture(file: &str) -> (Design, Value) {
    let path = format!(
        "{}/tests/fixtures/keras_graph/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let json = value["keras_json"].to_string();
    let design = design_from_keras_json(&json).unwrap_or_else(|e| panic!("{e}"));
    (design, value)
}

/// The position of the design layer Keras named `name`.
fn layer(design: &Design, name: &str) -> usize {
    layer_names(&design.layers)
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no layer {name}"))
}

/// The text branch's LSTM rewired onto the numeric input (2-D: an LSTM needs a sequence).
fn text_branch_refused() -> (Design, Value) {
    let (mut design, keras) = fixture("multi_input_text_and_numeric.json");
    let lstm = layer(&design, "lstm");
    let call = design.graph.wiring.entry(lstm).or_default();
    call.inputs = vec!["numeric".into()];
    (design, keras)
}

#[test]
fn a_refused_branch_blocks_only_the_layers_reading_from_it() {
    let (design, keras) = text_branch_refused();
    let summary = Summary::of(&design, Convention::Keras);
    let lstm = layer(&design, "lstm");
    let error = summary.error.as_ref().expect("the LSTM is refused");
    assert_eq!(error.index, lstm, "{error}");
    assert!(summary.refusal(lstm).is_some());
    // The numeric branch does not read from the LSTM: built, with Keras' own numbers.
    let dense = layer(&design, "dense");
    assert!(summary.blocked_by(dense).is_none());
    let row = summary.row_of(dense).expect("the numeric branch is built");
    let expected = keras["expected"]["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["name"] == "dense"))
        .expect("Keras' dense row");
    assert_eq!(row.output.to_string(), "(None, 16)");
    assert_eq!(row.params.total().ok(), expected["params"].as_u64());
    // The merge and the head after it read from the LSTM: they wait for it.
    for name in ["concatenate", "dense_1", "dense_2"] {
        let i = layer(&design, name);
        assert_eq!(summary.blocked_by(i), Some(lstm), "{name}");
        assert!(summary.row_of(i).is_none(), "{name}");
    }
    // Built before the refusal, as before.
    let embedding = layer(&design, "embedding");
    assert!(summary.row_of(embedding).is_some());
    assert!(summary.blocked_by(embedding).is_none());
}

#[test]
fn the_summary_still_reports_what_keras_does_when_a_branch_is_refused() {
    let (design, _) = text_branch_refused();
    let summary = Summary::of(&design, Convention::Keras);
    // Keras stops at the refusal: its rows are those built before it, and so are the totals.
    let names: Vec<&str> = summary.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["text", "numeric", "embedding"]);
    assert_eq!(summary.totals, summary.rows[2].params);
    let ends = summary.ends.as_ref().expect("a graph");
    let dense = layer(&design, "dense");
    assert_eq!(ends.states.get(dense), Some(&LayerState::Unaffected(0)));
    assert_eq!(ends.unaffected.len(), 1);
}

#[test]
fn a_second_refusal_in_another_branch_keeps_its_own_reason() {
    let (mut design, _) = text_branch_refused();
    // The numeric branch's Dense called on both inputs: a Dense takes one tensor.
    let dense = layer(&design, "dense");
    let lstm = layer(&design, "lstm");
    design.graph.wiring.entry(dense).or_default().inputs = vec!["text".into(), "numeric".into()];
    let summary = Summary::of(&design, Convention::Keras);
    assert_eq!(summary.error.as_ref().map(|e| e.index), Some(lstm));
    let why = summary
        .refusal(dense)
        .expect("the Dense is refused too")
        .to_string();
    assert!(why.contains("one input tensor"), "{why}");
    assert!(summary.blocked_by(dense).is_none());
}
