//! Names that try to act on a terminal (ESC, CSI, OSC, BEL, C1 controls) or hide in it (bidi
//! overrides, zero-width characters) never reach standard output, standard error or a written
//! file raw, through any command.

use std::path::{Path, PathBuf};

use crate::common::hostile::is_forbidden;
use crate::common::{Env, stderr, stdout};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name)
}

fn assert_clean(what: &str, text: &str) {
    let bad: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| is_forbidden(*c))
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: raw {:?} in:\n{}",
        bad.iter().map(|(_, c)| *c).collect::<String>(),
        text.escape_debug()
    );
}

/// Runs `lstm-tui ARGS`; both streams must be clean. Returns standard output.
fn run_clean(env: &Env, args: &[&str]) -> String {
    let out = env.run(args);
    let what = args.join(" ");
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{what}: {:?} {}",
        out.status,
        stderr(&out)
    );
    assert_clean(&format!("{what} (stdout)"), &stdout(&out));
    assert_clean(&format!("{what} (stderr)"), &stderr(&out));
    stdout(&out)
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn fixtures_are_hostile() {
    // The check below is only worth something if the inputs hold what it looks for.
    let design = std::fs::read_to_string(fixture("design.ron")).expect("fixture");
    for escape in [
        "\\u{1b}[",
        "\\u{1b}]0;",
        "\\u{7}",
        "\\u{9b}",
        "\\u{202e}",
        "\\u{200b}",
    ] {
        assert!(design.contains(escape), "design.ron lacks {escape}");
    }
}

#[test]
fn summaries_in_every_format_show_names_without_obeying_them() {
    let env = Env::new();
    let design = fixture("design.ron");
    for file in ["design.ron", "model.json", "model.py"] {
        let f = fixture(file);
        run_clean(&env, &["summary", path(&f)]);
        run_clean(&env, &["summary", path(&f), "--format", "markdown"]);
        run_clean(&env, &["summary", path(&f), "--format", "json"]);
    }
    let table = run_clean(&env, &["summary", path(&design)]);
    assert!(table.contains("clear^[[2J^[[H (Dense)"), "{table}");
    assert!(table.contains("rlo<U+202E>txt.exe"), "{table}");
    assert!(table.contains("zero<U+200B>width"), "{table}");
    // Markdown: a `|` in a name must not open a new cell.
    let md = run_clean(&env, &["summary", path(&design), "--format", "markdown"]);
    let row = md
        .lines()
        .find(|l| l.contains("pipe"))
        .expect("the pipe row");
    assert!(row.contains("pipe\\|cell"), "{row}");
    let header_cells = md
        .lines()
        .find(|l| l.starts_with("| Layer"))
        .map(|l| l.matches('|').count());
    assert_eq!(
        Some(row.matches('|').count() - row.matches("\\|").count()),
        header_cells,
        "{row}"
    );
    // JSON keeps the exact names, spelled as escapes.
    let json = run_clean(&env, &["summary", path(&design), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let names: Vec<&str> = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(names.contains(&"rlo\u{202e}txt.exe"), "{names:?}");
    assert!(names.contains(&"title\u{1b}]0;pwned\u{7}"), "{names:?}");
}

#[test]
fn explain_and_its_errors_show_names_without_obeying_them() {
    let env = Env::new();
    let design = fixture("design.ron");
    let text = run_clean(&env, &["explain", path(&design)]);
    assert!(text.contains("title^[]0;pwned^G"), "{text}");
    run_clean(&env, &["explain", path(&design), "--layer", "1"]);
    // An unknown layer: the error repeats the selector and lists every name.
    let out = env.run(&[
        "explain",
        path(&design),
        "--layer",
        "no\u{1b}]0;such\u{7}\u{202e}",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_clean("explain --layer (stderr)", &stderr(&out));
    assert!(
        stderr(&out).contains("zero<U+200B>width"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn diff_shows_names_without_obeying_them() {
    let env = Env::new();
    let text = run_clean(
        &env,
        &[
            "diff",
            path(&fixture("design.ron")),
            path(&fixture("model.json")),
        ],
    );
    assert!(text.starts_with("--- hostile^[]0;pwned^G"), "{text}");
}

#[test]
fn import_and_its_errors_show_names_without_obeying_them() {
    let env = Env::new();
    for file in ["model.json", "model.py"] {
        run_clean(&env, &["import", path(&fixture(file)), "--name", "ok"]);
        run_clean(&env, &["import", path(&fixture(file)), "--name", "ok"]);
        run_clean(&env, &["summary", "ok"]);
        run_clean(
            &env,
            &["import", path(&fixture(file)), "--name", "ok", "--force"],
        );
    }
    run_clean(&env, &["list"]);
    // A class name with an OSC sequence, a bidi override and a zero-width space.
    let out = env.run(&["import", path(&fixture("bad_class.json"))]);
    assert_eq!(out.status.code(), Some(2));
    assert_clean("import bad_class.json (stderr)", &stderr(&out));
    assert!(
        stderr(&out).contains("Dense^[]0;pwned^G<U+202E><U+200B>"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn list_shows_a_hostile_file_name_as_the_designer_does() {
    let env = Env::new();
    let designs = env.config.path().join("designs");
    std::fs::create_dir_all(&designs).expect("designs folder");
    let design = std::fs::read_to_string(fixture("design.ron")).expect("fixture");
    // A name the store refuses still lists, with its error beside it.
    std::fs::write(designs.join("clear\u{1b}[2J\u{202e}.ron"), design).expect("written");
    let text = run_clean(&env, &["list"]);
    // The designer's spelling (caret notation, `<U+...>`), not Rust's `\u{1b}`.
    assert!(text.contains("clear^[[2J<U+202E> "), "{text}");
    assert!(!text.contains("\\u{"), "{text}");
}

#[test]
fn opening_an_unreadable_file_in_the_designer_shows_the_error_without_obeying_it() {
    let env = Env::new();
    let out = env.run(&[path(&fixture("bad_class.json"))]);
    assert_eq!(out.status.code(), Some(2));
    assert_clean("lstm-tui bad_class.json (stderr)", &stderr(&out));
    assert!(stderr(&out).contains("<U+202E>"), "{}", stderr(&out));
}

#[test]
fn keras_code_names_a_layer_that_does_not_build_as_the_designer_does() {
    let env = Env::new();
    let code = run_clean(
        &env,
        &["export", path(&fixture("design.ron")), "--to", "keras"],
    );
    // A name with a line break or ESC must neither end the comment nor read as Rust's `\u{1b}`.
    assert!(
        code.contains("# This design does not build: layer 8 (bell^G^[[5m LSTM)"),
        "{code}"
    );
    assert!(!code.contains("\\u{"), "{code}");
}

#[test]
fn exports_carry_no_raw_escapes_to_the_terminal_or_a_file() {
    let env = Env::new();
    for file in ["design.ron", "model.json"] {
        let f = fixture(file);
        for to in ["keras", "pytorch", "keras-json", "markdown", "json"] {
            run_clean(&env, &["export", path(&f), "--to", to]);
            let out = env.files.path().join(format!("out-{to}"));
            run_clean(&env, &["export", path(&f), "--to", to, "-o", path(&out)]);
            let written = std::fs::read_to_string(&out).expect("export written");
            assert_clean(&format!("export {file} --to {to} -o"), &written);
        }
    }
}
