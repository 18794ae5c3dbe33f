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

#[test]
fn bidirectional_refuses_a_layer_that_already_runs_backwards() {
    // Keras 3.15 raises "Forward layer and backward layer should have different
    // `go_backwards` value" for Bidirectional(LSTM(4, go_backwards=True)).
    use lstm_tui::model::layers::{Bidirectional, Lstm};
    let mut d = Design::example();
    d.input.shape = lstm_tui::model::Shape::known(&[10, 4]);
    let wrapped = |go_backwards| {
        Layer::Bidirectional(Bidirectional {
            layer: Box::new(Layer::Lstm(Lstm {
                units: 4,
                go_backwards,
                ..Lstm::default()
            })),
            ..Bidirectional::default()
        })
    };
    d.layers = vec![wrapped(true)];
    let e = Summary::of(&d, Convention::Keras)
        .error
        .expect("Keras refuses it");
    assert_eq!(e.index, 0);
    assert!(e.to_string().contains("go_backwards=False"), "{e}");
    d.layers = vec![wrapped(false)];
    assert!(Summary::of(&d, Convention::Keras).is_ok());
}

#[test]
fn a_layer_error_is_a_std_error_and_its_stack_error_names_it_as_the_source() {
    let mut broken = Design::example();
    if let Layer::Lstm(l) = &mut broken.layers[0] {
        l.return_sequences = false;
    }
    let error = Summary::of(&broken, Convention::Keras)
        .error
        .expect("the second LSTM gets 2-D input and does not build");
    let layer: &dyn std::error::Error = &error.error;
    assert!(layer.to_string().contains("needs"), "{layer}");
    let source = std::error::Error::source(&error).map(ToString::to_string);
    assert_eq!(source, Some(error.error.to_string()));
}
