//! Structural edits of graph designs keep the wiring true. Every valid functional model in
//! tests/fixtures/keras_graph is edited at every position: who reads a layer agrees with the
//! "Connected to" Keras printed, and inserting a layer then removing it gives back the model
//! Keras built (rows, shapes, connections, totals).

use std::fs;

use crate::common;
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::graph::{Call, Reader};
use lstm_tui::model::layers::{Dense, Dropout};
use lstm_tui::model::{Convention, Design, Layer, Summary, layer_names};
use lstm_tui::report::json as summary_json;
use lstm_tui::store::{parse_design, to_ron};
use serde_json::Value;

const DIR: &str = "tests/fixtures/keras_graph";

/// Each valid fixture: its file name, the design imported from its Keras JSON, and what Keras
/// printed.
fn valid_fixtures() -> Vec<(String, Design, Value)> {
    common::fixture_files(DIR, "json")
        .into_iter()
        .filter_map(|path| {
            let fixture: Value =
                serde_json::from_str(&fs::read_to_string(&path).expect("readable")).expect("JSON");
            if fixture["expected"]["ok"] == Value::Bool(false) {
                return None;
            }
            let file = path.file_name()?.to_string_lossy().to_string();
            let text = serde_json::to_string(&fixture["keras_json"]).expect("JSON");
            let design = design_from_keras_json(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            Some((file, design, fixture))
        })
        .collect()
}

/// The summary's rows as `summary --format json` prints them.
fn rows(design: &Design) -> Value {
    let json = summary_json(&Summary::of(design, Convention::Keras));
    assert_eq!(json["ok"], Value::Bool(true), "{}", json["error"]);
    json["rows"].clone()
}

#[test]
fn readers_of_each_layer_are_the_layers_keras_connects_to_it() {
    let mut checked = 0;
    for (file, design, fixture) in valid_fixtures() {
        let names = layer_names(&design.layers);
        let keras_rows = fixture["expected"]["rows"]
            .as_array()
            .expect("rows")
            .clone();
        // A model Keras prints as a chain shows no connections to compare with.
        if keras_rows.iter().all(|r| r["connected_to"].is_null()) {
            continue;
        }
        let outputs: Vec<String> = fixture["outputs"]
            .as_array()
            .expect("outputs")
            .iter()
            .map(|o| o.as_str().expect("text").to_string())
            .collect();
        for (at, name) in names.iter().enumerate() {
            // Keras' rows that list `name` among their connections, implicit `NotEqual`
            // rows (which read the layer's mask, not its call) aside.
            let mut want: Vec<String> = keras_rows
                .iter()
                .filter(|r| !r["implicit_op"].as_bool().unwrap_or(false))
                .filter(|r| {
                    r["connected_to"].as_array().is_some_and(|c| {
                        c.iter().any(|t| {
                            t.as_str()
                                .is_some_and(|t| t.split('[').next() == Some(name.as_str()))
                        })
                    })
                })
                .map(|r| r["name"].as_str().expect("name").to_string())
                .collect();
            if outputs
                .iter()
                .any(|o| o.split('[').next() == Some(name.as_str()))
            {
                want.push("<output>".into());
            }
            let mut got: Vec<String> = design
                .readers(at)
                .into_iter()
                .map(|r| match r {
                    Reader::Layer(i) => names[i].clone(),
                    Reader::Shared(s) => design.graph.shared[s].layer.clone(),
                    Reader::Output => "<output>".into(),
                })
                .collect();
            want.sort();
            want.dedup();
            got.sort();
            got.dedup();
            assert_eq!(got, want, "{file}: readers of {name}");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} layers checked");
}

#[test]
fn inserting_then_removing_a_layer_anywhere_gives_back_the_model_keras_built() {
    let dropout = || Layer::Dropout(Dropout::default());
    let dense = || {
        Layer::Dense(Dense {
            units: 3,
            ..Dense::default()
        })
    };
    for (file, design, fixture) in valid_fixtures() {
        let want = fixture["expected"]["rows"].clone();
        let names = layer_names(&design.layers);
        for at in 0..=design.layers.len() {
            // A chain step: the new layer reads the call before it and feeds the next one.
            let mut edited = design.clone();
            edited.insert_layer(at, dropout(), None);
            assert_eq!(
                layer_names(&edited.layers)
                    .into_iter()
                    .enumerate()
                    .filter(|&(i, _)| i != at)
                    .map(|(_, n)| n)
                    .collect::<Vec<_>>(),
                names,
                "{file}: inserting at {at} renames no layer"
            );
            let bypass = edited.bypass_ref(at);
            edited.remove_layer(at, Some(&bypass));
            assert_same_rows(&rows(&edited), &want, &format!("{file}: step at {at}"));

            // A branch off the call before `at`, which the next layer does not read.
            let mut edited = design.clone();
            let from = edited.previous_ref(at);
            edited.insert_layer(at, dense(), Some(Call::on(&[&from])));
            let branch_name = &layer_names(&edited.layers)[at];
            assert!(
                !names.contains(branch_name),
                "{file}: the branch at {at} takes a name of its own, not {branch_name}"
            );
            edited.remove_layer(at, None);
            assert_same_rows(&rows(&edited), &want, &format!("{file}: branch at {at}"));
        }
    }
}

/// Rows equal in everything Keras printed: names, classes, shapes, counts and connections.
fn assert_same_rows(got: &Value, want: &Value, what: &str) {
    let (got, want) = (
        got.as_array().expect("rows"),
        want.as_array().expect("rows"),
    );
    assert_eq!(got.len(), want.len(), "{what}: row count");
    for (g, w) in got.iter().zip(want) {
        for key in ["name", "class", "output_shape", "params", "connected_to"] {
            // Keras prints no connections for a model it shows as a chain.
            if !w[key].is_null() {
                assert_eq!(g[key], w[key], "{what}: row {} {key}", w["name"]);
            }
        }
    }
}

#[test]
fn moving_a_layer_down_and_up_again_changes_nothing() {
    for (file, design, fixture) in valid_fixtures() {
        let want = fixture["expected"]["rows"].clone();
        for at in 0..design.layers.len().saturating_sub(1) {
            let mut edited = design.clone();
            edited.swap_layers(at);
            edited.swap_layers(at);
            assert_same_rows(&rows(&edited), &want, &format!("{file}: swap at {at}"));
        }
    }
}

#[test]
fn chains_stay_chains_and_their_files_do_not_change() {
    for path in common::fixture_files("tests/fixtures/designs/valid", "ron") {
        let text = fs::read_to_string(&path).expect("readable");
        let Ok(design) = parse_design(&text) else {
            continue;
        };
        if !design.graph.is_chain() {
            continue;
        }
        for at in 0..=design.layers.len() {
            let mut edited = design.clone();
            edited.insert_layer(at, Layer::Dropout(Dropout::default()), None);
            assert!(edited.graph.is_chain(), "{path:?}: insert at {at}");
            let bypass = edited.bypass_ref(at);
            edited.remove_layer(at, Some(&bypass));
            assert_eq!(to_ron(&edited), to_ron(&design), "{path:?}: at {at}");
        }
    }
}

#[test]
fn deleting_a_layer_hands_its_readers_the_tensor_chosen() {
    let path = format!("{DIR}/residual_dense_block.json");
    let fixture: Value =
        serde_json::from_str(&fs::read_to_string(path).expect("readable")).expect("JSON");
    let text = serde_json::to_string(&fixture["keras_json"]).expect("JSON");
    let mut design = design_from_keras_json(&text).expect("imports");
    let names = layer_names(&design.layers);
    // `dense_1` is read by the next layer; remove it and hand its readers `dense`'s output,
    // which has the same width, so the residual sum still builds.
    let at = names.iter().position(|n| n == "dense_1").expect("dense_1");
    let readers: Vec<String> = design
        .readers(at)
        .into_iter()
        .filter_map(|r| match r {
            Reader::Layer(i) => Some(names[i].clone()),
            _ => None,
        })
        .collect();
    assert!(!readers.is_empty(), "dense_1 has readers");
    design.remove_layer(at, Some("dense"));
    let rows = rows(&design);
    for reader in readers {
        let row = rows
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["name"] == Value::String(reader.clone()))
            .unwrap_or_else(|| panic!("{reader} still a row"));
        let connected = row["connected_to"].to_string();
        assert!(
            connected.contains("dense[0][0]") && !connected.contains("dense_1"),
            "{reader} now reads dense: {connected}"
        );
    }
}
