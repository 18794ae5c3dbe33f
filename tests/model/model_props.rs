//! Random stacks with sizes up to u64::MAX: `Summary::of` never panics, every count equals a
//! u128 computation from Keras' documented formulas written here (not taken from the model),
//! and overflow is an error exactly when the true count does not fit in 64 bits.

use std::sync::atomic::{AtomicU32, Ordering};

use lstm_tui::model::design::VERSION;
use lstm_tui::model::layers::{Conv1D, Dense, Embedding, Gru, Lstm, Padding, SimpleRnn};
use lstm_tui::model::{
    Budget, Convention, Design, Dtype, Input, Layer, LayerError, Shape, Summary,
};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};

/// Sizes from tiny to the edge of u64; mostly small, so most stacks build and their rows are
/// compared, while enough are huge that overflow is reached too.
fn size() -> impl Strategy<Value = u64> {
    prop_oneof![
        28 => 1u64..=512,
        2 => (1u64 << 20)..=(1u64 << 40),
        1 => (1u64 << 60)..=u64::MAX,
        1 => Just(u64::MAX),
    ]
}

fn layer() -> impl Strategy<Value = Layer> {
    prop_oneof![
        (size(), any::<bool>()).prop_map(|(units, use_bias)| Layer::Dense(Dense {
            units,
            use_bias,
            ..Dense::default()
        })),
        (size(), any::<bool>(), any::<bool>()).prop_map(|(units, use_bias, seq)| Layer::Lstm(
            Lstm {
                units,
                use_bias,
                return_sequences: seq,
                ..Lstm::default()
            }
        )),
        (size(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
            |(units, use_bias, seq, reset_after)| Layer::Gru(Gru {
                units,
                use_bias,
                return_sequences: seq,
                reset_after,
                ..Gru::default()
            })
        ),
        (size(), any::<bool>(), any::<bool>()).prop_map(|(units, use_bias, seq)| {
            Layer::SimpleRnn(SimpleRnn {
                units,
                use_bias,
                return_sequences: seq,
                ..SimpleRnn::default()
            })
        }),
        (size(), 1u64..=5, 1u64..=3, any::<bool>(), any::<bool>()).prop_map(
            |(filters, kernel_size, strides, same, use_bias)| Layer::Conv1D(Conv1D {
                filters,
                kernel_size,
                strides,
                padding: if same { Padding::Same } else { Padding::Valid },
                use_bias,
                ..Conv1D::default()
            })
        ),
        (size(), size()).prop_map(|(input_dim, output_dim)| Layer::Embedding(Embedding {
            input_dim,
            output_dim,
            ..Embedding::default()
        })),
    ]
}

/// What Keras would report for the stack.
#[derive(Debug, PartialEq)]
enum Expect {
    /// Builds; per-layer counts.
    Counts(Vec<u128>),
    /// Layer `i` does not fit the shape it receives.
    Shape(usize),
    /// Layer `i`'s count, or the running total at layer `i`, exceeds u64.
    Overflow(usize),
}

/// The independent model: shapes as dims after the batch, counts from the formulas in Keras'
/// documentation, all in u128.
fn expect(input: &[u64], layers: &[Layer]) -> Expect {
    let mut dims: Vec<u128> = input.iter().map(|&d| u128::from(d)).collect();
    let mut counts = Vec::new();
    let mut total: u128 = 0;
    for (i, layer) in layers.iter().enumerate() {
        let last = *dims.last().unwrap_or(&0);
        let count: Option<u128> = match layer {
            Layer::Dense(d) => {
                let u = u128::from(d.units);
                let out = last
                    .checked_mul(u)
                    .and_then(|w| w.checked_add(if d.use_bias { u } else { 0 }));
                dims = [&dims[..dims.len() - 1], &[u]].concat();
                out
            }
            Layer::Lstm(_) | Layer::Gru(_) | Layer::SimpleRnn(_) => {
                if dims.len() != 2 {
                    return Expect::Shape(i);
                }
                let (h, bias, seq, gates, biases) = match layer {
                    Layer::Lstm(l) => (l.units, l.use_bias, l.return_sequences, 4u128, 1u128),
                    Layer::Gru(g) => (
                        g.units,
                        g.use_bias,
                        g.return_sequences,
                        3,
                        if g.reset_after { 2 } else { 1 },
                    ),
                    Layer::SimpleRnn(s) => (s.units, s.use_bias, s.return_sequences, 1, 1),
                    _ => unreachable!(),
                };
                let h = u128::from(h);
                // gates × (h × (i + h) + biases × h)
                let out = (|| {
                    let w = h.checked_mul(last.checked_add(h)?)?;
                    let b = if bias { biases.checked_mul(h)? } else { 0 };
                    gates.checked_mul(w.checked_add(b)?)
                })();
                dims = if seq { vec![dims[0], h] } else { vec![h] };
                out
            }
            Layer::Conv1D(c) => {
                if dims.len() != 2 {
                    return Expect::Shape(i);
                }
                let (t, k, s) = (dims[0], u128::from(c.kernel_size), u128::from(c.strides));
                let len = match c.padding {
                    Padding::Valid if t < k => return Expect::Shape(i),
                    Padding::Valid => (t - k) / s + 1,
                    _ => t.div_ceil(s),
                };
                let f = u128::from(c.filters);
                // kernel_size × in_channels × filters + filters
                let out = k
                    .checked_mul(last)
                    .and_then(|w| w.checked_mul(f))
                    .and_then(|w| w.checked_add(if c.use_bias { f } else { 0 }));
                dims = vec![len, f];
                out
            }
            Layer::Embedding(e) => {
                let out = u128::from(e.input_dim).checked_mul(u128::from(e.output_dim));
                dims.push(u128::from(e.output_dim));
                out
            }
            _ => unreachable!(),
        };
        let count = count.unwrap_or(u128::MAX);
        if count > u128::from(u64::MAX) {
            return Expect::Overflow(i);
        }
        total += count;
        if total > u128::from(u64::MAX) {
            return Expect::Overflow(i);
        }
        counts.push(count);
    }
    Expect::Counts(counts)
}

fn observe(summary: &Summary) -> Expect {
    match &summary.error {
        Some(e) if e.error == LayerError::Overflow => Expect::Overflow(e.index),
        Some(e) => Expect::Shape(e.index),
        None => Expect::Counts(
            summary
                .rows
                .iter()
                .map(|r| r.params.total().map_or(u128::MAX, u128::from))
                .collect(),
        ),
    }
}

/// The size a layer is built with (units, filters or output_dim).
fn width(layer: &Layer) -> u64 {
    match layer {
        Layer::Dense(d) => d.units,
        Layer::Lstm(l) => l.units,
        Layer::Gru(g) => g.units,
        Layer::SimpleRnn(s) => s.units,
        Layer::Conv1D(c) => c.filters,
        Layer::Embedding(e) => e.output_dim,
        _ => 1,
    }
}

/// `layers` with each recurrent or Conv1D layer that would receive anything but (timesteps,
/// features) replaced by a Dense of its width, so most stacks build and reach the per-row
/// comparison; the sizes still reach u64::MAX, so some overflow.
fn mostly_buildable(layers: Vec<Layer>) -> Vec<Layer> {
    let mut rank = 2;
    layers
        .into_iter()
        .map(|layer| {
            let needs_sequence = matches!(
                layer,
                Layer::Lstm(_) | Layer::Gru(_) | Layer::SimpleRnn(_) | Layer::Conv1D(_)
            );
            let layer = if needs_sequence && rank != 2 {
                Layer::Dense(Dense {
                    units: width(&layer),
                    ..Dense::default()
                })
            } else {
                layer
            };
            rank = match &layer {
                Layer::Lstm(Lstm {
                    return_sequences, ..
                })
                | Layer::Gru(Gru {
                    return_sequences, ..
                })
                | Layer::SimpleRnn(SimpleRnn {
                    return_sequences, ..
                }) => {
                    if *return_sequences {
                        2
                    } else {
                        1
                    }
                }
                Layer::Conv1D(_) => 2,
                Layer::Embedding(_) => rank + 1,
                _ => rank,
            };
            layer
        })
        .collect()
}

/// One random stack checked against the formulas; what Keras would report for it.
fn check_stack(timesteps: u64, features: u64, layers: Vec<Layer>) -> Result<Expect, TestCaseError> {
    let design = Design {
        version: VERSION,
        name: "prop".into(),
        input: Input {
            shape: Shape::known(&[timesteps, features]),
            dtype: Dtype::Float32,
        },
        layers,
        budget: Budget::default(),
        graph: Default::default(),
    };
    let summary = Summary::of(&design, Convention::Keras);
    let want = expect(&[timesteps, features], &design.layers);
    prop_assert_eq!(&observe(&summary), &want);
    if summary.is_ok() {
        let sum: u128 = summary
            .rows
            .iter()
            .map(|r| u128::from(r.params.trainable))
            .sum();
        prop_assert_eq!(summary.totals.total().map(u128::from).ok(), Some(sum));
    }
    // The other convention and every explanation must not panic either.
    let _ = Summary::of(&design, Convention::PyTorch);
    for (row, layer) in summary.rows.iter().zip(&design.layers) {
        let _ = layer.kind().explain(&row.input, Convention::Keras);
        let _ = layer.kind().explain(&row.input, Convention::PyTorch);
    }
    Ok(want)
}

#[test]
fn counts_match_keras_formulas_in_u128() {
    let cases = 512;
    let config = ProptestConfig {
        source_file: Some(file!()),
        ..ProptestConfig::with_cases(cases)
    };
    // How many stacks built (every row compared), overflowed, and failed on a shape.
    let outcomes = [AtomicU32::new(0), AtomicU32::new(0), AtomicU32::new(0)];
    let stacks = (
        1u64..=64,
        size(),
        prop::collection::vec(layer(), 1..8).prop_map(mostly_buildable),
    );
    let result = TestRunner::new(config).run(&stacks, |(timesteps, features, layers)| {
        let kind = match check_stack(timesteps, features, layers)? {
            Expect::Counts(_) => 0,
            Expect::Overflow(_) => 1,
            Expect::Shape(_) => 2,
        };
        outcomes[kind].fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // A stack that does not build is compared only by where it fails: most must build, or
    // the per-row counts go unchecked; and overflow must still be reached.
    let [built, overflowed, shape] = outcomes.map(AtomicU32::into_inner);
    assert!(
        built * 2 > cases && overflowed > 0,
        "of {cases} random stacks {built} built, {overflowed} overflowed, {shape} failed on a shape"
    );
}

#[test]
fn two_to_the_forty_units_overflow_instead_of_wrapping() {
    let huge = 1u64 << 40;
    let design = Design {
        version: VERSION,
        name: "huge".into(),
        input: Input {
            shape: Shape::known(&[10, huge]),
            dtype: Dtype::Float32,
        },
        layers: vec![Layer::Dense(Dense {
            units: huge,
            ..Dense::default()
        })],
        budget: Budget::default(),
        graph: Default::default(),
    };
    let summary = Summary::of(&design, Convention::Keras);
    assert_eq!(summary.error.map(|e| e.error), Some(LayerError::Overflow));
}

#[test]
fn zero_units_is_a_field_error() {
    let design = Design {
        version: VERSION,
        name: "zero".into(),
        input: Input {
            shape: Shape::known(&[10, 6]),
            dtype: Dtype::Float32,
        },
        layers: vec![Layer::Lstm(Lstm {
            units: 0,
            ..Lstm::default()
        })],
        budget: Budget::default(),
        graph: Default::default(),
    };
    let summary = Summary::of(&design, Convention::Keras);
    assert!(matches!(
        summary.error.map(|e| e.error),
        Some(LayerError::Field(r)) if r.field == "units"
    ));
}
