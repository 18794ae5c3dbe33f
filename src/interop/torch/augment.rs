//! The augmentation layers are identity at inference, so the forward pass passes `x` on; a
//! comment names the torchvision transform that does the same while training.

use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{
    CutMix, Factor, FlipMode, MixUp, RandomBrightness, RandomColorDegeneration, RandomContrast,
    RandomFlip, RandomGrayscale, RandomHue, RandomInvert, RandomPosterization, RandomRotation,
    RandomSaturation, RandomSharpness, RandomTranslation, RandomZoom,
};

impl Writer {
    /// The comment for an augmentation layer: what it is, and `transform` for training.
    pub(super) fn training_only(&mut self, row: &Row, transform: &str) {
        self.forward.push(format!(
            "# {}: {}, identity at inference; while training, torchvision.transforms.v2.{transform} does the like",
            row.name.escape_debug(),
            row.class
        ));
    }
}

/// A factor's largest magnitude: what torchvision's symmetric ranges take.
pub(super) fn reach(f: Factor) -> f64 {
    match f {
        Factor::One(x) => x.abs(),
        Factor::Range([a, b]) => a.abs().max(b.abs()),
    }
}

impl TorchKind for RandomFlip {
    fn write(&self, w: &mut Writer, row: &Row) {
        let transform = match self.mode {
            FlipMode::HorizontalAndVertical => "RandomHorizontalFlip() with RandomVerticalFlip()",
            FlipMode::Horizontal => "RandomHorizontalFlip()",
            FlipMode::Vertical => "RandomVerticalFlip()",
        };
        w.training_only(row, transform);
    }
}

impl TorchKind for RandomRotation {
    fn write(&self, w: &mut Writer, row: &Row) {
        let degrees = reach(self.factor) * 360.0;
        w.training_only(row, &format!("RandomRotation({degrees})"));
    }
}

impl TorchKind for RandomZoom {
    fn write(&self, w: &mut Writer, row: &Row) {
        let h = reach(self.height_factor);
        w.training_only(
            row,
            &format!("RandomAffine(0, scale=({}, {}))", 1.0 - h, 1.0 + h),
        );
    }
}

impl TorchKind for RandomTranslation {
    fn write(&self, w: &mut Writer, row: &Row) {
        let (h, wd) = (reach(self.height_factor), reach(self.width_factor));
        w.training_only(row, &format!("RandomAffine(0, translate=({wd}, {h}))"));
    }
}

impl TorchKind for RandomContrast {
    fn write(&self, w: &mut Writer, row: &Row) {
        let c = reach(self.factor);
        w.training_only(row, &format!("ColorJitter(contrast={c})"));
    }
}

impl TorchKind for RandomBrightness {
    fn write(&self, w: &mut Writer, row: &Row) {
        let b = reach(self.factor);
        w.training_only(row, &format!("ColorJitter(brightness={b})"));
    }
}

impl TorchKind for RandomHue {
    fn write(&self, w: &mut Writer, row: &Row) {
        // Keras' factor 1 turns the hue by up to half the wheel; torchvision's hue=0.5 does.
        let h = (reach(self.factor) / 2.0).min(0.5);
        w.training_only(row, &format!("ColorJitter(hue={h})"));
    }
}

impl TorchKind for RandomSaturation {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(row, "ColorJitter(saturation=...)");
    }
}

impl TorchKind for RandomSharpness {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(row, "RandomAdjustSharpness(...)");
    }
}

impl TorchKind for RandomInvert {
    fn write(&self, w: &mut Writer, row: &Row) {
        let p = reach(self.factor);
        w.training_only(row, &format!("RandomInvert(p={p})"));
    }
}

impl TorchKind for RandomPosterization {
    fn write(&self, w: &mut Writer, row: &Row) {
        let bits = reach(self.factor.into());
        w.training_only(row, &format!("RandomPosterize(bits={bits})"));
    }
}

impl TorchKind for RandomColorDegeneration {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(row, "ColorJitter(saturation=...)");
    }
}

impl TorchKind for RandomGrayscale {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(row, &format!("RandomGrayscale(p={})", self.factor));
    }
}

impl TorchKind for MixUp {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(row, &format!("MixUp(alpha={})", self.alpha));
    }
}

impl TorchKind for CutMix {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(row, "CutMix()");
    }
}
