//! What a call returns: how many tensors, and their shapes where the program lets us know them.
//! Kinds in the catalogue answer for themselves; merges, attention and tensor operations, which
//! only a graph has, are worked out here.

use serde_json::Value as Json;

use super::graph::{CallArg, Graph, TensorInfo, TensorRef};
use crate::model::{Dtype, Located, Output, Pos, Shape};

type Dim = Option<u64>;

/// The outputs of calling layer `id` with these arguments.
pub fn outputs(
    graph: &Graph,
    id: usize,
    args: &[CallArg],
    kwargs: &[(String, CallArg)],
    pos: Pos,
) -> Result<Vec<TensorInfo>, Located> {
    let Some(layer) = graph.layers.get(id) else {
        return Ok(Vec::new());
    };
    let shape_of = |t: TensorRef| graph.info(t).and_then(|i| i.shape.clone());
    let first = |a: Option<&CallArg>| match a {
        Some(CallArg::Tensor(t)) => shape_of(*t),
        _ => None,
    };
    let listed: Vec<Option<Shape>> = match args.first() {
        Some(CallArg::List(items)) => items.iter().map(|i| first(Some(i))).collect(),
        _ => Vec::new(),
    };
    let keyword = |k: &str| kwargs.iter().find(|(n, _)| n == k).map(|(_, a)| a);
    let flag = |k: &str| matches!(keyword(k), Some(CallArg::Const(Json::Bool(true))));
    let float = |shape: Option<Shape>| TensorInfo {
        shape,
        dtype: Dtype::Float32,
    };
    // Kinds called on several tensors answer through the rules below, as one tensor is not
    // what they take.
    if let Some(built) = layer.layer.as_ref().filter(|l| l.kind().multi().is_none()) {
        let Some(input) = first(args.first()).or_else(|| first(keyword("inputs"))) else {
            return Ok(vec![float(None)]);
        };
        let out = built
            .kind()
            .output(&input)
            .map_err(|e| Located::new(pos, format!("{}: {e}", layer.class)))?;
        return Ok(match out {
            Output::One(s) => vec![float(Some(s))],
            Output::Many(v) => v.into_iter().map(|s| float(Some(s))).collect(),
        });
    }
    let config = &layer.config;
    Ok(match layer.class.as_str() {
        "Add" | "Subtract" | "Multiply" | "Average" | "Maximum" | "Minimum"
            if listed.is_empty() =>
        {
            let both = [first(args.first()), first(args.get(1))];
            vec![float(broadcast(&both))]
        }
        "Add" | "Subtract" | "Multiply" | "Average" | "Maximum" | "Minimum" => {
            vec![float(broadcast(&listed))]
        }
        "Concatenate" => {
            let axis = config.get("axis").and_then(Json::as_i64).unwrap_or(-1);
            vec![float(concatenate(&listed, axis))]
        }
        "MultiHeadAttention" | "GroupQueryAttention" | "GroupedQueryAttention" => {
            let query = first(args.first()).or_else(|| first(keyword("query")));
            let width = config.get("output_shape").and_then(Json::as_u64);
            let out = query.map(|q| match width {
                Some(w) => q.with_last(w),
                None => q,
            });
            let mut outs = vec![float(out)];
            if flag("return_attention_scores") {
                outs.push(float(None));
            }
            outs
        }
        "Attention" | "AdditiveAttention" => {
            let value_width = listed.get(1).and_then(|v| v.as_ref()?.last().flatten());
            let out = match (listed.first().cloned().flatten(), value_width) {
                (Some(q), Some(w)) => Some(q.with_last(w)),
                _ => None,
            };
            let mut outs = vec![float(out)];
            if flag("return_attention_scores") {
                outs.push(float(None));
            }
            outs
        }
        _ => vec![float(None)],
    })
}

/// The shape of an element-wise result: equal axes stay, a 1 stretches to the other size.
fn broadcast(shapes: &[Option<Shape>]) -> Option<Shape> {
    let known: Option<Vec<&Shape>> = shapes.iter().map(Option::as_ref).collect();
    let known = known?;
    let rank = known.iter().map(|s| s.0.len()).max()?;
    let mut dims: Vec<Dim> = Vec::with_capacity(rank);
    for axis in 0..rank {
        let mut dim: Option<Dim> = None;
        for s in &known {
            let offset = rank - s.0.len();
            let d = if axis < offset {
                Some(1)
            } else {
                s.0.get(axis - offset).copied().flatten()
            };
            dim = Some(match (dim, d) {
                (None, d) => d,
                (Some(Some(1)), d) | (Some(d), Some(1)) => d,
                (Some(Some(a)), Some(b)) if a == b => Some(a),
                _ => None,
            });
        }
        dims.push(dim.flatten());
    }
    Some(Shape(dims.into()))
}

/// The shape of `Concatenate(axis)`: sizes add on the axis (counted with the batch axis).
fn concatenate(shapes: &[Option<Shape>], axis: i64) -> Option<Shape> {
    let known: Option<Vec<&Shape>> = shapes.iter().map(Option::as_ref).collect();
    let known = known?;
    let first = known.first()?;
    let rank = i64::try_from(first.ndim()).ok()?;
    let axis = if axis < 0 { axis + rank } else { axis };
    let at = usize::try_from(axis.checked_sub(1)?).ok()?;
    let mut dims: Vec<Dim> = first.0.to_vec();
    let mut total = Some(0u64);
    for s in &known {
        total = total
            .zip(s.0.get(at).copied().flatten())
            .map(|(a, b)| a + b);
    }
    *dims.get_mut(at)? = total;
    Some(Shape(dims.into()))
}
