//! MACs per sample for every layer kind, each expected value written out from the formula in
//! the convention (weight products only; × timesteps for recurrent layers), never taken from
//! the library. Where the PyTorch fixtures give real input and output shapes, the formula is
//! fed from those shapes.

use std::path::Path;

use lstm_tui::model::compute::{MACS_CONVENTION, Tally, explain_macs, flops, macs};
use lstm_tui::model::layers::{
    Activation, ActivityRegularization, AlphaDropout, AveragePooling1D, BatchNormalization,
    Bidirectional, Conv1D, Conv2D, ConvLstm1D, ConvLstm2D, DataFormat, Dense, Dropout, Elu,
    Embedding, Flatten, GaussianDropout, GaussianNoise, GlobalAveragePooling1D, GlobalMaxPooling1D,
    Gru, Identity, LayerNormalization, LeakyRelu, Lstm, Masking, MaxPooling1D, MaxPooling2D,
    MergeMode, Padding, Permute, Prelu, Relu, RepeatVector, Rescaling, Reshape, SimpleRnn, Softmax,
    SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, TimeDistributed,
};
use lstm_tui::model::layers::{
    AdditiveAttention, Attention, CallOptions, GroupQueryAttention, MultiHeadAttention, ScoreMode,
};
use lstm_tui::model::layers::{
    AugMix, AutoContrast, RandAugment, RandomColorJitter, RandomElasticTransform, RandomErasing,
    RandomGaussianBlur, RandomPerspective, RandomShear, Solarization,
};
use lstm_tui::model::layers::{
    CenterCrop, CutMix, MixUp, RandomBrightness, RandomColorDegeneration, RandomContrast,
    RandomCrop, RandomFlip, RandomGrayscale, RandomHue, RandomInvert, RandomPosterization,
    RandomRotation, RandomSaturation, RandomSharpness, RandomTranslation, RandomZoom, Resizing,
};
use lstm_tui::model::layers::{
    Conv1DTranspose, Conv2DTranspose, Conv3D, Conv3DTranspose, ConvLstm3D, DepthwiseConv1D,
    DepthwiseConv2D, SeparableConv1D, SeparableConv2D,
};
use lstm_tui::model::layers::{MelSpectrogram, StftMode, StftSpectrogram};
use lstm_tui::model::{Convention, Design, Layer, LayerError, Shape, Summary};
use serde_json::Value;

/// The layer's MACs on `input` (dims without the batch; `None` = open).
fn count(layer: &Layer, input: &[Option<u64>]) -> Result<u64, LayerError> {
    let input = Shape(input.into());
    let out = layer.kind().output(&input).expect("layer builds");
    macs(layer.kind(), &input, &out)
}

fn k(dims: &[u64]) -> Vec<Option<u64>> {
    dims.iter().map(|&d| Some(d)).collect()
}

fn lstm(units: u64, seq: bool) -> Layer {
    Layer::Lstm(Lstm {
        units,
        return_sequences: seq,
        ..Lstm::default()
    })
}

fn dense(units: u64) -> Layer {
    Layer::Dense(Dense {
        units,
        ..Dense::default()
    })
}

#[test]
fn lstm_64_on_100_by_6_is_the_issue_example() {
    // timesteps × gates × units × (features + units)
    assert_eq!(
        count(&lstm(64, true), &k(&[100, 6])),
        Ok(100 * 4 * 64 * (6 + 64))
    );
    assert_eq!(count(&lstm(64, true), &k(&[100, 6])), Ok(1_792_000));
    // return_sequences does not change the work done.
    assert_eq!(count(&lstm(64, false), &k(&[100, 6])), Ok(1_792_000));
}

#[test]
fn gru_and_simple_rnn_follow_the_gate_count() {
    for reset_after in [true, false] {
        let gru = Layer::Gru(Gru {
            units: 32,
            reset_after,
            ..Gru::default()
        });
        assert_eq!(count(&gru, &k(&[50, 10])), Ok(50 * 3 * 32 * (10 + 32)));
    }
    let rnn = Layer::SimpleRnn(SimpleRnn {
        units: 16,
        ..SimpleRnn::default()
    });
    assert_eq!(count(&rnn, &k(&[20, 8])), Ok(20 * 16 * (8 + 16)));
    let no_bias = Layer::Lstm(Lstm {
        units: 8,
        use_bias: false,
        ..Lstm::default()
    });
    assert_eq!(count(&no_bias, &k(&[5, 3])), Ok(5 * 4 * 8 * (3 + 8)));
}

#[test]
fn dense_counts_inputs_times_units_at_every_position() {
    assert_eq!(count(&dense(10), &k(&[64])), Ok(64 * 10));
    assert_eq!(count(&dense(10), &k(&[100, 64])), Ok(100 * 64 * 10));
    assert_eq!(count(&dense(3), &k(&[4, 5, 8])), Ok(4 * 5 * 8 * 3));
    let no_bias = Layer::Dense(Dense {
        units: 7,
        use_bias: false,
        ..Dense::default()
    });
    assert_eq!(count(&no_bias, &k(&[9])), Ok(9 * 7));
}

#[test]
fn convolutions_count_window_times_filters_times_output_positions() {
    let same = Layer::Conv1D(Conv1D {
        filters: 16,
        kernel_size: 3,
        padding: Padding::Same,
        ..Conv1D::default()
    });
    assert_eq!(count(&same, &k(&[50, 6])), Ok(50 * 16 * 3 * 6));
    // valid: 50 - 3 + 1 = 48 positions
    let valid = Layer::Conv1D(Conv1D {
        filters: 16,
        kernel_size: 3,
        ..Conv1D::default()
    });
    assert_eq!(count(&valid, &k(&[50, 6])), Ok(48 * 16 * 3 * 6));
    // groups=4 over 8 channels: 2 channels per filter; stride 2: (40 - 5) / 2 + 1 = 18
    let grouped = Layer::Conv1D(Conv1D {
        filters: 16,
        kernel_size: 5,
        strides: 2,
        groups: 4,
        ..Conv1D::default()
    });
    assert_eq!(count(&grouped, &k(&[40, 8])), Ok(18 * 16 * 5 * 2));
    // 28 - 3 + 1 = 26 on each axis
    let conv2d = Layer::Conv2D(Conv2D {
        filters: 8,
        kernel_size: [3, 3],
        ..Conv2D::default()
    });
    assert_eq!(count(&conv2d, &k(&[28, 28, 1])), Ok(26 * 26 * 8 * 3 * 3));
}

#[test]
fn conv_lstm_counts_both_convolutions_per_timestep() {
    // (10 timesteps, 20 steps, 2 channels), kernel 3 valid: 18 positions, 4 gates × 4 filters
    let one_d = Layer::ConvLstm1D(ConvLstm1D {
        filters: 4,
        kernel_size: 3,
        ..ConvLstm1D::default()
    });
    let per_step = 18 * (4 * 4) * 3 * 2 + 18 * (4 * 4) * 3 * 4;
    assert_eq!(count(&one_d, &k(&[10, 20, 2])), Ok(10 * per_step));
    let one_d_seq = Layer::ConvLstm1D(ConvLstm1D {
        filters: 4,
        kernel_size: 3,
        return_sequences: true,
        ..ConvLstm1D::default()
    });
    assert_eq!(count(&one_d_seq, &k(&[10, 20, 2])), Ok(10 * per_step));
    // (3 timesteps, 8 × 8 × 1), kernel 3 × 3 valid: 6 × 6 positions, 4 gates × 2 filters
    let two_d = Layer::ConvLstm2D(ConvLstm2D {
        filters: 2,
        kernel_size: [3, 3],
        ..ConvLstm2D::default()
    });
    let (channels, filters) = (1, 2);
    let per_step = 36 * (4 * filters) * 9 * channels + 36 * (4 * filters) * 9 * filters;
    assert_eq!(count(&two_d, &k(&[3, 8, 8, 1])), Ok(3 * per_step));
}

#[test]
fn conv3d_and_conv_lstm3d_count_like_their_lower_ranks() {
    // (8, 16, 16, 3), kernel 3 × 3 × 3 valid: 6 × 14 × 14 positions, 8 filters over 3 channels
    let conv3d = Layer::Conv3D(Conv3D {
        filters: 8,
        kernel_size: [3, 3, 3],
        ..Conv3D::default()
    });
    assert_eq!(
        count(&conv3d, &k(&[8, 16, 16, 3])),
        Ok(6 * 14 * 14 * 8 * 27 * 3)
    );
    // groups=4 over 8 channels: each filter sees 2; 2 × 2 × 2 valid on 5 × 5 × 5: 4 × 4 × 4
    let grouped = Layer::Conv3D(Conv3D {
        filters: 8,
        kernel_size: [2, 2, 2],
        groups: 4,
        ..Conv3D::default()
    });
    assert_eq!(count(&grouped, &k(&[5, 5, 5, 8])), Ok(64 * 8 * 8 * 2));
    // (5 timesteps, 8 × 8 × 8 × 2), kernel 3³ same: 512 positions, 4 gates × 4 filters
    let lstm3d = Layer::ConvLstm3D(ConvLstm3D {
        filters: 4,
        kernel_size: [3, 3, 3],
        padding: Padding::Same,
        return_sequences: true,
        ..ConvLstm3D::default()
    });
    let per_step = 512 * (4 * 4) * 27 * 2 + 512 * (4 * 4) * 27 * 4;
    assert_eq!(count(&lstm3d, &k(&[5, 8, 8, 8, 2])), Ok(5 * per_step));
}

#[test]
fn transposed_convolutions_scatter_each_input_value_through_the_kernel() {
    // Every input position × kernel × input channels × filters, whatever the output grows to.
    let one_d = Layer::Conv1DTranspose(Conv1DTranspose {
        filters: 6,
        kernel_size: 4,
        strides: 2,
        padding: Padding::Same,
        ..Conv1DTranspose::default()
    });
    assert_eq!(count(&one_d, &k(&[22, 8])), Ok(22 * 4 * 8 * 6));
    let two_d = Layer::Conv2DTranspose(Conv2DTranspose {
        filters: 4,
        kernel_size: [4, 3],
        strides: [2, 1],
        ..Conv2DTranspose::default()
    });
    assert_eq!(count(&two_d, &k(&[7, 9, 5])), Ok(7 * 9 * 12 * 5 * 4));
    let three_d = Layer::Conv3DTranspose(Conv3DTranspose {
        filters: 3,
        kernel_size: [3, 3, 3],
        strides: [2, 2, 2],
        padding: Padding::Same,
        ..Conv3DTranspose::default()
    });
    assert_eq!(count(&three_d, &k(&[4, 4, 4, 2])), Ok(64 * 27 * 2 * 3));
}

#[test]
fn depthwise_and_separable_count_each_step_over_the_output_positions() {
    // DepthwiseConv1D k5, m3, stride 2 same on (38, 6): 19 positions, 6 × 3 windows of 5
    let dw1 = Layer::DepthwiseConv1D(DepthwiseConv1D {
        kernel_size: 5,
        strides: 2,
        padding: Padding::Same,
        depth_multiplier: 3,
        ..DepthwiseConv1D::default()
    });
    assert_eq!(count(&dw1, &k(&[38, 6])), Ok(19 * 5 * 6 * 3));
    // DepthwiseConv2D 3 × 3 valid on (10, 10, 4): 8 × 8 positions, 4 channels
    let dw2 = Layer::DepthwiseConv2D(DepthwiseConv2D {
        kernel_size: [3, 3],
        ..DepthwiseConv2D::default()
    });
    assert_eq!(count(&dw2, &k(&[10, 10, 4])), Ok(64 * 9 * 4));
    // SeparableConv1D k5 same, m2, 16 filters on (50, 8): depthwise then 16 × 16 pointwise
    let sep1 = Layer::SeparableConv1D(SeparableConv1D {
        filters: 16,
        kernel_size: 5,
        padding: Padding::Same,
        depth_multiplier: 2,
        ..SeparableConv1D::default()
    });
    assert_eq!(
        count(&sep1, &k(&[50, 8])),
        Ok(50 * 5 * 8 * 2 + 50 * (8 * 2) * 16)
    );
    // SeparableConv2D 3 × 3 valid, 16 filters on (12, 12, 3): 10 × 10 positions
    let sep2 = Layer::SeparableConv2D(SeparableConv2D {
        filters: 16,
        kernel_size: [3, 3],
        ..SeparableConv2D::default()
    });
    assert_eq!(
        count(&sep2, &k(&[12, 12, 3])),
        Ok(100 * 9 * 3 + 100 * 3 * 16)
    );
}

#[test]
fn wrappers_multiply_their_layer() {
    let bi = Layer::Bidirectional(Bidirectional {
        layer: Box::new(lstm(32, true)),
        merge_mode: Some(MergeMode::Concat),
        ..Bidirectional::default()
    });
    assert_eq!(count(&bi, &k(&[100, 6])), Ok(2 * 100 * 4 * 32 * (6 + 32)));
    let td = Layer::TimeDistributed(TimeDistributed {
        layer: Box::new(dense(10)),
        ..TimeDistributed::default()
    });
    assert_eq!(count(&td, &k(&[100, 64])), Ok(100 * 64 * 10));
    // A wrapped layer whose count reads its own output: a valid Conv1D on each timestep's
    // (20, 3) makes 20 - 5 + 1 = 16 positions of 4 filters.
    let td_conv = Layer::TimeDistributed(TimeDistributed {
        layer: Box::new(Layer::Conv1D(Conv1D {
            filters: 4,
            kernel_size: 5,
            ..Conv1D::default()
        })),
        ..TimeDistributed::default()
    });
    assert_eq!(count(&td_conv, &k(&[7, 20, 3])), Ok(7 * 16 * 4 * 5 * 3));
}

#[test]
fn layers_without_weight_products_count_zero() {
    let zero: Vec<(Layer, Vec<Option<u64>>)> = vec![
        (Layer::Dropout(Dropout::default()), k(&[100, 64])),
        (
            Layer::SpatialDropout1D(SpatialDropout1D::default()),
            k(&[100, 64]),
        ),
        (Layer::Activation(Activation::default()), k(&[64])),
        (Layer::MaxPooling1D(MaxPooling1D::default()), k(&[100, 64])),
        (
            Layer::MaxPooling2D(MaxPooling2D::default()),
            k(&[28, 28, 3]),
        ),
        (
            Layer::AveragePooling1D(AveragePooling1D::default()),
            k(&[100, 64]),
        ),
        (
            Layer::GlobalMaxPooling1D(GlobalMaxPooling1D::default()),
            k(&[100, 64]),
        ),
        (
            Layer::GlobalAveragePooling1D(GlobalAveragePooling1D::default()),
            k(&[100, 64]),
        ),
        (
            Layer::BatchNormalization(BatchNormalization::default()),
            k(&[100, 64]),
        ),
        (
            Layer::LayerNormalization(LayerNormalization::default()),
            k(&[100, 64]),
        ),
        (Layer::Embedding(Embedding::default()), k(&[100])),
        (Layer::Flatten(Flatten::default()), k(&[100, 64])),
        (Layer::RepeatVector(RepeatVector::default()), k(&[64])),
        (
            Layer::Reshape(Reshape {
                target_shape: vec![64, 100],
                ..Reshape::default()
            }),
            k(&[100, 64]),
        ),
    ];
    for (layer, input) in &zero {
        let class = layer.kind().class();
        assert_eq!(count(layer, input), Ok(0), "{class}");
        let shape = Shape(input.clone().into());
        let out = layer.kind().output(&shape).unwrap();
        let e = explain_macs(layer.kind(), &shape, &out).unwrap();
        assert_eq!(e.steps.last().map(|s| s.value), Some(0), "{class}");
        assert!(!e.notes.is_empty(), "{class} says why it has 0 MACs");
    }
}

/// Pooling, resizing and padding take maxima, means or copies: no weight products. Counted on
/// the shapes real Keras gave each layer in tests/fixtures/keras_layers, channels first too.
#[test]
fn pooling_resizing_and_padding_count_zero_on_keras_shapes() {
    let fixtures = [
        "average_pooling2d_variants",
        "pooling3d_variants",
        "global_average_pooling2d",
        "global_average_pooling3d_keepdims",
        "global_max_pooling2d_keepdims",
        "adaptive_pooling1d",
        "adaptive_pooling2d",
        "adaptive_pooling3d",
        "upsampling1d",
        "upsampling2d",
        "upsampling3d",
        "zero_padding1d",
        "zero_padding2d",
        "zero_padding3d",
        "cropping1d",
        "cropping2d",
        "cropping3d",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for stem in fixtures {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/keras_layers")
            .join(format!("{stem}.json"));
        let fx: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let design =
            lstm_tui::interop::keras_json::design_from_keras_json(&fx["keras_json"].to_string())
                .map(|mut d| {
                    d.name = stem.to_string();
                    d
                })
                .unwrap();
        let mut input: Vec<Option<u64>> = dims(&fx["input_shape"]).into_iter().map(Some).collect();
        for (layer, row) in design
            .layers
            .iter()
            .zip(fx["expected"]["rows"].as_array().unwrap())
        {
            let class = layer.kind().class();
            let next = row["output_shape"].as_array().unwrap()[1..]
                .iter()
                .map(Value::as_u64)
                .collect();
            if matches!(class, "Dense" | "Flatten") {
                input = next;
                continue;
            }
            assert_eq!(count(layer, &input), Ok(0), "{stem}: {class}");
            let shape = Shape(input.clone().into());
            let out = layer.kind().output(&shape).unwrap();
            let e = explain_macs(layer.kind(), &shape, &out).unwrap();
            assert_eq!(e.steps.last().map(|s| s.value), Some(0), "{stem}: {class}");
            assert!(!e.notes.is_empty(), "{class} says why it has 0 MACs");
            seen.insert(class);
            input = next;
        }
    }
    // global_max_pooling3d's fixture needs Conv3D first; its input is Conv3D's output there.
    let global = Layer::GlobalMaxPooling3D(Default::default());
    assert_eq!(count(&global, &k(&[2, 4, 4, 8])), Ok(0));
    seen.insert("GlobalMaxPooling3D");
    assert_eq!(seen.len(), 22, "{seen:?}");
}

/// Activations (PReLU's learned slopes included: an activation, not a weight product), noise,
/// masking and axis moves: element-wise or no arithmetic, so 0 MACs, each saying why.
#[test]
fn activation_noise_and_shape_layers_multiply_no_weights() {
    let image = k(&[6, 6, 8]);
    let zero = [
        Layer::Relu(Relu {
            max_value: Some(6.0),
            ..Relu::default()
        }),
        Layer::LeakyRelu(LeakyRelu::default()),
        Layer::Prelu(Prelu::default()),
        Layer::Elu(Elu::default()),
        Layer::Softmax(Softmax {
            axis: vec![1, 2],
            ..Softmax::default()
        }),
        Layer::SpatialDropout2D(SpatialDropout2D::default()),
        Layer::GaussianNoise(GaussianNoise::default()),
        Layer::GaussianDropout(GaussianDropout::default()),
        Layer::AlphaDropout(AlphaDropout::default()),
        Layer::ActivityRegularization(ActivityRegularization::default()),
        Layer::Permute(Permute {
            dims: vec![3, 1, 2],
            ..Permute::default()
        }),
        Layer::Masking(Masking::default()),
        Layer::Identity(Identity::default()),
        Layer::Rescaling(Rescaling::default()),
        Layer::RandomFlip(RandomFlip::default()),
        Layer::RandomRotation(RandomRotation::default()),
        Layer::RandomZoom(RandomZoom::default()),
        Layer::RandomTranslation(RandomTranslation::default()),
        Layer::RandomContrast(RandomContrast::default()),
        Layer::RandomBrightness(RandomBrightness::default()),
        Layer::RandomHue(RandomHue::default()),
        Layer::RandomSaturation(RandomSaturation::default()),
        Layer::RandomSharpness(RandomSharpness::default()),
        Layer::RandomInvert(RandomInvert::default()),
        Layer::RandomPosterization(RandomPosterization::default()),
        Layer::RandomGrayscale(RandomGrayscale::default()),
        Layer::MixUp(MixUp::default()),
        Layer::CutMix(CutMix::default()),
        Layer::RandomShear(RandomShear::default()),
        Layer::RandomPerspective(RandomPerspective::default()),
        Layer::RandomElasticTransform(RandomElasticTransform::default()),
        Layer::RandomErasing(RandomErasing::default()),
        Layer::RandomGaussianBlur(RandomGaussianBlur::default()),
        Layer::Solarization(Solarization::default()),
        Layer::RandomColorJitter(RandomColorJitter::default()),
        Layer::RandAugment(RandAugment::default()),
        Layer::AugMix(AugMix::default()),
        Layer::AutoContrast(AutoContrast::default()),
        Layer::Resizing(Resizing::default()),
        Layer::CenterCrop(CenterCrop::default()),
        Layer::RandomCrop(RandomCrop::default()),
    ];
    let volume = (
        Layer::SpatialDropout3D(SpatialDropout3D::default()),
        k(&[4, 4, 4, 2]),
    );
    // It blends RGB colours, so it builds on 3 channels only.
    let rgb = (
        Layer::RandomColorDegeneration(RandomColorDegeneration::default()),
        k(&[6, 6, 3]),
    );
    let cases = zero
        .into_iter()
        .map(|l| (l, image.clone()))
        .chain([volume, rgb]);
    for (layer, input) in cases {
        let class = layer.kind().class();
        assert_eq!(count(&layer, &input), Ok(0), "{class}");
        let shape = Shape(input.clone().into());
        let out = layer.kind().output(&shape).unwrap();
        let e = explain_macs(layer.kind(), &shape, &out).unwrap();
        assert_eq!(e.steps.last().map(|s| s.value), Some(0), "{class}");
        assert!(
            e.steps[0].what.contains("multiplies no weights") && e.notes.len() > 1,
            "{class} says why it has 0 MACs: {e:?}"
        );
    }
}

/// The kinds the tests above count; a new kind must get a hand-derived case here.
const COVERED: &[&str] = &[
    "Dense",
    "EinsumDense",
    "LSTM",
    "GRU",
    "SimpleRNN",
    "RNN",
    "Dropout",
    "SpatialDropout1D",
    "Activation",
    "Bidirectional",
    "TimeDistributed",
    "SpectralNormalization",
    "Conv1D",
    "Conv2D",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "Conv3D",
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
    "ConvLSTM3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "AveragePooling1D",
    "GlobalMaxPooling1D",
    "GlobalAveragePooling1D",
    "MaxPooling3D",
    "AveragePooling2D",
    "AveragePooling3D",
    "GlobalMaxPooling2D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling3D",
    "GlobalAveragePooling3D",
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "BatchNormalization",
    "LayerNormalization",
    "GroupNormalization",
    "RMSNormalization",
    "UnitNormalization",
    "Normalization",
    "Embedding",
    "ReversibleEmbedding",
    "CategoryEncoding",
    "Discretization",
    "Flatten",
    "RepeatVector",
    "Reshape",
    "ReLU",
    "LeakyReLU",
    "PReLU",
    "ELU",
    "Softmax",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "ActivityRegularization",
    "Permute",
    "Masking",
    "Identity",
    "Rescaling",
    "RandomFlip",
    "RandomRotation",
    "RandomZoom",
    "RandomTranslation",
    "RandomContrast",
    "RandomBrightness",
    "RandomHue",
    "RandomSaturation",
    "RandomSharpness",
    "RandomInvert",
    "RandomPosterization",
    "RandomColorDegeneration",
    "RandomGrayscale",
    "MixUp",
    "CutMix",
    "RandomShear",
    "RandomPerspective",
    "RandomElasticTransform",
    "RandomErasing",
    "RandomGaussianBlur",
    "Solarization",
    "RandomColorJitter",
    "RandAugment",
    "AugMix",
    "AutoContrast",
    "Resizing",
    "CenterCrop",
    "RandomCrop",
    "STFTSpectrogram",
    "MelSpectrogram",
    "MultiHeadAttention",
    "GroupQueryAttention",
    "Attention",
    "AdditiveAttention",
    "Add",
    "Subtract",
    "Multiply",
    "Average",
    "Maximum",
    "Minimum",
    "Concatenate",
    "Dot",
];

#[test]
fn stft_counts_each_kernel_over_every_frame_and_channel_and_mel_counts_zero() {
    // frame 128, step 64 on 1,600 samples: (1600 - 128) / 64 + 1 = 24 frames; a 128-sample
    // transform has 65 bins; real and imaginary kernels each take 128 × 65 per frame.
    let log = Layer::StftSpectrogram(StftSpectrogram {
        frame_length: 128,
        frame_step: Some(64),
        ..StftSpectrogram::default()
    });
    assert_eq!(count(&log, &k(&[1600, 1])), Ok(24 * 2 * 128 * 65));
    // Three channels through the same kernels; mode="real" makes only one kernel.
    // padding="same": ceil(1000 / 50) = 20 frames; fft 256 gives 129 bins.
    let real = Layer::StftSpectrogram(StftSpectrogram {
        mode: StftMode::Real,
        frame_length: 100,
        frame_step: Some(50),
        fft_length: Some(256),
        padding: Padding::Same,
        ..StftSpectrogram::default()
    });
    assert_eq!(count(&real, &k(&[1000, 3])), Ok(20 * 3 * 100 * 129));
    // channels_first: (channels, time).
    let first = Layer::StftSpectrogram(StftSpectrogram {
        frame_length: 64,
        data_format: DataFormat::ChannelsFirst,
        ..StftSpectrogram::default()
    });
    assert_eq!(
        count(&first, &k(&[2, 640])),
        Ok(((640 - 64) / 32 + 1) * 2 * 2 * 64 * 33)
    );
    assert!(count(&log, &[None, Some(1)]).is_err(), "open length");
    let mel = Layer::MelSpectrogram(MelSpectrogram::default());
    assert_eq!(count(&mel, &k(&[16000])), Ok(0));
}

#[test]
fn every_kind_in_the_catalogue_is_covered_by_this_file() {
    for layer in Layer::catalogue() {
        let class = layer.kind().class();
        assert!(COVERED.contains(&class), "{class} has no MAC test");
    }
}

#[test]
fn an_open_sequence_length_cannot_be_counted() {
    let e = count(&lstm(8, false), &[None, Some(6)]).unwrap_err();
    assert!(e.to_string().contains("sequence length"), "{e}");
    let td = Layer::TimeDistributed(TimeDistributed::default());
    assert!(count(&td, &[None, Some(6)]).is_err());
    assert!(count(&dense(4), &[None, Some(6)]).is_err());
    // A Dense on a plain feature vector needs no length.
    assert_eq!(count(&dense(4), &k(&[6])), Ok(24));
}

#[test]
fn huge_sizes_overflow_instead_of_wrapping() {
    let big = lstm(u64::MAX / 8, false);
    assert_eq!(count(&big, &k(&[100, 6])), Err(LayerError::Overflow));
    assert_eq!(flops(u64::MAX), Err(LayerError::Overflow));
}

#[test]
fn a_dense_layer_of_one_unit_is_explained_in_the_singular() {
    // Dense(1) ends most binary classifiers and regressions; "the 1 outputs" reads as a slip.
    let one = |units: u64, features: u64| {
        let layer = Layer::Dense(Dense {
            units,
            ..Dense::default()
        });
        let input = Shape::known(&[features]);
        let out = layer.kind().output(&input).unwrap();
        let params = layer.kind().explain(&input, Convention::Keras).unwrap();
        let macs = explain_macs(layer.kind(), &input, &out).unwrap();
        (params.steps[0].what.clone(), macs.steps[0].what.clone())
    };
    let (params, macs) = one(1, 64);
    assert_eq!(
        params,
        "the one output has a weight for each of the 64 input features"
    );
    assert_eq!(macs, "the one output sums 64 inputs times their weights");
    let (params, macs) = one(1, 1);
    assert_eq!(
        params,
        "the one output has a weight for the one input feature"
    );
    assert_eq!(macs, "the one output sums its one input times its weight");
    let (params, macs) = one(1_024, 64);
    assert_eq!(
        params,
        "every one of the 1,024 outputs has a weight for each of the 64 input features"
    );
    assert_eq!(
        macs,
        "each of the 1,024 outputs sums 64 inputs times their weights"
    );
}

#[test]
fn explanation_ends_on_the_count_and_names_the_timesteps() {
    let layer = lstm(64, true);
    let input = Shape::known(&[100, 6]);
    let out = layer.kind().output(&input).unwrap();
    let e = explain_macs(layer.kind(), &input, &out).unwrap();
    assert_eq!(e.steps.last().unwrap().value, 100 * 4 * 64 * (6 + 64));
    assert!(
        e.steps.iter().any(|s| s.what.contains("× 100 timesteps")),
        "{:?}",
        e.steps
    );
    assert!(e.notes.iter().any(|n| n.contains("not counted")));
    assert!(e.notes.iter().any(|n| n.contains("FLOPs")));

    let bi = Layer::Bidirectional(Bidirectional {
        layer: Box::new(lstm(32, false)),
        ..Bidirectional::default()
    });
    let out = bi.kind().output(&input).unwrap();
    let e = explain_macs(bi.kind(), &input, &out).unwrap();
    assert!(e.steps[0].what.starts_with("one direction: "));
    assert_eq!(e.steps.last().unwrap().value, 2 * 100 * 4 * 32 * (6 + 32));
}

#[test]
fn flops_are_twice_the_macs() {
    assert_eq!(flops(1_792_000), Ok(3_584_000));
}

#[test]
fn the_convention_text_says_what_is_and_is_not_counted() {
    for phrase in [
        "per sample",
        "Bias",
        "not counted",
        "sequence length",
        "FLOPs = 2 × MACs",
        "attention products",
    ] {
        assert!(MACS_CONVENTION.contains(phrase), "{phrase}");
    }
}

#[test]
fn the_example_summary_carries_each_rows_macs_and_their_total() {
    let s = Summary::of(&Design::example(), Convention::Keras);
    let expected = [
        100 * 4 * 64 * (6 + 64),
        0,
        100 * 4 * 64 * (64 + 64),
        64 * 64,
        64 * 64,
        64 * 6,
    ];
    let got: Vec<u64> = s.rows.iter().map(|r| r.macs.clone().unwrap()).collect();
    assert_eq!(got, expected);
    assert_eq!(s.macs, Ok(expected.iter().sum::<u64>()));
}

#[test]
fn an_open_length_makes_the_total_unknown_but_the_summary_still_builds() {
    let mut d = Design::example();
    d.input.shape = Shape(vec![None, Some(6)].into());
    let s = Summary::of(&d, Convention::Keras);
    assert!(s.is_ok());
    assert!(s.macs.is_err());
    // The Dense layers after the last LSTM see a plain vector and still count.
    assert_eq!(s.rows[3].macs, Ok(64 * 64));
}

// ---- PyTorch fixtures: real shapes feed the formula ----

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/torch")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn dims(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap())
        .collect()
}

fn cfg_u(cfg: &Value, key: &str) -> u64 {
    match &cfg[key] {
        Value::Array(a) => a[0].as_u64().unwrap(),
        v => v.as_u64().unwrap(),
    }
}

#[test]
fn linear_fixtures_feed_the_dense_formula() {
    for name in ["linear", "linear_no_bias_3d_input"] {
        let fx = fixture(name);
        let cfg = &fx["module"]["config"];
        let (i, o) = (cfg_u(cfg, "in_features"), cfg_u(cfg, "out_features"));
        let input = dims(&fx["input_shape"]);
        let output = dims(&fx["expected"]["output_shape"]);
        // Per sample: every position of the output (all axes but batch and features) holds
        // o sums of i products.
        let positions: u64 = output[1..output.len() - 1].iter().product();
        let layer = Layer::Dense(Dense {
            units: o,
            use_bias: cfg["bias"].as_bool().unwrap(),
            ..Dense::default()
        });
        let ours = Shape::known(&input[1..]);
        let out = layer.kind().output(&ours).unwrap();
        assert_eq!(out.single().unwrap(), &Shape::known(&output[1..]), "{name}");
        assert_eq!(
            macs(layer.kind(), &ours, &out),
            Ok(positions * i * o),
            "{name}"
        );
    }
}

#[test]
fn conv_fixtures_feed_the_convolution_formula() {
    for name in [
        "conv1d",
        "conv1d_groups_stride",
        "conv1d_no_bias_dilation",
        "conv2d",
    ] {
        let fx = fixture(name);
        let cfg = &fx["module"]["config"];
        let input = dims(&fx["input_shape"]);
        let output = dims(&fx["expected"]["output_shape"]);
        let (cin, cout, groups) = (
            cfg_u(cfg, "in_channels"),
            cfg_u(cfg, "out_channels"),
            cfg_u(cfg, "groups"),
        );
        let rank = input.len() - 2;
        let kernel: u64 = (0..rank)
            .map(|a| match &cfg["kernel_size"] {
                Value::Array(v) => v[a].as_u64().unwrap(),
                v => v.as_u64().unwrap(),
            })
            .product();
        // Per sample: each output value (channel × position) is a window of
        // kernel × in_channels / groups products; PyTorch's output is (N, C_out, positions...).
        let positions: u64 = output[2..].iter().product();
        let expected = cout * positions * kernel * (cin / groups);
        let padding = if cfg_u(cfg, "padding") == 0 {
            Padding::Valid
        } else {
            Padding::Same
        };
        let layer = if rank == 1 {
            Layer::Conv1D(Conv1D {
                filters: cout,
                kernel_size: cfg_u(cfg, "kernel_size"),
                strides: cfg_u(cfg, "stride"),
                dilation_rate: cfg_u(cfg, "dilation"),
                groups,
                padding,
                data_format: DataFormat::ChannelsFirst,
                ..Conv1D::default()
            })
        } else {
            let ks = cfg_u(cfg, "kernel_size");
            Layer::Conv2D(Conv2D {
                filters: cout,
                kernel_size: [ks, ks],
                groups,
                padding,
                data_format: DataFormat::ChannelsFirst,
                ..Conv2D::default()
            })
        };
        let ours = Shape::known(&input[1..]);
        let out = layer.kind().output(&ours).unwrap();
        assert_eq!(out.single().unwrap(), &Shape::known(&output[1..]), "{name}");
        assert_eq!(macs(layer.kind(), &ours, &out), Ok(expected), "{name}");
    }
}

#[test]
fn single_layer_rnn_fixtures_feed_the_recurrent_formula() {
    for (name, gates) in [
        ("lstm_i6_h64", 4),
        ("lstm_i6_h64_batch_first", 4),
        ("lstm_no_bias", 4),
        ("lstm_bidirectional", 4),
        ("gru_i6_h64", 3),
        ("gru_no_bias", 3),
        ("rnn_tanh", 1),
    ] {
        let fx = fixture(name);
        let cfg = &fx["module"]["config"];
        let input = dims(&fx["input_shape"]);
        let (i, h) = (cfg_u(cfg, "input_size"), cfg_u(cfg, "hidden_size"));
        let batch_first = cfg["batch_first"].as_bool().unwrap();
        let directions = if cfg["bidirectional"].as_bool().unwrap() {
            2
        } else {
            1
        };
        let t = if batch_first { input[1] } else { input[0] };
        // Per sample: each direction runs every gate's (i + h) × h product once per timestep.
        let expected = directions * t * gates * h * (i + h);
        let bias = cfg["bias"].as_bool().unwrap();
        let one = match gates {
            4 => Layer::Lstm(Lstm {
                units: h,
                use_bias: bias,
                return_sequences: true,
                ..Lstm::default()
            }),
            3 => Layer::Gru(Gru {
                units: h,
                use_bias: bias,
                return_sequences: true,
                ..Gru::default()
            }),
            _ => Layer::SimpleRnn(SimpleRnn {
                units: h,
                use_bias: bias,
                return_sequences: true,
                ..SimpleRnn::default()
            }),
        };
        let layer = if directions == 2 {
            Layer::Bidirectional(Bidirectional {
                layer: Box::new(one),
                ..Bidirectional::default()
            })
        } else {
            one
        };
        let ours = Shape::known(&[t, i]);
        let out = layer.kind().output(&ours).unwrap();
        let output = dims(&fx["expected"]["output_shape"]);
        assert_eq!(
            out.single().unwrap().last(),
            Some(output.last().copied()),
            "{name}"
        );
        assert_eq!(macs(layer.kind(), &ours, &out), Ok(expected), "{name}");
    }
}

// ---- random stacks against the formulas in u128 ----

mod random_stacks {
    use lstm_tui::model::layers::{Conv1D, Dense, Dropout, Gru, Layer, Lstm, Padding};
    use lstm_tui::model::{Convention, Design, Shape, Summary};
    use proptest::prelude::*;

    /// A layer that keeps the time axis, its size, and (for Conv1D) its kernel.
    #[derive(Debug, Clone, Copy)]
    enum Spec {
        Dense(u64),
        Lstm(u64),
        Gru(u64),
        Conv1D(u64, u64),
        Dropout,
    }

    /// (MACs, output features) on `t` timesteps of `f` features.
    fn formula(s: Spec, t: u128, f: u128) -> (u128, u128) {
        match s {
            Spec::Dense(u) => (t * f * u128::from(u), u128::from(u)),
            Spec::Lstm(h) => {
                let h = u128::from(h);
                (t * 4 * h * (f + h), h)
            }
            Spec::Gru(h) => {
                let h = u128::from(h);
                (t * 3 * h * (f + h), h)
            }
            Spec::Conv1D(c, k) => (t * u128::from(c) * u128::from(k) * f, u128::from(c)),
            Spec::Dropout => (0, f),
        }
    }

    fn layer(s: Spec) -> Layer {
        match s {
            Spec::Dense(units) => Layer::Dense(Dense {
                units,
                ..Dense::default()
            }),
            Spec::Lstm(units) => Layer::Lstm(Lstm {
                units,
                return_sequences: true,
                ..Lstm::default()
            }),
            Spec::Gru(units) => Layer::Gru(Gru {
                units,
                return_sequences: true,
                ..Gru::default()
            }),
            Spec::Conv1D(filters, kernel_size) => Layer::Conv1D(Conv1D {
                filters,
                kernel_size,
                padding: Padding::Same,
                ..Conv1D::default()
            }),
            Spec::Dropout => Layer::Dropout(Dropout::default()),
        }
    }

    fn spec() -> impl Strategy<Value = Spec> {
        prop_oneof![
            (1u64..300).prop_map(Spec::Dense),
            (1u64..300).prop_map(Spec::Lstm),
            (1u64..300).prop_map(Spec::Gru),
            (1u64..300, 1u64..9).prop_map(|(c, k)| Spec::Conv1D(c, k)),
            Just(Spec::Dropout),
        ]
    }

    proptest! {
        #[test]
        fn summary_macs_match_the_formulas(
            t in 1u64..500,
            f in 1u64..300,
            specs in proptest::collection::vec(spec(), 1..8),
        ) {
            let mut d = Design::example();
            d.input.shape = Shape::known(&[t, f]);
            d.layers = specs.iter().map(|&s| layer(s)).collect();
            let summary = Summary::of(&d, Convention::Keras);
            prop_assert!(summary.is_ok());
            let (mut total, mut features) = (0u128, u128::from(f));
            for (row, &s) in summary.rows.iter().zip(&specs) {
                let (m, out) = formula(s, u128::from(t), features);
                prop_assert_eq!(row.macs.clone().map(u128::from), Ok(m));
                total += m;
                features = out;
            }
            prop_assert_eq!(summary.macs.clone().map(u128::from), Ok(total));
        }
    }
}

#[test]
fn einsum_cells_and_spectral_normalization_count_their_weight_products() {
    use lstm_tui::model::layers::{EinsumDense, Rnn, RnnCell, SpectralNormalization};
    let einsum = |equation: &str, output_shape: &[u64], bias: Option<&str>| {
        Layer::EinsumDense(EinsumDense {
            equation: equation.into(),
            output_shape: output_shape.iter().map(|&d| Some(d)).collect(),
            bias_axes: bias.map(str::to_string),
            ..EinsumDense::default()
        })
    };
    // Output positions × the sizes of the letters summed over (c; then b and c).
    assert_eq!(
        count(&einsum("abc,cd->abd", &[12, 16], Some("d")), &k(&[12, 8])),
        Ok(12 * 16 * 8)
    );
    assert_eq!(
        count(&einsum("abc,bcd->ad", &[3], None), &k(&[12, 6])),
        Ok(3 * 12 * 6)
    );
    let cell = |units: u64| Lstm {
        units,
        ..Lstm::default()
    };
    let rnn = |cell: RnnCell| {
        Layer::Rnn(Rnn {
            cell,
            ..Rnn::default()
        })
    };
    // As LSTM: timesteps × gates × units × (features + units).
    assert_eq!(
        count(&rnn(RnnCell::Lstm(cell(16))), &k(&[20, 8])),
        Ok(20 * 4 * 16 * (8 + 16))
    );
    // A stack: each cell reads the one before at every timestep.
    assert_eq!(
        count(
            &rnn(RnnCell::Stacked(vec![
                RnnCell::Lstm(cell(16)),
                RnnCell::Lstm(cell(8))
            ])),
            &k(&[10, 6])
        ),
        Ok(10 * 4 * 16 * (6 + 16) + 10 * 4 * 8 * (16 + 8))
    );
    let spectral = Layer::SpectralNormalization(SpectralNormalization {
        layer: Box::new(dense(16)),
        ..SpectralNormalization::default()
    });
    assert_eq!(count(&spectral, &k(&[20])), Ok(20 * 16));
}

#[test]
fn new_normalizations_encodings_and_reversible_embeddings_count_zero() {
    use lstm_tui::model::layers::{
        BinOutput, CategoryEncoding, Discretization, GroupNormalization, Normalization,
        ReversibleEmbedding, RmsNormalization, UnitNormalization,
    };
    let zero: Vec<(Layer, Vec<Option<u64>>)> = vec![
        (
            Layer::GroupNormalization(GroupNormalization {
                groups: 8,
                ..GroupNormalization::default()
            }),
            k(&[16, 16, 32]),
        ),
        (
            Layer::RmsNormalization(RmsNormalization::default()),
            k(&[10, 16]),
        ),
        (
            Layer::UnitNormalization(UnitNormalization::default()),
            k(&[10, 16]),
        ),
        (Layer::Normalization(Normalization::default()), k(&[5, 6])),
        (
            Layer::CategoryEncoding(CategoryEncoding::default()),
            k(&[5]),
        ),
        (
            Layer::ReversibleEmbedding(ReversibleEmbedding::default()),
            k(&[20]),
        ),
        (Layer::Discretization(Discretization::default()), k(&[5, 3])),
        (
            Layer::Discretization(Discretization {
                output_mode: BinOutput::Count,
                ..Discretization::default()
            }),
            k(&[5, 3]),
        ),
    ];
    for (layer, input) in &zero {
        let class = layer.kind().class();
        assert_eq!(count(layer, input), Ok(0), "{class}");
        let shape = Shape(input.clone().into());
        let out = layer.kind().output(&shape).unwrap();
        let e = explain_macs(layer.kind(), &shape, &out).unwrap();
        assert!(!e.notes.is_empty(), "{class} says why it has 0 MACs");
    }
}
/// An attention layer's MACs on these tensors (query, value[, key]; dims without the batch).
fn attention_count(layer: &Layer, inputs: &[&[u64]]) -> Result<u64, LayerError> {
    let inputs: Vec<Shape> = inputs.iter().map(|d| Shape::known(d)).collect();
    let multi = layer.kind().multi().expect("takes several tensors");
    let out = multi
        .output(&inputs, CallOptions::default())
        .expect("layer builds");
    multi.macs(&inputs, &out, &mut Tally::count())
}

fn mha(num_heads: u64, key_dim: u64) -> MultiHeadAttention {
    MultiHeadAttention {
        num_heads,
        key_dim,
        ..MultiHeadAttention::default()
    }
}

#[test]
fn multi_head_attention_counts_its_projections_and_both_attention_products() {
    // Self-attention over 64 steps of 32 features, 2 heads of 32 (transformer_encoder_block):
    // query, key and value projections L × d × h × key_dim, scores and weighted sum
    // Lq × Lk × h × key_dim, output projection L × h × value_dim × d.
    let (l, d, h, kd) = (64, 32, 2, 32);
    assert_eq!(
        attention_count(&Layer::MultiHeadAttention(mha(h, kd)), &[&[l, d], &[l, d]]),
        Ok(3 * (l * d * h * kd) + 2 * (l * l * h * kd) + l * h * kd * d)
    );
    // Cross-attention, value_dim and output_shape (mha_value_dim_and_output_shape): the key
    // and value project from their own 20 features over their own 4 steps.
    let layer = Layer::MultiHeadAttention(MultiHeadAttention {
        value_dim: Some(10),
        output_shape: Some(vec![7]),
        ..mha(3, 6)
    });
    assert_eq!(
        attention_count(&layer, &[&[9, 12], &[4, 20]]),
        Ok(9 * 12 * 3 * 6
            + 4 * 20 * 3 * 6
            + 4 * 20 * 3 * 10
            + 9 * 4 * 3 * 6
            + 9 * 4 * 3 * 10
            + 9 * 3 * 10 * 7)
    );
    // attention_axes=(2,) on a 5 × 6 grid: each of the 5 rows attends over its own 6 columns.
    let layer = Layer::MultiHeadAttention(MultiHeadAttention {
        attention_axes: Some(vec![2]),
        ..mha(2, 8)
    });
    assert_eq!(
        attention_count(&layer, &[&[5, 6, 16], &[5, 6, 16]]),
        Ok(3 * (30 * 16 * 2 * 8) + 2 * (5 * 6 * 6 * 2 * 8) + 30 * 2 * 8 * 16)
    );
}

#[test]
fn grouped_query_attention_projects_fewer_key_and_value_heads() {
    // group_query_attention_self: 16 steps of 64, 8 query heads, 2 key/value heads of 16.
    let layer = Layer::GroupQueryAttention(GroupQueryAttention {
        head_dim: 16,
        num_query_heads: 8,
        num_key_value_heads: 2,
        ..GroupQueryAttention::default()
    });
    assert_eq!(
        attention_count(&layer, &[&[16, 64], &[16, 64]]),
        Ok(16 * 64 * 8 * 16 + 2 * (16 * 64 * 2 * 16) + 2 * (16 * 16 * 8 * 16) + 16 * 8 * 16 * 64)
    );
}

#[test]
fn dot_and_additive_attention_count_the_scores_and_the_weighted_sum() {
    // 5 query steps against 7 key steps of 16 features, values of 16.
    let dot = Layer::Attention(Attention::default());
    assert_eq!(
        attention_count(&dot, &[&[5, 16], &[7, 16]]),
        Ok(5 * 7 * 16 + 5 * 7 * 16)
    );
    // concat sums tanh(q + k): no products for the scores.
    let concat = Layer::Attention(Attention {
        score_mode: ScoreMode::Concat,
        ..Attention::default()
    });
    assert_eq!(
        attention_count(&concat, &[&[5, 16], &[7, 16]]),
        Ok(5 * 7 * 16)
    );
    // Additive: the scale vector multiplies every tanh value; without it, only the sum.
    let additive = Layer::AdditiveAttention(AdditiveAttention::default());
    assert_eq!(
        attention_count(&additive, &[&[6, 10], &[8, 10], &[8, 10]]),
        Ok(6 * 8 * 10 + 6 * 8 * 10)
    );
    let plain = Layer::AdditiveAttention(AdditiveAttention {
        use_scale: false,
        ..AdditiveAttention::default()
    });
    assert_eq!(attention_count(&plain, &[&[6, 10], &[8, 4]]), Ok(6 * 8 * 4));
}

#[test]
fn attention_says_its_products_are_counted() {
    let layer = Layer::MultiHeadAttention(mha(2, 4));
    let inputs = [Shape::known(&[5, 8]), Shape::known(&[5, 8])];
    let multi = layer.kind().multi().expect("multi");
    let out = multi
        .output(&inputs, CallOptions::default())
        .expect("builds");
    let mut tally = Tally::explain();
    let n = multi.macs(&inputs, &out, &mut tally).expect("macs");
    let e = tally.into_explanation().expect("explained");
    assert_eq!(e.steps.last().map(|s| s.value), Some(n));
    // Lq × Lk × heads × key_dim, written out as the issue states it.
    let scores = e.steps.iter().find(|s| s.what.starts_with("scores"));
    assert_eq!(scores.map(|s| s.expr.as_str()), Some("5 × 5 × 2 × 4"));
    assert!(
        e.notes.iter().any(|n| n.contains("weighted sum")),
        "{:#?}",
        e.notes
    );
    // An open length cannot be counted.
    let open = [
        Shape(vec![None, Some(8)].into()),
        Shape(vec![None, Some(8)].into()),
    ];
    assert!(multi.macs(&open, &out, &mut Tally::count()).is_err());
}

#[test]
fn merges_multiply_no_weights_and_dot_counts_its_products() {
    use lstm_tui::model::layers::{CallOptions, Dot};
    let pair = [k(&[5, 8]), k(&[5, 8])];
    let pair: Vec<Shape> = pair.into_iter().map(|d| Shape(d.into())).collect();
    for layer in Layer::catalogue() {
        let Some(multi) = layer.kind().multi() else {
            continue;
        };
        let class = layer.kind().class();
        // The merges; attention's products have their own test above.
        if class.contains("Attention") {
            continue;
        }
        let out = multi.output(&pair, CallOptions::default()).unwrap();
        let mut tally = Tally::count();
        let macs = multi.macs(&pair, &out, &mut tally).unwrap();
        if class == "Dot" {
            // axes=-1 on (5, 8) and (5, 8): a (5, 5) output per sample, 8 products each.
            assert_eq!(macs, 5 * 5 * 8, "{class}");
        } else {
            assert_eq!(macs, 0, "{class}");
        }
    }
    // (5, 7) · (7, 8) along axes (2, 1): the attention-matrix product, 5 × 8 cells of 7.
    let dot = Dot {
        axes: vec![2, 1],
        ..Dot::default()
    };
    let ab = [Shape(k(&[5, 7]).into()), Shape(k(&[7, 8]).into())];
    let multi = Layer::Dot(dot.clone());
    let multi = multi.kind().multi().unwrap();
    let out = multi.output(&ab, CallOptions::default()).unwrap();
    assert_eq!(multi.macs(&ab, &out, &mut Tally::count()), Ok(5 * 8 * 7));
}
