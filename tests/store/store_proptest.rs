//! Random designs (any field values, any text in names) save and load back equal, and saving
//! again gives the same text.

use lstm_tui::model::layers::{KnobValue, Regularizer};
use lstm_tui::model::{Budget, Design, Dtype, Input, Layer, Shape};
use lstm_tui::store::{parse_design, to_ron};
use proptest::prelude::*;

fn float() -> impl Strategy<Value = f64> {
    prop::num::f64::POSITIVE | prop::num::f64::NEGATIVE | prop::num::f64::ZERO
}

fn regularizer() -> impl Strategy<Value = Option<Regularizer>> {
    prop_oneof![
        Just(None),
        float().prop_map(|x| Some(Regularizer::L1(x))),
        float().prop_map(|x| Some(Regularizer::L2(x))),
        (float(), float()).prop_map(|(l1, l2)| Some(Regularizer::L1L2 { l1, l2 })),
    ]
}

/// A layer of any kind with random fields, its texts drawn from the regex `text`.
pub(crate) fn layer(text: &'static str) -> impl Strategy<Value = Layer> {
    (
        0..Layer::catalogue().len(),
        any::<u64>(),
        float(),
        any::<bool>(),
        any::<bool>(),
        text,
        proptest::option::of(text),
        regularizer(),
    )
        .prop_map(|(kind, units, rate, flag, trainable, text, name, reg)| {
            let mut layer = Layer::catalogue().swap_remove(kind);
            match &mut layer {
                Layer::Dense(l) => {
                    (l.units, l.use_bias, l.activation, l.name) = (units, flag, text, name);
                    (l.kernel_regularizer, l.trainable) = (reg, trainable);
                }
                Layer::Lstm(l) => {
                    (l.units, l.return_sequences, l.activation, l.name) = (units, flag, text, name);
                    (l.recurrent_regularizer, l.dropout, l.trainable) = (reg, rate, trainable);
                }
                Layer::Gru(l) => {
                    (l.units, l.reset_after, l.recurrent_activation) = (units, flag, text);
                    (l.bias_regularizer, l.recurrent_dropout, l.name) = (reg, rate, name);
                }
                Layer::SimpleRnn(l) => {
                    (l.units, l.go_backwards, l.activation, l.name) = (units, flag, text, name);
                    l.kernel_regularizer = reg;
                }
                Layer::Dropout(l) => (l.rate, l.name, l.trainable) = (rate, name, trainable),
                Layer::SpatialDropout1D(l) => (l.rate, l.name) = (rate, name),
                Layer::Activation(l) => (l.activation, l.name) = (text, name),
                // The other kinds: their main size and name, through the common interface.
                other => {
                    other.kind_mut().set_knob(KnobValue::Count(units));
                    other.kind_mut().set_name(name);
                }
            }
            layer
        })
}

/// A design with random fields and layers, its texts drawn from the regex `text`.
pub(crate) fn design(text: &'static str) -> impl Strategy<Value = Design> {
    (
        text,
        prop::collection::vec(proptest::option::of(any::<u64>()), 0..4),
        any::<bool>(),
        prop::collection::vec(layer(text), 0..8),
        proptest::option::of(any::<u64>()),
    )
        .prop_map(|(name, dims, ints, layers, params)| Design {
            version: 1,
            name,
            input: Input {
                shape: Shape(dims.into()),
                dtype: if ints { Dtype::Int32 } else { Dtype::Float32 },
            },
            layers,
            budget: Budget {
                params,
                ..Budget::default()
            },
            graph: Default::default(),
        })
}

proptest! {
    #[test]
    fn any_design_round_trips(design in design(".*")) {
        let text = to_ron(&design);
        let back = parse_design(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &design);
        prop_assert_eq!(to_ron(&back), text);
    }
}
