//! Wiring a graph with real keys in a real terminal (tmux): Keras' residual block opened from
//! a saved design, its skip connection rewired from the Add's form and undone, and a layer the
//! Add reads deleted with its reader reconnected. Each job's keys are counted; the saved
//! files and the totals Keras printed are the judges.

use std::path::Path;

use crate::{check, common};
use common::needs::Need;
use common::tmux::Session;
use libtest_mimic::Trial;
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::explain::thousands;
use lstm_tui::store::to_ron;
use serde_json::Value;

/// Keras' residual block: `features → dense → dense_1 → Add(features, dense_1) → activation →
/// dense_2`.
const FIXTURE: &str = "tests/fixtures/keras_graph/residual_dense_block.json";

fn fixture() -> Value {
    let text = std::fs::read_to_string(FIXTURE).expect("readable");
    serde_json::from_str(&text).expect("JSON")
}

/// Saves the fixture's model as the design `residual` in the config folder `dir`.
fn save_residual(dir: &Path, fixture: &Value) {
    let json = serde_json::to_string(&fixture["keras_json"]).expect("JSON");
    let design = design_from_keras_json(&json).expect("imports");
    std::fs::create_dir_all(dir.join("designs")).expect("designs folder");
    std::fs::write(dir.join("designs/residual.ron"), to_ron(&design)).expect("written");
}

fn total(fixture: &Value) -> u64 {
    fixture["expected"]["total"].as_u64().expect("total")
}

fn params(fixture: &Value, row: &str) -> u64 {
    fixture["expected"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == row)
        .and_then(|r| r["params"].as_u64())
        .expect("row")
}

/// The designer on the saved residual block, its `dense` row selected.
fn opened(tag: &str, dir: &Path, fixture: &Value) -> Session {
    save_residual(dir, fixture);
    let s = Session::designer(tag, dir, 120, 30);
    s.wait_for(&["59,910"]);
    s.keys(&["o"]);
    s.wait_for(&["residual"]);
    s.keys(&["-l", "residual"]);
    s.keys(&["Enter"]);
    s.wait_for(&["opened residual", &thousands(total(fixture))]);
    s
}

/// The `add` layer's call as the saved file writes it.
fn saved_add_inputs(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("designs/residual.ron")).expect("saved");
    let design = lstm_tui::store::parse_design(&text).expect("reads back");
    let at = lstm_tui::model::layer_names(&design.layers)
        .iter()
        .position(|n| n == "add")
        .expect("add is saved");
    format!("{:?}", design.graph.wiring.get(&at).map(|c| &c.inputs))
}

fn rewire_a_residual_connection_and_undo_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = fixture();
    let s = opened("rewire", dir.path(), &fixture);
    let mut keys = 0;
    // The Add (row 3): its form opens on what it reads.
    s.keys(&["j", "j", "Enter"]);
    keys += 3;
    s.wait_for(&["Edit add (Add)", "features, dense_1"]);
    let text = "dense, dense_1";
    s.keys(&["-l", text]);
    keys += text.chars().count();
    s.keys(&["Enter"]);
    keys += 1;
    s.wait_gone("Edit add (Add)");
    // Add has no weights: the total Keras printed stays.
    s.wait_for(&["residual ●", &thousands(total(&fixture))]);
    s.keys(&["C-s"]);
    s.wait_for(&["saved residual"]);
    assert_eq!(
        saved_add_inputs(dir.path()),
        r#"Some(["dense", "dense_1"])"#
    );
    s.keys(&["u"]);
    keys += 1;
    s.wait_for(&["undid the last change"]);
    s.keys(&["C-s"]);
    s.wait_for(&["saved residual"]);
    assert_eq!(
        saved_add_inputs(dir.path()),
        r#"Some(["features", "dense_1"])"#
    );
    println!("rewiring took {keys} keys, undoing it 1");
    s.close();
}

fn delete_a_layer_with_readers_and_reconnect() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = fixture();
    let s = opened("reconnect", dir.path(), &fixture);
    let mut keys = 0;
    // dense_1 (row 2), which the Add reads.
    s.keys(&["j", "d"]);
    keys += 2;
    s.wait_for(&[
        "Delete dense_1",
        "what do they read instead",
        "its input (default)",
    ]);
    s.keys(&["d"]);
    keys += 1;
    let want = total(&fixture) - params(&fixture, "dense_1");
    s.wait_for(&["its readers read dense", &thousands(want)]);
    s.keys(&["C-s"]);
    s.wait_for(&["saved residual"]);
    assert_eq!(
        saved_add_inputs(dir.path()),
        r#"Some(["features", "dense"])"#
    );
    println!("deleting and reconnecting took {keys} keys");
    s.close();
}

pub fn checks() -> Vec<Trial> {
    let tmux = Need::tmux();
    common::needs::listed(
        module_path!(),
        include_str!("e2e_wiring.rs"),
        vec![
            check!(tmux, rewire_a_residual_connection_and_undo_it),
            check!(tmux, delete_a_layer_with_readers_and_reconnect),
        ],
    )
}
