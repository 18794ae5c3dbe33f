//! Names in a graph design, given and automatic, as Keras checks them: every input and layer
//! name unique, an automatic name taken by an earlier given one refused at the later layer,
//! and references finding layers named before and after the first given name.

use lstm_tui::model::graph::{Call, NamedInput};
use lstm_tui::model::layers::{Add, Dense};
use lstm_tui::model::{Convention, Design, Dtype, Input, Layer, Shape, Summary};

/// A Dense(8) with the given name, or an automatic one.
fn dense(name: Option<&str>) -> Layer {
    Layer::Dense(Dense {
        units: 8,
        name: name.map(str::to_string),
        ..Dense::default()
    })
}

/// A design on an (8,) input of `layers`, ending with an Add of the tensors `add` names.
fn graph(mut layers: Vec<Layer>, add: &[&str]) -> Design {
    layers.push(Layer::Add(Add::default()));
    let at = layers.len() - 1;
    let mut design = Design {
        input: Input {
            shape: Shape::known(&[8]),
            ..Design::example().input
        },
        layers,
        ..Design::example()
    };
    design.graph.wiring.insert(at, Call::on(add));
    design
}

#[test]
fn an_automatic_name_an_earlier_layer_was_given_is_refused_at_the_later_layer() {
    // The first Dense takes `dense_1` by name; the third is named `dense_1` automatically (the
    // second is `dense`), as Keras numbers only the layers without a name.
    let layers = vec![dense(Some("dense_1")), dense(None), dense(None)];
    let summary = Summary::of(&graph(layers, &["dense", "dense_1"]), Convention::Keras);
    let error = summary.error.expect("Keras refuses a name used twice");
    assert_eq!(error.index, 2);
    assert_eq!(error.name, "dense_1");
    let text = error.to_string();
    assert!(
        text.contains("layer 1 is already named `dense_1`"),
        "{text}"
    );
}

#[test]
fn a_layer_may_not_take_a_model_inputs_name() {
    let mut design = graph(
        vec![dense(None), dense(Some("tokens"))],
        &["dense", "tokens"],
    );
    design.graph.inputs.push(NamedInput {
        name: Some("tokens".into()),
        shape: Shape::known(&[8]),
        dtype: Dtype::Float32,
    });
    let error = Summary::of(&design, Convention::Keras)
        .error
        .expect("Keras refuses a layer named as an input");
    assert_eq!(error.index, 1);
    assert!(
        error.to_string().contains("the name of a model input"),
        "{error}"
    );
}

#[test]
fn references_find_layers_named_before_and_after_the_first_given_name() {
    // Twenty automatic layers, then a named one: the Add refers to the first layer, far
    // behind it, and to the named one.
    let mut layers: Vec<Layer> = (0..20).map(|_| dense(None)).collect();
    layers.push(dense(Some("projection")));
    let summary = Summary::of(&graph(layers, &["dense", "projection"]), Convention::Keras);
    assert!(summary.is_ok(), "{:?}", summary.error);
    let add = summary.row_of(21).expect("the Add has a row");
    let links: Vec<String> = summary
        .connected_to(add)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(links, ["dense[0][0]", "projection[0][0]"]);
}
