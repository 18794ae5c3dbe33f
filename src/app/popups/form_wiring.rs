//! The wiring fields of a layer's form: what the layer is called on, as tensor references
//! typed in and checked as you type. `inputs` for a layer called on one tensor or a list,
//! `query`, `value` and `key` for the attention kinds that take them, and `initial_state` for
//! a recurrent layer. They show in a graph design, and for a merge or attention kind in any.

use crate::app::popups::form::{Field, Form, Syntax};
use crate::app::text::TextEdit;
use crate::model::graph::{Call, TensorRef};
use crate::model::{Design, Layer};

/// What the wiring fields started from, to tell whether they changed and to keep what they
/// do not show (call options, a `mask`).
#[derive(Debug, Clone, PartialEq)]
pub struct Wired {
    /// The call the form opened on.
    pub call: Call,
    /// The tensors the layer may read: model inputs and earlier layers.
    pub scope: Vec<String>,
    /// The wiring fields' texts as the form opened.
    pub opened: Vec<String>,
    /// Whether attention's tensors were passed by keyword (`query=...`), kept so.
    pub by_keyword: bool,
}

/// The attention slots a form shows, in Keras' order.
const SLOTS: [&str; 3] = ["query", "value", "key"];

fn refs_field(name: &str, refs: &[String]) -> Field {
    Field {
        name: name.to_string(),
        text: TextEdit::new(&refs.join(", ")),
        syntax: Syntax::Refs,
    }
}

impl Form {
    /// Adds the wiring fields of the layer at `at` when the design is a graph or the layer
    /// reads several tensors.
    pub fn wire(&mut self, design: &Design, at: usize) {
        let Some(layer) = design.layers.get(at) else {
            return;
        };
        if design.graph.is_chain() && layer.kind().multi().is_none() {
            return;
        }
        let call = design.graph.wiring.get(&at).cloned().unwrap_or_default();
        let inputs = design.inputs_of(at);
        let mut fields = Vec::new();
        let slots = layer.kind().multi().map_or(&[][..], |m| m.slots());
        let by_keyword = call.keywords.contains_key("query");
        if slots.is_empty() {
            fields.push(refs_field("inputs", &inputs));
        } else {
            for (i, slot) in SLOTS.iter().enumerate() {
                let given = match by_keyword {
                    true => call.keywords.get(*slot).cloned().unwrap_or_default(),
                    false => inputs.get(i).cloned().into_iter().collect(),
                };
                fields.push(refs_field(slot, &given));
            }
        }
        if recurrent(layer) {
            let states = call.keywords.get("initial_state").cloned();
            fields.push(refs_field("initial_state", &states.unwrap_or_default()));
        }
        let opened = fields.iter().map(|f| f.text.text().to_string()).collect();
        let first = self.fields.len();
        self.fields.extend(fields);
        if layer.kind().multi().is_some() {
            // What a merge or attention reads is what its form is usually opened for.
            self.focus(first);
        }
        self.wired = Some(Box::new(Wired {
            call,
            scope: design.scope(at),
            opened,
            by_keyword,
        }));
    }

    /// The call the wiring fields spell, `None` when they did not change, or the field at
    /// fault and why.
    pub(super) fn call(&self) -> Result<Option<Call>, (usize, String)> {
        let Some(w) = &self.wired else {
            return Ok(None);
        };
        let wiring: Vec<(usize, &Field)> = self
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.syntax == Syntax::Refs)
            .collect();
        let mut call = w.call.clone();
        let mut slots = Vec::new();
        for &(i, f) in &wiring {
            let refs = references(f, &w.scope).map_err(|e| (i, e))?;
            let name = f.name.as_str();
            let required = name == "inputs" || name == "query" || name == "value";
            if refs.is_empty() && required {
                return Err((i, format!("{name}: name a tensor, such as {}", example(w))));
            }
            match name {
                "inputs" => call.inputs = refs,
                "initial_state" if refs.is_empty() => {
                    call.keywords.remove(name);
                }
                "initial_state" => {
                    call.keywords.insert(name.to_string(), refs);
                }
                _ => slots.push((name, refs)),
            }
        }
        if !slots.is_empty() {
            for s in SLOTS {
                call.keywords.remove(s);
            }
            call.inputs.clear();
            for (name, refs) in slots.into_iter().filter(|(_, r)| !r.is_empty()) {
                match w.by_keyword {
                    true => {
                        call.keywords.insert(name.to_string(), refs);
                    }
                    false => call.inputs.extend(refs),
                }
            }
        }
        let same = wiring
            .iter()
            .zip(&w.opened)
            .all(|((_, f), o)| f.text.text() == o);
        Ok((!same).then_some(call))
    }
}

/// True for the kinds Keras calls with `initial_state`.
fn recurrent(layer: &Layer) -> bool {
    layer.kind().go_backwards().is_some()
}

/// A tensor the message can offer: the nearest one before the layer.
fn example(w: &Wired) -> String {
    w.scope.last().cloned().unwrap_or_default()
}

/// The references a wiring field's text names, each checked against the tensors in scope.
/// Commas separate them; Python's `["a", "b"]` spelling is read too.
fn references(field: &Field, scope: &[String]) -> Result<Vec<String>, String> {
    let text = field.text.text().trim();
    let text = match text.strip_prefix('[') {
        Some(inner) => inner.strip_suffix(']').unwrap_or(inner),
        None => text,
    };
    let mut refs = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let part = part.trim_matches(|c| c == '"' || c == '\'');
        let r = TensorRef::parse(part).map_err(|e| format!("{}: {e}", field.name))?;
        if !scope.iter().any(|s| s == r.name) {
            let near: Vec<&str> = scope.iter().rev().take(6).map(String::as_str).collect();
            return Err(format!(
                "{}: `{}` is not an input or a layer before this one: one of {}",
                field.name,
                r.name,
                near.join(", ")
            ));
        }
        refs.push(part.to_string());
    }
    Ok(refs)
}
