//! Keras model code in Python, read without running it: `Sequential([...])` or
//! `model.add(...)`, positional and keyword arguments, constants assigned earlier, module
//! aliases (`keras.layers.X`, `layers.X`, `tf.keras.layers.X`, bare `X`) and regularizers.
//! Source → tokens → expression trees → per layer a class name and a Keras-config map → a layer.
//!
//! Functional code (layers called on tensors, `keras.Model(inputs, outputs)`) takes another
//! path: tokens → statements (`block`) → an interpreter (`functional*`) that runs functions
//! and loops over a graph of layer calls (`graph`, `graph_shapes`) → Keras' model JSON
//! (`graph_json`).

mod block;
mod eval;
mod fstring;
mod functional;
mod functional_call;
mod functional_expr;
mod functional_skip;
mod graph;
mod graph_json;
mod graph_shapes;
mod lexer;
pub(crate) mod parser;
mod reader;
mod signatures;
mod spell;

pub use spell::{check_expression, layer_from_python, literal, shape_from_python};

use std::collections::HashMap;

use eval::{LayerCall, Value};
use reader::{Model, Reader};
use serde_json::Value as Json;

use crate::interop::ImportError;
use crate::model::design::VERSION;
use crate::model::layers::KindEntry;
use crate::model::{
    Budget, Convention, Design, Dtype, Input, Layer, Located, Pos, Shape, Source, Summary,
    layer_names,
};

/// Reads the Keras model written in `source` (Sequential, or functional: see
/// [`functional_json_from_python`]) as a design called as the model is: its `name=`, or the
/// automatic name Keras gives it (`sequential`, `functional_1`, ...). Nothing in
/// `source` is executed; statements that do not concern the model (imports, `compile`, `fit`,
/// prints) are skipped. Errors say where and what was expected.
pub fn design_from_python(source: &str) -> Result<Design, Located> {
    // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the code.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if let Some((json, pos)) = functional_model(source)? {
        // The interpreter wrote what Keras' `model.to_json()` would: read it as that JSON is
        // read, and place anything it refuses at the model's `Model(...)` call.
        return crate::interop::keras_functional::design_from_functional(&json).map_err(
            |e| match e {
                ImportError::At(located) => located,
                other => Located::new(pos, other.to_string()),
            },
        );
    }
    let mut reader = Reader::default();
    reader.lines(&lexer::lex(source)?)?;
    let model = pick_model(&reader)?;
    assemble(model)
}

/// Reads Keras functional code (`x = layers.Dense(8)(inputs)`, `keras.Model(inputs, outputs)`,
/// functions building blocks, loops calling them) as the model JSON Keras' `model.to_json()`
/// gives for it. `None` when the code is not functional (a Sequential model, read by
/// [`design_from_python`]). Nothing is executed: the code is interpreted, and anything outside
/// what the interpreter follows is refused with its position.
pub fn functional_json_from_python(source: &str) -> Result<Option<Json>, Located> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    Ok(functional_model(source)?.map(|(json, _)| json))
}

/// The functional model in `source` and where it is made, if the code is functional.
fn functional_model(source: &str) -> Result<Option<(Json, Pos)>, Located> {
    let lines = lexer::lex(source)?;
    let pairs = || lines.iter().flat_map(|l| l.tokens.windows(2));
    let called = |word: &str| {
        pairs().any(|w| {
            matches!(&w[0].tok, lexer::Tok::Name(n) if n == word) && w[1].tok == lexer::Tok::Op("(")
        })
    };
    // `keras.Model(inputs, outputs)` makes a functional model whatever else the file holds (an
    // import of Sequential, say); without one, a `Sequential(...)` is the model, and a layer
    // applied to a tensor is functional code still missing its model.
    let applied =
        || pairs().any(|w| w[0].tok == lexer::Tok::Op(")") && w[1].tok == lexer::Tok::Op("("));
    if !called("Model") {
        if let Some(pos) = subclassed(&lines) {
            return Err(Located::new(pos, SUBCLASSED));
        }
        if called("Sequential") || !applied() {
            return Ok(None);
        }
    }
    let statements = block::statements(&lines);
    let mut interp = functional::Interp::default();
    interp.run(&statements)?;
    let json = graph_json::model_json(&interp.graph, pick_functional(&interp)?)?;
    let joins = mask_joins(&interp.graph, &json);
    if joins.is_empty() {
        return Ok(Some((json, pick_functional(&interp)?.pos)));
    }
    // Read again, now naming each joining operation where Keras does: the program runs the
    // same way, so its layers keep their indices.
    let mut interp = functional::Interp::default();
    interp.graph = graph::Graph::joining_masks(joins);
    interp.run(&statements)?;
    let model = pick_functional(&interp)?;
    Ok(Some((
        graph_json::model_json(&interp.graph, model)?,
        model.pos,
    )))
}

/// The layers of `graph` (by index) whose calls join masks, with how many of their calls do,
/// read from the summary of the model `json` describes. A `Concatenate` on a masked tensor
/// joins its inputs' masks with a `concatenate` operation, which Keras names when the call is
/// made: a `Concatenate` layer made after it is numbered one further than the first reading
/// named it.
fn mask_joins(graph: &graph::Graph, json: &Json) -> HashMap<usize, usize> {
    let mut joins = HashMap::new();
    let Ok(design) = crate::interop::keras_functional::design_from_functional(json) else {
        return joins;
    };
    let summary = Summary::of(&design, Convention::Keras);
    let names = layer_names(&design.layers);
    for row in &summary.rows {
        if let (Source::Implicit(maker), "Concatenate") = (row.source, row.class) {
            let made_by = names.get(maker).and_then(|name| {
                graph
                    .layers
                    .iter()
                    .position(|l| !l.is_input && l.name == *name)
            });
            if let Some(id) = made_by {
                *joins.entry(id).or_insert(0) += 1;
            }
        }
    }
    joins
}

/// Why a subclassed model is refused, and what to do instead.
const SUBCLASSED: &str = "expected a Sequential or functional model; got a subclassed one (`class ...(keras.Model)`), whose layers are wired in its `call()`, which lstm-tui does not run: write the model as `keras.Sequential([...])` or as `keras.Model(inputs, outputs)`";

/// Why a class the program defines cannot be used in the model, and what to write instead.
fn custom_class(class: &str, pos: Pos) -> String {
    format!(
        "expected Keras layers; `{class}` is a class defined at line {}, whose layers are made and wired by its methods, which lstm-tui does not run: write those layers in the model itself (in functional code, a `def` function that takes the block's input and returns its output is followed)",
        pos.line
    )
}

/// Where a class deriving from Keras' `Model` is defined, if the code defines one.
fn subclassed(lines: &[lexer::Line]) -> Option<Pos> {
    lines.iter().find_map(|l| {
        let first = l.tokens.first()?;
        let class = first.tok == lexer::Tok::Name("class".into());
        let model = l
            .tokens
            .iter()
            .any(|t| t.tok == lexer::Tok::Name("Model".into()));
        (class && model).then_some(first.pos)
    })
}

/// The program's model: the only one built, or the one called `model`.
fn pick_functional(interp: &functional::Interp) -> Result<&functional::ModelCall, Located> {
    match interp.models.as_slice() {
        [] => Err(Located::new(
            Pos { line: 1, column: 1 },
            "expected a model: `keras.Model(inputs, outputs)` after the layers; found none",
        )),
        [one] => Ok(one),
        [first, second, ..] => match interp.globals.get("model") {
            Some(functional::FVal::Model(id)) => interp
                .models
                .get(*id)
                .ok_or_else(|| Located::new(second.pos, "expected one model; got several")),
            _ => Err(Located::new(
                second.pos,
                format!(
                    "expected one model; got another here (the first is at line {}): name the one to import `model`",
                    first.pos.line
                ),
            )),
        },
    }
}

/// The input dtype Keras code implies when `Input(dtype=...)` is not written: token ids for a
/// model that starts with a kind reading them (an Embedding), features otherwise.
pub fn implied_dtype(layers: &[Layer]) -> Dtype {
    match layers.first() {
        Some(l) if l.kind().keras().token_ids => Dtype::Int32,
        _ => Dtype::Float32,
    }
}

fn pick_model(reader: &Reader) -> Result<&Model, Located> {
    let mut with_layers = reader.models.iter().filter(|m| !m.layers.is_empty());
    match (with_layers.next(), with_layers.next()) {
        (Some(first), None) => Ok(first),
        (Some(first), Some(second)) => Err(Located::new(
            second.pos,
            format!(
                "expected one Sequential model; got another here (the first is at line {}): import them one at a time",
                first.pos.line
            ),
        )),
        (None, _) => Err(match (reader.models.first(), reader.functional) {
            (Some(m), _) => Located::new(
                m.pos,
                "expected layers in this model (`model.add(Dense(64))` or `Sequential([...])`); got none",
            ),
            (None, Some(pos)) => Located::new(
                pos,
                "expected a model; got a layer applied to a tensor but no `keras.Model(...)`: functional code ends with `model = keras.Model(inputs, outputs)`",
            ),
            (None, None) => Located::new(
                Pos { line: 1, column: 1 },
                "expected a Keras model (`Sequential([...])`, `model = Sequential()` with `model.add(...)`, or `keras.Model(inputs, outputs)`); found none",
            ),
        }),
    }
}

/// Keywords that describe the model's input rather than a layer; Keras reads them on the
/// first layer only and ignores them elsewhere.
const INPUT_KEYS: &[&str] = &["input_shape", "batch_input_shape", "batch_size", "dtype"];

fn assemble(model: &Model) -> Result<Design, Located> {
    let mut calls: &[LayerCall] = &model.layers;
    let mut input: Option<(Shape, Option<Dtype>)> = None;
    if let Some((first, rest)) = calls.split_first() {
        if is_input(first) {
            input = Some(input_layer(first)?);
            calls = rest;
        }
    }
    if let Some(late) = calls.iter().find(|c| is_input(c)) {
        return Err(Located::new(
            late.pos,
            format!(
                "expected the input first; got `{}` after layers",
                late.class
            ),
        ));
    }
    let Some(first) = calls.first() else {
        return Err(Located::new(
            model.pos,
            "expected layers after the input; got none",
        ));
    };
    if input.is_none() {
        input = first_layer_input(first)?.map(|s| (s, None));
    }
    if input.is_none() {
        if let Some((v, pos)) = &model.build {
            input = Some((shape(v, *pos, true)?, None));
        }
    }
    let Some((shape, dtype)) = input else {
        return Err(Located::new(
            first.pos,
            "expected an input shape: put `keras.Input(shape=(...))` first, or give the first layer `input_shape=(...)`",
        ));
    };
    let mut layers = Vec::with_capacity(calls.len());
    for call in calls {
        layers.push(layer(call)?);
    }
    let dtype = dtype.unwrap_or_else(|| implied_dtype(&layers));
    Ok(Design {
        version: VERSION,
        name: model.name.clone(),
        input: Input { shape, dtype },
        layers,
        budget: Budget::default(),
        graph: Default::default(),
    })
}

fn is_input(call: &LayerCall) -> bool {
    call.class == "Input" || call.class == "InputLayer"
}

/// The layer a call builds. Keywords about the model's input are dropped first (on the first
/// layer they were read into the design's input; elsewhere Keras ignores them too).
fn layer(call: &LayerCall) -> Result<Layer, Located> {
    let mut skip = INPUT_KEYS.to_vec();
    // Keras 2's input_dim gives the input's features, unless the class has a parameter of
    // that name (Embedding's vocabulary size).
    if !signatures::positional(&call.class).is_some_and(|p| p.contains(&"input_dim")) {
        skip.push("input_dim");
    }
    skip.push("input_length");
    let config = Json::Object(call.config(&skip)?);
    crate::interop::layer_from_keras(&call.class, &config).map_err(|why| {
        let message = match why {
            // Said with the keyword as it is written in Python, not as a JSON path.
            ImportError::Config {
                class, key, reason, ..
            } if !key.is_empty() => {
                let keyword = key.rsplit('.').next().unwrap_or(&key);
                format!("{class}: `{keyword}`: {reason}")
            }
            other => format!("{}: {other}", call.class),
        };
        Located::new(call.pos, message)
    })
}

/// `Input(shape=(100, 6), dtype="int32")` or tf.keras' `InputLayer(input_shape=...)`.
fn input_layer(call: &LayerCall) -> Result<(Shape, Option<Dtype>), Located> {
    let shape = if let Some((v, pos)) = call.get("shape").or_else(|| call.get("input_shape")) {
        shape(v, pos, false)?
    } else if let Some((v, pos)) = call
        .get("batch_shape")
        .or_else(|| call.get("batch_input_shape"))
    {
        shape(v, pos, true)?
    } else {
        return Err(Located::new(
            call.pos,
            format!("expected `shape=(...)` in `{}(...)`; got none", call.class),
        ));
    };
    let dtype = match call.get("dtype") {
        Some((v, pos)) => Some(dtype(v, pos)?),
        None => None,
    };
    Ok((shape, dtype))
}

/// The input shape a first layer carries: `input_shape=`, `batch_input_shape=`, or Keras 2's
/// `input_dim=` (Dense) and `input_length=` (Embedding).
fn first_layer_input(call: &LayerCall) -> Result<Option<Shape>, Located> {
    if let Some((v, pos)) = call.get("input_shape") {
        return shape(v, pos, false).map(Some);
    }
    if let Some((v, pos)) = call.get("batch_input_shape") {
        return shape(v, pos, true).map(Some);
    }
    // A token-id layer gets its sequence length from input_length; its input_dim is the
    // vocabulary size.
    let key = if KindEntry::named(&call.class).is_some_and(|k| k.keras.token_ids) {
        "input_length"
    } else {
        "input_dim"
    };
    match call.get(key) {
        Some((Value::Int(n), pos)) => {
            let n = u64::try_from(*n).map_err(|_| {
                let why = if *n < 0 {
                    "is negative"
                } else {
                    "does not fit in 64 bits"
                };
                Located::new(
                    pos,
                    format!("expected a size such as 64 for `{key}`; got {n}, which {why}"),
                )
            })?;
            Ok(Some(Shape::known(&[n])))
        }
        Some((Value::None, _)) if key == "input_length" => Ok(Some(Shape(vec![None].into()))),
        _ => Ok(None),
    }
}

/// A shape value: a tuple of sizes, `None` for an open one; `batch` drops the leading batch
/// dimension of a `batch_shape`.
fn shape(v: &Value, pos: Pos, batch: bool) -> Result<Shape, Located> {
    let fail = |got: String| {
        Located::new(
            pos,
            format!(
                "expected {}; got {got}",
                signatures::KeyKind::Shape.expected()
            ),
        )
    };
    let Value::Seq(items) = v else {
        return Err(fail(v.describe()));
    };
    let dims = if batch {
        items
            .get(1..)
            .ok_or_else(|| fail("an empty tuple".into()))?
    } else {
        items.as_slice()
    };
    let dims = dims
        .iter()
        .map(|d| match d {
            Value::None => Ok(None),
            Value::Int(n) => u64::try_from(*n)
                .map(Some)
                .map_err(|_| fail(format!("the size {n}"))),
            other => Err(fail(format!("a tuple holding {}", other.describe()))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Shape(dims.into()))
}

fn dtype(v: &Value, pos: Pos) -> Result<Dtype, Located> {
    match v {
        Value::Str(s) if s.starts_with("int") || s.starts_with("uint") => Ok(Dtype::Int32),
        Value::Str(s) if s.starts_with("float") || s.starts_with("bfloat") => Ok(Dtype::Float32),
        other => Err(Located::new(
            pos,
            format!(
                "expected a dtype such as 'float32' or 'int32'; got {}",
                other.describe()
            ),
        )),
    }
}
