//! The layer list's lanes for real Keras functional models (tests/fixtures/keras_graph),
//! imported through the Keras JSON importer: every row reads what Keras recorded it calling,
//! outputs are marked, and the pictures of a residual block, an inception block, an
//! encoder–decoder and a transformer block join the lanes they should; any wiring, however
//! odd, draws lanes that connect.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::common;
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::graph::{Call, Graph};
use lstm_tui::model::layers::Dense;
use lstm_tui::model::{Convention, Design, Layer, Shape, Summary};
use lstm_tui::report::lanes::{DOWN, Entry, LEFT, Lanes, RIGHT, UP};
use proptest::prelude::*;
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
    design_from_keras_json(&json)
        .map(|mut d| {
            d.name = name.to_string();
            d
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"))
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
        let Ok(design) = design_from_keras_json(&f["keras_json"].to_string()).map(|mut d| {
            d.name = name.to_string();
            d
        }) else {
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

/// What a cell passes down: the tensor of a line going down, or the call's own output when
/// a later row reads it from this column.
fn passes_down(lanes: &Lanes, r: usize, x: usize) -> Option<usize> {
    let cell = lanes.rows[r].cells[x];
    if cell.links & DOWN != 0 {
        return cell.tensor;
    }
    let read_later = lanes.rows[r + 1..].iter().any(|row| row.reads.contains(&r));
    (cell.node.is_some() && read_later).then_some(r)
}

/// Checks that the drawn lanes connect: every line going down arrives in the row below as a
/// line coming up with the same tensor or in a call reading it, nothing comes up from
/// nowhere, each row has one call, and each read of a row above arrives in the reading row.
fn check_connected(lanes: &Lanes) -> Result<(), String> {
    if lanes.columns == 0 {
        return Ok(());
    }
    for (r, row) in lanes.rows.iter().enumerate() {
        if row.cells.len() != 2 * lanes.columns - 1 {
            return Err(format!("row {r}: {} cells", row.cells.len()));
        }
        if row.cells.iter().filter(|c| c.node.is_some()).count() != 1 {
            return Err(format!("row {r}: not one call"));
        }
        let mut arrived = Vec::new();
        for x in (0..row.cells.len()).step_by(2) {
            let from_above = if r == 0 {
                None
            } else {
                passes_down(lanes, r - 1, x)
            };
            let cell = row.cells[x];
            let comes_up = cell.links & UP != 0;
            match from_above {
                Some(t) if comes_up && cell.tensor == Some(t) => {
                    if cell.links & (LEFT | RIGHT) != 0 {
                        arrived.push(t);
                    }
                }
                Some(t) if cell.node.is_some() && row.reads.contains(&t) => arrived.push(t),
                None if !comes_up => {}
                other => return Err(format!("row {r} column {x}: {other:?} above, {cell:?}")),
            }
        }
        for &s in row.reads.iter().filter(|&&s| s < r) {
            if !arrived.contains(&s) {
                return Err(format!("row {r}: the read of row {s} never arrives"));
            }
        }
    }
    Ok(())
}

#[test]
fn every_fixture_lane_connects() {
    let mut problems = Vec::new();
    for path in common::fixture_files(DIR, "json") {
        let name = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        let f = fixture(&name);
        if f["keras_json"].is_null() {
            continue;
        }
        let design = fixture_design(&name);
        if let Err(e) = check_connected(&lanes_of(&design)) {
            problems.push(format!("{name}: {e}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A design of `n` Dense layers with each listed layer called on the named tensors (any name:
/// earlier, later, itself, or none at all) and the listed outputs.
pub fn wired(n: usize, wiring: &[(usize, Vec<usize>)], outputs: &[usize]) -> Design {
    let names: Vec<String> = std::iter::once("input_layer".to_string())
        .chain((0..n).map(|i| match i {
            0 => "dense".to_string(),
            i => format!("dense_{i}"),
        }))
        .chain(std::iter::once("nothing".to_string()))
        .collect();
    let name = |k: &usize| names[k % names.len()].clone();
    let mut design = Design::example();
    design.input.shape = Shape::known(&[8]);
    design.layers = (0..n)
        .map(|_| {
            Layer::Dense(Dense {
                units: 8,
                ..Dense::default()
            })
        })
        .collect();
    design.graph = Box::new(Graph {
        input_name: Some("input_layer".to_string()),
        wiring: wiring
            .iter()
            .filter(|(i, _)| *i < n)
            .map(|(i, from)| {
                let refs: Vec<String> = from.iter().map(name).collect();
                let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
                (*i, Call::on(&refs))
            })
            .collect(),
        outputs: outputs.iter().map(name).collect(),
        ..Graph::default()
    });
    design
}

proptest! {
    #[test]
    fn any_wiring_draws_connected_lanes(
        n in 1usize..14,
        wiring in prop::collection::vec((0usize..14, prop::collection::vec(0usize..16, 1..4)), 0..10),
        outputs in prop::collection::vec(0usize..16, 0..3),
    ) {
        let design = wired(n, &wiring, &outputs);
        let lanes = lanes_of(&design);
        prop_assert_eq!(lanes.rows.len(), n + 1);
        if let Err(e) = check_connected(&lanes) {
            prop_assert!(false, "{}\n{:?}", e, design.graph);
        }
    }
}
