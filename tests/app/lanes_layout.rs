//! The layer list's lanes for real Keras functional models (tests/fixtures/keras_graph),
//! imported through the Keras JSON importer: every row reads what Keras recorded it calling,
//! outputs are marked, and the pictures of a residual block, an inception block, an
//! encoder–decoder and a transformer block join the lanes they should.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::common;
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::{Convention, Design, Summary};
use lstm_tui::report::lanes::{Entry, Lanes};
use serde_json::Value;

const DIR: &str = "tests/fixtures/keras_graph";

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(DIR)
        .join(format!("{name}.json"));
    serde_json::from_str(&fs::read_to_string(path).expect("readable")).expect("JSON")
}

/// The fixture's model as the designer opens it: imported from Keras' own JSON.
pub fn fixture_design(name: &str) -> Design {
    let json = fixture(name)["keras_json"].to_string();
    design_from_keras_json(&json, name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn lanes_of(design: &Design) -> Lanes {
    Lanes::of(design, &Summary::of(design, Convention::Keras))
}

/// A tensor reference without its output index: `lstm[1]` → `lstm`.
fn producer(text: &str) -> String {
    match text.split_once('[') {
        Some((head, _)) => head.to_string(),
        None => text.to_string(),
    }
}

/// Each call's name (`dense`, `dense@1`) and the producers it reads, as Keras recorded them.
fn recorded_reads(fixture: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for layer in fixture["layers"].as_array().expect("layers") {
        let mut name = layer["name"].as_str().expect("name").to_string();
        if let Some(k) = layer["shared_call"].as_u64() {
            name = format!("{name}@{k}");
        }
        let mut reads: BTreeSet<String> = layer["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .map(|v| producer(v.as_str().expect("ref")))
            .collect();
        if let Some(kwargs) = layer["call_kwargs"].as_object() {
            for v in kwargs.values() {
                let refs = match v {
                    Value::Array(a) => a.clone(),
                    other => vec![other.clone()],
                };
                reads.extend(refs.iter().filter_map(Value::as_str).map(producer));
            }
        }
        out.insert(name, reads);
    }
    out
}

/// Each layer row's name and the names of the rows it reads, from the lanes.
fn drawn_reads(lanes: &Lanes) -> BTreeMap<String, BTreeSet<String>> {
    lanes
        .rows
        .iter()
        .filter(|r| !matches!(r.entry, Entry::Input(_)))
        .map(|r| {
            let reads = r
                .reads
                .iter()
                .map(|&s| lanes.rows[s].name.clone())
                .collect();
            (r.name.clone(), reads)
        })
        .collect()
}

#[test]
fn every_fixture_row_reads_what_keras_called_it_on_and_marks_the_outputs() {
    let mut problems = Vec::new();
    let mut ran = 0;
    for path in common::fixture_files(DIR, "json") {
        ran += 1;
        let name = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        let f = fixture(&name);
        if f["keras_json"].is_null() {
            // Keras refused to build it: there is no model to lay out.
            continue;
        }
        let Ok(design) = design_from_keras_json(&f["keras_json"].to_string(), &name) else {
            problems.push(format!("{name}: does not import"));
            continue;
        };
        let lanes = lanes_of(&design);
        let inputs: Vec<String> = lanes
            .rows
            .iter()
            .filter(|r| matches!(r.entry, Entry::Input(_)))
            .map(|r| r.name.clone())
            .collect();
        let wanted_inputs: Vec<String> = f["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .map(|i| i["name"].as_str().expect("name").to_string())
            .collect();
        if inputs != wanted_inputs {
            problems.push(format!(
                "{name}: inputs {inputs:?}, Keras {wanted_inputs:?}"
            ));
        }
        let (drawn, recorded) = (drawn_reads(&lanes), recorded_reads(&f));
        if drawn != recorded {
            problems.push(format!("{name}: reads {drawn:?}\n  Keras {recorded:?}"));
        }
        let outputs: BTreeSet<String> = lanes
            .rows
            .iter()
            .filter(|r| r.output)
            .map(|r| r.name.clone())
            .collect();
        let wanted: BTreeSet<String> = f["outputs"]
            .as_array()
            .expect("outputs")
            .iter()
            .map(|o| producer(o.as_str().expect("ref")))
            .collect();
        if outputs != wanted {
            problems.push(format!("{name}: outputs {outputs:?}, Keras {wanted:?}"));
        }
    }
    common::assert_ran_every_fixture(DIR, "json", ran);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Row `name`'s lane characters as text.
fn picture(lanes: &Lanes, name: &str) -> String {
    let row = lanes
        .rows
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("a row named {name}"));
    row.cells.iter().map(|c| c.glyph()).collect::<String>()
}

#[test]
fn a_residual_block_keeps_its_input_beside_the_layers_it_skips() {
    // features → dense → dense_1 → add(features, dense_1) → activation → dense_2.
    let lanes = lanes_of(&fixture_design("residual_dense_block"));
    assert_eq!(lanes.columns, 2);
    assert_eq!(picture(&lanes, "features").trim_end(), "○");
    // dense reads features, which goes on to the add: a line beside it.
    assert_eq!(picture(&lanes, "dense"), "├─●");
    assert_eq!(picture(&lanes, "dense_1"), "│ ●");
    // The add ends both lanes.
    assert_eq!(picture(&lanes, "add"), "●─╯");
    assert_eq!(picture(&lanes, "dense_2").trim_end(), "◉");
}

#[test]
fn an_inception_block_branches_four_ways_and_merges_once() {
    // image feeds four branches; one Concatenate joins their ends.
    let lanes = lanes_of(&fixture_design("inception_block_conv2d"));
    assert_eq!(lanes.columns, 4);
    assert_eq!(picture(&lanes, "concatenate"), "●─┴─┴─╯");
    // The last branch to read the image ends its lane.
    let readers = lanes
        .rows
        .iter()
        .filter(|r| r.reads.iter().any(|&s| lanes.rows[s].name == "image"))
        .count();
    assert_eq!(readers, 4);
    let joined = lanes
        .rows
        .iter()
        .find(|r| r.name == "concatenate")
        .expect("concatenate")
        .reads
        .len();
    assert_eq!(joined, 4);
}

#[test]
fn an_encoder_decoder_hands_the_states_across_and_marks_both_inputs() {
    let lanes = lanes_of(&fixture_design("seq2seq_lstm_encoder_decoder"));
    assert_eq!(lanes.columns, 2);
    assert_eq!(picture(&lanes, "encoder_inputs").trim_end(), "○");
    assert_eq!(picture(&lanes, "decoder_inputs"), "│ ○");
    // The decoder LSTM reads the encoder's states and its own input: two lanes join.
    assert_eq!(picture(&lanes, "lstm_1"), "●─╯");
    assert_eq!(picture(&lanes, "dense").trim_end(), "◉");
}

#[test]
fn a_transformer_block_shows_both_residual_adds() {
    let lanes = lanes_of(&fixture_design("transformer_encoder_block"));
    assert_eq!(lanes.columns, 2);
    // Query, value and key are one tensor: one line, which goes on to the residual add.
    assert_eq!(picture(&lanes, "multi_head_attention"), "├─●");
    assert_eq!(picture(&lanes, "add_1"), "●─╯");
    assert_eq!(picture(&lanes, "dense"), "├─●");
    assert_eq!(picture(&lanes, "add_2"), "●─╯");
}

#[test]
fn a_chain_draws_no_lanes() {
    for design in [Design::example(), fixture_design("functional_chain_dense")] {
        let lanes = lanes_of(&design);
        assert_eq!(lanes.columns, 0, "{}", design.name);
        assert!(lanes.rows.iter().all(|r| r.cells.is_empty()));
        assert_eq!(lanes.rows.len(), design.layers.len() + 1);
    }
}

#[test]
fn folded_notes_name_what_a_row_reads() {
    let lanes = lanes_of(&fixture_design("residual_dense_block"));
    let note = |name: &str| {
        lanes
            .rows
            .iter()
            .find(|r| r.name == name)
            .expect("row")
            .note
            .clone()
    };
    // A row reading only the row above needs no note.
    assert_eq!(note("dense"), "");
    assert_eq!(note("dense_1"), "");
    assert_eq!(note("add"), "← features, dense_1");
    assert_eq!(note("dense_2"), "→ output");
}
