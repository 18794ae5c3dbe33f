//! The derivation of the pooling, resizing and padding kinds against Keras' own shapes in
//! tests/fixtures/keras_layers: no weights, so the count is 0, and each spatial axis's
//! arithmetic (input length, what is added, cut or multiplied, output length) is shown with
//! the fixture's numbers, in `explain` and in the detail pane.

use std::fs;
use std::path::Path;

use crate::common::{press, render, screen};
use lstm_tui::app::App;
use lstm_tui::interop::keras_json::design_from_keras_json;
use lstm_tui::model::{Convention, Design, Summary};
use lstm_tui::report::explain_text;
use serde_json::Value;

/// Every kind of this family with a fixture holding it.
const CASES: &[(&str, &str)] = &[
    ("MaxPooling3D", "pooling3d_variants"),
    ("AveragePooling2D", "average_pooling2d_variants"),
    ("AveragePooling3D", "pooling3d_variants"),
    ("GlobalAveragePooling2D", "global_average_pooling2d"),
    (
        "GlobalAveragePooling3D",
        "global_average_pooling3d_keepdims",
    ),
    ("GlobalMaxPooling2D", "global_max_pooling2d_keepdims"),
    ("AdaptiveAveragePooling1D", "adaptive_pooling1d"),
    ("AdaptiveMaxPooling1D", "adaptive_pooling1d"),
    ("AdaptiveAveragePooling2D", "adaptive_pooling2d"),
    ("AdaptiveMaxPooling2D", "adaptive_pooling2d"),
    ("AdaptiveAveragePooling3D", "adaptive_pooling3d"),
    ("AdaptiveMaxPooling3D", "adaptive_pooling3d"),
    ("UpSampling1D", "upsampling1d"),
    ("UpSampling2D", "upsampling2d"),
    ("UpSampling3D", "upsampling3d"),
    ("ZeroPadding1D", "zero_padding1d"),
    ("ZeroPadding2D", "zero_padding2d"),
    ("ZeroPadding3D", "zero_padding3d"),
    ("Cropping1D", "cropping1d"),
    ("Cropping2D", "cropping2d"),
    ("Cropping3D", "cropping3d"),
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

fn numbers(v: &Value) -> Vec<u64> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|d| d.as_u64().expect("a size"))
        .collect()
}

/// The spatial lengths of the input of row `i` (the model's input, or the row before's
/// output), channels last as every fixture here is.
fn spatial_in(fixture: &Value, i: usize) -> Vec<u64> {
    let dims = if i == 0 {
        numbers(&fixture["input_shape"])
    } else {
        // Keras' output shapes start with the batch, None.
        let out = &fixture["expected"]["rows"][i - 1]["output_shape"];
        numbers(&Value::Array(
            out.as_array().expect("a shape")[1..].to_vec(),
        ))
    };
    dims[..dims.len() - 1].to_vec()
}

/// What a fixture row's arithmetic reads, axis by axis, from the fixture's own numbers: the
/// config's amounts around the input length, equal to Keras' output length.
fn axis_lines(class: &str, config: &Value, input: &[u64], output: &[u64]) -> Vec<String> {
    let mut lines = Vec::new();
    for (axis, (&len, &out)) in input.iter().zip(output).enumerate() {
        let n = axis + 1;
        let line = if class.starts_with("UpSampling") {
            let size = match &config["size"] {
                Value::Array(a) => a[axis].as_u64().expect("size"),
                v => v.as_u64().expect("size"),
            };
            format!("spatial axis {n}: {len} × {size} = {out}")
        } else {
            let (key, sign) = if class.starts_with("ZeroPadding") {
                ("padding", '+')
            } else {
                ("cropping", '−')
            };
            let pair = match &config[key][axis] {
                Value::Array(p) => numbers(&Value::Array(p.clone())),
                _ => numbers(&config[key]),
            };
            format!(
                "spatial axis {n}: {len} {sign} {} {sign} {} = {out}",
                pair[0], pair[1]
            )
        };
        lines.push(line);
    }
    lines
}

#[test]
fn every_kind_counts_zero_and_shows_each_axis_with_the_fixture_numbers() {
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
            assert_eq!(
                e.steps.last().map(|s| s.value),
                row["params"].as_u64(),
                "{stem} row {i}"
            );
            if !(class.starts_with("UpSampling")
                || class.starts_with("ZeroPadding")
                || class.starts_with("Cropping"))
            {
                continue;
            }
            let shape = row["output_shape"].as_array().expect("a shape");
            let output = numbers(&Value::Array(shape[1..shape.len() - 1].to_vec()));
            let text = explain_text::layer(&design, &summary, i);
            for line in axis_lines(
                class,
                &fixture["layers"][i]["config"],
                &spatial_in(&fixture, i),
                &output,
            ) {
                assert!(text.contains(&line), "{stem} row {i}: {line:?} in:\n{text}");
            }
        }
        assert!(seen > 0, "{stem} has no {class}");
    }
}

#[test]
fn the_detail_pane_shows_a_crop_axis_by_axis() {
    // cropping2d row 1: (24, 24, 3) cropped ((1, 3), (4, 0)) to (20, 20, 3).
    let (fixture, design) = fixture("cropping2d");
    let row = &fixture["expected"]["rows"][1];
    let mut app = App::new(design, Convention::Keras);
    press(&mut app, "j");
    let pane = screen(&render(&mut app, 250, 60));
    let pane = pane.split_whitespace().collect::<Vec<_>>().join(" ");
    let out = &row["output_shape"];
    for expected in [
        format!("spatial axis 1: 24 − 1 − 3 = {}", out[1]),
        format!("spatial axis 2: 24 − 4 − 0 = {}", out[2]),
    ] {
        assert!(pane.contains(&expected), "{expected:?} in:\n{pane}");
    }
}
