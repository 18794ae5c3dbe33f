//! src/model stays pure: std, serde and small-data crates only, so every number can be computed
//! headless and tested without a terminal or a disk. Above it, each src/ folder may name only the layers
//! below it (the matrix in `LAYERS`, drawn in ARCHITECTURE.md): src/app never names the ui,
//! the terminal, the input layer or the file system, so `update` is a pure reducer that tests
//! drive with actions alone; src/ui only reads, so it names no store, terminal, input or files.

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

/// One row of the layering matrix: the top-level modules a src/ folder must not name. `fs`
/// stands for `std::fs`.
struct Layer {
    folder: &'static str,
    forbidden: &'static [&'static str],
    why: &'static str,
}

const LAYERS: &[Layer] = &[
    Layer {
        folder: "model",
        forbidden: &[
            "app", "caps", "cli", "input", "interop", "report", "store", "terminal", "theme", "ui",
            "fs",
        ],
        why: "the model is the bottom layer and names nothing above it",
    },
    Layer {
        folder: "app",
        forbidden: &["ui", "terminal", "input", "fs"],
        why: "update is a pure reducer; drawing, terminal and file I/O happen on Effects",
    },
    Layer {
        folder: "ui",
        forbidden: &["store", "terminal", "input", "fs"],
        why: "rendering only reads the app state it is given",
    },
    Layer {
        folder: "interop",
        forbidden: &["app", "store", "ui", "terminal"],
        why: "readers and writers turn text into models and back, below the app and the screen",
    },
    Layer {
        folder: "caps",
        forbidden: &["app", "ui", "store", "terminal"],
        why: "terminal capabilities and sanitising sit below everything that draws",
    },
    Layer {
        folder: "report",
        forbidden: &[
            "app", "cli", "input", "interop", "store", "terminal", "theme", "ui", "fs",
        ],
        why: "presentation is pure: it formats models with caps and nothing else",
    },
];

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

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `line` names `path` as a whole path segment: `crate::ui` or `crate::ui::x`, but
/// neither `crate::uiux` nor `my_crate::ui`.
fn names_whole(line: &str, path: &str) -> bool {
    line.match_indices(path).any(|(at, _)| {
        let before = line[..at].chars().next_back().is_some_and(is_ident);
        let after = line[at + path.len()..].chars().next().is_some_and(is_ident);
        !before && !after
    })
}

/// The first segment of every item in each `prefix::{...}` group of `text`, with the byte
/// offset of the item, so `use crate::{model::Design, ui::draw}` yields `model` and `ui`
/// even when the group spans lines.
fn grouped(text: &str, prefix: &str) -> Vec<(usize, String)> {
    let opener = format!("{prefix}::{{");
    let mut out = Vec::new();
    for (at, _) in text.match_indices(&opener) {
        if text[..at].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let body = at + opener.len();
        let mut depth = 0usize;
        let mut at_item_start = true;
        for (i, c) in text[body..].char_indices() {
            let here = body + i;
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => at_item_start = true,
                c if is_ident(c) && at_item_start => {
                    at_item_start = false;
                    let word: String = text[here..].chars().take_while(|&c| is_ident(c)).collect();
                    out.push((here, word));
                }
                _ => {}
            }
        }
    }
    out
}

/// Every place in `text` that names one of `forbidden`, as `line: what`.
fn violations(text: &str, forbidden: &[&str]) -> Vec<(usize, String)> {
    let mut hits = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for module in forbidden {
            let named = if *module == "fs" {
                names_whole(line, "std::fs") || names(line, "fs::")
            } else {
                names_whole(line, &format!("crate::{module}"))
                    || names_whole(line, &format!("super::{module}"))
            };
            if named {
                hits.push((n + 1, module.to_string()));
            }
        }
    }
    for prefix in ["crate", "super", "std"] {
        for (at, word) in grouped(text, prefix) {
            let is_fs = word == "fs";
            let forbidden_here = if prefix == "std" {
                is_fs && forbidden.contains(&"fs")
            } else {
                !is_fs && forbidden.contains(&word.as_str())
            };
            if forbidden_here {
                hits.push((text[..at].lines().count().max(1), word));
            }
        }
    }
    hits
}

#[test]
fn each_layer_names_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut hits = Vec::new();
    for layer in LAYERS {
        let root = src.join(layer.folder);
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        assert!(
            !files.is_empty(),
            "found no files under src/{}",
            layer.folder
        );
        for file in &files {
            let text =
                fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            for (line, module) in violations(&text, layer.forbidden) {
                hits.push(format!(
                    "{}:{line}: src/{} names {module}; {}",
                    file.display(),
                    layer.folder,
                    layer.why
                ));
            }
        }
    }
    assert!(hits.is_empty(), "layering broken:\n{}", hits.join("\n"));
}

/// The checker itself: each way of naming a module is caught, and look-alikes are not.
#[test]
fn the_layering_check_sees_every_spelling() {
    let forbidden = ["ui", "fs"];
    let caught = [
        "use crate::ui::draw;",
        "use crate::ui;",
        "    crate::ui::layout::split(area)",
        "use super::ui::x;",
        "use std::fs;",
        "use std::fs::File;",
        "fs::read(path)",
        "use std::{io, fs};",
        "use crate::{model::Design, ui::draw};",
        "use crate::{\n    model,\n    ui::{draw, layout},\n};",
        "use std::{\n    io::{self, Write},\n    fs,\n};",
    ];
    for text in caught {
        assert!(
            !violations(text, &forbidden).is_empty(),
            "missed a forbidden name in {text:?}"
        );
    }
    let allowed = [
        "use crate::uikit::x;",
        "use my_crate::ui::x;",
        "use crate::model::ui_width;",
        "let gui::x = 1;",
        "use crate::{model::ui, caps};",
        "use std::{io::{self, fs_like}, path::Path};",
        "let offs::x = 1;",
    ];
    for text in allowed {
        assert!(
            violations(text, &forbidden).is_empty(),
            "false alarm in {text:?}: {:?}",
            violations(text, &forbidden)
        );
    }
}
