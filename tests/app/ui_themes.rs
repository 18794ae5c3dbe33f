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
    let themes = Theme::builtins();
    let mut theme = Theme::default();
    assert_eq!(theme.name, "dark");
    let mut seen = vec![theme.name.clone()];
    for _ in 1..BUILTIN.len() {
        theme = Theme::next_in(&themes, &theme.name).expect("a theme");
        seen.push(theme.name.clone());
    }
    assert_eq!(
        Theme::next_in(&themes, &theme.name).expect("a theme").name,
        "dark"
    );
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), BUILTIN.len());
}

#[test]
fn an_unknown_role_is_rejected_with_a_position() {
    let err = Theme::parse("(name: \"x\", colour: ())").expect_err("unknown field");
    assert!(err.span.start.line >= 1);
}

#[test]
fn user_themes_override_add_and_never_stop_the_program() {
    let dir = tempfile::tempdir().expect("tempdir");
    let light = BUILTIN
        .iter()
        .find(|(n, _)| *n == "light")
        .expect("light")
        .1;
    let mine = light.replace("name: \"light\"", "name: \"mine\"");
    std::fs::write(dir.path().join("mine.ron"), mine).expect("write");
    let dark = BUILTIN.iter().find(|(n, _)| *n == "dark").expect("dark").1;
    let red_dark = dark.replace(
        "selection: (fg: \"black\", bg: \"cyan\")",
        "selection: (fg: \"black\", bg: \"red\")",
    );
    assert_ne!(
        red_dark, dark,
        "the dark theme's selection line changed; update this test"
    );
    std::fs::write(dir.path().join("dark.ron"), red_dark).expect("write");
    std::fs::write(
        dir.path().join("broken.ron"),
        "(\n  name: \"broken\",\n  txt: (),\n)",
    )
    .expect("write");
    let (themes, problems) = Theme::all(dir.path());
    assert_eq!(themes.len(), BUILTIN.len() + 1);
    let dark = themes.iter().find(|t| t.name == "dark").expect("dark");
    assert_eq!(dark.selection.bg, Some(ratatui::style::Color::Red));
    assert!(themes.iter().any(|t| t.name == "mine"));
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("broken.ron:3:"), "{}", problems[0]);
}
