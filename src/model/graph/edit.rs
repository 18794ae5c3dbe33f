//! Structural edits of a design that keep its wiring true: inserting, removing and moving
//! layers, and the questions the designer asks before them (who reads this layer, what does
//! this slot read).
//!
//! Wiring is kept by layer position and references name layers, so every edit shifts the
//! positions after it and, in a graph, first pins every name: Keras' automatic names count the
//! layers of a class in order, and inserting an `LSTM` before `lstm` would otherwise rename it
//! and every reference to it with it.

use super::{Call, Graph, TensorRef};
use crate::model::design::Design;
use crate::model::layers::Layer;
use crate::model::name::Name;
use crate::model::summary::{INPUT_LAYER, layer_names};

/// Who reads a layer's outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// The layer at this position, through its call (or by default, as the next in the list).
    Layer(usize),
    /// A further call of a shared layer, by its place in `Graph::shared`.
    Shared(usize),
    /// The model's outputs.
    Output,
}

impl Design {
    /// The names of the model inputs, first first, as the summary gives them.
    pub fn input_names(&self) -> Vec<String> {
        let mut auto = 0;
        let mut name = |given: Option<&str>| match given {
            Some(n) => n.to_string(),
            None => {
                auto += 1;
                Name::auto(INPUT_LAYER, auto - 1).to_string()
            }
        };
        let mut names = vec![name(self.graph.input_name.as_deref())];
        names.extend(self.graph.inputs.iter().map(|i| name(i.name.as_deref())));
        names
    }

    /// Gives every input and layer its current name, so that later edits rename nothing and
    /// references keep naming the same tensors. Only graphs need it: a chain names nothing.
    pub fn pin_names(&mut self) {
        if !self.graph.is_chain() {
            self.pin_all();
        }
    }

    /// Names every input and layer, graph or chain: wiring is about to refer to them.
    pub(super) fn pin_all(&mut self) {
        let inputs = self.input_names();
        let layers = layer_names(&self.layers);
        let graph = &mut self.graph;
        let mut inputs = inputs.into_iter();
        graph.input_name = inputs.next();
        for (slot, name) in graph.inputs.iter_mut().zip(inputs) {
            slot.name = Some(name);
        }
        for (layer, name) in self.layers.iter_mut().zip(layers) {
            layer.kind_mut().set_name(Some(name));
        }
    }

    /// The reference a layer at `at` reads when its call names nothing: the output of the call
    /// before it (a shared call placed there, the layer before, or the first input).
    pub fn previous_ref(&self, at: usize) -> String {
        let Some(before) = at.checked_sub(1) else {
            return self.input_names().swap_remove(0);
        };
        let names = layer_names(&self.layers);
        let shared = self
            .graph
            .shared
            .iter()
            .rposition(|s| s.after.min(self.layers.len().saturating_sub(1)) == before);
        match shared {
            Some(s) => {
                let layer = &self.graph.shared[s].layer;
                let call = 1 + self.graph.shared[..s]
                    .iter()
                    .filter(|c| &c.layer == layer)
                    .count();
                format!("{layer}@{call}")
            }
            None => names.get(before).cloned().unwrap_or_default(),
        }
    }

    /// The tensor the layer at `at` reads first: what deleting it would hand its readers.
    pub fn bypass_ref(&self, at: usize) -> String {
        let call = self.graph.wiring.get(&at).filter(|c| !c.takes_previous());
        call.and_then(|c| {
            c.inputs
                .first()
                .or_else(|| c.keywords.values().flatten().next())
                .cloned()
        })
        .unwrap_or_else(|| self.previous_ref(at))
    }

    /// Who reads any output of the layer at `at`, in order.
    pub fn readers(&self, at: usize) -> Vec<Reader> {
        let Some(name) = layer_names(&self.layers).into_iter().nth(at) else {
            return Vec::new();
        };
        let names_it = |c: &Call| refs(c).any(|r| ref_name(r) == name);
        let mut readers: Vec<Reader> = (0..self.layers.len())
            .filter(
                |&i| match self.graph.wiring.get(&i).filter(|c| !c.takes_previous()) {
                    Some(c) => names_it(c),
                    None => i == at + 1 && !self.shared_after(at),
                },
            )
            .map(Reader::Layer)
            .collect();
        readers.extend(
            (0..self.graph.shared.len())
                .filter(|&s| names_it(&self.graph.shared[s].call))
                .map(Reader::Shared),
        );
        let last = at + 1 == self.layers.len() && !self.shared_after(at);
        let outputs = &self.graph.outputs;
        if outputs.iter().any(|o| ref_name(o) == name) || (outputs.is_empty() && last) {
            readers.push(Reader::Output);
        }
        readers
    }

    /// Inserts `layer` at `at`. Without a call it reads the call before it and the layer after
    /// it now reads it, as in a chain; with a call it starts a branch, and the layer after it
    /// keeps reading what it read.
    pub fn insert_layer(&mut self, at: usize, layer: Layer, call: Option<Call>) {
        let at = at.min(self.layers.len());
        let branch = call.as_ref().is_some_and(|c| !c.takes_previous());
        if branch {
            self.pin_all();
        } else {
            self.pin_names();
        }
        let previous = self.previous_ref(at);
        // A follower that names the call before it, as an imported model's layers all do,
        // is a chain step too: it reads the new layer, as a follower by default does.
        let names_previous = !branch
            && self
                .graph
                .wiring
                .get(&at)
                .is_some_and(|c| c.inputs == [previous.as_str()] && c.keywords.is_empty());
        if branch {
            if at < self.layers.len() && self.reads_previous(at) {
                self.graph.wiring.insert(at, Call::on(&[&previous]));
            }
            if at == self.layers.len() && self.graph.outputs.is_empty() {
                self.graph.outputs.push(previous);
            }
        }
        let mut layer = layer;
        if !self.graph.is_chain() && layer.kind().name().is_none() {
            let name = self.fresh_name(&layer);
            layer.kind_mut().set_name(Some(name));
        }
        self.layers.insert(at, layer);
        shift(&mut self.graph, at, true);
        if let Some(call) = call.filter(|c| !c.takes_previous()) {
            self.graph.wiring.insert(at, call);
        }
        if names_previous && let Some(c) = self.graph.wiring.get_mut(&(at + 1)) {
            c.inputs.clear();
            if c.options == Default::default() {
                self.graph.wiring.remove(&(at + 1));
            }
        }
    }

    /// Removes the layer at `at` and its shared calls; every reader of its outputs reads
    /// `replacement` instead, or loses that input when `None`.
    pub fn remove_layer(&mut self, at: usize, replacement: Option<&str>) -> Option<Layer> {
        if at >= self.layers.len() {
            return None;
        }
        self.pin_names();
        let name = layer_names(&self.layers).swap_remove(at);
        let previous = self.previous_ref(at);
        let follower =
            at + 1 < self.layers.len() && self.reads_previous(at + 1) && !self.shared_after(at);
        let graph = &mut self.graph;
        graph.shared.retain(|s| s.layer != name);
        for call in graph
            .wiring
            .values_mut()
            .chain(graph.shared.iter_mut().map(|s| &mut s.call))
        {
            rename(&mut call.inputs, &name, replacement);
            for list in call.keywords.values_mut() {
                rename(list, &name, replacement);
            }
            call.keywords.retain(|_, list| !list.is_empty());
        }
        rename(&mut graph.outputs, &name, replacement);
        graph.wiring.remove(&at);
        // The follower read this layer by default; it now reads the replacement, which is the
        // call before unless the user chose another tensor.
        if follower && let Some(r) = replacement.filter(|r| *r != previous) {
            graph.wiring.insert(at + 1, Call::on(&[r]));
        }
        shift(graph, at, false);
        Some(self.layers.remove(at))
    }

    /// Swaps the layers at `i` and `i + 1`, each keeping how it is called.
    pub fn swap_layers(&mut self, i: usize) {
        if i + 1 >= self.layers.len() {
            return;
        }
        self.pin_names();
        let wiring = &mut self.graph.wiring;
        let (a, b) = (wiring.remove(&i), wiring.remove(&(i + 1)));
        if let Some(b) = b {
            wiring.insert(i, b);
        }
        if let Some(a) = a {
            wiring.insert(i + 1, a);
        }
        self.layers.swap(i, i + 1);
    }

    /// Sets how the layer at `at` is called; a call naming nothing makes it read the call
    /// before it again.
    pub fn set_call(&mut self, at: usize, call: Call) {
        if call.takes_previous() && call.options == Default::default() {
            self.graph.wiring.remove(&at);
        } else {
            self.pin_all();
            self.graph.wiring.insert(at, call);
        }
    }

    /// True when the layer at `at` reads the call before it by default.
    fn reads_previous(&self, at: usize) -> bool {
        self.graph
            .wiring
            .get(&at)
            .is_none_or(|c| c.takes_previous())
    }

    /// True when a shared call is placed right after the layer at `at`.
    fn shared_after(&self, at: usize) -> bool {
        let last = self.layers.len().saturating_sub(1);
        self.graph.shared.iter().any(|s| s.after.min(last) == at)
    }

    /// An automatic name no input or layer holds yet, for a layer joining a graph whose
    /// names are pinned.
    pub(super) fn fresh_name(&self, layer: &Layer) -> String {
        let taken: Vec<String> = self
            .input_names()
            .into_iter()
            .chain(layer_names(&self.layers))
            .collect();
        let base = layer.kind().auto_name();
        (0..)
            .map(|n| Name::auto(base, n).to_string())
            .find(|n| !taken.contains(n))
            .unwrap_or_else(|| base.to_string())
    }
}

/// Every reference a call holds, positional then keyword.
fn refs(call: &Call) -> impl Iterator<Item = &String> {
    call.inputs.iter().chain(call.keywords.values().flatten())
}

/// The layer or input name a reference text names.
pub(super) fn ref_name(text: &str) -> &str {
    TensorRef::parse(text).map_or(text, |r| r.name)
}

/// Points every reference to `name` in `list` at `to`, or drops it.
pub(super) fn rename(list: &mut Vec<String>, name: &str, to: Option<&str>) {
    match to {
        Some(to) => {
            for r in list.iter_mut().filter(|r| ref_name(r) == name) {
                *r = to.to_string();
            }
        }
        None => list.retain(|r| ref_name(r) != name),
    }
}

/// Moves the positions at or after `at` one up (a layer was inserted there) or the positions
/// after it one down (the layer there was removed; calls placed after it now follow the layer
/// before).
fn shift(graph: &mut Graph, at: usize, insert: bool) {
    let moved = |i: usize| match (insert, i >= at, i > at) {
        (true, true, _) => i + 1,
        (false, _, true) => i - 1,
        (false, true, false) => i.saturating_sub(1),
        _ => i,
    };
    graph.wiring = std::mem::take(&mut graph.wiring)
        .into_iter()
        .map(|(i, c)| (moved(i), c))
        .collect();
    for s in &mut graph.shared {
        s.after = moved(s.after);
    }
}
