//! FIFOs, devices and huge files where lstm-tui expects a design, a theme or settings: each is
//! refused with "not a regular file" (or the size cap) instead of hanging or eating memory.
//! Every run has a deadline, so a regression fails the test instead of hanging the suite.
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use crate::common::{Env, stderr, stdout};
use lstm_tui::store::{Store, StoreError};
use lstm_tui::theme::Theme;

/// Far more than any of these commands needs, even on a loaded machine.
const DEADLINE: Duration = Duration::from_secs(20);

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Runs `lstm-tui ARGS`, killing it (and failing) if it has not finished by the deadline.
fn run_bounded(env: &Env, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lstm-tui"))
        .args(args)
        .env("LSTM_TUI_CONFIG_DIR", env.config.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lstm-tui");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("lstm-tui {args:?} still running after {DEADLINE:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// Runs `f` on another thread and fails if it has not returned by the deadline.
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(DEADLINE)
        .unwrap_or_else(|_| panic!("{what} still running after {DEADLINE:?}: it hangs"))
}

#[test]
fn summary_of_a_fifo_is_refused_not_waited_on() {
    let env = Env::new();
    for name in ["model.ron", "model.py", "model.json", "model"] {
        let fifo = env.files.path().join(name);
        mkfifo(&fifo);
        let out = run_bounded(&env, &["summary", fifo.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{name}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_fifo_in_designs_is_listed_with_its_error_and_refused_by_name() {
    let env = Env::new();
    let store = Store::at(env.config.path());
    store
        .save(&lstm_tui::model::Design::example(), None)
        .unwrap();
    mkfifo(&store.designs_dir().join("pipe.ron"));

    let out = run_bounded(&env, &["list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listing = stdout(&out);
    let pipe = listing
        .lines()
        .find(|l| l.starts_with("pipe "))
        .unwrap_or_else(|| panic!("no row for the FIFO:\n{listing}"));
    assert!(pipe.contains("not a regular file"), "{pipe}");
    assert!(
        listing.lines().any(|l| l.starts_with("example ")),
        "{listing}"
    );

    let out = run_bounded(&env, &["summary", "pipe"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_of_a_fifo_is_refused() {
    let env = Env::new();
    let fifo = env.files.path().join("model.py");
    mkfifo(&fifo);
    let out = run_bounded(&env, &["import", fifo.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn settings_and_a_saved_design_that_are_fifos_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    mkfifo(&store.settings_path());
    std::fs::create_dir_all(store.designs_dir()).unwrap();
    mkfifo(&store.designs_dir().join("last.ron"));

    let s = store.clone();
    let (_, problem) = bounded("reading a FIFO settings.ron", move || s.load_settings());
    assert!(
        problem
            .as_ref()
            .is_some_and(|e| e.to_string().contains("not a regular file")),
        "{problem:?}"
    );
    let s = store.clone();
    let err = bounded("opening a FIFO design", move || s.load_name("last")).unwrap_err();
    assert!(matches!(err, StoreError::NotRegular { .. }), "{err:?}");
    // Saving over it is refused too: the check for changes on disk reads it first.
    let s = store.clone();
    let design = lstm_tui::model::Design {
        name: "last".into(),
        ..lstm_tui::model::Design::example()
    };
    let err = bounded("saving over a FIFO", move || s.save(&design, None)).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

#[test]
fn a_theme_that_is_a_fifo_or_a_device_or_too_large_is_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes");
    std::fs::create_dir_all(&themes).unwrap();
    mkfifo(&themes.join("pipe.ron"));
    std::os::unix::fs::symlink("/dev/zero", themes.join("zero.ron")).unwrap();
    let big = std::fs::File::create(themes.join("big.ron")).unwrap();
    big.set_len(lstm_tui::store::MAX_FILE_SIZE + 1).unwrap();

    let (all, problems) = bounded("loading themes", move || Theme::all(&themes));
    assert_eq!(all, Theme::builtins());
    assert_eq!(problems.len(), 3, "{problems:?}");
    let about = |file: &str| {
        problems
            .iter()
            .find(|p| p.contains(file))
            .unwrap_or_else(|| panic!("no problem reported for {file}: {problems:?}"))
            .clone()
    };
    assert!(about("pipe.ron").contains("not a regular file"));
    assert!(about("zero.ron").contains("not a regular file"));
    assert!(about("big.ron").contains("bytes"), "{}", about("big.ron"));
}
