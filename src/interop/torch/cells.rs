//! RNN with a cell as the matching `nn.LSTM`, `nn.GRU` or `nn.RNN`; a StackedRNNCells as those
//! modules one after the other (each cell reads the one before at every timestep, which is the
//! same as each module reading the whole sequence the one before returns), with every cell's
//! final states at the end when the RNN returns them.

use super::activation::not_built;
use super::{TorchKind, Writer, label};
use crate::model::layers::{CellLayer, Gru, Lstm, Rnn, SimpleRnn};
use crate::model::{Name, Row, Shape};

/// A cell as the recurrent layer it equals, with the RNN's flags for its place in the stack.
enum AsLayer {
    /// An `LSTMCell`.
    Lstm(Lstm),
    /// A `GRUCell`.
    Gru(Gru),
    /// A `SimpleRNNCell`.
    SimpleRnn(SimpleRnn),
}

/// Sets the RNN-level flags on a copy of the cell's fields.
macro_rules! with_flags {
    ($l:expr, $seq:expr, $state:expr, $back:expr, $trainable:expr) => {{
        let mut l = $l.clone();
        l.return_sequences = $seq;
        l.return_state = $state;
        l.go_backwards = $back;
        l.trainable = l.trainable && $trainable;
        l
    }};
}

impl TorchKind for Rnn {
    fn write(&self, w: &mut Writer, row: &Row) {
        let Ok(cells) = self.cell.cells() else {
            return w.no_equivalent(&label(row), &not_built(&"the cell does not build"));
        };
        let mut features = row.input.last().flatten().unwrap_or(0);
        let count = cells.len();
        for (n, c) in cells.iter().enumerate() {
            let last = n + 1 == count;
            let seq = if last { self.return_sequences } else { true };
            let back = n == 0 && self.go_backwards;
            // A stack returns every cell's final states: each module gives its own.
            let state = self.return_state;
            let layer = match c.layer {
                CellLayer::Lstm(l) => {
                    AsLayer::Lstm(with_flags!(l, seq, state, back, self.trainable))
                }
                CellLayer::Gru(l) => AsLayer::Gru(with_flags!(l, seq, state, back, self.trainable)),
                CellLayer::SimpleRnn(l) => {
                    AsLayer::SimpleRnn(with_flags!(l, seq, state, back, self.trainable))
                }
            };
            let name = if count == 1 {
                row.name.clone()
            } else {
                Name::new(&format!("{}_{}", row.name, n + 1))
            };
            let mut input = row.input.clone();
            if let Some(f) = input.0.last_mut() {
                *f = Some(features);
            }
            let one = Row {
                name,
                input: Shape(input.0),
                ..row.clone()
            };
            match &layer {
                AsLayer::Lstm(l) => w.recurrent_kind(&one, l, None),
                AsLayer::Gru(l) => w.recurrent_kind(&one, l, None),
                AsLayer::SimpleRnn(l) => w.recurrent_kind(&one, l, None),
            }
            if count > 1 && self.return_state {
                w.forward.push(format!(
                    "x, *cell_states_{n} = x  # this cell's final states, kept for the end"
                ));
            }
            features = c.units;
        }
        if count > 1 && self.return_state {
            let all: Vec<String> = (0..count).map(|n| format!("*cell_states_{n}")).collect();
            w.forward.push(format!(
                "x = (x, {})  # return_state=True: the output, then every cell's final states in order",
                all.join(", ")
            ));
        }
    }
}
