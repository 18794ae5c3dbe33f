//! The detail pane and `lstm-tui explain` render one derivation: the layer's, with the notes
//! its `trainable` flag adds (a frozen layer, or a flag Keras ignores).

use crate::common::{press, render, screen};
use lstm_tui::app::App;
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::layers::{Bidirectional, Dense};
use lstm_tui::model::{Convention, Design, Layer, Summary};
use lstm_tui::report::explain_text;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

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
    let bi = s.rows[0].params;
    assert_eq!(bi.non_trainable, 0);
    assert!(bi.trainable > 0);
    let dense = s.rows[1].params;
    assert_eq!(dense.trainable, 0);
}

/// The detail pane of layer `index`, drawn alone on a screen tall enough that nothing scrolls,
/// as its words (so a line the pane wraps reads as one).
fn pane_text(design: &Design, convention: Convention, index: usize) -> String {
    let mut app = App::new(design.clone(), convention);
    press(&mut app, &vec!["j"; index].join(" "));
    let mut terminal = Terminal::new(TestBackend::new(160, 160)).expect("test backend");
    terminal
        .draw(|f| lstm_tui::ui::detail::render(&app, f, f.area()))
        .expect("draw");
    words(&screen(&terminal).replace(['│', '─', '┌', '┐', '└', '┘'], " "))
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The facts `explain` states about a layer, each as the words the detail pane must also
/// show: every step (what, then the arithmetic and value), note, weight tensor, the trainable
/// split and the total.
fn explained_facts(text: &str) -> Vec<String> {
    let mut facts = Vec::new();
    let mut in_weights = false;
    for line in text.lines().skip(2) {
        let w = words(line);
        if w == "weights:" {
            in_weights = true;
        } else if w.starts_with("compute (MACs") {
            in_weights = false;
        } else if let Some(rest) = w.strip_prefix("Param # (") {
            let (label, count) = rest.split_once("): ").unwrap_or_default();
            if let Some(why) = count.strip_prefix("n/a — ") {
                facts.push(why.to_string());
                continue;
            }
            let (total, split) = count.split_once(" (").unwrap_or((count, ""));
            facts.push(format!("{total} params in {label}"));
            if let Some(split) = split.strip_suffix(')') {
                facts.push(split.to_string());
            }
        } else if in_weights {
            facts.push(
                w.replace(" = ", " ")
                    .replace("(non-trainable)", "non-trainable"),
            );
        } else {
            facts.push(w);
        }
    }
    facts
}

#[test]
fn the_detail_pane_and_explain_state_the_same_facts_for_every_keras_fixture_layer() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keras");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut checked = 0;
    let mut disagreements = Vec::new();
    for path in paths {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("JSON");
        let Ok(design) = design_from_keras_json(&case["keras_json"].to_string()) else {
            continue;
        };
        for convention in [Convention::Keras, Convention::PyTorch] {
            let summary = Summary::of(&design, convention);
            for index in 0..summary.rows.len() {
                let explained = explain_text::layer(&design, &summary, index);
                let pane = pane_text(&design, convention, index);
                for fact in explained_facts(&explained) {
                    checked += 1;
                    if !pane.contains(&fact) {
                        disagreements.push(format!(
                            "{} layer {index} ({convention:?}): the pane lacks `{fact}`",
                            path.display()
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 1_000, "only {checked} facts compared");
    assert!(
        disagreements.is_empty(),
        "{} disagreements, first ones:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(15)].join("\n")
    );
}

/// A real Keras fixture's design, imported from its `keras_json`, and the fixture.
fn fixture(name: &str) -> (Design, serde_json::Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_layers")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    let fixture: serde_json::Value = serde_json::from_str(&text).expect("fixture json");
    let design = design_from_keras_json(&fixture["keras_json"].to_string())
        .map(|mut d| {
            d.name = name.to_string();
            d
        })
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
