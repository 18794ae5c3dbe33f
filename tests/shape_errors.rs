//! Shape errors name the layer, what it needs, what it got, and the fix.

use lstm_tui::model::layers::Layer;
use lstm_tui::model::{Convention, Design, Summary};

#[test]
fn a_dropped_time_axis_is_traced_back_through_dropout() {
    // The example with its first LSTM returning only the last step: the Dropout after it
    // keeps that shape, and the second LSTM cannot read it.
    let mut d = Design::example();
    if let Layer::Lstm(l) = &mut d.layers[0] {
        l.return_sequences = false;
    }
    let s = Summary::of(&d, Convention::Keras);
    let e = s.error.expect("does not build");
    assert_eq!(e.index, 2);
    assert_eq!(
        e.to_string(),
        "lstm_1 (LSTM) needs 3-D input (batch, timesteps, features) but gets (None, 64): set return_sequences=True on lstm"
    );
    // The rows before the failing layer still show.
    assert_eq!(s.rows.len(), 2);
}

#[test]
fn a_flatten_in_between_is_not_blamed_on_the_lstm() {
    let mut d = Design::example();
    d.layers.insert(
        1,
        Layer::catalogue()
            .into_iter()
            .find(|l| l.kind().class() == "Flatten")
            .unwrap(),
    );
    let e = Summary::of(&d, Convention::Keras)
        .error
        .expect("does not build");
    assert_eq!(e.index, 3);
    assert!(!e.to_string().contains("return_sequences=True on"), "{e}");
}
