//! The designer draws hostile names (escape sequences, C1 controls, bidi overrides,
//! zero-width characters) as visible text: in the panes, the detail, a comparison, the import
//! box's error and the status line.

use std::path::Path;

use crate::common::hostile::is_forbidden;
use crate::common::{render, screen};
use lstm_tui::app::{Action, App, Mode};
use lstm_tui::model::{Convention, Design};
use lstm_tui::store::parse_design;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn assert_drawn_clean(app: &mut App, what: &str) -> String {
    let text = screen(&render(app, 140, 45));
    let bad: String = text.chars().filter(|c| is_forbidden(*c)).collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} on screen:\n{text}");
    text
}

fn hostile() -> Design {
    parse_design(&fixture("design.ron")).expect("fixture parses")
}

#[test]
fn panes_and_detail_show_every_hostile_name() {
    let mut app = App::new(hostile(), Convention::Keras);
    let first = assert_drawn_clean(&mut app, "first layer");
    assert!(first.contains("clear^[[2J^[[H"), "{first}");
    for i in 0..app.design.layers.len() {
        app.update(Action::Down);
        assert_drawn_clean(&mut app, &format!("layer {i} selected"));
    }
}

#[test]
fn a_comparison_and_the_status_line_show_names_without_obeying_them() {
    let mut app = App::new(hostile(), Convention::Keras);
    app.update(Action::Compared(hostile(), "saved\u{1b}]0;x\u{7}".into()));
    assert!(matches!(app.mode, Mode::Diff(_)));
    assert_drawn_clean(&mut app, "comparison");
    app.update(Action::Close);
    app.update(Action::Failed(
        "cannot read \u{1b}[2J\u{202e}gnp.exe\u{200b}".into(),
    ));
    let text = assert_drawn_clean(&mut app, "status line");
    assert!(text.contains("cannot read ^[[2J<U+202E>"), "{text}");
}

#[test]
fn the_import_box_shows_a_hostile_class_name_in_its_error() {
    let mut app = App::new(Design::example(), Convention::Keras);
    app.update(Action::Import);
    for c in fixture("bad_class.json").chars() {
        app.update(Action::Insert(c));
    }
    app.update(Action::Confirm);
    let Mode::Import(b) = &app.mode else {
        panic!("the import box closed");
    };
    assert!(b.error.is_some(), "no error for an unknown class");
    assert_drawn_clean(&mut app, "import error");
}
