//! `summary --columns` and `fit` with every budget, run as a user runs them: the real binary,
//! real files, a temporary config directory. Expected numbers are written out from the
//! formulas here, never taken from the library.

use std::path::{Path, PathBuf};

use crate::common::{Env, stderr, stdout};
use serde_json::Value;

impl Env {
    /// The documented example design, with `budget` as its budget line.
    fn example(&self, budget: &str) -> PathBuf {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/designs/valid/example.ron"),
        )
        .unwrap();
        let text = text.replace("budget: (params: 60000),", budget);
        self.write("example.ron", &text)
    }
}

/// `1792000` → `1,792,000`, written here so the test does not lean on the library's.
fn commas(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Keras' LSTM parameters and the convention's MACs on `t` timesteps.
fn lstm(t: u64, i: u64, h: u64) -> (u64, u64) {
    (4 * (h * (i + h) + h), t * 4 * h * (i + h))
}

fn dense(i: u64, u: u64) -> (u64, u64) {
    (i * u + u, i * u)
}

/// The example's rows: (name, params, MACs, input shape) in order.
fn example_rows() -> Vec<(&'static str, u64, u64, Vec<Option<u64>>)> {
    let (p0, m0) = lstm(100, 6, 64);
    let (p2, m2) = lstm(100, 64, 64);
    let (p3, m3) = dense(64, 64);
    let (p5, m5) = dense(64, 6);
    vec![
        ("lstm", p0, m0, vec![None, Some(100), Some(6)]),
        ("dropout", 0, 0, vec![None, Some(100), Some(64)]),
        ("lstm_1", p2, m2, vec![None, Some(100), Some(64)]),
        ("dense", p3, m3, vec![None, Some(64)]),
        ("dense_1", p3, m3, vec![None, Some(64)]),
        ("dense_2", p5, m5, vec![None, Some(64)]),
    ]
}

#[test]
fn columns_are_added_in_the_order_given_after_keras_three() {
    let env = Env::new();
    let file = env.example("");
    let path = file.to_str().unwrap();
    let plain = env.run(&["summary", path]);
    let wide = env.run(&["summary", path, "--columns", "macs,input,trainable"]);
    assert_eq!(wide.status.code(), Some(0), "{}", stderr(&wide));
    let (plain, wide) = (stdout(&plain), stdout(&wide));

    let header = wide.lines().nth(2).unwrap();
    let at = |s: &str| header.find(s).unwrap_or_else(|| panic!("{s} in {header}"));
    assert!(at("Param #") < at("MACs"));
    assert!(at("MACs") < at("Input Shape"));
    assert!(at("Input Shape") < at("Trainable"));

    // Keras' three columns are untouched: every table line of the plain summary, without its
    // closing edge, starts the wide one.
    let table = |s: &str| -> Vec<String> {
        s.lines()
            .skip(1)
            .take_while(|l| !l.starts_with(' '))
            .map(String::from)
            .collect()
    };
    let (p, w) = (table(&plain), table(&wide));
    assert_eq!(p.len(), w.len());
    for (p, w) in p.iter().zip(&w) {
        let keep: String = p.chars().take(p.chars().count() - 1).collect();
        assert!(w.starts_with(&keep), "{w}\ndoes not extend\n{p}");
    }

    for (name, _, macs, _) in example_rows() {
        let line = wide
            .lines()
            .find(|l| l.contains(&format!("{name} (")))
            .unwrap();
        assert!(line.contains(&commas(macs)), "{line}");
    }
    let total: u64 = example_rows().iter().map(|r| r.2).sum();
    assert!(wide.contains(&format!(
        "Total MACs: {} per sample (FLOPs: {})",
        commas(total),
        commas(2 * total)
    )));
    // Without columns nothing is added.
    assert!(!plain.contains("MACs"));
}

#[test]
fn memory_and_percent_columns_use_the_design_precision() {
    let env = Env::new();
    let file = env.example("budget: (precision: Fp16),");
    let out = env.run(&[
        "summary",
        file.to_str().unwrap(),
        "--columns",
        "memory,percent",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Memory (fp16)"), "{text}");
    // lstm: 18,176 parameters × 2 bytes = 36,352 bytes = 35.5 KiB; 18,176 / 59,910 = 30.3%.
    let (p0, _) = lstm(100, 6, 64);
    let total: u64 = example_rows().iter().map(|r| r.1).sum();
    let line = text.lines().find(|l| l.contains("lstm (LSTM)")).unwrap();
    assert!(
        line.contains(&format!("{:.2} KiB", (p0 * 2) as f64 / 1024.0)),
        "{line}"
    );
    assert!(
        line.contains(&format!("{:.1}%", p0 as f64 * 100.0 / total as f64)),
        "{line}"
    );
    assert!(text.contains(&format!(
        "Parameters (fp16): {:.2} KiB",
        (total * 2) as f64 / 1024.0
    )));
    // The design sets no batch size: the estimates assume Keras' default of 32.
    assert!(text.contains("for a batch of 32"), "{text}");
    assert!(text.contains("Training, batch 32 (fp16): Adam "), "{text}");
}

#[test]
fn json_rows_carry_every_column_and_keep_the_documented_fields() {
    let env = Env::new();
    let file = env.example("budget: (precision: Int8),");
    let out = env.run(&["summary", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "ok",
        "convention",
        "rows",
        "total",
        "trainable",
        "non_trainable",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let rows = example_rows();
    let total: u64 = rows.iter().map(|r| r.1).sum();
    let macs: u64 = rows.iter().map(|r| r.2).sum();
    assert_eq!(v["total"], total);
    assert_eq!(v["macs"], macs);
    assert_eq!(v["flops"], 2 * macs);
    let got_rows = v["rows"].as_array().unwrap();
    assert_eq!(got_rows.len(), rows.len(), "{v}");
    for (got, (name, params, macs, input)) in got_rows.iter().zip(&rows) {
        for key in [
            "name",
            "class",
            "output_shape",
            "params",
            "trainable",
            "non_trainable",
        ] {
            assert!(got.get(key).is_some(), "{name}: {key}");
        }
        assert_eq!(got["name"], *name);
        assert_eq!(got["params"], *params);
        assert_eq!(got["macs"], *macs, "{name}");
        assert_eq!(got["flops"], 2 * macs, "{name}");
        // int8: one byte per parameter.
        assert_eq!(got["memory_bytes"], *params, "{name}");
        let pct = got["percent"].as_f64().unwrap();
        assert!((pct - *params as f64 * 100.0 / total as f64).abs() < 1e-9);
        assert_eq!(got["input_shape"], serde_json::json!(input), "{name}");
    }
}

#[test]
fn markdown_gets_the_same_columns() {
    let env = Env::new();
    let file = env.example("");
    let out = env.run(&[
        "summary",
        file.to_str().unwrap(),
        "--format",
        "markdown",
        "--columns",
        "input,macs",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert!(lines.next().unwrap().ends_with("| Input Shape | MACs |"));
    assert!(lines.next().unwrap().ends_with("|---|---:|"));
    let (_, m0) = lstm(100, 6, 64);
    assert!(text.contains(&format!("| (None, 100, 6) | {} |", commas(m0))));
    // One table line per layer after the header and its rule.
    let table_rows = text.lines().skip(2).take_while(|l| l.starts_with('|'));
    assert_eq!(table_rows.count(), example_rows().len(), "{text}");
}

#[test]
fn an_unknown_column_is_refused_naming_the_valid_ones() {
    let env = Env::new();
    let file = env.example("");
    let out = env.run(&["summary", file.to_str().unwrap(), "--columns", "macs,flux"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("flux") && err.contains("percent"), "{err}");
    assert!(stdout(&out).is_empty());
}

/// The example's totals with the first LSTM at `u` units: (parameters, MACs).
fn example_at(u: u64) -> (u64, u64) {
    let parts = [
        lstm(100, 6, u),
        lstm(100, u, 64),
        dense(64, 64),
        dense(64, 64),
        dense(64, 6),
    ];
    (
        parts.iter().map(|p| p.0).sum(),
        parts.iter().map(|p| p.1).sum(),
    )
}

fn fit_json(env: &Env, file: &Path, budget: &[&str]) -> Value {
    let mut args = vec!["fit", file.to_str().unwrap(), "--layer", "1"];
    args.extend_from_slice(budget);
    args.extend_from_slice(&["--format", "json"]);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn fit_respects_memory_precision_and_macs_from_the_command_line() {
    let env = Env::new();
    let file = env.example("");
    let best = |ok: &dyn Fn(u64, u64) -> bool| {
        (1..2000)
            .rev()
            .find(|&u| {
                let (p, m) = example_at(u);
                ok(p, m)
            })
            .unwrap()
    };

    let got = fit_json(&env, &file, &["--macs", "5000000"]);
    let u = best(&|_, m| m <= 5_000_000);
    assert_eq!(got["size"], u);
    assert_eq!(got["total"], example_at(u).0);
    assert_eq!(got["macs"], example_at(u).1);

    let got = fit_json(&env, &file, &["--memory", "100000", "--precision", "fp16"]);
    assert_eq!(got["size"], best(&|p, _| p * 2 <= 100_000));

    let got = fit_json(
        &env,
        &file,
        &[
            "--params",
            "60000",
            "--memory",
            "200000",
            "--precision",
            "fp32",
            "--macs",
            "4000000",
        ],
    );
    assert_eq!(
        got["size"],
        best(&|p, m| p <= 60_000 && p * 4 <= 200_000 && m <= 4_000_000)
    );
}

#[test]
fn fit_uses_the_design_budget_and_flags_override_it() {
    let env = Env::new();
    let file = env.example("budget: (params: 60000, macs: 4000000),");
    let both = |p: u64, m: u64| p <= 60_000 && m <= 4_000_000;
    let best = |ok: &dyn Fn(u64, u64) -> bool| {
        (1..2000)
            .rev()
            .find(|&u| {
                let (p, m) = example_at(u);
                ok(p, m)
            })
            .unwrap()
    };
    assert_eq!(fit_json(&env, &file, &[])["size"], best(&both));
    assert_eq!(
        fit_json(&env, &file, &["--macs", "6000000"])["size"],
        best(&|p, m| p <= 60_000 && m <= 6_000_000)
    );

    let none = env.example("");
    let out = env.run(&["fit", none.to_str().unwrap(), "--layer", "1"]);
    assert_eq!(out.status.code(), Some(4), "no budget has its own status");
    assert!(stderr(&out).contains("no budget"), "{}", stderr(&out));
}

#[test]
fn explain_adds_the_mac_derivation() {
    let env = Env::new();
    let file = env.example("");
    let out = env.run(&["explain", file.to_str().unwrap(), "--layer", "lstm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let (_, macs) = lstm(100, 6, 64);
    assert!(text.contains("compute (MACs per sample):"), "{text}");
    assert!(text.contains("× 100 timesteps"), "{text}");
    assert!(text.contains(&format!("= {}", commas(macs))), "{text}");
    assert!(
        text.contains(&format!("FLOPs = 2 × MACs = {}", commas(2 * macs))),
        "{text}"
    );
}
