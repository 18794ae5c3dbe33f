//! Every shipped theme parses, is embedded, and differs from the others.

use lstm_tui::theme::{BUILTIN, Theme};

#[test]
fn every_theme_file_is_embedded_and_parses() {
    let mut files: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/themes"))
        .expect("themes folder")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".ron"))
                .map(String::from)
        })
        .collect();
    files.sort();
    let mut embedded: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    embedded.sort();
    assert_eq!(files, embedded);
    for (name, text) in BUILTIN {
        let theme = Theme::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(theme.name, *name);
    }
}

#[test]
fn t_cycles_through_every_theme_and_back() {
    let mut theme = Theme::default();
    assert_eq!(theme.name, "dark");
    let mut seen = vec![theme.name.clone()];
    for _ in 1..BUILTIN.len() {
        theme = Theme::next_after(&theme.name);
        seen.push(theme.name.clone());
    }
    assert_eq!(Theme::next_after(&theme.name).name, "dark");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), BUILTIN.len());
}

#[test]
fn an_unknown_role_is_rejected_with_a_position() {
    let err = Theme::parse("(name: \"x\", colour: ())").expect_err("unknown field");
    assert!(err.span.start.line >= 1);
}
