//! `App::update`: the only code that changes the app. It performs no I/O; work with the outside
//! world comes back as [`Effect`]s for the event loop.

use crate::app::action::{Action, Effect, Leftover};
use crate::app::form::{Form, Target, Value};
use crate::app::state::{
    App, Ask, BudgetForm, DiffView, ExportFormat, ImportBox, MULTIPLES, Mode, OpenPicker, Pane,
    Picker, Prompt, Question, RecoverList, Scope, SolveView, Status,
};
use crate::caps::escape_json;
use crate::interop::columns::Column;
use crate::interop::export_keras::keras_code;
use crate::interop::export_pytorch::pytorch_code;
use crate::interop::python::design_from_python;
use crate::interop::{design_from_keras_json, keras_json, markdown};
use crate::model::budget::Precision;
use crate::model::design::VERSION;
use crate::model::layers::KnobValue;
use crate::model::marginal::marginal;
use crate::model::solve::{largest_size, scale_widths};
use crate::model::{Budget, Design, Dtype, Input, Shape, Summary};
use crate::theme::Theme;

/// One `+` on a rate.
const RATE_STEP: f64 = 0.05;
/// Steps of `>` and `<`.
const BIG: u64 = 10;

impl App {
    /// Applies one action and returns what the event loop must do.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.apply(action);
        // The detail pane's "one more unit" costs three summaries: computed here, once per
        // change of design, selection or convention, never while drawing.
        let key = (self.generation, self.selected, self.convention());
        if self.cost_key != Some(key) {
            self.cost_key = Some(key);
            self.cost = self
                .layer_index()
                .and_then(|i| marginal(&self.design, i, self.convention()));
        }
        effects
    }

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
                self.recovery_due = false;
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
                }
                self.status(format!("deleted {name}"), false);
                return vec![Effect::Remember];
            }
            Action::Compared(other, name) => {
                let diff = crate::model::diff::diff(&self.design, &other, self.convention());
                self.mode = Mode::Diff(DiffView {
                    name,
                    diff: Box::new(diff),
                    scroll: 0,
                });
                return vec![];
            }
            Action::Exported(path) => {
                self.status(format!("exported to {path}"), false);
                return vec![];
            }
            Action::Failed(msg) => {
                self.status(msg, true);
                return vec![];
            }
            Action::SaveConflict(name) => {
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
                    format!("restored the unsaved design {name} (copies not restored are offered again at the next start)"),
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
        match &self.mode {
            Mode::Normal => self.normal(action),
            Mode::Picker(_) => self.picker(action),
            Mode::Open(_) => self.open_picker(action),
            Mode::Form(_) => self.form(action),
            Mode::Prompt(_) => self.prompt(action),
            Mode::Help { .. } | Mode::Diff(_) => self.help(action),
            Mode::Confirm(_) => self.confirm(action),
            Mode::Budgets(_) => self.budgets(action),
            Mode::Solve(_) => self.solve(action),
            Mode::Export { .. } => self.export(action),
            Mode::Columns { .. } => self.columns(action),
            Mode::Import(_) => self.import(action),
            Mode::Recover(_) => self.recover(action),
        }
    }

    /// The recovery list: each copy is restored, kept for later or discarded on its own.
    fn recover(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Recover(list) = &mut self.mode else {
            return vec![];
        };
        let mut note = None;
        let effects = match action {
            Action::PopupUp => {
                list.index = list.index.saturating_sub(1);
                vec![]
            }
            Action::PopupDown => {
                list.index = (list.index + 1).min(list.items.len().saturating_sub(1));
                vec![]
            }
            Action::Confirm => match list.items.get(list.index) {
                None => vec![],
                Some(Leftover { error: Some(e), .. }) => {
                    note = Some((format!("this copy cannot be restored: {e}"), true));
                    vec![]
                }
                Some(_) => {
                    let chosen = list.items.remove(list.index);
                    let kept: Vec<Effect> = list
                        .items
                        .drain(..)
                        .map(|i| Effect::KeepCopy(i.path))
                        .collect();
                    std::iter::once(Effect::RestoreCopy(chosen.path))
                        .chain(kept)
                        .collect()
                }
            },
            Action::KeepForLater if list.index < list.items.len() => {
                let item = list.items.remove(list.index);
                note = Some((
                    format!(
                        "kept the copy of {} for later: it is offered at the next start",
                        item.name
                    ),
                    false,
                ));
                vec![Effect::KeepCopy(item.path)]
            }
            Action::DiscardCopy if list.index < list.items.len() => {
                let item = list.items.remove(list.index);
                note = Some((format!("discarded the copy of {}", item.name), false));
                vec![Effect::DiscardCopy(item.path)]
            }
            Action::Close => {
                let n = list.items.len();
                let copies = if n == 1 { "copy" } else { "copies" };
                note = Some((
                    format!(
                        "{n} recovery {copies} kept for later: offered again at the next start"
                    ),
                    false,
                ));
                list.items
                    .drain(..)
                    .map(|i| Effect::KeepCopy(i.path))
                    .collect()
            }
            _ => vec![],
        };
        if list.items.is_empty() {
            self.mode = Mode::Normal;
        } else {
            list.index = list.index.min(list.items.len() - 1);
        }
        if let Some((text, error)) = note {
            self.status(text, error);
        }
        effects
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
            Action::Add => self.mode = Mode::Picker(Picker::default()),
            Action::Delete => self.delete(),
            Action::Duplicate => self.duplicate(),
            Action::MoveUp => self.move_layer(true),
            Action::MoveDown => self.move_layer(false),
            Action::Edit => self.edit(),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::Budget => {
                let b = self.design.budget;
                let text = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
                self.mode = Mode::Budgets(BudgetForm {
                    fields: [
                        text(b.params),
                        text(b.memory),
                        b.precision.label().to_string(),
                        text(b.macs),
                        text(b.batch),
                    ],
                    index: 0,
                    error: None,
                });
            }
            Action::FitLayer => match self.layer_index() {
                Some(i) => self.propose(Scope::Layer(i), 1),
                None => self.status(
                    "select a layer with a size (units, filters, ...) to fit it",
                    true,
                ),
            },
            Action::FitAll => self.propose(Scope::AllWidths, 8),
            Action::Export => self.mode = Mode::Export { index: 0 },
            Action::Columns => self.mode = Mode::Columns { index: 0 },
            Action::Compare => {
                self.mode = Mode::Open(OpenPicker {
                    compare: true,
                    ..OpenPicker::default()
                });
                return vec![Effect::List];
            }
            Action::Import => self.mode = Mode::Import(ImportBox::default()),
            Action::Convention => {
                let c = self.convention().other();
                std::mem::swap(&mut self.summary, &mut self.other);
                self.delta = None;
                self.status(format!("counting as {}", c.label()), false);
                return vec![Effect::Remember];
            }
            Action::Theme => {
                if let Some(next) = Theme::next_in(&self.themes, &self.theme.name) {
                    self.theme = next;
                }
                self.status(format!("theme {}", self.theme.name), false);
                return vec![Effect::Remember];
            }
            Action::Help => self.mode = Mode::Help { scroll: 0 },
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

    fn picker(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Picker(p) = &mut self.mode else {
            return vec![];
        };
        let len = p.matches().len();
        if filter_list(&mut p.filter, &mut p.index, len, &action) {
            return vec![];
        }
        match action {
            Action::Close => self.mode = Mode::Normal,
            Action::Confirm => {
                if let Some(layer) = p.matches().into_iter().nth(p.index) {
                    self.mode = Mode::Normal;
                    let at = self.selected.min(self.design.layers.len());
                    self.change(at + 1, |d| d.layers.insert(at, layer));
                }
            }
            _ => {}
        }
        vec![]
    }

    fn open_picker(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Open(p) = &mut self.mode else {
            return vec![];
        };
        let len = p.matches().len();
        if filter_list(&mut p.filter, &mut p.index, len, &action) {
            return vec![];
        }
        match action {
            Action::Close => self.mode = Mode::Normal,
            Action::Confirm => {
                if let Some(s) = p.matches().get(p.index) {
                    let name = s.name.clone();
                    let compare = p.compare;
                    self.mode = Mode::Normal;
                    return vec![if compare {
                        Effect::Compare(name)
                    } else {
                        Effect::Open(name)
                    }];
                }
            }
            Action::RenameSaved => {
                if let Some(s) = p.matches().get(p.index) {
                    let name = s.name.clone();
                    self.mode = Mode::Prompt(Prompt {
                        error: None,
                        ask: Ask::Rename(name.clone()),
                        text: name,
                    });
                }
            }
            Action::DeleteSaved => {
                if let Some(s) = p.matches().get(p.index) {
                    self.mode = Mode::Confirm(Question::Delete(s.name.clone()));
                }
            }
            _ => {}
        }
        vec![]
    }

    fn form(&mut self, action: Action) -> Vec<Effect> {
        let input = match &self.mode {
            Mode::Form(f) => match f.target {
                Target::Layer(i) => self.input_of(i),
                Target::Input => None,
            },
            _ => return vec![],
        };
        let Mode::Form(f) = &mut self.mode else {
            return vec![];
        };
        match action {
            Action::Insert(c) => {
                if let Some(field) = f.fields.get_mut(f.index) {
                    field.text.push(c);
                }
                f.validate(input.as_ref());
            }
            Action::Backspace => {
                if let Some(field) = f.fields.get_mut(f.index) {
                    field.text.pop();
                }
                f.validate(input.as_ref());
            }
            Action::PopupUp => f.index = f.index.saturating_sub(1),
            Action::PopupDown => f.index = (f.index + 1).min(f.fields.len().saturating_sub(1)),
            Action::Close => self.mode = Mode::Normal,
            Action::Confirm => match f.read(input.as_ref()) {
                Ok(value) => {
                    let target = f.target.clone();
                    self.mode = Mode::Normal;
                    match (target, value) {
                        (Target::Input, Value::Input(new)) => {
                            self.change(0, |d| d.input = new);
                        }
                        (Target::Layer(i), Value::Layer(new)) => {
                            self.change(i + 1, |d| {
                                if let Some(slot) = d.layers.get_mut(i) {
                                    *slot = new;
                                }
                            });
                        }
                        _ => {}
                    }
                }
                Err(e) => {
                    f.index = e.0;
                    f.error = Some(e);
                }
            },
            _ => {}
        }
        vec![]
    }

    fn prompt(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Prompt(p) = &mut self.mode else {
            return vec![];
        };
        match action {
            Action::Insert(c) => {
                p.text.push(c);
                p.error = check(&p.ask, &p.text).err();
            }
            Action::Backspace => {
                p.text.pop();
                p.error = check(&p.ask, &p.text).err();
            }
            Action::Close => self.mode = Mode::Normal,
            Action::Confirm => match check(&p.ask, &p.text) {
                Err(e) => p.error = Some(e),
                Ok(()) => {
                    let (ask, text) = (p.ask.clone(), p.text.trim().to_string());
                    self.mode = Mode::Normal;
                    match ask {
                        Ask::Rename(from) => return vec![Effect::Rename { from, to: text }],
                        Ask::SaveName => {
                            return vec![Effect::Save {
                                design: Design {
                                    name: text.clone(),
                                    ..self.design.clone()
                                },
                                name: text,
                                overwrite: false,
                            }];
                        }
                    }
                }
            },
            _ => {}
        }
        vec![]
    }

    fn budgets(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Budgets(f) = &mut self.mode else {
            return vec![];
        };
        let last = f.fields.len() - 1;
        match action {
            Action::Insert(c) => {
                f.fields[f.index].push(c);
                f.error = read_budgets(&f.fields).err();
            }
            Action::Backspace => {
                f.fields[f.index].pop();
                f.error = read_budgets(&f.fields).err();
            }
            Action::Cycle => {
                f.index = PRECISION_FIELD;
                let now = parse_precision(&f.fields[PRECISION_FIELD]).unwrap_or_default();
                let at = Precision::ALL.iter().position(|p| *p == now).unwrap_or(0);
                let next = Precision::ALL[(at + 1) % Precision::ALL.len()];
                f.fields[PRECISION_FIELD] = next.label().to_string();
                f.error = read_budgets(&f.fields).err();
            }
            Action::PopupUp => f.index = f.index.saturating_sub(1),
            Action::PopupDown => f.index = (f.index + 1).min(last),
            Action::Close => self.mode = Mode::Normal,
            Action::Confirm => match read_budgets(&f.fields) {
                Ok(budget) => {
                    self.mode = Mode::Normal;
                    let sel = self.selected;
                    self.change(sel, |d| d.budget = budget);
                }
                Err(e) => {
                    f.index = e.0;
                    f.error = Some(e);
                }
            },
            _ => {}
        }
        vec![]
    }

    /// Opens the proposal popup for a scope and multiple.
    fn propose(&mut self, scope: Scope, multiple: u64) {
        let convention = self.convention();
        let result = match scope {
            Scope::Layer(i) => largest_size(&self.design, i, multiple, convention),
            Scope::AllWidths => scale_widths(&self.design, multiple, convention),
        }
        .map_err(|e| e.to_string());
        let after = result.as_ref().map_or_else(
            |_| Vec::new(),
            |p| {
                self.design
                    .budget
                    .gauges(&Summary::of(&p.design, convention))
            },
        );
        self.mode = Mode::Solve(SolveView {
            scope,
            multiple,
            result,
            after,
        });
    }

    fn solve(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Solve(v) = &self.mode else {
            return vec![];
        };
        let (scope, multiple) = (v.scope, v.multiple);
        match action {
            Action::NextMultiple => {
                let at = MULTIPLES.iter().position(|m| *m == multiple).unwrap_or(0);
                self.propose(scope, MULTIPLES[(at + 1) % MULTIPLES.len()]);
            }
            Action::SwitchScope => {
                let next = match (scope, self.layer_index()) {
                    (Scope::Layer(_), _) => Scope::AllWidths,
                    (Scope::AllWidths, Some(i)) => Scope::Layer(i),
                    (Scope::AllWidths, None) => Scope::AllWidths,
                };
                self.propose(next, multiple);
            }
            Action::Close => self.mode = Mode::Normal,
            Action::Confirm => {
                let Mode::Solve(v) = std::mem::replace(&mut self.mode, Mode::Normal) else {
                    return vec![];
                };
                match v.result {
                    Ok(p) if p.design == self.design => {
                        self.status("already the largest that fits: nothing to change", false);
                    }
                    Ok(p) => {
                        let sel = self.selected;
                        let n = p.changes.len();
                        self.change(sel, |d| *d = p.design);
                        self.status(
                            format!(
                                "fitted {n} size{} (u undoes)",
                                if n == 1 { "" } else { "s" }
                            ),
                            false,
                        );
                    }
                    Err(e) => self.status(e, true),
                }
            }
            _ => {}
        }
        vec![]
    }

    fn columns(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Columns { index } = &mut self.mode else {
            return vec![];
        };
        let last = Column::ALL.len() - 1;
        match action {
            Action::PopupUp => *index = index.saturating_sub(1),
            Action::PopupDown => *index = (*index + 1).min(last),
            Action::Close => self.mode = Mode::Normal,
            Action::Toggle => {
                let col = Column::ALL[(*index).min(last)].1;
                let on = !self.columns.contains(&col);
                // Kept in table order whatever order they are switched on in.
                self.columns = Column::ALL
                    .iter()
                    .map(|(_, c)| *c)
                    .filter(|c| {
                        if *c == col {
                            on
                        } else {
                            self.columns.contains(c)
                        }
                    })
                    .collect();
                return vec![Effect::Remember];
            }
            _ => {}
        }
        vec![]
    }

    fn export(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Export { index } = &mut self.mode else {
            return vec![];
        };
        let last = ExportFormat::ALL.len() - 1;
        match action {
            Action::PopupUp => *index = index.saturating_sub(1),
            Action::PopupDown => *index = (*index + 1).min(last),
            Action::Close => self.mode = Mode::Normal,
            Action::Confirm => {
                let format = ExportFormat::ALL[(*index).min(last)];
                self.mode = Mode::Normal;
                let contents = match format {
                    ExportFormat::KerasCode => keras_code(&self.design),
                    ExportFormat::PytorchCode => pytorch_code(&self.design),
                    ExportFormat::KerasJson => {
                        let json = serde_json::to_string_pretty(&keras_json(&self.design));
                        escape_json(&json.unwrap_or_default()).into_owned() + "\n"
                    }
                    ExportFormat::Markdown => markdown(&self.summary),
                };
                let name = self.saved_as.as_deref().unwrap_or(&self.design.name);
                return vec![Effect::Export {
                    file: format!("exports/{}{}", file_stem(name), format.suffix()),
                    contents,
                }];
            }
            _ => {}
        }
        vec![]
    }

    fn import(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Import(b) = &mut self.mode else {
            return vec![];
        };
        match action {
            Action::Insert(c) => {
                if b.text.chars().count() < IMPORT_MAX {
                    b.text.push(c);
                }
                b.error = None;
            }
            Action::Backspace => {
                b.text.pop();
                b.error = None;
            }
            Action::Close => self.mode = Mode::Normal,
            Action::Confirm => {
                let text = b.text.clone();
                let read = if text.trim_start().starts_with('{') {
                    design_from_keras_json(&text, IMPORTED).map_err(|e| e.to_string())
                } else {
                    design_from_python(&text, IMPORTED).map_err(|e| e.to_string())
                };
                match read {
                    Ok(design) => {
                        self.mode = Mode::Normal;
                        let n = design.layers.len();
                        self.change(usize::from(n > 0), |d| *d = design);
                        self.saved_as = None;
                        self.delta = None;
                        self.status(
                            format!("imported {n} layers as a new design (u undoes, Ctrl-s saves)"),
                            false,
                        );
                    }
                    Err(e) => b.error = Some(e),
                }
            }
            _ => {}
        }
        vec![]
    }

    fn help(&mut self, action: Action) -> Vec<Effect> {
        let down = match action {
            Action::PopupDown => true,
            Action::PopupUp => false,
            Action::Close => {
                self.mode = Mode::Normal;
                return vec![];
            }
            _ => return vec![],
        };
        match &mut self.mode {
            Mode::Help { scroll } if down => *scroll = scroll.saturating_add(1),
            Mode::Help { scroll } => *scroll = scroll.saturating_sub(1),
            // A comparison has a line per layer, more than a u16 counts; scrolling stops at
            // its last line.
            Mode::Diff(v) if down => v.scroll = (v.scroll + 1).min(v.diff.line_count()),
            Mode::Diff(v) => v.scroll = v.scroll.saturating_sub(1),
            _ => {}
        }
        vec![]
    }

    fn confirm(&mut self, action: Action) -> Vec<Effect> {
        let Mode::Confirm(q) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return vec![];
        };
        match (q, action) {
            (Question::Quit, Action::Confirm) => {
                self.quit = true;
                vec![Effect::DiscardRecovery, Effect::Remember, Effect::Quit]
            }
            (Question::Overwrite(name), Action::Confirm) => vec![Effect::Save {
                design: self.design.clone(),
                name,
                overwrite: true,
            }],
            (Question::Delete(name), Action::Confirm) => vec![Effect::Delete(name)],
            (q, Action::Close | Action::Deny) => {
                if matches!(q, Question::Overwrite(_)) {
                    self.status("not saved", false);
                }
                vec![]
            }
            (q, _) => {
                self.mode = Mode::Confirm(q);
                vec![]
            }
        }
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

    /// The save-as prompt, starting from the design's name.
    fn ask_name(&mut self) {
        let text = self.design.name.clone();
        self.mode = Mode::Prompt(Prompt {
            error: check(&Ask::SaveName, &text).err(),
            ask: Ask::SaveName,
            text,
        });
    }

    fn loaded(&mut self, design: Design, name: Option<String>) -> Vec<Effect> {
        let from_file = name.is_some();
        self.change(1, |d| *d = design);
        self.selected = usize::from(!self.design.layers.is_empty());
        self.delta = None;
        self.dirty = !from_file;
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
            };
        });
        self.saved_as = None;
        self.dirty = dirty;
        self.delta = None;
        self.status(
            "new design: press a to add a layer (u brings the old one back)",
            false,
        );
    }

    /// Changes the design through `f`, recording the old state for undo.
    fn change(&mut self, select: usize, f: impl FnOnce(&mut Design)) {
        let before = self.design.clone();
        f(&mut self.design);
        if self.design == before {
            return;
        }
        self.history.record(before, &self.design, self.selected);
        self.selected = select;
        self.dirty = true;
        self.recovery_due = true;
        self.refresh();
    }

    fn undo(&mut self) {
        match self.history.undo(&mut self.design, self.selected) {
            Some(sel) => self.restored(sel),
            None => self.status("nothing to undo", false),
        }
    }

    fn redo(&mut self) {
        match self.history.redo(&mut self.design, self.selected) {
            Some(sel) => self.restored(sel),
            None => self.status("nothing to redo", false),
        }
    }

    /// After undo or redo: the selection of the time, and everything derived recomputed.
    fn restored(&mut self, selected: usize) {
        self.selected = selected;
        self.dirty = true;
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

    fn nudge(&mut self, steps: i64) {
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
        match self.layer_index() {
            None => self.status(
                "the input cannot be deleted: press Enter to change it",
                true,
            ),
            Some(i) => {
                let sel = self
                    .selected
                    .min(self.design.layers.len().saturating_sub(1));
                self.change(
                    sel.max(usize::from(i == 0 && self.design.layers.len() > 1)),
                    |d| {
                        d.layers.remove(i);
                    },
                );
                self.selected = self.selected.min(self.rows() - 1);
                if self.selected == 0 && !self.design.layers.is_empty() {
                    self.selected = 1;
                }
            }
        }
    }

    fn duplicate(&mut self) {
        if let Some(i) = self.layer_index()
            && let Some(layer) = self.design.layers.get(i).cloned()
        {
            self.change(i + 2, |d| d.layers.insert(i + 1, layer));
        }
    }

    fn move_layer(&mut self, up: bool) {
        let Some(i) = self.layer_index() else {
            return;
        };
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        match j {
            Some(j) if j < self.design.layers.len() => {
                self.change(j + 1, |d| d.layers.swap(i, j));
            }
            _ => {}
        }
    }

    fn edit(&mut self) {
        let form = match self.layer_index() {
            None => Some(Form::for_input(&self.design.input)),
            Some(i) => self
                .design
                .layers
                .get(i)
                .and_then(|l| Form::for_layer(i, l)),
        };
        if let Some(mut form) = form {
            let input = match form.target {
                Target::Layer(i) => self.input_of(i),
                Target::Input => None,
            };
            form.validate(input.as_ref());
            self.mode = Mode::Form(form);
        }
    }

    /// The shape layer `i` receives, when the layers before it build.
    pub fn input_of(&self, i: usize) -> Option<Shape> {
        if i == 0 {
            return Some(self.design.input.shape.clone());
        }
        self.summary
            .rows
            .get(i - 1)
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

    fn status(&mut self, text: impl Into<String>, error: bool) {
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

/// Typing, deleting and moving in a list filtered as you type (the layer picker and the open
/// list share these keys). Returns whether `action` was one of them.
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

/// Whether a prompt's text is acceptable, and if not, why.
fn check(ask: &Ask, text: &str) -> Result<(), String> {
    match ask {
        // The store's own rules: a name never leaves designs/.
        Ask::SaveName | Ask::Rename(_) => {
            crate::store::check_name(text.trim()).map_err(|e| match e {
                crate::store::StoreError::Name { reason, .. } => reason.to_string(),
                other => other.to_string(),
            })
        }
    }
}

/// A budget as typed: `60000`, `60,000`, `60k`, `1.5M`; empty clears it.
pub fn parse_budget(text: &str) -> Result<Option<u64>, String> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    let (num, scale) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1e3),
        Some('m' | 'M') => (&t[..t.len() - 1], 1e6),
        Some('g' | 'G' | 'b' | 'B') => (&t[..t.len() - 1], 1e9),
        _ => (t.as_str(), 1.0),
    };
    if let Ok(n) = num.parse::<u64>()
        && scale == 1.0
    {
        return if n == 0 {
            Err("a budget must be at least 1 parameter".into())
        } else {
            Ok(Some(n))
        };
    }
    match num.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x * scale < 1.8e19 => {
            Ok(Some((x * scale).round().max(1.0) as u64))
        }
        _ => Err(format!("{text:?} is not a count like 60000, 60k or 1.5M")),
    }
}

/// The name an imported design gets until it is saved.
const IMPORTED: &str = "imported";
/// Longest text the import box takes, in chars.
const IMPORT_MAX: usize = 65_536;

/// A design name made safe as a file name: anything but letters, digits, `-` and `_` becomes
/// `_`.
fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "design".into() } else { s }
}

/// Where the precision sits in the budgets form.
const PRECISION_FIELD: usize = 2;

/// The budgets form read back: every field is checked; an error names its field.
fn read_budgets(fields: &[String; 5]) -> Result<Budget, (usize, String)> {
    let params = parse_budget(&fields[0]).map_err(|e| (0, e))?;
    let memory = parse_bytes(&fields[1]).map_err(|e| (1, e))?;
    let precision = parse_precision(&fields[PRECISION_FIELD]).ok_or_else(|| {
        (
            PRECISION_FIELD,
            "precision is fp32, fp16, bf16 or int8 (← → choose)".to_string(),
        )
    })?;
    let macs = parse_budget(&fields[3]).map_err(|e| (3, e))?;
    let batch = match parse_budget(&fields[4]).map_err(|e| (4, e))? {
        Some(0) => return Err((4, "the batch size is at least 1".into())),
        b => b,
    };
    Ok(Budget {
        params,
        memory,
        precision,
        macs,
        batch,
    })
}

/// `fp16` (any case) → the precision.
fn parse_precision(text: &str) -> Option<Precision> {
    let t = text.trim().to_lowercase();
    Precision::ALL.into_iter().find(|p| p.label() == t)
}

/// A byte count as typed: `120000`, `120k` (1,000), `1.5M`, `512KiB` or `1MiB` (1,024-based),
/// `1MB`; empty clears it.
pub fn parse_bytes(text: &str) -> Result<Option<u64>, String> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    let lower = t.to_lowercase();
    let units: [(&str, f64); 9] = [
        ("kib", 1024.0),
        ("mib", 1024.0 * 1024.0),
        ("gib", 1024.0 * 1024.0 * 1024.0),
        ("kb", 1e3),
        ("mb", 1e6),
        ("gb", 1e9),
        ("k", 1e3),
        ("m", 1e6),
        ("b", 1.0),
    ];
    let (num, scale) = units
        .iter()
        .find(|(u, _)| lower.ends_with(u))
        .map_or((lower.as_str(), 1.0), |(u, s)| {
            (&lower[..lower.len() - u.len()], *s)
        });
    let bad = || format!("{text:?} is not a size like 120000, 120k, 512KiB or 1MiB");
    if scale == 1.0
        && let Ok(n) = num.parse::<u64>()
    {
        return if n == 0 { Err(bad()) } else { Ok(Some(n)) };
    }
    match num.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x * scale < 1.8e19 => {
            Ok(Some((x * scale).round().max(1.0) as u64))
        }
        _ => Err(bad()),
    }
}
