//! Saving never destroys the previous file: failures injected between write and rename, a real
//! folder that cannot be written, outside changes, and a process killed in the middle of saves.

use std::fs;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lstm_tui::model::Design;
use lstm_tui::store::{SaveHook, SaveStep, Store, StoreError, parse_design};

/// Fails the save at one step with a given error.
struct FailAt(SaveStep, fn() -> io::Error);

impl SaveHook for FailAt {
    fn at(&self, step: SaveStep, _: &Path) -> io::Result<()> {
        if step == self.0 {
            Err((self.1)())
        } else {
            Ok(())
        }
    }
}

fn example_named(name: &str) -> Design {
    Design {
        name: name.into(),
        ..Design::example()
    }
}

fn changed(mut d: Design) -> Design {
    d.layers.pop();
    d
}

/// Hidden names in `designs/` other than the save locks (temp files of a failed save).
fn leftovers(store: &Store) -> Vec<String> {
    fs::read_dir(store.designs_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && !n.ends_with(".lock"))
        .collect()
}

#[test]
fn a_failure_between_write_and_rename_keeps_the_old_file_and_no_temp_file() {
    let errors: [fn() -> io::Error; 3] = [
        || io::Error::other("injected"),
        || io::Error::from_raw_os_error(28), // ENOSPC: the disk is full
        || io::Error::from_raw_os_error(30), // EROFS: read-only file system
    ];
    for step in [SaveStep::Written, SaveStep::Synced] {
        for error in errors {
            let dir = tempfile::tempdir().unwrap();
            let good = Store::at(dir.path());
            let design = example_named("kept");
            let stamp = good.save(&design, None).unwrap();
            let path = good.design_path("kept").unwrap();
            let before = fs::read(&path).unwrap();

            let failing = Store::at(dir.path()).with_hook(Arc::new(FailAt(step, error)));
            let err = failing
                .save(&changed(design.clone()), Some(&stamp))
                .unwrap_err();
            assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
            let shown = err.to_string();
            assert!(
                shown.starts_with(&format!("{}: cannot save: ", path.display())),
                "{shown}"
            );
            assert!(shown.contains(&error().to_string()), "{shown}");

            assert_eq!(fs::read(&path).unwrap(), before, "{step:?}");
            assert_eq!(good.load_name("kept").unwrap().design, design);
            assert!(leftovers(&good).is_empty(), "{:?}", leftovers(&good));
            // The store still works once the disk does.
            good.save(&changed(design.clone()), Some(&stamp)).unwrap();
            assert_eq!(good.load_name("kept").unwrap().design, changed(design));
        }
    }
}

#[test]
fn settings_and_recovery_saves_are_atomic_too() {
    let dir = tempfile::tempdir().unwrap();
    let good = Store::at(dir.path());
    let mut instance = good.claim_instance().unwrap();
    let copy = instance.write(&Design::example()).unwrap();
    let settings = lstm_tui::store::Settings {
        theme: "mine".into(),
        ..Default::default()
    };
    good.save_settings(&settings).unwrap();
    let failing = Store::at(dir.path()).with_hook(Arc::new(FailAt(SaveStep::Synced, || {
        io::Error::from_raw_os_error(28)
    })));
    let mut failing_instance = failing.claim_instance().unwrap();
    failing_instance.write(&Design::example()).unwrap_err();
    assert!(failing.save_settings(&Default::default()).is_err());
    assert_eq!(good.load_path(&copy).unwrap().design, Design::example());
    assert_eq!(good.load_settings().0, settings);
    drop(failing_instance);
    // The failed write left neither a copy nor a temp file behind.
    let offered: Vec<_> = good
        .orphans()
        .unwrap()
        .into_iter()
        .map(|o| o.path)
        .collect();
    assert!(offered.is_empty(), "{offered:?}");
    let names: Vec<String> = fs::read_dir(good.recovery_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron") || n.contains(".tmp-"))
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn a_folder_that_cannot_hold_designs_fails_the_save_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    // A file where the designs folder should be: no user, root included, can save there.
    fs::write(store.designs_dir(), b"not a folder").unwrap();
    let err = store.save(&Design::example(), None).unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("{}", store.designs_dir().display())),
        "{shown}"
    );
    assert!(shown.contains("cannot"), "{shown}");
    // Nothing else breaks: settings still save and load, the listing reports instead of panicking.
    store.save_settings(&Default::default()).unwrap();
    assert!(store.load_settings().1.is_none());
    assert!(store.list().is_err());
    assert_eq!(fs::read(store.designs_dir()).unwrap(), b"not a folder");
}

#[test]
fn a_read_only_folder_fails_the_save_with_its_path() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    store.save(&Design::example(), None).unwrap();
    let path = store.design_path("example").unwrap();
    let before = fs::read(&path).unwrap();
    fs::set_permissions(store.designs_dir(), fs::Permissions::from_mode(0o555)).unwrap();
    let probe = store.designs_dir().join("probe");
    let enforced = fs::write(&probe, b"").is_err();
    let result = store.save_overwriting(&changed(Design::example()));
    fs::set_permissions(store.designs_dir(), fs::Permissions::from_mode(0o755)).unwrap();
    if enforced {
        let err = result.unwrap_err();
        assert!(
            err.to_string().starts_with(&path.display().to_string()),
            "{err}"
        );
        assert_eq!(fs::read(&path).unwrap(), before);
        assert!(leftovers(&store).is_empty());
    } else {
        // Running as root, which writes through permissions; the injected EROFS case above
        // covers the failure path.
        fs::remove_file(probe).unwrap();
        result.unwrap();
    }
}

#[test]
fn saving_over_outside_changes_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let design = example_named("shared");
    store.save(&design, None).unwrap();
    let opened = store.load_name("shared").unwrap();
    let path = opened.path.clone();

    // Another program (or a second lstm-tui) edits the file.
    let outside = fs::read_to_string(&path)
        .unwrap()
        .replace("units: 6,", "units: 7,");
    fs::write(&path, &outside).unwrap();

    let err = store
        .save(&changed(opened.design.clone()), Some(&opened.stamp))
        .unwrap_err();
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err:?}");
    assert!(err.to_string().starts_with(&path.display().to_string()));
    assert_eq!(fs::read_to_string(&path).unwrap(), outside);

    // A new design (no stamp) with a taken name asks too.
    let err = store.save(&design, None).unwrap_err();
    assert!(matches!(err, StoreError::Exists { .. }), "{err:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), outside);

    // Confirmed: overwrite.
    let stamp = store
        .save_overwriting(&changed(opened.design.clone()))
        .unwrap();
    let back = store.load_name("shared").unwrap();
    assert_eq!(back.design, changed(opened.design));
    assert_eq!(back.stamp, stamp);

    // Touching a file without changing it is not a conflict.
    fs::write(&path, fs::read(&path).unwrap()).unwrap();
    store.save(&design, Some(&stamp)).unwrap();
}

/// Where the child process saves; set only when the kill test starts this binary as the child.
const CHILD_DIR: &str = "LSTM_TUI_TEST_SAVER_DIR";

/// Run by `killed_in_the_middle_of_saves_the_file_is_always_whole` in a child process: saves
/// two designs in turn, forever, slowing each save down so kills land inside them.
#[test]
#[ignore = "started as a child process by the kill test"]
fn child_saver_loop() {
    struct Slow;
    impl SaveHook for Slow {
        fn at(&self, _: SaveStep, _: &Path) -> io::Result<()> {
            std::thread::sleep(Duration::from_micros(300));
            Ok(())
        }
    }
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let store = Store::at(dir).with_hook(Arc::new(Slow));
    let a = example_named("contested");
    let b = changed(a.clone());
    loop {
        for d in [&a, &b] {
            store.save_overwriting(d).unwrap();
        }
    }
}

#[test]
fn killed_in_the_middle_of_saves_the_file_is_always_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let a = example_named("contested");
    let b = changed(a.clone());
    store.save(&a, None).unwrap();
    let path = store.design_path("contested").unwrap();
    for round in 0..6u64 {
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "store_save::child_saver_loop",
                "--ignored",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the child is saving, then let it run a varying while before the kill.
        let start = Instant::now();
        while fs::metadata(&path).unwrap().modified().unwrap() == before {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "child never saved"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(3 + 7 * round));
        child.kill().unwrap();
        child.wait().unwrap();

        let text = fs::read_to_string(&path).unwrap();
        let design = parse_design(&text).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(design == a || design == b, "round {round}: {design:?}");
        // A killed save may leave its hidden temp file; it never shows up as a design.
        let names: Vec<String> = store.list().unwrap().into_iter().map(|l| l.name).collect();
        assert_eq!(names, ["contested"]);
    }
}
