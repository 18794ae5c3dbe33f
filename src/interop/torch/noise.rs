//! The noise and penalty layers. They change nothing at inference, so the forward pass acts
//! only while `self.training` (or, for ActivityRegularization, says which loss term to add).

use super::{TorchKind, Writer, py_float};
use crate::model::Row;
use crate::model::layers::{ActivityRegularization, AlphaDropout, GaussianDropout, GaussianNoise};

impl TorchKind for GaussianNoise {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.forward.push(format!(
            "if self.training: x = x + {} * torch.randn_like(x)  # {}: GaussianNoise, identity at inference",
            py_float(self.stddev),
            row.name.escape_debug()
        ));
    }
}

impl TorchKind for GaussianDropout {
    fn write(&self, w: &mut Writer, row: &Row) {
        let name = row.name.escape_debug();
        if self.rate > 0.0 && self.rate < 1.0 {
            let stddev = (self.rate / (1.0 - self.rate)).sqrt();
            w.forward.push(format!(
                "if self.training: x = x * (1.0 + {} * torch.randn_like(x))  # {name}: GaussianDropout, identity at inference",
                py_float(stddev)
            ));
        } else {
            w.forward.push(format!(
                "# {name}: GaussianDropout with rate {} changes nothing; identity at inference",
                self.rate
            ));
        }
    }
}

impl TorchKind for AlphaDropout {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        w.init.push(format!(
            "self.{a} = nn.AlphaDropout(p={:?})  # identity at inference",
            self.rate
        ));
        w.forward.push(format!("x = self.{a}(x)"));
    }
}

impl TorchKind for ActivityRegularization {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.forward.push(format!(
            "# {}: ActivityRegularization passes x on; add {} * x.abs().sum() + {} * x.pow(2).sum() of this x to the training loss",
            row.name.escape_debug(),
            py_float(self.l1),
            py_float(self.l2)
        ));
    }
}
