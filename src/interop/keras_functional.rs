//! Keras 3's `model.to_json()` for functional models (`class_name: "Functional"`): the input
//! layers, every layer with the calls that made it (`inbound_nodes`: its positional and keyword
//! tensors as `keras_history` references, its call options), shared layers (several inbound
//! nodes) and the outputs, read into a graph design. Layer configs are read as for Sequential
//! models. The `NotEqual` Keras records for a masking Embedding is left out: the summary adds
//! it again.
//!
//! tf.keras 2 writes the same model (`class_name: "Functional"`, or `"Model"` before 2.4) with
//! each inbound node as a list `[["name", node, tensor, {kwargs}], ...]`, one entry per tensor
//! of the call's first argument; further arguments sit in the kwargs by parameter name
//! (`{"value": ["v", 0, 0]}`), and a recurrent layer's `initial_state` follows its input in
//! the list.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use crate::interop::keras_json::{
    ImportError, batch_shape, dtype, keep_only_given_names, layer_from_saved, model_name,
};
use crate::model::budget::Budget;
use crate::model::design::{Design, Input, VERSION};
use crate::model::graph::{Call, Graph, NamedInput, SharedCall};
use crate::model::layers::CallOptions;

/// Operations Keras adds to compute masks, recorded in a functional model's JSON, that the
/// summary adds by itself: a `NotEqual` always; the others (which code may also call on
/// data) when they work on booleans, as a mask's do.
const MASK_OPS: &[&str] = &[
    "NotEqual",
    "Any",
    "LogicalOr",
    "ExpandDims",
    "ZerosLike",
    "OnesLike",
    "ConvertToTensor",
    "Concatenate",
];

/// Whether a layers entry is an operation Keras added to compute a mask (see [`MASK_OPS`]).
fn is_mask_op(entry: &Value) -> bool {
    let Some(class) = class_of(entry).filter(|c| MASK_OPS.contains(c)) else {
        return false;
    };
    if class == "NotEqual" {
        return true;
    }
    let is_op = entry
        .get("module")
        .and_then(Value::as_str)
        .is_some_and(|m| m.starts_with("keras.src.ops"));
    let boolean = |v: Option<&Value>| v.and_then(Value::as_str) == Some("bool");
    // `ZerosLike` and `OnesLike` make booleans from a tensor of any type; the others read
    // booleans.
    let on_booleans = match class {
        "ZerosLike" | "OnesLike" => boolean(entry.pointer("/config/dtype")),
        _ => {
            let nodes = entry.get("inbound_nodes").and_then(Value::as_array);
            let mut found = Vec::new();
            for node in nodes.into_iter().flatten() {
                keras_tensors(node.get("args").unwrap_or(&Value::Null), &mut found);
            }
            !found.is_empty() && found.iter().all(|t| boolean(t.pointer("/config/dtype")))
        }
    };
    is_op && on_booleans
}

/// One tensor reference as `keras_history` gives it.
type History<'a> = (&'a str, u64, u64);

/// Reads a functional model's JSON (already parsed) into a design called as the model is.
pub(crate) fn design_from_functional(root: &Value) -> Result<Design, ImportError> {
    let entries = root
        .pointer("/config/layers")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::Structure("the model's config has no `layers` list".into()))?;
    let multi = multi_output_layers(entries);
    let implicit: HashSet<&str> = entries
        .iter()
        .filter(|e| is_mask_op(e))
        .filter_map(layer_name)
        .collect();
    let mut inputs: Vec<NamedInput> = Vec::new();
    let mut layers = Vec::with_capacity(entries.len());
    let mut json_names = Vec::with_capacity(entries.len());
    let mut graph = Graph::default();
    for (i, entry) in entries.iter().enumerate() {
        let class = class_of(entry)
            .ok_or_else(|| ImportError::Structure(format!("layers[{i}] has no class_name")))?;
        let cfg = entry.get("config").unwrap_or(&Value::Null);
        if class == "InputLayer" {
            inputs.push(input_layer(entry, cfg).map_err(|e| e.at(i))?);
            continue;
        }
        if is_mask_op(entry) {
            continue;
        }
        let layer = layer_from_saved(class, cfg).map_err(|e| e.at(i))?;
        let name = layer_name(entry).map(str::to_string);
        let nodes = entry
            .get("inbound_nodes")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (k, node) in nodes.iter().enumerate() {
            let call = match node.as_array() {
                Some(entries) => call_of_tf2(entries, class, &multi),
                None => call_of(node, &multi, &implicit),
            };
            let call = call.map_err(|why| {
                ImportError::Structure(format!("layers[{i}].inbound_nodes[{k}]: {why}"))
            })?;
            if k == 0 {
                graph.wiring.insert(layers.len(), call);
            } else {
                graph.shared.push(SharedCall {
                    layer: name.clone().unwrap_or_default(),
                    after: layers.len(),
                    call,
                });
            }
        }
        json_names.push(name);
        layers.push(layer);
    }
    let mut inputs = order_inputs(root, inputs)?;
    if inputs.is_empty() {
        return Err(ImportError::Structure(
            "the functional model has no InputLayer: build it from keras.Input(shape=...)".into(),
        ));
    }
    let first = inputs.remove(0);
    graph.input_name = first.name;
    graph.inputs = inputs;
    graph.outputs = outputs(root, &multi)?;
    keep_only_given_names(&mut layers, &json_names);
    Ok(Design {
        version: VERSION,
        name: model_name(root, "functional"),
        input: Input {
            shape: first.shape,
            dtype: first.dtype,
        },
        layers,
        budget: Budget::default(),
        graph: Box::new(graph),
    })
}

fn class_of(entry: &Value) -> Option<&str> {
    entry.get("class_name").and_then(Value::as_str)
}

fn layer_name(entry: &Value) -> Option<&str> {
    entry
        .get("name")
        .or_else(|| entry.pointer("/config/name"))
        .and_then(Value::as_str)
}

/// A model input from its `InputLayer` entry.
fn input_layer(entry: &Value, cfg: &Value) -> Result<NamedInput, ImportError> {
    let shape = cfg
        .get("batch_shape")
        .or_else(|| cfg.get("batch_input_shape"))
        .ok_or_else(|| ImportError::Structure("an InputLayer has no batch_shape".into()))?;
    Ok(NamedInput {
        name: layer_name(entry).map(str::to_string),
        shape: batch_shape(shape, "InputLayer", "batch_shape")?,
        dtype: dtype(cfg.get("dtype"), "InputLayer")?,
    })
}

/// The inputs in the order `input_layers` gives (Keras' order of `keras.Model(inputs=...)`).
fn order_inputs(root: &Value, found: Vec<NamedInput>) -> Result<Vec<NamedInput>, ImportError> {
    let listed = root
        .pointer("/config/input_layers")
        .map(histories)
        .unwrap_or_default();
    if listed.is_empty() {
        return Ok(found);
    }
    let mut by_name: HashMap<String, NamedInput> = found
        .into_iter()
        .map(|i| (i.name.clone().unwrap_or_default(), i))
        .collect();
    listed
        .iter()
        .map(|(name, _, _)| {
            by_name.remove(*name).ok_or_else(|| {
                ImportError::Structure(format!(
                    "input_layers names `{name}`, which is no InputLayer of the model"
                ))
            })
        })
        .collect()
}

/// The model's outputs as references.
fn outputs(root: &Value, multi: &HashSet<String>) -> Result<Vec<String>, ImportError> {
    let listed = root
        .pointer("/config/output_layers")
        .map(histories)
        .unwrap_or_default();
    if listed.is_empty() {
        return Err(ImportError::Structure(
            "the functional model lists no output_layers".into(),
        ));
    }
    Ok(listed.iter().map(|h| reference(*h, multi)).collect())
}

/// `["dense", 0, 0]` or a list of them.
fn histories(v: &Value) -> Vec<History<'_>> {
    match v.as_array() {
        Some(a) if a.first().is_some_and(Value::is_string) => history(v).into_iter().collect(),
        Some(a) => a.iter().filter_map(history).collect(),
        None => Vec::new(),
    }
}

fn history(v: &Value) -> Option<History<'_>> {
    let a = v.as_array()?;
    Some((
        a.first()?.as_str()?,
        a.get(1)?.as_u64()?,
        a.get(2)?.as_u64()?,
    ))
}

/// A reference in the design's spelling: `name`, `name@k`, `name[i]`.
fn reference((name, node, tensor): History<'_>, multi: &HashSet<String>) -> String {
    let mut r = name.to_string();
    if node > 0 {
        r.push_str(&format!("@{node}"));
    }
    if tensor > 0 || multi.contains(name) {
        r.push_str(&format!("[{tensor}]"));
    }
    r
}

/// Layers that return several tensors: referenced with a tensor index above 0, or configured
/// to (`return_state`, `Bidirectional` without `merge_mode`, attention returning its scores).
fn multi_output_layers(entries: &[Value]) -> HashSet<String> {
    let mut multi = HashSet::new();
    let mut seen = Vec::new();
    for entry in entries {
        let cfg = entry.get("config").unwrap_or(&Value::Null);
        let returns_state = cfg.get("return_state") == Some(&Value::Bool(true))
            || cfg.pointer("/layer/config/return_state") == Some(&Value::Bool(true));
        let unmerged = class_of(entry) == Some("Bidirectional")
            && cfg.get("merge_mode").is_some_and(Value::is_null);
        if let (true, Some(name)) = (returns_state || unmerged, layer_name(entry)) {
            multi.insert(name.to_string());
        }
        for node in entry
            .get("inbound_nodes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let scores = node
                .pointer("/kwargs/return_attention_scores")
                .or_else(|| node.pointer("/0/3/return_attention_scores"));
            if scores == Some(&Value::Bool(true)) {
                multi.extend(layer_name(entry).map(str::to_string));
            }
            if node.is_array() {
                tf2_tensors(node, &mut seen);
            } else {
                tensors(node, &mut seen);
            }
        }
    }
    for (name, _, tensor) in seen {
        if tensor > 0 {
            multi.insert(name.to_string());
        }
    }
    multi
}

/// Every Keras 3 tensor inside `v`, in order (nested lists flattened).
fn keras_tensors<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(o)
            if o.get("class_name") == Some(&Value::String("__keras_tensor__".into())) =>
        {
            out.push(v);
        }
        Value::Object(o) => o.values().for_each(|x| keras_tensors(x, out)),
        Value::Array(a) => a.iter().for_each(|x| keras_tensors(x, out)),
        _ => {}
    }
}

/// The reference of every Keras 3 tensor inside `v`, in order.
fn tensors<'a>(v: &'a Value, out: &mut Vec<History<'a>>) {
    let mut found = Vec::new();
    keras_tensors(v, &mut found);
    out.extend(
        found
            .into_iter()
            .filter_map(|t| t.pointer("/config/keras_history").and_then(history)),
    );
}

/// One inbound node as a call: positional tensors, keyword tensors (sorted by keyword, masks
/// from operations the summary adds itself left out) and the call options.
fn call_of(
    node: &Value,
    multi: &HashSet<String>,
    implicit: &HashSet<&str>,
) -> Result<Call, String> {
    let mut positional = Vec::new();
    tensors(node.get("args").unwrap_or(&Value::Null), &mut positional);
    let mut call = Call {
        inputs: positional.iter().map(|h| reference(*h, multi)).collect(),
        keywords: BTreeMap::new(),
        options: CallOptions::default(),
    };
    let kwargs = node.get("kwargs").and_then(Value::as_object);
    for (key, value) in kwargs.into_iter().flatten() {
        match (key.as_str(), value) {
            ("return_attention_scores", Value::Bool(b)) => {
                call.options.return_attention_scores = *b
            }
            ("use_causal_mask", Value::Bool(b)) => call.options.use_causal_mask = *b,
            _ => {
                let mut found = Vec::new();
                tensors(value, &mut found);
                found.retain(|(name, _, _)| !implicit.contains(name));
                if !found.is_empty() {
                    call.keywords.insert(
                        key.clone(),
                        found.iter().map(|h| reference(*h, multi)).collect(),
                    );
                }
            }
        }
    }
    if call.takes_previous() {
        return Err("the call names no input tensor".into());
    }
    Ok(call)
}

/// Every `["name", node, tensor]` reference inside a tf.keras 2 node or kwargs value, in order
/// (an entry's own kwargs included).
fn tf2_tensors<'a>(v: &'a Value, out: &mut Vec<History<'a>>) {
    match v {
        Value::Array(a) if a.first().is_some_and(Value::is_string) => {
            out.extend(history(v));
            if let Some(kwargs) = a.get(3) {
                tf2_tensors(kwargs, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| tf2_tensors(x, out)),
        Value::Object(o) => o.values().for_each(|x| tf2_tensors(x, out)),
        _ => {}
    }
}

/// One tf.keras 2 inbound node as a call: the entries are the first argument's tensors (for a
/// recurrent layer, its input then its `initial_state`), the first entry's kwargs the other
/// arguments by name and the call options.
fn call_of_tf2(entries: &[Value], class: &str, multi: &HashSet<String>) -> Result<Call, String> {
    let mut first = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        first.push(history(e).ok_or_else(|| {
            format!("entry {i} is not [\"layer name\", node index, tensor index, {{kwargs}}]")
        })?);
    }
    let recurrent = matches!(
        class,
        "LSTM" | "GRU" | "SimpleRNN" | "RNN" | "Bidirectional"
    );
    let split = if recurrent {
        first.len().min(1)
    } else {
        first.len()
    };
    let mut call = Call {
        inputs: first[..split]
            .iter()
            .map(|h| reference(*h, multi))
            .collect(),
        keywords: BTreeMap::new(),
        options: CallOptions::default(),
    };
    if first.len() > split {
        call.keywords.insert(
            "initial_state".into(),
            first[split..]
                .iter()
                .map(|h| reference(*h, multi))
                .collect(),
        );
    }
    let kwargs = entries
        .first()
        .and_then(|e| e.get(3))
        .and_then(Value::as_object);
    for (key, value) in kwargs.into_iter().flatten() {
        match (key.as_str(), value) {
            ("return_attention_scores", Value::Bool(b)) => {
                call.options.return_attention_scores = *b
            }
            ("use_causal_mask", Value::Bool(b)) => call.options.use_causal_mask = *b,
            _ => {
                let mut found = Vec::new();
                tf2_tensors(value, &mut found);
                if !found.is_empty() {
                    call.keywords.insert(
                        key.clone(),
                        found.iter().map(|h| reference(*h, multi)).collect(),
                    );
                }
            }
        }
    }
    // tf.keras 2 moves every argument after the first into the kwargs, so `mha(q, v)` reads
    // as `value=`: attention's value and key go back to their positions.
    if class == "MultiHeadAttention" {
        for slot in ["value", "key"] {
            match call.keywords.remove(slot) {
                Some(refs) if call.inputs.len() == if slot == "value" { 1 } else { 2 } => {
                    call.inputs.extend(refs);
                }
                Some(refs) => {
                    call.keywords.insert(slot.into(), refs);
                }
                None => {}
            }
        }
    }
    if call.takes_previous() {
        return Err("the call names no input tensor".into());
    }
    Ok(call)
}
