//! The real binary in tmux: what a user sees, and the terminal left clean afterwards. tmux
//! answers the terminal's queries as a real emulator does, which a bare pty would not. Without
//! tmux these show as ignored, and fail under `CI=true` (tests/common/needs.rs).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::{dense, lstm};
use crate::{check, common};
use common::needs::Need;
use common::tmux::{Session, ends_within, signal};
use libtest_mimic::Trial;
use lstm_tui::model::explain::thousands;

fn pasted_code_imports_and_export_writes_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let code = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/python/valid/seed_list_style.py"),
    )
    .expect("fixture");
    let s = Session::designer("import", dir.path(), 80, 24);
    s.wait_for(&["59,910"]);
    // Start from an empty design so the import is what brings the layers.
    s.keys(&["n"]);
    s.wait_for(&["Edit the input"]);
    s.keys(&["Escape"]);
    s.wait_gone("Edit the input");
    s.keys(&["i"]);
    s.wait_for(&["Import Keras code"]);
    s.paste(&code);
    // Line breaks survive the paste: the last line of the snippet has its own number.
    let lines = code.trim_end().lines().count();
    s.wait_for(&[&format!("{lines:>3} ")]);
    s.keys(&["M-Enter"]);
    s.wait_for(&["imported 6 layers", "59,910"]);
    s.keys(&["e"]);
    s.wait_for(&["Keras code"]);
    s.keys(&["Enter"]);
    s.wait_for(&["exported to"]);
    let file = dir.path().join("exports/imported_keras.py");
    let written = std::fs::read_to_string(&file).expect("the export was written");
    assert!(written.contains("LSTM"), "{written}");
}

/// The example's total with the first LSTM at `u` units, from the Keras formulas.
fn total(u: u64) -> String {
    thousands(lstm(u, 6) + lstm(64, u) + dense(64, 64) + dense(64, 64) + dense(6, 64))
}

fn edit_undo_and_quit_in_a_real_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::designer("edit", dir.path(), 80, 24);
    // A first run says what it shows and where to go from it.
    s.wait_for(&[
        "59,910",
        "18,176",
        "lstm (LSTM)",
        "this is an example",
        "n starts a new",
    ]);
    s.keys(&["+"]);
    s.wait_for(&[&total(65), &thousands(lstm(65, 6))]);
    s.keys(&["1", "0", "+"]);
    s.wait_for(&[&total(75), &thousands(lstm(75, 6))]);
    s.keys(&["u"]);
    s.wait_for(&[&total(65)]);
    s.keys(&["u"]);
    s.wait_for(&["59,910", "18,176"]);
    // Undone back to what was opened, nothing is unsaved; one more change is, so quitting
    // asks first.
    s.keys(&["+"]);
    s.wait_for(&[&total(65)]);
    s.keys(&["q"]);
    s.wait_for(&["unsaved changes", "save and quit"]);
    s.keys(&["y"]);
    let screen = s.wait_for(&["exit status 0", "icanon"]);
    assert!(
        screen.contains("icanon") && !screen.contains("-icanon"),
        "raw mode left on:\n{screen}"
    );
    assert!(
        !screen.contains("Summary"),
        "the alternate screen was not left:\n{screen}"
    );
}

/// Quitting with unsaved changes can save them first: the next start opens them.
fn save_and_quit_keeps_the_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::designer("savequit", dir.path(), 80, 24);
    s.wait_for(&["59,910"]);
    s.keys(&["+"]);
    s.wait_for(&[&total(65)]);
    s.keys(&["q"]);
    s.wait_for(&["save and quit"]);
    s.keys(&["s"]);
    s.wait_for(&["exit status 0"]);
    let saved = std::fs::read_to_string(dir.path().join("designs/example.ron"))
        .expect("the design was saved before quitting");
    assert!(saved.contains("units: 65"), "{saved}");
}

fn sigterm_restores_the_terminal_and_keeps_the_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::designer("term", dir.path(), 100, 30);
    s.wait_for(&["59,910"]);
    s.keys(&["+"]);
    s.wait_for(&[&total(65)]);
    let pid = s.program_pid();
    signal(pid, "-TERM");
    let screen = s.wait_for(&["exit status 143", "icanon"]);
    assert!(
        screen.contains("icanon") && !screen.contains("-icanon"),
        "raw mode left on:\n{screen}"
    );
    let recovery = recovery_copy(dir.path());
    assert!(recovery.contains("units: 65"), "{recovery}");
}

fn sighup_restores_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::designer("hup", dir.path(), 80, 24);
    s.wait_for(&["59,910"]);
    let pid = s.program_pid();
    Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .expect("kill");
    let screen = s.wait_for(&["exit status 129", "icanon"]);
    assert!(
        screen.contains("icanon") && !screen.contains("-icanon"),
        "raw mode left on:\n{screen}"
    );
}

fn a_tiny_window_asks_for_more_room_and_recovers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::designer("tiny", dir.path(), 80, 24);
    s.wait_for(&["59,910"]);
    s.tmux()
        .args(["resize-window", "-t", &s.name, "-x", "30", "-y", "8"])
        .status()
        .expect("resize");
    s.wait_for(&["need 50×12"]);
    s.tmux()
        .args(["resize-window", "-t", &s.name, "-x", "200", "-y", "50"])
        .status()
        .expect("resize");
    s.wait_for(&["59,910", "Weights"]);
}

fn closing_the_terminal_ends_the_program_quickly_and_keeps_the_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::designer("gone", dir.path(), 80, 24);
    s.wait_for(&["59,910"]);
    s.keys(&["+"]);
    s.wait_for(&[&total(65)]);
    let pid = s.program_pid();
    s.tmux()
        .args(["kill-session", "-t", &s.name])
        .status()
        .expect("kill-session");
    assert!(
        ends_within(pid, Duration::from_secs(2)),
        "still running 2 s after its terminal closed"
    );
    let recovery = recovery_copy(dir.path());
    assert!(recovery.contains("units: 65"), "{recovery}");
}

/// The one recovery copy an instance left in `config/recovery/`.
fn recovery_copy(config: &Path) -> String {
    let copies: Vec<_> = std::fs::read_dir(config.join("recovery"))
        .expect("recovery folder written")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    std::fs::read_to_string(&copies[0]).expect("recovery copy readable")
}

fn a_saved_design_comes_back_on_the_next_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let s = Session::designer("save", dir.path(), 80, 24);
        s.wait_for(&["59,910"]);
        s.keys(&["+", "C-s"]);
        s.wait_for(&["Save as"]);
        // The name prompt starts with the design's name; replace it.
        s.keys(&["BSpace"; 7]);
        s.keys(&["-l", "gru-small"]);
        s.keys(&["Enter"]);
        s.wait_for(&["saved"]);
        s.keys(&["q"]);
        s.wait_for(&["exit status 0"]);
    }
    let file = dir.path().join("designs/gru-small.ron");
    let text = std::fs::read_to_string(&file).expect("design saved");
    assert!(text.contains("units: 65"), "{text}");
    let s = Session::designer("reopen", dir.path(), 80, 24);
    s.wait_for(&["gru-small", &total(65)]);
}

fn after_a_hangup_the_next_start_offers_the_unsaved_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let s = Session::designer("hup-edit", dir.path(), 80, 24);
        s.wait_for(&["59,910"]);
        s.keys(&["+", "+"]);
        s.wait_for(&[&total(66)]);
        let pid = s.program_pid();
        signal(pid, "-HUP");
        s.wait_for(&["exit status 129"]);
    }
    let s = Session::designer("hup-restore", dir.path(), 80, 24);
    s.wait_for(&["Unsaved work found", &total(66)]);
    s.keys(&["Enter"]);
    s.wait_for(&["restored example", &total(66)]);
}

fn no_color_draws_no_colour_and_ascii_draws_no_box_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::designer_with("nocolor", dir.path(), 80, 24, "NO_COLOR=1 TERM=linux");
    s.wait_for(&["59,910", "18,176"]);
    let raw = s.capture(true);
    let colours = sgr_colours(&raw);
    assert!(
        colours.is_empty(),
        "colour codes {colours:?} on a NO_COLOR screen:\n{raw}"
    );
    let plain = s.screen();
    assert!(plain.is_ascii(), "TERM=linux screen is not ASCII:\n{plain}");
    s.keys(&["q"]);
    s.wait_for(&["exit status 0"]);
}

/// The colour parameters of every SGR escape (`ESC [ ... m`) in `text`: foreground and
/// background, basic, bright and extended.
fn sgr_colours(text: &str) -> Vec<u16> {
    let mut found = Vec::new();
    for part in text.split("\x1b[").skip(1) {
        let Some(end) = part.find('m') else { continue };
        let params = &part[..end];
        if !params.chars().all(|c| c.is_ascii_digit() || c == ';') {
            continue;
        }
        for p in params.split(';').filter_map(|p| p.parse::<u16>().ok()) {
            if matches!(p, 30..=38 | 40..=48 | 90..=97 | 100..=107) {
                found.push(p);
            }
        }
    }
    found
}

fn the_colour_check_sees_colour() {
    assert_eq!(sgr_colours("\x1b[1;36mx\x1b[0m\x1b[39m\x1b[49m"), vec![36]);
    assert!(sgr_colours("\x1b[1m\x1b[7mx\x1b[0m\x1b[39;49m").is_empty());
}

/// tmux's own view of the pane: (alternate screen on, cursor shown).
fn pane_flags(s: &Session) -> (bool, bool) {
    let out = s
        .tmux()
        .args([
            "display-message",
            "-p",
            "-t",
            &s.name,
            "#{alternate_on} #{cursor_flag}",
        ])
        .output()
        .expect("display-message");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut flags = text.split_whitespace().map(|f| f == "1");
    (flags.next().unwrap_or(true), flags.next().unwrap_or(false))
}

fn a_panic_gives_the_terminal_back_before_its_message() {
    // Built by `cargo test` with the tests: it enters the terminal as lstm-tui does and panics.
    let example = Path::new(env!("CARGO_BIN_EXE_lstm-tui"))
        .parent()
        .expect("target folder")
        .join("examples/panic_restore");
    assert!(example.is_file(), "{} was not built", example.display());
    let command = format!(
        "'{}'; echo \"exit status $?\"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; sleep 60",
        example.display()
    );
    let s = Session::start("panic", 80, 24, &["sh", "-c", &command]);
    let screen = s.wait_for(&["exit status 101", "deliberate panic", "icanon"]);
    assert!(
        !screen.contains("-icanon") && !screen.contains("-echo"),
        "raw mode left on:\n{screen}"
    );
    assert_eq!(
        pane_flags(&s),
        (false, true),
        "alternate screen left on or cursor hidden"
    );
}

fn ctrl_z_suspends_to_the_shell_and_fg_redraws() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::start("suspend", 80, 24, &["bash", "--norc", "--noprofile", "-i"]);
    s.keys(&[
        "-l",
        &format!(
            "LSTM_TUI_CONFIG_DIR='{}' '{}'",
            dir.path().display(),
            env!("CARGO_BIN_EXE_lstm-tui")
        ),
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&["59,910", "18,176"]);
    s.keys(&["+"]);
    s.wait_for(&[&total(65)]);
    s.keys(&["C-z"]);
    s.wait_for(&["Stopped"]);
    assert_eq!(
        pane_flags(&s),
        (false, true),
        "suspended with the alternate screen on"
    );
    s.keys(&["-l", "fg"]);
    s.keys(&["Enter"]);
    // The whole screen comes back, with the edit.
    s.wait_for(&[&total(65), "18,7", "Summary"]);
    assert!(
        pane_flags(&s).0,
        "fg did not return to the alternate screen"
    );
}

pub fn checks() -> Vec<Trial> {
    let tmux = Need::tmux();
    common::needs::listed(
        module_path!(),
        include_str!("e2e_tmux.rs"),
        vec![
            check!(tmux, pasted_code_imports_and_export_writes_a_file),
            check!(tmux, edit_undo_and_quit_in_a_real_terminal),
            check!(tmux, save_and_quit_keeps_the_work),
            check!(tmux, sigterm_restores_the_terminal_and_keeps_the_edit),
            check!(tmux, sighup_restores_the_terminal),
            check!(tmux, a_tiny_window_asks_for_more_room_and_recovers),
            check!(
                tmux,
                closing_the_terminal_ends_the_program_quickly_and_keeps_the_edit
            ),
            check!(tmux, a_saved_design_comes_back_on_the_next_start),
            check!(tmux, after_a_hangup_the_next_start_offers_the_unsaved_edit),
            check!(tmux, no_color_draws_no_colour_and_ascii_draws_no_box_lines),
            check!(the_colour_check_sees_colour),
            check!(tmux, a_panic_gives_the_terminal_back_before_its_message),
            check!(tmux, ctrl_z_suspends_to_the_shell_and_fg_redraws),
        ],
    )
}
