//! `fit` on a graph: a layer whose width an `Add` ties to another moves with it (and says so),
//! and one tied to the model input's width is refused with the reason. Designs are Keras' own
//! JSON from tests/fixtures/keras_graph/; totals are Keras' formulas written out here.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::dense;
use crate::common::{Env, stderr, stdout};
use serde_json::Value;

/// Writes the fixture's recorded Keras JSON where the command can read it.
fn keras_json(env: &Env, name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_graph")
        .join(format!("{name}.json"));
    let fixture: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    env.write(&format!("{name}.json"), &fixture["keras_json"].to_string())
}

/// residual_dense_projection with the tied pair at `w`: Dense 24→64, Dense 64→w, Dense 24→w
/// without bias, BatchNormalization 4w, Dense w→10.
fn projection_total(w: u64) -> u64 {
    dense(64, 24) + dense(w, 64) + 24 * w + 4 * w + dense(10, w)
}

#[test]
fn fitting_one_side_of_an_add_moves_the_other_and_lists_it() {
    let env = Env::new();
    let file = keras_json(&env, "residual_dense_projection");
    let file = file.to_str().unwrap();
    assert_eq!(projection_total(64), 8_202, "Keras' total for the fixture");
    let expected = (1..10_000u64)
        .take_while(|&w| projection_total(w) <= 20_000)
        .last()
        .unwrap();
    let args = ["fit", file, "--layer", "dense_2", "--params", "20000"];
    let out = env.run(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["size"], expected);
    assert_eq!(got["total"], projection_total(expected));
    assert_eq!(got["tied"], serde_json::json!(["dense_1"]));
    let text = env.run(&args);
    assert!(
        stdout(&text).contains(&format!(
            "units 64 → {expected} with dense_1 (tied by a merge)"
        )),
        "{}",
        stdout(&text)
    );
}

#[test]
fn a_width_tied_to_the_input_is_refused_and_says_why() {
    let env = Env::new();
    let file = keras_json(&env, "residual_dense_block");
    let args = [
        "fit",
        file.to_str().unwrap(),
        "--layer",
        "dense_1",
        "--params",
        "5000",
    ];
    let out = env.run(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["ok"], false);
    let reason = got["reason"].as_str().unwrap();
    assert!(
        reason.contains("the model input `features` (32 wide)") && reason.contains("cannot move"),
        "{reason}"
    );
    let text = env.run(&args);
    assert_eq!(text.status.code(), Some(2));
    assert!(stderr(&text).contains("cannot move"), "{}", stderr(&text));
}
