//! `lstm-tui summary` in a real terminal takes the terminal's width, as Keras does (Python's
//! `shutil.get_terminal_size()` asks the terminal on standard output when `COLUMNS` is not
//! set): the screen shows the table real Keras printed at that width
//! (tests/fixtures/keras_widths; its README says how those were made). Without tmux these
//! show as ignored, and fail under `CI=true` (tests/common/needs.rs).

use std::fs;
use std::path::Path;

use crate::{check, common};
use common::needs::Need;
use common::tmux::{Session, binary};
use libtest_mimic::Trial;
use serde_json::Value;

/// Runs `summary` on the Keras fixture `file` in a `columns`-wide tmux pane, without
/// `COLUMNS`, and returns the screen down to the program's end.
fn screen_at(file: &str, columns: u16) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = fixture(&format!("keras/{file}"));
    // The file's name is the design's: Keras' model is `sequential`.
    let json = dir.path().join("sequential.json");
    fs::write(&json, fixture["keras_json"].to_string()).expect("write");
    let command = format!(
        "env -u COLUMNS LSTM_TUI_CONFIG_DIR='{}' '{}' summary '{}'; echo \"exit status $?\"; sleep 60",
        dir.path().display(),
        binary(),
        json.display(),
    );
    let s = Session::start(
        &format!("width{columns}"),
        columns,
        60,
        &["sh", "-c", &command],
    );
    let screen = s.wait_for(&["exit status"]);
    assert!(screen.contains("exit status 0"), "{screen}");
    screen
        .lines()
        .take_while(|l| !l.starts_with("exit status"))
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

fn fixture(path: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    serde_json::from_str(&fs::read_to_string(&path).expect("fixture")).expect("JSON")
}

/// What Keras printed for `file` at `columns`, as a terminal shows it (no trailing spaces).
fn keras_at(file: &str, columns: u16) -> String {
    let widths = fixture(&format!("keras_widths/keras/{file}"));
    let text = widths["summaries"][columns.to_string()]
        .as_str()
        .unwrap_or_else(|| panic!("{file}: no text at {columns} columns"));
    text.lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

fn a_60_column_terminal_shows_keras_60_column_table() {
    let file = "conv2d_mnist.json";
    assert_eq!(screen_at(file, 60), keras_at(file, 60));
}

/// At 120 columns Keras' Sequential table is min(88, 120 - 4) = 88 characters wide, the
/// same as at 200 columns, which keras_widths records.
fn a_120_column_terminal_shows_keras_full_width_table() {
    let file = "conv2d_mnist.json";
    let screen = screen_at(file, 120);
    assert_eq!(screen, keras_at(file, 200));
    assert_eq!(screen.lines().nth(1).map(|l| l.chars().count()), Some(88));
}

pub fn checks() -> Vec<Trial> {
    let tmux = Need::tmux();
    common::needs::listed(
        module_path!(),
        include_str!("e2e_summary_width.rs"),
        vec![
            check!(tmux, a_60_column_terminal_shows_keras_60_column_table),
            check!(tmux, a_120_column_terminal_shows_keras_full_width_table),
        ],
    )
}
