//! src/model stays pure: std and serde only, so every number can be computed headless and
//! tested without a terminal or a disk. src/app stays below the screen: it never names the
//! ui, the terminal, the input layer or the file system, so `update` is a pure reducer that
//! tests drive with actions alone.

use std::fs;
use std::path::{Path, PathBuf};

const FORBIDDEN: &[&str] = &["ratatui", "crossterm", "clap", "serde_json", "std::fs"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn model_mentions_no_terminal_cli_json_or_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/model");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(
        files.len() > 5,
        "found only {} files under src/model",
        files.len()
    );
    let mut hits = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (n, line) in text.lines().enumerate() {
            for word in FORBIDDEN {
                if line.contains(word) {
                    hits.push(format!("{}:{}: mentions {word}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "src/model must stay pure:\n{}",
        hits.join("\n")
    );
}

/// The modules src/app must not name, as path prefixes.
const ABOVE_APP: &[&str] = &["ui::", "terminal::", "input::", "fs::"];

/// Whether `line` names `path` as a path of its own (`crate::ui::x`, `use std::fs::File`), not
/// as the tail of a longer name (`gui::`).
fn names(line: &str, path: &str) -> bool {
    line.match_indices(path).any(|(at, _)| {
        !line[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn app_names_neither_ui_terminal_input_nor_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(
        files.len() > 3,
        "found only {} files under src/app",
        files.len()
    );
    let mut hits = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (n, line) in text.lines().enumerate() {
            for path in ABOVE_APP {
                if names(line, path) {
                    hits.push(format!("{}:{}: names {path}", file.display(), n + 1));
                }
            }
            if line.contains("std::{") && names(line, "fs") {
                hits.push(format!("{}:{}: names std::fs", file.display(), n + 1));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "src/app must not reach into the ui, the terminal, the input layer or files:\n{}",
        hits.join("\n")
    );
}
