//! `summary` lays its table out for the terminal's width as Keras does: `--width N`, else
//! `COLUMNS` as Python's `shutil.get_terminal_size` reads it (even when standard output is
//! not a terminal), else 80 when standard output is not a terminal. Expected texts are what
//! real Keras printed (tests/fixtures/keras_widths, tests/fixtures/keras_layers).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{Env, stderr, stdout};
use serde_json::Value;

/// A model from the fixtures: its Keras JSON written to a file, and what Keras printed at
/// each recorded width (`summary_text` at 80, `summary_text_wide` at 200, keras_widths).
struct Model {
    json: PathBuf,
    texts: Vec<(String, String)>,
    /// Widths Keras refused to print at.
    refused: Vec<String>,
}

impl Model {
    fn load(env: &Env, folder: &str, file: &str) -> Model {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let read = |p: PathBuf| -> Value {
            serde_json::from_str(&fs::read_to_string(&p).expect("fixture")).expect("JSON")
        };
        let fixture = read(root.join(folder).join(file));
        let widths = read(root.join("keras_widths").join(folder).join(file));
        let mut texts = vec![("80".to_string(), fixture["summary_text"].clone())];
        texts.push(("200".into(), fixture["summary_text_wide"].clone()));
        for (w, t) in widths["summaries"].as_object().expect("summaries") {
            texts.push((w.clone(), t.clone()));
        }
        let texts = texts
            .into_iter()
            .filter_map(|(w, t)| t.as_str().map(|t| (w, t.to_string())))
            .collect();
        // Under the fixture's name, not the model's: the title is the model's own, from its
        // JSON, as Keras prints it.
        let json = env.write(file, &fixture["keras_json"].to_string());
        let refused = widths["refused"]
            .as_object()
            .expect("refused")
            .keys()
            .cloned()
            .collect();
        Model {
            json,
            texts,
            refused,
        }
    }

    /// Keras' text at `columns`.
    fn at(&self, columns: &str) -> &str {
        &self
            .texts
            .iter()
            .find(|(w, _)| w == columns)
            .unwrap_or_else(|| panic!("no text at {columns} columns"))
            .1
    }

    fn path(&self) -> &str {
        self.json.to_str().expect("UTF-8 path")
    }
}

/// `lstm-tui summary ARGS` with `COLUMNS` set to `columns` (or unset), standard output a pipe.
fn summary(env: &Env, args: &[&str], columns: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lstm-tui"));
    c.arg("summary")
        .args(args)
        .env("LSTM_TUI_CONFIG_DIR", env.config.path())
        .env_remove("COLUMNS");
    if let Some(columns) = columns {
        c.env("COLUMNS", columns);
    }
    c.output().expect("run lstm-tui")
}

#[test]
fn width_lays_the_table_out_as_keras_does_at_that_terminal_width() {
    let env = Env::new();
    for (folder, file) in [
        ("keras", "conv2d_mnist.json"),
        ("keras", "bidirectional_lstm_merge_none.json"),
        ("keras_layers", "separable_conv2d_variants.json"),
        ("keras_graph", "add_three_inputs.json"),
    ] {
        let model = Model::load(&env, folder, file);
        for (columns, want) in &model.texts {
            let out = summary(&env, &[model.path(), "--width", columns], None);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            assert_eq!(stdout(&out), *want, "{file} at --width {columns}");
        }
        // Not a terminal and no COLUMNS: Keras' 80 columns.
        assert_eq!(
            stdout(&summary(&env, &[model.path()], None)),
            model.at("80")
        );
    }
}

#[test]
fn columns_is_read_as_python_reads_it_and_width_overrides_it() {
    let env = Env::new();
    let model = Model::load(&env, "keras", "conv2d_mnist.json");
    let path = model.path();
    // Python honours COLUMNS whether or not standard output is a terminal.
    assert_eq!(stdout(&summary(&env, &[path], Some("60"))), model.at("60"));
    // int() takes surrounding spaces and a sign.
    assert_eq!(
        stdout(&summary(&env, &[path], Some(" +48 "))),
        model.at("48")
    );
    // Not a positive integer: ignored, so 80 off a terminal.
    for ignored in ["0", "-60", "wide", "60.0", ""] {
        let out = summary(&env, &[path], Some(ignored));
        assert_eq!(stdout(&out), model.at("80"), "COLUMNS={ignored:?}");
    }
    let out = summary(&env, &[path, "--width", "91"], Some("60"));
    assert_eq!(stdout(&out), model.at("91"));
}

#[test]
fn widths_keras_cannot_draw_or_no_terminal_has_are_refused_with_the_fix() {
    let env = Env::new();
    let model = Model::load(&env, "keras", "conv2d_mnist.json");
    let path = model.path();
    for (width, says) in [
        ("0", "0 columns"),
        ("abc", "columns, such as 80"),
        ("-3", "columns, such as 80"),
        ("70000", "at most 65535"),
    ] {
        // `--width=-3`: after a space, a leading dash would read as an option.
        let arg = format!("--width={width}");
        let out = summary(&env, &[path, &arg], None);
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert!(stderr(&out).contains(says), "{arg}: {}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
    // Keras refuses a terminal under 20 columns ("Insufficient console width"): so does the
    // table, saying the width that works, whether the width came from --width or COLUMNS.
    assert!(
        model.refused.contains(&"19".to_string()),
        "Keras refused 19 columns"
    );
    for out in [
        summary(&env, &[path, "--width", "19"], None),
        summary(&env, &[path], Some("12")),
    ] {
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(err.contains("--width 20"), "{err}");
        assert!(stdout(&out).is_empty());
    }
    // The smallest width Keras draws at is drawn as Keras drew it.
    let out = summary(&env, &[path, "--width", "20"], None);
    assert_eq!(stdout(&out), model.at("20"));
}
