//! An `RNN`'s cell in the edit form: a choice of cell class, then the cell's own fields inline
//! as `cell.units`, `cell.activation`, ... (as a wrapper shows `layer.units`), or, for a
//! `StackedRNNCells`, its cells as one Python list, `[LSTMCell(units=8), GRUCell(units=4)]`.

use serde_json::{Value as Json, json};

use crate::app::popups::form::{Field, Syntax, field, ordered};
use crate::app::text::TextEdit;
use crate::interop::python::literal;
use crate::model::Layer;
use crate::model::layers::{Gru, Lstm, RnnCell, SimpleRnn};

/// The cells an `RNN` runs, as Keras names their classes.
pub const CELL_CLASSES: &[&str] = &["LSTMCell", "GRUCell", "SimpleRNNCell", "StackedRNNCells"];

/// Fields of a recurrent layer that belong to the `RNN` around a cell, not to the cell.
const LAYER_ONLY: &[&str] = &["return_sequences", "return_state", "go_backwards", "name"];

/// The form's fields for a cell: the class choice named `cell`, then the cell's own.
pub fn cell_fields(cell: &RnnCell) -> Vec<Field> {
    let mut fields = vec![Field {
        name: "cell".into(),
        text: TextEdit::new(cell.class()),
        syntax: Syntax::Choice(CELL_CLASSES),
    }];
    match cell {
        RnnCell::Stacked(cells) => {
            let calls: Vec<String> = cells.iter().map(call_text).collect();
            fields.push(Field {
                name: "cell.cells".into(),
                text: TextEdit::new(&format!("[{}]", calls.join(", "))),
                syntax: Syntax::Python,
            });
        }
        one => fields.extend(
            own_fields(one)
                .into_iter()
                .map(|(k, v)| field(one.class(), format!("cell.{k}"), &v)),
        ),
    }
    fields
}

/// The recurrent layer holding a single cell's fields (`None` for a stack).
fn as_layer(cell: &RnnCell) -> Option<Layer> {
    match cell {
        RnnCell::Lstm(l) => Some(Layer::Lstm(l.clone())),
        RnnCell::Gru(l) => Some(Layer::Gru(l.clone())),
        RnnCell::SimpleRnn(l) => Some(Layer::SimpleRnn(l.clone())),
        RnnCell::Stacked(_) => None,
    }
}

/// A single cell's fields in declaration order, without the `RNN`'s own.
fn own_fields(cell: &RnnCell) -> Vec<(String, Json)> {
    as_layer(cell)
        .as_ref()
        .and_then(ordered)
        .map(|(_, values)| {
            values
                .into_iter()
                .filter(|(k, _)| !LAYER_ONLY.contains(&k.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

/// One cell of a stack as a Python call: its units, then what differs from the cell's
/// defaults.
fn call_text(cell: &RnnCell) -> String {
    let default = match cell {
        RnnCell::Lstm(_) => RnnCell::Lstm(Lstm::default()),
        RnnCell::Gru(_) => RnnCell::Gru(Gru::default()),
        RnnCell::SimpleRnn(_) => RnnCell::SimpleRnn(SimpleRnn::default()),
        RnnCell::Stacked(cells) => {
            let calls: Vec<String> = cells.iter().map(call_text).collect();
            return format!("StackedRNNCells([{}])", calls.join(", "));
        }
    };
    let defaults = own_fields(&default);
    let args: Vec<String> = own_fields(cell)
        .into_iter()
        .filter(|(k, v)| k == "units" || !defaults.contains(&(k.clone(), v.clone())))
        .map(|(k, v)| format!("{k}={}", literal(&v)))
        .collect();
    format!("{}({})", cell.class(), args.join(", "))
}

/// The cell a change of class in the form gives: a single cell keeps the units of the one it
/// replaces, a stack starts from the current cell.
pub fn switched(current: Option<RnnCell>, class: &str) -> RnnCell {
    let units = current
        .as_ref()
        .and_then(|c| c.cells().ok()?.first().map(|c| c.units))
        .unwrap_or(32);
    match (class, current) {
        ("StackedRNNCells", Some(stack @ RnnCell::Stacked(_))) => stack,
        ("StackedRNNCells", Some(one)) => RnnCell::Stacked(vec![one]),
        ("StackedRNNCells", None) => RnnCell::Stacked(vec![RnnCell::Lstm(Lstm::default())]),
        (single, _) => serde_json::from_value(json!({ single: { "units": units } }))
            .unwrap_or_else(|_| RnnCell::Lstm(Lstm::default())),
    }
}
