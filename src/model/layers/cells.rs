//! `RNN` with a cell: the generic recurrent layer around an `LSTMCell`, `GRUCell`,
//! `SimpleRNNCell`, or a `StackedRNNCells` list of them that runs as one cell (each cell reads
//! the one before at every timestep). Counts are those of the matching recurrent layers.

use serde::{Deserialize, Serialize};

use super::recurrent::{Cell, rnn_explain, rnn_macs, rnn_output, rnn_weights};
use super::{
    Gru, Keras, KerasFacts, Kind, Knob, KnobValue, Lstm, MaskUse, NONE_NOTE, SimpleRnn, is_false,
    is_true, known_last, regularizer_notes, yes,
};
use crate::model::compute::Tally;
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink, add};

/// The cell an `RNN` runs at every timestep. A cell keeps the fields of its recurrent layer;
/// the layer-only ones (`return_sequences`, ...) are the `RNN`'s and are ignored here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RnnCell {
    /// `keras.layers.LSTMCell`: 4 gates.
    #[serde(rename = "LSTMCell")]
    Lstm(Lstm),
    /// `keras.layers.GRUCell`: 3 gates.
    #[serde(rename = "GRUCell")]
    Gru(Gru),
    /// `keras.layers.SimpleRNNCell`: one gate.
    #[serde(rename = "SimpleRNNCell")]
    SimpleRnn(SimpleRnn),
    /// `keras.layers.StackedRNNCells`: the cells in order, each reading the one before.
    #[serde(rename = "StackedRNNCells")]
    Stacked(Vec<RnnCell>),
}

/// One cell's arithmetic and fields, as a stack lists them.
pub struct CellOf<'a> {
    /// The Keras cell class, e.g. `LSTMCell`.
    pub class: &'static str,
    /// The gate arithmetic its recurrent layer shares.
    pub(crate) cell: Cell,
    /// Hidden units.
    pub units: u64,
    /// Whether its gates carry biases.
    pub use_bias: bool,
    /// The recurrent layer that holds its fields.
    pub layer: CellLayer<'a>,
}

/// The recurrent layer whose fields a cell keeps.
#[derive(Debug, Clone, Copy)]
pub enum CellLayer<'a> {
    /// An `LSTMCell`.
    Lstm(&'a Lstm),
    /// A `GRUCell`.
    Gru(&'a Gru),
    /// A `SimpleRNNCell`.
    SimpleRnn(&'a SimpleRnn),
}

impl RnnCell {
    /// The cells in the order they run: one, or a stack's.
    pub fn cells(&self) -> Result<Vec<CellOf<'_>>, LayerError> {
        fn one(c: &RnnCell) -> Option<CellOf<'_>> {
            Some(match c {
                RnnCell::Lstm(l) => CellOf {
                    class: "LSTMCell",
                    cell: l.cell(),
                    units: l.units,
                    use_bias: l.use_bias,
                    layer: CellLayer::Lstm(l),
                },
                RnnCell::Gru(l) => CellOf {
                    class: "GRUCell",
                    cell: l.cell(),
                    units: l.units,
                    use_bias: l.use_bias,
                    layer: CellLayer::Gru(l),
                },
                RnnCell::SimpleRnn(l) => CellOf {
                    class: "SimpleRNNCell",
                    cell: l.cell(),
                    units: l.units,
                    use_bias: l.use_bias,
                    layer: CellLayer::SimpleRnn(l),
                },
                RnnCell::Stacked(_) => return None,
            })
        }
        let nested = || {
            LayerError::field(
                "cell",
                "lstm-tui reads StackedRNNCells of LSTMCell, GRUCell and SimpleRNNCell, not a stack inside a stack: list the inner stack's cells in the outer one",
            )
        };
        match self {
            RnnCell::Stacked(cells) if cells.is_empty() => Err(LayerError::field(
                "cell",
                "StackedRNNCells needs at least one cell",
            )),
            RnnCell::Stacked(cells) => cells.iter().map(|c| one(c).ok_or_else(nested)).collect(),
            c => Ok(vec![one(c).ok_or_else(nested)?]),
        }
    }

    /// The Keras class of this cell.
    pub fn class(&self) -> &'static str {
        match self {
            RnnCell::Lstm(_) => "LSTMCell",
            RnnCell::Gru(_) => "GRUCell",
            RnnCell::SimpleRnn(_) => "SimpleRNNCell",
            RnnCell::Stacked(_) => "StackedRNNCells",
        }
    }

    /// The units of the cell the output comes from (a stack's last).
    fn units(&self) -> Result<u64, LayerError> {
        self.cells()?
            .last()
            .map(|c| c.units)
            .ok_or_else(|| LayerError::field("cell", "needs a cell"))
    }
}

/// `keras.layers.RNN`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rnn {
    /// The cell run at every timestep.
    pub cell: RnnCell,
    /// True: output every timestep; false: only the last.
    pub return_sequences: bool,
    /// True: also output the final states, as a list.
    #[serde(skip_serializing_if = "is_false")]
    pub return_state: bool,
    /// Process the sequence backwards; changes no count.
    pub go_backwards: bool,
    /// Carry the states from batch to batch; changes no count.
    #[serde(skip_serializing_if = "is_false")]
    pub stateful: bool,
    /// Unroll the loop; changes no count.
    #[serde(skip_serializing_if = "is_false")]
    pub unroll: bool,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the cell's weights.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Rnn {
    fn default() -> Self {
        Self {
            cell: RnnCell::Lstm(Lstm::default()),
            return_sequences: false,
            return_state: false,
            go_backwards: false,
            stateful: false,
            unroll: false,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Rnn {
    const FACTS: KerasFacts = KerasFacts {
        required: &["cell"],
        positional: &[
            "cell",
            "return_sequences",
            "return_state",
            "go_backwards",
            "stateful",
            "unroll",
            "zero_output_for_mask",
        ],
        leading: 1,
        mask: MaskUse::TakesAndPasses,
        ..KerasFacts::PLAIN
    };
}

/// The input each cell of a stack reads at one timestep: the sequence's features for the
/// first, the previous cell's units after that.
fn cell_inputs(cells: &[CellOf<'_>], input: &Shape) -> Result<Vec<Shape>, LayerError> {
    let t = input.0.first().copied().flatten();
    let mut features = known_last(input, "the RNN")?;
    let mut shapes = Vec::with_capacity(cells.len());
    for c in cells {
        shapes.push(Shape(vec![t, Some(features)].into()));
        features = c.units;
    }
    Ok(shapes)
}

impl Kind for Rnn {
    fn auto_name(&self) -> &'static str {
        "rnn"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let units = self.cell.units()?;
        for c in self.cell.cells()? {
            super::positive("units", c.units)?;
        }
        let out = rnn_output("RNN", units, self.return_sequences, input)?;
        if !self.return_state {
            return Ok(out);
        }
        let mut all = vec![match out {
            Output::One(s) => s,
            Output::Many(mut v) => v.remove(0),
        }];
        for c in self.cell.cells()? {
            all.extend(
                c.cell
                    .states
                    .iter()
                    .map(|_| Shape(vec![Some(c.units)].into())),
            );
        }
        Ok(Output::Many(all))
    }
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let cells = self.cell.cells()?;
        for (c, shape) in cells.iter().zip(cell_inputs(&cells, input)?) {
            let i = known_last(&shape, "the cell")?;
            rnn_weights(&c.cell, i, c.units, c.use_bias, convention, sink)?;
        }
        Ok(())
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let cells = self.cell.cells()?;
        let shapes = cell_inputs(&cells, input)?;
        if let ([c], [shape]) = (cells.as_slice(), shapes.as_slice()) {
            let mut e = rnn_explain(
                &c.cell,
                shape,
                c.units,
                c.use_bias,
                self.return_sequences,
                convention,
            )?;
            e.note(format!(
                "RNN({}) counts as {} does: the layer only loops the cell over the timesteps.",
                c.class, c.cell.class
            ));
            self.cell_notes(&mut e, &cells);
            return Ok(e);
        }
        let mut e = Explanation::default();
        let mut total = 0u64;
        let mut parts = Vec::with_capacity(cells.len());
        for (n, (c, shape)) in cells.iter().zip(&shapes).enumerate() {
            let one = rnn_explain(&c.cell, shape, c.units, c.use_bias, true, convention)?;
            let value = one.steps.last().map_or(0, |s| s.value);
            for s in one.steps {
                e.step(
                    format!("cell {} ({}): {}", n + 1, c.class, s.what),
                    s.expr,
                    s.value,
                );
            }
            total = add(&[total, value])?;
            parts.push(thousands(value));
        }
        e.step(
            format!(
                "StackedRNNCells: {} cells, each reading the one before (the first reads the {} input features)",
                cells.len(),
                shapes.first().and_then(|s| s.last().flatten()).unwrap_or(0)
            ),
            parts.join(" + "),
            total,
        );
        e.note("The stack runs as one cell: at every timestep each cell's output is the next cell's input; the RNN outputs the last cell's.");
        e.note(NONE_NOTE);
        self.cell_notes(&mut e, &cells);
        Ok(e)
    }
    fn macs(&self, input: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let cells = self.cell.cells()?;
        let mut total = 0u64;
        for (c, shape) in cells.iter().zip(cell_inputs(&cells, input)?) {
            let mut one = tally.nested();
            let n = rnn_macs(&c.cell, &shape, c.units, &mut one)?;
            let prefix = if cells.len() > 1 {
                format!("{}: ", c.class)
            } else {
                String::new()
            };
            tally.absorb(one, &prefix);
            total = add(&[total, n])?;
        }
        if cells.len() > 1 {
            total = tally.step(
                || "the cells of the stack together".into(),
                || "sum of the cells".into(),
                total,
            );
        }
        Ok(total)
    }
    fn brief(&self) -> String {
        let cells = self.cell.cells().unwrap_or_default();
        let inner: Vec<String> = cells
            .iter()
            .map(|c| format!("{} {}", c.class, c.units))
            .collect();
        let mut s = format!("RNN({})", inner.join(", "));
        if self.return_sequences {
            s.push_str(" seq");
        }
        if self.return_state {
            s.push_str(" state");
        }
        s
    }
    fn knob(&self) -> Option<Knob> {
        let units = self.cell.units().ok()?;
        Some(Knob {
            field: "units",
            value: KnobValue::Count(units),
        })
    }
    fn set_knob(&mut self, value: KnobValue) {
        let KnobValue::Count(v) = value else { return };
        let last = match &mut self.cell {
            RnnCell::Stacked(cells) => cells.last_mut(),
            one => Some(one),
        };
        match last {
            Some(RnnCell::Lstm(l)) => l.units = v.max(1),
            Some(RnnCell::Gru(l)) => l.units = v.max(1),
            Some(RnnCell::SimpleRnn(l)) => l.units = v.max(1),
            _ => {}
        }
    }
    fn drops_time_axis(&self) -> bool {
        !self.return_sequences
    }
    name_and_trainable!();
}

impl Rnn {
    /// Penalties and dropout the cells set: no parameters.
    fn cell_notes(&self, e: &mut Explanation, cells: &[CellOf<'_>]) {
        for c in cells {
            let (k, r, b, dropout) = match c.layer {
                CellLayer::Lstm(l) => (
                    l.kernel_regularizer,
                    l.recurrent_regularizer,
                    l.bias_regularizer,
                    l.dropout + l.recurrent_dropout,
                ),
                CellLayer::Gru(l) => (
                    l.kernel_regularizer,
                    l.recurrent_regularizer,
                    l.bias_regularizer,
                    l.dropout + l.recurrent_dropout,
                ),
                CellLayer::SimpleRnn(l) => (
                    l.kernel_regularizer,
                    l.recurrent_regularizer,
                    l.bias_regularizer,
                    l.dropout + l.recurrent_dropout,
                ),
            };
            regularizer_notes(
                e,
                &[
                    ("kernel_regularizer", k),
                    ("recurrent_regularizer", r),
                    ("bias_regularizer", b),
                ],
            );
            if dropout > 0.0 {
                e.note(format!("{}: dropout and recurrent_dropout only zero activations while training: no parameters.", c.class));
            }
        }
        if self.return_state {
            e.note("return_state=True: the RNN also returns every cell's final state(s) after its output, as a list; no extra parameters.");
        }
    }
}
