//! Pooling, resizing, padding and cropping exported as PyTorch code: against real Keras with
//! the same input, on the keras_layers fixtures of these kinds and on channels-first and
//! interpolating variants the fixtures do not hold.

use std::fs;
use std::path::Path;

use crate::export_pytorch::{assert_run_with_the_keras_fixtures, same_outputs};
use crate::{check, common};
use common::needs::Need;
use libtest_mimic::Trial;
use lstm_tui::interop::keras_json::design_from_keras_json;
use lstm_tui::interop::torch::pytorch_export;
use lstm_tui::model::layers::{
    AdaptiveAveragePooling2D, AdaptiveMaxPooling1D, AveragePooling2D, AveragePooling3D, Cropping1D,
    Cropping2D, Cropping3D, DataFormat, GlobalAveragePooling3D, GlobalMaxPooling2D, Interpolation,
    MaxPooling3D, Padding, UpSampling1D, UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D,
    ZeroPadding3D,
};
use lstm_tui::model::{Design, Dtype, Input, Layer, Shape};

/// The keras_layers fixtures of these kinds that Keras builds.
const FIXTURES: &[&str] = &[
    "adaptive_pooling1d",
    "adaptive_pooling2d",
    "adaptive_pooling3d",
    "average_pooling2d_variants",
    "cropping1d",
    "cropping2d",
    "cropping3d",
    "global_average_pooling2d",
    "global_average_pooling3d_keepdims",
    "global_max_pooling2d_keepdims",
    "pooling3d_variants",
    "unet_style_pad_crop_upsample",
    "upsampling1d",
    "upsampling2d",
    "upsampling3d",
    "zero_padding1d",
    "zero_padding2d",
    "zero_padding3d",
];

fn fixture_designs() -> Vec<Design> {
    FIXTURES
        .iter()
        .map(|stem| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/keras_layers")
                .join(format!("{stem}.json"));
            let fixture: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(path).expect("fixture")).expect("JSON");
            design_from_keras_json(&fixture["keras_json"].to_string())
                .map(|mut d| {
                    d.name = stem.to_string();
                    d
                })
                .expect("imports")
        })
        .collect()
}

fn design(name: &str, shape: &[u64], layers: Vec<Layer>) -> Design {
    Design {
        name: name.into(),
        input: Input {
            shape: Shape::known(shape),
            dtype: Dtype::Float32,
        },
        layers,
        ..Design::example()
    }
}

/// Channels-first forms, "same" window pooling, crops that keep the end, and every
/// interpolation UpSampling2D takes.
fn variant_designs() -> Vec<Design> {
    let mut designs = channels_first_designs();
    designs.push(design(
        "sequence-crop-and-repeat",
        &[12, 3],
        vec![
            Layer::Cropping1D(Cropping1D {
                cropping: [4, 0],
                ..Cropping1D::default()
            }),
            Layer::UpSampling1D(UpSampling1D {
                size: 3,
                ..UpSampling1D::default()
            }),
        ],
    ));
    for (i, method) in [
        Interpolation::Bilinear,
        Interpolation::Bicubic,
        Interpolation::Lanczos3,
        Interpolation::Lanczos5,
    ]
    .into_iter()
    .enumerate()
    {
        designs.push(design(
            &format!("upsampling2d-{}", method.as_str()),
            &[5, 6, 2],
            vec![Layer::UpSampling2D(UpSampling2D {
                size: [2 + i as u64 % 2, 3],
                interpolation: method,
                ..UpSampling2D::default()
            })],
        ));
    }
    designs
}

/// Every kind with a `data_format`, channels first.
fn channels_first_designs() -> Vec<Design> {
    let cf = DataFormat::ChannelsFirst;
    vec![
        design(
            "channels-first-2d",
            &[3, 9, 8],
            vec![
                Layer::ZeroPadding2D(ZeroPadding2D {
                    padding: [[1, 2], [0, 3]],
                    data_format: cf,
                    ..ZeroPadding2D::default()
                }),
                Layer::AveragePooling2D(AveragePooling2D {
                    pool_size: [3, 2],
                    strides: Some([2, 1]),
                    padding: Padding::Same,
                    data_format: cf,
                    ..AveragePooling2D::default()
                }),
                Layer::UpSampling2D(UpSampling2D {
                    size: [2, 3],
                    data_format: cf,
                    ..UpSampling2D::default()
                }),
                Layer::Cropping2D(Cropping2D {
                    cropping: [[2, 0], [1, 4]],
                    data_format: cf,
                    ..Cropping2D::default()
                }),
                Layer::AdaptiveAveragePooling2D(AdaptiveAveragePooling2D {
                    output_size: [5, 3],
                    data_format: cf,
                    ..AdaptiveAveragePooling2D::default()
                }),
                Layer::GlobalMaxPooling2D(GlobalMaxPooling2D {
                    keepdims: true,
                    data_format: cf,
                    ..GlobalMaxPooling2D::default()
                }),
            ],
        ),
        design(
            "channels-first-3d",
            &[2, 5, 6, 7],
            vec![
                Layer::ZeroPadding3D(ZeroPadding3D {
                    padding: [[0, 1], [2, 0], [1, 1]],
                    data_format: cf,
                    ..ZeroPadding3D::default()
                }),
                Layer::MaxPooling3D(MaxPooling3D {
                    pool_size: [2, 3, 2],
                    strides: Some([1, 2, 2]),
                    padding: Padding::Same,
                    data_format: cf,
                    ..MaxPooling3D::default()
                }),
                Layer::UpSampling3D(UpSampling3D {
                    size: [1, 2, 3],
                    data_format: cf,
                    ..UpSampling3D::default()
                }),
                Layer::Cropping3D(Cropping3D {
                    cropping: [[1, 0], [0, 2], [3, 1]],
                    data_format: cf,
                    ..Cropping3D::default()
                }),
                Layer::AveragePooling3D(AveragePooling3D {
                    pool_size: [2, 2, 2],
                    padding: Padding::Same,
                    data_format: cf,
                    ..AveragePooling3D::default()
                }),
                Layer::GlobalAveragePooling3D(GlobalAveragePooling3D {
                    data_format: cf,
                    ..GlobalAveragePooling3D::default()
                }),
            ],
        ),
        design(
            "channels-first-1d",
            &[4, 13],
            vec![
                Layer::ZeroPadding1D(ZeroPadding1D {
                    padding: [3, 0],
                    data_format: cf,
                    ..ZeroPadding1D::default()
                }),
                Layer::AdaptiveMaxPooling1D(AdaptiveMaxPooling1D {
                    output_size: 5,
                    data_format: cf,
                    ..AdaptiveMaxPooling1D::default()
                }),
            ],
        ),
    ]
}

fn every_kind_exports_without_a_refusal() {
    for design in fixture_designs().into_iter().chain(variant_designs()) {
        let export = pytorch_export(&design);
        assert!(
            export.unsupported.is_empty() && !export.code.contains("NotImplementedError"),
            "{}: {:?}",
            design.name,
            export.unsupported
        );
    }
}

/// The variants against real Keras; the fixtures of these kinds run with every other Keras
/// fixture (`export_pytorch::real_keras_and_pytorch_compute_the_same_outputs`).
fn real_keras_and_pytorch_agree_on_pooling_resizing_and_padding(python: &str) {
    same_outputs(python, variant_designs());
}

fn the_fixtures_of_these_kinds_run_in_python_with_every_keras_fixture() {
    assert_run_with_the_keras_fixtures(&fixture_designs());
}

pub fn checks() -> Vec<Trial> {
    let both = Need::python(&["keras", "torch"]);
    common::needs::listed(
        module_path!(),
        include_str!("export_pytorch_resizing.rs"),
        vec![
            check!(every_kind_exports_without_a_refusal),
            check!(both => real_keras_and_pytorch_agree_on_pooling_resizing_and_padding),
            check!(the_fixtures_of_these_kinds_run_in_python_with_every_keras_fixture),
        ],
    )
}
