//! Dropout as `nn.Dropout`, SpatialDropout1D as `nn.Dropout1d` over the channels.

use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{Dropout, SpatialDropout1D};

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
