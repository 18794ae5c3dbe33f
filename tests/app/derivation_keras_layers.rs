//! The formula steps of the normalization, encoding, einsum, reversible-embedding, cell and
//! spectral-normalization kinds against real Keras: every row of their fixtures in
//! tests/fixtures/keras_layers ends its derivation on Keras' count, each step's numbers are the
//! ones `explain` and the detail pane print, and the steps that split a count name the
//! fixture's sizes.

use std::fs;
use std::path::Path;

use crate::common::{press, render, screen};
use lstm_tui::app::App;
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::{Convention, Design, Summary};
use lstm_tui::report::explain_text;
use serde_json::Value;

/// The fixtures of these kinds that Keras builds.
const FIXTURES: &[&str] = &[
    "group_normalization_variants",
    "rms_normalization_variants",
    "unit_normalization_variants",
    "normalization_unadapted_axis_variants",
    "normalization_with_mean_variance",
    "category_encoding_count",
    "category_encoding_multi_hot",
    "category_encoding_one_hot_sequence",
    "einsum_dense_equations",
    "einsum_dense_none_in_output_shape",
    "einsum_dense_on_vectors",
    "reversible_embedding_tied",
    "reversible_embedding_untied",
    "rnn_gru_and_simple_cells",
    "rnn_lstm_cell",
    "rnn_stacked_cells",
    "spectral_normalization_conv2d",
    "spectral_normalization_dense",
];

fn fixture(name: &str) -> (Value, Design) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_layers")
        .join(format!("{name}.json"));
    let v: Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("readable")).expect("valid JSON");
    let design = design_from_keras_json(&v["keras_json"].to_string())
        .map(|mut d| {
            d.name = name.to_string();
            d
        })
        .expect("imports");
    (v, design)
}

/// Every row's derivation ends on Keras' parameter count, and `explain` prints each step.
#[test]
fn every_row_derives_keras_count_step_by_step() {
    for name in FIXTURES {
        let (v, design) = fixture(name);
        let summary = Summary::of(&design, Convention::Keras);
        let rows = v["expected"]["rows"].as_array().expect("rows");
        for (i, want) in rows.iter().enumerate() {
            let row = &summary.rows[i];
            let e = design.layers[i]
                .explain(&row.input, Convention::Keras)
                .unwrap_or_else(|err| panic!("{name} row {i}: {err}"));
            let last = e.steps.last().expect("at least one step");
            assert_eq!(
                Some(last.value),
                want["params"].as_u64(),
                "{name} row {i} ({}) ends on {}",
                row.class,
                last.expr
            );
            let text = explain_text::layer(&design, &summary, i);
            for step in &e.steps {
                assert!(text.contains(&step.expr), "{name} row {i}:\n{text}");
            }
        }
    }
}

/// The sizes of a weight as the derivation writes them: `2 × 32`, `10 × 16`.
fn times(shape: &Value) -> String {
    shape
        .as_array()
        .expect("shape")
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(" × ")
}

/// The formula a step must print, from the fixture's row.
type Expr = dyn Fn(&Value) -> String;

/// The steps that split a count use the fixture's own sizes: GroupNormalization's γ and β per
/// channel (groups only change the statistics), RMSNormalization's scale over its axes,
/// Normalization's 2C+1, ReversibleEmbedding's second table, SpectralNormalization's
/// `vector_u`.
#[test]
fn split_steps_use_the_fixture_sizes() {
    let cases: &[(&str, usize, &Expr)] = &[
        ("group_normalization_variants", 0, &|r| {
            format!("2 × {}", times(&r["weights"][0]["shape"]))
        }),
        ("group_normalization_variants", 1, &|r| {
            format!("1 × {}", times(&r["weights"][0]["shape"]))
        }),
        ("rms_normalization_variants", 2, &|r| {
            times(&r["weights"][0]["shape"])
        }),
        ("normalization_unadapted_axis_variants", 0, &|r| {
            format!("2 × {}", times(&r["weights"][0]["shape"]))
        }),
        ("normalization_unadapted_axis_variants", 3, &|r| {
            format!("{} + 1", r["non_trainable"].as_u64().unwrap() - 1)
        }),
        ("reversible_embedding_untied", 0, &|r| {
            format!("+ {}", times(&r["weights"][1]["shape"]))
        }),
        ("spectral_normalization_dense", 0, &|r| {
            format!("+ {}", times(&r["weights"][1]["shape"]))
        }),
        ("einsum_dense_equations", 1, &|r| {
            times(&r["weights"][0]["shape"])
        }),
    ];
    for (name, i, expr) in cases {
        let (v, design) = fixture(name);
        let want = expr(&v["expected"]["rows"][*i]);
        let summary = Summary::of(&design, Convention::Keras);
        let text = explain_text::layer(&design, &summary, *i);
        assert!(
            text.contains(&want),
            "{name} row {i} lacks {want:?}:\n{text}"
        );
    }
}

/// The detail pane shows the same derivation: the last step's formula of every kind.
#[test]
fn the_detail_pane_shows_the_derivation() {
    for name in [
        "group_normalization_variants",
        "normalization_unadapted_axis_variants",
        "rnn_stacked_cells",
        "spectral_normalization_dense",
    ] {
        let (_, design) = fixture(name);
        let summary = Summary::of(&design, Convention::Keras);
        let row = &summary.rows[0];
        let e = design.layers[0]
            .explain(&row.input, Convention::Keras)
            .expect("explains");
        let mut app = App::new(design.clone(), Convention::Keras);
        press(&mut app, "");
        let pane = screen(&render(&mut app, 250, 60));
        let pane = pane.split_whitespace().collect::<Vec<_>>().join(" ");
        let last = &e.steps.last().expect("a step").expr;
        let last = last.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(pane.contains(&last), "{name}: pane lacks {last:?}:\n{pane}");
    }
}
