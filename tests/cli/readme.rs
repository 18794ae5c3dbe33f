//! The README is a user's guide: its key table must be the keymap that works, and the
//! screenshots it shows must exist.

use std::path::Path;

use lstm_tui::app::keymap::{KeyMode, bindings, keys_label};

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
