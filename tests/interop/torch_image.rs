//! The image kinds exported as PyTorch code: the augmentations pass the tensor on, as Keras'
//! do at inference, and a `Resizing` the export does not write is listed, not guessed. That
//! PyTorch gives Keras' outputs for the written ones is checked in tests/live.

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
