//! Several sessions on one config folder, dropped at once: every session's unsaved work comes
//! back in the next session's recovery list, one copy at a time, and answering for one copy
//! never touches another. Without tmux these show as ignored, and fail under `CI=true`
//! (tests/common/needs.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{dense, lstm};
use crate::{check, common};
use common::needs::Need;
use common::tmux::{Session, ends_within, patience};
use libtest_mimic::Trial;
use lstm_tui::model::explain::thousands;

/// The example's total with its first LSTM at `u` units.
fn total(u: u64) -> String {
    thousands(lstm(u, 6) + lstm(64, u) + dense(64, 64) + dense(64, 64) + dense(6, 64))
}

fn copies(config: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(config.join("recovery"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    all.retain(|p| p.extension().is_some_and(|x| x == "ron"));
    all.sort();
    all
}

/// `lstm-tui summary PATH`'s standard output, which must succeed.
fn summary(config: &Path, path: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lstm-tui"))
        .args(["summary", path.to_str().expect("utf-8 path")])
        .env("LSTM_TUI_CONFIG_DIR", config)
        .output()
        .expect("run summary");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn two_dropped_sessions_both_come_back_and_are_answered_one_at_a_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path();
    let (t65, t66) = (total(65), total(66));

    // Two logins editing the same design differently.
    let first = Session::designer("rec-a", config, 100, 30);
    let second = Session::designer("rec-b", config, 100, 30);
    first.wait_for(&["59,910"]);
    second.wait_for(&["59,910"]);
    first.keys(&["+"]);
    second.keys(&["+", "+"]);
    first.wait_for(&[&t65]);
    second.wait_for(&[&t66]);
    let pids = [first.program_pid(), second.program_pid()];

    // Both connections drop at once.
    first.close();
    second.close();
    for pid in pids {
        assert!(ends_within(pid, patience()), "process {pid} still running");
    }
    let left = copies(config);
    assert_eq!(left.len(), 2, "{left:?}");
    // Each copy is a plain design file.
    let mut totals: Vec<String> = left
        .iter()
        .map(|p| summary(config, p))
        .map(|s| {
            [&t65, &t66]
                .into_iter()
                .find(|t| s.contains(t.as_str()))
                .cloned()
                .unwrap_or(s)
        })
        .collect();
    totals.sort();
    assert_eq!(totals, vec![t65.clone(), t66.clone()]);

    // The next session lists both; restore one, the other is kept for later.
    let third = Session::designer("rec-c", config, 100, 30);
    third.wait_for(&["Unsaved work found", &t65, &t66]);
    third.keys(&["Enter"]);
    let screen = third.wait_for(&["any other copies are offered again"]);
    let restored = if screen.contains(&t66) { &t66 } else { &t65 };
    let other = if restored == &t66 { &t65 } else { &t66 };
    assert!(!screen.contains("Unsaved work found"), "{screen}");
    // Quitting without saving removes only this session's copy (the restored one).
    third.keys(&["q"]);
    third.wait_for(&["quit without saving"]);
    third.keys(&["y"]);
    third.wait_for(&["exit status 0"]);
    let left = copies(config);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(summary(config, &left[0]).contains(other.as_str()));

    // Offered again at the next start; discarded there, it is gone for good.
    let fourth = Session::designer("rec-d", config, 100, 30);
    let screen = fourth.wait_for(&["Unsaved work found", other]);
    assert!(!screen.contains(restored.as_str()), "{screen}");
    fourth.keys(&["d"]);
    fourth.wait_for(&["discarded the copy of example"]);
    fourth.keys(&["q"]);
    fourth.wait_for(&["exit status 0"]);
    assert!(copies(config).is_empty(), "{:?}", copies(config));
}

fn a_running_sessions_copy_is_never_offered_to_another() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path();
    let t65 = total(65);
    let busy = Session::designer("rec-live", config, 100, 30);
    busy.wait_for(&["59,910"]);
    busy.keys(&["+"]);
    busy.wait_for(&[&t65]);
    // The copy is written after two quiet seconds.
    let deadline = std::time::Instant::now() + patience();
    while copies(config).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "no recovery copy written"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    let other = Session::designer("rec-other", config, 100, 30);
    let screen = other.wait_for(&["59,910"]);
    assert!(!screen.contains("Unsaved work found"), "{screen}");
    // Quitting the other session leaves the running one's copy alone.
    other.keys(&["q"]);
    other.wait_for(&["exit status 0"]);
    assert_eq!(copies(config).len(), 1);
    assert!(summary(config, &copies(config)[0]).contains(t65.as_str()));
}

pub fn checks() -> Vec<Trial> {
    let tmux = Need::tmux();
    common::needs::listed(
        module_path!(),
        include_str!("e2e_recovery.rs"),
        vec![
            check!(
                tmux,
                two_dropped_sessions_both_come_back_and_are_answered_one_at_a_time
            ),
            check!(tmux, a_running_sessions_copy_is_never_offered_to_another),
        ],
    )
}
