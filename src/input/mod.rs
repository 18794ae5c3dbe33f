//! Input: turns a terminal event, read against the screen as last drawn, into the
//! [`Action`]s it means. Keys go through the keymap table, clicks and the wheel through
//! [`crate::ui::hit`], pasted text is cleaned for the text field it fills; the app then only
//! ever sees intentions (`Focus`, `Select`, `Scroll`), never cells or key codes.

mod keys;
mod mouse;
mod paste;

use ratatui::crossterm::event::{Event, KeyEventKind};

use crate::app::{Action, App};
pub use keys::resolve;

/// What one terminal event means for the app, last action first (the caller pops them).
pub fn to_actions(app: &App, event: Event) -> Vec<Action> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => {
            resolve(app.mode.keys(), &key).into_iter().collect()
        }
        Event::Mouse(m) => mouse::actions(app, m),
        Event::Resize(w, h) => vec![Action::Resize(w, h)],
        Event::Paste(text) => paste::actions(app, &text),
        _ => vec![],
    }
}
