//! A transformer classifier from `n` with ready blocks from the picker, in a real terminal
//! (tmux): two encoder blocks at their default sizes, pooling and a softmax head. The total on
//! screen and in the saved file must be the one real Keras printed for the same model
//! (tests/fixtures/keras_blocks/transformer_classifier_two_blocks.json); every key is counted.

use crate::e2e_design::Keys;
use crate::{check, common};
use common::needs::Need;
use common::tmux::Session;
use libtest_mimic::Trial;
use lstm_tui::model::explain::thousands;
use lstm_tui::model::{Convention, Summary};

/// Most keys the job may take.
const KEY_BUDGET: usize = 60;

/// Keras' total for the model, from its fixture.
fn keras_total() -> u64 {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/keras_blocks/transformer_classifier_two_blocks.json"
    );
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON");
    fixture["expected"]["total"].as_u64().expect("a total")
}

/// Adds an encoder block after the selection at its default sizes.
fn encoder_block(k: &mut Keys<'_>, s: &Session) {
    k.press(&["a"]);
    k.text("transf");
    s.wait_for(&["Blocks", "Transformer encoder"]);
    k.press(&["Enter"]);
    s.wait_for(&["num_heads", "ff_units"]);
    k.press(&["Enter"]);
    s.wait_gone("ff_units");
}

fn a_two_block_transformer_classifier_from_n_matches_keras() {
    let want = thousands(keras_total());
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::designer("blocks", dir.path(), 80, 24);
    s.wait_for(&["59,910"]);
    let mut k = Keys {
        session: &s,
        count: 0,
    };
    // The input: 16 steps of 32 features.
    k.press(&["n"]);
    s.wait_for(&["Edit the input", "shape"]);
    k.text("(16,32)");
    k.press(&["Enter"]);
    s.wait_for(&["no layers yet"]);
    encoder_block(&mut k, &s);
    s.wait_for(&["layer_normalization_1"]);
    encoder_block(&mut k, &s);
    s.wait_for(&["layer_normalization_3"]);
    // Pooling over the steps, then Dense(4, softmax).
    k.press(&["a"]);
    k.text("globalav");
    k.press(&["Enter"]);
    s.wait_for(&["GlobalAveragePool", "global_average_pooling1d"]);
    k.press(&["a"]);
    k.text("den");
    k.press(&["Enter"]);
    s.wait_for(&["dense_4 (Dense)"]);
    k.press(&["Enter"]);
    s.wait_for(&["units"]);
    k.text("4");
    k.press(&["Tab"]);
    k.text("softmax");
    k.press(&["Enter"]);
    s.wait_for(&["(None, 4)", &want]);
    k.press(&["C-s"]);
    s.wait_for(&["Save as"]);
    k.text("tfc");
    k.press(&["Enter"]);
    s.wait_for(&["saved tfc"]);
    println!("the job took {} keys", k.count);
    assert!(
        k.count <= KEY_BUDGET,
        "the job took {} keys, more than {KEY_BUDGET}",
        k.count
    );
    let text =
        std::fs::read_to_string(dir.path().join("designs/tfc.ron")).expect("the design is saved");
    let design = lstm_tui::store::parse_design(&text).expect("the saved design reads back");
    let saved = Summary::of(&design, Convention::Keras).totals.total().ok();
    assert_eq!(saved, Some(keras_total()), "saved:\n{text}");
}

pub fn checks() -> Vec<Trial> {
    let tmux = Need::tmux();
    common::needs::listed(
        module_path!(),
        include_str!("e2e_blocks.rs"),
        vec![check!(
            tmux,
            a_two_block_transformer_classifier_from_n_matches_keras
        )],
    )
}
