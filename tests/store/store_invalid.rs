//! Bad design files: each gives `path:line:column: what is wrong` (the table in
//! `tests/fixtures/designs/invalid_expected.ron`), stays byte-for-byte as it was, and does not
//! stop the other designs from listing and opening.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use lstm_tui::model::Design;
use lstm_tui::store::{MAX_FILE_SIZE, Store, StoreError, parse_design, parse_design_bytes};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Expect {
    line: usize,
    column: Option<usize>,
    says: String,
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/designs")
}

fn table() -> BTreeMap<String, Expect> {
    let path = fixture_dir().join("invalid_expected.ron");
    ron::from_str(&fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A store in a temp folder whose `designs/` holds every invalid fixture plus the example.
fn store_with_fixtures() -> (tempfile::TempDir, Store, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let designs = store.designs_dir();
    fs::create_dir_all(&designs).unwrap();
    let mut originals = BTreeMap::new();
    for entry in fs::read_dir(fixture_dir().join("invalid")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(&path).unwrap();
        fs::write(designs.join(&name), &bytes).unwrap();
        originals.insert(name, bytes);
    }
    store.save(&Design::example(), None).unwrap();
    (dir, store, originals)
}

#[test]
fn every_fixture_has_an_expectation_and_every_expectation_a_fixture() {
    let (_dir, _store, originals) = store_with_fixtures();
    let files: Vec<&String> = originals.keys().collect();
    let expected: Vec<String> = table().into_keys().collect();
    assert_eq!(files, expected.iter().collect::<Vec<_>>());
}

#[test]
fn each_bad_file_says_where_and_what() {
    let (_dir, store, _) = store_with_fixtures();
    for (file, expect) in table() {
        let name = file.trim_end_matches(".ron");
        let path = store.design_path(name).unwrap();
        let result = store.load_name(name);
        let err = match result {
            Ok(_) => panic!("{file}: loaded, expected {:?}", expect.says),
            Err(e) => e,
        };
        let shown = err.to_string();
        let place = match expect.column {
            Some(c) => format!("{}:{}:{c}: ", path.display(), expect.line),
            None => format!("{}:{}:", path.display(), expect.line),
        };
        assert!(
            shown.starts_with(&place),
            "{file}: {shown}\n wanted {place}"
        );
        assert!(shown.contains(&expect.says), "{file}: {shown}");
        assert!(matches!(err, StoreError::Parse { .. }), "{file}: {err:?}");
    }
}

#[test]
fn bad_files_stay_as_they_were_and_others_still_work() {
    let (_dir, store, originals) = store_with_fixtures();
    for name in originals.keys() {
        let _ = store.load_name(name.trim_end_matches(".ron"));
    }
    let listed = store.list().unwrap();
    // Every file lists, the bad ones with their error, the good one with its numbers.
    assert_eq!(listed.len(), originals.len() + 1);
    let example = listed.iter().find(|l| l.name == "example").unwrap();
    assert_eq!(example.info.as_ref().unwrap().total, Ok(59_910));
    for l in &listed {
        let file = format!("{}.ron", l.name);
        if table().contains_key(&file) {
            assert!(l.info.is_err(), "{file}");
        }
    }
    assert_eq!(
        store.load_name("example").unwrap().design,
        Design::example()
    );
    // Saving a design under a bad file's name asks instead of overwriting it.
    let mut design = Design::example();
    design.name = "wrong_type".into();
    assert!(matches!(
        store.save(&design, None),
        Err(StoreError::Exists { .. })
    ));
    // Saving another design leaves them alone too.
    design.name = "another".into();
    store.save(&design, None).unwrap();
    for (name, bytes) in &originals {
        let now = fs::read(store.designs_dir().join(name)).unwrap();
        assert_eq!(&now, bytes, "{name} changed");
    }
}

#[test]
fn a_file_over_the_cap_is_refused_unread_and_one_at_the_cap_loads() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    fs::create_dir_all(store.designs_dir()).unwrap();
    let example = fs::read(fixture_dir().join("valid/example.ron")).unwrap();
    let cap = usize::try_from(MAX_FILE_SIZE).unwrap();
    // Padding with spaces keeps the file a valid design, so only its size can fail it.
    let mut at_cap = example.clone();
    at_cap.resize(cap, b' ');
    fs::write(store.designs_dir().join("at-cap.ron"), &at_cap).unwrap();
    let mut over = at_cap.clone();
    over.push(b' ');
    fs::write(store.designs_dir().join("over-cap.ron"), &over).unwrap();

    store.load_name("at-cap").unwrap();
    let err = store.load_name("over-cap").unwrap_err();
    assert!(matches!(err, StoreError::TooLarge { .. }), "{err:?}");
    assert!(
        err.to_string().contains("over-cap.ron: the file is"),
        "{err}"
    );
    assert!(parse_design_bytes(&over).is_err());
    assert_eq!(
        fs::read(store.designs_dir().join("over-cap.ron")).unwrap(),
        over
    );
}

#[test]
fn very_deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [1_000, 1_000_000] {
        for (open, close) in [("[", "]"), ("(", ")"), ("{", "}"), ("Some(", ")")] {
            let text = format!(
                "(version: 1, name: \"d\", input: (shape: [1]), layers: [], x: {}{})",
                open.repeat(depth),
                close.repeat(depth)
            );
            let err = parse_design(&text).unwrap_err();
            assert!(err.message.contains("nest deeper"), "{open}: {err}");
        }
    }
}
