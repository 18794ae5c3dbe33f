//! Which widths a graph ties together, on the functional models recorded from Keras: operands of
//! an element-wise merge share a width through the layers that keep one, a model input pins
//! its group, and `Concatenate` ties nothing.

use std::fs;
use std::path::Path;

use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::ties::{Role, Ties};
use lstm_tui::model::{Convention, Design, layer_names};
use serde_json::Value;

/// The design Keras' own JSON of the fixture `name` (in tests/fixtures/keras_graph/) imports to.
pub(crate) fn graph_design(name: &str) -> Design {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_graph")
        .join(format!("{name}.json"));
    let fixture: Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("readable")).expect("fixture JSON");
    let text = serde_json::to_string(&fixture["keras_json"]).expect("JSON");
    design_from_keras_json(&text)
        .map(|mut d| {
            d.name = name.to_string();
            d
        })
        .expect("the fixture imports")
}

/// The position of the layer Keras calls `name`.
pub(crate) fn index_of(design: &Design, name: &str) -> usize {
    layer_names(&design.layers)
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no layer {name}"))
}

/// Every group of two or more layers tied together, by name, with whether it is pinned.
fn tied_groups(design: &Design) -> Vec<(Vec<String>, bool)> {
    let names = layer_names(&design.layers);
    let ties = Ties::for_design(design, Convention::Keras);
    let mut out: Vec<(Vec<String>, bool)> = ties
        .groups()
        .iter()
        .filter(|g| g.layers.len() > 1)
        .map(|g| {
            let mut n: Vec<String> = g.layers.iter().map(|&i| names[i].clone()).collect();
            n.sort();
            (n, g.pinned.is_some())
        })
        .collect();
    out.sort();
    out
}

fn group(names: &[&str], pinned: bool) -> (Vec<String>, bool) {
    (names.iter().map(|s| (*s).to_string()).collect(), pinned)
}

#[test]
fn a_residual_onto_the_input_pins_the_last_dense_of_the_block() {
    let d = graph_design("residual_dense_block");
    let ties = Ties::for_design(&d, Convention::Keras);
    let pinned = ties.group_of(index_of(&d, "dense_1")).expect("a width");
    assert!(
        pinned
            .pinned
            .as_deref()
            .is_some_and(|p| p.contains("features") && p.contains("32")),
        "{pinned:?}"
    );
    let dense = index_of(&d, "dense");
    assert_eq!(ties.moving_with(dense), Ok(vec![dense]));
    assert!(
        ties.group_of(index_of(&d, "dense_2"))
            .is_some_and(|g| g.output)
    );
}

#[test]
fn a_projection_shortcut_ties_the_two_branches() {
    let d = graph_design("residual_dense_projection");
    assert_eq!(tied_groups(&d), vec![group(&["dense_1", "dense_2"], false)]);
    let ties = Ties::for_design(&d, Convention::Keras);
    let (d1, d2) = (index_of(&d, "dense_1"), index_of(&d, "dense_2"));
    assert_eq!(ties.moving_with(d1), Ok(vec![d1, d2]));
    assert_eq!(ties.moving_with(d2), Ok(vec![d2, d1]));
}

#[test]
fn residual_conv_blocks_tie_through_activations_and_pooling() {
    let d = graph_design("residual_conv1d_blocks");
    assert_eq!(
        tied_groups(&d),
        vec![
            group(&["conv1d", "conv1d_2", "conv1d_4"], false),
            group(&["conv1d_5", "conv1d_6"], false),
        ]
    );
}

#[test]
fn a_transformer_block_ties_embeddings_attention_output_and_feed_forward_projection() {
    let d = graph_design("transformer_encoder_block");
    assert_eq!(
        tied_groups(&d),
        vec![group(&["dense_1", "embedding", "embedding_1"], false)]
    );
    let ties = Ties::for_design(&d, Convention::Keras);
    assert_eq!(ties.role(index_of(&d, "multi_head_attention")), Role::Inner);
    let dense = index_of(&d, "dense");
    assert_eq!(ties.moving_with(dense), Ok(vec![dense]));
}

#[test]
fn residual_recurrent_layers_on_the_input_width_cannot_move() {
    let d = graph_design("residual_lstm_stack");
    assert_eq!(tied_groups(&d), vec![group(&["lstm", "lstm_1"], true)]);
    let ties = Ties::for_design(&d, Convention::Keras);
    let why = ties.moving_with(index_of(&d, "lstm_1")).unwrap_err();
    assert!(
        why.contains("`sequence`") && why.contains("16 wide"),
        "{why}"
    );
    let last = index_of(&d, "lstm_2");
    assert_eq!(ties.moving_with(last), Ok(vec![last]));
}

#[test]
fn a_dot_along_both_last_axes_ties_its_operands() {
    let d = graph_design("dot_cosine_similarity");
    assert_eq!(tied_groups(&d), vec![group(&["dense", "dense_1"], false)]);
}

#[test]
fn concatenate_ties_nothing() {
    for name in ["concatenate_last_axis", "inception_block_conv2d"] {
        let d = graph_design(name);
        assert_eq!(tied_groups(&d), Vec::new(), "{name}");
        let ties = Ties::for_design(&d, Convention::Keras);
        for i in 0..d.layers.len() {
            if ties.group_of(i).is_some_and(|g| !g.output) {
                assert_eq!(ties.moving_with(i), Ok(vec![i]), "{name} layer {i}");
            }
        }
    }
}

#[test]
fn an_attention_output_shape_cuts_the_tie_to_the_query() {
    let d = graph_design("mha_value_dim_and_output_shape");
    let ties = Ties::for_design(&d, Convention::Keras);
    let mha = (0..d.layers.len())
        .find(|&i| d.layers[i].kind().class() == "MultiHeadAttention")
        .expect("an attention layer");
    assert_eq!(ties.role(mha), Role::Inner);
    assert_eq!(tied_groups(&d), Vec::new());
}

#[test]
fn a_chain_has_no_ties() {
    let d = Design::example();
    let ties = Ties::for_design(&d, Convention::Keras);
    assert!(ties.groups().is_empty());
    assert_eq!(ties.moving_with(0), Ok(vec![0]));
}
