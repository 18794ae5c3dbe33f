//! Everything the screen shows, in one value that only [`App::update`] changes.

use crate::app::action::Action;
use crate::app::history::History;
use crate::app::keymap::KeyMode;
pub use crate::app::popups::block_form::BlockForm;
pub use crate::app::popups::budgets::{BudgetField, BudgetForm, parse_budget, parse_bytes};
pub use crate::app::popups::columns::ColumnChoice;
pub use crate::app::popups::confirm::Question;
pub use crate::app::popups::diff::DiffView;
pub use crate::app::popups::export::ExportChoice;
pub use crate::app::popups::form::Form;
pub use crate::app::popups::help::HelpView;
pub use crate::app::popups::import::ImportBox;
pub use crate::app::popups::open::OpenPicker;
pub use crate::app::popups::picker::Picker;
pub use crate::app::popups::prompt::{Ask, Prompt};
pub use crate::app::popups::recover::RecoverList;
pub use crate::app::popups::solve::{MULTIPLES, Scope, SolveView};
pub use crate::app::popups::tensors::{Choice, MERGES, Purpose, TensorPicker, is_attention};
use crate::model::marginal::{Marginal, marginal};
use crate::model::{Convention, Design, Summary};
use crate::report::Derivation;
use crate::report::columns::Column;
use crate::report::lanes::{Entry, Lanes};
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
    /// Asking the sizes of a ready block before inserting it.
    Block(BlockForm),
    /// A one-line text prompt.
    Prompt(Prompt),
    /// The key help.
    Help(HelpView),
    /// A yes/no question.
    Confirm(Question),
    /// Editing the three budgets.
    Budgets(BudgetForm),
    /// A fit-to-budget proposal, shown before it is applied.
    Solve(SolveView),
    /// Choosing what to export the design as.
    Export(ExportChoice),
    /// Pasting or typing Keras code (or Keras JSON) to import.
    Import(ImportBox),
    /// This design compared with a saved one.
    Diff(DiffView),
    /// Choosing the summary's optional columns.
    Columns(ColumnChoice),
    /// Unsaved work left by instances that have ended, answered one copy at a time.
    Recover(RecoverList),
    /// Choosing the tensors a layer reads (a merge's inputs, a deleted layer's replacement,
    /// what a branch merges back with).
    Tensors(TensorPicker),
}

impl Mode {
    /// The key bindings that apply.
    pub fn keys(&self) -> KeyMode {
        match self {
            Mode::Normal => KeyMode::Normal,
            Mode::Picker(_) => KeyMode::Picker,
            Mode::Open(_) => KeyMode::OpenList,
            Mode::Form(_) => KeyMode::Form,
            Mode::Prompt(_) => KeyMode::Prompt,
            Mode::Help(h) if h.typing => KeyMode::HelpFilter,
            Mode::Help(_) => KeyMode::Help,
            Mode::Confirm(Question::Quit) => KeyMode::Quit,
            Mode::Confirm(_) => KeyMode::Confirm,
            Mode::Budgets(_) | Mode::Block(_) => KeyMode::Form,
            Mode::Solve(_) => KeyMode::Solve,
            Mode::Export(_) => KeyMode::Export,
            Mode::Import(_) => KeyMode::Import,
            Mode::Diff(_) => KeyMode::Compare,
            Mode::Columns(_) => KeyMode::Columns,
            Mode::Recover(_) => KeyMode::Recover,
            Mode::Tensors(_) => KeyMode::Tensors,
        }
    }

    /// The actions of its keys that would do nothing now: their hints are not offered.
    pub fn idle(&self) -> Vec<Action> {
        match self {
            Mode::Solve(v) if !v.applies => vec![Action::Confirm],
            Mode::Tensors(p) => p.idle(),
            _ => Vec::new(),
        }
    }
}

/// The status line of a first run, which opens on the example.
pub const FIRST_RUN: &str = "this is an example: n starts a new design, ? lists every key";

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
    /// The layer list's rows and, for a graph, the lanes drawn beside them; recomputed on
    /// every change.
    pub lanes: Lanes,
    /// Selected row of the layer list, whose rows `lanes` lists: the inputs, then each layer
    /// followed by its shared calls (in a chain, 0 is the input and `i + 1` is layer `i`).
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
    /// The design as last saved or opened, so undoing back to it leaves nothing unsaved.
    pub clean: Option<Design>,
    /// Changed since the recovery copy was last written.
    pub recovery_due: bool,
    /// How the last edit changed the total, e.g. `+4,160`.
    pub delta: Option<i128>,
    /// How the last edit changed the MACs per sample.
    pub macs_delta: Option<i128>,
    /// The summary's optional columns, in [`Column::ALL`] order.
    pub columns: Vec<Column>,
    /// The summary pane lists rows in Keras' order (a graph's inputs as their own rows)
    /// rather than in the design's order.
    pub keras_order: bool,
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
    /// Quit once the save under way is done ("save and quit"); a failed save clears it.
    pub quit_after_save: bool,
    /// What one more unit of the selected layer costs (none for the input or a kind without
    /// a size), kept current by `update`.
    pub cost: Option<Marginal>,
    /// The selected layer's derivation, as the detail pane shows it (none for the input or a
    /// layer that does not build), kept current by `update`.
    pub derivation: Option<Derivation>,
    /// The design generation, selection and convention `cost` and `derivation` were computed
    /// for.
    pub cost_key: Option<(u64, usize, Convention)>,
    /// Counts design changes, so derived values know when to recompute.
    pub generation: u64,
}

impl App {
    /// A fresh app on a design, with the first layer selected.
    pub fn new(design: Design, convention: Convention) -> App {
        let summary = Summary::of(&design, convention);
        let other = Summary::of(&design, convention.other());
        let lanes = Lanes::of(&design, &summary);
        let selected = lanes.first_layer_row();
        let clean = design.clone();
        let mut app = App {
            design,
            summary,
            other,
            lanes,
            selected,
            focus: Pane::Layers,
            mode: Mode::Normal,
            detail_scroll: 0,
            count: None,
            history: History::default(),
            saved_as: None,
            dirty: false,
            clean: Some(clean),
            recovery_due: false,
            delta: None,
            macs_delta: None,
            columns: vec![Column::Percent],
            keras_order: false,
            status: None,
            theme: Theme::default(),
            themes: Theme::builtins(),
            size: (80, 24),
            quit: false,
            quit_after_save: false,
            cost: None,
            derivation: None,
            cost_key: None,
            generation: 0,
        };
        app.refresh_detail();
        app
    }

    /// Recomputes what the detail pane shows for the selection (its derivation and what one
    /// more unit costs, three summaries) when the design, selection or convention changed:
    /// here, once per change, never while drawing.
    pub(crate) fn refresh_detail(&mut self) {
        let key = (self.generation, self.selected, self.convention());
        if self.cost_key == Some(key) {
            return;
        }
        self.cost_key = Some(key);
        let index = self.layer_index();
        self.cost = index.and_then(|i| marginal(&self.design, i, self.convention()));
        self.derivation = index.and_then(|i| Derivation::of(&self.design, &self.summary, i));
    }

    /// The convention the summary counts in.
    pub fn convention(&self) -> Convention {
        self.summary.convention
    }

    /// The selected layer's index in the design, or `None` when an input or a shared call is
    /// selected.
    pub fn layer_index(&self) -> Option<usize> {
        match self.lanes.entry(self.selected)? {
            Entry::Layer(i) => Some(i),
            Entry::Input(_) | Entry::Shared(_) => None,
        }
    }

    /// What the selected row shows.
    pub fn entry(&self) -> Option<Entry> {
        self.lanes.entry(self.selected)
    }

    /// The row of layer `index` (or where a layer inserted there will show), for selecting
    /// it after an edit.
    pub fn row_of_layer(&self, index: usize) -> usize {
        self.lanes.row_of_layer(index)
    }

    /// Rows in the layer list: every input, every layer and every shared call.
    pub fn rows(&self) -> usize {
        self.lanes.rows.len()
    }

    /// The total parameter count, when every layer builds and can be counted.
    pub fn total(&self) -> Option<u64> {
        if self.summary.error.is_some() {
            return None;
        }
        self.summary.totals.total().ok()
    }
}
