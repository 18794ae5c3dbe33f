//! Names, settings, listing, resolving, rename and delete, each in a temp folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

use lstm_tui::caps::visible;
use lstm_tui::model::{Budget, Convention, Design, Summary};
use lstm_tui::store::{ListedInfo, NoTotal, Settings, Store, StoreError, list_text, parse_design};
use serde::Deserialize;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/designs")
        .join(rel)
}

fn fixture_design(rel: &str) -> Design {
    parse_design(&fs::read_to_string(fixture(rel)).unwrap()).unwrap()
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    (dir, store)
}

#[derive(Deserialize)]
struct Names {
    refused: Vec<(String, String)>,
    accepted: Vec<String>,
}

#[test]
fn unsafe_names_are_refused_with_a_reason_and_touch_nothing() {
    let names: Names = ron::from_str(&fs::read_to_string(fixture("names.ron")).unwrap()).unwrap();
    let (dir, store) = temp_store();
    for (name, reason) in &names.refused {
        let err = store.design_path(name).unwrap_err();
        assert!(matches!(err, StoreError::Name { .. }), "{name:?}: {err:?}");
        let shown = err.to_string();
        assert!(shown.contains(reason), "{name:?}: {shown}");
        // The name as given: printing applies the one sanitising policy (tests/cli/cli_hostile.rs).
        assert!(shown.contains(name.as_str()), "{name:?}: {shown:?}");
        let design = Design {
            name: name.clone(),
            ..Design::example()
        };
        assert!(store.save(&design, None).is_err(), "{name:?}");
        assert!(store.save_overwriting(&design).is_err(), "{name:?}");
        assert!(store.load_name(name).is_err(), "{name:?}");
        assert!(store.delete(name).is_err(), "{name:?}");
    }
    // Nothing was written anywhere, inside the root or beside it.
    assert!(!store.designs_dir().exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    for name in &names.accepted {
        let path = store.design_path(name).unwrap();
        assert_eq!(path.parent().unwrap(), store.designs_dir(), "{name:?}");
        let design = Design {
            name: name.clone(),
            ..Design::example()
        };
        store.save(&design, None).unwrap();
        assert_eq!(store.load_name(name).unwrap().design, design);
    }
}

#[test]
fn settings_default_round_trip_and_survive_a_bad_file() {
    let (_dir, store) = temp_store();
    let (first, err) = store.load_settings();
    assert_eq!(first, Settings::default());
    assert!(err.is_none(), "{err:?}");
    let mine = Settings {
        last_design: Some("gru-small".into()),
        theme: "solarized".into(),
        convention: Convention::PyTorch,
        mouse: false,
        columns: Some(vec!["macs".into(), "trainable".into()]),
    };
    store.save_settings(&mine).unwrap();
    let (back, err) = store.load_settings();
    assert!(err.is_none(), "{err:?}");
    assert_eq!(back, mine);

    // A partial file: the missing fields take their defaults.
    fs::write(store.settings_path(), "(theme: \"nord\")\n").unwrap();
    let (back, err) = store.load_settings();
    assert!(err.is_none(), "{err:?}");
    assert_eq!(back.theme, "nord");
    assert_eq!(back.convention, Settings::default().convention);

    // A bad file: defaults, an error naming the place, and the file left alone.
    let bad = "(\n    theme: \"nord\",\n    mouse: maybe,\n)\n";
    fs::write(store.settings_path(), bad).unwrap();
    let (back, err) = store.load_settings();
    assert_eq!(back, Settings::default());
    let shown = err.unwrap().to_string();
    let place = format!("{}:3:12: ", store.settings_path().display());
    assert!(shown.starts_with(&place), "{shown}");
    assert!(shown.contains("mouse"), "{shown}");
    assert_eq!(fs::read_to_string(store.settings_path()).unwrap(), bad);
}

#[test]
fn list_shows_every_design_with_totals_and_bad_files_with_their_error() {
    let (dir, store) = temp_store();
    let example = Design {
        budget: Budget {
            params: Some(60_000),
            ..Budget::default()
        },
        ..Design::example()
    };
    store.save(&example, None).unwrap();
    let mut minimal = fixture_design("valid/minimal.ron");
    minimal.name = "a-minimal".into();
    store.save(&minimal, None).unwrap();
    store
        .save(&fixture_design("valid/does_not_build.ron"), None)
        .unwrap();
    fs::copy(
        fixture("invalid/wrong_type.ron"),
        store.designs_dir().join("broken.ron"),
    )
    .unwrap();
    // Not designs: another extension, a hidden temp file, a folder.
    fs::write(store.designs_dir().join("notes.txt"), "x").unwrap();
    fs::write(store.designs_dir().join(".example.ron.tmp-1-0"), "(").unwrap();
    fs::create_dir(store.designs_dir().join("folder")).unwrap();
    let fixed = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    for name in ["example", "a-minimal", "broken", "does-not-build"] {
        let file = fs::File::options()
            .write(true)
            .open(store.designs_dir().join(format!("{name}.ron")))
            .unwrap();
        file.set_modified(fixed).unwrap();
    }

    let listed = store.list().unwrap();
    let names: Vec<&str> = listed.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["a-minimal", "broken", "does-not-build", "example"]);
    let text = list_text(&listed, visible).replace(&dir.path().display().to_string(), "<root>");
    let expected = fs::read_to_string(fixture("list_expected.txt")).unwrap();
    assert_eq!(text, expected, "\n{text}");
}

#[test]
fn a_listed_design_that_does_not_build_says_which_layer_fails() {
    let design = fixture_design("valid/does_not_build.ron");
    let info = ListedInfo::of(&design);
    let Err(NoTotal::DoesNotBuild(error)) = &info.total else {
        panic!("{:?}", info.total);
    };
    // The model's own reason, not a flattened text.
    assert_eq!(
        Some(error),
        Summary::of(&design, Convention::Keras).error.as_ref()
    );
    assert!(
        info.total
            .unwrap_err()
            .to_string()
            .starts_with("does not build: ")
    );
}

#[test]
fn list_of_an_empty_store_says_so() {
    let (_dir, store) = temp_store();
    let listed = store.list().unwrap();
    assert!(listed.is_empty());
    assert!(list_text(&listed, visible).starts_with("no saved designs"));
}

#[test]
fn resolve_tells_paths_from_names() {
    let (dir, store) = temp_store();
    assert_eq!(
        store.resolve("gru-small").unwrap(),
        store.designs_dir().join("gru-small.ron")
    );
    assert_eq!(
        store.resolve("some/where.ron").unwrap(),
        PathBuf::from("some/where.ron")
    );
    assert_eq!(store.resolve("x.ron").unwrap(), PathBuf::from("x.ron"));
    let existing = dir.path().join("plain");
    fs::write(&existing, "").unwrap();
    let existing = existing.display().to_string();
    assert_eq!(store.resolve(&existing).unwrap(), PathBuf::from(&existing));
    // Never a name that climbs out of the designs folder: `..` is the folder it names
    // (reading it says so), a hidden name that is no folder is refused.
    assert_eq!(store.resolve("..").unwrap(), PathBuf::from(".."));
    assert!(store.resolve(".hidden-design").is_err());
}

#[test]
fn rename_moves_the_file_and_the_name_and_never_replaces_another() {
    let (_dir, store) = temp_store();
    store.save(&Design::example(), None).unwrap();
    let mut other = fixture_design("valid/minimal.ron");
    other.name = "other".into();
    store.save(&other, None).unwrap();
    let other_bytes = fs::read(store.design_path("other").unwrap()).unwrap();

    assert!(matches!(
        store.rename("example", "other"),
        Err(StoreError::Exists { .. })
    ));
    assert!(matches!(
        store.rename("example", "../escape"),
        Err(StoreError::Name { .. })
    ));
    assert!(matches!(
        store.rename("missing", "fresh"),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(
        fs::read(store.design_path("other").unwrap()).unwrap(),
        other_bytes
    );

    store.rename("example", "renamed").unwrap();
    assert!(!store.design_path("example").unwrap().exists());
    let loaded = store.load_name("renamed").unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(
        loaded.design,
        Design {
            name: "renamed".into(),
            ..Design::example()
        }
    );
}

#[test]
fn delete_removes_one_design() {
    let (_dir, store) = temp_store();
    store.save(&Design::example(), None).unwrap();
    store.delete("example").unwrap();
    assert!(store.list().unwrap().is_empty());
    assert!(matches!(
        store.delete("example"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn a_file_whose_name_field_differs_loads_under_the_file_name_with_a_warning() {
    let (_dir, store) = temp_store();
    fs::create_dir_all(store.designs_dir()).unwrap();
    fs::copy(
        fixture("valid/example.ron"),
        store.designs_dir().join("copy.ron"),
    )
    .unwrap();
    let loaded = store.load_name("copy").unwrap();
    assert_eq!(loaded.design.name, "copy");
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].contains("\"example\""));
}

/// Started by `the_config_dir_comes_from_the_environment` with the variable set.
#[test]
#[ignore = "started as a child process"]
fn child_print_config_dir() {
    if let Ok(store) = Store::from_env() {
        println!("ROOT={}", store.root().display());
    }
}

#[test]
fn the_config_dir_comes_from_the_environment() {
    let run = |value: &str| {
        let out = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "store_files::child_print_config_dir",
                "--ignored",
                "--nocapture",
            ])
            .env("LSTM_TUI_CONFIG_DIR", value)
            .env("HOME", "/nonexistent-home")
            .env("XDG_CONFIG_HOME", "/nonexistent-xdg")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("ROOT=").map(str::to_string))
            .unwrap_or_else(|| panic!("no root printed: {stdout}"))
    };
    assert_eq!(run("/tmp/lstm-tui-test-root"), "/tmp/lstm-tui-test-root");
    // Empty means unset: the platform directory, here under XDG_CONFIG_HOME.
    assert_eq!(run(""), "/nonexistent-xdg/lstm-tui");
}

#[test]
fn open_takes_a_name_or_a_path_and_saves_go_back_to_a_path() {
    let (dir, store) = temp_store();
    store.save(&Design::example(), None).unwrap();
    assert_eq!(store.open("example").unwrap().design, Design::example());

    let elsewhere = dir.path().join("elsewhere.ron");
    fs::copy(fixture("valid/minimal.ron"), &elsewhere).unwrap();
    let path = elsewhere.display().to_string();
    let opened = store.open(&path).unwrap();
    assert_eq!(opened.design, fixture_design("valid/minimal.ron"));
    assert_eq!(opened.path, elsewhere);

    let mut edited = opened.design.clone();
    edited.budget.params = Some(10);
    store
        .save_at(&elsewhere, &edited, Some(&opened.stamp))
        .unwrap();
    assert_eq!(store.open(&path).unwrap().design, edited);
    // The stamp from before the save is stale now.
    assert!(matches!(
        store.save_at(&elsewhere, &opened.design, Some(&opened.stamp)),
        Err(StoreError::ChangedOnDisk { .. })
    ));
    store
        .save_overwriting_at(&elsewhere, &opened.design)
        .unwrap();
    assert_eq!(store.open(&path).unwrap().design, opened.design);
    assert!(matches!(
        store.open("missing"),
        Err(StoreError::NotFound { .. })
    ));
}
