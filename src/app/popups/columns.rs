//! The summary column chooser.

use crate::app::action::{Action, Effect};
use crate::app::popups::{Popup, move_in};
use crate::app::state::{App, Mode};
use crate::report::columns::Column;

/// The column chooser.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnChoice {
    /// The highlighted column.
    pub index: usize,
}

impl Popup for ColumnChoice {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let last = Column::ALL.len() - 1;
        if move_in(&mut self.index, Column::ALL.len(), &action) || action != Action::Toggle {
            return (Mode::Columns(self), Vec::new());
        }
        let col = Column::ALL[self.index.min(last)].1;
        let on = !app.columns.contains(&col);
        // Kept in table order whatever order they are switched on in.
        app.columns = Column::ALL
            .iter()
            .map(|(_, c)| *c)
            .filter(|c| {
                if *c == col {
                    on
                } else {
                    app.columns.contains(c)
                }
            })
            .collect();
        (Mode::Columns(self), vec![Effect::Remember])
    }
}
