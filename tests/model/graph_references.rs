//! References in a graph design whose names are all automatic: each names the layer it
//! should however far back it points, exactly as when every name is written out.

use lstm_tui::model::design::VERSION;
use lstm_tui::model::graph::{Call, SharedCall};
use lstm_tui::model::layers::{Add, Dense};
use lstm_tui::model::{Budget, Convention, Design, Dtype, Input, Layer, Shape, Summary};

/// Keras' automatic name of the `i`-th layer of a class.
fn auto(base: &str, i: usize) -> String {
    match i {
        0 => base.to_string(),
        i => format!("{base}_{i}"),
    }
}

/// `blocks` residual blocks on an (8,) input, no name given: Dense(8), then an Add of that
/// Dense and a tensor further back with every block: the model input in even blocks, the
/// first Dense in odd ones.
fn long_skips(blocks: usize) -> Design {
    let mut design = Design {
        version: VERSION,
        name: "skips".into(),
        input: Input {
            shape: Shape::known(&[8]),
            dtype: Dtype::Float32,
        },
        layers: Vec::new(),
        budget: Budget::default(),
        graph: Default::default(),
    };
    for i in 0..blocks {
        design.layers.push(Layer::Dense(Dense {
            units: 8,
            ..Dense::default()
        }));
        design.layers.push(Layer::Add(Add::default()));
        let dense = auto("dense", i);
        design
            .graph
            .wiring
            .insert(2 * i + 1, Call::on(&[skip(i), dense.as_str()]));
    }
    design
}

/// What block `i`'s Add takes besides its Dense.
fn skip(i: usize) -> &'static str {
    if i % 2 == 0 { "input_layer" } else { "dense" }
}

/// A row's "Connected to" entries as Keras prints them.
fn links(summary: &Summary, layer: usize) -> Vec<String> {
    let row = summary.row_of(layer).expect("the layer has a row");
    summary
        .connected_to(row)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_reference_finds_its_layer_however_far_back() {
    let blocks = 40;
    let summary = Summary::of(&long_skips(blocks), Convention::Keras);
    assert!(summary.is_ok(), "{:?}", summary.error);
    for i in 0..blocks {
        let dense_from = match i {
            0 => "input_layer".to_string(),
            i => auto("add", i - 1),
        };
        assert_eq!(links(&summary, 2 * i), [format!("{dense_from}[0][0]")]);
        assert_eq!(
            links(&summary, 2 * i + 1),
            [
                format!("{}[0][0]", skip(i)),
                format!("{}[0][0]", auto("dense", i))
            ],
            "block {i}"
        );
    }
}

#[test]
fn written_out_names_give_the_same_summary() {
    let blocks = 30;
    let unnamed = long_skips(blocks);
    let mut named = unnamed.clone();
    named.graph.input_name = Some("input_layer".into());
    for (i, layer) in named.layers.iter_mut().enumerate() {
        match layer {
            Layer::Dense(d) => d.name = Some(auto("dense", i / 2)),
            Layer::Add(a) => a.name = Some(auto("add", i / 2)),
            _ => unreachable!("the blocks hold Dense and Add layers"),
        }
    }
    let a = Summary::of(&unnamed, Convention::Keras);
    let b = Summary::of(&named, Convention::Keras);
    assert!(a.is_ok() && b.is_ok());
    assert_eq!(a.rows.len(), 1 + 2 * blocks);
    for layer in 0..2 * blocks {
        assert_eq!(a.row_of(layer), b.row_of(layer), "layer {layer}");
        assert_eq!(links(&a, layer), links(&b, layer), "layer {layer}");
    }
}

#[test]
fn a_shared_call_finds_a_layer_far_back() {
    let blocks = 20;
    let mut design = long_skips(blocks);
    // The first Dense called again, on the input, at the end of the list of calls.
    design.graph.shared.push(SharedCall {
        layer: "dense".into(),
        after: 2 * blocks - 1,
        call: Call::on(&["input_layer"]),
    });
    design.graph.outputs = vec![auto("add", blocks - 1), "dense@1".into()];
    let summary = Summary::of(&design, Convention::Keras);
    assert!(summary.is_ok(), "{:?}", summary.error);
    assert_eq!(
        links(&summary, 0),
        ["input_layer[0][0]", "input_layer[0][0]"]
    );
}

#[test]
fn a_reference_to_no_layer_is_refused_at_its_call() {
    let mut design = long_skips(25);
    design
        .graph
        .wiring
        .insert(45, Call::on(&["dense", "dense_99"]));
    let summary = Summary::of(&design, Convention::Keras);
    let error = summary.error.expect("dense_99 names nothing");
    assert_eq!(error.index, 45);
    assert!(
        error
            .to_string()
            .contains("`dense_99` names no input or layer"),
        "{error}"
    );
}
