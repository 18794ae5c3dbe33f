//! Memory estimates against values worked out by hand from the example's shapes and counts.

use lstm_tui::model::Precision;
use lstm_tui::model::layers::{Dense, Layer};
use lstm_tui::model::memory::{
    ACTIVATIONS_ASSUMPTION, Optimizer, TRAINING_ASSUMPTIONS, activation_bytes, activation_elements,
    format_bytes, param_bytes, training,
};
use lstm_tui::model::{Convention, Design, LayerError, Shape, Summary};

/// The example's outputs per sample: (100, 64) twice (LSTM, Dropout), then 64, 64, 64, 6.
const EXAMPLE_OUTPUT_ELEMENTS: u64 = 100 * 64 + 100 * 64 + 64 + 64 + 64 + 6;
/// Keras' total for the example (fixture-checked elsewhere).
const EXAMPLE_PARAMS: u64 = 59_910;

#[test]
fn bytes_are_formatted_1024_based_with_binary_labels() {
    assert_eq!(format_bytes(0), "0 B");
    assert_eq!(format_bytes(1023), "1023 B");
    assert_eq!(format_bytes(1024), "1.00 KiB");
    assert_eq!(format_bytes(1536), "1.50 KiB");
    assert_eq!(format_bytes(1024 * 1024), "1.00 MiB");
    assert_eq!(format_bytes(5 * 1024 * 1024 * 1024 / 2), "2.50 GiB");
    // 59,910 × 4 bytes = 239,640 = 234.0234... KiB (Keras prints the same number as "KB").
    assert_eq!(format_bytes(239_640), "234.02 KiB");
    assert_eq!(format_bytes(u64::MAX), "16.00 EiB");
}

#[test]
fn parameter_memory_follows_the_precision() {
    for (p, bytes) in [
        (Precision::Fp32, 4),
        (Precision::Fp16, 2),
        (Precision::Bf16, 2),
        (Precision::Int8, 1),
    ] {
        assert_eq!(param_bytes(EXAMPLE_PARAMS, p), Ok(EXAMPLE_PARAMS * bytes));
    }
    assert_eq!(
        param_bytes(u64::MAX, Precision::Fp16),
        Err(LayerError::Overflow)
    );
}

#[test]
fn activations_sum_every_output_per_sample_and_per_batch() {
    let s = Summary::of(&Design::example(), Convention::Keras);
    assert_eq!(activation_elements(&s), Ok(EXAMPLE_OUTPUT_ELEMENTS));
    assert_eq!(
        activation_bytes(&s, Precision::Fp32, 1),
        Ok(EXAMPLE_OUTPUT_ELEMENTS * 4)
    );
    assert_eq!(
        activation_bytes(&s, Precision::Fp16, 32),
        Ok(EXAMPLE_OUTPUT_ELEMENTS * 2 * 32)
    );
}

#[test]
fn an_open_sequence_length_has_no_activation_figure() {
    let mut d = Design::example();
    d.input.shape = Shape(vec![None, Some(6)].into());
    let s = Summary::of(&d, Convention::Keras);
    assert!(activation_elements(&s).is_err());
}

#[test]
fn adam_keeps_four_copies_of_the_weights_plus_activations() {
    let s = Summary::of(&Design::example(), Convention::Keras);
    let t = training(&s, Optimizer::Adam, Precision::Fp32, 32).unwrap();
    let weights = EXAMPLE_PARAMS * 4;
    let acts = EXAMPLE_OUTPUT_ELEMENTS * 4 * 32;
    assert_eq!(t.weights, weights);
    assert_eq!(t.gradients, weights);
    assert_eq!(t.optimizer_state, 2 * weights);
    assert_eq!(t.activations, acts);
    assert_eq!(t.total, 4 * weights + acts);
}

#[test]
fn sgd_keeps_weights_and_gradients_and_momentum_if_chosen() {
    let s = Summary::of(&Design::example(), Convention::Keras);
    let weights = EXAMPLE_PARAMS * 2;
    let acts = EXAMPLE_OUTPUT_ELEMENTS * 2 * 8;
    let plain = training(&s, Optimizer::Sgd, Precision::Fp16, 8).unwrap();
    assert_eq!(plain.total, 2 * weights + acts);
    let momentum = training(&s, Optimizer::SgdMomentum, Precision::Fp16, 8).unwrap();
    assert_eq!(momentum.total, 3 * weights + acts);
}

#[test]
fn frozen_weights_need_no_gradients_or_optimiser_state() {
    let mut d = Design::example();
    // The last Dense(6) on 64 features: 64 × 6 + 6 = 390 parameters, frozen.
    d.layers[5] = Layer::Dense(Dense {
        units: 6,
        trainable: false,
        ..Dense::default()
    });
    let s = Summary::of(&d, Convention::Keras);
    let t = training(&s, Optimizer::Adam, Precision::Fp32, 1).unwrap();
    assert_eq!(t.weights, EXAMPLE_PARAMS * 4);
    assert_eq!(t.gradients, (EXAMPLE_PARAMS - 390) * 4);
    assert_eq!(t.optimizer_state, 2 * (EXAMPLE_PARAMS - 390) * 4);
}

#[test]
fn the_assumptions_are_stated() {
    assert!(ACTIVATIONS_ASSUMPTION.contains("estimate"));
    assert!(ACTIVATIONS_ASSUMPTION.contains("backpropagation"));
    assert!(TRAINING_ASSUMPTIONS.contains("Adam"));
    assert!(TRAINING_ASSUMPTIONS.contains("SGD"));
    assert!(TRAINING_ASSUMPTIONS.contains("gradient"));
}

#[test]
fn the_report_states_every_estimate_for_the_example() {
    use lstm_tui::model::memory::report;
    // Worked by hand: 59,910 parameters × 4 B = 239,640 B = 234.02 KiB. Outputs per sample:
    // 100·64 (lstm) + 100·64 (dropout) + 64 + 64 + 64 + 6 = 12,998 values × 4 B = 51,992 B
    // = 50.77 KiB; a batch of 32 is 1,663,744 B = 1.59 MiB. Adam: 4 × 239,640 + 1,663,744 =
    // 2,622,304 B = 2.50 MiB; SGD: 2 × 239,640 + 1,663,744 = 2.04 MiB; with momentum
    // 3 × 239,640 + 1,663,744 = 2.27 MiB.
    let d = lstm_tui::model::Design::example();
    let s = lstm_tui::model::Summary::of(&d, lstm_tui::model::Convention::Keras);
    let lines = report(&s, lstm_tui::model::Precision::Fp32, 32);
    assert_eq!(
        lines,
        vec![
            "Parameters (fp32): 234.02 KiB".to_string(),
            "Activations (fp32): 50.77 KiB per sample, 1.59 MiB for a batch of 32".to_string(),
            "Training, batch 32 (fp32): Adam 2.50 MiB · SGD 2.04 MiB · SGD with momentum 2.27 MiB"
                .to_string(),
        ]
    );
}
