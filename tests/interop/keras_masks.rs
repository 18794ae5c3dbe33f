//! Which layers take the mask of an `Embedding(mask_zero=True)` and which hand it on: every
//! model in tests/fixtures/keras_masks summarizes with the rows and "Connected to" entries
//! real Keras printed.

use crate::keras_graph::{check_keras_json, each_fixture_in};

#[test]
fn masks_reach_the_layers_keras_hands_them_to() {
    each_fixture_in("tests/fixtures/keras_masks", check_keras_json);
}
