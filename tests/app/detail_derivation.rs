//! The detail pane and `lstm-tui explain` render one derivation: the layer's, with the notes
//! its `trainable` flag adds (a frozen layer, or a flag Keras ignores).

use crate::common::{press, render, screen};
use lstm_tui::app::App;
use lstm_tui::model::layers::{Bidirectional, Dense};
use lstm_tui::model::{Convention, Design, Layer, Summary};
use lstm_tui::report::explain_text;

fn design() -> Design {
    Design {
        name: "frozen".into(),
        layers: vec![
            Layer::Bidirectional(Bidirectional {
                trainable: false,
                ..Bidirectional::default()
            }),
            Layer::Dense(Dense {
                units: 3,
                trainable: false,
                ..Dense::default()
            }),
        ],
        ..Design::example()
    }
}

/// The screen with the detail pane on layer `index` (the first layer is selected at start).
fn detail_of(index: usize) -> String {
    let mut app = App::new(design(), Convention::Keras);
    press(&mut app, &vec!["j"; index].join(" "));
    let text = screen(&render(&mut app, 250, 60));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn both_say_what_trainable_false_does() {
    let d = design();
    let summary = Summary::of(&d, Convention::Keras);
    for (index, phrase) in [
        (
            0,
            "Keras ignores trainable=False given to the Bidirectional constructor",
        ),
        (1, "trainable=False freezes this layer"),
    ] {
        let explained = explain_text::layer(&d, &summary, index);
        assert!(explained.contains(phrase), "explain:\n{explained}");
        let pane = detail_of(index);
        assert!(pane.contains(phrase), "detail pane:\n{pane}");
    }
}

#[test]
fn a_bidirectional_frozen_through_its_constructor_counts_as_trainable() {
    let s = Summary::of(&design(), Convention::Keras);
    let bi = s.rows[0].params.as_ref().expect("counts");
    assert_eq!(bi.non_trainable, 0);
    assert!(bi.trainable > 0);
    let dense = s.rows[1].params.as_ref().expect("counts");
    assert_eq!(dense.trainable, 0);
}
