//! A graph design as Keras 3's `model.to_json()` writes a functional model: the input layers,
//! every layer with the calls that use it (`inbound_nodes`, its tensors as `keras_history`
//! references; a shared layer has one node per call), the operations Keras adds to compute
//! masks with the `mask` each call is handed, and the `input_layers` and `output_layers`. The
//! mirror of [`crate::interop::keras_functional`]. And the same graph as Keras functional code.

use serde_json::{Value, json};

use crate::interop::export_keras::{expected_counts, is_model_name, layer_call, python_str};
use crate::interop::keras_json::layer_json;
use crate::model::design::{Design, Dtype, Input};
use crate::model::graph::{Call, TensorRef};
use crate::model::layer_names;
use crate::model::layers::Naming;
use crate::model::name::Name;
use crate::model::summary::{INPUT_LAYER, Namer, Source};
use crate::model::{Convention, Layer, Link, Row, Summary};

/// The design as Keras' functional `model.to_json()`.
pub fn keras_graph_json(design: &Design) -> Value {
    let first = Input {
        shape: design.input.shape.clone(),
        dtype: design.input.dtype,
    };
    let rest = design.graph.inputs.iter().map(|i| Input {
        shape: i.shape.clone(),
        dtype: i.dtype,
    });
    let inputs: Vec<(String, Input)> = design
        .input_names()
        .into_iter()
        .zip(std::iter::once(first).chain(rest))
        .collect();
    let layer_names = layer_names(&design.layers);
    let calls = call_list(design, &layer_names);
    let summary = Summary::of(design, Convention::Keras);
    let masks = MaskOps::of(design, &summary);
    let mut layers: Vec<Value> = inputs.iter().map(|(n, i)| input_json(n, i)).collect();
    for (index, (layer, name)) in design.layers.iter().zip(&layer_names).enumerate() {
        let nodes: Vec<Value> = calls
            .iter()
            .enumerate()
            .filter(|(_, c)| c.layer == index)
            .map(|(position, c)| {
                // Handed only beside the operations that compute it.
                let mask = masks.as_ref().and(handed_mask(&summary, index, c.node));
                node_json(design, &calls, position, c.call, mask)
            })
            .collect();
        let mut v = layer_json(layer, name);
        if let Some(o) = v.as_object_mut() {
            o.insert("name".into(), json!(name));
            o.insert("inbound_nodes".into(), Value::Array(nodes));
        }
        layers.push(v);
    }
    let operations = masks.map(|m| m.entries).unwrap_or_default();
    keras_order(design, &summary, &mut layers, operations);
    let outputs: Vec<Value> = if design.graph.outputs.is_empty() {
        let last = calls.last().map_or_else(
            || json!([inputs[0].0, 0, 0]),
            |c| json!([layer_names[c.layer], c.node, 0]),
        );
        vec![last]
    } else {
        design.graph.outputs.iter().map(|r| history(r)).collect()
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

/// Puts the entries (the inputs, then the design's layers) and the mask operations, each with
/// its row, in the order Keras lists them: its summary's (a mask's operations can place an
/// input after a layer). Left as they are when the graph does not build; a layer no output
/// depends on stays last.
fn keras_order(
    design: &Design,
    summary: &Summary,
    entries: &mut Vec<Value>,
    operations: Vec<(usize, Value)>,
) {
    let Some(ends) = summary.ends.as_ref().filter(|_| summary.is_ok()) else {
        return;
    };
    let mut row_of_input = vec![usize::MAX; entries.len() - design.layers.len()];
    for (row, r) in summary.rows.iter().enumerate() {
        if let Source::Input(i) = r.source {
            if let Some(slot) = row_of_input.get_mut(i) {
                *slot = row;
            }
        }
    }
    let layer_rows = (0..design.layers.len()).map(|i| {
        ends.layer_rows
            .get(i)
            .copied()
            .flatten()
            .unwrap_or(usize::MAX)
    });
    let keys: Vec<usize> = row_of_input.iter().copied().chain(layer_rows).collect();
    let mut keyed: Vec<(usize, Value)> = keys.into_iter().zip(entries.drain(..)).collect();
    keyed.extend(operations);
    keyed.sort_by_key(|(key, _)| *key);
    entries.extend(keyed.into_iter().map(|(_, entry)| entry));
}

/// The operations Keras adds to a graph to compute its masks (a `NotEqual` after an
/// `Embedding(mask_zero=True)`, ...), written as `to_json()` writes them, each with its row.
/// Written out, they keep their names when Keras reads the file: left to Keras, a
/// `Concatenate` layer's mask takes the name `concatenate` again, which the layer holds.
struct MaskOps {
    /// Each operation's entry, with its summary row.
    entries: Vec<(usize, Value)>,
}

impl MaskOps {
    /// The operations of `summary`, when the graph builds; `None` when it does not, or when
    /// an operation is one this writer does not know, and Keras is left to add them.
    fn of(design: &Design, summary: &Summary) -> Option<MaskOps> {
        summary.ends.as_ref().filter(|_| summary.is_ok())?;
        let mut entries = Vec::new();
        for (at, row) in summary.rows.iter().enumerate() {
            if let Source::Implicit(maker) = row.source {
                let links = summary.connected_to(row);
                entries.push((at, operation_json(row, links, design.layers.get(maker))?));
            }
        }
        Some(MaskOps { entries })
    }
}

/// The mask Keras hands call `call` of the design layer at `index` itself.
fn handed_mask(summary: &Summary, index: usize, call: usize) -> Option<&Link> {
    let row = summary.row_of(index)?;
    let mask = summary.passed_masks(row).iter().find(|m| m.call == call)?;
    Some(&mask.link)
}

/// One mask operation's entry: `row` computed from the tensors `links` for the layer `maker`.
/// `None` for an operation not known here.
fn operation_json(row: &Row, links: &[Link], maker: Option<&Layer>) -> Option<Value> {
    let name = row.name.as_str();
    let mut args: Vec<Value> = links.iter().map(|l| tensor(link_history(l))).collect();
    let mut config = serde_json::Map::new();
    config.insert("name".into(), json!(name));
    let mut option = |key: &str, value: Value| config.insert(key.into(), value);
    match row.class {
        "NotEqual" => args.push(match maker {
            Some(Layer::Masking(m)) => json!(m.mask_value),
            _ => json!(0),
        }),
        "Any" => {
            option("axis", json!(-1));
            option("keepdims", json!(false));
        }
        "ExpandDims" => {
            option("axis", json!(-1));
        }
        "ZerosLike" | "OnesLike" => {
            option("dtype", json!("bool"));
        }
        "Concatenate" => {
            let Some(Layer::Concatenate(c)) = maker else {
                return None;
            };
            option("axis", json!(c.axis));
            args = vec![Value::Array(args)];
        }
        "ConvertToTensor" => {
            for key in ["dtype", "sparse", "ragged"] {
                option(key, Value::Null);
            }
        }
        "LogicalOr" => {}
        _ => return None,
    }
    let module = match row.class {
        "ConvertToTensor" => "keras.src.ops.core",
        _ => "keras.src.ops.numpy",
    };
    Some(json!({
        "module": module,
        "class_name": row.class,
        "config": config,
        "registered_name": row.class,
        "name": name,
        "inbound_nodes": [{ "args": args, "kwargs": {} }],
    }))
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

/// The inbound node of the call at `position`, handed `mask` by Keras.
fn node_json(
    design: &Design,
    calls: &[Placed<'_>],
    position: usize,
    call: Option<&Call>,
    mask: Option<&Link>,
) -> Value {
    let mut kwargs = serde_json::Map::new();
    if let Some(mask) = mask {
        kwargs.insert("mask".into(), tensor(link_history(mask)));
    }
    let Some(call) = call else {
        let previous = match position.checked_sub(1).and_then(|p| calls.get(p)) {
            Some(p) => json!([p.name, p.node, 0]),
            None => json!([
                design.graph.input_name.as_deref().unwrap_or(INPUT_LAYER),
                0,
                0
            ]),
        };
        return json!({ "args": [tensor(previous)], "kwargs": kwargs });
    };
    let layer = &design.layers[calls[position].layer];
    let positional: Vec<Value> = call.inputs.iter().map(|r| tensor(history(r))).collect();
    let takes_list = layer.kind().multi().is_some_and(|m| m.slots().is_empty());
    let args = if takes_list {
        json!([positional])
    } else {
        Value::Array(positional)
    };
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

/// A summary's link as `keras_history`.
fn link_history(link: &Link) -> Value {
    json!([link.layer.as_str(), link.node, link.tensor])
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

/// Python source that builds a graph design with Keras' functional API and prints its
/// summary: one line per input and per call, a shared layer kept in a variable and called
/// again, several outputs unpacked, then `keras.Model(inputs=[...], outputs=[...])`.
pub fn keras_graph_code(design: &Design) -> String {
    let graph = &design.graph;
    let mut out = format!(
        "# Keras 3 code for the lstm-tui design {}.\n{}import keras\nfrom keras import layers\n\n",
        python_str(&design.name),
        expected_counts(design)
    );
    let input_names = design.input_names();
    let given = std::iter::once((
        graph.input_name.is_some(),
        &design.input.shape,
        design.input.dtype,
    ))
    .chain(
        graph
            .inputs
            .iter()
            .map(|i| (i.name.is_some(), &i.shape, i.dtype)),
    );
    for (name, (named, shape, dtype)) in input_names.iter().zip(given) {
        let mut call = format!("keras.Input(shape={}", shape.python());
        if dtype == Dtype::Int32 {
            call.push_str(", dtype=\"int32\"");
        }
        if named {
            call.push_str(&format!(", name={}", python_str(name)));
        }
        out.push_str(&format!("{} = {call})\n", variable(name, 0, None)));
    }
    let layer_names = layer_names(&design.layers);
    let summary = Summary::of(design, Convention::Keras);
    let outputs_of = |name: &str| {
        summary
            .rows
            .iter()
            .find(|r| r.name.as_str() == name)
            .map_or(1, |r| r.output.count())
    };
    let calls = call_list(design, &layer_names);
    let shared: Vec<bool> = (0..design.layers.len())
        .map(|i| calls.iter().filter(|c| c.layer == i).count() > 1)
        .collect();
    let automatic = named_by_keras(design, &summary);
    let made = |index: usize| {
        let layer = &design.layers[index];
        if !automatic[index] {
            return layer_call(layer);
        }
        let mut unnamed = layer.clone();
        unnamed.kind_mut().set_name(None);
        layer_call(&unnamed)
    };
    for (position, placed) in calls.iter().enumerate() {
        let callee = if shared[placed.layer] {
            let holder = format!("{}_layer", variable(placed.name, 0, None));
            if placed.node == 0 {
                out.push_str(&format!("{holder} = {}\n", made(placed.layer)));
            }
            holder
        } else {
            made(placed.layer)
        };
        let arguments = code_arguments(design, &calls, position, &input_names);
        let count = outputs_of(placed.name);
        let target = if count > 1 {
            let all: Vec<String> = (0..count)
                .map(|i| variable(placed.name, placed.node, Some(i)))
                .collect();
            all.join(", ")
        } else {
            variable(placed.name, placed.node, None)
        };
        out.push_str(&format!("{target} = {callee}({arguments})\n"));
    }
    let outputs: Vec<String> = if graph.outputs.is_empty() {
        calls.last().map_or_else(
            || vec![variable(&input_names[0], 0, None)],
            |c| vec![variable(c.name, c.node, None)],
        )
    } else {
        graph.outputs.iter().map(|r| code_ref(r)).collect()
    };
    let inputs: Vec<String> = input_names.iter().map(|n| variable(n, 0, None)).collect();
    let mut model = format!(
        "model = keras.Model(inputs=[{}], outputs=[{}]",
        inputs.join(", "),
        outputs.join(", ")
    );
    if is_model_name(&design.name) {
        model.push_str(&format!(", name={}", python_str(&design.name)));
    }
    out.push_str(&model);
    out.push_str(")\nmodel.summary()\n");
    out
}

/// Which layers the code leaves Keras to name: each layer without a name, each whose name
/// Keras gives it anyway, made where it is first called, in the design's order, and each whose
/// name Keras has given an operation by then. Keras numbers a masked `Concatenate`'s own
/// `concatenate` operation when the call is made, and a name given with `name=` does not move
/// that count on: written out, the name of the next `Concatenate` made could be the
/// operation's, and Keras refuses a model with a name taken twice.
fn named_by_keras(design: &Design, summary: &Summary) -> Vec<bool> {
    let mut joins = vec![0usize; design.layers.len()];
    for row in &summary.rows {
        if let (Source::Implicit(maker), "Concatenate") = (row.source, row.class)
            && let Some(n) = joins.get_mut(maker)
        {
            *n += 1;
        }
    }
    let mut names = Namer::default();
    let mut operations: Vec<Name> = Vec::new();
    design
        .layers
        .iter()
        .zip(joins)
        .map(|(layer, joins)| {
            let naming = layer.kind().naming();
            let automatic = naming.given.is_none_or(|given| {
                names.preview(layer) == given || operations.iter().any(|o| o == given)
            });
            names.name(&Naming {
                given: naming.given.filter(|_| !automatic),
                ..naming
            });
            for _ in 0..joins {
                operations.push(names.auto("concatenate"));
            }
            automatic
        })
        .collect()
}

/// The arguments of the call at `position`, as Python.
fn code_arguments(
    design: &Design,
    calls: &[Placed<'_>],
    position: usize,
    input_names: &[String],
) -> String {
    let Some(call) = calls[position].call else {
        return match position.checked_sub(1).and_then(|p| calls.get(p)) {
            Some(p) => variable(p.name, p.node, None),
            None => variable(&input_names[0], 0, None),
        };
    };
    let layer = &design.layers[calls[position].layer];
    let positional: Vec<String> = call.inputs.iter().map(|r| code_ref(r)).collect();
    let mut args = Vec::new();
    if layer.kind().multi().is_some_and(|m| m.slots().is_empty()) {
        args.push(format!("[{}]", positional.join(", ")));
    } else {
        args.extend(positional);
    }
    for (key, refs) in &call.keywords {
        let tensors: Vec<String> = refs.iter().map(|r| code_ref(r)).collect();
        let value = if key == "initial_state" || tensors.len() != 1 {
            format!("[{}]", tensors.join(", "))
        } else {
            tensors.join("")
        };
        args.push(format!("{key}={value}"));
    }
    if call.options.return_attention_scores {
        args.push("return_attention_scores=True".into());
    }
    if call.options.use_causal_mask {
        args.push("use_causal_mask=True".into());
    }
    args.join(", ")
}

/// A reference as the Python variable holding that tensor.
fn code_ref(reference: &str) -> String {
    match TensorRef::parse(reference) {
        Ok(r) => variable(r.name, r.call, r.index),
        Err(_) => variable(reference, 0, None),
    }
}

/// The variable of a tensor: the layer's name made an identifier, then the call (after the
/// first) and the output (of a layer with several).
fn variable(name: &str, call: usize, output: Option<usize>) -> String {
    let mut v: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    v.insert_str(0, "t_");
    if call > 0 {
        v.push_str(&format!("_call{call}"));
    }
    if let Some(i) = output {
        v.push_str(&format!("_out{i}"));
    }
    v
}
