//! What lstm-tui says when it refuses a model Keras refuses: the layer, and a fix that names
//! what to change. (The refusals themselves are checked against real Keras by the fixtures in
//! tests/fixtures/keras.)

use lstm_tui::model::layers::{
    Bidirectional, Dense, Dropout, Lstm, MaxPooling1D, SpatialDropout1D,
};
use lstm_tui::model::{Convention, Design, Input, Layer, Shape, ShapeError, Summary};

/// The summary of `layers` on an input of `shape`.
fn summary_on(shape: &[u64], layers: Vec<Layer>) -> Summary {
    let design = Design {
        input: Input {
            shape: Shape::known(shape),
            ..Design::example().input
        },
        layers,
        ..Design::example()
    };
    Summary::of(&design, Convention::Keras)
}

fn failure(shape: &[u64], layers: Vec<Layer>) -> ShapeError {
    summary_on(shape, layers)
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

#[test]
fn augmentation_factors_keras_refuses_are_refused_at_their_field() {
    use lstm_tui::model::layers::{
        Factor, Interpolation, RandomBrightness, RandomContrast, RandomRotation, RandomTranslation,
        RandomZoom,
    };
    // Keras 3.15.1's constructors raise for each of these ...
    let refused = [
        (
            Layer::RandomRotation(RandomRotation {
                factor: Factor::One(1.5),
                ..RandomRotation::default()
            }),
            "factor",
        ),
        (
            Layer::RandomContrast(RandomContrast {
                factor: Factor::One(-0.1),
                ..RandomContrast::default()
            }),
            "factor",
        ),
        (
            Layer::RandomBrightness(RandomBrightness {
                factor: Factor::One(1.2),
                ..RandomBrightness::default()
            }),
            "factor",
        ),
        (
            Layer::RandomZoom(RandomZoom {
                height_factor: Factor::Range([-0.5, 1.2]),
                ..RandomZoom::default()
            }),
            "height_factor",
        ),
        (
            Layer::RandomZoom(RandomZoom {
                height_factor: Factor::One(-1.0),
                ..RandomZoom::default()
            }),
            "height_factor",
        ),
        (
            Layer::RandomRotation(RandomRotation {
                interpolation: Interpolation::Bicubic,
                ..RandomRotation::default()
            }),
            "interpolation",
        ),
    ];
    for (layer, field) in refused {
        let e = failure(&[8, 8, 3], vec![layer]);
        assert_eq!(e.index, 0);
        assert!(e.to_string().contains(field), "{field}: {e}");
    }
    // ... and build these: a pair only partly outside RandomRotation's range, and -1 as
    // RandomTranslation's lowest shift.
    let built = [
        Layer::RandomRotation(RandomRotation {
            factor: Factor::Range([-2.0, 0.5]),
            ..RandomRotation::default()
        }),
        Layer::RandomTranslation(RandomTranslation {
            height_factor: Factor::One(-1.0),
            ..RandomTranslation::default()
        }),
    ];
    for layer in built {
        assert_eq!(refusal(&[8, 8, 3], vec![layer]), None);
    }
}

/// Whether `layers` build on `shape`, and the refused field or need when not.
fn refusal(shape: &[u64], layers: Vec<Layer>) -> Option<String> {
    summary_on(shape, layers).error.map(|e| e.to_string())
}

/// Checks each case against what Keras 3.15.1 does with it, probed in a Sequential model:
/// `Some(text)` when it refuses, with what lstm-tui's refusal must name.
fn agree_with_keras(cases: Vec<(&[u64], Layer, Option<&str>)>) {
    for (shape, layer, refused) in cases {
        let class = layer.kind().class();
        match (refusal(shape, vec![layer]), refused) {
            (None, None) => {}
            (Some(text), Some(names)) => assert!(text.contains(names), "{class}: {text}"),
            (got, want) => panic!("{class} on {shape:?}: lstm-tui {got:?}, Keras {want:?}"),
        }
    }
}

#[test]
fn colour_augmentation_factors_keras_refuses_are_refused_and_the_rest_build() {
    use lstm_tui::model::layers::{
        CutMix, Factor, MixUp, RandomGrayscale, RandomHue, RandomInvert, RandomPosterization,
        RandomSaturation, RandomSharpness, Whole,
    };
    let hue = |f| {
        Layer::RandomHue(RandomHue {
            factor: f,
            ..RandomHue::default()
        })
    };
    let saturation = |f| {
        Layer::RandomSaturation(RandomSaturation {
            factor: f,
            ..RandomSaturation::default()
        })
    };
    let bits = |f| {
        Layer::RandomPosterization(RandomPosterization {
            factor: f,
            ..RandomPosterization::default()
        })
    };
    let grey = |f| {
        Layer::RandomGrayscale(RandomGrayscale {
            factor: f,
            ..RandomGrayscale::default()
        })
    };
    let image: &[u64] = &[8, 8, 3];
    agree_with_keras(vec![
        (image, hue(Factor::One(1.5)), Some("factor")),
        (image, hue(Factor::One(-0.2)), Some("factor")),
        (image, hue(Factor::Range([0.2, 1.5])), None),
        (image, saturation(Factor::One(-1.5)), Some("factor")),
        (image, saturation(Factor::One(-0.5)), None),
        (
            image,
            Layer::RandomSharpness(RandomSharpness {
                factor: Factor::Range([1.2, 2.0]),
                ..RandomSharpness::default()
            }),
            Some("factor"),
        ),
        (
            image,
            Layer::RandomInvert(RandomInvert {
                factor: Factor::One(1.1),
                ..RandomInvert::default()
            }),
            Some("factor"),
        ),
        (image, bits(Whole::One(0)), Some("factor")),
        (image, bits(Whole::One(9)), Some("factor")),
        (image, bits(Whole::Range([0, 2])), None),
        (image, grey(1.5), Some("factor")),
        (image, grey(-0.1), Some("factor")),
        (
            image,
            Layer::CutMix(CutMix {
                factor: Factor::One(1.5),
                ..CutMix::default()
            }),
            Some("factor"),
        ),
        (
            image,
            Layer::MixUp(MixUp {
                alpha: -1.0,
                ..MixUp::default()
            }),
            None,
        ),
    ]);
}

#[test]
fn warp_settings_keras_refuses_are_refused_and_the_rest_build() {
    use lstm_tui::model::layers::{
        Factor, Interpolation, RandomElasticTransform, RandomErasing, RandomGaussianBlur,
        RandomPerspective, RandomShear, Whole,
    };
    let shear = |x| {
        Layer::RandomShear(RandomShear {
            x_factor: x,
            ..RandomShear::default()
        })
    };
    let blur = |k, sigma| {
        Layer::RandomGaussianBlur(RandomGaussianBlur {
            kernel_size: k,
            sigma,
            ..RandomGaussianBlur::default()
        })
    };
    let image: &[u64] = &[8, 8, 3];
    let sigma = Factor::One(0.5);
    agree_with_keras(vec![
        (image, shear(Factor::One(1.5)), Some("x_factor")),
        (
            image,
            shear(Factor::Range([-0.1, 0.1])),
            Some("how Keras saves RandomShear(0.1)"),
        ),
        (image, shear(Factor::Range([0.0, 0.2])), None),
        (
            image,
            Layer::RandomShear(RandomShear {
                interpolation: Interpolation::Bicubic,
                ..RandomShear::default()
            }),
            Some("interpolation"),
        ),
        (
            image,
            Layer::RandomPerspective(RandomPerspective {
                scale: 1.5,
                ..RandomPerspective::default()
            }),
            Some("scale"),
        ),
        (
            image,
            Layer::RandomPerspective(RandomPerspective {
                factor: Factor::One(1.2),
                ..RandomPerspective::default()
            }),
            Some("factor"),
        ),
        (
            image,
            Layer::RandomElasticTransform(RandomElasticTransform {
                scale: Factor::One(1.5),
                ..RandomElasticTransform::default()
            }),
            Some("scale"),
        ),
        (
            image,
            Layer::RandomErasing(RandomErasing {
                scale: Factor::Range([1.2, 2.0]),
                ..RandomErasing::default()
            }),
            Some("scale"),
        ),
        (image, blur(Whole::One(4), sigma), Some("kernel_size")),
        (
            image,
            blur(Whole::Range([3, 4]), sigma),
            Some("kernel_size"),
        ),
        (image, blur(Whole::One(3), Factor::One(2.0)), Some("sigma")),
        (image, blur(Whole::Range([3, 5]), sigma), None),
    ]);
}

#[test]
fn only_the_elastic_transform_fills_by_mirror() {
    use lstm_tui::model::layers::{
        FillMode, RandomElasticTransform, RandomRotation, RandomShear, RandomTranslation,
        RandomZoom, Resizing,
    };
    let mirror = FillMode::Mirror;
    let image: &[u64] = &[8, 8, 3];
    let refused = Some("\"mirror\" is not one");
    agree_with_keras(vec![
        (
            image,
            Layer::RandomRotation(RandomRotation {
                fill_mode: mirror,
                ..RandomRotation::default()
            }),
            refused,
        ),
        (
            image,
            Layer::RandomZoom(RandomZoom {
                fill_mode: mirror,
                ..RandomZoom::default()
            }),
            refused,
        ),
        (
            image,
            Layer::RandomTranslation(RandomTranslation {
                fill_mode: mirror,
                ..RandomTranslation::default()
            }),
            refused,
        ),
        (
            image,
            Layer::RandomShear(RandomShear {
                fill_mode: mirror,
                ..RandomShear::default()
            }),
            refused,
        ),
        (
            image,
            Layer::RandomElasticTransform(RandomElasticTransform {
                fill_mode: mirror,
                ..RandomElasticTransform::default()
            }),
            None,
        ),
        // Keras builds a Resizing with any of its fill modes (calls pad only by "constant").
        (
            image,
            Layer::Resizing(Resizing {
                fill_mode: mirror,
                pad_to_aspect_ratio: true,
                ..Resizing::default()
            }),
            None,
        ),
    ]);
}

#[test]
fn pixel_and_policy_settings_keras_refuses_are_refused_and_the_rest_build() {
    use lstm_tui::model::layers::{
        AugMix, Factor, Interpolation, RandAugment, RandomColorJitter, Solarization,
    };
    let solarize = |a, t| {
        Layer::Solarization(Solarization {
            addition_factor: a,
            threshold_factor: t,
            ..Solarization::default()
        })
    };
    let jitter = |b, c, h| {
        Layer::RandomColorJitter(RandomColorJitter {
            brightness_factor: b,
            contrast_factor: c,
            hue_factor: h,
            ..RandomColorJitter::default()
        })
    };
    let image: &[u64] = &[8, 8, 3];
    agree_with_keras(vec![
        (
            image,
            solarize(Factor::One(-0.1), Factor::One(1.0)),
            Some("addition_factor"),
        ),
        (
            image,
            solarize(Factor::One(0.1), Factor::Range([0.2, 1.2])),
            Some("threshold_factor"),
        ),
        (
            image,
            jitter(None, None, Some(Factor::One(1.5))),
            Some("hue_factor"),
        ),
        (image, jitter(Some(Factor::One(-0.5)), None, None), None),
        (
            image,
            jitter(None, Some(Factor::One(-0.1)), None),
            Some("contrast_factor"),
        ),
        (
            image,
            Layer::RandAugment(RandAugment {
                factor: Factor::One(1.5),
                ..RandAugment::default()
            }),
            Some("factor"),
        ),
        (
            image,
            Layer::RandAugment(RandAugment {
                interpolation: Interpolation::Bicubic,
                ..RandAugment::default()
            }),
            Some("interpolation"),
        ),
        (
            image,
            Layer::AugMix(AugMix {
                factor: Factor::One(1.2),
                ..AugMix::default()
            }),
            Some("factor"),
        ),
        (
            image,
            Layer::AugMix(AugMix {
                interpolation: Interpolation::Nearest,
                ..AugMix::default()
            }),
            None,
        ),
    ]);
}

#[test]
fn random_color_degeneration_takes_rgb_images_as_keras_checks_them() {
    use lstm_tui::model::layers::{DataFormat, RandomColorDegeneration};
    let dull = |format| {
        Layer::RandomColorDegeneration(RandomColorDegeneration {
            data_format: format,
            ..RandomColorDegeneration::default()
        })
    };
    let (last, first) = (DataFormat::ChannelsLast, DataFormat::ChannelsFirst);
    let rank = Some("give it images of shape (rows, cols, 3)");
    agree_with_keras(vec![
        (&[8], dull(last), rank),
        (&[2, 8, 8, 3], dull(last), rank),
        (
            &[8, 8, 1],
            dull(last),
            Some("a channel count of 1 will not do"),
        ),
        (&[8, 3], dull(last), None),
        (&[3, 8, 8], dull(first), None),
        (
            &[8, 8, 3],
            dull(first),
            Some("a channel count of 8 will not do"),
        ),
        // channels_first on rank 3 reads the batch's axis, which Keras does not check.
        (&[8, 5], dull(first), None),
    ]);
}

#[test]
fn the_sizing_kinds_refuse_a_tensor_that_is_not_an_image_and_say_what_they_need() {
    use lstm_tui::model::layers::{CenterCrop, RandomCrop, Resizing};
    // Keras reads a (batch, steps, features) tensor as images without a batch axis; lstm-tui
    // refuses it, naming the layout the layer works on.
    for layer in [
        Layer::Resizing(Resizing::default()),
        Layer::CenterCrop(CenterCrop::default()),
        Layer::RandomCrop(RandomCrop::default()),
    ] {
        let class = layer.kind().class();
        let e = failure(&[10, 4], vec![layer]);
        let text = e.to_string();
        assert!(text.contains("(batch, height, width, channels)"), "{text}");
        assert!(text.contains(&format!("{class} works on images")), "{text}");
    }
}

#[test]
fn spectrogram_settings_keras_refuses_are_refused_at_their_field() {
    use lstm_tui::model::layers::{MelSpectrogram, Padding, StftSpectrogram, Window};
    let stft = |f: fn(&mut StftSpectrogram)| {
        let mut s = StftSpectrogram {
            frame_length: 64,
            ..StftSpectrogram::default()
        };
        f(&mut s);
        Layer::StftSpectrogram(s)
    };
    // Keras 3.15.1's constructor (or, for the window, its initializer at build) raises for
    // each of these.
    let refused = [
        (stft(|s| s.frame_step = Some(65)), "frame_step"),
        (stft(|s| s.frame_step = Some(0)), "frame_step"),
        (stft(|s| s.fft_length = Some(63)), "fft_length"),
        (stft(|s| s.padding = Padding::Causal), "padding"),
        (
            stft(|s| s.window = Some(Window::Named("kaiser".into()))),
            "window",
        ),
        (
            stft(|s| s.window = Some(Window::Values(vec![1.0; 3]))),
            "window",
        ),
        (
            stft(|s| {
                s.frame_length = 1;
            }),
            "frame_step",
        ),
    ];
    for (layer, field) in refused {
        let e = failure(&[1000, 1], vec![layer]);
        assert_eq!(e.index, 0);
        assert!(e.to_string().contains(field), "{field}: {e}");
    }
    // Keras builds a MelSpectrogram with another window, or frames longer than the transform
    // refused in its constructor; its call takes only hann, hamming or None.
    let mel = |f: fn(&mut MelSpectrogram)| {
        let mut m = MelSpectrogram::default();
        f(&mut m);
        Layer::MelSpectrogram(m)
    };
    for (layer, field) in [
        (mel(|m| m.window = Some("blackman".into())), "window"),
        (mel(|m| m.sequence_length = Some(4096)), "sequence_length"),
    ] {
        let e = failure(&[16000], vec![layer]);
        assert!(e.to_string().contains(field), "{field}: {e}");
    }
}

#[test]
fn spectrograms_say_which_signal_layout_they_take() {
    use lstm_tui::model::layers::{MelSpectrogram, StftSpectrogram};
    // STFTSpectrogram's input spec is ndim=3; MelSpectrogram's summary reads a
    // (batch, samples, 1) input as samples but its call then transforms the wrong axis.
    let e = failure(
        &[16000],
        vec![Layer::StftSpectrogram(StftSpectrogram::default())],
    );
    assert!(e.to_string().contains("(batch, time, channels)"), "{e}");
    assert!(e.to_string().contains("Reshape((samples, 1))"), "{e}");
    let e = failure(
        &[16000, 1],
        vec![Layer::MelSpectrogram(MelSpectrogram::default())],
    );
    assert!(e.to_string().contains("(batch, samples)"), "{e}");
    // A signal shorter than a frame, without padding, leaves no frame.
    let e = failure(
        &[100, 1],
        vec![Layer::StftSpectrogram(StftSpectrogram::default())],
    );
    assert!(e.to_string().contains("padding=\"same\""), "{e}");
    // Open channels: Keras multiplies them by the bins and fails.
    let design = Design {
        input: Input {
            shape: Shape(vec![Some(1000), None].into()),
            ..Design::example().input
        },
        layers: vec![Layer::StftSpectrogram(StftSpectrogram::default())],
        ..Design::example()
    };
    let s = Summary::of(&design, Convention::Keras);
    assert!(s.error.is_some_and(|e| e.to_string().contains("channel")));
    // A frame too long for any transform to be counted is an overflow, not a crash.
    let huge = Layer::StftSpectrogram(StftSpectrogram {
        frame_length: u64::MAX,
        frame_step: Some(1),
        padding: lstm_tui::model::layers::Padding::Same,
        ..StftSpectrogram::default()
    });
    assert!(
        failure(&[1000, 1], vec![huge])
            .to_string()
            .contains("too large")
    );
    // An open length builds, as in Keras: (None, None, 129).
    let design = Design {
        input: Input {
            shape: Shape(vec![None, Some(1)].into()),
            ..Design::example().input
        },
        ..design
    };
    let s = Summary::of(&design, Convention::Keras);
    assert!(s.is_ok(), "{:?}", s.error);
    assert_eq!(s.rows[0].output.to_string(), "(None, None, 129)");
}

#[test]
fn discretization_settings_keras_refuses_are_refused_and_the_rest_build() {
    use lstm_tui::model::layers::{BinOutput, Discretization};
    let bins = |edges: Option<&[f64]>, num_bins: Option<u64>, output_mode: BinOutput| {
        Layer::Discretization(Discretization {
            bin_boundaries: edges.map(<[f64]>::to_vec),
            num_bins,
            output_mode,
            ..Discretization::default()
        })
    };
    let edges: &[f64] = &[0.0];
    agree_with_keras(vec![
        (&[4], bins(None, None, BinOutput::Int), Some("set either")),
        (
            &[4],
            bins(Some(edges), Some(3), BinOutput::Int),
            Some("Both"),
        ),
        (&[4], bins(None, Some(0), BinOutput::OneHot), None),
        (&[4], bins(Some(&[2.0, 1.0]), None, BinOutput::Int), None),
        (&[4], bins(Some(&[]), None, BinOutput::OneHot), None),
        (
            &[4],
            Layer::Discretization(Discretization {
                trainable: false,
                ..Discretization::default()
            }),
            Some("takes no trainable argument"),
        ),
        // Keras sizes multi_hot and count of a (batch,) input as (bins,), without the batch.
        (
            &[],
            bins(Some(edges), None, BinOutput::MultiHot),
            Some("feature axis"),
        ),
        (
            &[],
            bins(Some(edges), None, BinOutput::Count),
            Some("feature axis"),
        ),
        (&[], bins(Some(edges), None, BinOutput::OneHot), None),
        (&[], bins(Some(edges), None, BinOutput::Int), None),
    ]);
}
