//! The pixel augmentations are identity at inference, so the forward pass passes `x` on; a
//! comment names the torchvision transform that does the like while training. AutoContrast
//! works at inference too, and is written as Keras computes it.

use super::augment::reach;
use super::{TorchKind, Writer, py_float};
use crate::model::Row;
use crate::model::layers::{
    AutoContrast, Factor, RandomColorJitter, RandomErasing, RandomGaussianBlur, Solarization,
};

impl TorchKind for RandomErasing {
    fn write(&self, w: &mut Writer, row: &Row) {
        let p = reach(self.factor);
        w.training_only(row, &format!("RandomErasing(p={p})"));
    }
}

impl TorchKind for RandomGaussianBlur {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(row, &format!("GaussianBlur({})", self.kernel_size));
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

/// Keras' AutoContrast, in its order of operations: to (0, 255), each image's channels
/// stretched between their minimum and maximum over the first two axes, back to the value
/// range; a constant channel (0 / 0) keeps its values. A rank-3 tensor is one image.
pub(super) const KERAS_AUTO_CONTRAST: &str = r#"def keras_auto_contrast(x, low, high):
    """Keras' AutoContrast of a batch of images, or of one image of rank 3."""
    if x.dim() not in (3, 4):
        raise ValueError(f"AutoContrast takes images of rank 3 or 4, not {x.dim()}, as in Keras")
    images = x if x.dim() == 4 else x.unsqueeze(0)
    if (low, high) != (0.0, 255.0):
        images = (images - low) / (high - low) * 255.0
    lo = images.amin(dim=(1, 2), keepdim=True)
    hi = images.amax(dim=(1, 2), keepdim=True)
    scale = 255.0 / (hi - lo)
    offset = -lo * scale
    out = torch.clamp(images * scale + offset, 0.0, 255.0)
    if (low, high) != (0.0, 255.0):
        out = out / 255.0 * (high - low) + low
    out = out if x.dim() == 4 else out.squeeze(0)
    return torch.where(torch.isnan(out), x, out)


"#;

impl TorchKind for AutoContrast {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.helpers.auto_contrast = true;
        let (low, high) = self.range();
        w.forward.push(format!(
            "x = keras_auto_contrast(x, {}, {})  # {}: AutoContrast",
            py_float(low),
            py_float(high),
            row.name.escape_debug()
        ));
    }
}
