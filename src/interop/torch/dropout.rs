//! Dropout as `nn.Dropout`, SpatialDropout1D/2D/3D as `nn.Dropout1d/2d/3d` over the channels.

use super::{TorchKind, Writer, to_channels_first, to_channels_last};
use crate::model::Row;
use crate::model::layers::{
    DataFormat, Dropout, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
};

impl TorchKind for Dropout {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        w.init
            .push(format!("self.{a} = nn.Dropout(p={:?})", self.rate));
        w.forward.push(format!("x = self.{a}(x)"));
    }
}

impl TorchKind for SpatialDropout1D {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        w.init.push(format!(
            "self.{a} = nn.Dropout1d(p={:?})  # drops whole channels, as SpatialDropout1D",
            self.rate
        ));
        w.forward.push(format!(
                "x = self.{a}(x.transpose(1, 2)).transpose(1, 2)  # Dropout1d wants (batch, channels, time)"
            ));
    }
}

impl TorchKind for SpatialDropout2D {
    fn write(&self, w: &mut Writer, row: &Row) {
        spatial(w, row, 2, self.rate, self.data_format);
    }
}

impl TorchKind for SpatialDropout3D {
    fn write(&self, w: &mut Writer, row: &Row) {
        spatial(w, row, 3, self.rate, self.data_format);
    }
}

/// `nn.Dropout2d`/`nn.Dropout3d`, which drop whole channels of a channels-first tensor.
fn spatial(w: &mut Writer, row: &Row, rank: usize, rate: f64, format: DataFormat) {
    let a = w.attr(&row.name);
    w.init.push(format!(
        "self.{a} = nn.Dropout{rank}d(p={rate:?})  # drops whole channels, as {}",
        row.class
    ));
    match format {
        DataFormat::ChannelsFirst => w.forward.push(format!("x = self.{a}(x)")),
        DataFormat::ChannelsLast => {
            w.forward.push(format!(
                "x = self.{a}({})  # Dropout{rank}d wants the channels first",
                to_channels_first(rank)
            ));
            w.forward.push(format!("x = {}", to_channels_last(rank)));
        }
    }
}
