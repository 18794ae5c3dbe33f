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

/// A real Keras fixture's design, imported from its `keras_json`, and the fixture.
fn fixture(name: &str) -> (Design, serde_json::Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_layers")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    let fixture: serde_json::Value = serde_json::from_str(&text).expect("fixture json");
    let design =
        lstm_tui::interop::design_from_keras_json(&fixture["keras_json"].to_string(), name)
            .expect("imports");
    (design, fixture)
}

/// The detail pane of layer `index` of `design`, whitespace collapsed.
fn pane_of(design: &Design, index: usize) -> String {
    let mut app = App::new(design.clone(), Convention::Keras);
    press(&mut app, &vec!["j"; index].join(" "));
    let text = screen(&render(&mut app, 250, 60));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// PReLU learns one alpha per position its shared axes do not cover: the step shows Keras'
/// alpha shape as the product and the fixture's count as its value, in `explain` and the pane.
#[test]
fn prelu_steps_multiply_out_the_alpha_shape_keras_builds() {
    let (design, fixture) = fixture("prelu_shared_axes_variants");
    let summary = Summary::of(&design, Convention::Keras);
    let rows = fixture["expected"]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    for (index, row) in rows.iter().enumerate() {
        let shape: Vec<String> = row["weights"][0]["shape"]
            .as_array()
            .expect("alpha shape")
            .iter()
            .map(|d| d.to_string())
            .collect();
        let step = format!("{} = {}", shape.join(" × "), row["params"]);
        let explained = explain_text::layer(&design, &summary, index);
        assert!(explained.contains(&step), "{step}:\n{explained}");
        assert!(
            explained.contains("one slope alpha per"),
            "says what it counts:\n{explained}"
        );
        assert!(pane_of(&design, index).contains(&step), "pane: {step}");
    }
}

/// The weightless activation and noise layers derive 0 from "has no weights" and say what
/// they do with their own numbers.
#[test]
fn weightless_layers_explain_their_zero_with_their_fields() {
    let cases = [
        ("activation_layers_relu_family", 2, "capped at 6"),
        ("activation_layers_relu_family", 3, "slope 0.1"),
        ("softmax_over_two_axes", 0, "axis 1 and 2"),
        ("noise_and_dropout_layers", 0, "standard deviation 0.1"),
        (
            "noise_and_dropout_layers",
            3,
            "0.01 × sum |x| + 0.001 × sum x²",
        ),
        ("identity_and_rescaling", 2, "x × 2 + -1"),
        ("permute_variants", 1, "[3, 2, 1]"),
    ];
    for (name, index, phrase) in cases {
        let (design, fixture) = fixture(name);
        let summary = Summary::of(&design, Convention::Keras);
        let explained = explain_text::layer(&design, &summary, index);
        let class = fixture["expected"]["rows"][index]["class"]
            .as_str()
            .expect("class");
        assert_eq!(fixture["expected"]["rows"][index]["params"], 0);
        assert!(
            explained.contains(&format!("{class} has no weights\n       0 = 0")),
            "{name}[{index}]:\n{explained}"
        );
        assert!(
            explained.contains(phrase),
            "{name}[{index}] {phrase}:\n{explained}"
        );
    }
}
