//! The headless commands, run as a user runs them: the real binary, real files, a temporary
//! config directory. Expected numbers come from the Keras fixtures or from formulas written
//! out here, never from the library under test.

use std::path::{Path, PathBuf};

use crate::common;
use crate::common::{Env, stderr, stdout};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keras")
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(format!("{name}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

impl Env {
    /// The fixture's `model.to_json()` as a file, as a user would have it.
    fn keras_file(&self, name: &str) -> PathBuf {
        self.write(
            &format!("{name}.json"),
            &fixture(name)["keras_json"].to_string(),
        )
    }
}

#[test]
fn summary_json_of_every_keras_fixture_matches_keras() {
    let env = Env::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in common::fixture_files("tests/fixtures/keras", "json") {
        ran += 1;
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let fx = fixture(&name);
        let file = env.keras_file(&name);
        let out = env.run(&["summary", file.to_str().unwrap(), "--format", "json"]);
        let got: Value = match serde_json::from_slice(&out.stdout) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: not JSON ({e}): {}", stderr(&out)));
                continue;
            }
        };
        let want = &fx["expected"];
        if want["ok"] == true {
            if out.status.code() != Some(0) {
                failures.push(format!("{name}: exit {:?}", out.status.code()));
            }
            for key in ["total", "trainable", "non_trainable"] {
                if got[key] != want[key] {
                    failures.push(format!("{name}: {key} {} != {}", got[key], want[key]));
                }
            }
            let rows = got["rows"].as_array().cloned().unwrap_or_default();
            let want_rows = want["rows"].as_array().unwrap();
            if rows.len() != want_rows.len() {
                failures.push(format!(
                    "{name}: {} rows, Keras has {}",
                    rows.len(),
                    want_rows.len()
                ));
            }
            for (g, w) in rows.iter().zip(want_rows) {
                for key in common::ROW_KEYS {
                    if g[key] != w[key] {
                        failures.push(format!(
                            "{name}: row {}: {key} {} != {}",
                            w["name"], g[key], w[key]
                        ));
                    }
                }
            }
        } else {
            if out.status.code() != Some(1) {
                failures.push(format!("{name}: exit {:?}, want 1", out.status.code()));
            }
            if got["ok"] != false || got["failing_layer_index"] != want["failing_layer_index"] {
                failures.push(format!(
                    "{name}: {got} vs failing layer {}",
                    want["failing_layer_index"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    common::assert_ran_every_fixture("tests/fixtures/keras", "json", ran);
}

#[test]
fn summary_table_of_the_seed_is_keras_text() {
    let env = Env::new();
    let file = env.keras_file("seed_lstm_classifier");
    let out = env.run(&["summary", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let want = fixture("seed_lstm_classifier")["summary_text"]
        .as_str()
        .unwrap()
        .to_string();
    // Keras titles the table with the model's name, `sequential`; ours names the design.
    let got = stdout(&out).replacen(
        "Model: \"seed_lstm_classifier\"",
        "Model: \"sequential\"",
        1,
    );
    assert_eq!(got.trim_end(), want.trim_end());
}

#[test]
fn pytorch_convention_counts_the_second_bias() {
    let env = Env::new();
    let file = env.keras_file("seed_lstm_classifier");
    let out = env.run(&[
        "summary",
        file.to_str().unwrap(),
        "--format",
        "json",
        "--convention",
        "pytorch",
    ]);
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["convention"], "pytorch");
    // torch fixture lstm_i6_h64: nn.LSTM(6, 64) has this many parameters.
    let torch: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/torch/lstm_i6_h64.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(got["rows"][0]["params"], torch["expected"]["params"]);
}

#[test]
fn explain_shows_the_lstm_derivation_with_real_numbers() {
    let env = Env::new();
    let file = env.keras_file("seed_lstm_classifier");
    let out = env.run(&["explain", file.to_str().unwrap(), "--layer", "lstm"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let (h, i) = (64, 6);
    let gate = (h + i) * h + h;
    assert!(text.contains(&format!("{h} + {i} = {}", h + i)), "{text}");
    assert!(
        text.contains(&format!("{} × {h} + {h} = 4,544", h + i)),
        "{text}"
    );
    assert_eq!(gate, 4544);
    assert!(text.contains("4 × 4,544 = 18,176"), "{text}");
    assert!(text.contains("PyTorch counts 18,432"), "{text}");
    assert!(text.contains("batch size"), "{text}");
    // By number as the designer lists it (2 = the second layer), and a missing layer is a
    // clear error.
    let by_index = env.run(&["explain", file.to_str().unwrap(), "--layer", "2"]);
    assert!(stdout(&by_index).contains("dropout (Dropout)"));
    assert!(
        stdout(&by_index).contains("0 parameters"),
        "{}",
        stdout(&by_index)
    );
    let missing = env.run(&["explain", file.to_str().unwrap(), "--layer", "nope"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("dense_2"));
}

#[test]
fn fit_finds_the_largest_first_lstm_under_a_budget() {
    let env = Env::new();
    let file = env.keras_file("seed_lstm_classifier");
    let out = env.run(&[
        "fit",
        file.to_str().unwrap(),
        "--params",
        "60000",
        "--layer",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    let lstm = |i: u64, h: u64| 4 * (h * (h + i) + h);
    let total = |u: u64| lstm(6, u) + lstm(u, 64) + (64 * 64 + 64) * 2 + 64 * 6 + 6;
    let best = (1..1000).rev().find(|&u| total(u) <= 60_000).unwrap();
    assert_eq!(got["layer"], 0);
    assert_eq!(got["field"], "units");
    assert_eq!(got["size"], best);
    assert_eq!(got["total"], total(best));
}

/// Every bad input gives one line on stderr, the documented status, and never a panic.
#[test]
fn bad_inputs_give_one_line_errors() {
    let env = Env::new();
    let seed = fixture("seed_lstm_classifier")["keras_json"].to_string();
    let with_units = |units: &str| {
        let mut v: Value = serde_json::from_str(&seed).unwrap();
        v["config"]["layers"][1]["config"]["units"] = serde_json::from_str(units).unwrap();
        v.to_string()
    };
    let mut unknown: Value = serde_json::from_str(&seed).unwrap();
    unknown["config"]["layers"][2]["class_name"] = "FancyLayer".into();
    let cases: Vec<(&str, String, &[i32], &str)> = vec![
        (
            "truncated.json",
            seed[..seed.len() / 2].to_string(),
            &[2],
            "truncated.json:1:",
        ),
        (
            "not_json.json",
            "this is not json".into(),
            &[2],
            "not_json.json:1:",
        ),
        ("empty.json", String::new(), &[2], "empty.json"),
        ("unknown.json", unknown.to_string(), &[2], "FancyLayer"),
        ("zero.json", with_units("0"), &[1, 2], "units"),
        ("negative.json", with_units("-5"), &[2], "units"),
        (
            "huge.json",
            with_units(&(1u64 << 40).to_string()),
            &[1],
            "too large",
        ),
    ];
    for (name, text, statuses, fragment) in cases {
        let file = env.write(name, &text);
        let out = env.run(&["summary", file.to_str().unwrap()]);
        let err = stderr(&out);
        let code = out.status.code().unwrap_or(-1);
        let shown = if code == 1 { stdout(&out) } else { err.clone() };
        assert!(
            statuses.contains(&code),
            "{name}: exit {code}, stderr {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(
            shown.contains(fragment),
            "{name}: {shown:?} lacks {fragment:?}"
        );
        if code == 2 {
            assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err}");
        }
    }
    // A missing name or file says which file is missing, and where saved names are listed.
    let missing = env.run(&["summary", "no-such-design"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = stderr(&missing);
    assert!(
        err.contains("no-such-design.ron: no such file") && err.contains("lstm-tui list"),
        "{err}"
    );
    let missing = env.files.path().join("model.py");
    let out = env.run(&["import", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("model.py: no such file"), "{err}");
}

#[test]
fn diff_shows_changed_rows_and_the_total_change() {
    let env = Env::new();
    let a = env.keras_file("seed_lstm_classifier");
    let mut wider = fixture("seed_lstm_classifier")["keras_json"].clone();
    wider["config"]["layers"][4]["config"]["units"] = 128.into();
    let b = env.write("wider.json", &wider.to_string());
    let out = env.run(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // Dense(64→128) then Dense(128→64): (64·128+128) + (128·64+64) replaces 2 × 4,160.
    let change = (64 * 128 + 128) + (128 * 64 + 64) - 2 * 4160;
    assert_eq!(change, 8_256);
    assert!(text.contains("(+8,256)"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("~ dense ")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("~ dense_1 ")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("  dense_2 ")), "{text}");
}
