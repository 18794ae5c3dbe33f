//! Import and export from the TUI: the import box (typed or pasted text) and the export popup.

use crate::common::{example, press};
use lstm_tui::app::{Action, App, Effect, Mode};
use lstm_tui::input::to_actions;
use lstm_tui::model::{Convention, Design, Shape};
use ratatui::crossterm::event::Event;

fn fixture(path: &str) -> String {
    let full = format!(
        "{}/tests/fixtures/python/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Pastes `text` the way the terminal loop does: through `to_actions`, then `update`.
fn paste(app: &mut App, text: &str) {
    let mut pending = to_actions(app, Event::Paste(text.to_string()));
    while let Some(a) = pending.pop() {
        app.update(a);
    }
}

#[test]
fn pasted_seed_code_imports_as_the_example_and_undoes() {
    let mut app = App::new(Design::example(), Convention::Keras);
    press(&mut app, "n <esc> i");
    paste(&mut app, &fixture("valid/seed_add_style.py"));
    let Mode::Import(b) = &app.mode else {
        panic!("no import box");
    };
    assert!(
        b.text.text().contains('\n'),
        "line breaks survive the paste"
    );
    press(&mut app, "C-d");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.design.layers, Design::example().layers);
    assert_eq!(app.total(), Some(59_910));
    assert_eq!(app.saved_as, None);
    press(&mut app, "u");
    assert!(app.design.layers.is_empty());
}

#[test]
fn a_bad_snippet_shows_its_line_and_column_and_changes_nothing() {
    let mut app = example();
    let text = fixture("invalid/unknown_class.py");
    let first = text.lines().next().unwrap_or_default();
    let expect = first
        .strip_prefix("# expect: ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_default()
        .to_string();
    let (line, col) = expect.split_once(':').unwrap_or_default();
    press(&mut app, "i");
    paste(&mut app, &text);
    press(&mut app, "C-d");
    let Mode::Import(b) = &app.mode else {
        panic!("the box should stay open");
    };
    let e = b
        .error
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(e.contains(&format!("line {line}, column {col}")), "{e}");
    assert_eq!(app.design, Design::example());
    press(&mut app, "<esc>");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn typed_keras_json_errors_are_located() {
    let mut app = example();
    press(&mut app, "i { x C-d");
    let Mode::Import(b) = &app.mode else {
        panic!("the box should stay open");
    };
    assert!(
        b.error
            .as_ref()
            .is_some_and(|e| e.to_string().contains("line 1"))
    );
}

#[test]
fn paste_in_the_panes_does_nothing() {
    let app = example();
    assert!(to_actions(&app, Event::Paste("q".into())).is_empty());
}

#[test]
fn export_returns_the_file_and_its_contents() {
    let mut app = example();
    let effects = press(&mut app, "e <enter>");
    let [Effect::Export { file, contents }] = effects.as_slice() else {
        panic!("expected one export, got {effects:?}");
    };
    assert_eq!(file, "exports/example_keras.py");
    assert!(contents.contains("import keras"), "{contents}");
    assert!(contents.contains("59,910") || contents.contains("59910"));
    let effects = press(&mut app, "e <down> <enter>");
    let [Effect::Export { file, contents }] = effects.as_slice() else {
        panic!("expected one export, got {effects:?}");
    };
    assert_eq!(file, "exports/example_torch.py");
    assert!(contents.contains("nn.Module"));
    let effects = press(&mut app, "e <down> <down> <enter>");
    let [Effect::Export { file, contents }] = effects.as_slice() else {
        panic!("expected one export");
    };
    assert_eq!(file, "exports/example.json");
    assert!(contents.trim_start().starts_with('{'));
    let effects = press(&mut app, "e <down> <down> <down> <enter>");
    let [Effect::Export { file, contents }] = effects.as_slice() else {
        panic!("expected one export");
    };
    assert_eq!(file, "exports/example.md");
    assert!(contents.contains('|'));
    assert!(press(&mut app, "e <esc>").is_empty());
    // The list moves with j and k as the other lists do; q cancels it.
    let effects = press(&mut app, "e j j j k <enter>");
    let [Effect::Export { file, .. }] = effects.as_slice() else {
        panic!("expected one export, got {effects:?}");
    };
    assert_eq!(file, "exports/example.json");
    assert!(press(&mut app, "e q").is_empty());
    assert_eq!(app.mode, Mode::Normal);
    app.update(Action::Exported("/tmp/x/exports/example.md".into()));
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("/tmp/x/exports/example.md"))
    );
}

/// The example with its first Dense at 66 units, as another saved design.
fn wider_dense() -> Design {
    let mut app = App::new(Design::example(), Convention::Keras);
    // The first layer starts selected: three down is the first Dense.
    press(&mut app, "j j j + +");
    app.design
}

#[test]
fn compare_picks_a_saved_design_and_shows_the_change() {
    use crate::common::dense;
    use lstm_tui::app::Saved;
    use lstm_tui::model::diff::Line;
    let mut app = example();
    let effects = press(&mut app, "D");
    assert_eq!(effects, vec![Effect::List]);
    app.update(Action::Listed(vec![Saved {
        name: "wider".into(),
        total: None,
        budget: None,
        changed: String::new(),
        counted: true,
    }]));
    let effects = press(&mut app, "<enter>");
    assert_eq!(effects, vec![Effect::Compare("wider".into())]);
    assert_eq!(app.mode, Mode::Normal);
    app.update(Action::Compared(wider_dense(), "wider".into()));
    let Mode::Diff(v) = &app.mode else {
        panic!("no comparison");
    };
    let changed = v
        .diff
        .lines()
        .filter(|l| matches!(l, Line::Changed(..)))
        .count();
    assert_eq!(changed, 2, "the Dense and the Dense it feeds");
    // Read from the saved design to this one: this design's Dense is 2 units narrower.
    let expect = i128::from(dense(64, 64) * 2) - i128::from(dense(66, 64) + dense(64, 66));
    assert_eq!(v.diff.total_change(), Some(expect));
    assert_eq!(
        v.notes.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
        vec!["units 66 → 64"],
        "what changed, saved → here; the Dense after it changed only its count"
    );
    assert_eq!(app.design, Design::example(), "comparing changes nothing");
    press(&mut app, "<esc>");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn exporting_a_design_that_does_not_build_says_so_in_the_status_line() {
    let mut design = Design::example();
    // The first LSTM needs a sequence and gets a flat vector.
    design.input.shape = Shape(vec![Some(6)].into());
    let mut app = App::new(design, Convention::Keras);
    let effects = press(&mut app, "e <enter>");
    assert!(matches!(effects.as_slice(), [Effect::Export { .. }]));
    app.update(Action::Exported("/tmp/x/exports/example.py".into()));
    let status = app.status.as_ref().expect("a status");
    assert!(status.error, "{status:?}");
    assert!(
        status.text.contains("/tmp/x/exports/example.py")
            && status.text.contains("does not build: layer 1"),
        "{status:?}"
    );
}

#[test]
fn a_json_error_before_a_lines_first_character_is_at_column_1() {
    // serde_json counts that place as column 0; editors and the command line count from 1.
    let mut app = example();
    press(&mut app, "i");
    paste(&mut app, "{\n");
    press(&mut app, "C-d");
    let Mode::Import(b) = &app.mode else {
        panic!("the box should stay open");
    };
    let e = b
        .error
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(e.starts_with("line 2, column 1: "), "{e}");
}

/// A fixture file's text and its JSON, by path.
fn read_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Pastes `text` into a fresh import box and confirms it.
fn import(app: &mut App, text: &str) {
    press(app, "i");
    paste(app, text);
    press(app, "C-d");
}

#[test]
fn pasted_functional_python_opens_the_graph_keras_builds() {
    use crate::common::fixture_files;
    for py in fixture_files("tests/fixtures/keras_python_graph", "py") {
        let keras = read_json(&py.with_extension("json"));
        let source = std::fs::read_to_string(&py).expect("readable");
        let mut app = example();
        import(&mut app, &source);
        let file = py.display();
        assert_eq!(app.mode, Mode::Normal, "{file}: the box closes");
        assert_eq!(
            keras["to_json"]["class_name"], "Functional",
            "{file}: a functional program"
        );
        assert!(!app.design.graph.is_chain(), "{file}: opens as a graph");
        assert_eq!(app.total(), keras["total"].as_u64(), "{file}");
        press(&mut app, "u");
        assert_eq!(app.design, Design::example(), "{file}: one undo step");
    }
}

#[test]
fn pasted_functional_keras_json_opens_the_graph_keras_builds() {
    use crate::common::fixture_files;
    let mut opened = 0;
    for path in fixture_files("tests/fixtures/keras_graph", "json") {
        let fixture = read_json(&path);
        let expected = &fixture["expected"];
        if fixture["keras_json"].is_null() || expected["ok"] != true {
            continue;
        }
        let text = fixture["keras_json"].to_string();
        let mut app = example();
        import(&mut app, &text);
        let file = path.display();
        assert_eq!(app.mode, Mode::Normal, "{file}: the box closes");
        assert_eq!(app.total(), expected["total"].as_u64(), "{file}");
        opened += 1;
    }
    assert!(opened > 10, "only {opened} graphs opened");
}

#[test]
fn a_graph_exports_in_every_format_with_its_wiring() {
    use lstm_tui::interop::export::ExportFormat;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_graph/residual_dense_block.json");
    let fixture = read_json(&path);
    let total = lstm_tui::report::numbers::thousands(
        fixture["expected"]["total"].as_u64().expect("a total"),
    );
    let mut app = example();
    import(&mut app, &fixture["keras_json"].to_string());
    assert!(!app.design.graph.is_chain());
    let mut written = Vec::new();
    for (k, format) in ExportFormat::IN_POPUP.iter().enumerate() {
        app.status = None;
        let keys = format!("e {}<enter>", "<down> ".repeat(k));
        let effects = press(&mut app, &keys);
        assert_eq!(app.mode, Mode::Normal, "{format:?}");
        let [Effect::Export { file, contents }] = effects.as_slice() else {
            panic!("{format:?}: expected one export, got {effects:?}");
        };
        assert!(file.ends_with(format.suffix()), "{file}");
        written.push((*format, contents.clone()));
    }
    let text = |f: ExportFormat| {
        written
            .iter()
            .find(|(w, _)| *w == f)
            .map(|(_, c)| c.as_str())
            .unwrap_or_else(|| panic!("{f:?} is offered and written"))
    };
    assert!(text(ExportFormat::Keras).contains("keras.Model("));
    assert!(text(ExportFormat::KerasJson).contains("\"Functional\""));
    assert!(text(ExportFormat::Pytorch).contains("def forward("));
    assert!(text(ExportFormat::Markdown).contains(&total));
    let json: serde_json::Value =
        serde_json::from_str(text(ExportFormat::Json)).expect("the JSON summary parses");
    assert_eq!(json["layout"], fixture["expected"]["layout"]);
    assert_eq!(json["total"], fixture["expected"]["total"]);
}
