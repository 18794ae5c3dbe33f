//! Hostile input: `.py`, `.json` and `.ron` files read by the real binary, and values typed into
//! the edit form. Every input within the size cap gives a design or an error that says where,
//! never an abort or a silently replaced value. Large and derived inputs are generated here
//! from the fixtures rather than kept as files.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Output;

use crate::common::{Env, press, stderr, stdout};
use lstm_tui::app::form::{Form, Value as FormValue};
use lstm_tui::app::{App, Mode};
use lstm_tui::input::to_actions;
use lstm_tui::model::Convention;
use lstm_tui::model::Design;
use ratatui::crossterm::event::Event;
use serde_json::{Value, json};

fn manifest(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The Keras fixture of the design notes' example: its model JSON and Keras' own total.
fn seed_fixture() -> (Value, Value) {
    let text = std::fs::read_to_string(manifest("tests/fixtures/keras/seed_lstm_classifier.json"))
        .expect("fixture");
    let fixture: Value = serde_json::from_str(&text).expect("fixture json");
    (
        fixture["keras_json"].clone(),
        fixture["expected"]["total"].clone(),
    )
}

/// A third of the 1 MiB cap: chains ten times longer than the 12,000 terms that used to abort,
/// while the debug build still reads each in well under a second.
const NEAR_CAP: usize = 300_000;

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `first` then `step` repeated until the text nearly fills the cap.
fn repeated(first: &str, step: &str, last: &str) -> String {
    let n = (NEAR_CAP - first.len() - last.len()) / step.len();
    let mut s = String::with_capacity(NEAR_CAP);
    s.push_str(first);
    for _ in 0..n {
        s.push_str(step);
    }
    s.push_str(last);
    s
}

/// The run ended by itself with status 0 or 2, and a refusal names the file, line and column.
fn assert_read_or_located(o: &Output, path: &Path, what: &str) {
    assert_eq!(
        o.status.signal(),
        None,
        "{what}: killed by a signal: {}",
        stderr(o)
    );
    let code = o.status.code();
    assert!(
        matches!(code, Some(0 | 2)),
        "{what}: exit {code:?}: {}",
        stderr(o)
    );
    if code == Some(2) {
        let err = stderr(o);
        let rest = err
            .strip_prefix(&format!("{}:", path.display()))
            .unwrap_or_else(|| panic!("{what}: error does not name the file: {err}"));
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap_or("");
        let column = parts.next().unwrap_or("");
        assert!(
            line.parse::<usize>().is_ok() && column.parse::<usize>().is_ok(),
            "{what}: error is not located as path:line:column: {err}"
        );
    }
}

#[test]
fn long_operator_and_suffix_chains_never_overflow_the_stack() {
    let env = Env::new();
    let model = "\nm = Sequential([Input((3,)), Dense(4)])\n";
    let used = "\nm = Sequential([Input((3,)), Dense(x)])\n";
    let cases = [
        ("plus", repeated("x = 1", "+1", used)),
        ("times", repeated("x = 1", "*1", used)),
        ("minus", repeated("x = 1", "-1", used)),
        ("or", repeated("x = 1", "|1", used)),
        ("matmul", repeated("x = 1", "@1", used)),
        ("power", repeated("x = 1", "**1", used)),
        ("tuples", repeated("x = (1,)", "+(1,)", used)),
        ("subscript", repeated("a = [1]\nx = a", "[0]", used)),
        ("attribute", repeated("x = a", ".b", used)),
        ("call", repeated("x = f", "()", used)),
        ("unary", repeated("x = ", "-", &format!("1{used}"))),
        ("not", repeated("x = ", "not ", &format!("1{used}"))),
        ("and", repeated("x = 1", " and 1", used)),
        ("comparison", repeated("x = 1", "<1", used)),
        // Never evaluated: the tree is built and dropped.
        ("unused", repeated("print(1", "+1", &format!("){model}"))),
        (
            "unused-calls",
            repeated("print(f", "()", &format!("){model}")),
        ),
    ];
    for (what, source) in cases {
        assert!(source.len() <= NEAR_CAP + 100, "{what}");
        let path = env.write(&format!("{what}.py"), &source);
        let o = env.run(&["summary", path_str(&path), "--format", "json"]);
        assert_read_or_located(&o, &path, what);
    }
}

#[test]
fn a_long_sum_is_evaluated_not_refused() {
    let env = Env::new();
    // 40,000 ones: Dense(40000) on 3 features has 3 × 40,000 + 40,000 parameters.
    let mut source = String::from("x = 1");
    for _ in 1..40_000 {
        source.push_str("+1");
    }
    source.push_str("\nm = Sequential([Input((3,)), Dense(x)])\n");
    let path = env.write("sum.py", &source);
    let o = env.run(&["summary", path_str(&path), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: Value = serde_json::from_slice(&o.stdout).expect("summary json on stdout");
    assert_eq!(json["total"], 4 * 40_000);
}

#[test]
fn keras_json_values_of_the_wrong_type_are_refused_with_their_path() {
    let env = Env::new();
    let (model, _) = seed_fixture();
    let cases = [
        (
            "/config/layers/1/config/return_sequences",
            json!(1),
            "layers[1].config.return_sequences",
        ),
        (
            "/config/layers/0/config/dtype",
            json!(32),
            "layers[0].config.dtype",
        ),
        (
            "/config/layers/2/config/rate",
            json!("0.5"),
            "layers[2].config.rate",
        ),
        (
            "/config/layers/4/config/use_bias",
            json!("yes"),
            "layers[4].config.use_bias",
        ),
        (
            "/config/layers/4/config/activation",
            json!(3),
            "layers[4].config.activation",
        ),
        (
            "/config/layers/4/config/name",
            json!(7),
            "layers[4].config.name",
        ),
        (
            "/config/layers/4/config/trainable",
            json!(0),
            "layers[4].config.trainable",
        ),
        (
            "/config/layers/4/config/kernel_regularizer",
            json!(0.01),
            "layers[4].config.kernel_regularizer",
        ),
        (
            "/config/layers/1/config/recurrent_regularizer/config/l2",
            json!("0.0015"),
            "layers[1].config.recurrent_regularizer.config.l2",
        ),
    ];
    for (pointer, bad, path) in cases {
        let mut m = model.clone();
        *m.pointer_mut(pointer)
            .unwrap_or_else(|| panic!("the seed fixture has {pointer}")) = bad.clone();
        let file = env.write("model.json", &m.to_string());
        let o = env.run(&["summary", path_str(&file)]);
        assert_eq!(o.status.code(), Some(2), "{pointer} = {bad} was accepted");
        let err = stderr(&o);
        assert!(err.contains(path), "{pointer} = {bad}: {err}");
        assert!(err.contains(&bad.to_string()), "{pointer} = {bad}: {err}");
    }
}

#[test]
fn a_wrapped_layer_value_of_the_wrong_type_is_refused_with_its_path() {
    let env = Env::new();
    let text =
        std::fs::read_to_string(manifest("tests/fixtures/keras/bidirectional_lstm_sum.json"))
            .expect("fixture");
    let fixture: Value = serde_json::from_str(&text).expect("fixture json");
    let mut model = fixture["keras_json"].clone();
    let layers = model["config"]["layers"].as_array_mut().expect("layers");
    let at = layers
        .iter()
        .position(|l| l["class_name"] == "Bidirectional")
        .expect("a Bidirectional layer");
    layers[at]["config"]["layer"]["config"]["use_bias"] = json!("no");
    let file = env.write("model.json", &model.to_string());
    let o = env.run(&["summary", path_str(&file)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("layers[{at}].config.layer.config.use_bias")),
        "{err}"
    );
}

#[test]
fn regularizer_factors_keras_refuses_are_refused_from_json() {
    let env = Env::new();
    let (model, _) = seed_fixture();
    let pointer = "/config/layers/1/config/recurrent_regularizer/config/l2";
    for bad in [json!(-0.5), json!(-1)] {
        let mut m = model.clone();
        *m.pointer_mut(pointer).expect("seed regularizer") = bad.clone();
        let file = env.write("model.json", &m.to_string());
        let o = env.run(&["summary", path_str(&file)]);
        assert_eq!(o.status.code(), Some(2), "l2 = {bad} was accepted");
        let err = stderr(&o);
        assert!(
            err.contains("layers[1].config.recurrent_regularizer.config.l2")
                && err.contains("finite number ≥ 0"),
            "{err}"
        );
    }
}

#[test]
fn the_edit_form_refuses_nan_infinite_and_negative_regularizer_factors() {
    let design = Design::example();
    for bad in [
        "l2(1e999 - 1e999)",
        "l2(1e999)",
        "l1(-0.5)",
        "l1_l2(l1=0.0, l2=-1e999)",
    ] {
        let mut form = Form::for_layer(0, &design.layers[0]).expect("a form for the LSTM");
        let at = form
            .fields
            .iter()
            .position(|f| f.name == "recurrent_regularizer")
            .expect("the field");
        form.fields[at].text.set(bad);
        match form.read(None) {
            Err((field, why)) => {
                assert_eq!(
                    form.fields[field].name, "recurrent_regularizer",
                    "{bad}: {why}"
                );
                assert!(why.contains("finite number ≥ 0"), "{bad}: {why}");
            }
            Ok(FormValue::Layer(l)) => panic!("{bad} accepted: {l:?}"),
            Ok(other) => panic!("{bad}: {other:?}"),
        }
    }
}

/// The file with `bytes` put in front of line `line`'s column `column` (both 1-based).
fn with_bytes_at(text: &str, line: usize, column: usize, bytes: &[u8]) -> Vec<u8> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let offset = start
        + text[start..]
            .char_indices()
            .nth(column - 1)
            .map_or(0, |(i, _)| i);
    let mut out = text.as_bytes()[..offset].to_vec();
    out.extend_from_slice(bytes);
    out.extend_from_slice(&text.as_bytes()[offset..]);
    out
}

#[test]
fn invalid_utf8_in_json_and_python_is_located() {
    let env = Env::new();
    let (model, _) = seed_fixture();
    let json_text = serde_json::to_string_pretty(&model).expect("json");
    let python_text =
        std::fs::read_to_string(manifest("tests/fixtures/python/valid/seed_add_style.py"))
            .expect("fixture");
    for (name, text) in [("model.json", json_text), ("model.py", python_text)] {
        let (line, column) = (3, 2);
        let bytes = with_bytes_at(&text, line, column, b"\xe9");
        let path = env.files.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let o = env.run(&["summary", path_str(&path)]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("{}:{line}:{column}: ", path.display())),
            "{name}: {err}"
        );
        assert!(err.contains("not UTF-8"), "{name}: {err}");
    }
}

#[test]
fn a_byte_order_mark_is_accepted_in_json_python_and_designs() {
    let env = Env::new();
    let (model, total) = seed_fixture();
    let python = std::fs::read_to_string(manifest("tests/fixtures/python/valid/seed_add_style.py"))
        .expect("fixture");
    let design = std::fs::read_to_string(manifest("tests/fixtures/designs/valid/example.ron"))
        .expect("fixture");
    let inputs = [
        ("model.json", model.to_string()),
        // Detected as JSON by its first character, after the mark.
        ("model.keras-json", model.to_string()),
        ("model.py", python),
        ("model.ron", design),
    ];
    for (name, text) in inputs {
        let path = env.files.path().join(name);
        let mut bytes = b"\xef\xbb\xbf".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        std::fs::write(&path, bytes).expect("write");
        let o = env.run(&["summary", path_str(&path), "--format", "json"]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
        assert_eq!(json["total"], total, "{name}");
    }
}

/// A Keras model JSON: `Dense(4)` inside `wrappers` TimeDistributed layers, on an input with
/// one time axis per wrapper.
fn wrapped_dense(wrappers: usize) -> String {
    let mut layer = json!({"class_name": "Dense", "config": {"units": 4}});
    for _ in 0..wrappers {
        layer = json!({"class_name": "TimeDistributed", "config": {"layer": layer}});
    }
    let mut batch_shape = vec![Value::Null];
    batch_shape.extend(std::iter::repeat_n(json!(2), wrappers));
    batch_shape.push(json!(3));
    json!({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": batch_shape}},
        layer,
    ]}})
    .to_string()
}

#[test]
fn an_import_never_saves_a_design_that_cannot_be_opened_again() {
    let env = Env::new();
    for wrappers in 1..=4 {
        let file = env.write("wrapped.json", &wrapped_dense(wrappers));
        let name = format!("wrapped{wrappers}");
        let o = env.run(&["import", path_str(&file), "--name", &name]);
        assert!(o.status.success(), "{wrappers}: {}", stderr(&o));
        let o = env.run(&["summary", &name]);
        assert!(o.status.success(), "{wrappers} wrappers: {}", stderr(&o));
    }
    let file = env.write("wrapped.json", &wrapped_dense(5));
    let o = env.run(&["import", path_str(&file), "--name", "wrapped5"]);
    assert_eq!(o.status.code(), Some(2), "5 wrappers were imported");
    let err = stderr(&o);
    assert!(err.contains("more than 4 deep"), "{err}");
    assert!(
        err.contains("layers[1].config.layer.config.layer.config.layer.config.layer.config.layer"),
        "{err}"
    );
}

#[test]
fn the_edit_form_says_a_negative_size_is_negative() {
    let design = Design::example();
    let mut form = Form::for_layer(0, &design.layers[0]).expect("a form for the LSTM");
    let at = form
        .fields
        .iter()
        .position(|f| f.name == "units")
        .expect("the field");
    form.fields[at].text.set("-5");
    let (field, why) = form.read(None).expect_err("-5 units is refused");
    assert_eq!(form.fields[field].name, "units");
    assert!(why.contains("cannot be negative"), "{why}");
}

/// Set in the child process that runs a test whose failure on old code was an abort.
const CHILD: &str = "LSTM_TUI_HOSTILE_CHILD";

/// Runs this binary's test `name` alone in a child process with [`CHILD`] set: an abort there
/// (a stack overflow) fails the calling test instead of ending the whole run.
fn in_child(name: &str) -> Output {
    std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            &format!("hostile_inputs::{name}"),
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .output()
        .expect("run the test binary")
}

#[test]
fn the_import_box_reads_a_long_sum_instead_of_aborting_the_designer() {
    if std::env::var_os(CHILD).is_none() {
        let o = in_child("the_import_box_reads_a_long_sum_instead_of_aborting_the_designer");
        assert!(
            o.status.success(),
            "{:?}: {}{}",
            o.status,
            stdout(&o),
            stderr(&o)
        );
        assert!(stdout(&o).contains("1 passed"), "{}", stdout(&o));
        return;
    }
    // 12,000 ones: the length that aborted the designer, on a test thread's 2 MiB stack.
    let mut text = String::from("x = 1");
    for _ in 1..12_000 {
        text.push_str("+1");
    }
    text.push_str("\nmodel = Sequential([Input((3,)), Dense(x)])\n");
    let mut app = App::new(Design::example(), Convention::Keras);
    press(&mut app, "i");
    let mut pending = to_actions(&app, Event::Paste(text));
    while let Some(a) = pending.pop() {
        app.update(a);
    }
    press(&mut app, "C-d");
    assert_eq!(app.mode, Mode::Normal, "the import box stays open");
    // Dense(12000) on 3 features: 3 × 12,000 weights + 12,000 biases.
    assert_eq!(app.total(), Some(4 * 12_000));
}
