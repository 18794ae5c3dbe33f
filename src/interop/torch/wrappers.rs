//! Bidirectional as a recurrent module with `bidirectional=True`, and TimeDistributed as the
//! wrapped layer applied to time folded into the batch.

use super::{Merge, TorchKind, Writer, label, torch};
use crate::model::layers::{Bidirectional, Layer, MergeMode, TimeDistributed};
use crate::model::{Name, Output, Row, Shape};

impl TorchKind for Bidirectional {
    fn write(&self, w: &mut Writer, row: &Row) {
        let merge = match self.merge_mode {
            Some(MergeMode::Concat) => Merge::Concat,
            Some(MergeMode::Sum) => Merge::Sum,
            Some(MergeMode::Ave) => Merge::Ave,
            Some(MergeMode::Mul) => Merge::Mul,
            None => Merge::Separate,
        };
        if !self.trainable {
            w.ignored_trainable(row);
        }
        w.recurrent_kind(row, torch(&self.layer), Some(merge));
    }
}

impl TorchKind for TimeDistributed {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.time_distributed(row, self);
    }
}

impl Writer {
    /// The wrapped layer on every timestep: layers that act on the last axis (Dense) already
    /// do; anything else runs on batch × time samples and is folded back.
    pub(super) fn time_distributed(&mut self, row: &Row, t: &TimeDistributed) {
        let Some((_, rest)) = row.input.0.split_first() else {
            return self.no_equivalent(&label(row), "TimeDistributed needs a time axis");
        };
        if !t.trainable {
            self.ignored_trainable(row);
        }
        let inner_name = t.layer.kind().name().map_or_else(
            || format!("{}_{}", row.name, t.layer.kind().auto_name()),
            str::to_string,
        );
        let inner = Row {
            name: Name::new(&inner_name),
            class: t.layer.kind().class(),
            input: Shape(rest.into()),
            output: Output::One(Shape::default()),
            params: row.params.clone(),
            macs: row.macs.clone(),
            ..row.clone()
        };
        if matches!(*t.layer, Layer::Dense(_)) {
            self.forward.push(format!(
                "# {}: nn.Linear already acts on the last axis of every timestep",
                row.name.escape_debug()
            ));
            return self.layer(&inner, &t.layer);
        }
        self.forward.push(format!(
            "n, t = x.shape[0], x.shape[1]  # {}: fold time into the batch",
            row.name.escape_debug()
        ));
        self.forward
            .push("x = x.reshape(n * t, *x.shape[2:])".into());
        self.layer(&inner, &t.layer);
        self.forward
            .push("x = x.reshape(n, t, *x.shape[1:])".into());
    }
}
