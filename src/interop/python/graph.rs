//! The layers a functional program creates and the calls it makes on tensors, as Keras records
//! them: names given in a fresh session's order, one node per call, shapes where they are known
//! (a program may read `x.shape[-1]`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value as Json, json};

use super::eval::{LayerCall, Value};
use super::graph_shapes;
use super::signatures::KeyKind;
use crate::model::layers::KindEntry;
use crate::model::{Dtype, Layer, Located, Pos, Shape};

/// Most layer calls one program may make, loops and functions included: a bound on the work
/// an import does, far above any model people write.
pub const MAX_CALLS: usize = 20_000;

/// One output of one call: `keras_history` without the names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TensorRef {
    /// Index into [`Graph::layers`].
    pub layer: usize,
    /// Which call of that layer.
    pub node: usize,
    /// Which output of that call.
    pub index: usize,
}

/// What a call receives, in the structure it was written in.
#[derive(Debug, Clone, PartialEq)]
pub enum CallArg {
    /// A tensor.
    Tensor(TensorRef),
    /// A list or tuple of arguments (`[a, b]` for a merge, `initial_state=[h, c]`).
    List(Vec<CallArg>),
    /// A constant option (`return_attention_scores=True`).
    Const(Json),
}

impl CallArg {
    /// The tensors inside, in order.
    pub fn tensors(&self, out: &mut Vec<TensorRef>) {
        match self {
            CallArg::Tensor(t) => out.push(*t),
            CallArg::List(items) => items.iter().for_each(|i| i.tensors(out)),
            CallArg::Const(_) => {}
        }
    }
}

/// A tensor's shape without the batch axis (`None` where the program cannot tell) and dtype.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorInfo {
    /// The shape, if known.
    pub shape: Option<Shape>,
    /// `float32` or `int32`.
    pub dtype: Dtype,
}

/// One call of a layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Positional arguments.
    pub args: Vec<CallArg>,
    /// Keyword arguments, in the order written.
    pub kwargs: Vec<(String, CallArg)>,
    /// What the call returns.
    pub outputs: Vec<TensorInfo>,
}

impl Node {
    /// The tensors the call depends on, as Keras orders them: positional ones, then keyword
    /// ones sorted by keyword.
    pub fn inputs(&self) -> Vec<TensorRef> {
        let mut out = Vec::new();
        self.args.iter().for_each(|a| a.tensors(&mut out));
        let mut kwargs: Vec<&(String, CallArg)> = self.kwargs.iter().collect();
        kwargs.sort_by(|a, b| a.0.cmp(&b.0));
        kwargs.iter().for_each(|(_, a)| a.tensors(&mut out));
        out
    }
}

/// A layer (or a tensor operation such as `x + y`) and its calls.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphLayer {
    /// Its name.
    pub name: String,
    /// Keras' class name.
    pub class: String,
    /// Keras' module for the class.
    pub module: &'static str,
    /// The constructor's arguments as Keras' config spells them, `name` included.
    pub config: Map<String, Json>,
    /// The layer as the catalogue builds it, for shapes; `None` for kinds only a graph has.
    pub layer: Option<Layer>,
    /// Its calls in order. An input has one, with no arguments.
    pub nodes: Vec<Node>,
    /// An `Input(...)`.
    pub is_input: bool,
    /// Where it is created.
    pub pos: Pos,
    /// The constructor call that made it, its name written in, for a layer made by one.
    made: Option<LayerCall>,
}

/// Everything the program built.
#[derive(Debug, Default)]
pub struct Graph {
    /// Layers in creation order.
    pub layers: Vec<GraphLayer>,
    uids: HashMap<String, usize>,
    calls: usize,
    /// How many calls of each layer (by index into `layers`) have a mask Keras joins with a
    /// `Concatenate` operation of its own: that operation takes the next `concatenate` name
    /// at the call, before any layer made after it.
    mask_joins: HashMap<usize, usize>,
}

/// Automatic names a layer's own sub-layers take on its first call.
fn sublayer_names(class: &str) -> &'static [&'static str] {
    match class {
        "MultiHeadAttention" | "GroupQueryAttention" | "GroupedQueryAttention" => {
            &["Softmax", "Dropout"]
        }
        _ => &[],
    }
}

impl Graph {
    /// A graph whose layer `id` makes `n` calls whose mask Keras joins, for each `(id, n)`
    /// ([`Graph::mask_joins`]): known only once a first reading's summary has shown them.
    pub fn joining_masks(mask_joins: HashMap<usize, usize>) -> Self {
        Self {
            mask_joins,
            ..Self::default()
        }
    }

    /// Keras' `auto_name`: the class in snake case, numbered from the second of its kind.
    pub fn auto_name(&mut self, class: &str) -> String {
        let prefix = auto_prefix(class);
        let n = self.uids.entry(prefix.clone()).or_insert(0);
        let name = if *n == 0 {
            prefix
        } else {
            format!("{prefix}_{n}")
        };
        *n += 1;
        name
    }

    /// `keras.Input(...)`: an input layer and its tensor.
    pub fn input(&mut self, call: &LayerCall, shape: Shape, dtype: Dtype) -> TensorRef {
        let name = match call.get("name") {
            Some((Value::Str(s), _)) => s.clone(),
            _ => self.auto_name("InputLayer"),
        };
        let mut batch = vec![Json::Null];
        batch.extend(shape.0.iter().map(|d| d.map_or(Json::Null, |d| json!(d))));
        let mut config = Map::new();
        config.insert("batch_shape".into(), Json::Array(batch));
        config.insert("dtype".into(), json!(dtype_name(dtype)));
        config.insert("sparse".into(), json!(false));
        config.insert("name".into(), json!(name));
        self.layers.push(GraphLayer {
            name,
            class: "InputLayer".into(),
            module: "keras.layers",
            config,
            layer: None,
            nodes: vec![Node {
                args: Vec::new(),
                kwargs: Vec::new(),
                outputs: vec![TensorInfo {
                    shape: Some(shape),
                    dtype,
                }],
            }],
            is_input: true,
            pos: call.pos,
            made: None,
        });
        TensorRef {
            layer: self.layers.len() - 1,
            node: 0,
            index: 0,
        }
    }

    /// A layer constructor: names its wrapped layers, then itself, as Keras does.
    pub fn layer(&mut self, call: &LayerCall, built: Option<Layer>) -> Result<usize, Located> {
        let config = self.config(call, None)?;
        let name = config
            .get("name")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string();
        let mut made = call.clone();
        if call.get("name").is_none() {
            made.args
                .push(("name".into(), Value::Str(name.clone()), call.pos));
        }
        self.layers.push(GraphLayer {
            name,
            class: call.class.clone(),
            module: "keras.layers",
            config,
            layer: built,
            nodes: Vec::new(),
            is_input: false,
            pos: call.pos,
            made: Some(made),
        });
        Ok(self.layers.len() - 1)
    }

    /// The constructor call of layer `id` when it has not been called: a wrapper may take it
    /// (`Bidirectional(recurrent)`), named as it was made.
    pub fn uncalled(&self, id: usize) -> Option<&LayerCall> {
        let layer = self.layers.get(id)?;
        layer.made.as_ref().filter(|_| layer.nodes.is_empty())
    }

    /// A tensor operation written with an operator (`x + y` is Keras' `Add` op).
    pub fn operation(&mut self, class: &str, pos: Pos) -> usize {
        let name = self.auto_name(class);
        let mut config = Map::new();
        config.insert("name".into(), json!(name));
        self.layers.push(GraphLayer {
            name,
            class: class.to_string(),
            module: "keras.src.ops.numpy",
            config,
            layer: None,
            nodes: Vec::new(),
            is_input: false,
            pos,
            made: None,
        });
        self.layers.len() - 1
    }

    fn config(
        &mut self,
        call: &LayerCall,
        prefix: Option<&str>,
    ) -> Result<Map<String, Json>, Located> {
        let mut config = Map::new();
        for (key, value, pos) in &call.args {
            let json = match value {
                Value::Layer(inner) => {
                    let wrapper =
                        (call.class == "Bidirectional" && key == "layer").then_some("forward_");
                    json!({
                        "module": "keras.layers",
                        "class_name": inner.class,
                        "config": self.config(inner, wrapper)?,
                        "registered_name": null,
                    })
                }
                // Keras' config spells "no activation" `linear`.
                Value::None if KeyKind::of(&call.class, key) == KeyKind::Activation => {
                    json!("linear")
                }
                other => other.to_json(*pos)?,
            };
            config.insert(key.clone(), json);
        }
        let name = match config.get("name") {
            Some(Json::String(s)) => s.clone(),
            _ => self.auto_name(&call.class),
        };
        config.insert(
            "name".into(),
            json!(format!("{}{name}", prefix.unwrap_or(""))),
        );
        config.entry("trainable").or_insert(json!(true));
        Ok(config)
    }

    /// Calls layer `id` on `args` and `kwargs`; returns its outputs.
    pub fn call(
        &mut self,
        id: usize,
        args: Vec<CallArg>,
        kwargs: Vec<(String, CallArg)>,
        pos: Pos,
    ) -> Result<Vec<TensorRef>, Located> {
        self.calls += 1;
        if self.calls > MAX_CALLS {
            return Err(Located::new(
                pos,
                format!("expected at most {MAX_CALLS} layer calls in one program; got more"),
            ));
        }
        let Some(layer) = self.layers.get(id) else {
            return Err(Located::new(pos, "expected a layer; got none"));
        };
        if layer.nodes.is_empty() {
            let class = layer.class.clone();
            for sub in sublayer_names(&class) {
                self.auto_name(sub);
            }
        }
        let outputs = graph_shapes::outputs(self, id, &args, &kwargs, pos)?;
        // A shared layer's first calls are taken to be the ones with a mask to join.
        if let Some(left @ 1..) = self.mask_joins.get_mut(&id) {
            *left -= 1;
            self.auto_name("Concatenate");
        }
        let count = outputs.len();
        let Some(layer) = self.layers.get_mut(id) else {
            return Err(Located::new(pos, "expected a layer; got none"));
        };
        layer.nodes.push(Node {
            args,
            kwargs,
            outputs,
        });
        let node = layer.nodes.len() - 1;
        Ok((0..count)
            .map(|index| TensorRef {
                layer: id,
                node,
                index,
            })
            .collect())
    }

    /// What is known about a tensor.
    pub fn info(&self, t: TensorRef) -> Option<&TensorInfo> {
        self.layers
            .get(t.layer)?
            .nodes
            .get(t.node)?
            .outputs
            .get(t.index)
    }
}

/// The prefix of a class's automatic names: the catalogue's kinds know theirs (an alias such
/// as `Convolution1D` names itself `conv1d`); other classes are named after their Python class,
/// which for `GroupQueryAttention` is `GroupedQueryAttention`.
fn auto_prefix(class: &str) -> String {
    // Built once: a program may name thousands of layers.
    static PREFIXES: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let prefixes = PREFIXES.get_or_init(|| {
        Layer::catalogue()
            .iter()
            .map(|l| (l.kind().class(), l.kind().auto_name()))
            .collect()
    });
    if let Some(prefix) = KindEntry::named(class).and_then(|e| prefixes.get(e.class)) {
        return (*prefix).to_string();
    }
    match class {
        "GroupQueryAttention" => "grouped_query_attention".into(),
        other => snake_case(other),
    }
}

/// Keras' spelling of a dtype in a config.
pub fn dtype_name(dtype: Dtype) -> &'static str {
    match dtype {
        Dtype::Int32 => "int32",
        Dtype::Float32 => "float32",
    }
}

/// Keras' `to_snake_case`: `MultiHeadAttention` → `multi_head_attention`, `Conv1D` → `conv1d`,
/// `GRU` → `gru`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    // (.)([A-Z][a-z]+) → \1_\2
    let mut first = String::new();
    for (i, c) in chars.iter().enumerate() {
        let starts_word = i > 0
            && c.is_ascii_uppercase()
            && chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
        if starts_word {
            first.push('_');
        }
        first.push(*c);
    }
    // ([a-z])([A-Z]) → \1_\2
    let chars: Vec<char> = first.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() && chars[i - 1].is_ascii_lowercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_matches_keras() {
        for (class, name) in [
            ("MultiHeadAttention", "multi_head_attention"),
            ("Conv1D", "conv1d"),
            ("GRU", "gru"),
            ("LSTM", "lstm"),
            ("GlobalAveragePooling1D", "global_average_pooling1d"),
            ("InputLayer", "input_layer"),
            ("SimpleRNN", "simple_rnn"),
            ("Conv2DTranspose", "conv2d_transpose"),
            ("PReLU", "p_re_lu"),
        ] {
            assert_eq!(snake_case(class), name);
        }
    }
}
