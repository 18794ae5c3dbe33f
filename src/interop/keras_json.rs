//! Keras' `model.to_json()` for Sequential models, both ways: Keras 3 (an `InputLayer` with
//! `batch_shape`) and tf.keras 2 (`batch_input_shape` on the first layer or on an
//! `InputLayer`). Layer configs are read with the keys `get_config()` writes; a missing key
//! takes Keras' default.

use serde_json::{Map, Value, json};
use thiserror::Error;

use crate::interop::keras_functional::design_from_functional;
use crate::interop::python::implied_dtype;
use crate::model::Located;
use crate::model::budget::Budget;
use crate::model::design::{Design, Dtype, Input, VERSION};
use crate::model::layers::{KINDS, KindEntry, Layer, RnnCell, checked_factor};
use crate::model::shape::Shape;
use crate::model::summary::Namer;

/// Why Keras JSON (or, as [`ImportError::At`], Python code) could not become a design.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    /// The text is wrong at a place: not valid JSON, or Python code lstm-tui cannot read.
    #[error("{0}")]
    At(Located),
    /// Valid JSON, but not a Sequential model lstm-tui can read.
    #[error("{0}")]
    Structure(String),
    /// A layer class outside the catalogue.
    #[error("{}", unknown_class(class, *index))]
    UnknownClass {
        /// The class as written.
        class: String,
        /// Position in the JSON's `layers` list, when known.
        index: Option<usize>,
    },
    /// A known class with a config value lstm-tui cannot use.
    #[error("{} ({class}): {reason}", json_path(*index, key))]
    Config {
        /// The layer's class.
        class: String,
        /// The path of the value at fault inside the layer's config (`units`,
        /// `layer.config.units` in a wrapped layer); empty for the config itself.
        key: String,
        /// What is wrong and what would work.
        reason: String,
        /// Position in the JSON's `layers` list, when known.
        index: Option<usize>,
    },
}

impl From<Located> for ImportError {
    fn from(error: Located) -> Self {
        ImportError::At(error)
    }
}

impl ImportError {
    fn config(class: &str, key: &str, reason: impl Into<String>) -> Self {
        ImportError::Config {
            class: class.to_string(),
            key: key.to_string(),
            reason: reason.into(),
            index: None,
        }
    }

    /// The same error, placed at `layers[index]` unless it already has a place.
    pub(crate) fn at(self, i: usize) -> Self {
        match self {
            ImportError::UnknownClass { class, index } => ImportError::UnknownClass {
                class,
                index: index.or(Some(i)),
            },
            ImportError::Config {
                class,
                key,
                reason,
                index,
            } => ImportError::Config {
                class,
                key,
                reason,
                index: index.or(Some(i)),
            },
            other => other,
        }
    }
}

fn at(index: Option<usize>) -> String {
    index.map_or(String::new(), |i| format!(" at layers[{i}]"))
}

/// Where a value sits in the model's JSON: `layers[2].config.units`.
fn json_path(index: Option<usize>, key: &str) -> String {
    let layer = index.map_or(String::new(), |i| format!("layers[{i}]."));
    if key.is_empty() {
        format!("{layer}config")
    } else {
        format!("{layer}config.{key}")
    }
}

/// The class names the catalogue knows, for error messages.
fn supported() -> String {
    KINDS.iter().map(|k| k.class).collect::<Vec<_>>().join(", ")
}

/// Why a class is not read: a model nested in the one imported (a `Sequential` block called
/// like a layer), or a layer outside the catalogue, with the classes that are in it.
fn unknown_class(class: &str, index: Option<usize>) -> String {
    if matches!(class, "Sequential" | "Functional" | "Model") {
        return format!(
            "`{class}`{} is a model nested in this one: lstm-tui imports one model, not models nested in others; import the nested model on its own, or write its layers into this one",
            at(index)
        );
    }
    format!(
        "unknown layer class `{class}`{}; lstm-tui supports: {}",
        at(index),
        supported()
    )
}

/// Reads `model.to_json()` text into a design called as the model is: its own name, or
/// Keras' automatic one when the JSON has none, so its summary carries Keras' title.
pub fn design_from_keras_json(text: &str) -> Result<Design, ImportError> {
    // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(cut) => message[..cut].to_string(),
            None => message,
        };
        // serde_json counts the place before a line's first character as column 0, which
        // `Located` reads as column 1.
        ImportError::At(Located::at(e.line(), e.column(), message))
    })?;
    let class = root.get("class_name").and_then(Value::as_str).unwrap_or("");
    // tf.keras 2 before 2.4 calls a functional model "Model".
    if class == "Functional" || class == "Model" {
        return design_from_functional(&root);
    }
    if class != "Sequential" {
        let found = if class.is_empty() {
            "no class_name".to_string()
        } else {
            format!("class_name `{class}`")
        };
        return Err(ImportError::Structure(format!(
            "expected a Keras model's JSON (model.to_json()) with class_name \"Sequential\" or \"Functional\", found {found}; lstm-tui reads Sequential models and functional models (\"Functional\", or tf.keras 2's \"Model\")"
        )));
    }
    let config = root.get("config").unwrap_or(&Value::Null);
    // Keras 2.0 wrote the layer list as the config itself.
    let entries = match config {
        Value::Array(a) => a,
        _ => config
            .get("layers")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                ImportError::Structure("the model's config has no `layers` list".into())
            })?,
    };

    let mut input: Option<Input> = None;
    let mut layers = Vec::with_capacity(entries.len());
    let mut json_names = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let class = entry
            .get("class_name")
            .and_then(Value::as_str)
            .ok_or_else(|| ImportError::Structure(format!("layers[{i}] has no class_name")))?;
        let cfg = entry.get("config").unwrap_or(&Value::Null);
        if class == "InputLayer" {
            let shape = cfg
                .get("batch_shape")
                .or_else(|| cfg.get("batch_input_shape"))
                .ok_or_else(|| {
                    ImportError::config("InputLayer", "batch_shape", "is missing").at(i)
                })?;
            input = Some(Input {
                shape: batch_shape(shape, "InputLayer", "batch_shape").map_err(|e| e.at(i))?,
                dtype: dtype(cfg.get("dtype"), "InputLayer").map_err(|e| e.at(i))?,
            });
            continue;
        }
        if input.is_none() {
            if let Some(shape) = cfg.get("batch_input_shape").filter(|v| !v.is_null()) {
                let dtype = if KindEntry::named(class).is_some_and(|k| k.keras.token_ids) {
                    Dtype::Int32
                } else {
                    dtype(cfg.get("dtype"), class).map_err(|e| e.at(i))?
                };
                input = Some(Input {
                    shape: batch_shape(shape, class, "batch_input_shape").map_err(|e| e.at(i))?,
                    dtype,
                });
            }
        }
        let layer = layer_from_saved(class, cfg).map_err(|e| e.at(i))?;
        json_names.push(cfg.get("name").and_then(Value::as_str).map(str::to_string));
        layers.push(layer);
    }

    let input = match input {
        Some(i) => i,
        None => built_input(&root, &layers)?,
    };
    keep_only_given_names(&mut layers, &json_names);
    Ok(Design {
        version: VERSION,
        name: model_name(&root, "sequential"),
        input,
        layers,
        budget: Budget::default(),
        graph: Default::default(),
    })
}

/// The model's name in its JSON, or `automatic` (Keras' name for the first model of its class
/// in a session) when it has none, as Keras 2.0's JSON did not.
pub(crate) fn model_name(root: &Value, automatic: &str) -> String {
    root.pointer("/config/name")
        .and_then(Value::as_str)
        .unwrap_or(automatic)
        .to_string()
}

/// A model built with `model.build(shape)` records its input only as `build_input_shape`.
fn built_input(root: &Value, layers: &[Layer]) -> Result<Input, ImportError> {
    let shape = root
        .pointer("/config/build_input_shape")
        .or_else(|| root.pointer("/build_config/input_shape"))
        .filter(|v| !v.is_null())
        .ok_or_else(|| {
            ImportError::Structure(
                "the model has no input shape (no InputLayer, batch_input_shape or build_input_shape): build it with an Input(shape=...) before model.to_json()".into(),
            )
        })?;
    Ok(Input {
        shape: batch_shape(shape, "Sequential", "build_input_shape")?,
        dtype: implied_dtype(layers),
    })
}

/// Names equal to Keras' automatic ones are dropped, so the design renumbers as it is
/// edited; names that differ (a user's, or a later session's `lstm_7`) are kept.
pub(crate) fn keep_only_given_names(layers: &mut [Layer], json_names: &[Option<String>]) {
    let mut namer = Namer::default();
    for (layer, given) in layers.iter_mut().zip(json_names) {
        layer.kind_mut().set_name(None);
        if let Some(given) = given {
            if namer.preview(layer) != *given {
                layer.kind_mut().set_name(Some(given.clone()));
            }
        }
        namer.name(&layer.kind().naming());
    }
}

/// `[null, 100, 6]` → `(100, 6)`: the batch entry is dropped.
pub(crate) fn batch_shape(v: &Value, class: &str, key: &str) -> Result<Shape, ImportError> {
    let dims = v
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ImportError::config(class, key, "must be a list like [null, 100, 6]"))?;
    let mut shape = Vec::with_capacity(dims.len() - 1);
    for d in &dims[1..] {
        match d {
            Value::Null => shape.push(None),
            d => shape.push(Some(positive_int(d).ok_or_else(|| {
                ImportError::config(
                    class,
                    key,
                    format!("has {d}: sizes must be positive whole numbers or null"),
                )
            })?)),
        }
    }
    Ok(Shape(shape.into()))
}

/// The input's element type from a `dtype` entry: a name (`"int32"`), a `DTypePolicy` object
/// holding one, or nothing (float).
pub(crate) fn dtype(v: Option<&Value>, class: &str) -> Result<Dtype, ImportError> {
    let name = match v {
        None | Some(Value::Null) => "",
        Some(Value::String(s)) => s.as_str(),
        Some(v @ Value::Object(_)) => v
            .pointer("/config/name")
            .and_then(Value::as_str)
            .unwrap_or(""),
        Some(other) => {
            return Err(ImportError::config(
                class,
                "dtype",
                format!("expected a dtype such as \"float32\" or \"int32\"; got {other}"),
            ));
        }
    };
    Ok(if name.starts_with("int") || name.starts_with("uint") {
        Dtype::Int32
    } else {
        Dtype::Float32
    })
}

/// A whole number ≥ 1 (Keras writes some as `64.0`).
fn positive_int(v: &Value) -> Option<u64> {
    match v.as_u64() {
        Some(n) if n > 0 => Some(n),
        Some(_) => None,
        None => v
            .as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 1.0 && *f < 1.8e19)
            .map(|f| f as u64),
    }
}

/// Deepest nesting of wrappers (`TimeDistributed(Bidirectional(LSTM))` is 2) a design file
/// holds: deeper ones would not load back, as design files nest brackets at most 10 deep.
const MAX_WRAPPERS: usize = 4;

/// One layer from its Keras class name and `get_config()` dict, read as its constructor takes
/// them (Python code, the edit form). Keys Keras does not need may be missing; they take
/// Keras' defaults.
pub fn layer_from_keras(class: &str, config: &Value) -> Result<Layer, ImportError> {
    wrapped_layer(class, config, 0)
}

/// A layer of a saved model (`model.to_json()`), as Keras' `from_config` rebuilds it rather
/// than as its constructor takes it: an adapted Discretization's config holds the boundaries
/// adapt() learned beside the `num_bins` it was made with, and `from_config` keeps the
/// boundaries, which decide its bins.
pub fn layer_from_saved(class: &str, config: &Value) -> Result<Layer, ImportError> {
    let given = |key: &str| config.get(key).is_some_and(|v| !v.is_null());
    if class == "Discretization" && given("bin_boundaries") && given("num_bins") {
        let mut adapted = config.clone();
        if let Some(keys) = adapted.as_object_mut() {
            keys.remove("num_bins");
        }
        return layer_from_keras(class, &adapted);
    }
    layer_from_keras(class, config)
}

/// [`layer_from_keras`] for a layer inside `wrappers` wrappers.
fn wrapped_layer(class: &str, config: &Value, wrappers: usize) -> Result<Layer, ImportError> {
    let kind = KindEntry::named(class).ok_or_else(|| ImportError::UnknownClass {
        class: class.to_string(),
        index: None,
    })?;
    let canon = kind.class;
    let empty = Map::new();
    let cfg = match config {
        Value::Object(m) => m,
        Value::Null => &empty,
        _ => {
            return Err(ImportError::config(class, "", "must be a JSON object"));
        }
    };
    for key in kind.keras.required {
        if cfg.get(*key).is_none_or(Value::is_null) {
            return Err(ImportError::config(
                class,
                key,
                "is missing: Keras has no default for it",
            ));
        }
    }
    let mut ours = Map::new();
    for (key, value) in cfg {
        if let Some(v) = convert(kind, key, value)? {
            ours.insert(key.clone(), v);
        }
    }
    let inner = match cfg.get("layer") {
        Some(_) if WRAPPERS.contains(&canon) && wrappers >= MAX_WRAPPERS => {
            return Err(ImportError::config(
                class,
                "layer",
                format!(
                    "wraps layers more than {MAX_WRAPPERS} deep; lstm-tui holds at most {MAX_WRAPPERS} nested wrappers (Bidirectional, TimeDistributed, SpectralNormalization)"
                ),
            ));
        }
        Some(wrapped) if WRAPPERS.contains(&canon) => {
            let inner_class = wrapped
                .get("class_name")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    ImportError::config(class, "layer", "must hold the wrapped layer's class_name")
                })?;
            let mut layer = wrapped_layer(
                inner_class,
                wrapped.get("config").unwrap_or(&Value::Null),
                wrappers + 1,
            )
            .map_err(|e| nested_at(e, "layer"))?;
            // Keras names the wrapped copies itself (forward_lstm, ...).
            layer.kind_mut().set_name(None);
            Some(Box::new(layer))
        }
        _ => None,
    };
    // Keras' Discretization has no boundaries unless given (lstm-tui's picker starts from
    // some).
    if canon == "Discretization" {
        ours.entry("bin_boundaries").or_insert(Value::Null);
    }
    if canon == "RNN" {
        let cell = rnn_cell(cfg.get("cell").unwrap_or(&Value::Null), class, true)?;
        let cell = serde_json::to_value(cell)
            .map_err(|e| ImportError::config(class, "cell", e.to_string()))?;
        ours.insert("cell".into(), cell);
    }
    let tagged = json!({ canon: Value::Object(ours) });
    let mut layer: Layer = serde_json::from_value(tagged)
        .map_err(|e| ImportError::config(class, "", e.to_string()))?;
    if let (Some(inner), Some(slot)) = (inner, layer.kind_mut().inner_mut()) {
        *slot = *inner;
    }
    Ok(layer)
}

/// The classes whose `layer` entry holds the wrapped layer.
const WRAPPERS: &[&str] = &["Bidirectional", "TimeDistributed", "SpectralNormalization"];

/// An error inside a nested config, placed under `at` (`layer.config.units`).
fn nested_at(e: ImportError, at: &str) -> ImportError {
    match e {
        ImportError::Config {
            class,
            key,
            reason,
            index,
        } => ImportError::Config {
            class,
            key: if key.is_empty() {
                format!("{at}.config")
            } else {
                format!("{at}.config.{key}")
            },
            reason,
            index,
        },
        other => other,
    }
}

/// An `RNN`'s `cell`: `LSTMCell`, `GRUCell` or `SimpleRNNCell` (read with the keys of the
/// matching layer), or, where `stack` allows, a `StackedRNNCells` listing them in `cells`.
fn rnn_cell(v: &Value, class: &str, stack: bool) -> Result<RnnCell, ImportError> {
    // Keras' RNN also takes a list of cells, which it stacks.
    if let (Value::Array(cells), true) = (v, stack) {
        return cells
            .iter()
            .map(|c| rnn_cell(c, class, false))
            .collect::<Result<Vec<_>, _>>()
            .map(RnnCell::Stacked);
    }
    let cell_class = v.get("class_name").and_then(Value::as_str).ok_or_else(|| {
        ImportError::config(
            class,
            "cell",
            "must hold the cell's class_name (LSTMCell, GRUCell, SimpleRNNCell or StackedRNNCells)",
        )
    })?;
    let config = v.get("config").unwrap_or(&Value::Null);
    let layer_class = match cell_class {
        "LSTMCell" => "LSTM",
        "GRUCell" => "GRU",
        "SimpleRNNCell" => "SimpleRNN",
        "StackedRNNCells" if stack => {
            let cells = config
                .get("cells")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    ImportError::config(class, "cell.config.cells", "must list the stacked cells")
                })?;
            return cells
                .iter()
                .map(|c| rnn_cell(c, class, false))
                .collect::<Result<Vec<_>, _>>()
                .map(RnnCell::Stacked);
        }
        other => {
            return Err(ImportError::config(
                class,
                "cell.class_name",
                format!(
                    "is `{other}`: lstm-tui reads LSTMCell, GRUCell, SimpleRNNCell and (at the top) StackedRNNCells"
                ),
            ));
        }
    };
    let mut layer = wrapped_layer(layer_class, config, 0).map_err(|e| nested_at(e, "cell"))?;
    // Keras names cells itself (lstm_cell, ...); the RNN layer's flags are its own.
    layer.kind_mut().set_name(None);
    match layer {
        Layer::Lstm(l) => Ok(RnnCell::Lstm(l)),
        Layer::Gru(l) => Ok(RnnCell::Gru(l)),
        Layer::SimpleRnn(l) => Ok(RnnCell::SimpleRnn(l)),
        _ => Err(ImportError::config(
            class,
            "cell",
            "is not a recurrent cell",
        )),
    }
}

/// Keys whose values are per-axis sizes.
const SIZES: &[&str] = &["kernel_size", "strides", "dilation_rate", "pool_size"];
/// Keys that must be whole numbers ≥ 1.
const COUNTS: &[&str] = &[
    "units",
    "filters",
    "input_dim",
    "output_dim",
    "n",
    "groups",
    "depth_multiplier",
    "num_heads",
    "key_dim",
    "head_dim",
    "num_query_heads",
    "num_key_value_heads",
];

/// One config entry in the design's spelling, or `None` to leave it out.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per config key: the match is the table of accepted Keras spellings"
)]
fn convert(kind: &KindEntry, key: &str, v: &Value) -> Result<Option<Value>, ImportError> {
    let class = kind.class;
    if key == "layer" || key == "backward_layer" || key == "dtype" {
        return Ok(None);
    }
    if let Some(read) = convert_new_kinds(class, key, v) {
        return read;
    }
    if let Some(read) = convert_augment_kinds(class, key, v) {
        return read;
    }
    if let Some(read) = convert_image_kinds(class, key, v) {
        return read;
    }
    if let Some(read) = convert_audio_kinds(class, key, v) {
        return read;
    }
    if key.ends_with("_regularizer") {
        return regularizer(v).map_err(|(at, why)| {
            let key = if at.is_empty() {
                key.to_string()
            } else {
                format!("{key}.{at}")
            };
            ImportError::config(class, &key, why)
        });
    }
    if COUNTS.contains(&key) {
        let n = positive_int(v).ok_or_else(|| {
            ImportError::config(class, key, format!("must be a whole number ≥ 1, got {v}"))
        })?;
        return Ok(Some(json!(n)));
    }
    if key == "cropping" || (key == "padding" && class.starts_with("ZeroPadding")) {
        return edges(kind.keras.rank.max(1), v)
            .map(Some)
            .map_err(|why| ImportError::config(class, key, why));
    }
    // UpSampling's factors and adaptive pooling's lengths read like any per-axis size.
    if SIZES.contains(&key) || matches!(key, "size" | "output_size" | "output_padding") {
        if v.is_null() {
            return Ok(None);
        }
        // A kind without spatial axes has no size keys to read: a stray one is taken as one
        // size and then ignored.
        let rank = kind.keras.rank.max(1);
        let list: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            one => vec![one; rank],
        };
        if list.len() != rank {
            return Err(ImportError::config(
                class,
                key,
                format!("needs {rank} size(s), got {v}"),
            ));
        }
        let mut sizes = Vec::with_capacity(list.len());
        for x in list {
            // Keras' output_padding takes 0: no extra row on that axis.
            let size = match (key, x.as_u64()) {
                ("output_padding", Some(0)) => Some(0),
                _ => positive_int(x),
            };
            let least = if key == "output_padding" { 0 } else { 1 };
            sizes.push(size.ok_or_else(|| {
                ImportError::config(
                    class,
                    key,
                    format!("sizes must be whole numbers ≥ {least}, got {v}"),
                )
            })?);
        }
        return Ok(Some(if sizes.len() == 1 {
            json!(sizes[0])
        } else {
            json!(sizes)
        }));
    }
    let wrong = |expected: &str| Err(not_as_expected(class, key, v, expected));
    Ok(match (key, v) {
        ("name", Value::String(_)) | ("trainable", Value::Bool(_)) => Some(v.clone()),
        ("name", Value::Null) => None,
        ("name", _) => return wrong("the layer's name as a string"),
        ("trainable", _) => return wrong("true or false"),
        ("activation" | "recurrent_activation", Value::String(s)) => Some(json!(s)),
        ("activation" | "recurrent_activation", Value::Null) => Some(json!("linear")),
        ("activation" | "recurrent_activation", Value::Object(o)) => Some(json!(
            o.get("class_name")
                .and_then(Value::as_str)
                .unwrap_or("custom")
                .to_lowercase()
        )),
        ("activation" | "recurrent_activation", _) => {
            return wrong("an activation name such as \"relu\"");
        }
        ("padding", Value::String(s)) => {
            let p = s.to_lowercase();
            if !matches!(p.as_str(), "valid" | "same" | "causal") {
                return Err(ImportError::config(
                    class,
                    key,
                    format!("is \"{s}\": Keras pads \"valid\", \"same\" or (Conv1D) \"causal\""),
                ));
            }
            Some(json!(p))
        }
        ("padding", _) => return wrong("\"valid\", \"same\" or \"causal\""),
        ("interpolation", Value::String(s)) => {
            let i = s.to_lowercase();
            if !matches!(
                i.as_str(),
                "nearest" | "bilinear" | "bicubic" | "lanczos3" | "lanczos5"
            ) {
                return Err(ImportError::config(
                    class,
                    key,
                    format!(
                        "is \"{s}\": Keras (JAX backend) resizes with \"nearest\", \"bilinear\", \"bicubic\", \"lanczos3\" or \"lanczos5\""
                    ),
                ));
            }
            Some(json!(i))
        }
        ("interpolation", _) => return wrong("an interpolation such as \"nearest\""),
        ("data_format", Value::Null) => None,
        // It moves the channel axis, so it changes shapes and what the next layer counts.
        ("data_format", Value::String(s)) => {
            let f = s.to_lowercase();
            if !matches!(f.as_str(), "channels_last" | "channels_first") {
                return Err(ImportError::config(
                    class,
                    key,
                    format!("is \"{s}\": Keras knows \"channels_last\" and \"channels_first\""),
                ));
            }
            Some(json!(f))
        }
        ("data_format", _) => return wrong("\"channels_last\" or \"channels_first\""),
        ("axis", a) if class == "BatchNormalization" => match a {
            Value::Array(x) if x.len() == 1 && x[0].is_number() => Some(x[0].clone()),
            Value::Array(_) => {
                return Err(ImportError::config(
                    class,
                    key,
                    "lstm-tui reads one BatchNormalization axis",
                ));
            }
            Value::Number(_) => Some(a.clone()),
            _ => return wrong("an axis such as -1"),
        },
        ("axis", a) if class == "LayerNormalization" => match a {
            Value::Array(x) if x.iter().all(Value::is_number) => Some(a.clone()),
            Value::Number(_) => Some(json!([a])),
            _ => return wrong("an axis such as -1, or a list of them"),
        },
        ("scale" | "offset", Value::Number(_)) if class == "Rescaling" => Some(v.clone()),
        ("scale" | "offset", _) if class == "Rescaling" => {
            return wrong("a number such as 0.00392 (lstm-tui reads one scale for all channels)");
        }
        ("axis", Value::Number(_)) if class == "Softmax" => Some(json!([v])),
        ("axis", Value::Array(x)) if class == "Softmax" && x.iter().all(Value::is_i64) => {
            Some(v.clone())
        }
        ("axis", _) if class == "Softmax" => return wrong("an axis such as -1, or a list of them"),
        ("value_dim" | "sliding_window", Value::Null) => None,
        ("value_dim" | "sliding_window", _) => match positive_int(v) {
            Some(n) => Some(json!(n)),
            None => return wrong("null or a whole number ≥ 1"),
        },
        ("output_shape" | "attention_axes", Value::Null) => None,
        ("output_shape", Value::Array(x)) if x.is_empty() => None,
        ("output_shape", Value::Array(x)) if x.iter().all(|d| positive_int(d).is_some()) => {
            Some(json!(x.iter().filter_map(positive_int).collect::<Vec<_>>()))
        }
        ("output_shape", d) if positive_int(d).is_some() => Some(json!([positive_int(d)])),
        ("output_shape", _) => return wrong("null, a size such as 64, or a list of sizes"),
        ("attention_axes", Value::Number(_)) if v.is_i64() => Some(json!([v])),
        ("attention_axes", Value::Array(x)) if x.iter().all(Value::is_i64) => Some(v.clone()),
        ("attention_axes", _) => return wrong("null, an axis such as 1, or a list of them"),
        ("score_mode", Value::String(s)) if matches!(s.as_str(), "dot" | "concat") => {
            Some(v.clone())
        }
        ("score_mode", _) => return wrong("\"dot\" or \"concat\""),
        ("use_gate" | "use_scale", Value::Bool(_)) => Some(v.clone()),
        ("use_gate" | "use_scale", _) => return wrong("true or false"),
        ("axis", Value::Number(n)) if class == "Concatenate" && n.is_i64() => Some(v.clone()),
        ("axis", _) if class == "Concatenate" => return wrong("an axis such as -1"),
        ("axes", Value::Number(n)) if class == "Dot" && n.is_i64() => Some(json!([v])),
        ("axes", Value::Array(x))
            if class == "Dot" && matches!(x.len(), 1 | 2) && x.iter().all(Value::is_i64) =>
        {
            Some(v.clone())
        }
        ("axes", _) if class == "Dot" => {
            return wrong("an axis such as 1, or one per input such as [2, 2]");
        }
        ("normalize", Value::Bool(_)) if class == "Dot" => Some(v.clone()),
        ("normalize", _) if class == "Dot" => return wrong("true or false"),
        ("shared_axes", Value::Null) => None,
        ("shared_axes", Value::Number(_)) => Some(json!([v])),
        ("shared_axes", Value::Array(x)) if x.iter().all(Value::is_u64) => Some(v.clone()),
        ("shared_axes", _) => return wrong("null, an axis such as 1, or a list of them"),
        ("dims", Value::Array(x)) if x.iter().all(Value::is_u64) => Some(v.clone()),
        ("dims", _) => return wrong("a list of axes such as [2, 1]"),
        ("max_value", Value::Null) => None,
        (
            "max_value" | "negative_slope" | "threshold" | "alpha" | "stddev" | "l1" | "l2"
            | "mask_value",
            Value::Number(_),
        ) => Some(v.clone()),
        (
            "max_value" | "negative_slope" | "threshold" | "alpha" | "stddev" | "l1" | "l2"
            | "mask_value",
            _,
        ) => return wrong("a number"),
        ("rate" | "dropout" | "recurrent_dropout" | "momentum" | "epsilon", Value::Number(_)) => {
            Some(v.clone())
        }
        ("rate" | "dropout" | "recurrent_dropout" | "momentum" | "epsilon", _) => {
            return wrong("a number such as 0.5");
        }
        (
            "use_bias" | "return_sequences" | "return_state" | "go_backwards" | "reset_after"
            | "unit_forget_bias" | "mask_zero" | "keepdims" | "center" | "scale" | "rms_scaling",
            Value::Bool(_),
        ) => Some(v.clone()),
        (
            "use_bias" | "return_sequences" | "go_backwards" | "reset_after" | "unit_forget_bias"
            | "mask_zero" | "keepdims" | "center" | "scale" | "rms_scaling",
            _,
        ) => return wrong("true or false"),
        ("merge_mode", Value::Null | Value::String(_)) => Some(v.clone()),
        ("merge_mode", _) => return wrong("\"concat\", \"sum\", \"ave\", \"mul\" or null"),
        ("target_shape", Value::Array(_)) => Some(v.clone()),
        ("target_shape", _) => {
            return Err(ImportError::config(class, key, "must be a list of sizes"));
        }
        // Everything else (initializers, constraints, seeds, ...) changes no count.
        _ => None,
    })
}

/// Keras' padding or cropping amounts in their long form, `(start, end)` per spatial axis: one
/// number is the same at every end, and with two axes or more a list of numbers gives one
/// amount per axis, as Keras' constructors read them.
fn edges(rank: usize, v: &Value) -> Result<Value, String> {
    let amount = |x: &Value| {
        x.as_u64()
            .ok_or_else(|| format!("amounts must be whole numbers ≥ 0, got {v}"))
    };
    let pair = |x: &Value| -> Result<[u64; 2], String> {
        match x {
            Value::Array(a) if a.len() == 2 => Ok([amount(&a[0])?, amount(&a[1])?]),
            Value::Array(_) => Err(format!(
                "needs (start, end) or one number per axis, got {v}"
            )),
            n => amount(n).map(|n| [n, n]),
        }
    };
    if rank == 1 {
        return pair(v).map(|p| json!(p));
    }
    let pairs = match v {
        Value::Array(a) if a.len() == rank => a.iter().map(pair).collect::<Result<Vec<_>, _>>()?,
        Value::Array(_) => {
            return Err(format!(
                "needs {rank} entries, one per spatial axis, got {v}"
            ));
        }
        n => vec![pair(n)?; rank],
    };
    Ok(json!(pairs))
}

/// Keras' regularizer (`{"class_name": "L2", "config": {"l2": 0.01}}`, `{"l2": 0.01}` or
/// `"l2"`) in the design's spelling; unknown or custom classes are dropped, since they never
/// change a count. A value of the wrong type or a factor Keras refuses is an error: the path
/// inside the regularizer (`config.l2`) and why.
fn regularizer(v: &Value) -> Result<Option<Value>, (String, String)> {
    let (class, cfg, prefix) = match v {
        Value::Null => return Ok(None),
        Value::String(s) => (s.to_lowercase(), Value::Null, ""),
        Value::Object(m) => match m.get("class_name") {
            Some(Value::String(c)) => (
                c.to_lowercase(),
                m.get("config").cloned().unwrap_or_default(),
                "config.",
            ),
            Some(other) => {
                return Err((
                    "class_name".into(),
                    format!("expected a regularizer class such as \"L2\"; got {other}"),
                ));
            }
            None => {
                let class = match (m.contains_key("l1"), m.contains_key("l2")) {
                    (true, true) => "l1l2",
                    (true, false) => "l1",
                    (false, true) => "l2",
                    _ => return Ok(None),
                };
                (class.to_string(), v.clone(), "")
            }
        },
        other => {
            return Err((
                String::new(),
                format!(
                    "expected a regularizer such as {{\"class_name\": \"L2\", \"config\": {{\"l2\": 0.01}}}}, \"l2\" or null; got {other}"
                ),
            ));
        }
    };
    let factor = |k: &str, default: f64| -> Result<f64, (String, String)> {
        let at = || format!("{prefix}{k}");
        let x = match cfg.get(k) {
            None | Some(Value::Null) => default,
            Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
            Some(other) => {
                return Err((at(), format!("expected a number such as 0.01; got {other}")));
            }
        };
        checked_factor(k, x).map_err(|why| (at(), why))
    };
    Ok(match class.as_str() {
        "l2" => Some(json!({ "L2": factor("l2", 0.01)? })),
        "l1" => Some(json!({ "L1": factor("l1", 0.01)? })),
        "l1l2" | "l1_l2" => Some(json!({ "L1L2": {
            "l1": factor("l1", 0.0)?,
            "l2": factor("l2", 0.0)?,
        }})),
        _ => None,
    })
}

/// The design as `model.to_json()` writes it in Keras 3: a Sequential model whose first layer
/// is the `InputLayer`.
pub fn keras_json(design: &Design) -> Value {
    let names = crate::model::layer_names(&design.layers);
    let mut layers = Vec::with_capacity(design.layers.len() + 1);
    let mut batch_shape = vec![Value::Null];
    batch_shape.extend(design.input.shape.0.iter().map(|d| json!(d)));
    layers.push(json!({
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {
            "batch_shape": batch_shape,
            "dtype": match design.input.dtype {
                Dtype::Float32 => "float32",
                Dtype::Int32 => "int32",
            },
            "sparse": false,
            "ragged": false,
            "name": "input_layer",
        },
        "registered_name": null,
    }));
    for (layer, name) in design.layers.iter().zip(&names) {
        layers.push(layer_json(layer, name));
    }
    json!({
        "module": "keras",
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "trainable": true,
            "layers": layers,
        },
        "registered_name": null,
    })
}

/// One layer as Keras serializes it.
pub(crate) fn layer_json(layer: &Layer, name: &str) -> Value {
    let kind = layer.kind();
    let mut cfg = match serde_json::to_value(layer) {
        Ok(Value::Object(tagged)) => match tagged.into_iter().next() {
            Some((_, Value::Object(fields))) => fields,
            _ => Map::new(),
        },
        _ => Map::new(),
    };
    for (key, value) in cfg.iter_mut() {
        if key.ends_with("_regularizer") {
            *value = keras_regularizer(value);
        } else if (SIZES.contains(&key.as_str()) || key == "output_padding")
            && value.is_u64()
            && kind.keras().rank == 1
        {
            // A 1-D layer's one size is a list of one in Keras' config; a kernel size that is
            // not per spatial axis (RandomGaussianBlur's) stays a number.
            *value = json!([value.clone()]);
        }
    }
    // The design keeps Dot's one axis for both inputs as a list of one; Keras takes that as
    // a number and refuses a list of one.
    if let (Layer::Dot(_), Some(Value::Array(one))) = (layer, cfg.get("axes").cloned())
        && one.len() == 1
    {
        cfg.insert("axes".into(), one[0].clone());
    }
    if let (Some(pool), false) = (cfg.get("pool_size").cloned(), cfg.contains_key("strides")) {
        cfg.insert("strides".into(), pool);
    }
    if let Some(inner) = kind.inner() {
        let inner_name = match layer {
            Layer::Bidirectional(_) => format!("forward_{}", inner.kind().auto_name()),
            _ => inner.kind().auto_name().to_string(),
        };
        cfg.insert("layer".into(), layer_json(inner, &inner_name));
    }
    if let Layer::Rnn(r) = layer {
        cfg.insert("cell".into(), cell_json(&r.cell));
    }
    cfg.insert("name".into(), json!(name));
    // Keras' SpatialDropout1D has no `trainable` argument: its JSON must not carry one.
    if !kind.keras().trainable_arg {
        cfg.remove("trainable");
    } else {
        cfg.insert("trainable".into(), json!(kind.trainable()));
    }
    json!({
        "module": "keras.layers",
        "class_name": kind.class(),
        "config": cfg,
        "registered_name": null,
    })
}

/// `{"L2": 0.01}` → Keras' serialized regularizer.
fn keras_regularizer(v: &Value) -> Value {
    let Some((class, arg)) = v.as_object().and_then(|m| m.iter().next()) else {
        return Value::Null;
    };
    let config = match class.as_str() {
        "L1" => json!({ "l1": arg }),
        "L2" => json!({ "l2": arg }),
        _ => arg.clone(),
    };
    json!({
        "module": "keras.regularizers",
        "class_name": class,
        "config": config,
        "registered_name": null,
    })
}

/// A config entry that is not what Keras takes there.
fn not_as_expected(class: &str, key: &str, v: &Value, expected: &str) -> ImportError {
    ImportError::config(class, key, format!("expected {expected}; got {v}"))
}

/// Config entries of the normalization, encoding, einsum, embedding and cell kinds whose
/// spelling the shared table below does not cover; `None` leaves the entry to that table.
fn convert_new_kinds(
    class: &str,
    key: &str,
    v: &Value,
) -> Option<Result<Option<Value>, ImportError>> {
    let wrong = |expected: &str| Some(Err(not_as_expected(class, key, v, expected)));
    let numbers = |a: &Vec<Value>| a.iter().all(Value::is_number);
    Some(Ok(Some(match (class, key, v) {
        // -1 puts every channel in a group of its own.
        ("GroupNormalization", "groups", Value::Number(n)) if n.as_i64() == Some(-1) => v.clone(),
        ("GroupNormalization", "axis", Value::Array(a)) if a.len() == 1 && a[0].is_number() => {
            a[0].clone()
        }
        ("GroupNormalization", "axis", Value::Number(_)) => v.clone(),
        ("GroupNormalization", "axis", _) => return wrong("one axis such as -1"),
        ("RMSNormalization" | "UnitNormalization" | "Normalization", "axis", Value::Number(_)) => {
            json!([v])
        }
        ("RMSNormalization" | "UnitNormalization" | "Normalization", "axis", Value::Array(a))
            if numbers(a) =>
        {
            v.clone()
        }
        ("Normalization", "axis", Value::Null) => json!([]),
        ("RMSNormalization" | "UnitNormalization" | "Normalization", "axis", _) => {
            return wrong("an axis such as -1, or a list of them");
        }
        ("Normalization", "mean" | "variance", Value::Number(_) | Value::Null) => v.clone(),
        ("Normalization", "mean" | "variance", Value::Array(a)) if numbers(a) => v.clone(),
        ("Normalization", "mean" | "variance", _) => {
            return wrong("a number or a flat list of numbers (lstm-tui reads no nested lists)");
        }
        ("CategoryEncoding", "num_tokens", _) => match positive_int(v) {
            Some(n) => json!(n),
            None => return wrong("a whole number ≥ 1 (num_tokens must be set)"),
        },
        ("CategoryEncoding", "output_mode", Value::String(m)) => match m.as_str() {
            "multi_hot" | "binary" => json!("multi_hot"),
            "one_hot" | "count" => v.clone(),
            _ => return wrong("\"one_hot\", \"multi_hot\" or \"count\""),
        },
        ("CategoryEncoding", "output_mode", _) => {
            return wrong("\"one_hot\", \"multi_hot\" or \"count\"");
        }
        ("Discretization", "bin_boundaries" | "num_bins", Value::Null) => Value::Null,
        ("Discretization", "bin_boundaries", Value::Array(a)) if numbers(a) => v.clone(),
        ("Discretization", "bin_boundaries", _) => {
            return wrong("a flat list of numbers such as [0.0, 1.0], or null");
        }
        ("Discretization", "num_bins", Value::Number(n)) if n.is_u64() => v.clone(),
        ("Discretization", "num_bins", _) => return wrong("a whole number ≥ 0, or null"),
        ("Discretization", "output_mode", Value::String(m))
            if matches!(m.as_str(), "int" | "one_hot" | "multi_hot" | "count") =>
        {
            v.clone()
        }
        ("Discretization", "output_mode", _) => {
            return wrong("\"int\", \"one_hot\", \"multi_hot\" or \"count\"");
        }
        ("EinsumDense", "equation", Value::String(_)) => v.clone(),
        ("EinsumDense", "equation", _) => return wrong("an equation such as \"abc,cd->abd\""),
        ("EinsumDense", "output_shape", Value::Array(a))
            if a.iter().all(|d| d.is_null() || positive_int(d).is_some()) =>
        {
            json!(a.iter().map(positive_int).collect::<Vec<_>>())
        }
        ("EinsumDense", "output_shape", d) if positive_int(d).is_some() => {
            json!([positive_int(d)])
        }
        ("EinsumDense", "output_shape", _) => {
            return wrong("a size or a list of sizes (null for an open one)");
        }
        ("EinsumDense", "bias_axes", Value::String(_) | Value::Null) => v.clone(),
        ("EinsumDense", "bias_axes", _) => return wrong("output letters such as \"d\", or null"),
        ("ReversibleEmbedding", "logit_soft_cap", Value::Number(_) | Value::Null) => v.clone(),
        ("ReversibleEmbedding", "logit_soft_cap", _) => return wrong("a number or null"),
        ("SpectralNormalization", "power_iterations", _) => match positive_int(v) {
            Some(n) => json!(n),
            None => return wrong("a whole number ≥ 1"),
        },
        (_, "invert" | "tie_weights" | "stateful" | "unroll", Value::Bool(_)) => v.clone(),
        (_, "invert" | "tie_weights" | "stateful" | "unroll", _) => return wrong("true or false"),
        _ => return None,
    })))
}

/// The keys only Keras 3's warps, pixel changes and augmentation policies have, read as
/// [`convert_new_kinds`] reads its kinds'; `None` for any other key.
fn convert_augment_kinds(
    class: &str,
    key: &str,
    v: &Value,
) -> Option<Result<Option<Value>, ImportError>> {
    let wrong = |expected: &str| Some(Err(not_as_expected(class, key, v, expected)));
    let factor = matches!(v, Value::Number(_))
        || matches!(v, Value::Array(a) if a.len() == 2 && a.iter().all(Value::is_number));
    let factors: &[&str] = match class {
        "RandomShear" => &["x_factor", "y_factor"],
        "Solarization" => &["addition_factor", "threshold_factor"],
        "RandomGaussianBlur" => &["sigma"],
        "RandomElasticTransform" | "RandomErasing" => &["scale"],
        "RandomColorJitter" => &[
            "brightness_factor",
            "contrast_factor",
            "saturation_factor",
            "hue_factor",
        ],
        _ => &[],
    };
    Some(Ok(match (class, key, v) {
        // None leaves a jitter's change out, and fills an erased rectangle with noise.
        ("RandomColorJitter", _, Value::Null) if factors.contains(&key) => None,
        ("RandomErasing", "fill_value", Value::Null) => None,
        _ if factors.contains(&key) && factor => Some(v.clone()),
        _ if factors.contains(&key) => return wrong("a number or a (lower, upper) pair"),
        ("RandomPerspective", "scale", Value::Number(_)) => Some(v.clone()),
        ("RandomPerspective", "scale", _) => return wrong("a number from 0 to 1"),
        ("RandomGaussianBlur", "kernel_size", Value::Array(a)) if a.len() == 2 => {
            match (positive_int(&a[0]), positive_int(&a[1])) {
                (Some(r), Some(c)) => Some(json!([r, c])),
                _ => return wrong("an odd whole number, or a pair of them"),
            }
        }
        ("RandomGaussianBlur", "kernel_size", _) => match positive_int(v) {
            Some(k) => Some(json!(k)),
            None => return wrong("an odd whole number, or a pair of them"),
        },
        ("RandAugment" | "AugMix", "num_ops" | "num_chains" | "chain_depth", _) => {
            match v.as_u64().filter(|n| u32::try_from(*n).is_ok()) {
                Some(n) => Some(json!(n)),
                None => return wrong("a whole number"),
            }
        }
        ("AugMix", "all_ops", Value::Bool(_)) => Some(v.clone()),
        ("AugMix", "all_ops", _) => return wrong("true or false"),
        _ => return None,
    }))
}

/// The keys of the image preprocessing and augmentation kinds, read as
/// [`convert_new_kinds`] reads its kinds'; `None` for any other key.
fn convert_image_kinds(
    class: &str,
    key: &str,
    v: &Value,
) -> Option<Result<Option<Value>, ImportError>> {
    let wrong = |expected: &str| Some(Err(not_as_expected(class, key, v, expected)));
    let pair = |a: &Vec<Value>| a.len() == 2 && a.iter().all(Value::is_number);
    // The augmentations whose factors and value range read alike.
    let random = (class.starts_with("Random") && class != "RandomCrop")
        || matches!(
            class,
            "CutMix" | "Solarization" | "RandAugment" | "AugMix" | "AutoContrast"
        );
    Some(Ok(match (class, key, v) {
        // A probability, which Keras compares with 0 and 1 as one number.
        ("RandomGrayscale", "factor", Value::Number(_)) => Some(v.clone()),
        ("RandomGrayscale", "factor", _) => return wrong("a number from 0 to 1"),
        ("RandomFlip", "mode", Value::String(m))
            if matches!(
                m.as_str(),
                "horizontal" | "vertical" | "horizontal_and_vertical"
            ) =>
        {
            Some(v.clone())
        }
        ("RandomFlip", "mode", _) => {
            return wrong("\"horizontal\", \"vertical\" or \"horizontal_and_vertical\"");
        }
        ("RandomZoom", "width_factor", Value::Null) => None,
        (_, "factor" | "height_factor" | "width_factor", Value::Number(_)) if random => {
            Some(v.clone())
        }
        (_, "factor" | "height_factor" | "width_factor", Value::Array(a)) if random && pair(a) => {
            Some(v.clone())
        }
        (_, "factor" | "height_factor" | "width_factor", _) if random => {
            return wrong("a number or a (lower, upper) pair");
        }
        (_, "value_range", Value::Array(a)) if random && pair(a) => Some(v.clone()),
        (_, "value_range", _) if random => return wrong("a (low, high) pair such as (0, 255)"),
        (_, "fill_mode", Value::String(m))
            if (random || class == "Resizing")
                && matches!(
                    m.as_str(),
                    "reflect" | "wrap" | "constant" | "nearest" | "mirror"
                ) =>
        {
            Some(v.clone())
        }
        (_, "fill_mode", _) if random || class == "Resizing" => {
            return wrong("\"reflect\", \"wrap\", \"constant\", \"nearest\" or \"mirror\"");
        }
        (_, "fill_value", Value::Number(_)) if random || class == "Resizing" => Some(v.clone()),
        (_, "fill_value", _) if random || class == "Resizing" => return wrong("a number"),
        ("Resizing" | "CenterCrop" | "RandomCrop", "height" | "width", _) => {
            match positive_int(v) {
                Some(n) => Some(json!(n)),
                None => return wrong("a whole number ≥ 1"),
            }
        }
        (
            "Resizing",
            "crop_to_aspect_ratio" | "pad_to_aspect_ratio" | "antialias",
            Value::Bool(_),
        ) => Some(v.clone()),
        ("Resizing", "crop_to_aspect_ratio" | "pad_to_aspect_ratio" | "antialias", _) => {
            return wrong("true or false");
        }
        _ => return None,
    }))
}

/// The keys of the spectrogram kinds, or `None` for another kind's key. A `null` window or
/// scaling is kept: it means none, where leaving the key out would mean Keras' default.
fn convert_audio_kinds(
    class: &str,
    key: &str,
    v: &Value,
) -> Option<Result<Option<Value>, ImportError>> {
    let wrong = |expected: &str| Some(Err(not_as_expected(class, key, v, expected)));
    let count = |v: &Value| match positive_int(v) {
        Some(n) => Some(Ok(Some(json!(n)))),
        None => wrong("a whole number ≥ 1"),
    };
    match (class, key, v) {
        ("STFTSpectrogram", "mode", Value::String(m))
            if ["log", "magnitude", "psd", "real", "imag", "angle", "stft"]
                .contains(&m.as_str()) =>
        {
            Some(Ok(Some(v.clone())))
        }
        ("STFTSpectrogram", "mode", _) => {
            wrong("\"log\", \"magnitude\", \"psd\", \"real\", \"imag\", \"angle\" or \"stft\"")
        }
        ("STFTSpectrogram", "frame_step" | "fft_length", Value::Null)
        | ("MelSpectrogram", "sequence_length" | "max_freq", Value::Null) => Some(Ok(None)),
        ("STFTSpectrogram", "frame_length" | "frame_step" | "fft_length", _)
        | ("MelSpectrogram", "fft_length" | "sequence_stride" | "sequence_length", _)
        | ("MelSpectrogram", "num_mel_bins", _) => count(v),
        ("STFTSpectrogram", "window", Value::Array(a)) if a.iter().all(Value::is_number) => {
            Some(Ok(Some(v.clone())))
        }
        ("STFTSpectrogram" | "MelSpectrogram", "window", Value::String(_) | Value::Null) => {
            Some(Ok(Some(v.clone())))
        }
        ("STFTSpectrogram", "window", _) => {
            wrong("a window name such as \"hann\", a list of values, or null")
        }
        ("MelSpectrogram", "window", _) => wrong("\"hann\", \"hamming\" or null"),
        ("STFTSpectrogram", "scaling", Value::Null) => Some(Ok(Some(Value::Null))),
        ("STFTSpectrogram", "scaling", Value::String(s))
            if matches!(s.as_str(), "density" | "spectrum") =>
        {
            Some(Ok(Some(v.clone())))
        }
        ("STFTSpectrogram", "scaling", _) => wrong("\"density\", \"spectrum\" or null"),
        ("STFTSpectrogram", "periodic" | "expand_dims", Value::Bool(_))
        | ("MelSpectrogram", "power_to_db", Value::Bool(_)) => Some(Ok(Some(v.clone()))),
        ("STFTSpectrogram", "periodic" | "expand_dims", _)
        | ("MelSpectrogram", "power_to_db", _) => wrong("true or false"),
        (
            "MelSpectrogram",
            "sampling_rate" | "min_freq" | "max_freq" | "top_db" | "mag_exp" | "min_power"
            | "ref_power",
            Value::Number(_),
        ) => Some(Ok(Some(v.clone()))),
        (
            "MelSpectrogram",
            "sampling_rate" | "min_freq" | "max_freq" | "top_db" | "mag_exp" | "min_power"
            | "ref_power",
            _,
        ) => wrong("a number"),
        _ => None,
    }
}

/// An `RNN`'s cell as Keras serializes it: the matching layer's config under the cell's
/// class, without the layer-only flags, which the RNN carries.
fn cell_json(cell: &RnnCell) -> Value {
    let one = |layer: Layer, class: &str, name: &str| {
        let mut v = layer_json(&layer, name);
        v["class_name"] = json!(class);
        if let Some(cfg) = v["config"].as_object_mut() {
            for key in ["return_sequences", "return_state", "go_backwards"] {
                cfg.remove(key);
            }
        }
        v
    };
    match cell {
        RnnCell::Lstm(l) => one(Layer::Lstm(l.clone()), "LSTMCell", "lstm_cell"),
        RnnCell::Gru(l) => one(Layer::Gru(l.clone()), "GRUCell", "gru_cell"),
        RnnCell::SimpleRnn(l) => one(
            Layer::SimpleRnn(l.clone()),
            "SimpleRNNCell",
            "simple_rnn_cell",
        ),
        RnnCell::Stacked(cells) => json!({
            "module": "keras.layers",
            "class_name": "StackedRNNCells",
            "config": {"cells": cells.iter().map(cell_json).collect::<Vec<_>>()},
            "registered_name": null,
        }),
    }
}
