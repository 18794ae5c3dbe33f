//! Designs save and load back equal, and saving an unchanged design gives the same bytes.

use std::fs;
use std::path::Path;

use crate::common;
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::{Budget, Design};
use lstm_tui::store::{Store, parse_design, to_ron};

/// Every design the round trip covers, with where it came from. To cover another source (the
/// Keras fixtures, say), extend this list.
fn designs() -> Vec<(String, Design)> {
    let mut out = vec![("Design::example()".to_string(), Design::example())];
    for path in common::fixture_files("tests/fixtures/designs/valid", "ron") {
        let text = fs::read_to_string(&path).expect("fixture is UTF-8");
        let design = parse_design(&text).unwrap_or_else(|e| panic!("{}:{e}", path.display()));
        out.push((path.display().to_string(), design));
    }
    // Every Keras fixture, as its model JSON imports.
    for path in common::fixture_files("tests/fixtures/keras", "json") {
        let fixture: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let design = design_from_keras_json(&fixture["keras_json"].to_string())
            .map(|mut d| {
                d.name = name.to_string();
                d
            })
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out.push((path.display().to_string(), design));
    }
    // Every functional Keras fixture whose layers lstm-tui models, as its JSON imports.
    for path in common::fixture_files("tests/fixtures/keras_graph", "json") {
        let fixture: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if let Ok(design) =
            design_from_keras_json(&fixture["keras_json"].to_string()).map(|mut d| {
                d.name = name.to_string();
                d
            })
        {
            out.push((path.display().to_string(), design));
        }
    }
    out
}

/// Asserts that `ran` cases, taken from `designs()` in order, cover every fixture file.
fn assert_ran_every_fixture(ran: &[String]) {
    for (dir, ext) in [
        ("tests/fixtures/designs/valid", "ron"),
        ("tests/fixtures/keras", "json"),
    ] {
        let from_dir = ran.iter().filter(|from| from.contains(dir)).count();
        common::assert_ran_every_fixture(dir, ext, from_dir);
    }
}

#[test]
fn the_documented_example_is_the_built_in_example() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/designs/valid/example.ron");
    let design = parse_design(&fs::read_to_string(path).unwrap()).unwrap();
    let expected = Design {
        budget: Budget {
            params: Some(60_000),
            ..Budget::default()
        },
        ..Design::example()
    };
    assert_eq!(design, expected);
}

#[test]
fn text_round_trip_is_equal_and_stable() {
    let mut ran = Vec::new();
    for (from, design) in designs() {
        let text = to_ron(&design);
        let back = parse_design(&text).unwrap_or_else(|e| panic!("{from}: {e}\n{text}"));
        assert_eq!(back, design, "{from}:\n{text}");
        assert_eq!(to_ron(&back), text, "{from}: second write differs");
        ran.push(from);
    }
    assert_ran_every_fixture(&ran);
}

#[test]
fn save_and_load_by_name_round_trip_with_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let mut ran = Vec::new();
    for (i, (from, mut design)) in designs().into_iter().enumerate() {
        design.name = format!("design-{i}");
        let stamp = store
            .save(&design, None)
            .unwrap_or_else(|e| panic!("{from}: {e}"));
        let path = store.design_path(&design.name).unwrap();
        let first = fs::read(&path).unwrap();
        let loaded = store.load_name(&design.name).unwrap();
        assert_eq!(loaded.design, design, "{from}");
        assert_eq!(loaded.stamp, stamp, "{from}");
        // Saving the unchanged design again, as Ctrl-s would, writes the same bytes.
        store.save(&loaded.design, Some(&loaded.stamp)).unwrap();
        store.save_overwriting(&loaded.design).unwrap();
        assert_eq!(fs::read(&path).unwrap(), first, "{from}");
        ran.push(from);
    }
    assert_ran_every_fixture(&ran);
}

#[test]
fn fields_at_defaults_are_left_out_of_the_file() {
    // Written by hand from the example: a layer line names only what differs from Keras'
    // defaults, plus the layer's main size.
    let text = to_ron(&Design::example());
    for line in [
        "        LSTM(units: 64, return_sequences: true, recurrent_regularizer: L2(0.0015)),",
        "        Dropout(rate: 0.5),",
        "        Dense(units: 6, activation: \"softmax\"),",
        "    input: (shape: [100, 6]),",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    assert!(!text.contains("budget"), "{text}");
}
