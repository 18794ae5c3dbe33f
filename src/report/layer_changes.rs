//! What changed between two versions of a layer, field by field, as a Keras user writes the
//! values: `rate 0.5 → 0.3`, `return_sequences False → True`, `layer.units 64 → 32`.

use serde_json::{Map, Value};

use crate::model::Layer;

/// The fields that differ, in alphabetical order (then fields only the second has), each as
/// `field old → new`. A field left at its default in one version reads
/// `default` there; a different class reads `class LSTM → GRU`.
pub fn changes(old: &Layer, new: &Layer) -> Vec<String> {
    let (old_class, old) = fields_of(old);
    let (new_class, new) = fields_of(new);
    if old_class != new_class {
        return vec![format!("class {old_class} → {new_class}")];
    }
    let mut out = Vec::new();
    for (field, before) in &old {
        let after = new.iter().find(|(f, _)| f == field).map(|(_, v)| v);
        if after != Some(before) {
            out.push(format!(
                "{field} {before} → {}",
                after.map_or("default", String::as_str)
            ));
        }
    }
    for (field, after) in new.iter().filter(|(f, _)| !old.iter().any(|(g, _)| g == f)) {
        out.push(format!("{field} default → {after}"));
    }
    out
}

/// The layer's class and its fields written out (only those not at their defaults, as the
/// file format keeps them), with nested fields as `layer.units`.
fn fields_of(layer: &Layer) -> (String, Vec<(String, String)>) {
    let value = serde_json::to_value(layer).unwrap_or(Value::Null);
    let mut fields = Vec::new();
    match value {
        Value::Object(tagged) => match tagged.into_iter().next() {
            Some((class, Value::Object(body))) => {
                flatten("", &body, &mut fields);
                (class, fields)
            }
            Some((class, other)) => {
                fields.push((String::new(), python(&other)));
                (class, fields)
            }
            None => (String::new(), fields),
        },
        other => (python(&other), fields),
    }
}

/// Appends each leaf of `body` under `prefix`; a wrapped layer (`{"LSTM": {...}}`) reads as
/// its fields, so a Bidirectional's inner units show as `layer.units`.
fn flatten(prefix: &str, body: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (key, value) in body {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match inner_layer(value) {
            Some(fields) => flatten(&path, fields, out),
            None => out.push((path, python(value))),
        }
    }
}

/// The fields of a value that is a tagged layer (one capitalised key holding an object).
fn inner_layer(value: &Value) -> Option<&Map<String, Value>> {
    let map = value.as_object()?;
    let (tag, body) = map.iter().next().filter(|_| map.len() == 1)?;
    tag.starts_with(char::is_uppercase)
        .then(|| body.as_object())
        .flatten()
}

/// A value as Python spells it: `True`, `None`, `(3, 3)`, `l2(0.0015)`, `relu`.
fn python(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(python).collect();
            match items.as_slice() {
                [one] => format!("({one},)"),
                _ => format!("({})", items.join(", ")),
            }
        }
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{}({})", k.to_lowercase(), python_args(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The arguments inside a call: a bare value, or `l1=…, l2=…` for a map.
fn python_args(value: &Value) -> String {
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}={}", python(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(items) => items.iter().map(python).collect::<Vec<_>>().join(", "),
        other => python(other),
    }
}
