//! Bidirectional as a recurrent module with `bidirectional=True` (a ConvLSTM as two modules,
//! one reading backwards), TimeDistributed as the
//! wrapped layer applied to time folded into the batch, and SpectralNormalization as
//! PyTorch's `spectral_norm` parametrization of the wrapped module.

use super::activation::not_built;
use super::{Merge, TorchKind, Writer, features, label, python_bool, torch};
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
        match backwards_copy(&self.layer) {
            Some(backward) if torch(&self.layer).recurrent(features(row), None).is_err() => {
                w.both_ways(row, &self.layer, &backward, merge);
            }
            _ => w.recurrent_kind(row, torch(&self.layer), Some(merge)),
        }
    }
}

/// The wrapped ConvLSTM reading the other way, as Keras' Bidirectional makes its backward
/// layer; `None` for the kinds PyTorch runs both ways in one module.
fn backwards_copy(layer: &Layer) -> Option<Layer> {
    macro_rules! flipped {
        ($($variant:ident),+) => {
            match layer {
                $(Layer::$variant(l) => {
                    let mut b = l.clone();
                    b.go_backwards = !b.go_backwards;
                    Some(Layer::$variant(b))
                })+
                _ => None,
            }
        };
    }
    flipped!(ConvLstm1D, ConvLstm2D, ConvLstm3D)
}

impl Writer {
    /// A Bidirectional layer as two modules, forward and backward, on the same input; the
    /// backward sequence is turned back to time order before the merge, as Keras does.
    fn both_ways(&mut self, row: &Row, forward: &Layer, backward: &Layer, merge: Merge) {
        let auto = forward.kind().auto_name();
        let half = |prefix: &str, layer: &Layer| Row {
            name: Name::new(&format!("{}_{prefix}_{auto}", row.name)),
            class: layer.kind().class(),
            ..row.clone()
        };
        self.forward.push(format!(
            "x_in = x  # {}: each direction reads the same input",
            row.name.escape_debug()
        ));
        self.layer(&half("forward", forward), forward);
        self.forward.push("fwd, x = x, x_in".into());
        self.layer(&half("backward", backward), backward);
        let last_only = forward.kind().drops_time_axis();
        self.forward.push(if last_only {
            "bwd = x".into()
        } else {
            "bwd = torch.flip(x, dims=[1])  # the backward sequence in time order".into()
        });
        self.forward.push(match merge {
            Merge::Concat => "x = torch.cat([fwd, bwd], dim=-1)  # merge_mode=\"concat\"".into(),
            Merge::Sum => "x = fwd + bwd  # merge_mode=\"sum\"".into(),
            Merge::Ave => "x = (fwd + bwd) / 2  # merge_mode=\"ave\"".into(),
            Merge::Mul => "x = fwd * bwd  # merge_mode=\"mul\"".into(),
            Merge::Separate => "x = (fwd, bwd)  # merge_mode=None: both outputs".into(),
        });
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
            return self.no_equivalent(
                &label(row),
                &not_built(&"TimeDistributed needs a time axis"),
            );
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
            params: row.params,
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
                "Keras does not build it either: SpectralNormalization wraps a layer with a kernel or an embeddings table",
            );
        };
        // EinsumDense keeps Keras' kernel in a ParameterDict; the others are nn modules.
        let (weight, keras_layout) = match *self.layer {
            Layer::EinsumDense(_) => (format!("self.{m}[\"kernel\"]"), true),
            Layer::Embedding(_) | Layer::ReversibleEmbedding(_) => {
                (format!("self.{m}.weight"), true)
            }
            _ => (format!("self.{m}.weight"), false),
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
                "if self.training: keras_spectral_normalize({weight}, self.{m}_vector_u, {}, {})  # SpectralNormalization",
                self.power_iterations,
                python_bool(keras_layout)
            ),
        );
    }
}
