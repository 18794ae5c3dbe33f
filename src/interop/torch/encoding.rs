//! CategoryEncoding as `F.one_hot`, then a maximum (multi-hot) or a sum (count) over the ids.

use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{CategoryEncoding, OutputMode};

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
