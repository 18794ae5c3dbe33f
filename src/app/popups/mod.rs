//! The popups, one file each with its state and how it answers actions. Closing and the
//! routing of an action to the open popup are written once, here.

pub mod block_form;
pub mod budgets;
pub mod columns;
pub mod confirm;
pub mod diff;
pub mod export;
pub mod form;
mod form_cell;
mod form_fields;
mod form_wiring;
pub mod help;
pub mod import;
pub mod open;
pub mod picker;
pub mod prompt;
pub mod recover;
pub mod solve;
pub mod tensors;

use crate::app::action::{Action, Effect};
use crate::app::state::{App, Mode};

/// A popup: its state, kept in [`Mode`] while it is open, and its answers to actions.
pub(crate) trait Popup: Sized {
    /// Answers one action other than `Close`: the mode that follows (the popup itself to
    /// stay open) and the work for the event loop.
    fn handle(self, app: &mut App, action: Action) -> (Mode, Vec<Effect>);

    /// `Close` (Esc): most popups just go; some say what going did.
    fn close(self, _app: &mut App) -> Vec<Effect> {
        Vec::new()
    }
}

impl App {
    /// Hands an action to the open popup. The popup is taken out of the mode while it
    /// answers, so its handler owns its state and may change the rest of the app freely.
    pub(super) fn popup(&mut self, action: Action) -> Vec<Effect> {
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Normal => Vec::new(),
            Mode::Picker(p) => route(self, p, action),
            Mode::Open(p) => route(self, p, action),
            Mode::Form(f) => route(self, f, action),
            Mode::Block(f) => route(self, f, action),
            Mode::Prompt(p) => route(self, p, action),
            Mode::Help(h) => route(self, h, action),
            Mode::Confirm(q) => route(self, q, action),
            Mode::Budgets(f) => route(self, f, action),
            Mode::Solve(v) => route(self, v, action),
            Mode::Export(c) => route(self, c, action),
            Mode::Import(b) => route(self, b, action),
            Mode::Diff(v) => route(self, v, action),
            Mode::Columns(c) => route(self, c, action),
            Mode::Recover(l) => route(self, l, action),
            Mode::Tensors(t) => route(self, t, action),
        }
    }
}

fn route(app: &mut App, popup: impl Popup, action: Action) -> Vec<Effect> {
    if action == Action::Close {
        return popup.close(app);
    }
    let (mode, effects) = popup.handle(app, action);
    app.mode = mode;
    effects
}

/// Typing, deleting and moving in the list of saved designs, filtered as you type (its
/// Ctrl-E and Delete act on the design, so its filter has no cursor). Returns whether
/// `action` was one of them.
fn filter_list(filter: &mut String, index: &mut usize, len: usize, action: &Action) -> bool {
    match action {
        Action::Insert(c) => {
            filter.push(*c);
            *index = 0;
        }
        Action::Backspace => {
            filter.pop();
            *index = 0;
        }
        Action::PopupUp => *index = index.saturating_sub(1),
        Action::PopupDown => *index = (*index + 1).min(len.saturating_sub(1)),
        _ => return false,
    }
    true
}

/// Moves a highlight one row up or down a list of `len` rows; false for any other action.
fn move_in(index: &mut usize, len: usize, action: &Action) -> bool {
    match action {
        Action::PopupUp => *index = index.saturating_sub(1),
        Action::PopupDown => *index = (*index + 1).min(len.saturating_sub(1)),
        _ => return false,
    }
    true
}
