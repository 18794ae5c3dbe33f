//! What the designer reads at start: a `settings.ron` that cannot be used is never silently
//! replaced (the defaults apply, the status line says so, the file is kept aside), and FIFOs
//! where files are expected never hang the start. Without tmux those show as ignored, and fail under `CI=true`
//! (tests/common/needs.rs).

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::{check, common};
use common::needs::Need;
use common::tmux::{Session, patience};
use libtest_mimic::Trial;
use lstm_tui::store::Store;

fn bad_settings() -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/settings/unparsable.ron"))
        .expect("fixture")
}

fn unusable_settings_are_kept_aside_and_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::at(dir.path());
    fs::write(store.settings_path(), bad_settings()).expect("write settings");

    let s = Session::designer("settings", dir.path(), 160, 30);
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

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn fifos_as_the_last_design_a_theme_and_a_recovery_copy_never_hang_the_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::at(dir.path());
    let settings = lstm_tui::store::Settings {
        last_design: Some("last".into()),
        ..Default::default()
    };
    store.save_settings(&settings).expect("settings");
    for folder in [store.designs_dir(), store.themes_dir()] {
        fs::create_dir_all(folder).expect("folder");
    }
    mkfifo(&store.designs_dir().join("last.ron"));
    mkfifo(&store.themes_dir().join("pipe.ron"));
    mkfifo(&store.legacy_recovery_path());

    let s = Session::designer("fifos", dir.path(), 120, 30);
    s.wait_for(&["Unsaved work found", "unreadable", "not a regular file"]);
    s.keys(&["d"]);
    s.wait_for(&["59,910"]);
    // The example shows behind the question too: the discard is done once the copy is gone.
    let deadline = Instant::now() + patience();
    while store.legacy_recovery_path().exists() {
        assert!(
            Instant::now() < deadline,
            "the discarded copy is still there"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    s.keys(&["q"]);
    s.wait_for(&["exit status 0"]);
}

fn a_fifo_as_settings_is_kept_aside_and_the_start_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::at(dir.path());
    mkfifo(&store.settings_path());
    let s = Session::designer("fifo-settings", dir.path(), 160, 30);
    s.wait_for(&["59,910", "default settings in use", "not a regular file"]);
    s.keys(&["q"]);
    s.wait_for(&["exit status 0"]);
    assert!(dir.path().join("settings.ron.bad").exists());
}

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

pub fn checks() -> Vec<Trial> {
    let tmux = Need::tmux();
    common::needs::listed(
        module_path!(),
        include_str!("e2e_start_files.rs"),
        vec![
            check!(tmux, unusable_settings_are_kept_aside_and_reported),
            check!(
                tmux,
                fifos_as_the_last_design_a_theme_and_a_recovery_copy_never_hang_the_start
            ),
            check!(tmux, a_fifo_as_settings_is_kept_aside_and_the_start_goes_on),
            check!(keeping_settings_aside_never_replaces_an_earlier_kept_file),
        ],
    )
}
