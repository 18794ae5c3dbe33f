//! Which layers take the mask of an `Embedding(mask_zero=True)` and which hand it on: every
//! model in tests/fixtures/keras_masks summarizes with the rows and "Connected to" entries
//! real Keras printed.

use crate::common;
use crate::keras_graph::{compare, read};
use lstm_tui::interop::design_from_keras_json;

const DIR: &str = "tests/fixtures/keras_masks";

#[test]
fn masks_reach_the_layers_keras_hands_them_to() {
    let mut problems = Vec::new();
    let mut ran = 0;
    for path in common::fixture_files(DIR, "json") {
        ran += 1;
        let fixture = read(&path);
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        let mut found = Vec::new();
        match design_from_keras_json(&fixture["keras_json"].to_string()) {
            Ok(design) => compare(&design, &fixture["expected"], "keras_json", &mut found),
            Err(e) => found.push(format!("does not import: {e}")),
        }
        problems.extend(found.into_iter().map(|p| format!("{file}: {p}")));
    }
    common::assert_ran_every_fixture(DIR, "json", ran);
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
