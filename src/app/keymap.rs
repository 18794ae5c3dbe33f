//! The one key table. It drives dispatch (the input layer resolves keys with it), the footer
//! and the `?` help, so a binding shown on screen is always the binding that works.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::app::action::Action;
use crate::app::text::TextOp;

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
    /// A fit-to-budget proposal.
    Solve,
    /// The import box (text is typed or pasted).
    Import,
    /// The summary column chooser.
    Columns,
    /// The list of unsaved work left by ended instances, shown at start.
    Recover,
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

const fn alt(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::ALT,
    }
}

const fn ctrl_code(code: KeyCode) -> Key {
    Key {
        code,
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
    /// Its short label in the footer, if the footer lists it (the help lists every binding).
    pub footer: Option<&'static str>,
}

const fn bind(
    mode: KeyMode,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    footer: Option<&'static str>,
) -> Binding {
    Binding {
        mode,
        keys,
        action,
        help,
        footer,
    }
}

use KeyCode::{
    BackTab, Backspace, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up,
};
use KeyMode::{Columns, Confirm, Form, Help, Import, Normal, Picker, Prompt, Recover, Solve};

/// Every binding, in the order the help lists them.
// One binding per line and aligned, so the table reads as one.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    bind(Normal,  &[k('j'), code(Down)],        Action::Down,         "select next",                                        None),
    bind(Normal,  &[k('k'), code(Up)],          Action::Up,           "select previous",                                    None),
    bind(Normal,  &[k('g'), code(Home)],        Action::Top,          "select the input",                                   None),
    bind(Normal,  &[k('G'), code(End)],         Action::Bottom,       "select the last layer",                              None),
    bind(Normal,  &[code(PageUp)],              Action::PageUp,       "page up",                                            None),
    bind(Normal,  &[code(PageDown)],            Action::PageDown,     "page down",                                          None),
    bind(Normal,  &[code(Tab)],                 Action::NextPane,     "next pane",                                          None),
    bind(Normal,  &[code(BackTab)],             Action::PrevPane,     "previous pane",                                      None),
    bind(Normal,  &[k('+')],                    Action::Grow,         "grow the size: units, rate (+0.05), ...",            Some("grow")),
    bind(Normal,  &[k('-')],                    Action::Shrink,       "shrink the size",                                    Some("shrink")),
    bind(Normal,  &[k('>')],                    Action::GrowMore,     "grow ten steps",                                     None),
    bind(Normal,  &[k('<')],                    Action::ShrinkMore,   "shrink ten steps",                                   None),
    bind(Normal,  &[code(Enter)],               Action::Edit,         "edit every field of the layer or input",             Some("edit")),
    bind(Normal,  &[k('a')],                    Action::Add,          "add a layer after the selection",                    Some("add")),
    bind(Normal,  &[k('d'), code(Delete)],      Action::Delete,       "delete the layer",                                   Some("delete")),
    bind(Normal,  &[k('y')],                    Action::Duplicate,    "duplicate the layer",                                None),
    bind(Normal,  &[k('K')],                    Action::MoveUp,       "move layer up",                                      None),
    bind(Normal,  &[k('J')],                    Action::MoveDown,     "move layer down",                                    None),
    bind(Normal,  &[k('u')],                    Action::Undo,         "undo the last change",                               Some("undo")),
    bind(Normal,  &[ctrl('r')],                 Action::Redo,         "redo",                                               None),
    bind(Normal,  &[k('b')],                    Action::Budget,       "set budgets: parameters, memory, MACs",              None),
    bind(Normal,  &[k('f')],                    Action::FitLayer,     "fit to budget: largest size of this layer",          None),
    bind(Normal,  &[k('F')],                    Action::FitAll,       "fit to budget: scale all widths",                    None),
    bind(Normal,  &[k('c')],                    Action::Convention,   "count as Keras or PyTorch",                          None),
    bind(Normal,  &[k('t')],                    Action::Theme,        "next theme",                                         None),
    bind(Normal,  &[k('v')],                    Action::Columns,      "summary columns: input, MACs, memory, %, trainable", None),
    bind(Normal,  &[ctrl('s')],                 Action::Save,         "save",                                               None),
    bind(Normal,  &[k('S')],                    Action::SaveAs,       "save under a new name",                              None),
    bind(Normal,  &[k('o')],                    Action::Open,         "open saved design",                                  None),
    bind(Normal,  &[k('n')],                    Action::New,          "new design",                                         None),
    bind(Normal,  &[k('D')],                    Action::Compare,      "compare with a saved design",                        None),
    bind(Normal,  &[k('e')],                    Action::Export,       "export: Keras, PyTorch, JSON, Markdown",             None),
    bind(Normal,  &[k('i')],                    Action::Import,       "import Keras code or JSON (paste it)",               None),
    bind(Normal,  &[ctrl('l')],                 Action::Redraw,       "redraw screen",                                      None),
    bind(Normal,  &[ctrl('z')],                 Action::Suspend,      "suspend (fg to return)",                             None),
    bind(Normal,  &[k('?')],                    Action::Help,         "this help",                                          Some("keys")),
    bind(Normal,  &[k('q'), ctrl('c')],         Action::Quit,         "quit (asks if unsaved)",                             Some("quit")),
    bind(Normal,  &[code(Esc)],                 Action::Close,        "clear count prefix",                                 None),
    bind(Picker,  &[code(Up), ctrl('p')],       Action::PopupUp,      "previous",                                           None),
    bind(Picker,  &[code(Down), ctrl('n')],     Action::PopupDown,    "next",                                               None),
    bind(Picker,  &[code(Enter)],               Action::Confirm,      "choose",                                             Some("choose")),
    bind(Picker,  &[code(Backspace)],           Action::Backspace,    "erase filter",                                       None),
    bind(Picker,  &[ctrl('e')],                 Action::RenameSaved,  "rename the saved design (open list)",                None),
    bind(Picker,  &[code(Delete)],              Action::DeleteSaved,  "delete the saved design (open list; asks)",          None),
    bind(Picker,  &[code(Esc)],                 Action::Close,        "cancel",                                             Some("cancel")),
    bind(Form,    &[code(Up), code(BackTab)],   Action::PopupUp,      "previous field",                                     Some("previous field")),
    bind(Form,    &[code(Down), code(Tab)],     Action::PopupDown,    "next field",                                         Some("next field")),
    bind(Form,    &[code(Left)],               Action::Text(TextOp::Left),           "cursor left (a choice: previous)",      None),
    bind(Form,    &[code(Right)],              Action::Text(TextOp::Right),          "cursor right (a choice: next)",         None),
    bind(Form,    &[code(Home), ctrl('a')],    Action::Text(TextOp::Home),           "to the start of the text",              None),
    bind(Form,    &[code(End), ctrl('e')],     Action::Text(TextOp::End),            "to the end of the text",                None),
    bind(Form,    &[code(Delete)],             Action::Text(TextOp::DeleteForward),  "erase the character under the cursor",  None),
    bind(Form,    &[ctrl('u')],                Action::Text(TextOp::KillToStart),    "erase to the start",                    None),
    bind(Form,    &[ctrl('w')],                Action::Text(TextOp::KillWord),       "erase the word before the cursor",      None),
    bind(Form,    &[ctrl('k')],                Action::Text(TextOp::KillToEnd),      "erase to the end",                      None),
    bind(Form,    &[code(Backspace)],           Action::Backspace,    "erase",                                              None),
    bind(Form,    &[code(Enter)],               Action::Confirm,      "apply",                                              Some("apply")),
    bind(Form,    &[code(Esc)],                 Action::Close,        "cancel",                                             Some("cancel")),
    bind(Prompt,  &[code(Backspace)],           Action::Backspace,    "erase",                                              None),
    bind(Prompt,  &[code(Left)],               Action::Text(TextOp::Left),           "cursor left",                           None),
    bind(Prompt,  &[code(Right)],              Action::Text(TextOp::Right),          "cursor right",                          None),
    bind(Prompt,  &[code(Home), ctrl('a')],    Action::Text(TextOp::Home),           "to the start of the text",              None),
    bind(Prompt,  &[code(End), ctrl('e')],     Action::Text(TextOp::End),            "to the end of the text",                None),
    bind(Prompt,  &[code(Delete)],             Action::Text(TextOp::DeleteForward),  "erase the character under the cursor",  None),
    bind(Prompt,  &[ctrl('u')],                Action::Text(TextOp::KillToStart),    "erase to the start",                    None),
    bind(Prompt,  &[ctrl('w')],                Action::Text(TextOp::KillWord),       "erase the word before the cursor",      None),
    bind(Prompt,  &[ctrl('k')],                Action::Text(TextOp::KillToEnd),      "erase to the end",                      None),
    bind(Prompt,  &[code(Enter)],               Action::Confirm,      "accept",                                             Some("accept")),
    bind(Prompt,  &[code(Esc)],                 Action::Close,        "cancel",                                             Some("cancel")),
    bind(Solve,   &[code(Enter)],               Action::Confirm,      "apply as one undoable change",                       Some("apply")),
    bind(Solve,   &[k('m')],                    Action::NextMultiple, "round to 1, 8, 16 or 64",                            Some("multiple")),
    bind(Solve,   &[k('s'), code(Tab)],         Action::SwitchScope,  "this layer or all widths",                           Some("scope")),
    bind(Solve,   &[code(Esc), k('q')],         Action::Close,        "cancel",                                             Some("cancel")),
    bind(Columns, &[code(Up), k('k')],          Action::PopupUp,      "previous",                                           None),
    bind(Columns, &[code(Down), k('j')],        Action::PopupDown,    "next",                                               None),
    bind(Columns, &[k(' '), code(Enter)],       Action::Toggle,       "show or hide the column",                            Some("toggle")),
    bind(Columns, &[code(Esc), k('v'), k('q')], Action::Close,        "close",                                              Some("close")),
    bind(Import,  &[alt(Enter), ctrl_code(Enter), ctrl('d')], Action::Confirm,                      "import as a new design",                Some("import")),
    bind(Import,  &[code(Enter)],              Action::Insert('\n'),                 "new line",                              None),
    bind(Import,  &[code(Backspace)],           Action::Backspace,    "erase",                                              None),
    bind(Import,  &[code(Left)],               Action::Text(TextOp::Left),           "cursor left",                           None),
    bind(Import,  &[code(Right)],              Action::Text(TextOp::Right),          "cursor right",                          None),
    bind(Import,  &[code(Home), ctrl('a')],    Action::Text(TextOp::Home),           "to the start of the text",              None),
    bind(Import,  &[code(End), ctrl('e')],     Action::Text(TextOp::End),            "to the end of the text",                None),
    bind(Import,  &[code(Delete)],             Action::Text(TextOp::DeleteForward),  "erase the character under the cursor",  None),
    bind(Import,  &[ctrl('u')],                Action::Text(TextOp::KillToStart),    "erase to the start",                    None),
    bind(Import,  &[ctrl('w')],                Action::Text(TextOp::KillWord),       "erase the word before the cursor",      None),
    bind(Import,  &[ctrl('k')],                Action::Text(TextOp::KillToEnd),      "erase to the end",                      None),
    bind(Import,  &[code(Esc)],                 Action::Close,        "cancel",                                             Some("cancel")),
    bind(Help,    &[k('j'), code(Down)],        Action::PopupDown,    "scroll down",                                        Some("scroll down")),
    bind(Help,    &[k('k'), code(Up)],          Action::PopupUp,      "scroll up",                                          Some("scroll up")),
    bind(Help,    &[code(Esc), k('?'), k('q')], Action::Close,        "close",                                              Some("close")),
    bind(Confirm, &[k('y'), code(Enter)],       Action::Confirm,      "yes",                                                Some("yes")),
    bind(Confirm, &[k('n')],                    Action::Deny,         "no",                                                 Some("no")),
    bind(Confirm, &[code(Esc)],                 Action::Close,        "cancel",                                             Some("cancel")),
    bind(Recover, &[k('k'), code(Up)],          Action::PopupUp,      "previous copy",                                      None),
    bind(Recover, &[k('j'), code(Down)],        Action::PopupDown,    "next copy",                                          None),
    bind(Recover, &[k('r'), code(Enter)],       Action::Confirm,      "restore this copy (the others are kept for later)",  Some("restore")),
    bind(Recover, &[k('l')],                    Action::KeepForLater, "keep this copy for a later start",                   Some("later")),
    bind(Recover, &[k('d'), code(Delete)],      Action::DiscardCopy,  "discard this copy",                                  Some("discard")),
    bind(Recover, &[code(Esc), k('q')],         Action::Close,        "keep every copy for later and close",                Some("close")),
];

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
    } else if key.mods.contains(KeyModifiers::ALT) {
        format!("M-{base}")
    } else {
        base
    }
}

/// All keys of a binding joined: `j/↓`.
pub fn keys_label(binding: &Binding) -> String {
    binding.keys.iter().map(label).collect::<Vec<_>>().join("/")
}
