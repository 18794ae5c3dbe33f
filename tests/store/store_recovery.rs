//! One recovery copy per running instance: a running instance's copy is never offered, and
//! answering for one copy (restore, keep, discard) never touches another.

use std::fs;
use std::path::{Path, PathBuf};

use lstm_tui::model::Design;
use lstm_tui::store::{Orphan, Store, StoreError, parse_design};

fn fixture_design(rel: &str) -> Design {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/designs")
        .join(rel);
    parse_design(&fs::read_to_string(path).unwrap()).unwrap()
}

fn named(name: &str) -> Design {
    Design {
        name: name.into(),
        ..fixture_design("valid/varied.ron")
    }
}

fn paths(orphans: &[Orphan]) -> Vec<PathBuf> {
    let mut p: Vec<PathBuf> = orphans.iter().map(|o| o.path.clone()).collect();
    p.sort();
    p
}

#[test]
fn each_instance_has_its_own_copy_and_a_running_ones_is_never_offered() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let mut first = store.claim_instance().unwrap();
    let mut second = store.claim_instance().unwrap();
    assert_ne!(first.id(), second.id());
    let a = first.write(&named("shared")).unwrap();
    let b = second.write(&named("shared")).unwrap();
    assert_ne!(a, b, "two instances editing one design share a copy");

    // Both still run: nothing to offer, to anyone.
    assert!(store.orphans().unwrap().is_empty());

    // The first ends without a word (its lock goes with it): only its copy is offered.
    drop(first);
    let offered = store.orphans().unwrap();
    assert_eq!(paths(&offered), vec![a.clone()]);
    assert_eq!(offered[0].name, "shared");
    let info = offered[0].info.as_ref().unwrap();
    assert_eq!(info.layers, named("shared").layers.len());

    // Discarding it leaves the running instance's copy alone, and the reverse.
    for o in offered {
        o.discard().unwrap();
    }
    assert!(!a.exists());
    assert_eq!(store.load_path(&b).unwrap().design, named("shared"));
    second.discard().unwrap();
    assert!(!b.exists());
}

#[test]
fn a_copy_on_offer_is_not_offered_to_a_second_instance_until_kept_for_later() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let mut gone = store.claim_instance().unwrap();
    let copy = gone.write(&named("left")).unwrap();
    drop(gone);

    let offered = store.orphans().unwrap();
    assert_eq!(paths(&offered), vec![copy.clone()]);
    // Another instance starting while the first still asks does not see it.
    assert!(store.orphans().unwrap().is_empty());
    // "Keep for later": dropped unanswered, it is offered again, unchanged.
    drop(offered);
    let again = store.orphans().unwrap();
    assert_eq!(paths(&again), vec![copy.clone()]);
    assert_eq!(store.load_path(&copy).unwrap().design, named("left"));
}

#[test]
fn restoring_makes_the_copy_this_instances_own() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let mut gone = store.claim_instance().unwrap();
    let old = gone.write(&named("left")).unwrap();
    drop(gone);

    let mut me = store.claim_instance().unwrap();
    let orphan = store.orphans().unwrap().pop().unwrap();
    let design = me.adopt(orphan).unwrap();
    assert_eq!(design, named("left"));
    assert!(!old.exists());
    let mine = me.copy_path().unwrap().to_path_buf();
    assert!(
        mine.file_name()
            .unwrap()
            .to_string_lossy()
            .ends_with(&format!("-{}.ron", me.id())),
        "{}",
        mine.display()
    );
    // Still safe if this instance is killed right now: it is offered as this one's copy.
    assert!(store.orphans().unwrap().is_empty());
    drop(me);
    assert_eq!(paths(&store.orphans().unwrap()), vec![mine]);
}

#[test]
fn a_renamed_design_replaces_the_instances_copy_and_quitting_removes_only_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let mut other = store.claim_instance().unwrap();
    let theirs = other.write(&named("theirs")).unwrap();
    let mut me = store.claim_instance().unwrap();
    let first = me.write(&named("draft")).unwrap();
    let second = me.write(&named("final")).unwrap();
    assert!(
        !first.exists(),
        "the copy under the old name is left behind"
    );
    assert!(second.exists());
    // A name that cannot be a file name still gets a copy, holding the real name.
    let odd = me.write(&named("../odd")).unwrap();
    assert!(odd.starts_with(store.recovery_dir()), "{}", odd.display());
    assert_eq!(store.load_path(&odd).unwrap().design.name, "../odd");
    me.discard().unwrap();
    assert!(!odd.exists());
    assert!(theirs.exists(), "quitting removed another instance's copy");
}

#[test]
fn a_leftover_with_this_process_id_keeps_being_offered() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    // An ended process that had the same id (after a reboot, in another container).
    let mut gone = store.claim_instance().unwrap();
    let pid = gone.id().to_string();
    let copy = gone.write(&named("old")).unwrap();
    drop(gone);

    let mut me = store.claim_instance().unwrap();
    assert_ne!(me.id(), pid);
    me.write(&named("old")).unwrap();
    assert_eq!(paths(&store.orphans().unwrap()), vec![copy.clone()]);
    me.discard().unwrap();
    assert!(copy.exists());
}

#[test]
fn the_first_releases_single_copy_is_offered_too() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/designs/valid/varied.ron"),
        store.legacy_recovery_path(),
    )
    .unwrap();
    let offered = store.orphans().unwrap();
    assert_eq!(paths(&offered), vec![store.legacy_recovery_path()]);
    let mut me = store.claim_instance().unwrap();
    let design = me.adopt(offered.into_iter().next().unwrap()).unwrap();
    assert_eq!(design, fixture_design("valid/varied.ron"));
    assert!(!store.legacy_recovery_path().exists());
    assert!(me.copy_path().unwrap().starts_with(store.recovery_dir()));
}

#[test]
fn a_damaged_copy_is_listed_with_its_error_and_can_be_discarded() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let mut gone = store.claim_instance().unwrap();
    let copy = gone.write(&named("broken")).unwrap();
    drop(gone);
    fs::write(&copy, "(version: 1,").unwrap();

    let mut offered = store.orphans().unwrap();
    assert_eq!(offered.len(), 1);
    let err = offered[0].info.as_ref().unwrap_err();
    assert!(
        err.to_string().starts_with(&copy.display().to_string()),
        "{err}"
    );
    let mut me = store.claim_instance().unwrap();
    let refused = me.adopt(offered.pop().unwrap()).unwrap_err();
    assert!(matches!(refused, StoreError::Parse { .. }), "{refused:?}");
    assert!(copy.exists(), "a refused restore lost the copy");
    store.orphans().unwrap().pop().unwrap().discard().unwrap();
    assert!(!copy.exists());
}

#[test]
fn leftovers_of_ended_instances_without_a_copy_are_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    let gone = store.claim_instance().unwrap();
    let id = gone.id().to_string();
    drop(gone);
    let recovery = store.recovery_dir();
    // A write interrupted before its first rename leaves a temp file and the lock file.
    let temp = recovery.join(format!(".left-{id}.ron.tmp-{id}-0"));
    fs::write(&temp, "half").unwrap();
    assert!(recovery.join(format!("{id}.lock")).exists());

    assert!(store.orphans().unwrap().is_empty());
    assert!(!temp.exists(), "the interrupted write's temp file is left");
    assert!(!recovery.join(format!("{id}.lock")).exists());
}
