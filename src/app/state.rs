//! Everything the screen shows, in one value that only [`App::update`] changes.

use crate::app::action::{Leftover, Saved};
use crate::app::form::Form;
use crate::app::history::History;
use crate::app::keymap::KeyMode;
use crate::interop::columns::Column;
use crate::model::marginal::{Marginal, marginal};
use crate::model::{Convention, Design, Layer, Summary};
use crate::theme::Theme;

/// The three panes, in `Tab` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The editable layer list.
    Layers,
    /// The Keras-style summary table.
    Summary,
    /// The selected layer's derivation.
    Detail,
}

impl Pane {
    /// The pane `Tab` goes to.
    pub fn next(self) -> Pane {
        match self {
            Pane::Layers => Pane::Summary,
            Pane::Summary => Pane::Detail,
            Pane::Detail => Pane::Layers,
        }
    }

    /// The pane `Shift-Tab` goes to.
    pub fn prev(self) -> Pane {
        self.next().next()
    }
}

/// What has the keyboard.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// The panes.
    Normal,
    /// Choosing a layer kind to add.
    Picker(Picker),
    /// Choosing a saved design to open.
    Open(OpenPicker),
    /// Editing a layer's or the input's fields.
    Form(Form),
    /// A one-line text prompt.
    Prompt(Prompt),
    /// The key help.
    Help {
        /// First line shown.
        scroll: u16,
    },
    /// A yes/no question.
    Confirm(Question),
    /// Editing the three budgets.
    Budgets(BudgetForm),
    /// A fit-to-budget proposal, shown before it is applied.
    Solve(SolveView),
    /// Choosing what to export the design as.
    Export {
        /// The highlighted format.
        index: usize,
    },
    /// Pasting or typing Keras code (or Keras JSON) to import.
    Import(ImportBox),
    /// This design compared with a saved one.
    Diff(DiffView),
    /// Choosing the summary's optional columns.
    Columns {
        /// The highlighted column.
        index: usize,
    },
    /// Unsaved work left by instances that have ended, answered one copy at a time.
    Recover(RecoverList),
}

impl Mode {
    /// The key bindings that apply.
    pub fn keys(&self) -> KeyMode {
        match self {
            Mode::Normal => KeyMode::Normal,
            Mode::Picker(_) | Mode::Open(_) => KeyMode::Picker,
            Mode::Form(_) => KeyMode::Form,
            Mode::Prompt(_) => KeyMode::Prompt,
            Mode::Help { .. } => KeyMode::Help,
            Mode::Confirm(_) => KeyMode::Confirm,
            Mode::Budgets(_) => KeyMode::Form,
            Mode::Solve(_) => KeyMode::Solve,
            Mode::Export { .. } => KeyMode::Picker,
            Mode::Import(_) => KeyMode::Import,
            Mode::Diff(_) => KeyMode::Help,
            Mode::Columns { .. } => KeyMode::Columns,
            Mode::Recover(_) => KeyMode::Recover,
        }
    }
}

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

/// The open-design picker.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OpenPicker {
    /// Every saved design (empty until the list arrives).
    pub all: Vec<Saved>,
    /// Typed filter text.
    pub filter: String,
    /// Highlighted entry among the matches.
    pub index: usize,
    /// The chosen design is compared with this one instead of opened.
    pub compare: bool,
}

impl OpenPicker {
    /// The saved designs whose name contains the filter.
    pub fn matches(&self) -> Vec<&Saved> {
        let f = self.filter.to_lowercase();
        self.all
            .iter()
            .filter(|s| s.name.to_lowercase().contains(&f))
            .collect()
    }
}

/// The recovery list shown at start.
#[derive(Debug, Clone, PartialEq)]
pub struct RecoverList {
    /// The copies not answered yet, newest first.
    pub items: Vec<Leftover>,
    /// The highlighted copy.
    pub index: usize,
}

/// What a text prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// The name to save the design under.
    SaveName,
    /// A new name for the saved design of this name.
    Rename(String),
}

/// The budgets form's fields, in order.
pub const BUDGET_FIELDS: [&str; 5] = [
    "parameters",
    "memory",
    "precision",
    "MACs/sample",
    "batch size",
];

/// The budgets form: one text per field of [`BUDGET_FIELDS`].
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetForm {
    /// Typed texts: parameters, memory bytes, precision, MACs per sample, batch size.
    pub fields: [String; 5],
    /// The field with the cursor.
    pub index: usize,
    /// Why the texts are rejected, and which field is at fault.
    pub error: Option<(usize, String)>,
}

/// What a fit-to-budget proposal changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The largest size of this one layer (index into the design).
    Layer(usize),
    /// Every hidden width scaled by one factor.
    AllWidths,
}

/// The multiples a proposal's sizes can be rounded to, in the order `m` cycles them.
pub const MULTIPLES: [u64; 4] = [1, 8, 16, 64];

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Runnable Keras 3 code.
    KerasCode,
    /// Runnable PyTorch code (an `nn.Module`).
    PytorchCode,
    /// Keras' model JSON (`model.to_json()`).
    KerasJson,
    /// The summary table in Markdown.
    Markdown,
}

impl ExportFormat {
    /// Every format, in the order the export popup lists them.
    pub const ALL: [ExportFormat; 4] = [
        Self::KerasCode,
        Self::PytorchCode,
        Self::KerasJson,
        Self::Markdown,
    ];

    /// What the popup calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::KerasCode => "Keras code",
            Self::PytorchCode => "PyTorch code",
            Self::KerasJson => "Keras JSON",
            Self::Markdown => "Markdown summary",
        }
    }

    /// How the file name ends.
    pub fn suffix(self) -> &'static str {
        match self {
            Self::KerasCode => "_keras.py",
            Self::PytorchCode => "_torch.py",
            Self::KerasJson => ".json",
            Self::Markdown => ".md",
        }
    }
}

/// A comparison on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffView {
    /// The saved design's name.
    pub name: String,
    /// This design (first) against the saved one (second).
    pub diff: Box<crate::model::diff::Diff>,
    /// First line shown.
    pub scroll: usize,
}

/// The import box.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportBox {
    /// Pasted or typed text.
    pub text: String,
    /// Why the last attempt failed, with line and column.
    pub error: Option<String>,
}

/// A fit-to-budget proposal on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveView {
    /// What is solved for.
    pub scope: Scope,
    /// Sizes are multiples of this.
    pub multiple: u64,
    /// The proposal, or why there is none.
    pub result: Result<crate::model::solve::Proposal, String>,
    /// The budget gauges of the proposed design (none without a proposal), worked out when
    /// it is proposed so that drawing only reads.
    pub after: Vec<crate::model::budget::Gauge>,
}

/// A one-line text prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// What is asked.
    pub ask: Ask,
    /// Typed text.
    pub text: String,
    /// Why the text is not accepted yet.
    pub error: Option<String>,
}

/// A yes/no question.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    /// Quit and lose unsaved changes?
    Quit,
    /// Replace a saved design that changed on disk since it was loaded?
    Overwrite(String),
    /// Delete this saved design's file?
    Delete(String),
}

/// A message in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The text.
    pub text: String,
    /// Whether it reports a failure.
    pub error: bool,
}

/// The whole application state.
#[derive(Debug, Clone, PartialEq)]
pub struct App {
    /// The design being edited.
    pub design: Design,
    /// Its summary in the chosen convention, recomputed on every change.
    pub summary: Summary,
    /// Its summary in the other convention, to mark rows whose count differs.
    pub other: Summary,
    /// Selected row: 0 is the input, `i + 1` is layer `i`.
    pub selected: usize,
    /// The pane with the keyboard.
    pub focus: Pane,
    /// What has the keyboard.
    pub mode: Mode,
    /// First line shown in the detail pane.
    pub detail_scroll: u16,
    /// Digits typed before a command.
    pub count: Option<u32>,
    /// Undo and redo.
    pub history: History,
    /// The name the design was last saved or opened under.
    pub saved_as: Option<String>,
    /// Changed since the last save or open.
    pub dirty: bool,
    /// Changed since the recovery copy was last written.
    pub recovery_due: bool,
    /// How the last edit changed the total, e.g. `+4,160`.
    pub delta: Option<i128>,
    /// How the last edit changed the MACs per sample.
    pub macs_delta: Option<i128>,
    /// The summary's optional columns, in [`Column::ALL`] order.
    pub columns: Vec<Column>,
    /// The status line.
    pub status: Option<Status>,
    /// Colours.
    pub theme: Theme,
    /// The themes `t` cycles through: the shipped ones and the user's.
    pub themes: Vec<Theme>,
    /// Terminal size, for mouse hit-testing and paging.
    pub size: (u16, u16),
    /// Set when the program should end.
    pub quit: bool,
    /// What one more unit of the selected layer costs (none for the input or a kind without
    /// a size), kept current by `update`.
    pub cost: Option<Marginal>,
    /// The design generation, selection and convention `cost` was computed for.
    pub cost_key: Option<(u64, usize, Convention)>,
    /// Counts design changes, so derived values know when to recompute.
    pub generation: u64,
}

impl App {
    /// A fresh app on a design, with the first layer selected.
    pub fn new(design: Design, convention: Convention) -> App {
        let summary = Summary::of(&design, convention);
        let other = Summary::of(&design, convention.other());
        let selected = usize::from(!design.layers.is_empty());
        let mut app = App {
            design,
            summary,
            other,
            selected,
            focus: Pane::Layers,
            mode: Mode::Normal,
            detail_scroll: 0,
            count: None,
            history: History::default(),
            saved_as: None,
            dirty: false,
            recovery_due: false,
            delta: None,
            macs_delta: None,
            columns: vec![Column::Percent],
            status: None,
            theme: Theme::default(),
            themes: Theme::builtins(),
            size: (80, 24),
            quit: false,
            cost: None,
            cost_key: None,
            generation: 0,
        };
        app.cost = app
            .layer_index()
            .and_then(|i| marginal(&app.design, i, convention));
        app.cost_key = Some((0, app.selected, convention));
        app
    }

    /// The convention the summary counts in.
    pub fn convention(&self) -> Convention {
        self.summary.convention
    }

    /// The selected layer's index in the design, or `None` when the input is selected.
    pub fn layer_index(&self) -> Option<usize> {
        self.selected.checked_sub(1)
    }

    /// Rows in the layer list: the input plus every layer.
    pub fn rows(&self) -> usize {
        self.design.layers.len() + 1
    }

    /// The total parameter count, when every layer builds and can be counted.
    pub fn total(&self) -> Option<u64> {
        if self.summary.error.is_some() {
            return None;
        }
        self.summary.totals.total().ok()
    }
}
