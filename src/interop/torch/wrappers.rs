//! Bidirectional as a recurrent module with `bidirectional=True`, TimeDistributed as the
//! wrapped layer applied to time folded into the batch, and SpectralNormalization as
//! PyTorch's `spectral_norm` parametrization of the wrapped module.

use super::{Merge, TorchKind, Writer, label, python_bool, torch};
use crate::model::layers::{
    Bidirectional, Layer, MergeMode, SpectralNormalization, TimeDistributed,
};
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

impl TorchKind for SpectralNormalization {
    fn write(&self, w: &mut Writer, row: &Row) {
        if !self.trainable {
            w.ignored_trainable(row);
        }
        let (init, forward) = (w.init.len(), w.forward.len());
        let inner = Row {
            class: self.layer.kind().class(),
            ..row.clone()
        };
        w.layer(&inner, &self.layer);
        // The wrapped module is the first attribute the wrapped layer's code assigns.
        let module = w.init[init..].iter().find_map(|line| {
            let rest = line.strip_prefix("self.")?;
            let (attr, value) = rest.split_once(" = ")?;
            value.starts_with("nn.").then(|| attr.to_string())
        });
        let (Some(m), Ok(last)) = (module, self.vector_u_len(&row.input)) else {
            return w.no_equivalent(
                &label(row),
                "the wrapped layer has no PyTorch module whose weight could be divided",
            );
        };
        w.helpers.spectral = true;
        w.init.push(format!(
            "self.register_buffer(\"{m}_vector_u\", torch.randn(1, {last}))  # {}: Keras' vector_u (a buffer: not a parameter here)",
            row.name.escape_debug()
        ));
        // Keras divides the kernel (and keeps it divided) only in training calls; inference
        // uses the kernel as it is, so the step runs only while training here too.
        w.forward.insert(
            forward,
            format!(
                "if self.training: keras_spectral_normalize(self.{m}.weight, self.{m}_vector_u, {}, {})  # SpectralNormalization",
                self.power_iterations,
                python_bool(matches!(*self.layer, Layer::Embedding(_)))
            ),
        );
    }
}
