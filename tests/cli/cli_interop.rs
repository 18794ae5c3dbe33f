//! `import` and `export` run as a user runs them: the real binary, a temporary config
//! directory, fixture files. Expected numbers come from the Keras fixtures, never from the
//! library under test.

use std::path::{Path, PathBuf};

use crate::common;
use crate::common::{Env, stderr, stdout};
use serde_json::Value;

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The seed snippet: the Keras code of the design notes' example.
fn seed_snippet() -> PathBuf {
    manifest("tests/fixtures/python/valid/seed_add_style.py")
}

/// The Keras fixture of the same model.
fn seed_fixture() -> Value {
    let text = std::fs::read_to_string(manifest("tests/fixtures/keras/seed_lstm_classifier.json"))
        .expect("fixture");
    serde_json::from_str(&text).expect("fixture json")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn the_seed_snippet_imports_to_the_keras_total() {
    let env = Env::new();
    let expected = &seed_fixture()["expected"];
    let snippet = seed_snippet();
    let o = env.run(&["import", path_str(&snippet), "--name", "seed"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(said.contains("seed.ron"), "{said}");
    let total = expected["total"].as_u64().expect("total");
    let with_commas = {
        let digits = total.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    assert!(said.contains(&with_commas), "{said}");

    let o = env.run(&["summary", "seed", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(json["total"], expected["total"]);
    assert_eq!(json["trainable"], expected["trainable"]);
    assert_eq!(json["non_trainable"], expected["non_trainable"]);
}

#[test]
fn the_file_stem_is_the_default_name_and_json_is_detected() {
    let env = Env::new();
    let fixture = seed_fixture();
    // Keras JSON without a .json extension: recognised by its content.
    let file = env.write("from_keras.txt", &fixture["keras_json"].to_string());
    let o = env.run(&["import", path_str(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = env.run(&["summary", "from_keras", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(json["total"], fixture["expected"]["total"]);
}

#[test]
fn summary_reads_a_python_file_directly() {
    let env = Env::new();
    let snippet = seed_snippet();
    let o = env.run(&["summary", path_str(&snippet), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(json["total"], seed_fixture()["expected"]["total"]);
}

/// `summary` of Keras code is titled as Keras titles it: the model's `name=`, else Keras'
/// automatic name (`functional`, `functional_1` when another model came first), whatever the
/// file is called.
#[test]
fn summary_of_keras_code_carries_the_title_keras_printed() {
    let env = Env::new();
    let dir = "tests/fixtures/keras_python_graph";
    let mut ran = 0;
    for program in common::fixture_files(dir, "py") {
        let recorded: Value = serde_json::from_str(
            &std::fs::read_to_string(program.with_extension("json")).expect("recorded summary"),
        )
        .expect("fixture json");
        let title = recorded["summary_text"]
            .as_str()
            .and_then(|t| t.lines().next())
            .expect("Keras' title line");
        let o = env.run(&["summary", path_str(&program)]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            stdout(&o).lines().next(),
            Some(title),
            "{}",
            program.display()
        );
        ran += 1;
    }
    common::assert_ran_every_fixture(dir, "py", ran);
}

#[test]
fn import_refuses_to_overwrite_without_force() {
    let env = Env::new();
    let snippet = seed_snippet();
    let o = env.run(&["import", path_str(&snippet), "--name", "mine"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let other = env.write(
        "other.py",
        "import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])\n",
    );
    let o = env.run(&["import", path_str(&other), "--name", "mine"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--name") && err.contains("--force"), "{err}");
    // The saved design is untouched.
    let o = env.run(&["summary", "mine", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(json["total"], seed_fixture()["expected"]["total"]);

    let o = env.run(&["import", path_str(&other), "--name", "mine", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = env.run(&["summary", "mine", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    // Dense(3) on 4 features, by hand: 4 × 3 weights + 3 biases.
    assert_eq!(json["total"], 4 * 3 + 3);
}

#[test]
fn a_malformed_snippet_gives_a_located_error_and_status_2() {
    let env = Env::new();
    let mut ran = 0;
    for file in common::fixture_files("tests/fixtures/python/invalid", "py") {
        let text = std::fs::read_to_string(&file).expect("fixture");
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| {
                panic!(
                    "{}:1: no `# expect: LINE:COLUMN fragment` header",
                    file.display()
                )
            });
        let (at, fragment) = expect.split_once(' ').expect("LINE:COLUMN fragment");
        for args in [
            vec!["import", path_str(&file)],
            vec!["summary", path_str(&file)],
        ] {
            let o = env.run(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            let err = stderr(&o);
            let prefix = format!("{}:{at}: ", file.display());
            assert!(err.starts_with(&prefix), "{args:?}: {err}");
            assert!(err.contains(fragment), "{args:?}: {err}");
        }
        ran += 1;
    }
    common::assert_ran_every_fixture("tests/fixtures/python/invalid", "py", ran);
    // Nothing was saved.
    let o = env.run(&["list"]);
    assert!(!stdout(&o).contains("unclosed_call"), "{}", stdout(&o));
}

#[test]
fn export_writes_every_format() {
    let env = Env::new();
    let snippet = seed_snippet();
    let o = env.run(&["import", path_str(&snippet), "--name", "seed"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = &seed_fixture()["expected"];

    let out = |to: &str| {
        let o = env.run(&["export", "seed", "--to", to]);
        assert!(o.status.success(), "{to}: {}", stderr(&o));
        stdout(&o)
    };
    let keras = out("keras");
    assert!(keras.contains("import keras"), "{keras}");
    assert!(keras.contains("model.summary()"), "{keras}");
    let torch = out("pytorch");
    assert!(torch.contains("nn.LSTM("), "{torch}");
    assert!(torch.contains("def forward(self, x):"), "{torch}");
    let json: Value = serde_json::from_str(&out("json")).expect("summary json");
    assert_eq!(json["total"], expected["total"]);
    let markdown = out("markdown");
    assert!(markdown.lines().any(|l| l.starts_with('|')), "{markdown}");
    let keras_json: Value = serde_json::from_str(&out("keras-json")).expect("keras json");
    assert_eq!(keras_json["class_name"], "Sequential");

    // Keras JSON written to a file imports back to the same total.
    let file = env.files.path().join("seed_export.json");
    let o = env.run(&[
        "export",
        "seed",
        "--to",
        "keras-json",
        "-o",
        path_str(&file),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains(path_str(&file)), "{}", stderr(&o));
    let o = env.run(&["summary", path_str(&file), "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(json["total"], expected["total"]);

    // Keras code written to a file imports back too.
    let code = env.files.path().join("seed_export.py");
    let o = env.run(&["export", "seed", "--to", "keras", "-o", path_str(&code)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = env.run(&["summary", path_str(&code), "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(json["total"], expected["total"]);
}

#[test]
fn exporting_a_missing_design_fails_with_status_2() {
    let env = Env::new();
    let o = env.run(&["export", "nothing-here", "--to", "keras"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).is_empty());
}
