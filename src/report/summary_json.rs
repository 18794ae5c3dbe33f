//! The summary as the JSON contract of `lstm-tui summary --format json`:
//! `{"ok": true, "convention", "rows": [{name, class, output_shape, params, trainable,
//! non_trainable}], "total", "trainable", "non_trainable"}`, or `{"ok": false,
//! "failing_layer_index", "error"}` for a stack that does not build.

use serde_json::{Value, json};

use crate::model::budget::Precision;
use crate::model::compute::flops;
use crate::model::error::LayerError;
use crate::model::shape::{Output, Shape};
use crate::model::summary::{Row, Summary};
use crate::report::columns::{percent, row_memory};

/// The summary as the documented JSON value. Extra fields: a row PyTorch cannot count has
/// `params: null` and `no_equivalent` (why); a failing summary also names the layer, gives the
/// fix and lists the rows that built. Memory is counted at fp32.
pub fn json(summary: &Summary) -> Value {
    json_with(summary, Precision::Fp32)
}

/// The same, with every row's `input_shape`, `macs`, `flops`, `memory_bytes` (parameter
/// bytes at `precision`) and `percent` (of all parameters), and the summary's total `macs`
/// and `flops` (null when they cannot be counted, e.g. for an open sequence length).
pub fn json_with(summary: &Summary, precision: Precision) -> Value {
    let rows: Vec<Value> = summary
        .rows
        .iter()
        .map(|r| row(r, summary, precision))
        .collect();
    match &summary.error {
        None => {
            let t = &summary.totals;
            let mut v = json!({
                "ok": true,
                "convention": summary.convention.as_str(),
                "rows": rows,
                "total": t.total().ok(),
                "trainable": t.trainable,
                "non_trainable": t.non_trainable,
            });
            if summary.uncounted > 0 {
                v["uncounted"] = json!(summary.uncounted);
            }
            let macs = summary.macs.as_ref().ok().copied();
            v["macs"] = json!(macs);
            v["flops"] = json!(macs.and_then(|m| flops(m).ok()));
            v["precision"] = json!(precision.label());
            v
        }
        Some(e) => {
            let mut v = json!({
                "ok": false,
                "failing_layer_index": e.index,
                "error": e.to_string(),
                "layer": e.name,
                "class": e.class,
                "convention": summary.convention.as_str(),
                "rows": rows,
            });
            if let Some(fix) = e.error.fix() {
                v["fix"] = json!(fix);
            }
            v
        }
    }
}

fn row(r: &Row, summary: &Summary, precision: Precision) -> Value {
    let macs = r.macs.as_ref().ok().copied();
    let mut v = json!({
        "name": r.name,
        "class": r.class,
        "output_shape": output(&r.output),
        "input_shape": shape(&r.input),
        "macs": macs,
        "flops": macs.and_then(|m| flops(m).ok()),
        "memory_bytes": row_memory(r, precision),
        "percent": percent(r, summary),
    });
    match &r.params {
        Ok(p) => {
            v["params"] = json!(p.total().ok());
            v["trainable"] = json!(p.trainable);
            v["non_trainable"] = json!(p.non_trainable);
        }
        Err(e) => {
            v["params"] = Value::Null;
            v["trainable"] = Value::Null;
            v["non_trainable"] = Value::Null;
            let why = match e {
                LayerError::NoEquivalent(why) => why.clone(),
                other => other.to_string(),
            };
            v["no_equivalent"] = json!(why);
        }
    }
    v
}

/// `[null, 100, 64]`, or a list of those for several outputs.
pub fn output(o: &Output) -> Value {
    match o {
        Output::One(s) => shape(s),
        Output::Many(v) => Value::Array(v.iter().map(shape).collect()),
    }
}

fn shape(s: &Shape) -> Value {
    json!(s.to_keras())
}
