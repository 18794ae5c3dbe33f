//! `summary` writes a large design's table and JSON in pieces as it makes them, never holding
//! the whole text: the pieces are whole lines, there are many of them, and what reaches
//! standard output is byte for byte the text made whole. The JSON text is safe as written:
//! it needs no pass of its own before printing.

use std::path::Path;

use crate::common::{Env, fixture_files, stdout};
use lstm_tui::caps::escape_json;
use lstm_tui::model::{Convention, Design, Summary};
use lstm_tui::report::{
    TableWidths, json_text_in_parts, json_text_with, json_with, text_in, text_in_parts,
};
use lstm_tui::store::{parse_design, to_ron};

/// Copies of the fixture's layers: enough rows for a table and a JSON of many pieces.
const COPIES: usize = 300;

/// The example fixture's Dense and Dropout layers (they take any input, so any number of
/// copies builds), repeated.
fn large() -> Design {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/designs/valid/example.ron");
    let text = std::fs::read_to_string(path).expect("fixture");
    let mut d = parse_design(&text).expect("parses");
    d.layers
        .retain(|l| matches!(l.kind().class(), "Dense" | "Dropout"));
    assert!(!d.layers.is_empty(), "the example has Dense layers");
    d.layers = d
        .layers
        .iter()
        .cycle()
        .take(d.layers.len() * COPIES)
        .cloned()
        .collect();
    d
}

#[test]
fn pieces_make_the_whole_text() {
    let d = large();
    let s = Summary::of(&d, Convention::Keras);
    assert!(s.is_ok());
    let widths = TableWidths::keras(80, false).expect("80 columns fit");
    let mut pieces = Vec::new();
    text_in_parts(&s, &d.name, &[], &d.budget, &widths, &mut |p| {
        pieces.push(p.to_string())
    });
    assert!(pieces.len() > 2, "{} piece(s)", pieces.len());
    assert!(
        pieces.iter().all(|p| p.ends_with('\n')),
        "pieces end at a line's end"
    );
    assert_eq!(
        pieces.concat(),
        text_in(&s, &d.name, &[], &d.budget, &widths)
    );
    let mut pieces = Vec::new();
    json_text_in_parts(&s, d.budget.precision, &mut |p| pieces.push(p.to_string()));
    assert!(pieces.len() > 2, "{} piece(s)", pieces.len());
    assert_eq!(pieces.concat(), json_text_with(&s, d.budget.precision));
}

#[test]
fn summary_prints_the_whole_text() {
    let d = large();
    let s = Summary::of(&d, Convention::Keras);
    let env = Env::new();
    let file = env.write("large.ron", &to_ron(&d));
    let file = file.to_str().expect("UTF-8 path");
    let table = env.run(&["summary", file, "--width", "80"]);
    assert!(table.status.success());
    let widths = TableWidths::keras(80, false).expect("80 columns fit");
    assert_eq!(
        stdout(&table),
        text_in(&s, &d.name, &[], &d.budget, &widths)
    );
    let json = env.run(&["summary", file, "--format", "json"]);
    assert!(json.status.success());
    assert_eq!(stdout(&json), json_text_with(&s, d.budget.precision) + "\n");
}

/// The JSON text is the JSON value's text made safe, byte for byte: for chains and graphs, for
/// stacks that build and that fail, and for names that try to act on a terminal.
#[test]
fn json_text_is_the_value_text_made_safe() {
    let mut files = fixture_files("tests/fixtures/designs/valid", "ron");
    files.extend(fixture_files("tests/fixtures/hostile", "ron"));
    for file in files {
        let text = std::fs::read_to_string(&file).expect("fixture");
        let d = parse_design(&text).expect("parses");
        for convention in [Convention::Keras, Convention::PyTorch] {
            let s = Summary::of(&d, convention);
            let value = json_with(&s, d.budget.precision).to_string();
            assert_eq!(
                json_text_with(&s, d.budget.precision),
                escape_json(&value),
                "{} ({convention:?})",
                file.display()
            );
        }
    }
}
