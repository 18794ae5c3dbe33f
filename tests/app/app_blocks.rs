//! Ready blocks from the picker: listed after the kinds with their count here, their sizes
//! asked once, inserted as one undo step with the last layer selected. Totals are Keras' own,
//! read from tests/fixtures/keras_blocks.

use std::fs;

use crate::common::{press, render, screen};
use lstm_tui::app::{App, Mode};
use lstm_tui::model::design::VERSION;
use lstm_tui::model::graph::{Block, Graph};
use lstm_tui::model::{Budget, Convention, Design, Dtype, Input, Layer, Shape};
use serde_json::Value;

/// What real Keras recorded for a block fixture.
fn fixture(name: &str) -> Value {
    let path = format!("tests/fixtures/keras_blocks/{name}.json");
    serde_json::from_str(&fs::read_to_string(&path).expect("readable")).expect("JSON")
}

/// A new design on one input of this shape, no layers yet.
fn blank(shape: &[u64]) -> App {
    App::new(
        Design {
            version: VERSION,
            name: "blocks".into(),
            input: Input {
                shape: Shape::known(shape),
                dtype: Dtype::Float32,
            },
            layers: Vec::new(),
            budget: Budget::default(),
            graph: Box::new(Graph::default()),
        },
        Convention::Keras,
    )
}

#[test]
fn the_picker_lists_blocks_with_their_count_here() {
    let keras = fixture("transformer_encoder");
    let mut app = blank(&[10, 16]);
    press(&mut app, "a transformer");
    let Mode::Picker(picker) = &app.mode else {
        panic!("the picker is open");
    };
    let blocks: Vec<Block> = picker.blocks.iter().map(|b| b.block).collect();
    assert_eq!(blocks, [Block::Encoder, Block::Decoder]);
    let (_, params) = picker.blocks[0]
        .here
        .clone()
        .expect("the encoder fits here");
    assert_eq!(Some(params), keras["expected"]["total"].as_u64());
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("Blocks"), "{text}");
    assert!(text.contains("Transformer encoder"), "{text}");
    assert!(
        text.contains("MultiHeadAttention → Add"),
        "the preview says what it inserts: {text}"
    );
}

#[test]
fn a_block_spelled_from_its_start_is_highlighted_before_a_class_that_contains_the_filter() {
    let mut app = blank(&[10, 16]);
    // RandomElasticTransform contains "transf"; the Transformer encoder starts with it.
    press(&mut app, "a t r a n s f");
    let Mode::Picker(picker) = &app.mode else {
        panic!("the picker is open");
    };
    let kinds: Vec<&str> = picker.matches().iter().map(|l| l.kind().class()).collect();
    assert_eq!(kinds, ["RandomElasticTransform"]);
    press(&mut app, "<enter>");
    assert!(matches!(app.mode, Mode::Block(_)), "{:?}", app.mode);
    // A class that starts with the filter still comes first.
    let mut app = blank(&[10, 16]);
    press(&mut app, "a d e n <enter>");
    assert!(matches!(app.design.layers.last(), Some(Layer::Dense(_))));
}

#[test]
fn an_encoder_block_is_one_undo_step_with_its_last_layer_selected() {
    let keras = fixture("transformer_encoder");
    let mut app = blank(&[10, 16]);
    press(&mut app, "a transformer <enter>");
    let Mode::Block(form) = &app.mode else {
        panic!("the sizes are asked: {:?}", app.mode);
    };
    let texts: Vec<&str> = form.fields.iter().map(|f| f.text()).collect();
    // Defaults from the (10, 16) input: its width, two heads sharing it, ff four times as wide.
    assert_eq!(texts, ["16", "2", "8", "64", "0"]);
    press(&mut app, "<enter>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.design.layers.len(), 7);
    assert_eq!(app.total(), keras["expected"]["total"].as_u64());
    assert_eq!(app.selected, 7, "the block's last layer is selected");
    press(&mut app, "u");
    assert!(
        app.design.layers.is_empty(),
        "one undo takes the whole block"
    );
    assert!(app.design.graph.is_chain());
}

#[test]
fn sizes_typed_in_the_form_are_used_and_bad_ones_are_refused_in_place() {
    let keras = fixture("transformer_encoder_dropout_projection");
    let mut app = blank(&[10, 12]);
    press(&mut app, "a transformer <enter>");
    // width 16 (a projection from 12), 4 heads of 4, ff 32, dropout 0.1.
    press(&mut app, "16 <tab> 0 <enter>");
    let Mode::Block(form) = &app.mode else {
        panic!("a zero head count is refused: {:?}", app.mode);
    };
    assert_eq!(form.index, 1);
    assert!(
        form.error
            .as_ref()
            .is_some_and(|(_, e)| e.contains("num_heads"))
    );
    press(&mut app, "<bs> 4 <tab> 4 <tab> 32 <tab> 0.1 <enter>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.total(), keras["expected"]["total"].as_u64());
}

#[test]
fn a_block_that_cannot_start_here_is_not_offered_a_form() {
    // Conv2D branches need an image; a flat input cannot start an inception block.
    let mut app = blank(&[16]);
    press(&mut app, "a inception");
    let Mode::Picker(picker) = &app.mode else {
        panic!("the picker is open");
    };
    assert!(picker.blocks[0].here.is_err());
    press(&mut app, "<enter>");
    assert!(matches!(app.mode, Mode::Picker(_)));
    assert!(app.design.layers.is_empty());
}

#[test]
fn a_kind_added_after_a_block_gets_a_name_of_its_own() {
    // The block's layers carry their names (dense, dense_1, ...); a Dense added after them
    // must not take `dense` again, which Keras would refuse.
    let mut app = blank(&[10, 16]);
    press(&mut app, "a transformer <enter> <enter>");
    press(&mut app, "a globalav <enter> a den <enter>");
    assert_eq!(app.design.layers.len(), 9);
    assert!(app.summary.error.is_none(), "{:?}", app.summary.error);
    assert!(app.total().is_some());
}
