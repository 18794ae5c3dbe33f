//! Two lstm-tui instances (or an editor) writing one design: a save's "changed on disk?" check
//! and its rename happen together, so no edit is lost while both say "saved".

use std::fs;
use std::io;
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lstm_tui::model::Design;
use lstm_tui::store::{FileStamp, SaveHook, SaveStep, Store, StoreError};

fn example_named(name: &str) -> Design {
    Design {
        name: name.into(),
        ..Design::example()
    }
}

fn without_last_layer(mut d: Design) -> Design {
    d.layers.pop();
    d
}

fn without_first_layer(mut d: Design) -> Design {
    d.layers.remove(0);
    d
}

/// An editor writing the file while lstm-tui syncs its temp file.
struct EditDuringSync(Vec<u8>);

impl SaveHook for EditDuringSync {
    fn at(&self, step: SaveStep, target: &Path) -> io::Result<()> {
        if step == SaveStep::Synced {
            fs::write(target, &self.0)?;
        }
        Ok(())
    }
}

#[test]
fn an_edit_made_during_a_slow_save_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let plain = Store::at(dir.path());
    let design = example_named("shared");
    let stamp = plain.save(&design, None).unwrap();
    let path = plain.design_path("shared").unwrap();
    let outside = b"// written by an editor\n".to_vec();

    let slow = Store::at(dir.path()).with_hook(Arc::new(EditDuringSync(outside.clone())));
    let err = slow
        .save(&without_last_layer(design), Some(&stamp))
        .unwrap_err();
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err:?}");
    assert_eq!(
        fs::read(&path).unwrap(),
        outside,
        "the editor's change was lost"
    );
}

/// Holds the first save between writing and syncing its temp file until the second save has
/// answered, or for a few seconds when the second save (rightly) waits for the first.
struct Pause {
    started: Mutex<Option<Sender<()>>>,
    answered: Mutex<Receiver<Result<FileStamp, String>>>,
    seen: Mutex<Option<Result<FileStamp, String>>>,
}

impl SaveHook for Pause {
    fn at(&self, step: SaveStep, _: &Path) -> io::Result<()> {
        if step != SaveStep::Written {
            return Ok(());
        }
        if let Some(tx) = self.started.lock().unwrap().take() {
            tx.send(()).unwrap();
        }
        let got = self
            .answered
            .lock()
            .unwrap()
            .recv_timeout(Duration::from_secs(3));
        *self.seen.lock().unwrap() = got.ok();
        Ok(())
    }
}

#[test]
fn two_instances_saving_at_once_never_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Store::at(dir.path());
    let design = example_named("shared");
    let stamp = setup.save(&design, None).unwrap();
    let path = setup.design_path("shared").unwrap();

    let (started_tx, started_rx) = channel();
    let (answer_tx, answer_rx) = channel();
    let pause = Arc::new(Pause {
        started: Mutex::new(Some(started_tx)),
        answered: Mutex::new(answer_rx),
        seen: Mutex::new(None),
    });
    let first = Store::at(dir.path()).with_hook(pause.clone());
    let second = Store::at(dir.path());
    let mine = without_last_layer(design.clone());
    let theirs = without_first_layer(design);

    let theirs_copy = theirs.clone();
    let other = std::thread::spawn(move || {
        started_rx.recv().unwrap();
        let result = second
            .save(&theirs_copy, Some(&stamp))
            .map_err(|e| format!("{e:?}"));
        let _ = answer_tx.send(result.clone());
        result
    });
    let first_result = first.save(&mine, Some(&stamp));
    let second_result = other.join().unwrap();

    let on_disk = Store::at(dir.path()).load_name("shared").unwrap().design;
    match (&first_result, &second_result) {
        (Ok(_), Err(e)) => {
            assert!(e.starts_with("ChangedOnDisk"), "{e}");
            assert_eq!(on_disk, mine);
        }
        (Err(e), Ok(_)) => {
            assert!(matches!(e, StoreError::ChangedOnDisk { .. }), "{e:?}");
            assert_eq!(on_disk, theirs);
        }
        other => panic!(
            "both saves of {} answered {other:?}: one edit is lost",
            path.display()
        ),
    }
}

#[test]
fn a_save_removes_the_temp_files_of_interrupted_saves() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let design = example_named("kept");
    let stamp = store.save(&design, None).unwrap();
    let designs = store.designs_dir();
    // What a save killed between writing and renaming leaves (temp names carry the pid).
    let stale = designs.join(".kept.ron.tmp-4194305-0");
    fs::write(&stale, "half a design").unwrap();
    let other = designs.join(".other.ron.tmp-4194305-1");
    fs::write(&other, "another design's").unwrap();

    store
        .save(&without_last_layer(design), Some(&stamp))
        .unwrap();
    assert!(
        !stale.exists(),
        "the interrupted save's temp file is still there"
    );
    assert!(other.exists(), "a temp file of another design was removed");
}
