//! `App::update`: the only code that changes the app. It performs no I/O; work with the outside
//! world comes back as [`Effect`]s for the event loop.

use crate::app::action::{Action, Effect};
use crate::app::popups::form::{Form, Target};
use crate::app::state::{
    App, BudgetForm, ColumnChoice, DiffView, ExportChoice, HelpView, ImportBox, Mode, OpenPicker,
    Pane, Picker, Prompt, Question, RecoverList, Scope, SolveView, Status, TensorPicker,
};
use crate::model::design::VERSION;
use crate::model::graph::Reader;
use crate::model::layer_names;
use crate::model::layers::KnobValue;
use crate::model::{Budget, Design, Dtype, Input, Shape, Summary};
use crate::report::lanes::{Entry, Lanes};
use crate::report::numbers::thousands;
use crate::theme::Theme;

/// One `+` on a rate.
const RATE_STEP: f64 = 0.05;
/// Steps of `>` and `<`.
const BIG: u64 = 10;

impl App {
    /// Applies one action and returns what the event loop must do.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.apply(action);
        self.refresh_detail();
        effects
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one arm per reply from outside; the match is the list of replies handled"
    )]
    fn apply(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Resize(w, h) => {
                self.size = (w, h);
                return vec![];
            }
            Action::Listed(all) => {
                if let Mode::Open(p) = &mut self.mode {
                    p.all = all;
                    p.index = 0;
                }
                return vec![];
            }
            Action::Counted(saved) => {
                if let Mode::Open(p) = &mut self.mode
                    && let Some(slot) = p.all.iter_mut().find(|s| s.name == saved.name)
                {
                    *slot = saved;
                }
                return vec![];
            }
            Action::Loaded(design, name) => return self.loaded(design, name),
            Action::Saved(name) => {
                self.design.name.clone_from(&name);
                self.status(format!("saved {name}"), false);
                self.saved_as = Some(name);
                self.dirty = false;
                self.clean = Some(self.design.clone());
                self.recovery_due = false;
                if std::mem::take(&mut self.quit_after_save) {
                    self.quit = true;
                    return vec![Effect::DiscardRecovery, Effect::Remember, Effect::Quit];
                }
                return vec![Effect::DiscardRecovery, Effect::Remember];
            }
            Action::Renamed(from, to) => {
                if self.saved_as.as_deref() == Some(from.as_str()) {
                    self.design.name.clone_from(&to);
                    self.saved_as = Some(to.clone());
                }
                self.status(format!("renamed {from} to {to}"), false);
                return vec![Effect::Remember];
            }
            Action::Deleted(name) => {
                if self.saved_as.as_deref() == Some(name.as_str()) {
                    // The open design is no longer on disk: Ctrl-s asks for a name again.
                    self.saved_as = None;
                    self.dirty = true;
                    self.clean = None;
                }
                self.status(format!("deleted {name}"), false);
                return vec![Effect::Remember];
            }
            Action::Compared(other, name) => {
                let view = DiffView::of(&other, &self.design, name, self.convention());
                self.mode = Mode::Diff(view);
                return vec![];
            }
            Action::Exported(path) => {
                match &self.summary.error {
                    None => self.status(format!("exported to {path}"), false),
                    Some(e) => self.status(
                        format!(
                            "exported to {path}, but the design does not build: layer {}, {e}",
                            e.index + 1
                        ),
                        true,
                    ),
                }
                return vec![];
            }
            Action::Failed(msg) => {
                // A save that fails leaves the work unsaved: stay, whatever was asked.
                self.quit_after_save = false;
                self.status(msg, true);
                return vec![];
            }
            Action::SaveConflict(name) => {
                self.quit_after_save = false;
                self.mode = Mode::Confirm(Question::Overwrite(name));
                return vec![];
            }
            Action::OfferRecovery(items) => {
                if !items.is_empty() {
                    self.mode = Mode::Recover(RecoverList { items, index: 0 });
                }
                return vec![];
            }
            Action::Restored(design) => {
                // Still the same saved design: keep its name so Ctrl-s writes back to it.
                let same = self.saved_as.clone().filter(|n| *n == design.name);
                let name = design.name.clone();
                let effects = self.loaded(design, None);
                self.saved_as = same;
                self.status(
                    format!(
                        "restored {name}; any other copies are offered again at the next start"
                    ),
                    false,
                );
                return effects;
            }
            Action::Idle => {
                if self.recovery_due && self.dirty {
                    self.recovery_due = false;
                    return vec![Effect::WriteRecovery(self.design.clone())];
                }
                return vec![];
            }
            Action::ForceQuit => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            _ => {}
        }
        match self.mode {
            Mode::Normal => self.normal(action),
            _ => self.popup(action),
        }
    }

    fn normal(&mut self, action: Action) -> Vec<Effect> {
        let count = self.count.take();
        let n = u64::from(count.unwrap_or(1).max(1));
        if !matches!(action, Action::Digit(_)) {
            self.status = None;
        }
        match action {
            Action::Digit(d) => {
                let c = count.unwrap_or(0);
                self.count = Some(
                    c.saturating_mul(10)
                        .saturating_add(u32::from(d))
                        .min(99_999),
                );
            }
            Action::Up => self.step(-(n as i64)),
            Action::Down => self.step(n as i64),
            Action::Top => self.select(0),
            Action::Bottom => self.select(self.rows() - 1),
            Action::PageUp => self.step(-self.page()),
            Action::PageDown => self.step(self.page()),
            Action::NextPane => self.focus = self.focus.next(),
            Action::PrevPane => self.focus = self.focus.prev(),
            Action::Grow => self.nudge(n as i64),
            Action::Shrink => self.nudge(-(n as i64)),
            Action::GrowMore => self.nudge((n * BIG) as i64),
            Action::ShrinkMore => self.nudge(-((n * BIG) as i64)),
            Action::Add => self.mode = Mode::Picker(Picker::open(self)),
            Action::Delete => self.delete(),
            Action::Duplicate => self.duplicate(),
            Action::Branch => self.branch(),
            Action::MergeBack => self.merge_back(),
            Action::ToggleOutput => self.toggle_output(),
            Action::AddInput => self.mode = Mode::Form(Form::for_new_input(&self.design.input)),
            Action::MoveUp => self.move_layer(true),
            Action::MoveDown => self.move_layer(false),
            Action::Edit => self.edit(),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::Budget => self.mode = Mode::Budgets(BudgetForm::new(&self.design.budget)),
            Action::FitLayer => match self.layer_index() {
                Some(i) => self.propose(Scope::Layer(i), 1),
                None => self.status(
                    "select a layer with a size (units, filters, ...) to fit it",
                    true,
                ),
            },
            Action::FitAll => self.propose(Scope::AllWidths, 8),
            Action::Export => self.mode = Mode::Export(ExportChoice::default()),
            Action::Columns => self.mode = Mode::Columns(ColumnChoice::default()),
            Action::Compare => {
                self.mode = Mode::Open(OpenPicker {
                    compare: true,
                    ..OpenPicker::default()
                });
                return vec![Effect::List];
            }
            Action::Import => self.mode = Mode::Import(ImportBox::default()),
            Action::Convention => return self.switch_convention(),
            Action::RowOrder => self.switch_row_order(),
            Action::Theme => {
                if let Some(next) = Theme::next_in(&self.themes, &self.theme.name) {
                    self.theme = next;
                }
                self.status(format!("theme {}", self.theme.name), false);
                return vec![Effect::Remember];
            }
            Action::Help => self.mode = Mode::Help(HelpView::default()),
            Action::Save => return self.save(),
            Action::SaveAs => self.ask_name(),
            Action::Open => {
                self.mode = Mode::Open(OpenPicker::default());
                return vec![Effect::List];
            }
            Action::New => self.new_design(),
            Action::Quit => {
                if self.dirty {
                    self.mode = Mode::Confirm(Question::Quit);
                } else {
                    self.quit = true;
                    return vec![Effect::Remember, Effect::Quit];
                }
            }
            Action::Suspend => return vec![Effect::Suspend],
            Action::Redraw => return vec![Effect::Redraw],
            Action::Focus(pane) => self.focus = pane,
            Action::Select(row) => self.select(row),
            Action::Scroll(pane, by) => self.scroll(pane, by),
            _ => {}
        }
        vec![]
    }

    fn switch_convention(&mut self) -> Vec<Effect> {
        let c = self.convention().other();
        std::mem::swap(&mut self.summary, &mut self.other);
        self.delta = None;
        self.status(format!("counting as {}", c.label()), false);
        vec![Effect::Remember]
    }

    fn switch_row_order(&mut self) {
        // The selection is a layer, not a line, so it stays on the same layer.
        self.keras_order = !self.keras_order;
        let order = if self.keras_order {
            "Keras' order"
        } else {
            "the design's order"
        };
        self.status(format!("summary rows in {order}"), false);
    }

    fn save(&mut self) -> Vec<Effect> {
        match &self.saved_as {
            Some(name) => vec![Effect::Save {
                design: self.design.clone(),
                name: name.clone(),
                overwrite: false,
            }],
            None => {
                self.ask_name();
                vec![]
            }
        }
    }

    /// Opens the proposal popup for a scope and multiple.
    fn propose(&mut self, scope: Scope, multiple: u64) {
        self.mode = Mode::Solve(SolveView::propose(self, scope, multiple));
    }

    /// The save-as prompt, starting from the design's name.
    fn ask_name(&mut self) {
        self.mode = Mode::Prompt(Prompt::save_as(&self.design.name));
    }

    fn loaded(&mut self, design: Design, name: Option<String>) -> Vec<Effect> {
        let from_file = name.is_some();
        self.change(1, |d| *d = design);
        self.selected = self.lanes.first_layer_row();
        self.delta = None;
        self.dirty = !from_file;
        self.clean = from_file.then(|| self.design.clone());
        self.recovery_due = !from_file;
        if let Some(n) = &name {
            self.status(format!("opened {n}"), false);
        }
        self.saved_as = name;
        vec![Effect::Remember]
    }

    fn new_design(&mut self) {
        let dirty = self.dirty;
        self.change(0, |d| {
            *d = Design {
                version: VERSION,
                name: "untitled".into(),
                input: Input {
                    shape: Shape::known(&[100, 6]),
                    dtype: Dtype::Float32,
                },
                layers: vec![],
                budget: Budget::default(),
                graph: Default::default(),
            };
        });
        self.saved_as = None;
        self.dirty = dirty;
        self.delta = None;
        // Short enough to leave the form's keys room in the footer at 80 columns: the form
        // itself shows examples of shapes.
        self.status("new design (u undoes)", false);
        // The first thing a new design needs is its input: ask for it at once.
        self.mode = Mode::Form(Form::for_input(&self.design.input));
    }

    /// Changes the design through `f`, recording the old state for undo.
    pub(super) fn change(&mut self, select: usize, f: impl FnOnce(&mut Design)) {
        let before = self.design.clone();
        f(&mut self.design);
        if self.design == before {
            return;
        }
        self.history.record(before, &self.design, self.selected);
        self.selected = select;
        self.dirty = self.clean.as_ref() != Some(&self.design);
        self.recovery_due = true;
        self.refresh();
    }

    fn undo(&mut self) {
        let before = self.total();
        match self.history.undo(&mut self.design, self.selected) {
            Some(sel) => {
                self.restored(sel);
                self.status(
                    format!(
                        "undid the last change{} · C-r redoes it",
                        self.moved(before)
                    ),
                    false,
                );
            }
            None => self.status("nothing to undo", false),
        }
    }

    fn redo(&mut self) {
        let before = self.total();
        match self.history.redo(&mut self.design, self.selected) {
            Some(sel) => {
                self.restored(sel);
                self.status(
                    format!("redid the change{} · u undoes it", self.moved(before)),
                    false,
                );
            }
            None => self.status("nothing to redo", false),
        }
    }

    /// How the total moved from `before` to now, as `: total 60,039 → 59,910`, or nothing
    /// when it did not move or is unknown.
    fn moved(&self, before: Option<u64>) -> String {
        match (before, self.total()) {
            (Some(a), Some(b)) if a != b => {
                format!(": total {} → {}", thousands(a), thousands(b))
            }
            _ => String::new(),
        }
    }

    /// After undo or redo: the selection of the time, and everything derived recomputed.
    fn restored(&mut self, selected: usize) {
        self.selected = selected;
        self.dirty = self.clean.as_ref() != Some(&self.design);
        self.recovery_due = true;
        self.refresh();
    }

    /// Recomputes both summaries and the last edit's effect on the total.
    fn refresh(&mut self) {
        self.generation += 1;
        let before = self.total();
        let macs_before = self.summary.macs.as_ref().ok().copied();
        self.summary = Summary::of(&self.design, self.summary.convention);
        self.other = Summary::of(&self.design, self.other.convention);
        self.lanes = Lanes::of(&self.design, &self.summary);
        self.delta = match (before, self.total()) {
            (Some(a), Some(b)) if a != b => Some(i128::from(b) - i128::from(a)),
            _ => None,
        };
        self.macs_delta = match (macs_before, self.summary.macs.as_ref().ok()) {
            (Some(a), Some(&b)) if a != b => Some(i128::from(b) - i128::from(a)),
            _ => None,
        };
        self.selected = self.selected.min(self.rows() - 1);
    }

    /// Removes the further model input `k`; the calls that read it lose that input, which the
    /// summary then marks where it matters.
    fn remove_further_input(&mut self, k: usize) {
        let name = self
            .design
            .input_names()
            .get(k)
            .cloned()
            .unwrap_or_default();
        let readers = self.design.input_readers(&name);
        let sel = self.selected.saturating_sub(1);
        self.change(sel, |d| {
            d.remove_input(k, None);
        });
        let after = if readers.is_empty() {
            String::new()
        } else {
            format!("; {} no longer read it", readers.join(", "))
        };
        self.status(
            format!("removed the input {name}{after} · u brings it back"),
            false,
        );
    }

    /// Refuses, in the status line, an edit of a row that is neither the first input nor a
    /// layer: a further input or a shared call. True when it refused.
    fn refuse_other_row(&mut self) -> bool {
        let name = |app: &App| {
            app.lanes
                .rows
                .get(app.selected)
                .map(|r| r.name.clone())
                .unwrap_or_default()
        };
        match self.entry() {
            Some(Entry::Input(k)) if k > 0 => {
                let name = name(self);
                self.status(
                    format!("the input {name} has no size to step: Enter edits its shape"),
                    true,
                );
                true
            }
            Some(Entry::Shared(s)) => {
                let layer = self
                    .design
                    .graph
                    .shared
                    .get(s)
                    .map_or_else(String::new, |c| c.layer.clone());
                self.status(
                    format!(
                        "this calls {layer} again with its weights: select {layer} to change it"
                    ),
                    true,
                );
                true
            }
            _ => false,
        }
    }

    fn nudge(&mut self, steps: i64) {
        if self.refuse_other_row() {
            return;
        }
        let sel = self.selected;
        match self.layer_index() {
            None => {
                let Some(Some(features)) = self.design.input.shape.last() else {
                    self.status(
                        "the input has no fixed size to change: press Enter to edit it",
                        true,
                    );
                    return;
                };
                let v = shift(features, steps);
                self.change(sel, |d| d.input.shape = d.input.shape.with_last(v));
            }
            Some(i) => {
                let Some(knob) = self.design.layers.get(i).and_then(|l| l.kind().knob()) else {
                    self.status(
                        "this layer has no size to change: press Enter to edit it",
                        true,
                    );
                    return;
                };
                let value = match knob.value {
                    KnobValue::Count(v) => KnobValue::Count(shift(v, steps)),
                    KnobValue::Rate(r) => KnobValue::Rate(r + steps as f64 * RATE_STEP),
                };
                self.change(sel, |d| {
                    if let Some(l) = d.layers.get_mut(i) {
                        l.kind_mut().set_knob(value);
                    }
                });
            }
        }
    }

    fn delete(&mut self) {
        if let Some(Entry::Input(k)) = self.entry()
            && k > 0
        {
            self.remove_further_input(k);
            return;
        }
        if self.refuse_other_row() {
            return;
        }
        match self.layer_index() {
            None => self.status(
                "the input cannot be deleted: press Enter to change it",
                true,
            ),
            Some(i) => {
                let what = match self.summary.row_of(i) {
                    Some(r) => format!("{} ({})", r.name, r.class),
                    None => self
                        .design
                        .layers
                        .get(i)
                        .map_or_else(String::new, |l| l.kind().class().to_string()),
                };
                if self.asks_to_reconnect(i) {
                    self.mode = Mode::Tensors(TensorPicker::for_delete(self, i));
                    return;
                }
                // The layer after it takes its row; the last one's goes to the one before.
                let sel = self.row_of_layer(i);
                self.change(sel, |d| {
                    let bypass = d.bypass_ref(i);
                    d.remove_layer(i, Some(&bypass));
                });
                self.selected = self.selected.min(self.rows() - 1);
                if self.layer_index().is_none() && !self.design.layers.is_empty() {
                    self.selected = self.row_of_layer(self.design.layers.len() - 1);
                }
                self.status(format!("deleted {what} · u brings it back"), false);
            }
        }
    }

    fn duplicate(&mut self) {
        if let Some(i) = self.layer_index()
            && let Some(mut layer) = self.design.layers.get(i).cloned()
        {
            if !self.design.graph.is_chain() {
                // The copy is a layer of its own: it takes a fresh name, not the pinned one.
                layer.kind_mut().set_name(None);
            }
            self.change(self.row_of_layer(i + 1), |d| {
                d.insert_layer(i + 1, layer, None)
            });
        }
    }

    /// Whether deleting the layer at `i` must ask what its readers read instead: in a graph,
    /// when anything but the layer after it (by default) and the implicit output reads it.
    fn asks_to_reconnect(&self, i: usize) -> bool {
        let d = &self.design;
        if d.graph.is_chain() {
            return false;
        }
        let by_default = |j: usize| j == i + 1 && !d.graph.wiring.contains_key(&j);
        d.readers(i).into_iter().any(|r| match r {
            Reader::Layer(j) => !by_default(j),
            Reader::Shared(_) => true,
            Reader::Output => !d.graph.outputs.is_empty(),
        })
    }

    /// Opens the layer picker for a layer that reads the selection, off the chain.
    fn branch(&mut self) {
        let from = match self.layer_index() {
            None => self.design.input_names().swap_remove(0),
            Some(i) => layer_names(&self.design.layers).swap_remove(i),
        };
        let mut picker = Picker::open(self);
        picker.branch = Some(from);
        self.mode = Mode::Picker(picker);
    }

    /// Opens the tensor picker to merge the selected layer's branch with another tensor.
    fn merge_back(&mut self) {
        match self.layer_index() {
            Some(i) => self.mode = Mode::Tensors(TensorPicker::for_merge(self, i)),
            None => self.status("select the last layer of a branch to merge it back", true),
        }
    }

    fn toggle_output(&mut self) {
        let Some(i) = self.layer_index() else {
            self.status("the input is not an output: select a layer", true);
            return;
        };
        let sel = self.selected;
        let mut done = false;
        self.change(sel, |d| done = d.toggle_output(i));
        if !done {
            self.status(
                "the model needs an output: make another layer one first (O)",
                true,
            );
        } else if self.design.is_output(i) {
            self.status("now a model output · O again takes it back", false);
        } else {
            self.status("no longer a model output", false);
        }
    }

    fn move_layer(&mut self, up: bool) {
        let Some(i) = self.layer_index() else {
            return;
        };
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        match j {
            Some(j) if j < self.design.layers.len() => {
                self.change(self.row_of_layer(j), |d| d.swap_layers(i.min(j)));
            }
            _ => {}
        }
    }

    fn edit(&mut self) {
        if let Some(Entry::Input(k)) = self.entry()
            && k > 0
        {
            let names = self.design.input_names();
            if let (Some(input), Some(name)) = (self.design.graph.inputs.get(k - 1), names.get(k)) {
                let mut form = Form::for_further_input(input, k, name);
                form.validate(None);
                self.mode = Mode::Form(form);
            }
            return;
        }
        if self.refuse_other_row() {
            return;
        }
        let form = match self.layer_index() {
            None if !self.design.graph.is_chain() => Some(Form::for_named_input(
                &self.design.input,
                &self.design.input_names().swap_remove(0),
            )),
            None => Some(Form::for_input(&self.design.input)),
            Some(i) => self
                .design
                .layers
                .get(i)
                .and_then(|l| Form::for_layer(i, l)),
        };
        if let Some(mut form) = form {
            let input = match form.target {
                Target::Layer(i) => self.received_by(i),
                Target::Input | Target::NewInput | Target::FurtherInput(_) => None,
            };
            if let Target::Layer(i) = form.target {
                form.wire(&self.design, i);
            }
            form.validate(input.as_ref());
            self.mode = Mode::Form(form);
        }
    }

    /// The shape the layer at `i` receives where it is: in a graph, what its call is given.
    pub fn received_by(&self, i: usize) -> Option<Shape> {
        if self.design.graph.is_chain() {
            return self.input_of(i);
        }
        self.summary.row_of(i).map(|r| r.input.clone())
    }

    /// The shape layer `i` receives as a chain step, when the layers before it build: the
    /// output of the layer before it (in a graph, whose rows follow Keras' order, that
    /// layer's row).
    pub fn input_of(&self, i: usize) -> Option<Shape> {
        if i == 0 {
            return Some(self.design.input.shape.clone());
        }
        self.summary
            .row_of(i - 1)
            .and_then(|r| r.output.single().cloned())
    }

    fn step(&mut self, by: i64) {
        if self.focus == Pane::Detail {
            let s = i64::from(self.detail_scroll)
                .saturating_add(by)
                .clamp(0, i64::from(u16::MAX));
            self.detail_scroll = s as u16;
            return;
        }
        let last = (self.rows() - 1) as i64;
        let to = (self.selected as i64).saturating_add(by).clamp(0, last);
        self.select(to as usize);
    }

    fn select(&mut self, row: usize) {
        let row = row.min(self.rows() - 1);
        if row != self.selected {
            self.selected = row;
            self.detail_scroll = 0;
        }
    }

    fn page(&self) -> i64 {
        i64::from(self.size.1 / 2).max(1)
    }

    /// Scrolls `pane` as if it had the focus, without giving it the focus.
    fn scroll(&mut self, pane: Pane, by: i64) {
        let focus = self.focus;
        self.focus = pane;
        self.step(by);
        self.focus = focus;
    }

    pub(super) fn status(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
        });
    }
}

/// `v` moved by `steps`, never below 1.
fn shift(v: u64, steps: i64) -> u64 {
    let moved = if steps >= 0 {
        v.saturating_add(steps.unsigned_abs())
    } else {
        v.saturating_sub(steps.unsigned_abs())
    };
    moved.max(1)
}
