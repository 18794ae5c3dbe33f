//! A `settings.ron` that cannot be used is never silently replaced: the designer starts with
//! the defaults, says so, and keeps the file aside. Skipped when tmux is not installed.

mod tmux_common;

use std::fs;
use std::path::Path;

use lstm_tui::store::Store;
use tmux_common::{Session, have_tmux};

fn bad_settings() -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/settings/unparsable.ron"))
        .expect("fixture")
}

#[test]
fn unusable_settings_are_kept_aside_and_reported() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::at(dir.path());
    fs::write(store.settings_path(), bad_settings()).expect("write settings");

    let s = Session::start("settings", dir.path(), 160, 30);
    s.wait_for(&["59,910", "default settings in use", "settings.ron.bad"]);
    s.keys(&["q"]);
    s.wait_for(&["exit status 0"]);
    assert_eq!(
        fs::read(dir.path().join("settings.ron.bad")).expect("kept aside"),
        bad_settings()
    );
    // Quitting saved fresh settings, which the next start reads without complaint.
    let (_, problem) = store.load_settings();
    assert!(problem.is_none(), "{problem:?}");
}

#[test]
fn keeping_settings_aside_never_replaces_an_earlier_kept_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::at(dir.path());
    fs::write(store.settings_path(), bad_settings()).expect("write");
    let first = store.keep_settings_aside().expect("aside");
    assert!(!store.settings_path().exists());
    fs::write(store.settings_path(), b"(mouse: 3)").expect("write");
    let second = store.keep_settings_aside().expect("aside");
    assert_ne!(first, second);
    assert_eq!(fs::read(&first).expect("first"), bad_settings());
    assert_eq!(fs::read(&second).expect("second"), b"(mouse: 3)");
}
