//! This design compared with a saved one, read from the saved design (the base) to this one.

use crate::app::action::{Action, Effect};
use crate::app::popups::Popup;
use crate::app::state::{App, Mode};
use crate::model::diff::{Diff, diff};
use crate::model::{Convention, Design};
use crate::report::layer_changes::changes;

/// A comparison on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffView {
    /// The saved design's name.
    pub name: String,
    /// The saved design (first) against this one (second): `+` is what is new here.
    pub diff: Box<Diff>,
    /// What changed in each changed row (`rate 0.5 → 0.3`), by its place among the
    /// comparison's lines, in order; spelled out once here so that drawing only reads.
    pub notes: Vec<(usize, String)>,
    /// First line shown.
    pub scroll: usize,
}

impl DiffView {
    /// The comparison of `current` with the saved design `saved`, called `name`.
    pub fn of(saved: &Design, current: &Design, name: String, convention: Convention) -> Self {
        let diff = diff(saved, current, convention);
        let notes = diff
            .changed()
            .filter_map(|(at, i, j)| {
                let note = changes(saved.layers.get(i)?, current.layers.get(j)?).join(", ");
                (!note.is_empty()).then_some((at, note))
            })
            .collect();
        DiffView {
            name,
            diff: Box::new(diff),
            notes,
            scroll: 0,
        }
    }

    /// How many lines the comparison's text has between its header and its totals: a line
    /// per row and one under each changed row saying what changed.
    pub fn body_lines(&self) -> usize {
        self.diff.line_count() + self.notes.len()
    }
}

impl Popup for DiffView {
    fn handle(mut self, _app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        match action {
            // A comparison has a line per layer, more than a u16 counts; scrolling stops at
            // its last line.
            Action::PopupDown => self.scroll = (self.scroll + 1).min(self.body_lines()),
            Action::PopupUp => self.scroll = self.scroll.saturating_sub(1),
            _ => {}
        }
        (Mode::Diff(self), Vec::new())
    }
}
