//! The image kinds exported as PyTorch code: the augmentations pass the tensor on, as Keras'
//! do at inference, AutoContrast is computed, and a `Resizing` the export does not write is
//! listed, not guessed. That PyTorch gives Keras' outputs for the written ones is checked in
//! tests/live.

use crate::common::keras_fixture_design as fixture;
use lstm_tui::interop::torch::pytorch_export;
use lstm_tui::model::Layer;

#[test]
fn augmentations_pass_the_tensor_on_without_a_module() {
    let design = fixture("image_augmentation_classifier");
    let export = pytorch_export(&design);
    assert!(export.unsupported.is_empty(), "{:?}", export.unsupported);
    let augmentations = design
        .layers
        .iter()
        .filter(|l| l.kind().class().starts_with("Random"))
        .count();
    assert_eq!(augmentations, 6);
    let passed_on = export
        .code
        .lines()
        .filter(|l| l.contains("identity at inference; while training, torchvision"))
        .count();
    assert_eq!(passed_on, augmentations, "{}", export.code);
    assert!(!export.code.contains("self.random_"), "{}", export.code);
}

#[test]
fn a_resizing_the_export_does_not_write_is_listed_and_raises() {
    let mut design = fixture("image_resizing_and_center_crops");
    let Some(Layer::Resizing(first)) = design.layers.first_mut() else {
        panic!("the fixture starts with a Resizing");
    };
    first.antialias = true;
    let export = pytorch_export(&design);
    assert_eq!(export.unsupported.len(), 1, "{:?}", export.unsupported);
    assert!(
        export.unsupported[0].contains("antialias"),
        "{:?}",
        export.unsupported
    );
    assert!(
        export.code.contains("raise NotImplementedError"),
        "{}",
        export.code
    );
}

#[test]
fn the_keras_3_augmentations_pass_the_tensor_on() {
    // The layers of these fixtures that are not augmentations.
    let others = [
        "Rescaling",
        "Conv2D",
        "Flatten",
        "GlobalAveragePooling2D",
        "Dense",
    ];
    for name in [
        "image_colour_augmentation_classifier",
        "image_augmentation_policies_and_their_names",
        "image_warps_and_pixel_changes_channels_first",
    ] {
        let design = fixture(name);
        let export = pytorch_export(&design);
        assert!(
            export.unsupported.is_empty(),
            "{name}: {:?}",
            export.unsupported
        );
        let augmentations = design
            .layers
            .iter()
            .filter(|l| !others.contains(&l.kind().class()))
            .count();
        assert!(augmentations >= 4, "{name}");
        let passed_on = export
            .code
            .lines()
            .filter(|l| l.contains("identity at inference; while training, torchvision"))
            .count();
        assert_eq!(passed_on, augmentations, "{name}: {}", export.code);
    }
}

#[test]
fn auto_contrast_is_computed_over_its_sorted_value_range() {
    let mut design = fixture("auto_contrast_before_a_classifier");
    let Some(Layer::AutoContrast(first)) = design.layers.first_mut() else {
        panic!("the fixture starts with an AutoContrast");
    };
    // Keras sorts the range it is given.
    first.value_range = [1.0, 0.0];
    let code = pytorch_export(&design).code;
    assert_eq!(
        code.matches("def keras_auto_contrast(").count(),
        1,
        "{code}"
    );
    assert!(
        code.contains("x = keras_auto_contrast(x, 0.0, 1.0)"),
        "{code}"
    );
}
