//! The image warps are identity at inference, so the forward pass passes `x` on; a comment
//! names the torchvision transform that does the like while training.

use super::augment::reach;
use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{RandomElasticTransform, RandomPerspective, RandomShear};

impl TorchKind for RandomShear {
    fn write(&self, w: &mut Writer, row: &Row) {
        // torchvision's shear is in degrees; Keras' factor 1 slants by 45°.
        let (x, y) = (reach(self.x_factor) * 45.0, reach(self.y_factor) * 45.0);
        w.training_only(row, &format!("RandomAffine(0, shear=({x}, {x}, {y}, {y}))"));
    }
}

impl TorchKind for RandomPerspective {
    fn write(&self, w: &mut Writer, row: &Row) {
        let p = reach(self.factor);
        w.training_only(
            row,
            &format!("RandomPerspective(distortion_scale={}, p={p})", self.scale),
        );
    }
}

impl TorchKind for RandomElasticTransform {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.training_only(row, "ElasticTransform()");
    }
}
