//! The command line speaks as the designer does: layers numbered from 1 (or named), budgets
//! typed as in the budget form, a reason when nothing fits, exit statuses that each mean one
//! thing, and a comparison that says what changed. Real binary, files from
//! `tests/fixtures/designs/`, expected numbers from Keras' formulas written out here.

use std::path::{Path, PathBuf};

use crate::common::{Env, stderr, stdout};
use crate::common::{dense, lstm};
use serde_json::Value;

fn design(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/designs")
        .join(rel)
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The example's total with the first LSTM at `u` units.
fn example_total(u: u64) -> u64 {
    lstm(u, 6) + lstm(64, u) + dense(64, 64) + dense(64, 64) + dense(6, 64)
}

fn largest(fits: impl Fn(u64) -> bool) -> u64 {
    (1..2000).rev().find(|&u| fits(example_total(u))).unwrap()
}

#[test]
fn fit_over_budget_names_the_layer_that_holds_it_and_exits_3() {
    let env = Env::new();
    let file = design("cli/embedding_over_budget.ron");
    let out = env.run(&["fit", arg(&file), "--layer", "lstm", "--format", "json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["ok"], false);
    // Embedding 10,000 × 16; LSTM at 1 unit on 16 features; Dense 1 → 1.
    let embedding = 10_000 * 16;
    assert_eq!(embedding, 160_000);
    assert_eq!(got["minimum_total"], embedding + lstm(1, 16) + dense(1, 1));
    let reason = got["reason"].as_str().unwrap();
    assert!(
        reason.contains("embedding alone is 160,000 > 100,000")
            && reason.contains("shrink embedding or raise the budget"),
        "{reason}"
    );
    let text = env.run(&["fit", arg(&file), "--layer", "2"]);
    assert_eq!(text.status.code(), Some(3));
    assert!(
        stderr(&text).contains("embedding alone is 160,000"),
        "{}",
        stderr(&text)
    );
    assert!(
        !stderr(&text).contains("or it does not build"),
        "{}",
        stderr(&text)
    );
}

#[test]
fn fit_on_a_design_that_does_not_build_names_the_layer_and_exits_1() {
    let env = Env::new();
    let file = design("cli/does_not_build.ron");
    let out = env.run(&["fit", arg(&file), "--layer", "1", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["ok"], false);
    assert_eq!(got["minimum_total"], Value::Null);
    let reason = got["reason"].as_str().unwrap();
    assert!(
        reason.contains("does not build: layer 2, lstm_1 (LSTM)"),
        "{reason}"
    );
}

#[test]
fn fit_without_a_budget_exits_4_and_nothing_fits_is_not_status_1() {
    let env = Env::new();
    let example = design("valid/example.ron");
    // The example's own budget is 60,000; a 1,000 limit on the flag cannot be met.
    let tight = env.run(&["fit", arg(&example), "--layer", "1", "--params", "1000"]);
    assert_eq!(tight.status.code(), Some(3), "{}", stderr(&tight));
    let none = env.write(
        "no_budget.ron",
        &std::fs::read_to_string(&example)
            .unwrap()
            .replace("budget: (params: 60000),", ""),
    );
    let out = env.run(&["fit", arg(&none), "--layer", "1", "--format", "json"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["ok"], false);
    assert!(
        got["reason"].as_str().unwrap().contains("no budget"),
        "{got}"
    );
}

#[test]
fn fit_counts_layers_from_1_as_the_list_does_and_takes_names() {
    let env = Env::new();
    let example = design("valid/example.ron");
    let best = largest(|t| t <= 60_000);
    for layer in ["1", "lstm"] {
        let out = env.run(&["fit", arg(&example), "--layer", layer, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{layer}: {}", stderr(&out));
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got["ok"], true);
        // JSON keeps the 0-based index.
        assert_eq!(got["layer"], 0, "{layer}");
        assert_eq!(got["size"], best, "{layer}");
    }
    let text = env.run(&["fit", arg(&example), "--layer", "1"]);
    assert!(
        stdout(&text).starts_with("layer 1 lstm: units 64 → "),
        "{}",
        stdout(&text)
    );
    // 0 is not a layer for people; the error says how they are numbered.
    let zero = env.run(&["fit", arg(&example), "--layer", "0"]);
    assert_eq!(zero.status.code(), Some(2));
    assert!(stderr(&zero).contains("from 1 to 6"), "{}", stderr(&zero));
}

#[test]
fn fit_reads_budgets_as_the_designer_does_and_echoes_them() {
    let env = Env::new();
    let example = design("valid/example.ron");
    let run = |flags: &[&str]| {
        let mut args = vec!["fit", arg(&example), "--layer", "1", "--format", "json"];
        args.extend_from_slice(flags);
        env.run(&args)
    };
    let out = run(&["--params", "40k"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["size"], largest(|t| t <= 40_000));
    assert!(
        stderr(&out).contains("read --params 40k as 40,000 parameters"),
        "{}",
        stderr(&out)
    );
    // KB, kB and KiB are all 1,024 bytes, as Keras' summary counts KB.
    for unit in ["KB", "kB", "KiB"] {
        let typed = format!("200{unit}");
        let out = run(&["--memory", &typed]);
        assert_eq!(out.status.code(), Some(0), "{typed}: {}", stderr(&out));
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got["size"], largest(|t| t * 4 <= 200 * 1024), "{typed}");
        assert!(
            stderr(&out).contains("204,800 bytes"),
            "{typed}: {}",
            stderr(&out)
        );
    }
    let bad = run(&["--params", "lots"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn summary_and_explain_number_layers_as_the_list_does() {
    let env = Env::new();
    let file = design("cli/does_not_build.ron");
    let text = env.run(&["summary", arg(&file)]);
    assert_eq!(text.status.code(), Some(1));
    assert!(
        stdout(&text).contains("Does not build: layer 2 lstm_1 (LSTM)"),
        "{}",
        stdout(&text)
    );
    let json = env.run(&["summary", arg(&file), "--format", "json"]);
    let got: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(got["failing_layer_index"], 1, "JSON counts from 0");
    let explain = env.run(&["explain", arg(&file)]);
    assert!(
        stdout(&explain).contains("layer 2 does not build"),
        "{}",
        stdout(&explain)
    );
    let example = design("valid/example.ron");
    let second = env.run(&["explain", arg(&example), "--layer", "2"]);
    assert!(
        stdout(&second).contains("dropout (Dropout)"),
        "{}",
        stdout(&second)
    );
}

#[test]
fn summary_help_mentions_python_code() {
    let out = Env::new().run(&["summary", "--help"]);
    assert!(stdout(&out).contains(".py"), "{}", stdout(&out));
}

#[test]
fn diff_says_what_changed_in_a_row_and_aligns_its_columns() {
    let env = Env::new();
    let base = design("valid/example.ron");
    let lower = design("cli/dropout_0_3.ron");
    let out = env.run(&["diff", arg(&base), arg(&lower)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let changed: Vec<&str> = text.lines().filter(|l| l.starts_with('~')).collect();
    assert_eq!(changed.len(), 1, "{text}");
    assert!(changed[0].contains("dropout (Dropout)"), "{text}");
    assert!(changed[0].ends_with("rate 0.5 → 0.3"), "{text}");
    // Every row's shape starts in one column, and every count ends in one.
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(" (") && l.contains("(None"))
        .collect();
    assert_eq!(rows.len(), 6, "{text}");
    let shape_at: Vec<usize> = rows.iter().map(|l| l.find("(None").unwrap()).collect();
    assert!(shape_at.windows(2).all(|w| w[0] == w[1]), "{text}");
    let count_end = |l: &str| {
        let before_note = l.split("  rate").next().unwrap().trim_end();
        before_note.chars().count()
    };
    let ends: Vec<usize> = rows.iter().map(|l| count_end(l)).collect();
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "{text}");
}

#[test]
fn diff_exit_code_says_whether_designs_differ() {
    let env = Env::new();
    let base = design("valid/example.ron");
    let lower = design("cli/dropout_0_3.ron");
    let differ = env.run(&["diff", arg(&base), arg(&lower), "--exit-code"]);
    assert_eq!(differ.status.code(), Some(1), "{}", stderr(&differ));
    let same = env.run(&["diff", arg(&base), arg(&base), "--exit-code"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let plain = env.run(&["diff", arg(&base), arg(&lower)]);
    assert_eq!(plain.status.code(), Some(0));
}

#[test]
fn an_unknown_field_is_an_error_with_its_place() {
    let env = Env::new();
    let text = std::fs::read_to_string(design("valid/example.ron"))
        .unwrap()
        .replace("Dense(units: 6, activation:", "Dense(units: 6, activaton:");
    let file = env.write("typo.ron", &text);
    let out = env.run(&["summary", arg(&file)]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let line = text.lines().position(|l| l.contains("activaton")).unwrap() + 1;
    let err = stderr(&out);
    assert!(err.contains(&format!("typo.ron:{line}:")), "{err}");
    assert!(err.contains("unknown field `layers[5].activaton`"), "{err}");
}
