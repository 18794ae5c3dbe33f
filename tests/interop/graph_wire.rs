//! The wiring edits the designer offers (a merge closing a residual connection, a chain step
//! in an imported graph, outputs, inputs, renames) give the models Keras built: Keras' own
//! functional models from tests/fixtures/keras_graph are taken apart and wired again.

use std::fs;

use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::graph::NamedInput;
use lstm_tui::model::layers::{Add, Dropout};
use lstm_tui::model::{Convention, Design, Layer, Shape, Summary, layer_names};
use lstm_tui::report::json as summary_json;
use serde_json::Value;

/// A functional model from tests/fixtures/keras_graph, as a design, and what Keras printed.
fn keras_graph(name: &str) -> (Design, Value) {
    let path = format!("tests/fixtures/keras_graph/{name}.json");
    let fixture: Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("readable")).expect("JSON");
    let text = serde_json::to_string(&fixture["keras_json"]).expect("JSON");
    let design = design_from_keras_json(&text)
        .map(|mut d| {
            d.name = name.to_string();
            d
        })
        .expect("imports");
    (design, fixture)
}

/// Each row's name and its connections, sorted, as JSON text.
fn connections(rows: &Value) -> Vec<(String, Vec<String>)> {
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let mut links: Vec<String> = r["connected_to"]
                .as_array()
                .map(|c| {
                    c.iter()
                        .map(|t| t.as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default();
            links.sort();
            (r["name"].as_str().unwrap_or("").to_string(), links)
        })
        .collect()
}

fn summary(design: &Design) -> Value {
    summary_json(&Summary::of(design, Convention::Keras))
}

#[test]
fn merging_a_branch_back_closes_the_residual_connection_keras_built() {
    let (design, fixture) = keras_graph("residual_dense_block");
    let mut edited = design.clone();
    // Take the Add out, its reader reading the branch instead: a plain chain of dense layers.
    edited.remove_layer(2, Some("dense_1"));
    edited.merge_branch(1, Layer::Add(Add::default()), "features");
    let ours = summary(&edited);
    assert_eq!(ours["total"], fixture["expected"]["total"]);
    assert_eq!(
        connections(&ours["rows"]),
        connections(&fixture["expected"]["rows"])
    );
}

#[test]
fn a_merge_inserted_as_a_step_feeds_the_layer_after_it() {
    let (design, fixture) = keras_graph("residual_dense_block");
    let mut edited = design.clone();
    edited.remove_layer(2, Some("dense_1"));
    edited.insert_merge(
        2,
        Layer::Add(Add::default()),
        &["features".into(), "dense_1".into()],
    );
    let ours = summary(&edited);
    assert_eq!(ours["total"], fixture["expected"]["total"]);
    assert_eq!(
        connections(&ours["rows"]),
        connections(&fixture["expected"]["rows"])
    );
}

#[test]
fn a_step_inserted_in_an_imported_graph_is_read_by_the_layer_after_it() {
    let (design, _) = keras_graph("residual_dense_block");
    let mut edited = design.clone();
    // Every layer of an imported model names what it reads: dense_1 names dense.
    assert!(edited.graph.wiring.contains_key(&1));
    edited.insert_layer(1, Layer::Dropout(Dropout::default()), None);
    let ours = summary(&edited);
    let rows = connections(&ours["rows"]);
    let dense_1 = rows.iter().find(|(n, _)| n == "dense_1").expect("a row");
    assert_eq!(dense_1.1, ["dropout[0][0]"]);
}

#[test]
fn outputs_are_added_and_taken_back_but_never_all() {
    let (design, fixture) = keras_graph("residual_dense_block");
    let mut edited = design.clone();
    let add = layer_names(&edited.layers)
        .iter()
        .position(|n| n == "add")
        .expect("add");
    let last = edited.layers.len() - 1;
    assert!(edited.is_output(last) && !edited.is_output(add));
    assert!(edited.toggle_output(add));
    assert!(edited.is_output(add) && edited.is_output(last));
    assert_eq!(edited.graph.outputs, ["dense_2", "add"]);
    assert!(edited.toggle_output(add));
    assert!(!edited.toggle_output(last), "the only output stays");
    assert_eq!(summary(&edited)["total"], fixture["expected"]["total"]);
}

#[test]
fn inputs_are_added_with_keras_next_automatic_name_or_their_own() {
    let (mut design, _) = keras_graph("functional_chain_lstm_auto_input_name");
    let first = design.input_names();
    let input = || NamedInput {
        name: None,
        shape: Shape::known(&[8]),
        dtype: Default::default(),
    };
    let added = design.add_input(input());
    assert!(!first.contains(&added), "{added} is new");
    assert!(added.starts_with("input_layer"), "{added}");
    let named = design.add_input(NamedInput {
        name: Some("aux".into()),
        ..input()
    });
    assert_eq!(named, "aux");
    assert_eq!(design.input_names().len(), first.len() + 2);
}

#[test]
fn renaming_a_layer_renames_every_reference_to_it() {
    let (design, fixture) = keras_graph("residual_dense_block");
    let mut edited = design.clone();
    let mut layer = edited.layers[1].clone();
    layer.kind_mut().set_name(Some("body".into()));
    edited.replace_layer(1, layer);
    let ours = summary(&edited);
    assert_eq!(ours["total"], fixture["expected"]["total"]);
    let rows = connections(&ours["rows"]);
    let add = rows.iter().find(|(n, _)| n == "add").expect("a row");
    assert_eq!(add.1, ["body[0][0]", "features[0][0]"]);
    assert_eq!(edited.scope(2), ["features", "dense", "body"]);
}

#[test]
fn inputs_are_renamed_and_removed_with_every_reference_to_them() {
    let (design, fixture) = keras_graph("multi_input_text_and_numeric");
    let names = design.input_names();
    assert!(names.len() > 1, "{names:?}");
    let mut edited = design.clone();
    assert!(edited.rename_input(1, "renamed"));
    let ours = summary(&edited);
    assert_eq!(ours["total"], fixture["expected"]["total"]);
    let text = ours["rows"].to_string();
    assert!(text.contains("renamed[0][0]"), "{text}");
    assert!(!text.contains(&format!("\"{}[0][0]\"", names[1])), "{text}");
    assert!(!edited.rename_input(0, "renamed"), "a name already taken");
    assert!(!edited.remove_input(0, None), "the first input stays");
    assert!(edited.remove_input(1, Some(&names[0])));
    assert_eq!(edited.input_names().len(), names.len() - 1);
    assert!(!summary(&edited)["rows"].to_string().contains("renamed"));
}
