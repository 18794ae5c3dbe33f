//! What lstm-tui says when it refuses a model Keras refuses: the layer, and a fix that names
//! what to change. (The refusals themselves are checked against real Keras by the fixtures in
//! tests/fixtures/keras.)

use lstm_tui::model::layers::{
    Bidirectional, Dense, Dropout, Lstm, MaxPooling1D, SpatialDropout1D,
};
use lstm_tui::model::{Convention, Design, Input, Layer, Shape, ShapeError, Summary};

fn failure(shape: &[u64], layers: Vec<Layer>) -> ShapeError {
    let design = Design {
        input: Input {
            shape: Shape::known(shape),
            ..Design::example().input
        },
        layers,
        ..Design::example()
    };
    Summary::of(&design, Convention::Keras)
        .error
        .expect("Keras refuses this model")
}

fn dense(name: Option<&str>) -> Layer {
    Layer::Dense(Dense {
        units: 4,
        name: name.map(str::to_string),
        ..Dense::default()
    })
}

#[test]
fn a_repeated_name_is_refused_at_the_second_layer_with_the_first_named() {
    let e = failure(&[6], vec![dense(None), dense(Some("dense"))]);
    assert_eq!(e.index, 1);
    let text = e.to_string();
    // The first layer, numbered as the designer's list numbers it.
    assert!(text.contains("layer 1 is already named"), "{text}");
    assert!(text.contains("unique"), "{text}");
}

#[test]
fn the_input_layer_name_is_taken() {
    let e = failure(&[6], vec![dense(Some("input_layer"))]);
    assert_eq!(e.index, 0);
    assert!(e.to_string().contains("input layer"), "{e}");
}

#[test]
fn a_list_is_refused_where_one_tensor_is_needed_with_the_layer_that_made_it() {
    let state = Layer::Lstm(Lstm {
        units: 8,
        return_state: true,
        ..Lstm::default()
    });
    let e = failure(
        &[5, 4],
        vec![state, Layer::Dropout(Dropout::default()), dense(None)],
    );
    assert_eq!(e.index, 2);
    assert!(
        e.error
            .fix()
            .is_some_and(|f| f.contains("return_state=False on lstm")),
        "{e}"
    );

    let separate = Layer::Bidirectional(Bidirectional {
        merge_mode: None,
        ..Bidirectional::default()
    });
    let e = failure(
        &[5, 4],
        vec![separate, Layer::Dropout(Dropout::default()), dense(None)],
    );
    assert_eq!(e.index, 2);
    assert!(
        e.error
            .fix()
            .is_some_and(|f| f.contains("merge_mode on bidirectional")),
        "{e}"
    );
}

#[test]
fn states_of_a_wrapped_layer_are_fixed_on_the_wrapped_layer() {
    let wrapped = Layer::Bidirectional(Bidirectional {
        layer: Box::new(Layer::Lstm(Lstm {
            units: 4,
            return_state: true,
            ..Lstm::default()
        })),
        ..Bidirectional::default()
    });
    let e = failure(&[5, 4], vec![wrapped, dense(None)]);
    assert_eq!(e.index, 1);
    assert!(
        e.error
            .fix()
            .is_some_and(|f| f.contains("return_state=False on the layer bidirectional wraps")),
        "{e}"
    );
}

#[test]
fn a_pool_longer_than_its_input_is_refused_with_the_fix() {
    let e = failure(
        &[5, 4],
        vec![Layer::MaxPooling1D(MaxPooling1D {
            pool_size: 7,
            ..MaxPooling1D::default()
        })],
    );
    assert!(e.to_string().contains("zero or negative"), "{e}");
    assert!(
        e.error.fix().is_some_and(|f| f.contains("pool_size")),
        "{e}"
    );
}

/// Keras raises TypeError for `SpatialDropout1D(0.5, trainable=False)`: it takes no such
/// argument (a constructor error, so no fixture can hold it).
#[test]
fn spatial_dropout_takes_no_trainable_flag() {
    let e = failure(
        &[5, 4],
        vec![Layer::SpatialDropout1D(SpatialDropout1D {
            trainable: false,
            ..SpatialDropout1D::default()
        })],
    );
    assert!(e.to_string().contains("trainable"), "{e}");
}
