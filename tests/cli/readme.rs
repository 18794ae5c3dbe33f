//! The README is a user's guide: its key table must be the keymap that works, its layer list
//! the catalogue, and the screenshots it shows must exist.

use std::path::Path;

use lstm_tui::app::keymap::{KeyMode, bindings, keys_label};
use lstm_tui::model::Layer;
use lstm_tui::model::layers::KINDS;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The table rows the README must hold, one per binding of the main screen.
fn key_rows() -> Vec<String> {
    bindings(KeyMode::Normal)
        .map(|b| format!("| `{}` | {} |", keys_label(b).replace('|', "\\|"), b.help))
        .collect()
}

#[test]
fn readme_lists_every_key_of_the_main_screen() {
    let text = readme();
    let missing: Vec<String> = key_rows()
        .into_iter()
        .filter(|row| !text.contains(row.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "README lacks these key rows (the whole table is below):\n{}\n\n| key | what it does |\n|---|---|\n{}",
        missing.join("\n"),
        key_rows().join("\n")
    );
}

#[test]
fn readme_images_exist() {
    let text = readme();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for part in text.split("](").skip(1) {
        let target = part.split(')').next().unwrap_or("");
        if target.ends_with(".png") {
            count += 1;
            assert!(
                root.join(target).is_file(),
                "README shows {target}, which does not exist"
            );
        }
    }
    assert!(count >= 4, "README shows only {count} screenshots");
}

/// The text of the section under `## {heading}`, up to the next `## ` heading.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("README has no \"## {heading}\" section"));
    let body = &text[start + heading.len() + 5..];
    &body[..body.find("\n## ").unwrap_or(body.len())]
}

/// The `code` spans of the section's list items (a `- ` line and its indented continuations).
fn listed_classes(section: &str) -> Vec<&str> {
    let mut in_item = false;
    let mut classes = Vec::new();
    for line in section.lines() {
        in_item = line.starts_with("- ") || (in_item && line.starts_with("  "));
        if in_item {
            classes.extend(line.split('`').skip(1).step_by(2));
        }
    }
    classes
}

#[test]
fn readme_lists_exactly_the_catalogue() {
    let text = readme();
    let supported = section(&text, "Supported layers");
    let mut listed = listed_classes(supported);
    let catalogue: Vec<&str> = Layer::catalogue()
        .iter()
        .map(|l| l.kind().class())
        .collect();
    let missing: Vec<&&str> = catalogue.iter().filter(|c| !listed.contains(c)).collect();
    let extra: Vec<&&str> = listed.iter().filter(|c| !catalogue.contains(c)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "README's Supported layers lacks {missing:?} and lists {extra:?}, which the catalogue does not hold"
    );
    listed.sort_unstable();
    let before = listed.len();
    listed.dedup();
    assert_eq!(listed.len(), before, "README lists a class twice");
    for alias in KINDS.iter().flat_map(|k| k.keras.aliases) {
        assert!(
            supported
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w == *alias),
            "README's Supported layers does not name the alias {alias}, which imports read"
        );
    }
}
