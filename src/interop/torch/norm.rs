//! BatchNormalization as `nn.BatchNorm1d` over the normalised axis, LayerNormalization as
//! `nn.LayerNorm` (or Keras' own `rms_scaling` formula), GroupNormalization as
//! `nn.GroupNorm`, and RMSNormalization and UnitNormalization as Keras' formulas.

use super::activation::not_built;
use super::{TorchKind, Writer, label, py_float, python_tuple_always};
use crate::model::layers::{
    BatchNormalization, GroupNormalization, LayerNormalization, RmsNormalization, UnitNormalization,
};
use crate::model::{Row, Shape};

impl TorchKind for BatchNormalization {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.batch_norm(row, self);
    }
}

impl TorchKind for LayerNormalization {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.layer_norm(row, self);
    }
}

impl Writer {
    fn batch_norm(&mut self, row: &Row, bn: &BatchNormalization) {
        let label = format!("{} ({})", row.name, row.class);
        let ndim = row.input.0.len() as i64 + 1;
        let axis = if bn.axis < 0 { ndim + bn.axis } else { bn.axis };
        if axis < 1 || axis >= ndim {
            return self.no_equivalent(
                &label,
                &not_built(&format!("axis={} is not a feature axis", bn.axis)),
            );
        }
        let channels = row.input.0[(axis - 1) as usize].unwrap_or(0);
        let a = self.attr(&row.name);
        let affine = if bn.scale || bn.center {
            ""
        } else {
            ", affine=False"
        };
        self.init.push(format!(
            "self.{a} = nn.BatchNorm1d({channels}, eps={}, momentum={}{affine})  # PyTorch's momentum weighs the new batch: 1 - Keras' {}",
            py_float(bn.epsilon),
            py_float(1.0 - bn.momentum),
            py_float(bn.momentum)
        ));
        self.drop_affine(&a, bn.scale, bn.center);
        if !bn.trainable {
            self.init.push(format!("self.{a}.requires_grad_(False)  # trainable=False (Keras also keeps a frozen BatchNormalization in inference mode: call self.{a}.eval() when training)"));
        }
        self.regularizer_notes(
            &a,
            &[
                (
                    "beta_regularizer",
                    bn.beta_regularizer.map(|r| r.to_string()),
                ),
                (
                    "gamma_regularizer",
                    bn.gamma_regularizer.map(|r| r.to_string()),
                ),
            ],
        );
        if ndim == 2 {
            self.forward.push(format!("x = self.{a}(x)"));
        } else {
            // Statistics per channel over every other axis: move the channels last and fold
            // the rest into one batch axis, which is what BatchNorm1d over (N, C) does.
            self.forward.push(format!(
                "x = self.{a}(x.movedim({axis}, -1).reshape(-1, {channels})).reshape(x.movedim({axis}, -1).shape).movedim(-1, {axis})  # normalises axis {}",
                bn.axis
            ));
        }
    }

    fn layer_norm(&mut self, row: &Row, ln: &LayerNormalization) {
        let ndim = row.input.0.len() as i64 + 1;
        let mut axes: Vec<i64> = ln
            .axis
            .iter()
            .map(|&a| if a < 0 { ndim + a } else { a })
            .collect();
        axes.sort_unstable();
        axes.dedup();
        let trailing = axes
            .iter()
            .rev()
            .enumerate()
            .all(|(i, &a)| a == ndim - 1 - i as i64);
        if !trailing && !ln.rms_scaling {
            return self.layer_norm_on_axes(row, ln, &axes);
        }
        let eps = py_float(ln.epsilon);
        let open = axes
            .iter()
            .any(|&a| row.input.0.get((a - 1) as usize) == Some(&None));
        if open && !ln.scale && !ln.center && !ln.rms_scaling {
            // Nothing to size: Keras builds it on open axes, and so does F.layer_norm.
            self.forward.push(format!(
                "x = F.layer_norm(x, x.shape[-{}:], eps={eps})  # {}: no gamma or beta, over the last axes whatever their sizes",
                axes.len(),
                row.name.escape_debug()
            ));
            return;
        }
        let dims: Vec<u64> = axes
            .iter()
            .map(|&a| row.input.0[(a - 1) as usize].unwrap_or(0))
            .collect();
        let shape = python_tuple_always(&dims);
        let a = self.attr(&row.name);
        if ln.rms_scaling {
            // Keras' (deprecated) rms_scaling divides by the standard deviation without
            // subtracting the mean; nn.RMSNorm uses the root mean square, which is different.
            self.init.push(format!(
                "self.{a} = nn.Parameter(torch.ones({shape}))  # gamma of rms_scaling=True"
            ));
            self.freeze(&a, ln.trainable);
            let reduce: Vec<String> = axes.iter().map(i64::to_string).collect();
            // Gamma lines up with the input's last axes by itself; other axes need its shape.
            let gamma = if trailing {
                format!("self.{a}")
            } else {
                format!("self.{a}.reshape{}", broadcast_shape(&row.input, &axes))
            };
            self.forward.push(format!(
                "x = x * torch.rsqrt(x.var(dim=({},), keepdim=True, unbiased=False) + {eps}) * {gamma}  # Keras' rms_scaling: scaled by the variance, mean not subtracted",
                reduce.join(", ")
            ));
            return;
        }
        let affine = match (ln.scale, ln.center) {
            (true, false) => ", bias=False",
            (false, false) => ", elementwise_affine=False",
            _ => "",
        };
        self.init.push(format!(
            "self.{a} = nn.LayerNorm({shape}, eps={eps}{affine})"
        ));
        if !ln.scale && ln.center {
            self.drop_affine(&a, false, true);
        }
        self.freeze(&a, ln.trainable);
        self.regularizer_notes(
            &a,
            &[
                (
                    "beta_regularizer",
                    ln.beta_regularizer.map(|r| r.to_string()),
                ),
                (
                    "gamma_regularizer",
                    ln.gamma_regularizer.map(|r| r.to_string()),
                ),
            ],
        );
        self.forward.push(format!("x = self.{a}(x)"));
    }
}

impl Writer {
    /// Drops the scale or the shift Keras does not learn from a normalisation module that
    /// has both: PyTorch's batch and layer norm take either as `None`.
    fn drop_affine(&mut self, a: &str, scale: bool, center: bool) {
        if scale && !center {
            self.init.push(format!(
                "self.{a}.register_parameter(\"bias\", None)  # center=False: Keras learns no shift"
            ));
        }
        if center && !scale {
            self.init.push(format!(
                "self.{a}.register_parameter(\"weight\", None)  # scale=False: Keras learns no scale"
            ));
        }
    }

    /// Keras' LayerNormalization over axes that are not the last ones, which nn.LayerNorm
    /// cannot normalise: the statistics written out, gamma and beta broadcast over the rest.
    fn layer_norm_on_axes(&mut self, row: &Row, ln: &LayerNormalization, axes: &[i64]) {
        let dims: Vec<u64> = axes
            .iter()
            .map(|&a| row.input.0[(a - 1) as usize].unwrap_or(0))
            .collect();
        let shape = python_tuple_always(&dims);
        let wide = broadcast_shape(&row.input, axes);
        let a = self.attr(&row.name);
        let mut params = Vec::new();
        if ln.scale {
            params.push(format!("\"weight\": nn.Parameter(torch.ones({shape}))"));
        }
        if ln.center {
            params.push(format!("\"bias\": nn.Parameter(torch.zeros({shape}))"));
        }
        if !params.is_empty() {
            self.init.push(format!(
                "self.{a} = nn.ParameterDict({{{}}})  # nn.LayerNorm normalises the last axes only; this one normalises axis={:?}",
                params.join(", "),
                ln.axis
            ));
            self.freeze(&a, ln.trainable);
        }
        let reduce: Vec<String> = axes.iter().map(i64::to_string).collect();
        let reduce = reduce.join(", ");
        let mut step = format!(
            "x = (x - x.mean(dim=({reduce},), keepdim=True)) * torch.rsqrt(x.var(dim=({reduce},), keepdim=True, unbiased=False) + {})",
            py_float(ln.epsilon)
        );
        if ln.scale {
            step.push_str(&format!(" * self.{a}[\"weight\"].reshape{wide}"));
        }
        if ln.center {
            step.push_str(&format!(" + self.{a}[\"bias\"].reshape{wide}"));
        }
        self.forward.push(format!(
            "{step}  # {}: Keras' LayerNormalization over axis={:?}",
            row.name.escape_debug(),
            ln.axis
        ));
    }
}

impl TorchKind for GroupNormalization {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.group_norm(row, self);
    }
}

impl TorchKind for RmsNormalization {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.rms_norm(row, self);
    }
}

impl TorchKind for UnitNormalization {
    fn write(&self, w: &mut Writer, row: &Row) {
        let ndim = row.input.0.len() as i64 + 1;
        let dims = axes_list(&self.axis, ndim);
        w.forward.push(format!(
            "x = x * torch.rsqrt(torch.clamp(x.pow(2).sum(dim={dims}, keepdim=True), min=1e-12))  # {}: unit L2 norm, as Keras' UnitNormalization",
            row.name.escape_debug()
        ));
    }
}

/// Keras axes (negative from the end, the batch is 0) as a Python tuple of PyTorch dims.
pub(super) fn axes_list(axes: &[i64], ndim: i64) -> String {
    let mut dims: Vec<i64> = axes
        .iter()
        .map(|&a| if a < 0 { ndim + a } else { a })
        .collect();
    dims.sort_unstable();
    dims.dedup();
    let items: Vec<String> = dims.iter().map(i64::to_string).collect();
    format!("({},)", items.join(", "))
}

/// The shape a weight over `axes` takes to broadcast against the whole input: its sizes on
/// those axes, 1 elsewhere (the batch included).
pub(super) fn broadcast_shape(input: &Shape, axes: &[i64]) -> String {
    let ndim = input.0.len() as i64 + 1;
    let keep: Vec<i64> = axes
        .iter()
        .map(|&a| if a < 0 { ndim + a } else { a })
        .collect();
    let mut dims = vec![1u64];
    for (i, d) in input.0.iter().enumerate() {
        let axis = i as i64 + 1;
        dims.push(if keep.contains(&axis) {
            d.unwrap_or(1)
        } else {
            1
        });
    }
    python_tuple_always(&dims)
}

impl Writer {
    fn group_norm(&mut self, row: &Row, g: &GroupNormalization) {
        let Ok((channels, groups)) = g.channels_and_groups(&row.input) else {
            return self.no_equivalent(
                &label(row),
                &not_built(&"the group count does not fit the channels"),
            );
        };
        let ndim = row.input.0.len() as i64 + 1;
        let axis = if g.axis < 0 { ndim + g.axis } else { g.axis };
        let a = self.attr(&row.name);
        let affine = g.scale && g.center;
        let eps = py_float(g.epsilon);
        self.init.push(format!(
            "self.{a} = nn.GroupNorm({groups}, {channels}, eps={eps}{})",
            if affine { "" } else { ", affine=False" }
        ));
        if !affine && (g.scale || g.center) {
            let (name, init) = if g.scale {
                ("gamma", "ones")
            } else {
                ("beta", "zeros")
            };
            self.init.push(format!(
                "self.{a}_affine = nn.ParameterDict({{\"{name}\": nn.Parameter(torch.{init}({channels}))}})  # only {name}: nn.GroupNorm learns both or neither"
            ));
            self.freeze(&format!("{a}_affine"), g.trainable);
        }
        self.freeze(&a, g.trainable);
        // nn.GroupNorm wants the channels on dim 1; the per-channel extras broadcast on the last.
        self.forward.push(format!(
            "x = self.{a}(x.movedim({axis}, 1)).movedim(1, -1)  # channels on axis {} ({groups} groups)",
            g.axis
        ));
        if !affine && g.scale {
            self.forward
                .push(format!("x = x * self.{a}_affine[\"gamma\"]"));
        }
        if !affine && g.center {
            self.forward
                .push(format!("x = x + self.{a}_affine[\"beta\"]"));
        }
        self.forward.push(format!("x = x.movedim(-1, {axis})"));
        self.regularizer_notes(
            &a,
            &[
                (
                    "beta_regularizer",
                    g.beta_regularizer.map(|r| r.to_string()),
                ),
                (
                    "gamma_regularizer",
                    g.gamma_regularizer.map(|r| r.to_string()),
                ),
            ],
        );
    }

    fn rms_norm(&mut self, row: &Row, r: &RmsNormalization) {
        let Ok((dims, rank)) = r.scale_shape(&row.input) else {
            return self.no_equivalent(&label(row), &not_built(&"the axes do not fit the input"));
        };
        let ndim = row.input.0.len() as i64 + 1;
        let a = self.attr(&row.name);
        let mut axes: Vec<i64> = r
            .axis
            .iter()
            .map(|&x| if x < 0 { ndim + x } else { x })
            .collect();
        axes.sort_unstable();
        let trailing = axes
            .iter()
            .rev()
            .enumerate()
            .all(|(i, &x)| x == ndim - 1 - i as i64);
        if trailing && axes.len() == rank {
            // nn.RMSNorm is Keras' formula over the last axes: x / sqrt(mean(x²) + eps) × scale.
            self.init.push(format!(
                "self.{a} = nn.RMSNorm({}, eps={})",
                python_tuple_always(&dims[..rank]),
                py_float(r.epsilon)
            ));
            self.freeze(&a, r.trainable);
            self.forward.push(format!("x = self.{a}(x)"));
            return;
        }
        self.init.push(format!(
            "self.{a} = nn.Parameter(torch.ones({}))  # Keras' scale (nn.RMSNorm only normalises the last axes)",
            python_tuple_always(&dims[..rank])
        ));
        self.freeze(&a, r.trainable);
        self.forward.push(format!(
            "x = x * torch.rsqrt(x.pow(2).mean(dim={}, keepdim=True) + {}) * self.{a}.reshape({})  # Keras' RMSNormalization",
            axes_list(&r.axis, ndim),
            py_float(r.epsilon),
            broadcast_shape(&row.input, &r.axis)
        ));
    }
}
