//! A graph design as Keras 3's `model.to_json()` writes a functional model: the input layers,
//! every layer with the calls that use it (`inbound_nodes`, its tensors as `keras_history`
//! references; a shared layer has one node per call), and the `input_layers` and
//! `output_layers`. The mirror of [`crate::interop::keras_functional`].

use serde_json::{Value, json};

use crate::interop::keras_json::layer_json;
use crate::model::design::{Design, Dtype, Input};
use crate::model::graph::{Call, TensorRef};
use crate::model::summary::{INPUT_LAYER, Namer};

/// The design as Keras' functional `model.to_json()`.
pub fn keras_graph_json(design: &Design) -> Value {
    let graph = &design.graph;
    let mut names = Namer::default();
    let first = Input {
        shape: design.input.shape.clone(),
        dtype: design.input.dtype,
    };
    let inputs: Vec<(String, Input)> = std::iter::once((graph.input_name.clone(), first))
        .chain(graph.inputs.iter().map(|i| {
            let input = Input {
                shape: i.shape.clone(),
                dtype: i.dtype,
            };
            (i.name.clone(), input)
        }))
        .map(|(name, input)| {
            let name = name.unwrap_or_else(|| names.auto(INPUT_LAYER).to_string());
            (name, input)
        })
        .collect();
    let layer_names: Vec<String> = design
        .layers
        .iter()
        .map(|l| names.name(l).to_string())
        .collect();
    let calls = call_list(design, &layer_names);
    let mut layers: Vec<Value> = inputs.iter().map(|(n, i)| input_json(n, i)).collect();
    for (index, (layer, name)) in design.layers.iter().zip(&layer_names).enumerate() {
        let nodes: Vec<Value> = calls
            .iter()
            .enumerate()
            .filter(|(_, c)| c.layer == index)
            .map(|(position, c)| node_json(design, &calls, position, c.call))
            .collect();
        let mut v = layer_json(layer, name);
        if let Some(o) = v.as_object_mut() {
            o.insert("name".into(), json!(name));
            o.insert("inbound_nodes".into(), Value::Array(nodes));
        }
        layers.push(v);
    }
    let outputs: Vec<Value> = if graph.outputs.is_empty() {
        let last = calls.last().map_or_else(
            || json!([inputs[0].0, 0, 0]),
            |c| json!([layer_names[c.layer], c.node, 0]),
        );
        vec![last]
    } else {
        graph.outputs.iter().map(|r| history(r)).collect()
    };
    let input_layers: Vec<Value> = inputs.iter().map(|(n, _)| json!([n, 0, 0])).collect();
    json!({
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "config": {
            "name": "functional",
            "trainable": true,
            "layers": layers,
            "input_layers": input_layers,
            "output_layers": outputs,
        },
        "registered_name": null,
    })
}

/// One call in the order the design places them.
struct Placed<'a> {
    /// The design layer called.
    layer: usize,
    /// Which call of it (Keras' node index).
    node: usize,
    /// Its name.
    name: &'a str,
    /// How it is called; `None`: on the previous call's output.
    call: Option<&'a Call>,
}

/// Every call: each layer's first where it sits, each shared call after the layer it names.
fn call_list<'a>(design: &'a Design, names: &'a [String]) -> Vec<Placed<'a>> {
    let graph = &design.graph;
    let last = design.layers.len().saturating_sub(1);
    let mut shared: Vec<(usize, usize)> = graph
        .shared
        .iter()
        .enumerate()
        .map(|(i, s)| (s.after.min(last), i))
        .collect();
    shared.sort_unstable();
    let mut placed: Vec<Placed<'a>> = Vec::new();
    for (index, name) in names.iter().enumerate() {
        placed.push(Placed {
            layer: index,
            node: 0,
            name,
            call: graph.wiring.get(&index).filter(|c| !c.takes_previous()),
        });
        for &(_, s) in shared.iter().filter(|(after, _)| *after == index) {
            let call = &graph.shared[s];
            let Some(layer) = names.iter().position(|n| *n == call.layer) else {
                continue;
            };
            let node = placed.iter().filter(|p| p.layer == layer).count();
            placed.push(Placed {
                layer,
                node,
                name: &names[layer],
                call: Some(&call.call),
            });
        }
    }
    placed
}

/// The inbound node of the call at `position`.
fn node_json(design: &Design, calls: &[Placed<'_>], position: usize, call: Option<&Call>) -> Value {
    let Some(call) = call else {
        let previous = match position.checked_sub(1).and_then(|p| calls.get(p)) {
            Some(p) => json!([p.name, p.node, 0]),
            None => json!([
                design.graph.input_name.as_deref().unwrap_or(INPUT_LAYER),
                0,
                0
            ]),
        };
        return json!({ "args": [tensor(previous)], "kwargs": {} });
    };
    let layer = &design.layers[calls[position].layer];
    let positional: Vec<Value> = call.inputs.iter().map(|r| tensor(history(r))).collect();
    let takes_list = layer.kind().multi().is_some_and(|m| m.slots().is_empty());
    let args = if takes_list {
        json!([positional])
    } else {
        Value::Array(positional)
    };
    let mut kwargs = serde_json::Map::new();
    for (key, refs) in &call.keywords {
        let mut tensors: Vec<Value> = refs.iter().map(|r| tensor(history(r))).collect();
        let value = if key == "initial_state" || tensors.len() != 1 {
            Value::Array(tensors)
        } else {
            tensors.remove(0)
        };
        kwargs.insert(key.clone(), value);
    }
    if call.options.return_attention_scores {
        kwargs.insert("return_attention_scores".into(), json!(true));
    }
    if call.options.use_causal_mask {
        kwargs.insert("use_causal_mask".into(), json!(true));
    }
    json!({ "args": args, "kwargs": kwargs })
}

/// A reference as `keras_history`: `[name, call, output]`.
fn history(reference: &str) -> Value {
    match TensorRef::parse(reference) {
        Ok(r) => json!([r.name, r.call, r.index.unwrap_or(0)]),
        Err(_) => json!([reference, 0, 0]),
    }
}

/// A serialized Keras tensor; Keras replaces it by the tensor `keras_history` names, so the
/// shape written is only a placeholder its reader requires.
fn tensor(history: Value) -> Value {
    json!({
        "class_name": "__keras_tensor__",
        "config": { "shape": [], "dtype": "float32", "keras_history": history },
    })
}

/// An `InputLayer` entry.
fn input_json(name: &str, input: &Input) -> Value {
    let mut batch_shape = vec![Value::Null];
    batch_shape.extend(input.shape.0.iter().map(|d| json!(d)));
    json!({
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {
            "batch_shape": batch_shape,
            "dtype": match input.dtype {
                Dtype::Float32 => "float32",
                Dtype::Int32 => "int32",
            },
            "sparse": false,
            "ragged": false,
            "name": name,
        },
        "registered_name": null,
        "name": name,
        "inbound_nodes": [],
    })
}
