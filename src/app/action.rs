//! What a key can ask the app to do, and what the app asks the outside world to do.

use crate::app::state::Pane;
use crate::app::text::TextOp;
use crate::model::Design;

/// One user intention. The keymap turns keys into these; [`crate::app::App::update`] is the only
/// place that acts on them.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Move the selection (or scroll the detail pane) up one line.
    Up,
    /// Move the selection (or scroll the detail pane) down one line.
    Down,
    /// Jump to the input row.
    Top,
    /// Jump to the last layer.
    Bottom,
    /// Scroll a page up.
    PageUp,
    /// Scroll a page down.
    PageDown,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// A digit typed before a command: `10+` nudges ten steps.
    Digit(u8),
    /// Grow the selected layer's main size by one step (times the count prefix).
    Grow,
    /// Shrink the selected layer's main size by one step (times the count prefix).
    Shrink,
    /// Grow by ten steps.
    GrowMore,
    /// Shrink by ten steps.
    ShrinkMore,
    /// Open the layer picker to add a layer after the selection.
    Add,
    /// Delete the selected layer.
    Delete,
    /// Insert a copy of the selected layer after it.
    Duplicate,
    /// Add a layer reading the selection, the layer after it keeping its input (a branch).
    Branch,
    /// Merge the selected branch back with another tensor.
    MergeBack,
    /// Make the selected layer a model output, or no longer one.
    ToggleOutput,
    /// Add a model input.
    AddInput,
    /// Move the selected layer up the stack.
    MoveUp,
    /// Move the selected layer down the stack.
    MoveDown,
    /// Open the form of all fields of the selected layer (or the input).
    Edit,
    /// Take back the last design change.
    Undo,
    /// Redo the change last taken back.
    Redo,
    /// Open the budgets form (parameters, memory, MACs).
    Budget,
    /// Propose the largest size of the selected layer that fits every budget.
    FitLayer,
    /// Propose scaling every hidden width by one factor to fit every budget.
    FitAll,
    /// In a proposal: round to the next multiple (1, 8, 16, 64).
    NextMultiple,
    /// In a proposal: switch between the selected layer and all widths.
    SwitchScope,
    /// Pick a saved design to compare this one with.
    Compare,
    /// Choose the summary's optional columns.
    Columns,
    /// Turn the highlighted choice on or off.
    Toggle,
    /// Choose a format and export the design to a file.
    Export,
    /// Open the box to paste Keras code or JSON into.
    Import,
    /// Switch between Keras' and PyTorch's counting rules.
    Convention,
    /// List the summary's rows in Keras' order (a graph's inputs included) or the design's.
    RowOrder,
    /// Switch to the next colour theme.
    Theme,
    /// Show every key binding.
    Help,
    /// Save the design (asks for a name the first time).
    Save,
    /// Save the design under a new name.
    SaveAs,
    /// In the open picker: rename the selected saved design.
    RenameSaved,
    /// In the open picker: delete the selected saved design (asks first).
    DeleteSaved,
    /// Open the list of saved designs.
    Open,
    /// Start a new, empty design.
    New,
    /// Quit (asks first when there are unsaved changes).
    Quit,
    /// Quit without asking.
    ForceQuit,
    /// Save, then quit once the save is done (stays when it fails).
    SaveAndQuit,
    /// In the help: start typing a filter.
    Filter,
    /// In the help: drop the filter.
    Unfilter,
    /// Suspend to the shell (Ctrl-z); `fg` comes back.
    Suspend,
    /// Redraw the whole screen.
    Redraw,
    /// Close the popup or cancel the prompt.
    Close,
    /// Accept the popup: add the picked layer, apply the form, answer yes.
    Confirm,
    /// Answer no to a question.
    Deny,
    /// Type a character into the popup's text field.
    Insert(char),
    /// Delete the character before the cursor in the popup's text field.
    Backspace,
    /// Move or delete in the popup's text field (readline keys); on a field with fixed
    /// choices, ← and → choose instead.
    Text(TextOp),
    /// Select the previous item or field in the popup.
    PopupUp,
    /// Select the next item or field in the popup.
    PopupDown,
    /// Give a pane the focus (a click on it).
    Focus(Pane),
    /// Select this layer-list row, 0 being the input (a click on a row).
    Select(usize),
    /// Scroll a pane by this many lines, negative up, leaving the focus where it is (the
    /// wheel): the detail pane scrolls its text, the other panes move the selection.
    Scroll(Pane, i64),
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// The list of saved designs the open picker shows arrived.
    Listed(Vec<Saved>),
    /// One listed design's total and budget, read after the list was shown.
    Counted(Saved),
    /// A design was loaded from the store (or from the recovery copy).
    Loaded(Design, Option<String>),
    /// The design was saved under this name.
    Saved(String),
    /// A saved design was renamed (from, to).
    Renamed(String, String),
    /// A saved design was deleted.
    Deleted(String),
    /// The saved design to compare with arrived.
    Compared(Design, String),
    /// The design was exported to this file.
    Exported(String),
    /// An effect failed; the message is shown in the status line.
    Failed(String),
    /// Saving found the file changed on disk since it was loaded: ask before replacing it.
    SaveConflict(String),
    /// Unsaved designs left by instances that have ended: list them to restore, keep or discard.
    OfferRecovery(Vec<Leftover>),
    /// In the recovery list: keep the highlighted copy for a later start.
    KeepForLater,
    /// In the recovery list: delete the highlighted copy.
    DiscardCopy,
    /// A recovery copy was restored (it is now this instance's own copy).
    Restored(Design),
    /// Some time passed without input: write the recovery copy if edits are pending.
    Idle,
}

/// A saved design as the open picker lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// Its name (the file is `designs/<name>.ron`).
    pub name: String,
    /// Its total parameters in Keras' convention, if it builds.
    pub total: Option<u64>,
    /// Its parameter budget, if set.
    pub budget: Option<u64>,
    /// When it last changed, as text ready to show.
    pub changed: String,
    /// Whether `total` and `budget` are known yet: they are read after the list is shown,
    /// so a folder of large designs never holds up the list.
    pub counted: bool,
}

/// An unsaved design left by an instance that has ended, as the recovery list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Leftover {
    /// The copy's file, which names it in effects.
    pub path: String,
    /// The design's name.
    pub name: String,
    /// When the copy was last written, as text ready to show.
    pub changed: String,
    /// Its total parameters in Keras' convention, if it builds.
    pub total: Option<u64>,
    /// Its number of layers, if it can be read.
    pub layers: Option<usize>,
    /// Why it cannot be restored, if it cannot be read.
    pub error: Option<String>,
}

/// Work with the outside world that `update` asks the event loop to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write the design under its name; `overwrite` says the user agreed to replace a file that
    /// changed on disk.
    Save {
        /// The design to write.
        design: Design,
        /// Its name.
        name: String,
        /// Replace the file even if it changed since it was loaded.
        overwrite: bool,
    },
    /// Load the saved design of this name.
    Open(String),
    /// Rename a saved design's file.
    Rename {
        /// Its name now.
        from: String,
        /// The new name.
        to: String,
    },
    /// Delete a saved design's file.
    Delete(String),
    /// Load the saved design of this name to compare with (the open design stays).
    Compare(String),
    /// List the saved designs for the open picker.
    List,
    /// Write the recovery copy of an unsaved design.
    WriteRecovery(Design),
    /// Delete this instance's recovery copy: the design is safe on disk or was discarded on
    /// purpose. Other instances' copies are never touched.
    DiscardRecovery,
    /// Make the ended instance's copy at this path this instance's own, and load it.
    RestoreCopy(String),
    /// Leave the ended instance's copy at this path for a later start.
    KeepCopy(String),
    /// Delete the ended instance's copy at this path.
    DiscardCopy(String),
    /// Remember the theme, the convention and the last design for the next start.
    Remember,
    /// Write an export under the config folder.
    Export {
        /// The path inside the config folder, e.g. `exports/example_keras.py`.
        file: String,
        /// What to write.
        contents: String,
    },
    /// Give the terminal back to the shell until `fg`.
    Suspend,
    /// Repaint every cell.
    Redraw,
    /// Leave the program.
    Quit,
}
