//! The pixel augmentations are identity at inference, so the forward pass passes `x` on; a
//! comment names the torchvision transform that does the like while training.

use super::augment::reach;
use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{
    Factor, RandomColorJitter, RandomErasing, RandomGaussianBlur, Solarization, Whole,
};

impl TorchKind for RandomErasing {
    fn write(&self, w: &mut Writer, row: &Row) {
        let p = reach(self.factor);
        w.training_only(row, &format!("RandomErasing(p={p})"));
    }
}

impl TorchKind for RandomGaussianBlur {
    fn write(&self, w: &mut Writer, row: &Row) {
        let k = match self.kernel_size {
            Whole::One(k) => format!("{k}"),
            Whole::Range([a, b]) => format!("({a}, {b})"),
        };
        w.training_only(row, &format!("GaussianBlur({k})"));
    }
}

impl TorchKind for Solarization {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(row, "RandomSolarize(threshold)");
    }
}

impl TorchKind for RandomColorJitter {
    fn write(&self, w: &mut Writer, row: &Row) {
        // torchvision's hue reaches half the wheel at 0.5, where Keras' factor 1 does.
        let part = |name: &str, f: Option<Factor>, scale: f64| {
            f.map(|f| format!("{name}={}", reach(f) * scale))
        };
        let args: Vec<String> = [
            part("brightness", self.brightness_factor, 1.0),
            part("contrast", self.contrast_factor, 1.0),
            part("saturation", self.saturation_factor, 1.0),
            part("hue", self.hue_factor, 0.5),
        ]
        .into_iter()
        .flatten()
        .collect();
        w.training_only(row, &format!("ColorJitter({})", args.join(", ")));
    }
}
