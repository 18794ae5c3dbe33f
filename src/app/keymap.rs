//! The one key table. It drives dispatch (the input layer resolves keys with it), the footer
//! and the `?` help, so a binding shown on screen is always the binding that works.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::app::action::Action;
use crate::app::state::Pane;
use crate::app::text::TextOp;

/// Which set of bindings is active; each popup has its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    /// The three panes.
    Normal,
    /// A list filtered as you type, its filter edited as every text field is: the layer
    /// picker.
    Picker,
    /// The list of saved designs, filtered as you type; its Ctrl-E and Delete rename and
    /// delete the highlighted design instead of editing the filter.
    OpenList,
    /// The edit form.
    Form,
    /// A one-line text prompt (budget, design name).
    Prompt,
    /// The help overlay.
    Help,
    /// Typing a filter into the help.
    HelpFilter,
    /// This design compared with a saved one.
    Compare,
    /// Quitting with unsaved changes: save first, quit anyway, or stay.
    Quit,
    /// A yes/no question.
    Confirm,
    /// A fit-to-budget proposal.
    Solve,
    /// The import box (text is typed or pasted).
    Import,
    /// The summary column chooser.
    Columns,
    /// The export formats.
    Export,
    /// The list of unsaved work left by ended instances, shown at start.
    Recover,
    /// The tensors a layer may read.
    Tensors,
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

/// Where the help lists a binding of the panes; a popup's bindings are listed under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Moving the selection, scrolling, changing panes.
    Navigate,
    /// Changing the design.
    Edit,
    /// Budgets and fitting to them.
    Budget,
    /// Saving, opening, importing, exporting, quitting.
    Files,
    /// How things are shown.
    View,
    /// A popup's own key, listed under that popup.
    Popup,
}

impl Section {
    /// The sections of the panes' keys, in the order the help lists them, with their headings.
    pub const PANES: [(Section, &'static str); 5] = [
        (Section::Navigate, "Navigate"),
        (Section::Edit, "Edit"),
        (Section::Budget, "Budget"),
        (Section::Files, "Files"),
        (Section::View, "View"),
    ];
}

/// A binding's entry in the footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    /// The keys as the footer shows them, when not the binding's first key (`+/-`, `j/k`).
    pub keys: Option<&'static str>,
    /// Its short label.
    pub words: &'static str,
    /// How much it matters: a narrow footer shows rank 0 first, then 1, and so on.
    pub rank: u8,
    /// The panes whose focus shows it; popups ignore this.
    pub panes: &'static [Pane],
}

impl Hint {
    /// The keys as the footer shows them.
    pub fn keys_text(&self, binding: &Binding) -> String {
        match self.keys {
            Some(k) => k.to_string(),
            None => binding.keys.first().map(label).unwrap_or_default(),
        }
    }
}

const ALL: &[Pane] = &[Pane::Layers, Pane::Summary, Pane::Detail];
/// The panes that list layers: a layer is selected there.
const LIST: &[Pane] = &[Pane::Layers, Pane::Summary];
const SUMMARY: &[Pane] = &[Pane::Summary];
const DETAIL: &[Pane] = &[Pane::Detail];

const fn hint(
    keys: Option<&'static str>,
    words: &'static str,
    rank: u8,
    panes: &'static [Pane],
) -> Option<Hint> {
    Some(Hint {
        keys,
        words,
        rank,
        panes,
    })
}

/// A popup's hint: always shown, its first key as the key.
const fn pop(words: &'static str) -> Option<Hint> {
    hint(None, words, 0, ALL)
}

/// One row of the table.
#[derive(Debug)]
pub struct Binding {
    /// Where it applies.
    pub mode: KeyMode,
    /// Where the help lists it.
    pub section: Section,
    /// The keys that trigger it.
    pub keys: &'static [Key],
    /// What they do.
    pub action: Action,
    /// Words for the footer and the help.
    pub help: &'static str,
    /// Its entry in the footer, if the footer lists it (the help lists every binding).
    pub footer: Option<Hint>,
}

const fn bind(
    mode: KeyMode,
    section: Section,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    footer: Option<Hint>,
) -> Binding {
    Binding {
        mode,
        section,
        keys,
        action,
        help,
        footer,
    }
}

use KeyCode::{
    BackTab, Backspace, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up,
};
use KeyMode::{
    Columns, Compare, Confirm, Export, Form, Help, HelpFilter, Import, Normal, OpenList, Picker,
    Prompt, Quit, Recover, Solve, Tensors,
};
use Section::{Budget, Edit, Files, Navigate, Popup, View};

/// Every binding, in the order the help lists them.
// One binding per line and aligned, so the table reads as one.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    bind(Normal,     Navigate, &[k('j'), code(Down)],                      Action::Down,                        "select next",                                        hint(Some("j/k"), "select", 3, SUMMARY)),
    bind(Normal,     Navigate, &[k('k'), code(Up)],                        Action::Up,                          "select previous",                                    hint(Some("j/k"), "scroll", 1, DETAIL)),
    bind(Normal,     Navigate, &[k('g'), code(Home)],                      Action::Top,                         "select the input",                                   None),
    bind(Normal,     Navigate, &[k('G'), code(End)],                       Action::Bottom,                      "select the last layer",                              None),
    bind(Normal,     Navigate, &[code(PageUp)],                            Action::PageUp,                      "page up",                                            None),
    bind(Normal,     Navigate, &[code(PageDown)],                          Action::PageDown,                    "page down",                                          None),
    bind(Normal,     Navigate, &[code(Tab)],                               Action::NextPane,                    "next pane",                                          hint(None, "pane", 4, ALL)),
    bind(Normal,     Navigate, &[code(BackTab)],                           Action::PrevPane,                    "previous pane",                                      None),
    bind(Normal,     Edit,     &[k('+')],                                  Action::Grow,                        "grow the size: units, rate (+0.05), ...",            hint(Some("+/-"), "size", 1, LIST)),
    bind(Normal,     Edit,     &[k('-')],                                  Action::Shrink,                      "shrink the size",                                    None),
    bind(Normal,     Edit,     &[k('>')],                                  Action::GrowMore,                    "grow ten steps",                                     None),
    bind(Normal,     Edit,     &[k('<')],                                  Action::ShrinkMore,                  "shrink ten steps",                                   None),
    bind(Normal,     Edit,     &[code(Enter)],                             Action::Edit,                        "edit every field of the layer or input",             hint(None, "edit", 1, LIST)),
    bind(Normal,     Edit,     &[k('a')],                                  Action::Add,                         "add a layer after the selection",                    hint(None, "add", 1, LIST)),
    bind(Normal,     Edit,     &[k('d'), code(Delete)],                    Action::Delete,                      "delete the layer",                                   hint(None, "delete", 2, LIST)),
    bind(Normal,     Edit,     &[k('y')],                                  Action::Duplicate,                   "duplicate the layer",                                None),
    bind(Normal,     Edit,     &[k('K')],                                  Action::MoveUp,                      "move layer up",                                      None),
    bind(Normal,     Edit,     &[k('J')],                                  Action::MoveDown,                    "move layer down",                                    None),
    bind(Normal,     Edit,     &[k('B')],                                  Action::Branch,                      "start a branch: add a layer reading the selection",  hint(None, "branch", 6, LIST)),
    bind(Normal,     Edit,     &[k('m')],                                  Action::MergeBack,                   "merge the selected branch back (Add, Concatenate, ...)", hint(None, "merge", 6, LIST)),
    bind(Normal,     Edit,     &[k('O')],                                  Action::ToggleOutput,                "make the layer a model output, or no longer one",    None),
    bind(Normal,     Edit,     &[k('I')],                                  Action::AddInput,                    "add a model input",                                  None),
    bind(Normal,     Edit,     &[k('u')],                                  Action::Undo,                        "undo the last change",                               hint(None, "undo", 2, ALL)),
    bind(Normal,     Edit,     &[ctrl('r')],                               Action::Redo,                        "redo",                                               None),
    bind(Normal,     Budget,   &[k('b')],                                  Action::Budget,                      "set budgets: parameters, memory, MACs",              hint(None, "budget", 3, ALL)),
    bind(Normal,     Budget,   &[k('f')],                                  Action::FitLayer,                    "fit to budget: largest size of this layer",          hint(None, "fit", 3, LIST)),
    bind(Normal,     Budget,   &[k('F')],                                  Action::FitAll,                      "fit to budget: scale all widths",                    None),
    bind(Normal,     View,     &[k('c')],                                  Action::Convention,                  "count as Keras or PyTorch",                          hint(None, "Keras/PyTorch", 1, SUMMARY)),
    bind(Normal,     View,     &[k('r')],                                  Action::RowOrder,                    "summary rows in Keras' order or the design's",       hint(None, "order", 4, SUMMARY)),
    bind(Normal,     View,     &[k('t')],                                  Action::Theme,                       "next theme",                                         None),
    bind(Normal,     View,     &[k('v')],                                  Action::Columns,                     "summary columns: input, MACs, memory, %, trainable", hint(None, "columns", 1, SUMMARY)),
    bind(Normal,     Files,    &[ctrl('s')],                               Action::Save,                        "save",                                               hint(None, "save", 4, ALL)),
    bind(Normal,     Files,    &[k('S')],                                  Action::SaveAs,                      "save under a new name",                              None),
    bind(Normal,     Files,    &[k('o')],                                  Action::Open,                        "open saved design",                                  hint(None, "open", 5, ALL)),
    bind(Normal,     Files,    &[k('n')],                                  Action::New,                         "new design",                                         hint(None, "new", 5, ALL)),
    bind(Normal,     Files,    &[k('D')],                                  Action::Compare,                     "compare with a saved design",                        None),
    bind(Normal,     Files,    &[k('e')],                                  Action::Export,                      "export: Keras, PyTorch, JSON, Markdown",             hint(None, "export", 5, ALL)),
    bind(Normal,     Files,    &[k('i')],                                  Action::Import,                      "import Keras code or JSON (paste it)",               hint(None, "import", 5, ALL)),
    bind(Normal,     View,     &[ctrl('l')],                               Action::Redraw,                      "redraw screen",                                      None),
    bind(Normal,     View,     &[ctrl('z')],                               Action::Suspend,                     "suspend (fg to return)",                             None),
    bind(Normal,     View,     &[k('?')],                                  Action::Help,                        "this help",                                          hint(None, "keys", 0, ALL)),
    bind(Normal,     Files,    &[k('q'), ctrl('c')],                       Action::Quit,                        "quit (asks if unsaved)",                             hint(None, "quit", 0, ALL)),
    bind(Normal,     Navigate, &[code(Esc)],                               Action::Close,                       "clear count prefix",                                 None),
    bind(Picker,     Popup,    &[code(Up), ctrl('p')],                     Action::PopupUp,                     "previous",                                           None),
    bind(Picker,     Popup,    &[code(Down), ctrl('n')],                   Action::PopupDown,                   "next",                                               None),
    bind(Picker,     Popup,    &[code(Enter)],                             Action::Confirm,                     "choose",                                             pop("choose")),
    bind(Picker,     Popup,    &[code(Backspace)],                         Action::Backspace,                   "erase filter",                                       None),
    bind(Picker,     Popup,    &[code(Left)],                              Action::Text(TextOp::Left),          "cursor left",                                        None),
    bind(Picker,     Popup,    &[code(Right)],                             Action::Text(TextOp::Right),         "cursor right",                                       None),
    bind(Picker,     Popup,    &[code(Home), ctrl('a')],                   Action::Text(TextOp::Home),          "to the start of the filter",                         None),
    bind(Picker,     Popup,    &[code(End), ctrl('e')],                    Action::Text(TextOp::End),           "to the end of the filter",                           None),
    bind(Picker,     Popup,    &[code(Delete)],                            Action::Text(TextOp::DeleteForward), "erase the character under the cursor",               None),
    bind(Picker,     Popup,    &[ctrl('u')],                               Action::Text(TextOp::KillToStart),   "erase to the start",                                 None),
    bind(Picker,     Popup,    &[ctrl('w')],                               Action::Text(TextOp::KillWord),      "erase the word before the cursor",                   None),
    bind(Picker,     Popup,    &[ctrl('k')],                               Action::Text(TextOp::KillToEnd),     "erase to the end",                                   None),
    bind(Picker,     Popup,    &[code(Esc)],                               Action::Close,                       "cancel",                                             pop("cancel")),
    bind(OpenList,   Popup,    &[code(Up), ctrl('p')],                     Action::PopupUp,                     "previous",                                           None),
    bind(OpenList,   Popup,    &[code(Down), ctrl('n')],                   Action::PopupDown,                   "next",                                               None),
    bind(OpenList,   Popup,    &[code(Enter)],                             Action::Confirm,                     "choose",                                             pop("choose")),
    bind(OpenList,   Popup,    &[code(Backspace)],                         Action::Backspace,                   "erase filter",                                       None),
    bind(OpenList,   Popup,    &[ctrl('e')],                               Action::RenameSaved,                 "rename the saved design",                            pop("rename")),
    bind(OpenList,   Popup,    &[code(Delete)],                            Action::DeleteSaved,                 "delete the saved design (asks)",                     pop("delete")),
    bind(OpenList,   Popup,    &[code(Esc)],                               Action::Close,                       "cancel",                                             pop("cancel")),
    bind(Form,       Popup,    &[code(Up), code(BackTab)],                 Action::PopupUp,                     "previous field",                                     pop("previous field")),
    bind(Form,       Popup,    &[code(Down), code(Tab)],                   Action::PopupDown,                   "next field",                                         pop("next field")),
    bind(Form,       Popup,    &[code(Left)],                              Action::Text(TextOp::Left),          "cursor left (a choice: previous)",                   None),
    bind(Form,       Popup,    &[code(Right)],                             Action::Text(TextOp::Right),         "cursor right (a choice: next)",                      None),
    bind(Form,       Popup,    &[code(Home), ctrl('a')],                   Action::Text(TextOp::Home),          "to the start of the text",                           None),
    bind(Form,       Popup,    &[code(End), ctrl('e')],                    Action::Text(TextOp::End),           "to the end of the text",                             None),
    bind(Form,       Popup,    &[code(Delete)],                            Action::Text(TextOp::DeleteForward), "erase the character under the cursor",               None),
    bind(Form,       Popup,    &[ctrl('u')],                               Action::Text(TextOp::KillToStart),   "erase to the start",                                 None),
    bind(Form,       Popup,    &[ctrl('w')],                               Action::Text(TextOp::KillWord),      "erase the word before the cursor",                   None),
    bind(Form,       Popup,    &[ctrl('k')],                               Action::Text(TextOp::KillToEnd),     "erase to the end",                                   None),
    bind(Form,       Popup,    &[code(Backspace)],                         Action::Backspace,                   "erase",                                              None),
    bind(Form,       Popup,    &[code(Enter)],                             Action::Confirm,                     "apply",                                              pop("apply")),
    bind(Form,       Popup,    &[code(Esc)],                               Action::Close,                       "cancel",                                             pop("cancel")),
    bind(Prompt,     Popup,    &[code(Backspace)],                         Action::Backspace,                   "erase",                                              None),
    bind(Prompt,     Popup,    &[code(Left)],                              Action::Text(TextOp::Left),          "cursor left",                                        None),
    bind(Prompt,     Popup,    &[code(Right)],                             Action::Text(TextOp::Right),         "cursor right",                                       None),
    bind(Prompt,     Popup,    &[code(Home), ctrl('a')],                   Action::Text(TextOp::Home),          "to the start of the text",                           None),
    bind(Prompt,     Popup,    &[code(End), ctrl('e')],                    Action::Text(TextOp::End),           "to the end of the text",                             None),
    bind(Prompt,     Popup,    &[code(Delete)],                            Action::Text(TextOp::DeleteForward), "erase the character under the cursor",               None),
    bind(Prompt,     Popup,    &[ctrl('u')],                               Action::Text(TextOp::KillToStart),   "erase to the start",                                 None),
    bind(Prompt,     Popup,    &[ctrl('w')],                               Action::Text(TextOp::KillWord),      "erase the word before the cursor",                   None),
    bind(Prompt,     Popup,    &[ctrl('k')],                               Action::Text(TextOp::KillToEnd),     "erase to the end",                                   None),
    bind(Prompt,     Popup,    &[code(Enter)],                             Action::Confirm,                     "accept",                                             pop("accept")),
    bind(Prompt,     Popup,    &[code(Esc)],                               Action::Close,                       "cancel",                                             pop("cancel")),
    bind(Solve,      Popup,    &[code(Enter)],                             Action::Confirm,                     "apply as one undoable change",                       pop("apply")),
    bind(Solve,      Popup,    &[k('m')],                                  Action::NextMultiple,                "round to 1, 8, 16 or 64",                            pop("multiple")),
    bind(Solve,      Popup,    &[k('s'), code(Tab)],                       Action::SwitchScope,                 "this layer or all widths",                           pop("scope")),
    bind(Solve,      Popup,    &[code(Esc), k('q')],                       Action::Close,                       "cancel",                                             pop("cancel")),
    bind(Columns,    Popup,    &[code(Up), k('k')],                        Action::PopupUp,                     "previous",                                           None),
    bind(Columns,    Popup,    &[code(Down), k('j')],                      Action::PopupDown,                   "next",                                               None),
    bind(Columns,    Popup,    &[k(' '), code(Enter)],                     Action::Toggle,                      "show or hide the column",                            pop("toggle")),
    bind(Columns,    Popup,    &[code(Esc), k('v'), k('q')],               Action::Close,                       "close",                                              pop("close")),
    bind(Export,     Popup,    &[code(Up), k('k')],                        Action::PopupUp,                     "previous format",                                    None),
    bind(Export,     Popup,    &[code(Down), k('j')],                      Action::PopupDown,                   "next format",                                        None),
    bind(Export,     Popup,    &[code(Enter)],                             Action::Confirm,                     "write the highlighted format",                       pop("export")),
    bind(Export,     Popup,    &[code(Esc), k('q')],                       Action::Close,                       "cancel",                                             pop("cancel")),
    bind(Import,     Popup,    &[alt(Enter), ctrl_code(Enter), ctrl('d')], Action::Confirm,                     "import as a new design",                             pop("import")),
    bind(Import,     Popup,    &[code(Enter)],                             Action::Insert('\n'),                "new line",                                           None),
    bind(Import,     Popup,    &[code(Left)],                              Action::Text(TextOp::Left),          "cursor left",                                        None),
    bind(Import,     Popup,    &[code(Right)],                             Action::Text(TextOp::Right),         "cursor right",                                       None),
    bind(Import,     Popup,    &[code(Home), ctrl('a')],                   Action::Text(TextOp::Home),          "to the start of the text",                           None),
    bind(Import,     Popup,    &[code(End), ctrl('e')],                    Action::Text(TextOp::End),           "to the end of the text",                             None),
    bind(Import,     Popup,    &[code(Delete)],                            Action::Text(TextOp::DeleteForward), "erase the character under the cursor",               None),
    bind(Import,     Popup,    &[ctrl('u')],                               Action::Text(TextOp::KillToStart),   "erase to the start",                                 None),
    bind(Import,     Popup,    &[ctrl('w')],                               Action::Text(TextOp::KillWord),      "erase the word before the cursor",                   None),
    bind(Import,     Popup,    &[ctrl('k')],                               Action::Text(TextOp::KillToEnd),     "erase to the end",                                   None),
    bind(Import,     Popup,    &[code(Backspace)],                         Action::Backspace,                   "erase",                                              None),
    bind(Import,     Popup,    &[code(Esc)],                               Action::Close,                       "cancel",                                             pop("cancel")),
    bind(Help,       Popup,    &[k('j'), code(Down)],                      Action::PopupDown,                   "scroll down",                                        hint(Some("j/k"), "scroll", 0, ALL)),
    bind(Help,       Popup,    &[k('k'), code(Up)],                        Action::PopupUp,                     "scroll up",                                          None),
    bind(Help,       Popup,    &[k(' '), code(PageDown)],                  Action::PageDown,                    "page down",                                          hint(Some("PgDn/PgUp"), "page", 0, ALL)),
    bind(Help,       Popup,    &[code(PageUp)],                            Action::PageUp,                      "page up",                                            None),
    bind(Help,       Popup,    &[k('g'), code(Home)],                      Action::Top,                         "to the top",                                         hint(Some("g/G"), "top/end", 1, ALL)),
    bind(Help,       Popup,    &[k('G'), code(End)],                       Action::Bottom,                      "to the end",                                         None),
    bind(Help,       Popup,    &[k('/')],                                  Action::Filter,                      "filter: type to keep the lines that match",          pop("filter")),
    bind(Help,       Popup,    &[code(Esc), k('?'), k('q')],               Action::Close,                       "close",                                              pop("close")),
    bind(HelpFilter, Popup,    &[code(Enter)],                             Action::Confirm,                     "keep the filter and page through what matches",      pop("keep")),
    bind(HelpFilter, Popup,    &[code(Esc)],                               Action::Unfilter,                    "drop the filter",                                    pop("drop")),
    bind(HelpFilter, Popup,    &[code(Backspace)],                         Action::Backspace,                   "erase",                                              None),
    bind(HelpFilter, Popup,    &[code(Down)],                              Action::PopupDown,                   "scroll down",                                        None),
    bind(HelpFilter, Popup,    &[code(Up)],                                Action::PopupUp,                     "scroll up",                                          None),
    bind(Compare,    Popup,    &[k('j'), code(Down)],                      Action::PopupDown,                   "scroll down",                                        pop("scroll down")),
    bind(Compare,    Popup,    &[k('k'), code(Up)],                        Action::PopupUp,                     "scroll up",                                          pop("scroll up")),
    bind(Compare,    Popup,    &[code(Esc), k('?'), k('q')],               Action::Close,                       "close",                                              pop("close")),
    bind(Quit,       Popup,    &[k('s')],                                  Action::SaveAndQuit,                 "save, then quit (stays if saving fails)",            pop("save and quit")),
    bind(Quit,       Popup,    &[k('y'), code(Enter)],                     Action::Confirm,                     "quit without saving",                                pop("quit without saving")),
    bind(Quit,       Popup,    &[code(Esc), k('n')],                       Action::Close,                       "stay",                                               pop("stay")),
    bind(Confirm,    Popup,    &[k('y'), code(Enter)],                     Action::Confirm,                     "yes",                                                pop("yes")),
    bind(Confirm,    Popup,    &[k('n')],                                  Action::Deny,                        "no",                                                 pop("no")),
    bind(Confirm,    Popup,    &[code(Esc)],                               Action::Close,                       "cancel",                                             pop("cancel")),
    bind(Recover,    Popup,    &[k('k'), code(Up)],                        Action::PopupUp,                     "previous copy",                                      None),
    bind(Recover,    Popup,    &[k('j'), code(Down)],                      Action::PopupDown,                   "next copy",                                          None),
    bind(Recover,    Popup,    &[k('r'), code(Enter)],                     Action::Confirm,                     "restore this copy (the others are kept for later)",  pop("restore")),
    bind(Recover,    Popup,    &[k('l')],                                  Action::KeepForLater,                "keep this copy for a later start",                   pop("later")),
    bind(Recover,    Popup,    &[k('d'), code(Delete)],                    Action::DiscardCopy,                 "discard this copy",                                  pop("discard")),
    bind(Tensors,    Popup,    &[code(Up), k('k')],                        Action::PopupUp,                     "previous tensor",                                    None),
    bind(Tensors,    Popup,    &[code(Down), k('j')],                      Action::PopupDown,                   "next tensor",                                        None),
    bind(Tensors,    Popup,    &[k(' ')],                                  Action::Toggle,                      "take the tensor (a merge's list, attention's query, value, key)", pop("take")),
    bind(Tensors,    Popup,    &[code(Left), k('h')],                      Action::Text(TextOp::Left),          "previous merge kind",                                None),
    bind(Tensors,    Popup,    &[code(Right), k('l')],                     Action::Text(TextOp::Right),         "next merge kind",                                    pop("kind")),
    bind(Tensors,    Popup,    &[code(Enter), k('d')],                     Action::Confirm,                     "choose (d again on a delete: reconnect to its input)", pop("choose")),
    bind(Tensors,    Popup,    &[code(Esc), k('q')],                       Action::Close,                       "cancel",                                             pop("cancel")),
    bind(Recover,    Popup,    &[code(Esc), k('q')],                       Action::Close,                       "keep every copy for later and close",                pop("close")),
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
