//! The comparison popup of two large designs draws only the rows on screen, and scrolling
//! still shows the same text a full rendering would: the header, then the aligned rows, then
//! the totals.

use crate::common::large::dense_stack;
use crate::common::{render, screen};
use lstm_tui::app::{Action, App};
use lstm_tui::model::{Convention, Layer};

const LAYERS: usize = 3_000;

fn scrolled(app: &mut App, lines: usize) -> String {
    for _ in 0..lines {
        app.update(Action::PopupDown);
    }
    screen(&render(app, 100, 30))
}

#[test]
fn scrolling_a_large_comparison_shows_each_part_in_turn() {
    let mut app = App::new(dense_stack(LAYERS, 8), Convention::Keras);
    let mut other = dense_stack(LAYERS, 8);
    if let Some(Layer::Dense(d)) = other.layers.get_mut(LAYERS - 1) {
        d.units = 9;
    }
    app.update(Action::Compared(other, "saved".into()));
    let top = scrolled(&mut app, 0);
    assert!(top.contains("saved"), "the header comes first:\n{top}");
    assert!(top.contains("dense (Dense)"), "{top}");
    // Scrolled by 1,000 lines the header is gone and row 1,000 (dense_999) is the first.
    let middle = scrolled(&mut app, 1_000);
    let first_row = middle
        .lines()
        .find(|l| l.contains("(Dense)"))
        .unwrap_or_default();
    assert!(first_row.contains("dense_999 (Dense)"), "{middle}");
    assert!(!middle.contains("saved"), "{middle}");
    assert!(!middle.contains("Total params"), "{middle}");
    // At the end: the changed last layer, then the totals and the legend.
    let end = scrolled(&mut app, LAYERS);
    assert!(
        end.contains(&format!("~ dense_{} (Dense)", LAYERS - 1)),
        "{end}"
    );
    assert!(end.contains("Total params"), "{end}");
    assert!(end.contains("~ changed"), "{end}");
}

#[test]
fn the_end_of_a_comparison_longer_than_65535_lines_can_be_reached() {
    const MANY: usize = 70_000;
    let mut app = App::new(dense_stack(MANY, 8), Convention::Keras);
    let mut other = dense_stack(MANY, 8);
    if let Some(Layer::Dense(d)) = other.layers.get_mut(MANY - 1) {
        d.units = 9;
    }
    app.update(Action::Compared(other, "saved".into()));
    let end = scrolled(&mut app, MANY + 10);
    assert!(
        end.contains(&format!("~ dense_{} (Dense)", MANY - 1)),
        "{end}"
    );
    assert!(end.contains("Total params"), "{end}");
}

#[test]
fn what_changed_sits_under_its_row_wherever_the_view_starts() {
    let mut app = App::new(dense_stack(LAYERS, 8), Convention::Keras);
    let mut saved = dense_stack(LAYERS, 8);
    for k in (100..LAYERS).step_by(100) {
        if let Some(Layer::Dense(d)) = saved.layers.get_mut(k) {
            d.units = 9;
        }
    }
    app.update(Action::Compared(saved, "saved".into()));
    // The text: the header, then a line per row, and under each Dense whose units changed a
    // line saying so (the Dense after it changes only its count). Row 100 is text line 101,
    // its note 102.
    let inner = |screen: &str| -> Vec<String> {
        screen
            .lines()
            .filter(|l| l.starts_with('│'))
            .map(|l| l.trim_start_matches('│').to_string())
            .collect()
    };
    let top = inner(&scrolled(&mut app, 102));
    // The first line inside the box is the note.
    let first = 1 + top.iter().position(|l| l.contains("Compare (j/k")).unwrap();
    assert!(top[first].contains("units 9 → 8"), "{top:#?}");
    assert!(
        top[first + 1].starts_with("~ dense_101 (Dense)"),
        "{top:#?}"
    );
    assert!(
        top[first + 2].starts_with("  dense_102 (Dense)"),
        "{top:#?}"
    );
    // Further down, past eleven notes: row 1,200 and its note, in order.
    let later = inner(&scrolled(&mut app, 1_100));
    let row = later
        .iter()
        .position(|l| l.starts_with("~ dense_1200 (Dense)"))
        .unwrap_or_else(|| panic!("{later:#?}"));
    assert!(later[row + 1].contains("units 9 → 8"), "{later:#?}");
    assert!(
        later[row + 2].starts_with("~ dense_1201 (Dense)"),
        "{later:#?}"
    );
}
