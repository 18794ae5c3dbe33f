//! A built graph as Keras 3's functional model JSON (`model.to_json()`): the layers the
//! outputs depend on, in Keras' order (deepest first, ties by a depth-first walk from the
//! outputs), each call as an inbound node whose tensors name `[layer, call, output]`, with calls
//! outside the model left out and the rest renumbered as Keras does.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value as Json, json};

use super::functional::{FVal, ModelCall};
use super::graph::{CallArg, Graph, TensorRef, dtype_name};
use crate::model::{Dtype, Located, Pos};

/// A call: (layer, node).
type NodeKey = (usize, usize);

/// Inputs or outputs as the model was given them.
enum Structure {
    One(TensorRef),
    List(Vec<Structure>),
}

impl Structure {
    fn flat(&self, out: &mut Vec<TensorRef>) {
        match self {
            Structure::One(t) => out.push(*t),
            Structure::List(items) => items.iter().for_each(|i| i.flat(out)),
        }
    }
}

fn structure(v: &FVal, what: &str, pos: Pos) -> Result<Structure, Located> {
    match v {
        FVal::Tensor(t) => Ok(Structure::One(*t)),
        FVal::Seq(items) => items
            .iter()
            .map(|i| structure(i, what, pos))
            .collect::<Result<_, _>>()
            .map(Structure::List),
        other => Err(Located::new(
            pos,
            format!(
                "expected the model's {what} as a tensor or a list of tensors; got {}",
                other.describe()
            ),
        )),
    }
}

/// The model's JSON, as `model.to_json()` writes it (less what carries no information:
/// dtype policies, initializers left at their defaults, build configs).
pub fn model_json(graph: &Graph, model: &ModelCall) -> Result<Json, Located> {
    let inputs = structure(&model.inputs, "inputs", model.pos)?;
    let outputs = structure(&model.outputs, "outputs", model.pos)?;
    let mut flat_inputs = Vec::new();
    inputs.flat(&mut flat_inputs);
    if let Some(t) = flat_inputs
        .iter()
        .find(|t| !graph.layers.get(t.layer).is_some_and(|l| l.is_input))
    {
        let name = graph.layers.get(t.layer).map_or("?", |l| l.name.as_str());
        return Err(Located::new(
            model.pos,
            format!(
                "expected the model's inputs made by `keras.Input(...)`; got the output of `{name}`"
            ),
        ));
    }
    let mut flat_outputs = Vec::new();
    outputs.flat(&mut flat_outputs);
    let (order, indices) = build_map(graph, &flat_outputs);
    let (operations, network) = order_operations(graph, &order, indices, &flat_inputs);
    let mut names = HashSet::new();
    for &op in &operations {
        let layer = &graph.layers[op];
        if !names.insert(layer.name.as_str()) {
            return Err(Located::new(
                layer.pos,
                format!(
                    "expected each layer name once in a model; `{}` is used again here (Keras refuses this model too)",
                    layer.name
                ),
            ));
        }
    }
    let renumber = renumbering(graph, &operations, &network);
    let tensor = |t: TensorRef| tensor_json(graph, &renumber, t);
    let mut layers = Vec::with_capacity(operations.len());
    for &op in &operations {
        let layer = &graph.layers[op];
        let mut inbound = Vec::new();
        for (n, node) in layer.nodes.iter().enumerate() {
            if !network.contains(&(op, n)) || node.inputs().is_empty() {
                continue;
            }
            let args: Vec<Json> = node.args.iter().map(|a| arg_json(a, &tensor)).collect();
            let kwargs: Map<String, Json> = node
                .kwargs
                .iter()
                .map(|(k, a)| (k.clone(), arg_json(a, &tensor)))
                .collect();
            inbound.push(json!({ "args": args, "kwargs": kwargs }));
        }
        layers.push(json!({
            "module": layer.module,
            "class_name": layer.class,
            "config": layer.config,
            // Keras registers its tensor operations under their class; layers under none.
            "registered_name": (layer.module != "keras.layers").then_some(&layer.class),
            "name": layer.name,
            "inbound_nodes": inbound,
        }));
    }
    let history = |t: TensorRef| {
        json!([
            graph.layers[t.layer].name,
            renumber.get(&(t.layer, t.node)).copied().unwrap_or(0),
            t.index
        ])
    };
    Ok(json!({
        "module": "keras",
        "class_name": "Functional",
        "config": {
            "name": model.name,
            "trainable": true,
            "layers": layers,
            "input_layers": structure_json(&inputs, &history),
            "output_layers": structure_json(&outputs, &history),
        },
        "registered_name": "Functional",
    }))
}

fn structure_json(s: &Structure, history: &dyn Fn(TensorRef) -> Json) -> Json {
    match s {
        Structure::One(t) => history(*t),
        Structure::List(items) => {
            Json::Array(items.iter().map(|i| structure_json(i, history)).collect())
        }
    }
}

fn arg_json(a: &CallArg, tensor: &dyn Fn(TensorRef) -> Json) -> Json {
    match a {
        CallArg::Tensor(t) => tensor(*t),
        CallArg::List(items) => Json::Array(items.iter().map(|i| arg_json(i, tensor)).collect()),
        CallArg::Const(c) => c.clone(),
    }
}

fn tensor_json(graph: &Graph, renumber: &HashMap<NodeKey, usize>, t: TensorRef) -> Json {
    let info = graph.info(t);
    let shape = info.and_then(|i| i.shape.as_ref()).map_or(Json::Null, |s| {
        let mut dims = vec![Json::Null];
        dims.extend(s.0.iter().map(|d| d.map_or(Json::Null, |d| json!(d))));
        Json::Array(dims)
    });
    let dtype = dtype_name(info.map_or(Dtype::Float32, |i| i.dtype));
    json!({
        "class_name": "__keras_tensor__",
        "config": {
            "shape": shape,
            "dtype": dtype,
            "keras_history": [
                graph.layers[t.layer].name,
                renumber.get(&(t.layer, t.node)).copied().unwrap_or(0),
                t.index,
            ],
        },
    })
}

/// The calls the outputs depend on, inputs first (Keras' `_build_map`), and each layer's
/// number in the depth-first walk that found them.
fn build_map(graph: &Graph, outputs: &[TensorRef]) -> (Vec<NodeKey>, HashMap<usize, i64>) {
    let mut finished: HashSet<NodeKey> = HashSet::new();
    let mut order = Vec::new();
    let mut indices: HashMap<usize, i64> = HashMap::new();
    let parents = |key: NodeKey| -> Vec<NodeKey> {
        let layer = &graph.layers[key.0];
        if layer.is_input {
            return Vec::new();
        }
        layer.nodes.get(key.1).map_or_else(Vec::new, |n| {
            n.inputs().iter().map(|t| (t.layer, t.node)).collect()
        })
    };
    for out in outputs {
        let start = (out.layer, out.node);
        if finished.contains(&start) {
            continue;
        }
        let next = i64::try_from(indices.len()).unwrap_or(i64::MAX);
        indices.entry(start.0).or_insert(next);
        let mut stack = vec![(start, parents(start), 0usize)];
        let mut in_progress: HashSet<NodeKey> = HashSet::from([start]);
        while let Some((key, children, i)) = stack.last_mut() {
            if let Some(&child) = children.get(*i) {
                *i += 1;
                if finished.contains(&child) || in_progress.contains(&child) {
                    continue;
                }
                let next = i64::try_from(indices.len()).unwrap_or(i64::MAX);
                indices.entry(child.0).or_insert(next);
                in_progress.insert(child);
                stack.push((child, parents(child), 0));
            } else {
                let key = *key;
                stack.pop();
                in_progress.remove(&key);
                finished.insert(key);
                order.push(key);
            }
        }
    }
    (order, indices)
}

/// Keras' `map_graph`: each call's depth (how far it is from an output), the layers deepest
/// first, and the calls that belong to the model.
fn order_operations(
    graph: &Graph,
    order: &[NodeKey],
    mut indices: HashMap<usize, i64>,
    inputs: &[TensorRef],
) -> (Vec<usize>, HashSet<NodeKey>) {
    let in_graph: HashSet<NodeKey> = order.iter().copied().collect();
    let mut node_depth: HashMap<NodeKey, usize> = HashMap::new();
    let mut op_depth: HashMap<usize, usize> = HashMap::new();
    let mut op_seen: Vec<usize> = Vec::new();
    for &key in order.iter().rev() {
        let mut depth = *node_depth.entry(key).or_insert(0);
        depth = depth.max(op_depth.get(&key.0).copied().unwrap_or(0));
        if op_depth.insert(key.0, depth).is_none() {
            op_seen.push(key.0);
        }
        node_depth.insert(key, depth);
        let layer = &graph.layers[key.0];
        if layer.is_input {
            continue;
        }
        if let Some(node) = layer.nodes.get(key.1) {
            for t in node.inputs() {
                let dep = (t.layer, t.node);
                if in_graph.contains(&dep) {
                    let d = node_depth.entry(dep).or_insert(0);
                    *d = (*d).max(depth + 1);
                }
            }
        }
    }
    let mut network = in_graph;
    for t in inputs {
        if let std::collections::hash_map::Entry::Vacant(slot) = op_depth.entry(t.layer) {
            slot.insert(0);
            op_seen.push(t.layer);
            indices.insert(t.layer, -1);
            network.insert((t.layer, t.node));
        }
    }
    let mut ops = op_seen;
    ops.sort_by_key(|op| {
        (
            std::cmp::Reverse(op_depth.get(op).copied().unwrap_or(0)),
            indices.get(op).copied().unwrap_or(0),
        )
    });
    (ops, network)
}

/// Each kept call's new number: its place among its layer's calls that belong to the model.
fn renumbering(
    graph: &Graph,
    operations: &[usize],
    network: &HashSet<NodeKey>,
) -> HashMap<NodeKey, usize> {
    let mut out = HashMap::new();
    for &op in operations {
        let mut kept = 0;
        for n in 0..graph.layers[op].nodes.len() {
            if network.contains(&(op, n)) {
                out.insert((op, n), kept);
                kept += 1;
            }
        }
    }
    out
}
