//! CategoryEncoding as `F.one_hot`, then a maximum (multi-hot) or a sum (count) over the ids;
//! Discretization as `torch.bucketize` into its bins first.

use super::{TorchKind, Writer, py_floats};
use crate::model::Row;
use crate::model::layers::{BinOutput, CategoryEncoding, Discretization, OutputMode};

impl TorchKind for CategoryEncoding {
    fn write(&self, w: &mut Writer, row: &Row) {
        let n = self.num_tokens;
        let name = row.name.escape_debug();
        let dims = &row.input.0;
        let hot = format!("F.one_hot(x.long(), {n}).float()");
        let line = match (self.output_mode, dims.last()) {
            (_, None) => format!("x = {hot}  # {name}: one id per sample"),
            (OutputMode::OneHot, Some(Some(1))) if dims.len() > 1 => {
                format!("x = F.one_hot(x.long().squeeze(-1), {n}).float()  # {name}: one_hot")
            }
            (OutputMode::OneHot, _) => format!("x = {hot}  # {name}: one_hot, one more axis"),
            (OutputMode::MultiHot, _) => {
                format!("x = {hot}.amax(dim=-2)  # {name}: multi_hot, 1 where an id occurs")
            }
            (OutputMode::Count, _) => {
                format!("x = {hot}.sum(dim=-2)  # {name}: count, how often each id occurs")
            }
        };
        w.forward.push(line);
    }
}

impl TorchKind for Discretization {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        let name = row.name.escape_debug();
        // Keras' Discretization computes on float32 values and boundaries.
        w.init.push(match &self.bin_boundaries {
            Some(edges) => format!(
                "self.register_buffer(\"{a}_edges\", torch.tensor({}))  # {name}: Keras' bin_boundaries",
                py_floats(edges)
            ),
            None => format!(
                "self.register_buffer(\"{a}_edges\", torch.zeros({}))  # {name}: Keras learns the bin boundaries with adapt(); copy them in",
                self.num_bins.unwrap_or(1).saturating_sub(1)
            ),
        });
        // The row built, so the bins are known.
        let bins = self.bins().unwrap_or(0);
        // numpy's digitize, which Keras calls: a value on a boundary goes in the bin above it.
        let index = format!("torch.bucketize(x.float(), self.{a}_edges, right=True)");
        let single = matches!(row.input.0.last(), Some(Some(1)));
        let hot = |index: &str| format!("F.one_hot({index}, {bins}).float()");
        w.forward.push(match self.output_mode {
            BinOutput::Int => format!("x = {index}.int()  # {name}: each value's bin"),
            BinOutput::OneHot if single => {
                format!(
                    "x = {}  # {name}: one_hot",
                    hot(&format!("{index}.squeeze(-1)"))
                )
            }
            BinOutput::OneHot => format!("x = {}  # {name}: one_hot, one more axis", hot(&index)),
            BinOutput::MultiHot => format!(
                "x = {}.amax(dim=1)  # {name}: multi_hot over the first axis, as Keras",
                hot(&index)
            ),
            BinOutput::Count => format!(
                "x = {}.sum(dim=1)  # {name}: count over the first axis, as Keras",
                hot(&index)
            ),
        });
    }
}
