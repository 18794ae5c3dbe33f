//! UpSampling as `repeat_interleave` along each spatial axis (what Keras' `ops.repeat` does),
//! and UpSampling2D's interpolations as the resize Keras' JAX backend computes
//! (`jax.image.resize`, without antialiasing), written into the file since `F.interpolate`
//! places and weighs samples differently at the edges. Resizing and the crops use the same
//! resize.

use super::{Sizes, TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{DataFormat, Interpolation, UpSampling1D, UpSampling2D, UpSampling3D};

/// The module-level helpers: the resize of one axis as Keras' JAX backend does it (UpSampling2D's
/// interpolations, Resizing), and Keras' `smart_resize` built on it (CenterCrop on a smaller
/// image, RandomCrop at inference).
pub(super) const KERAS_RESIZE: &str = r#"def keras_resize(x, dim, size, method):
    """Resizes axis `dim` to `size` as jax.image.resize does without antialiasing (what Keras'
    UpSampling2D and Resizing call)."""
    n = x.shape[dim]
    centre = (torch.arange(size, dtype=torch.float64) + 0.5) * n / size
    if method == "nearest":
        return x.index_select(dim, centre.floor().long().clamp(max=n - 1).to(x.device))
    sample = centre - 0.5
    d = (sample[None, :] - torch.arange(n, dtype=torch.float64)[:, None]).abs()
    zero = torch.zeros_like(d)
    if method == "bilinear":
        w = (1 - d).clamp(min=0)
    elif method == "bicubic":
        w = torch.where(d < 1, (1.5 * d - 2.5) * d * d + 1, torch.where(d < 2, ((-0.5 * d + 2.5) * d - 4) * d + 2, zero))
    else:
        r = 3 if method == "lanczos3" else 5
        w = torch.where(d <= r, torch.sinc(d) * torch.sinc(d / r), zero)
    w = (w / w.sum(dim=0, keepdim=True)).to(x.dtype)
    return torch.tensordot(x.movedim(dim, -1), w, dims=1).movedim(-1, dim)


def keras_smart_resize(x, hd, height, width):
    """Keras' smart_resize: the largest middle window of the target's aspect ratio, resized
    bilinearly to height x width; axes hd and hd + 1 are the image's."""
    h, w = x.shape[hd], x.shape[hd + 1]
    ch = max(min(h, int(float(w * height) / width)), 1)
    cw = max(min(w, int(float(h * width) / height)), 1)
    top, left = int(float(h - ch) / 2), int(float(w - cw) / 2)
    x = x.narrow(hd, top, ch).narrow(hd + 1, left, cw)
    return keras_resize(keras_resize(x, hd, height, "bilinear"), hd + 1, width, "bilinear")


"#;

impl Writer {
    /// Repeats (or, for `method`, resizes) each spatial axis by its factor.
    fn upsample(
        &mut self,
        row: &Row,
        sizes: &[u64],
        data_format: DataFormat,
        method: Interpolation,
    ) {
        let first = match data_format {
            DataFormat::ChannelsLast => 1,
            DataFormat::ChannelsFirst => 2,
        };
        let mut steps = Vec::new();
        for (axis, &factor) in sizes.iter().enumerate() {
            if factor == 1 {
                continue;
            }
            let dim = first + axis;
            steps.push(if method == Interpolation::Nearest {
                format!("x = x.repeat_interleave({factor}, dim={dim})")
            } else {
                self.helpers.resize = true;
                format!(
                    "x = keras_resize(x, {dim}, x.shape[{dim}] * {factor}, \"{}\")",
                    method.as_str()
                )
            });
        }
        if let Some(first) = steps.first_mut() {
            first.push_str(&format!("  # {}", row.name.escape_debug()));
        } else {
            self.forward.push(format!(
                "# {}: size 1 on every axis leaves x as it is",
                row.name.escape_debug()
            ));
        }
        self.forward.extend(steps);
    }
}

impl TorchKind for UpSampling1D {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.upsample(
            row,
            &self.size.sizes(),
            self.layout(),
            Interpolation::Nearest,
        );
    }
}

impl TorchKind for UpSampling2D {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.upsample(row, &self.size.sizes(), self.layout(), self.interpolation);
    }
}

impl TorchKind for UpSampling3D {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.upsample(
            row,
            &self.size.sizes(),
            self.layout(),
            Interpolation::Nearest,
        );
    }
}
