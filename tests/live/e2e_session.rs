//! The designer's life in a terminal session as SSH gives it: silent while idle, one frame for
//! a burst of keys, every key of a flood and each key after a resize read without waiting for
//! another, no Ctrl-z where nothing could resume it, nothing lost when the connection drops
//! (while suspended too, or without a SIGHUP), and a clear refusal without a terminal. Without
//! tmux the checks that need it show as ignored, and fail under `CI=true`
//! (tests/common/needs.rs).

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{dense, lstm};
use crate::{check, common};
use common::needs::Need;
use common::pty::OnPty;
use common::tmux::{
    Session, binary, cpu_ticks, ends_within, patience, recovery_copies, signal, state, stop,
};
use libtest_mimic::Trial;
use lstm_tui::model::explain::thousands;

/// The example's total with the first LSTM at `u` units, from the Keras formulas.
fn total(u: u64) -> String {
    thousands(lstm(u, 6) + lstm(64, u) + dense(64, 64) + dense(64, 64) + dense(6, 64))
}

/// `sh -c` running the designer with its config in `config`, then reporting its exit status.
fn designer_then_status(config: &Path, args: &str) -> Vec<String> {
    let command = format!(
        "LSTM_TUI_CONFIG_DIR='{}' '{}' {args}; echo \"exit status $?\"; sleep 60",
        config.display(),
        binary()
    );
    vec!["sh".into(), "-c".into(), command]
}

fn start(tag: &str, config: &Path, args: &str) -> Session {
    let argv = designer_then_status(config, args);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    Session::start(tag, 80, 24, &argv)
}

/// Waits until `path` holds at least one byte.
fn wait_for_bytes(path: &Path) -> u64 {
    let deadline = Instant::now() + patience();
    loop {
        let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if len > 0 {
            return len;
        }
        assert!(Instant::now() < deadline, "nothing was recorded");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until a recovery copy containing `text` exists.
fn wait_for_recovery(config: &Path, text: &str) {
    let deadline = Instant::now() + patience();
    while !recovery_copies(config)
        .iter()
        .any(|(_, t)| t.contains(text))
    {
        assert!(
            Instant::now() < deadline,
            "no recovery copy with {text:?}: {:?}",
            recovery_copies(config)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn an_idle_designer_writes_nothing_and_sleeps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config");
    let s = start("idle", &config, "");
    s.wait_for(&["59,910"]);
    // An unsaved edit starts the recovery timer, which fires during the quiet time below.
    s.keys(&["+"]);
    s.wait_for(&[&total(65)]);
    let pid = s.program_pid();
    let wire = dir.path().join("wire");
    s.record(&wire);
    let cpu = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(5));
    let idle_bytes = std::fs::metadata(&wire).map(|m| m.len()).unwrap_or(0);
    let idle_cpu = cpu_ticks(pid) - cpu;
    wait_for_recovery(&config, "units: 65");
    // The recording works: a key is drawn and shows up in it.
    s.keys(&["+"]);
    s.wait_for(&[&total(66)]);
    wait_for_bytes(&wire);
    s.stop_recording();
    assert_eq!(idle_bytes, 0, "bytes written in 5 s of idle");
    // Clock ticks are 10 ms: a loop that wakes to redraw uses far more than half a second of
    // the five on a busy machine, one that sleeps uses none.
    assert!(idle_cpu < 50, "{idle_cpu} ticks of CPU in 5 s of idle");
}

fn a_burst_of_keys_is_drawn_as_one_frame() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = start("burst", dir.path(), "");
    s.wait_for(&["59,910"]);
    let pid = s.program_pid();
    // Stopped, the program cannot read: the keys pile up as they do on a slow link.
    stop(pid);
    s.keys(&["+"; 40]);
    let wire = dir.path().join("wire");
    s.record(&wire);
    signal(pid, "-CONT");
    s.wait_for(&[&total(104)]);
    s.stop_recording();
    // pipe-pane's `cat` may still be copying what it was handed: read until a frame has
    // arrived and the file has stopped growing.
    let deadline = Instant::now() + patience();
    let mut seen = Vec::new();
    let out = loop {
        std::thread::sleep(Duration::from_millis(200));
        let mut out = Vec::new();
        File::open(&wire)
            .and_then(|mut f| f.read_to_end(&mut out))
            .expect("recording");
        let framed = String::from_utf8_lossy(&out).contains("\x1b[?2026h");
        if (framed && out == seen) || Instant::now() > deadline {
            break out;
        }
        seen = out;
    };
    let text = String::from_utf8_lossy(&out);
    // Every frame is one synchronized update.
    let frames = text.matches("\x1b[?2026h").count();
    assert!(
        (1..=2).contains(&frames),
        "{frames} frames drawn for 40 keys read at once"
    );
}

fn a_key_after_a_resize_is_read_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = start("winch", dir.path(), "");
    s.wait_for(&["59,910"]);
    let pid = s.program_pid();
    for (grown, width) in [100, 90, 120].into_iter().enumerate() {
        s.tmux()
            .args(["resize-window", "-t", &s.name, "-x", &width.to_string()])
            .status()
            .expect("resize");
        // The window's new size has reached the program before the key does, as when a user
        // drags the window's edge and then types.
        std::thread::sleep(Duration::from_millis(300));
        s.keys(&["+"]);
        // Each key is acted on by itself, not only once another key follows it.
        s.wait_for(&[&total(65 + grown as u64)]);
    }
    // Nothing is left for the program to spin on.
    let cpu = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(2));
    let busy = cpu_ticks(pid) - cpu;
    assert!(busy < 20, "{busy} ticks of CPU in 2 s after the last key");
}

fn more_keys_than_one_read_holds_are_all_acted_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = start("flood", dir.path(), "");
    s.wait_for(&["59,910"]);
    let pid = s.program_pid();
    // Stopped, the program cannot read: 1,500 keys wait for it, more than crossterm reads at
    // once (1,024 bytes), as after a stall on a slow link.
    stop(pid);
    s.keys(&["+"; 1500]);
    signal(pid, "-CONT");
    // The keys past the first read are acted on too, without another key to wake them.
    s.wait_for(&[&total(64 + 1500)]);
}

fn mouse_reporting_is_presses_and_wheel_without_motion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = start("mouse", dir.path(), "");
    s.wait_for(&["59,910"]);
    let flags = "#{mouse_standard_flag}#{mouse_button_flag}#{mouse_all_flag}#{mouse_sgr_flag}";
    assert_eq!(
        s.pane_format(flags),
        "1001",
        "normal tracking in SGR encoding, no drag or motion tracking"
    );
    s.keys(&["q"]);
    s.wait_for(&["exit status 0"]);
    assert_eq!(s.pane_format(flags), "0000", "mouse reporting left on");
}

fn sixteen_colours_use_only_sixteen_colour_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = start("sgr16", dir.path(), "--color 16");
    s.wait_for(&["59,910", "18,176"]);
    let raw = s.capture(true);
    assert!(
        !raw.contains("38;5;") && !raw.contains("48;5;") && !raw.contains("38;2;"),
        "256-colour or RGB codes at the 16-colour level:\n{raw}"
    );
    // The screen still has colour: the theme's named colours in their 16-colour codes.
    let basic = (30..=37)
        .chain(90..=97)
        .any(|c| raw.contains(&format!("\x1b[{c}m")) || raw.contains(&format!(";{c}m")));
    assert!(basic, "no 16-colour foreground codes:\n{raw}");
}

fn ctrl_z_without_a_job_control_shell_explains_instead_of_freezing() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The designer is the pane's own process, as under `ssh -t host lstm-tui`.
    let config = format!("LSTM_TUI_CONFIG_DIR={}", dir.path().display());
    let s = Session::start("nojobs", 80, 24, &["env", &config, binary()]);
    s.wait_for(&["59,910"]);
    s.keys(&["C-z"]);
    // The whole reason fits the status line at 80 columns.
    s.wait_for(&["Ctrl-z does nothing here: no job-control shell could resume lstm-tui"]);
    let pid = s.program_pid();
    assert_ne!(state(pid), Some('T'), "stopped with nobody to resume it");
    s.keys(&["+"]);
    s.wait_for(&[&total(65)]);
}

fn a_drop_while_suspended_keeps_the_edit_and_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::start(
        "drop-stopped",
        80,
        24,
        &["bash", "--norc", "--noprofile", "-i"],
    );
    s.keys(&[
        "-l",
        &format!(
            "LSTM_TUI_CONFIG_DIR='{}' '{}'",
            dir.path().display(),
            binary()
        ),
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&["59,910"]);
    s.keys(&["+"]);
    s.wait_for(&[&total(65)]);
    let pid = s.program_pid();
    s.keys(&["C-z"]);
    s.wait_for(&["Stopped"]);
    assert_eq!(state(pid), Some('T'));
    // The connection drops: the shell gets SIGHUP and passes SIGHUP and SIGCONT to its jobs.
    s.close();
    assert!(
        ends_within(pid, Duration::from_secs(5)),
        "still running after its terminal closed"
    );
    wait_for_recovery(dir.path(), "units: 65");
}

fn not_a_terminal_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    let out = Command::new(binary())
        .env("LSTM_TUI_CONFIG_DIR", dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("lstm-tui needs a terminal; for scripts use `lstm-tui summary PATH`"),
        "{err}"
    );
    assert!(!err.contains("os error"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}

fn standard_output_not_a_terminal_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let err = dir.path().join("err");
    let redirect = format!("> '{}' 2> '{}'", out.display(), err.display());
    let s = start("stdout", dir.path(), &redirect);
    s.wait_for(&["exit status 2"]);
    let said = std::fs::read_to_string(&err).expect("stderr file");
    assert!(said.contains("lstm-tui needs a terminal"), "{said}");
    let drawn = std::fs::read(&out).expect("stdout file");
    assert!(drawn.is_empty(), "drew into a file: {} bytes", drawn.len());
}

fn a_vanished_terminal_without_sighup_keeps_the_edit_and_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A session of its own with no controlling terminal: no SIGHUP comes when the pty closes.
    let mut command = Command::new("setsid");
    command
        .arg(binary())
        .env("LSTM_TUI_CONFIG_DIR", dir.path())
        .env("TERM", "xterm-256color");
    let mut program = OnPty::spawn(command, 80, 24);
    let deadline = Instant::now() + 2 * patience();
    program.read_until("59,910", deadline);
    program.type_bytes(b"+");
    // The first LSTM's count goes from 18,176 to 18,720: its changed digits are drawn.
    program.read_until("720", deadline);
    program.close();
    let pid = program.child.id();
    let ended = ends_within(pid, Duration::from_secs(2));
    if !ended {
        let _ = program.child.kill();
    }
    let status = program.child.wait().expect("wait");
    assert!(ended, "still running 2 s after its terminal vanished");
    assert!(
        !status.success() && status.code() != Some(101),
        "ended with {status}"
    );
    wait_for_recovery(dir.path(), "units: 65");
}

pub fn checks() -> Vec<Trial> {
    let tmux = Need::tmux();
    common::needs::listed(
        module_path!(),
        include_str!("e2e_session.rs"),
        vec![
            check!(tmux, an_idle_designer_writes_nothing_and_sleeps),
            check!(tmux, a_burst_of_keys_is_drawn_as_one_frame),
            check!(tmux, a_key_after_a_resize_is_read_at_once),
            check!(tmux, more_keys_than_one_read_holds_are_all_acted_on),
            check!(tmux, mouse_reporting_is_presses_and_wheel_without_motion),
            check!(tmux, sixteen_colours_use_only_sixteen_colour_codes),
            check!(
                tmux,
                ctrl_z_without_a_job_control_shell_explains_instead_of_freezing
            ),
            check!(tmux, a_drop_while_suspended_keeps_the_edit_and_ends),
            check!(not_a_terminal_is_refused_at_once),
            check!(tmux, standard_output_not_a_terminal_is_refused),
            check!(a_vanished_terminal_without_sighup_keeps_the_edit_and_ends),
        ],
    )
}
