//! The add-layer picker: the catalogue filtered as you type.

use crate::app::action::{Action, Effect};
use crate::app::popups::{Popup, filter_list};
use crate::app::state::{App, Mode};
use crate::model::Layer;

/// The add-layer picker.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Picker {
    /// Typed filter text.
    pub filter: String,
    /// Highlighted entry among the matches.
    pub index: usize,
}

impl Picker {
    /// The catalogue entries whose class or brief contains the filter, ignoring case.
    pub fn matches(&self) -> Vec<Layer> {
        let f = self.filter.to_lowercase();
        Layer::catalogue()
            .into_iter()
            .filter(|l| {
                let k = l.kind();
                k.class().to_lowercase().contains(&f) || k.brief().to_lowercase().contains(&f)
            })
            .collect()
    }
}

impl Popup for Picker {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let len = self.matches().len();
        if !filter_list(&mut self.filter, &mut self.index, len, &action)
            && action == Action::Confirm
            && let Some(layer) = self.matches().into_iter().nth(self.index)
        {
            let at = app.selected.min(app.design.layers.len());
            app.change(at + 1, |d| d.layers.insert(at, layer));
            return (Mode::Normal, Vec::new());
        }
        (Mode::Picker(self), Vec::new())
    }
}
