//! Pooling, resizing and padding kinds in the add-layer picker: listed together, by family,
//! and added with Keras' defaults, which give the shapes of the keras_layers fixtures.

use std::fs;
use std::path::Path;

use crate::common::press;
use lstm_tui::app::App;
use lstm_tui::interop::keras_json::design_from_keras_json;
use lstm_tui::model::{Convention, Layer};
use serde_json::Value;

fn fixture(stem: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_layers")
        .join(format!("{stem}.json"));
    serde_json::from_str(&fs::read_to_string(path).expect("readable")).expect("JSON")
}

#[test]
fn each_family_sits_together_in_the_picker() {
    let classes: Vec<&str> = Layer::catalogue()
        .iter()
        .map(|l| l.kind().class())
        .collect();
    let at = |c: &str| classes.iter().position(|x| *x == c).expect(c);
    for family in [
        &[
            "MaxPooling1D",
            "GlobalAveragePooling1D",
            "MaxPooling3D",
            "AdaptiveMaxPooling3D",
        ][..],
        &[
            "UpSampling1D",
            "UpSampling3D",
            "ZeroPadding1D",
            "Cropping3D",
        ][..],
    ] {
        let span: Vec<usize> = family.iter().map(|c| at(c)).collect();
        let (first, last) = (span[0], span[span.len() - 1]);
        assert!(
            span.windows(2).all(|w| w[0] < w[1]) && last - first < 30,
            "{family:?} at {span:?} in {classes:?}"
        );
    }
}

#[test]
fn zero_padding2d_from_the_picker_takes_keras_default() {
    // zero_padding2d's first layer is ZeroPadding2D with Keras' default padding ((1, 1), (1, 1)).
    let fx = fixture("zero_padding2d");
    assert_eq!(
        fx["layers"][0]["config"]["padding"],
        serde_json::json!([[1, 1], [1, 1]])
    );
    let mut design = design_from_keras_json(&fx["keras_json"].to_string()).expect("imports");
    design.layers.clear();
    let mut app = App::new(design, Convention::Keras);
    press(&mut app, "a");
    for c in "zeropadding2d".chars() {
        press(&mut app, &c.to_string());
    }
    press(&mut app, "<enter>");
    assert!(
        matches!(app.design.layers.first(), Some(Layer::ZeroPadding2D(_))),
        "{:?}",
        app.design.layers
    );
    let want = &fx["expected"]["rows"][0]["output_shape"];
    assert_eq!(app.summary.rows[0].output.to_string(), shape_text(want));
}

/// Keras' `[null, 10, 10, 2]` as the summary prints it: `(None, 10, 10, 2)`.
fn shape_text(v: &Value) -> String {
    let dims: Vec<String> = v
        .as_array()
        .expect("a shape")
        .iter()
        .map(|d| d.as_u64().map_or("None".into(), |n| n.to_string()))
        .collect();
    format!("({})", dims.join(", "))
}
