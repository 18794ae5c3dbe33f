//! An `RNN`'s cell in the edit form: the cell's class is a choice and its fields sit inline as
//! `cell.units`, ...; choosing another class brings that cell's fields, and a stack of cells is
//! one Python list. Driven by keys through the real keymap, and read back from Keras' fixtures.

use std::fs;
use std::path::Path;

use crate::common::{example, press};
use lstm_tui::app::form::{Form, Value as FormValue};
use lstm_tui::app::{App, Mode};
use lstm_tui::interop::keras_json::design_from_keras_json;
use lstm_tui::model::Layer;
use lstm_tui::model::layers::RnnCell;
use serde_json::Value;

fn form(app: &App) -> &Form {
    match &app.mode {
        Mode::Form(f) => f,
        other => panic!("no form: {other:?}"),
    }
}

fn names(app: &App) -> Vec<String> {
    form(app).fields.iter().map(|f| f.name.clone()).collect()
}

/// Moves the cursor to a field (which selects its text) and types over it.
fn type_into(app: &mut App, name: &str, text: &str) {
    while form(app).index > 0 {
        press(app, "<up>");
    }
    // Down and back up selects the first field's text as moving onto it does.
    press(app, "<down> <up>");
    while form(app).fields[form(app).index].name != name {
        let before = form(app).index;
        press(app, "<down>");
        assert_ne!(form(app).index, before, "no field {name}: {:?}", names(app));
    }
    for c in text.chars() {
        press(app, &c.to_string().replace(' ', "<space>"));
    }
}

fn rnn(app: &App) -> &RnnCell {
    match &app.design.layers[0] {
        Layer::Rnn(r) => &r.cell,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_rnn_form_shows_its_cell_inline_and_changes_its_class() {
    let mut app = example();
    press(&mut app, "n <enter> a rnn <enter> <enter>");
    assert_eq!(form(&app).variant, "RNN", "{:?}", app.mode);
    let n = names(&app);
    assert_eq!(n[..2], ["cell", "cell.units"], "{n:?}");
    assert!(
        n.contains(&"cell.unit_forget_bias".into()),
        "an LSTMCell's own fields: {n:?}"
    );
    assert!(
        n.contains(&"return_sequences".into()),
        "the RNN's own: {n:?}"
    );
    // Typing GRU into the class choice brings a GRUCell's fields and keeps the units.
    type_into(&mut app, "cell", "GRU");
    let n = names(&app);
    assert!(n.contains(&"cell.reset_after".into()), "{n:?}");
    assert!(!n.contains(&"cell.unit_forget_bias".into()), "{n:?}");
    type_into(&mut app, "cell.units", "24");
    press(&mut app, "<enter>");
    assert_eq!(app.mode, Mode::Normal, "applied");
    assert!(
        matches!(rnn(&app), RnnCell::Gru(g) if g.units == 24),
        "{:?}",
        rnn(&app)
    );
    // A stack starts from the current cell, as one Python list.
    press(&mut app, "<enter>");
    type_into(&mut app, "cell", "Stacked");
    let f = form(&app);
    let cells = f
        .fields
        .iter()
        .find(|f| f.name == "cell.cells")
        .expect("cell.cells");
    assert_eq!(cells.text.text(), "[GRUCell(units=24)]");
    type_into(
        &mut app,
        "cell.cells",
        "[GRUCell(24), SimpleRNNCell(8, activation='relu')]",
    );
    press(&mut app, "<enter>");
    assert_eq!(app.mode, Mode::Normal, "applied");
    let RnnCell::Stacked(stack) = rnn(&app) else {
        panic!("{:?}", rnn(&app))
    };
    assert!(
        matches!(&stack[..], [RnnCell::Gru(g), RnnCell::SimpleRnn(s)]
        if g.units == 24 && s.units == 8 && s.activation == "relu"),
        "{stack:?}"
    );
}

#[test]
fn every_rnn_of_the_keras_fixtures_reads_back_unchanged_from_its_form() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keras_layers");
    let mut seen = 0;
    for name in [
        "rnn_gru_and_simple_cells",
        "rnn_lstm_cell",
        "rnn_stacked_cells",
    ] {
        let text = fs::read_to_string(dir.join(format!("{name}.json"))).expect("readable");
        let v: Value = serde_json::from_str(&text).expect("valid JSON");
        let design = design_from_keras_json(&v["keras_json"].to_string())
            .map(|mut d| {
                d.name = name.to_string();
                d
            })
            .expect("imports");
        for (i, layer) in design.layers.iter().enumerate() {
            let Layer::Rnn(_) = layer else { continue };
            seen += 1;
            let f = Form::for_layer(i, layer).expect("a form");
            assert_eq!(
                f.read(None),
                Ok(FormValue::Layer(Box::new(layer.clone()))),
                "{name} row {i}"
            );
        }
    }
    assert!(seen >= 4, "only {seen} RNN layers in the fixtures");
}
