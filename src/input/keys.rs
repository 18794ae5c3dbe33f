//! Keys: the keymap table's bindings for the active mode, then count digits and typed text.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::Action;
use crate::app::keymap::{BINDINGS, Key, KeyMode};
use KeyMode::{Form, HelpFilter, Import, Normal, OpenList, Picker, Prompt};

fn matches(key: &Key, event: &KeyEvent) -> bool {
    let mods = event.modifiers - KeyModifiers::SHIFT;
    match (key.code, event.code) {
        (KeyCode::Char(a), KeyCode::Char(b)) => {
            let same =
                a == b || (key.mods.contains(KeyModifiers::CONTROL) && a.eq_ignore_ascii_case(&b));
            same && mods == key.mods
        }
        (KeyCode::BackTab, KeyCode::BackTab) => true,
        (a, b) => a == b && mods == key.mods,
    }
}

/// The action a key press means in a mode, if any. Digits before a command form a count in
/// the normal mode; printable characters are typed into popups that take text.
pub fn resolve(mode: KeyMode, event: &KeyEvent) -> Option<Action> {
    if let Some(b) = BINDINGS
        .iter()
        .find(|b| b.mode == mode && b.keys.iter().any(|key| matches(key, event)))
    {
        return Some(b.action.clone());
    }
    let plain = !event
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match (mode, event.code) {
        (Normal, KeyCode::Char(c)) if plain && c.is_ascii_digit() => {
            Some(Action::Digit(c as u8 - b'0'))
        }
        (Picker | OpenList | Form | Prompt | Import | HelpFilter, KeyCode::Char(c))
            if plain && !c.is_control() =>
        {
            Some(Action::Insert(c))
        }
        _ => None,
    }
}
