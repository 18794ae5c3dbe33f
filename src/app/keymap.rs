//! The one key table. It drives dispatch, the footer and the `?` help, so a binding shown on
//! screen is always the binding that works.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::action::Action;

/// Which set of bindings is active; each popup has its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    /// The three panes.
    Normal,
    /// A list filtered as you type (the layer picker, the open picker).
    Picker,
    /// The edit form.
    Form,
    /// A one-line text prompt (budget, design name).
    Prompt,
    /// The help overlay.
    Help,
    /// A yes/no question.
    Confirm,
}

/// A key with the modifiers that must be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl or Alt; Shift is part of the character itself.
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

/// One row of the table.
#[derive(Debug)]
pub struct Binding {
    /// Where it applies.
    pub mode: KeyMode,
    /// The keys that trigger it.
    pub keys: &'static [Key],
    /// What they do.
    pub action: Action,
    /// Words for the footer and the help.
    pub help: &'static str,
    /// Whether the footer lists it (the help lists every binding).
    pub footer: bool,
}

const fn bind(
    mode: KeyMode,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        mode,
        keys,
        action,
        help,
        footer,
    }
}

use KeyMode::{Confirm, Form, Help, Normal, Picker, Prompt};

/// Every binding, in the order the help lists them.
pub static BINDINGS: &[Binding] = &[
    bind(
        Normal,
        &[k('j'), code(KeyCode::Down)],
        Action::Down,
        "select next",
        false,
    ),
    bind(
        Normal,
        &[k('k'), code(KeyCode::Up)],
        Action::Up,
        "select previous",
        false,
    ),
    bind(
        Normal,
        &[k('g'), code(KeyCode::Home)],
        Action::Top,
        "select the input",
        false,
    ),
    bind(
        Normal,
        &[k('G'), code(KeyCode::End)],
        Action::Bottom,
        "select the last layer",
        false,
    ),
    bind(
        Normal,
        &[code(KeyCode::PageUp)],
        Action::PageUp,
        "page up",
        false,
    ),
    bind(
        Normal,
        &[code(KeyCode::PageDown)],
        Action::PageDown,
        "page down",
        false,
    ),
    bind(
        Normal,
        &[code(KeyCode::Tab)],
        Action::NextPane,
        "next pane",
        false,
    ),
    bind(
        Normal,
        &[code(KeyCode::BackTab)],
        Action::PrevPane,
        "previous pane",
        false,
    ),
    bind(Normal, &[k('+')], Action::Grow, "grow", true),
    bind(Normal, &[k('-')], Action::Shrink, "shrink", true),
    bind(Normal, &[k('>')], Action::GrowMore, "grow ten steps", false),
    bind(
        Normal,
        &[k('<')],
        Action::ShrinkMore,
        "shrink ten steps",
        false,
    ),
    bind(Normal, &[code(KeyCode::Enter)], Action::Edit, "edit", true),
    bind(Normal, &[k('a')], Action::Add, "add", true),
    bind(
        Normal,
        &[k('d'), code(KeyCode::Delete)],
        Action::Delete,
        "delete",
        true,
    ),
    bind(
        Normal,
        &[k('y')],
        Action::Duplicate,
        "duplicate layer",
        false,
    ),
    bind(Normal, &[k('K')], Action::MoveUp, "move layer up", false),
    bind(
        Normal,
        &[k('J')],
        Action::MoveDown,
        "move layer down",
        false,
    ),
    bind(Normal, &[k('u')], Action::Undo, "undo", true),
    bind(Normal, &[ctrl('r')], Action::Redo, "redo", false),
    bind(Normal, &[k('b')], Action::Budget, "parameter budget", false),
    bind(
        Normal,
        &[k('c')],
        Action::Convention,
        "Keras / PyTorch counts",
        false,
    ),
    bind(Normal, &[k('t')], Action::Theme, "next theme", false),
    bind(Normal, &[ctrl('s')], Action::Save, "save", false),
    bind(Normal, &[k('o')], Action::Open, "open saved design", false),
    bind(Normal, &[k('n')], Action::New, "new design", false),
    bind(Normal, &[ctrl('l')], Action::Redraw, "redraw screen", false),
    bind(
        Normal,
        &[ctrl('z')],
        Action::Suspend,
        "suspend (fg to return)",
        false,
    ),
    bind(Normal, &[k('?')], Action::Help, "keys", true),
    bind(Normal, &[k('q'), ctrl('c')], Action::Quit, "quit", true),
    bind(
        Normal,
        &[code(KeyCode::Esc)],
        Action::Close,
        "clear count prefix",
        false,
    ),
    bind(
        Picker,
        &[code(KeyCode::Up), ctrl('p')],
        Action::PopupUp,
        "previous",
        false,
    ),
    bind(
        Picker,
        &[code(KeyCode::Down), ctrl('n')],
        Action::PopupDown,
        "next",
        false,
    ),
    bind(
        Picker,
        &[code(KeyCode::Enter)],
        Action::Confirm,
        "choose",
        true,
    ),
    bind(
        Picker,
        &[code(KeyCode::Backspace)],
        Action::Backspace,
        "erase filter",
        false,
    ),
    bind(Picker, &[code(KeyCode::Esc)], Action::Close, "cancel", true),
    bind(
        Form,
        &[code(KeyCode::Up), code(KeyCode::BackTab)],
        Action::PopupUp,
        "previous field",
        true,
    ),
    bind(
        Form,
        &[code(KeyCode::Down), code(KeyCode::Tab)],
        Action::PopupDown,
        "next field",
        true,
    ),
    bind(
        Form,
        &[code(KeyCode::Backspace)],
        Action::Backspace,
        "erase",
        false,
    ),
    bind(
        Form,
        &[code(KeyCode::Enter)],
        Action::Confirm,
        "apply",
        true,
    ),
    bind(Form, &[code(KeyCode::Esc)], Action::Close, "cancel", true),
    bind(
        Prompt,
        &[code(KeyCode::Backspace)],
        Action::Backspace,
        "erase",
        false,
    ),
    bind(
        Prompt,
        &[code(KeyCode::Enter)],
        Action::Confirm,
        "accept",
        true,
    ),
    bind(Prompt, &[code(KeyCode::Esc)], Action::Close, "cancel", true),
    bind(
        Help,
        &[k('j'), code(KeyCode::Down)],
        Action::PopupDown,
        "scroll down",
        true,
    ),
    bind(
        Help,
        &[k('k'), code(KeyCode::Up)],
        Action::PopupUp,
        "scroll up",
        true,
    ),
    bind(
        Help,
        &[code(KeyCode::Esc), k('?'), k('q')],
        Action::Close,
        "close",
        true,
    ),
    bind(
        Confirm,
        &[k('y'), code(KeyCode::Enter)],
        Action::Confirm,
        "yes",
        true,
    ),
    bind(Confirm, &[k('n')], Action::Deny, "no", true),
    bind(
        Confirm,
        &[code(KeyCode::Esc)],
        Action::Close,
        "cancel",
        true,
    ),
];

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
        (Picker | Form | Prompt, KeyCode::Char(c)) if plain && !c.is_control() => {
            Some(Action::Insert(c))
        }
        _ => None,
    }
}

/// The bindings of a mode, in table order.
pub fn bindings(mode: KeyMode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.mode == mode)
}

/// How a key is written on screen: `j`, `↓`, `C-r`, `Enter`.
pub fn label(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        other => format!("{other:?}"),
    };
    if key.mods.contains(KeyModifiers::CONTROL) {
        format!("C-{base}")
    } else {
        base
    }
}

/// All keys of a binding joined: `j/↓`.
pub fn keys_label(binding: &Binding) -> String {
    binding.keys.iter().map(label).collect::<Vec<_>>().join("/")
}
