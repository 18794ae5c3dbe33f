//! A layer from its Keras config, for the kinds the model core has today. The full catalogue's
//! `layer_from_keras` supersedes this function; it is the one place the importer builds layers.

use serde_json::{Map, Value as Json};

use crate::model::Layer;

/// Builds the layer Keras would build from `class` and its `get_config()`-style keys
/// (missing keys take Keras' defaults). The error says what is wrong, without a location.
pub fn layer_from_config(class: &str, config: &Json) -> Result<Layer, String> {
    let known: Vec<&str> = Layer::catalogue()
        .iter()
        .map(|l| l.kind().class())
        .collect();
    if !known.contains(&class) {
        return Err(format!(
            "expected a layer lstm-tui models ({}); got {class}, which it does not model yet",
            known.join(", ")
        ));
    }
    let mut fields = Map::new();
    for (key, value) in config.as_object().into_iter().flatten() {
        let value = match (key.as_str(), value) {
            ("activation" | "recurrent_activation", Json::Null) => Json::from("linear"),
            (k, Json::Null) if k.ends_with("_regularizer") => continue,
            (k, v) if k.ends_with("_regularizer") => regularizer(v)?,
            (_, v) => v.clone(),
        };
        fields.insert(key.clone(), value);
    }
    let mut tagged = Map::new();
    tagged.insert(class.to_string(), Json::Object(fields));
    serde_json::from_value(Json::Object(tagged)).map_err(|e| e.to_string())
}

/// `{"class_name": "L2", "config": {"l2": 0.01}}` as the model's `Regularizer` spells it.
fn regularizer(value: &Json) -> Result<Json, String> {
    let class = value.get("class_name").and_then(Json::as_str);
    let factor = |name: &str| {
        value
            .get("config")
            .and_then(|c| c.get(name))
            .and_then(Json::as_f64)
            .unwrap_or(0.0)
    };
    let mut out = Map::new();
    match class {
        Some("L1") => out.insert("L1".into(), factor("l1").into()),
        Some("L2") => out.insert("L2".into(), factor("l2").into()),
        Some("L1L2") => {
            let mut both = Map::new();
            both.insert("l1".into(), factor("l1").into());
            both.insert("l2".into(), factor("l2").into());
            out.insert("L1L2".into(), Json::Object(both))
        }
        _ => {
            return Err(format!(
                "expected a regularizer L1, L2 or L1L2; got {value}"
            ));
        }
    };
    Ok(Json::Object(out))
}
