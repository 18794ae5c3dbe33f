//! The edit form of the convolutions added for Keras 3's full set: every field Keras takes,
//! including the ones a design leaves out at their defaults (`output_padding=None`, the
//! depthwise and pointwise regularizers), read back from Python spellings.

use lstm_tui::app::form::{Form, Value as FormValue};
use lstm_tui::model::Layer;
use lstm_tui::model::layers::{Conv2DTranspose, SeparableConv2D};

fn names(f: &Form) -> Vec<String> {
    f.fields.iter().map(|x| x.name.clone()).collect()
}

fn set(form: &mut Form, name: &str, text: &str) {
    let at = form
        .fields
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}: {:?}", names(form)));
    form.fields[at].text.set(text);
}

#[test]
fn every_new_convolution_shows_its_keras_fields() {
    for layer in Layer::catalogue() {
        let class = layer.kind().class();
        let own: &[&str] = match class {
            "Conv1DTranspose" | "Conv2DTranspose" | "Conv3DTranspose" => {
                &["filters", "output_padding", "kernel_regularizer"]
            }
            "DepthwiseConv1D" | "DepthwiseConv2D" => &[
                "depth_multiplier",
                "depthwise_regularizer",
                "bias_regularizer",
            ],
            "SeparableConv1D" | "SeparableConv2D" => &[
                "filters",
                "depth_multiplier",
                "depthwise_regularizer",
                "pointwise_regularizer",
            ],
            "Conv3D" => &["filters", "groups", "kernel_regularizer"],
            "ConvLSTM3D" => &["filters", "return_sequences", "recurrent_regularizer"],
            _ => continue,
        };
        let f = Form::for_layer(0, &layer).expect("a form");
        let have = names(&f);
        for field in own
            .iter()
            .chain(&["kernel_size", "strides", "padding", "dilation_rate"])
        {
            assert!(
                have.iter().any(|n| n == field),
                "{class}: no {field} in {have:?}"
            );
        }
    }
}

#[test]
fn output_padding_and_pointwise_regularizer_read_back_from_python() {
    let layer = Layer::Conv2DTranspose(Conv2DTranspose::default());
    let mut f = Form::for_layer(0, &layer).expect("a form");
    set(&mut f, "strides", "(2, 2)");
    set(&mut f, "output_padding", "(1, 0)");
    let Ok(FormValue::Layer(read)) = f.read(None) else {
        panic!("refused: {:?}", f.read(None))
    };
    let Layer::Conv2DTranspose(t) = *read else {
        panic!("not a Conv2DTranspose: {read:?}")
    };
    assert_eq!(t.output_padding, Some([1, 0]));
    assert_eq!(t.strides, [2, 2]);

    let layer = Layer::SeparableConv2D(SeparableConv2D::default());
    let mut f = Form::for_layer(0, &layer).expect("a form");
    set(&mut f, "depth_multiplier", "4");
    set(&mut f, "pointwise_regularizer", "l2(0.01)");
    let Ok(FormValue::Layer(read)) = f.read(None) else {
        panic!("refused: {:?}", f.read(None))
    };
    let Layer::SeparableConv2D(s) = *read else {
        panic!("not a SeparableConv2D: {read:?}")
    };
    assert_eq!(s.depth_multiplier, 4);
    assert_eq!(
        serde_json::to_value(s.pointwise_regularizer).expect("json"),
        serde_json::json!({"L2": 0.01})
    );
}
