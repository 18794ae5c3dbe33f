//! Fitting a budget on a residual stack with real keys in a real terminal (tmux): `f` on a
//! Conv1D whose width two `Add`s tie to two others proposes one size for all three, lists
//! them, and the saved file holds that size in every tied layer. The total is Keras' formula
//! written out here, anchored to the recorded Keras total of the same model.

use std::path::Path;
use std::process::Command;

use crate::{check, common};
use common::needs::Need;
use common::tmux::{Session, binary};
use libtest_mimic::Trial;
use lstm_tui::model::explain::thousands;
use serde_json::Value;

/// residual_conv1d_blocks (128 steps of 4 channels) with the tied `conv1d`, `conv1d_2` and
/// `conv1d_4` at `w` filters and the rest as recorded: Conv1D k7 4→w; two blocks of Conv1D k3
/// w→32 and k3 32→w; after pooling Conv1D k1 w→64 without bias and k3 w→64; Dense 64→5.
fn stack_total(w: u64) -> u64 {
    let conv = |k: u64, cin: u64, f: u64, bias: bool| k * cin * f + if bias { f } else { 0 };
    conv(7, 4, w, true)
        + 2 * (conv(3, w, 32, true) + conv(3, 32, w, true))
        + conv(1, w, 64, false)
        + conv(3, w, 64, true)
        + (64 * 5 + 5)
}

/// Every `filters:` value in a saved design, in order.
fn filters(ron: &str) -> Vec<u64> {
    ron.split("filters: ")
        .skip(1)
        .map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().expect("a number")
        })
        .collect()
}

fn a_fitted_width_moves_every_layer_tied_to_it() {
    let fixture_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_graph/residual_conv1d_blocks.json");
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_path).expect("readable"))
            .expect("fixture JSON");
    assert_eq!(
        fixture["expected"]["total"].as_u64(),
        Some(stack_total(32)),
        "the formula is Keras' total"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("residual.json");
    std::fs::write(&json, fixture["keras_json"].to_string()).expect("written");
    let import = Command::new(binary())
        .env("LSTM_TUI_CONFIG_DIR", dir.path())
        .args(["import", json.to_str().expect("a path")])
        .output()
        .expect("import runs");
    assert!(import.status.success(), "{import:?}");
    let command = format!(
        "LSTM_TUI_CONFIG_DIR='{}' '{}' residual; sleep 60",
        dir.path().display(),
        binary()
    );
    let s = Session::start("fit-graph", 120, 45, &["sh", "-c", &command]);
    s.wait_for(&["21,925", "conv1d (Conv1D) · 928 params"]);
    s.keys(&["j", "j"]);
    s.wait_for(&["conv1d_2 (Conv1D) · 3,104 params"]);
    s.keys(&["b"]);
    s.wait_for(&["Budgets"]);
    s.keys(&["-l", "30k"]);
    s.keys(&["Enter"]);
    s.wait_gone("Budgets");
    s.keys(&["f"]);
    let w = (1..=4096)
        .take_while(|&w| stack_total(w) <= 30_000)
        .last()
        .expect("some width fits");
    let screen = s.wait_for(&[
        "Largest size of conv1d_2 (Conv1D)",
        "tied by a merge, moved as one: conv1d_2 = conv1d = conv1d_4",
    ]);
    for name in ["conv1d_2", "conv1d ", "conv1d_4"] {
        assert!(
            screen
                .lines()
                .any(|l| l.contains(name) && l.contains(&format!("filters 32 → {w}"))),
            "{name} does not move to {w}:\n{screen}"
        );
    }
    s.keys(&["Enter"]);
    s.wait_gone("Fit to budget");
    s.wait_for(&[&format!("Total params: {}", thousands(stack_total(w)))]);
    s.keys(&["C-s"]);
    s.wait_for(&["saved residual"]);
    let saved = std::fs::read_to_string(dir.path().join("designs/residual.ron"))
        .expect("the design is saved");
    assert_eq!(
        filters(&saved),
        vec![w, 32, w, 32, w, 64, 64],
        "every tied width moved together:\n{saved}"
    );
    assert!(stack_total(w) <= 30_000 && stack_total(w + 1) > 30_000);
}

pub fn checks() -> Vec<Trial> {
    let tmux = Need::tmux();
    common::needs::listed(
        module_path!(),
        include_str!("e2e_fit_graph.rs"),
        vec![check!(tmux, a_fitted_width_moves_every_layer_tied_to_it)],
    )
}
