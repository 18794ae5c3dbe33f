//! Design comparison: alignment of added, removed and changed layers.

use lstm_tui::model::diff::{Diff, Line, diff};
use lstm_tui::model::layers::{Gru, KnobValue, Layer};
use lstm_tui::model::{Convention, Design};

fn kinds(d: &Diff) -> Vec<(&'static str, String)> {
    d.lines()
        .map(|l| match l {
            Line::Same(a, _) => ("same", a.name.to_string()),
            Line::Changed(a, _) => ("changed", a.name.to_string()),
            Line::Removed(a) => ("removed", a.name.to_string()),
            Line::Added(b) => ("added", b.name.to_string()),
        })
        .collect()
}

#[test]
fn identical_designs_are_all_same() {
    let d = diff(&Design::example(), &Design::example(), Convention::Keras);
    assert!(d.lines().all(|l| matches!(l, Line::Same(..))));
    assert_eq!(d.line_count(), 6);
    assert_eq!(d.total_change(), Some(0));
}

#[test]
fn widening_a_layer_changes_it_and_the_next_one() {
    let mut b = Design::example();
    b.layers[0].kind_mut().set_knob(KnobValue::Count(65));
    let d = diff(&Design::example(), &b, Convention::Keras);
    let k = kinds(&d);
    assert_eq!(k[0], ("changed", "lstm".to_string()));
    assert_eq!(k[1].0, "changed", "dropout's shape changed: {k:?}");
    assert_eq!(k[2], ("changed", "lstm_1".to_string()));
    assert_eq!(
        &k[3..],
        &[
            ("same", "dense".into()),
            ("same", "dense_1".into()),
            ("same", "dense_2".into())
        ]
    );
    // LSTM(6→65) grows by 4·(65·71 + 65) − 4·(64·70 + 64) and LSTM(65→64) by 4·64.
    let expected = (4 * (65 * 71 + 65) - 4 * (64 * 70 + 64)) + 4 * 64;
    assert_eq!(d.total_change(), Some(expected));
}

#[test]
fn an_inserted_layer_is_added_and_nothing_else_moves() {
    let mut b = Design::example();
    b.layers.insert(
        3,
        Layer::Gru(Gru {
            units: 64,
            return_sequences: false,
            ..Gru::default()
        }),
    );
    // A GRU after a non-sequence LSTM does not build: the rows stop there. Make the LSTM
    // return sequences first, so both designs build.
    if let Layer::Lstm(l) = &mut b.layers[2] {
        l.return_sequences = true;
    }
    let d = diff(&Design::example(), &b, Convention::Keras);
    let k = kinds(&d);
    assert!(k.contains(&("added", "gru".to_string())), "{k:?}");
    assert!(k.contains(&("changed", "lstm_1".to_string())), "{k:?}");
    assert_eq!(k.iter().filter(|(s, _)| *s == "same").count(), 5, "{k:?}");
}
