//! What the edit form knows about fields without knowing layer kinds: which keywords take one
//! of a fixed set of values, which fields a design leaves out while they hold Keras' default,
//! and how a value is shown.

use serde_json::{Map, Value as Json, json};

use crate::interop::python::literal;
use crate::model::Layer;
use crate::model::layers::ACTIVATIONS;

/// Keywords with a fixed set of values, and those values as Keras spells them.
const CHOICES: &[(&str, &[&str])] = &[
    ("activation", ACTIVATIONS),
    ("recurrent_activation", ACTIVATIONS),
    ("padding", &["valid", "same", "causal"]),
    ("merge_mode", &["concat", "sum", "mul", "ave", "None"]),
    ("data_format", &["channels_last", "channels_first"]),
    ("score_mode", &["dot", "concat"]),
    ("fill_mode", &["reflect", "wrap", "constant", "nearest"]),
    ("dtype", &["float32", "int32"]),
];

/// Keywords whose values depend on the class: (class, keyword, values), looked at first.
const CLASS_CHOICES: &[(&str, &str, &[&str])] = &[
    (
        "RandomFlip",
        "mode",
        &["horizontal_and_vertical", "horizontal", "vertical"],
    ),
    (
        "STFTSpectrogram",
        "mode",
        &["log", "magnitude", "psd", "real", "imag", "angle", "stft"],
    ),
    ("STFTSpectrogram", "padding", &["valid", "same"]),
    (
        "STFTSpectrogram",
        "scaling",
        &["density", "spectrum", "None"],
    ),
    ("MelSpectrogram", "window", &["hann", "hamming", "None"]),
    (
        "RandomElasticTransform",
        "fill_mode",
        &["reflect", "wrap", "constant", "nearest", "mirror"],
    ),
];

/// The values a keyword of `class` takes, if they are a fixed set.
pub fn choices_of(class: &str, key: &str) -> Option<&'static [&'static str]> {
    CLASS_CHOICES
        .iter()
        .find(|(c, k, _)| *c == class && *k == key)
        .map(|(_, _, values)| *values)
        .or_else(|| CHOICES.iter().find(|(k, _)| *k == key).map(|(_, c)| *c))
}

/// Fields a design file leaves out while they hold Keras' default: the keyword, a value that
/// is not the default (to find out whether a kind has the field) and the default.
fn candidates() -> [(&'static str, Json, Json); 9] {
    let l2 = json!({ "L2": 0.01 });
    [
        ("return_state", json!(true), json!(false)),
        ("kernel_regularizer", l2.clone(), Json::Null),
        ("recurrent_regularizer", l2.clone(), Json::Null),
        ("bias_regularizer", l2.clone(), Json::Null),
        ("embeddings_regularizer", l2.clone(), Json::Null),
        ("gamma_regularizer", l2.clone(), Json::Null),
        ("depthwise_regularizer", l2.clone(), Json::Null),
        ("pointwise_regularizer", l2.clone(), Json::Null),
        ("beta_regularizer", l2, Json::Null),
    ]
}

/// The left-out fields a layer of `class` has, at their defaults: a candidate belongs to the
/// kind when a layer given it keeps it.
pub fn probes(class: &str, values: &Map<String, Json>) -> Vec<(String, Json)> {
    candidates()
        .into_iter()
        .filter(|(key, probe, _)| {
            if values.contains_key(*key) {
                return false;
            }
            let mut with = values.clone();
            with.insert((*key).to_string(), probe.clone());
            let kept = serde_json::from_value::<Layer>(json!({ class: with }))
                .ok()
                .and_then(|l| serde_json::to_value(l).ok());
            kept.as_ref()
                .and_then(|v| v.get(class))
                .and_then(|fields| fields.get(*key))
                == Some(probe)
        })
        .map(|(key, _, default)| (key.to_string(), default))
        .collect()
}

/// How a field shows a value: strings bare (they are choices or names), the rest as Python
/// writes them.
pub fn value_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => literal(other),
    }
}
