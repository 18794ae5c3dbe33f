//! The augmentation policies are identity at inference, so the forward pass passes `x` on; a
//! comment names the torchvision transform that does the like while training.

use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{AugMix, RandAugment};

impl TorchKind for RandAugment {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(row, &format!("RandAugment(num_ops={})", self.num_ops));
    }
}

impl TorchKind for AugMix {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(
            row,
            &format!(
                "AugMix(chain_width={}, chain_depth={}, alpha={}, all_ops={})",
                self.num_chains,
                self.chain_depth,
                self.alpha,
                if self.all_ops { "True" } else { "False" }
            ),
        );
    }
}
