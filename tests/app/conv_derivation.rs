//! The derivation of every convolution kind added for Keras 3's full set (transposed,
//! depthwise, separable, 3-D, ConvLSTM3D), step by step against Keras' own weights in
//! tests/fixtures/keras_layers: each weight tensor Keras builds is a step (alone or added to
//! the ones before), the last step is Keras' parameter count, and the detail pane shows it.

use std::fs;
use std::path::Path;

use crate::common::{press, render, screen};
use lstm_tui::app::App;
use lstm_tui::interop::keras_json::design_from_keras_json;
use lstm_tui::model::{Convention, Design, Summary};
use lstm_tui::report::explain_text;
use serde_json::Value;

/// The classes this file derives, and a fixture holding each.
const CASES: &[(&str, &str)] = &[
    ("Conv1DTranspose", "conv1d_transpose_variants"),
    ("Conv2DTranspose", "conv2d_transpose_channels_first"),
    ("Conv3DTranspose", "conv3d_transpose_variants"),
    ("Conv3D", "conv3d_variants"),
    ("DepthwiseConv1D", "depthwise_conv1d_variants"),
    ("DepthwiseConv2D", "depthwise_conv2d_variants"),
    ("SeparableConv1D", "separable_conv1d_variants"),
    ("SeparableConv2D", "separable_conv2d_channels_first"),
    ("ConvLSTM3D", "convlstm3d_variants"),
];

fn fixture(stem: &str) -> (Value, Design) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_layers")
        .join(format!("{stem}.json"));
    let fixture: Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("readable")).expect("JSON");
    let design = design_from_keras_json(&fixture["keras_json"].to_string())
        .map(|mut d| {
            d.name = stem.to_string();
            d
        })
        .expect("imports");
    (fixture, design)
}

/// Element counts of a row's weights, in Keras' order.
fn weight_sizes(row: &Value) -> Vec<u64> {
    row["weights"]
        .as_array()
        .expect("weights")
        .iter()
        .map(|w| {
            w["shape"]
                .as_array()
                .expect("shape")
                .iter()
                .map(|d| d.as_u64().expect("size"))
                .product()
        })
        .collect()
}

#[test]
fn every_weight_keras_builds_is_a_step_and_the_last_step_is_its_count() {
    for (class, stem) in CASES {
        let (fixture, design) = fixture(stem);
        let summary = Summary::of(&design, Convention::Keras);
        let rows = fixture["expected"]["rows"].as_array().expect("rows");
        let mut seen = 0;
        for (i, row) in rows.iter().enumerate() {
            if row["class"] != *class {
                continue;
            }
            seen += 1;
            let e = design.layers[i]
                .explain(&summary.rows[i].input, Convention::Keras)
                .expect("explains");
            let values: Vec<u64> = e.steps.iter().map(|s| s.value).collect();
            assert_eq!(
                values.last().copied(),
                row["params"].as_u64(),
                "{stem} row {i}: {values:?}"
            );
            let mut running = 0;
            for size in weight_sizes(row) {
                running += size;
                assert!(
                    values.contains(&size) || values.contains(&running),
                    "{stem} row {i}: Keras' weight of {size} (running total {running}) is no step of {values:?}"
                );
            }
            // Every step shows its arithmetic with the real numbers, not only its result.
            for step in &e.steps {
                assert!(
                    step.expr.chars().any(|c| c.is_ascii_digit()),
                    "{stem} row {i}: {step:?}"
                );
            }
        }
        assert!(seen > 0, "{stem} has no {class}");
    }
}

#[test]
fn separable_conv_says_depthwise_then_pointwise_with_the_fixture_numbers() {
    // separable_conv1d_variants row 0: kernel 5 over 8 channels, depth_multiplier 2, 16
    // filters; Keras' weights are (5, 8, 2), (1, 16, 16) and (16,).
    let (fixture, design) = fixture("separable_conv1d_variants");
    let row = &fixture["expected"]["rows"][0];
    let sizes = weight_sizes(row);
    let summary = Summary::of(&design, Convention::Keras);
    let text = explain_text::layer(&design, &summary, 0);
    for expected in [
        "depthwise".to_string(),
        "5 × 8 × 2".to_string(),
        format!("{} + 16 × 16", sizes[0]),
        format!("{} + 16", sizes[0] + sizes[1]),
    ] {
        assert!(text.contains(&expected), "{expected:?} in:\n{text}");
    }
    assert!(text.contains(&row["params"].to_string()), "{text}");
}

#[test]
fn the_detail_pane_shows_a_transposed_convolution_step_by_step() {
    // conv1d_transpose_variants row 1: kernel 4 over 8 channels, 6 filters: (4, 6, 8) + 6.
    let (fixture, design) = fixture("conv1d_transpose_variants");
    let row = &fixture["expected"]["rows"][1];
    let mut app = App::new(design, Convention::Keras);
    press(&mut app, "j");
    let pane = screen(&render(&mut app, 250, 60));
    let pane = pane.split_whitespace().collect::<Vec<_>>().join(" ");
    let kernel = weight_sizes(row)[0];
    for expected in [
        "4 × 8".to_string(),
        format!("32 × 6 = {kernel}"),
        format!("{kernel} + 6 = {}", row["params"]),
    ] {
        assert!(pane.contains(&expected), "{expected:?} in:\n{pane}");
    }
}
