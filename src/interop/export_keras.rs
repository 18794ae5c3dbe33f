//! A design as runnable Keras 3 code: `keras.Input` first, a `Sequential`, every field that
//! differs from Keras' default written out, and a header saying what `model.summary()` prints.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value as Json};

use crate::caps::{must_escape, visible};
use crate::interop::python::implied_dtype;
use crate::model::layers::RnnCell;
use crate::model::{Convention, Design, Dtype, Layer, Summary};
use crate::report::numbers::thousands;

/// Python source that builds `design` in Keras 3 and prints its summary.
pub fn keras_code(design: &Design) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Keras 3 code for the lstm-tui design {}.\n",
        python_str(&design.name)
    ));
    out.push_str(&expected_counts(design));
    out.push_str("import keras\nfrom keras import layers\n\n");
    out.push_str("model = keras.Sequential(\n    [\n");
    out.push_str(&format!("        {},\n", input_call(design)));
    for layer in &design.layers {
        out.push_str(&format!("        {},\n", layer_call(layer)));
    }
    out.push_str("    ],\n");
    if is_model_name(&design.name) {
        out.push_str(&format!("    name={},\n", python_str(&design.name)));
    }
    out.push_str(")\nmodel.summary()\n");
    out
}

/// The header comment: the counts Keras will print, or why it will refuse the model.
pub(crate) fn expected_counts(design: &Design) -> String {
    let summary = Summary::of(design, Convention::Keras);
    if let Some(err) = &summary.error {
        return format!(
            "# This design does not build: layer {} ({} {}): {}. Keras will refuse it too.\n",
            err.index + 1,
            visible(&err.name),
            err.class,
            visible(&err.error.to_string())
        );
    }
    let t = summary.totals;
    format!(
        "# model.summary() should report (Keras counts):\n#   Total params: {}\n#   Trainable params: {}\n#   Non-trainable params: {}\n",
        t.total()
            .map_or_else(|_| "too many to count".into(), thousands),
        thousands(t.trainable),
        thousands(t.non_trainable)
    )
}

fn input_call(design: &Design) -> String {
    let mut call = format!("keras.Input(shape={}", design.input.shape.python());
    // Keras' Input defaults to float32: int32 is written even when an Embedding implies it,
    // so the exported model takes the same tensors as the design, and float32 is written
    // where an import would otherwise imply int32.
    if design.input.dtype != Dtype::Float32 || implied_dtype(&design.layers) != Dtype::Float32 {
        let dtype = match design.input.dtype {
            Dtype::Float32 => "float32",
            Dtype::Int32 => "int32",
        };
        call.push_str(&format!(", dtype={}", python_str(dtype)));
    }
    call.push(')');
    call
}

/// A Python tuple literal: `(3,)` keeps the comma a 1-tuple needs.
fn tuple(items: &[String]) -> String {
    match items {
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

/// A layer's class and its fields in Keras' spelling (the model's serde form already uses
/// Keras' keyword names), with the catalogue default of the same class to diff against.
fn keras_config(layer: &Layer) -> (&'static str, Map<String, Json>, Map<String, Json>) {
    let class = layer.kind().class();
    let fields = |l: &Layer| match serde_json::to_value(l) {
        Ok(Json::Object(tagged)) => tagged
            .into_iter()
            .next()
            .and_then(|(_, v)| v.as_object().cloned())
            .unwrap_or_default(),
        _ => Map::new(),
    };
    // Built once: rebuilding the catalogue for every layer made large exports slow.
    static DEFAULTS: OnceLock<HashMap<&'static str, Map<String, Json>>> = OnceLock::new();
    let defaults = DEFAULTS.get_or_init(|| {
        Layer::catalogue()
            .iter()
            .map(|l| (l.kind().class(), fields(l)))
            .collect()
    });
    let default = defaults.get(class).cloned().unwrap_or_default();
    (class, fields(layer), default)
}

pub(crate) fn layer_call(layer: &Layer) -> String {
    let (class, mut fields, default) = keras_config(layer);
    // Dot keeps one axis for both inputs as a list of one; Keras takes a number there.
    if let (Layer::Dot(_), Some(Json::Array(one))) = (layer, fields.get("axes").cloned())
        && one.len() == 1
    {
        fields.insert("axes".into(), one[0].clone());
    }
    let keras = layer.kind().keras();
    let mut args = Vec::new();
    let mut written = Vec::new();
    for p in keras.positional.iter().take(keras.leading) {
        match fields.get(*p).filter(|v| !v.is_null()) {
            Some(v) => {
                args.push(python_value(v));
                written.push(*p);
            }
            None => break,
        }
    }
    for (key, default_value) in &default {
        if written.contains(&key.as_str()) {
            continue;
        }
        match fields.get(key) {
            Some(v) if v != default_value => args.push(format!("{key}={}", python_value(v))),
            None => args.push(format!("{key}=None")),
            _ => {}
        }
    }
    for (key, v) in &fields {
        if !default.contains_key(key) && !written.contains(&key.as_str()) {
            args.push(format!("{key}={}", python_value(v)));
        }
    }
    format!("layers.{class}({})", args.join(", "))
}

/// An `RNN`'s cell as a call: the matching layer's fields under the cell's class (a cell's
/// flags are the RNN's), or a `StackedRNNCells` of them.
fn cell_call(cell: &RnnCell) -> String {
    let layer = match cell {
        RnnCell::Lstm(l) => Layer::Lstm(l.clone()),
        RnnCell::Gru(l) => Layer::Gru(l.clone()),
        RnnCell::SimpleRnn(l) => Layer::SimpleRnn(l.clone()),
        RnnCell::Stacked(cells) => {
            let calls: Vec<String> = cells.iter().map(cell_call).collect();
            return format!("layers.StackedRNNCells([{}])", calls.join(", "));
        }
    };
    let call = layer_call(&layer);
    let class = layer.kind().class();
    call.replacen(
        &format!("layers.{class}("),
        &format!("layers.{}(", cell.class()),
        1,
    )
}

/// A JSON value from the design as a Python literal: regularizers as
/// `keras.regularizers.L2(...)`, wrapped layers as layer calls.
fn python_value(v: &Json) -> String {
    match v {
        Json::Array(items) => {
            let items: Vec<String> = items.iter().map(python_value).collect();
            tuple(&items)
        }
        Json::Object(map) => {
            if let Ok(layer) = serde_json::from_value::<Layer>(v.clone()) {
                return layer_call(&layer);
            }
            if let Ok(cell) = serde_json::from_value::<RnnCell>(v.clone()) {
                return cell_call(&cell);
            }
            match map.iter().next().map(|(k, v)| (k.as_str(), v)) {
                Some((class @ ("L1" | "L2"), factor)) if map.len() == 1 => {
                    format!("keras.regularizers.{class}({})", python_value(factor))
                }
                Some((class @ "L1L2", Json::Object(both))) if map.len() == 1 => format!(
                    "keras.regularizers.{class}(l1={}, l2={})",
                    python_value(both.get("l1").unwrap_or(&Json::Null)),
                    python_value(both.get("l2").unwrap_or(&Json::Null))
                ),
                _ => {
                    let items: Vec<String> = map
                        .iter()
                        .map(|(k, v)| format!("{}: {}", python_str(k), python_value(v)))
                        .collect();
                    format!("{{{}}}", items.join(", "))
                }
            }
        }
        scalar => python_scalar(scalar),
    }
}

/// `None`, `True`/`False`, a number or a string as Python writes it; what else is JSON as is.
pub(crate) fn python_scalar(v: &Json) -> String {
    match v {
        Json::Null => "None".into(),
        Json::Bool(b) => if *b { "True" } else { "False" }.into(),
        Json::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => u.to_string(),
            (_, Some(i), _) => i.to_string(),
            (_, _, Some(f)) => format!("{f:?}"),
            _ => n.to_string(),
        },
        Json::String(s) => python_str(s),
        other => other.to_string(),
    }
}

/// A Python string literal: double quotes, every control, bidi and zero-width character escaped
/// (the policy of [`must_escape`]), so no text from a design can end the literal or the line,
/// or read differently from what Python runs.
pub fn python_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if must_escape(c) => {
                out.push_str(&format!("\\U{:08x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether the code names the model `name`, so its summary's title is the design's: Keras
/// takes any name without `/`; one holding a character no output shows as it is (see
/// [`must_escape`]) keeps Keras' automatic name instead.
pub(crate) fn is_model_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('/') && !name.chars().any(must_escape)
}
