//! Resizing and the crops as Keras computes them at inference, on the tensor in Keras'
//! layout: the JAX backend's resize (`keras_resize`), slicing, and Keras' `smart_resize`.

use super::{TorchKind, Writer, label};
use crate::model::Row;
use crate::model::layers::{CenterCrop, DataFormat, RandomCrop, Resizing};

/// The axis of the image's height (its width's is the next).
fn height_axis(data_format: DataFormat) -> usize {
    match data_format {
        DataFormat::ChannelsLast => 1,
        DataFormat::ChannelsFirst => 2,
    }
}

impl TorchKind for Resizing {
    fn write(&self, w: &mut Writer, row: &Row) {
        let refused = if self.crop_to_aspect_ratio || self.pad_to_aspect_ratio {
            Some(
                "crop_to_aspect_ratio and pad_to_aspect_ratio are not written; resize without them, or crop or pad by hand",
            )
        } else if self.antialias {
            Some(
                "antialias=True is not written: JAX's antialiased resize widens its kernel when shrinking, which the export does not copy",
            )
        } else {
            None
        };
        if let Some(why) = refused {
            return w.no_equivalent(&label(row), why);
        }
        w.helpers.resize = true;
        let hd = height_axis(self.data_format);
        let method = self.interpolation.as_str();
        w.forward.push(format!(
            "x = keras_resize(keras_resize(x, {hd}, {}, \"{method}\"), {}, {}, \"{method}\")  # {}: Resizing",
            self.height,
            hd + 1,
            self.width,
            row.name.escape_debug()
        ));
    }
}

impl TorchKind for CenterCrop {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.helpers.resize = true;
        let hd = height_axis(self.data_format);
        let (h, wd) = (self.height, self.width);
        w.forward.push(format!(
            "x = x.narrow({hd}, (x.shape[{hd}] - {h}) // 2, {h}).narrow({}, (x.shape[{}] - {wd}) // 2, {wd}) if x.shape[{hd}] >= {h} and x.shape[{}] >= {wd} else keras_smart_resize(x, {hd}, {h}, {wd})  # {}: CenterCrop, resizing an image smaller than the crop",
            hd + 1,
            hd + 1,
            hd + 1,
            row.name.escape_debug()
        ));
    }
}

impl TorchKind for RandomCrop {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.helpers.resize = true;
        let hd = height_axis(self.data_format);
        w.forward.push(format!(
            "x = keras_smart_resize(x, {hd}, {}, {})  # {}: RandomCrop at inference, as Keras documents it (the largest middle window, resized); Keras 3.15 itself passes images through uncropped there",
            self.height,
            self.width,
            row.name.escape_debug()
        ));
    }
}
