//! Wiring edits the designer offers beside the structural ones: a merge taking a chain's
//! place, the model's outputs and inputs, a layer renamed with every reference to it, and the
//! tensors a layer may read.

use super::edit::{ref_name, rename};
use super::{Call, NamedInput};
use crate::model::design::{Design, Input};
use crate::model::layers::Layer;
use crate::model::name::Name;
use crate::model::summary::{INPUT_LAYER, layer_names};

impl Design {
    /// Inserts `layer` at `at` called on `inputs` (a merge or attention): it takes the place of
    /// the call before it in the chain, so the layer after it, if it read that call, reads the
    /// new layer, and the model's last output moves to it when it is last.
    pub fn insert_merge(&mut self, at: usize, layer: Layer, inputs: &[String]) {
        // Names first: the references were written against the names before the insertion.
        self.pin_all();
        let at = at.min(self.layers.len());
        self.insert_layer(at, layer, None);
        let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        self.graph.wiring.insert(at, Call::on(&refs));
    }

    /// Merges the branch ending at the layer at `at` with `other` by `layer` (an `Add`, a
    /// `Concatenate`, ...), placed right after it. The first later layer that read `other`
    /// alone reads the merge instead, which closes a residual connection: `x → f → Add(f, x)
    /// → next` rather than leaving the merge unread. With no such layer, a model output that
    /// was `other` is the merge instead: a branch started from the model's last layer and
    /// merged back continues the model.
    pub fn merge_branch(&mut self, at: usize, layer: Layer, other: &str) {
        self.pin_all();
        let Some(own) = layer_names(&self.layers).into_iter().nth(at) else {
            return;
        };
        self.insert_merge(at + 1, layer, &[own, other.to_string()]);
        let merge = layer_names(&self.layers).swap_remove(at + 1);
        let reads_other = |c: &Call| c.inputs == [other] && c.keywords.is_empty();
        let next = self
            .graph
            .wiring
            .iter()
            .find(|(j, c)| **j > at + 1 && reads_other(c))
            .map(|(j, _)| *j);
        match next {
            Some(j) => {
                let call = Call::on(&[&merge]);
                if j == at + 2 && self.previous_ref(j) == merge {
                    // Right after the merge, it reads the merge by default.
                    self.graph.wiring.remove(&j);
                } else {
                    self.graph.wiring.insert(j, call);
                }
            }
            None => {
                for output in self.graph.outputs.iter_mut().filter(|o| *o == other) {
                    output.clone_from(&merge);
                }
            }
        }
    }

    /// True when the layer at `at` is one of the model's outputs (the last layer is, when none
    /// is named).
    pub fn is_output(&self, at: usize) -> bool {
        let Some(name) = layer_names(&self.layers).into_iter().nth(at) else {
            return false;
        };
        match self.graph.outputs.as_slice() {
            [] => at + 1 == self.layers.len(),
            outputs => outputs.iter().any(|o| ref_name(o) == name),
        }
    }

    /// Makes the layer at `at` a model output, or no longer one. Refused (false) when it is the
    /// only output: a model needs one.
    pub fn toggle_output(&mut self, at: usize) -> bool {
        let Some(name) = layer_names(&self.layers).into_iter().nth(at) else {
            return false;
        };
        let was = self.is_output(at);
        if was && self.graph.outputs.len() <= 1 {
            return false;
        }
        let last = layer_names(&self.layers).pop().unwrap_or_default();
        self.pin_all();
        if self.graph.outputs.is_empty() {
            // Naming the implicit last output keeps it while another is added.
            self.graph.outputs.push(last);
        }
        if was {
            self.graph.outputs.retain(|o| ref_name(o) != name);
        } else {
            self.graph.outputs.push(name);
        }
        true
    }

    /// Adds a model input after the others, named `name` or Keras' next automatic
    /// `input_layer_n`; returns its name.
    pub fn add_input(&mut self, input: NamedInput) -> String {
        self.pin_all();
        let taken = self.input_names();
        let name = input.name.clone().unwrap_or_else(|| {
            (0..)
                .map(|n| Name::auto(INPUT_LAYER, n).to_string())
                .find(|n| !taken.contains(n))
                .unwrap_or_else(|| INPUT_LAYER.to_string())
        });
        self.graph.inputs.push(NamedInput {
            name: Some(name.clone()),
            ..input
        });
        name
    }

    /// Replaces the layer at `at`; when its name changes, every reference to the old name
    /// follows it.
    pub fn replace_layer(&mut self, at: usize, layer: Layer) {
        let Some(old) = layer_names(&self.layers).into_iter().nth(at) else {
            return;
        };
        let graph = !self.graph.is_chain();
        if graph {
            self.pin_all();
        }
        let mut layer = layer;
        if graph && layer.kind().name().is_none() {
            // A name left empty in a graph keeps the pinned one: references name it.
            layer.kind_mut().set_name(Some(old.clone()));
        }
        let Some(slot) = self.layers.get_mut(at) else {
            return;
        };
        *slot = layer;
        let new = layer_names(&self.layers).swap_remove(at);
        if graph && new != old {
            self.rename_refs(&old, &new);
        }
    }

    /// Renames the model input `index` (0: the first) and every reference to it; false when
    /// there is no such input or another input or layer has the name.
    pub fn rename_input(&mut self, index: usize, name: &str) -> bool {
        let inputs = self.input_names();
        let Some(old) = inputs.get(index).cloned() else {
            return false;
        };
        if old == name {
            return true;
        }
        let taken = inputs
            .iter()
            .chain(&layer_names(&self.layers))
            .any(|n| n == name);
        if taken || name.is_empty() {
            return false;
        }
        self.pin_all();
        match index {
            0 => self.graph.input_name = Some(name.to_string()),
            i => {
                if let Some(slot) = self.graph.inputs.get_mut(i - 1) {
                    slot.name = Some(name.to_string());
                }
            }
        }
        self.rename_refs(&old, name);
        true
    }

    /// Sets the shape and element type of the further model input `index` (1 and up).
    pub fn set_further_input(&mut self, index: usize, input: Input) {
        if let Some(slot) = index
            .checked_sub(1)
            .and_then(|i| self.graph.inputs.get_mut(i))
        {
            slot.shape = input.shape;
            slot.dtype = input.dtype;
        }
    }

    /// The names of the layers whose calls read the input `name`, in order.
    pub fn input_readers(&self, name: &str) -> Vec<String> {
        let names = layer_names(&self.layers);
        self.graph
            .wiring
            .iter()
            .filter(|(_, c)| {
                c.inputs
                    .iter()
                    .chain(c.keywords.values().flatten())
                    .any(|r| ref_name(r) == name)
            })
            .filter_map(|(&i, _)| names.get(i).cloned())
            .collect()
    }

    /// Removes the further model input `index` (1 and up: the first input is the design's
    /// own); every call that read it reads `replacement` instead, or loses that input.
    pub fn remove_input(&mut self, index: usize, replacement: Option<&str>) -> bool {
        let Some(name) = self.input_names().get(index).cloned().filter(|_| index > 0) else {
            return false;
        };
        self.pin_all();
        self.graph.inputs.remove(index - 1);
        let g = &mut self.graph;
        for call in g
            .wiring
            .values_mut()
            .chain(g.shared.iter_mut().map(|s| &mut s.call))
        {
            rename(&mut call.inputs, &name, replacement);
            for list in call.keywords.values_mut() {
                rename(list, &name, replacement);
            }
            call.keywords.retain(|_, list| !list.is_empty());
        }
        true
    }

    /// Points every reference to the input or layer `old` at `new`, keeping `@k` and `[i]`.
    fn rename_refs(&mut self, old: &str, new: &str) {
        let g = &mut self.graph;
        for s in g.shared.iter_mut().filter(|s| s.layer == old) {
            s.layer = new.to_string();
        }
        for call in g
            .wiring
            .values_mut()
            .chain(g.shared.iter_mut().map(|s| &mut s.call))
        {
            rename_keeping_suffix(&mut call.inputs, old, new);
            for list in call.keywords.values_mut() {
                rename_keeping_suffix(list, old, new);
            }
        }
        rename_keeping_suffix(&mut g.outputs, old, new);
    }

    /// The names of the tensors the layer at `at` may read: every model input, then every
    /// layer before it, in order (a layer's several outputs are told apart by the summary).
    pub fn scope(&self, at: usize) -> Vec<String> {
        let mut names = self.input_names();
        names.extend(layer_names(&self.layers).into_iter().take(at));
        names
    }

    /// The references the layer at `at` is called on: its call's positional ones, or the call
    /// before it when it names none.
    pub fn inputs_of(&self, at: usize) -> Vec<String> {
        match self.graph.wiring.get(&at).filter(|c| !c.takes_previous()) {
            Some(c) => c.inputs.clone(),
            None => vec![self.previous_ref(at)],
        }
    }
}

/// Points every reference to `old` in `list` at `new`, keeping its `@k` and `[i]`.
fn rename_keeping_suffix(list: &mut [String], old: &str, new: &str) {
    for r in list.iter_mut().filter(|r| ref_name(r) == old) {
        let suffix = r[old.len()..].to_string();
        *r = format!("{new}{suffix}");
    }
}
