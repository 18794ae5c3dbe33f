//! The quick reader behind `parse_design` answers exactly as RON does: for random designs as
//! saved, for those texts with random edits (where it must give way to RON), and for every
//! design fixture. Answers are compared through Debug, where a NaN equals itself.

use std::fs;
use std::path::{Path, PathBuf};

use lstm_tui::store::{parse_design, parse_design_with_ron, quick_design, to_ron};
use proptest::prelude::*;

use crate::store_proptest::design;

/// `parse_design` and RON alone give the same answer, design or error.
fn same_as_ron(text: &str) -> Result<(), TestCaseError> {
    let quick = format!("{:?}", parse_design(text));
    let ron = format!("{:?}", parse_design_with_ron(text));
    prop_assert_eq!(quick, ron, "text:\n{}", text);
    Ok(())
}

/// Bytes that start, end or break RON tokens, so an edit lands on the reader's edges.
const EDITS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    ",",
    ":",
    "\"",
    "\\",
    "/",
    "//",
    "/*",
    "#",
    "r#",
    "'",
    "-",
    "+",
    ".",
    "e",
    "0",
    "7",
    "_",
    " ",
    "\n",
    "\t",
    "\u{b}",
    "é",
    "None",
    "Some(",
    "true",
    "x:",
    "1e5",
    "inf",
    "L2(0.5)",
    "units: 3,",
    "LSTM(",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// What lstm-tui saves with plain texts is read by the quick reader, and equals the design.
    #[test]
    fn saved_designs_are_read_quickly(design in design("[a-z_ ]{0,8}")) {
        let text = to_ron(&design);
        prop_assert_eq!(
            format!("{:?}", quick_design(&text)),
            format!("{:?}", Some(&design)),
            "text:\n{}", text
        );
        same_as_ron(&text)?;
    }

    /// Any text in names (escapes, control characters): the same answer as RON.
    #[test]
    fn any_saved_design_reads_as_ron_reads_it(design in design(".*")) {
        same_as_ron(&to_ron(&design))?;
    }

    /// A saved design with a piece cut out and another put in: the same answer as RON,
    /// including its error and where it is.
    #[test]
    fn edited_texts_read_as_ron_reads_them(
        design in design("[a-z_ ]{0,8}"),
        at in any::<prop::sample::Index>(),
        cut in 0usize..4,
        edit in prop::sample::select(EDITS),
    ) {
        let text = to_ron(&design);
        let mut start = at.index(text.len() + 1);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + cut).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let edited = format!("{}{edit}{}", &text[..start], &text[end..]);
        same_as_ron(&edited)?;
    }
}

/// Every `.ron` file under `dir`, recursively.
fn ron_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ron_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "ron") {
            out.push(path);
        }
    }
}

#[test]
fn every_fixture_reads_as_ron_reads_it() {
    let mut files = Vec::new();
    ron_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut files,
    );
    assert!(files.len() > 20, "fixtures not found: {files:?}");
    for path in files {
        let bytes = fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if let Err(e) = same_as_ron(text) {
            panic!("{}: {e}", path.display());
        }
    }
}
