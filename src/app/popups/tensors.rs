//! The tensor picker: the tensors a layer may read (the model's inputs and the outputs of the
//! layers before it, each output of a layer with several as `name[i]`), with their shapes
//! from the current summary and, for the ones that would not build, why. It answers three
//! questions: what a merge or attention layer being added reads, what the readers of a layer
//! being deleted read instead, and what the selected branch is merged back with.

use crate::app::action::{Action, Effect};
use crate::app::popups::{Popup, move_in};
use crate::app::state::{App, Mode};
use crate::app::text::TextOp;
use crate::model::graph::Reader;
use crate::model::layers::CallOptions;
use crate::model::{Design, Layer, Output, Shape, layer_names};

/// The merge kinds a branch is merged back with, the default first.
pub const MERGES: [&str; 7] = [
    "Add",
    "Concatenate",
    "Multiply",
    "Average",
    "Maximum",
    "Minimum",
    "Subtract",
];

/// What the chosen tensors are for.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// The inputs of a merge or attention layer inserted at this position (attention's in
    /// the order query, value, key).
    Add(usize, Box<Layer>),
    /// The layer at this position is deleted; its readers read the chosen tensor instead.
    Reconnect(usize),
    /// The branch ending at the layer at this position is merged with the chosen tensor by
    /// the chosen merge kind, in a new layer after it.
    MergeBack(usize),
}

/// One tensor offered.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The reference the call will name; `None` offers nothing (readers lose the input).
    pub reference: Option<String>,
    /// Its shape as the summary gives it, or `?` when the layers before it do not build.
    pub shape: String,
    /// Why choosing it would not build, if it would not.
    pub why_not: Option<String>,
    /// A word on it: `its input (default)`.
    pub note: Option<&'static str>,
}

/// The open tensor picker.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorPicker {
    /// What the choice is for.
    pub purpose: Purpose,
    /// The tensors offered, in design order.
    pub choices: Vec<Choice>,
    /// The highlighted choice.
    pub index: usize,
    /// Choices taken so far (Space), in the order taken: a merge's list, attention's query
    /// then value then key.
    pub chosen: Vec<usize>,
    /// The merge kind, by its place in [`MERGES`] (merging a branch back).
    pub kind: usize,
    /// Why Enter was refused, until the next key.
    pub error: Option<String>,
}

/// The shape of every tensor in scope of a layer at `at`, by reference.
fn tensors(app: &App, at: usize) -> Vec<(String, Option<Shape>)> {
    let d = &app.design;
    let mut out: Vec<(String, Option<Shape>)> = Vec::new();
    let mut shapes = vec![d.input.shape.clone()];
    shapes.extend(d.graph.inputs.iter().map(|i| i.shape.clone()));
    out.extend(
        d.input_names()
            .into_iter()
            .zip(shapes.into_iter().map(Some)),
    );
    for (i, name) in layer_names(&d.layers).into_iter().enumerate().take(at) {
        match app.summary.row_of(i).map(|r| &r.output) {
            Some(Output::Many(list)) => {
                for (k, s) in list.iter().enumerate() {
                    out.push((format!("{name}[{k}]"), Some(s.clone())));
                }
            }
            Some(Output::One(s)) => out.push((name, Some(s.clone()))),
            None => out.push((name, None)),
        }
    }
    out
}

/// The catalogue's layer of a class.
pub fn of_class(class: &str) -> Option<Layer> {
    Layer::catalogue()
        .into_iter()
        .find(|l| l.kind().class() == class)
}

/// True for the attention kinds, which read a query and a value rather than a list to merge.
pub fn is_attention(layer: &Layer) -> bool {
    layer.kind().multi().is_some() && layer.kind().class().contains("Attention")
}

/// Why a call of `layer` on `shapes` would not build, if it would not.
fn refusal(layer: &Layer, shapes: &[Shape]) -> Option<String> {
    let kind = layer.kind();
    let result = match kind.multi() {
        Some(m) => m.output(shapes, CallOptions::default()).map(|_| ()),
        None => shapes
            .first()
            .map_or(Ok(()), |s| kind.output(s).map(|_| ())),
    };
    result.err().map(|e| {
        let text = e.to_string();
        if kind.go_backwards().is_some() {
            format!("a recurrent layer needs rank 3 (batch, timesteps, features): {text}")
        } else {
            text
        }
    })
}

impl TensorPicker {
    /// The actions of the picker's keys that do nothing for its purpose: only a merge back
    /// has kinds to switch, and only a new layer's inputs are taken one by one.
    pub fn idle(&self) -> Vec<Action> {
        let kinds = [Action::Text(TextOp::Left), Action::Text(TextOp::Right)];
        match self.purpose {
            Purpose::Add(..) => kinds.to_vec(),
            Purpose::MergeBack(_) => vec![Action::Toggle],
            Purpose::Reconnect(_) => [Action::Toggle].into_iter().chain(kinds).collect(),
        }
    }

    /// The picker for the inputs of `layer`, a merge or attention kind added at `at`: the
    /// call before it is taken already, and the tensor a branch left from is highlighted.
    pub fn for_add(app: &App, at: usize, layer: Layer) -> TensorPicker {
        let previous = app.design.previous_ref(at);
        let mut p = TensorPicker::new(app, Purpose::Add(at, Box::new(layer)), at);
        p.chosen = p.position(&previous).into_iter().collect();
        let attention = matches!(&p.purpose, Purpose::Add(_, l) if is_attention(l));
        p.index = match attention {
            // Self-attention is the usual first call: Enter reads the same tensor twice.
            true => p.chosen.first().copied().unwrap_or(0),
            false => p.partner(&app.design, at.saturating_sub(1), &previous),
        };
        p.mark(app);
        if !attention {
            p.highlight_fitting();
        }
        p
    }

    /// The picker for what the readers of the layer at `at` read once it is deleted: its own
    /// input (the default), another tensor before it, or nothing.
    pub fn for_delete(app: &App, at: usize) -> TensorPicker {
        let bypass = app.design.bypass_ref(at);
        let mut p = TensorPicker::new(app, Purpose::Reconnect(at), at);
        let mut own = match p.position(&bypass) {
            Some(i) => p.choices.remove(i),
            // A further call of a shared layer is not listed: offer it all the same.
            None => Choice {
                reference: Some(bypass),
                shape: "?".into(),
                why_not: None,
                note: None,
            },
        };
        own.note = Some("its input (default)");
        p.choices.insert(0, own);
        p.choices.push(Choice {
            reference: None,
            shape: String::new(),
            why_not: None,
            note: Some("nothing: the readers lose this input"),
        });
        p.mark(app);
        p
    }

    /// The picker for merging the branch ending at the layer at `at` back: the tensor the
    /// branch left from is highlighted, `Add` is the kind.
    pub fn for_merge(app: &App, at: usize) -> TensorPicker {
        let own = layer_names(&app.design.layers)
            .into_iter()
            .nth(at)
            .unwrap_or_default();
        let mut p = TensorPicker::new(app, Purpose::MergeBack(at), at);
        p.index = p.partner(&app.design, at, &own);
        p.mark(app);
        p.highlight_fitting();
        p
    }

    fn new(app: &App, purpose: Purpose, at: usize) -> TensorPicker {
        let choices = tensors(app, at)
            .into_iter()
            .map(|(reference, shape)| Choice {
                shape: shape.map_or("?".into(), |s| s.to_string()),
                reference: Some(reference),
                why_not: None,
                note: None,
            })
            .collect();
        TensorPicker {
            purpose,
            choices,
            index: 0,
            chosen: Vec::new(),
            kind: 0,
            error: None,
        }
    }

    fn position(&self, reference: &str) -> Option<usize> {
        self.choices
            .iter()
            .position(|c| c.reference.as_deref() == Some(reference))
    }

    /// The tensor a branch ending at `at` most likely merges with: going back from it through
    /// first inputs, the first tensor something else also reads (where the branch left), a
    /// model output included: a branch from the model's last layer left from it.
    fn partner(&self, d: &Design, at: usize, own: &str) -> usize {
        let names = layer_names(&d.layers);
        let mut i = at;
        for _ in 0..d.layers.len() {
            let from = d.bypass_ref(i);
            let Some(j) = names.iter().position(|n| *n == from) else {
                // Reached a model input: the branch left from it.
                return self.position(&from).filter(|_| from != own).unwrap_or(0);
            };
            if d.readers(j).len() > 1 && from != own {
                return self.position(&from).unwrap_or(0);
            }
            i = j;
        }
        0
    }

    /// Moves the highlight off a tensor that would not build, or is taken already, to the
    /// nearest one before the layer that would build and is not taken, so Enter alone makes
    /// a design that builds and merges two tensors: merging a chain's second Dense back finds
    /// the first Dense, not an input of another width; a new Concatenate after two inputs
    /// takes the second. Stays put when none would.
    fn highlight_fitting(&mut self) {
        let fits = |(i, c): &(usize, &Choice)| c.why_not.is_none() && !self.chosen.contains(i);
        if self
            .choices
            .get(self.index)
            .is_none_or(|c| fits(&(self.index, c)))
        {
            return;
        }
        if let Some((i, _)) = self.choices.iter().enumerate().rev().find(fits) {
            self.index = i;
        }
    }

    /// The layer the chosen tensors would be given to, for the marks.
    fn layer(&self, app: &App) -> Option<Layer> {
        match &self.purpose {
            Purpose::Add(_, l) => Some((**l).clone()),
            Purpose::MergeBack(_) => of_class(MERGES[self.kind]),
            // The first reader called on one tensor tells what the tensor must fit.
            Purpose::Reconnect(at) => app.design.readers(*at).into_iter().find_map(|r| match r {
                Reader::Layer(j) => app
                    .design
                    .layers
                    .get(j)
                    .filter(|l| l.kind().multi().is_none())
                    .cloned(),
                _ => None,
            }),
        }
    }

    /// Marks each choice that would not build with why.
    fn mark(&mut self, app: &App) {
        let layer = self.layer(app);
        let all = tensors(app, app.design.layers.len());
        let shape_of = |c: &Choice| -> Option<Shape> {
            all.iter()
                .find(|(r, _)| Some(r) == c.reference.as_ref())
                .and_then(|(_, s)| s.clone())
        };
        let base: Vec<Shape> = match &self.purpose {
            Purpose::Add(..) => self
                .chosen
                .iter()
                .filter_map(|&i| self.choices.get(i).and_then(shape_of))
                .collect(),
            Purpose::MergeBack(at) => app
                .summary
                .row_of(*at)
                .and_then(|r| r.output.single().cloned())
                .into_iter()
                .collect(),
            Purpose::Reconnect(_) => Vec::new(),
        };
        let shapes: Vec<Option<Shape>> = self.choices.iter().map(shape_of).collect();
        for (c, s) in self.choices.iter_mut().zip(shapes) {
            c.why_not = match (&layer, s) {
                (Some(l), Some(s)) => {
                    let mut all = base.clone();
                    all.push(s);
                    refusal(l, &all)
                }
                _ => None,
            };
        }
    }

    /// The references to call the new layer on, or why not yet: those taken, then the
    /// highlighted one (again only when too few are taken: attention on one tensor reads it
    /// as query and value).
    fn references(&self, least: usize) -> Result<Vec<String>, String> {
        let mut picked = self.chosen.clone();
        if !picked.contains(&self.index) || picked.len() < least {
            picked.push(self.index);
        }
        let refs: Vec<String> = picked
            .iter()
            .filter_map(|&i| self.choices.get(i).and_then(|c| c.reference.clone()))
            .collect();
        if refs.len() < least {
            return Err(format!(
                "choose {least} tensors: Space takes the highlighted one"
            ));
        }
        Ok(refs)
    }

    /// Carries the choice out as one undoable change; `Err` says why not.
    fn apply(&self, app: &mut App) -> Result<(), String> {
        match &self.purpose {
            Purpose::Add(at, layer) => {
                let least = layer.kind().multi().map_or(1, |m| m.arity().0);
                let refs = self.references(least)?;
                let (at, layer) = (*at, (**layer).clone());
                app.change(app.row_of_layer(at), |d| d.insert_merge(at, layer, &refs));
            }
            Purpose::Reconnect(at) => {
                let at = *at;
                let to = self
                    .choices
                    .get(self.index)
                    .and_then(|c| c.reference.clone());
                let what = to.clone().unwrap_or_else(|| "nothing".into());
                let name = layer_names(&app.design.layers)
                    .into_iter()
                    .nth(at)
                    .unwrap_or_default();
                // The layer after it takes its row; the last one's goes to the one before.
                app.change(app.row_of_layer(at), |d| {
                    d.remove_layer(at, to.as_deref());
                });
                app.selected = app.selected.min(app.rows().saturating_sub(1));
                app.status(
                    format!("deleted {name}; its readers read {what} · u brings it back"),
                    false,
                );
            }
            Purpose::MergeBack(at) => {
                let at = *at;
                let other = self.references(1)?.pop().unwrap_or_default();
                let layer = of_class(MERGES[self.kind]).ok_or("no such merge kind")?;
                app.change(app.row_of_layer(at + 1), |d| {
                    d.merge_branch(at, layer, &other)
                });
            }
        }
        Ok(())
    }
}

impl Popup for TensorPicker {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        self.error = None;
        if move_in(&mut self.index, self.choices.len(), &action) {
            return (Mode::Tensors(self), Vec::new());
        }
        match action {
            Action::Toggle if matches!(self.purpose, Purpose::Add(..)) => {
                match self.chosen.iter().position(|&c| c == self.index) {
                    Some(at) => {
                        self.chosen.remove(at);
                    }
                    None => self.chosen.push(self.index),
                }
                self.mark(app);
            }
            Action::Text(op) if matches!(self.purpose, Purpose::MergeBack(_)) => {
                let step = if op == TextOp::Left {
                    MERGES.len() - 1
                } else {
                    1
                };
                self.kind = (self.kind + step) % MERGES.len();
                self.mark(app);
            }
            Action::Confirm => match self.apply(app) {
                Ok(()) => return (Mode::Normal, Vec::new()),
                Err(why) => self.error = Some(why),
            },
            _ => {}
        }
        (Mode::Tensors(self), Vec::new())
    }
}
