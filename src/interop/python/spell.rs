//! One layer, one shape or one value at a time in Python spelling, for the edit form: values
//! are shown as Keras code writes them (`True`, `None`, `(3, 3)`, `l2(0.001)`) and read back
//! through the same lexer, parser and evaluator as a whole model.

use std::collections::HashMap;

use serde_json::Value as Json;

use super::eval::{Eval, Value};
use super::{lexer, parser};
use crate::model::{Layer, Shape};
use crate::model::{Located, Pos};

/// The one expression written on `source`'s single line, evaluated without running anything.
fn evaluate(source: &str, expect: &str) -> Result<(Value, Pos), Located> {
    let start = Pos { line: 1, column: 1 };
    let lines = lexer::lex(source)?;
    let tokens = match lines.as_slice() {
        [line] => &line.tokens,
        [] => {
            return Err(Located::new(
                start,
                format!("expected {expect}; got nothing"),
            ));
        }
        [_, second, ..] => {
            let at = second.tokens.first().map_or(start, |t| t.pos);
            return Err(Located::new(at, format!("expected {expect} on one line")));
        }
    };
    let end = Pos {
        line: 1,
        column: source.chars().count() + 1,
    };
    let expr = parser::expression(tokens, end)?;
    let env = HashMap::new();
    let value = Eval { env: &env }.eval(&expr, expect)?;
    Ok((value, expr.pos))
}

/// Whether `text` is one Python expression, and if not, where it goes wrong.
pub fn check_expression(text: &str) -> Result<(), Located> {
    let start = Pos { line: 1, column: 1 };
    let lines = lexer::lex(text)?;
    let Some(line) = lines.first() else {
        return Err(Located::new(start, "expected a value; got nothing"));
    };
    let end = Pos {
        line: 1,
        column: text.chars().count() + 1,
    };
    parser::expression(&line.tokens, end).map(|_| ())
}

/// The layer a single call such as `LSTM(units=64, return_sequences=True)` builds, checked by
/// the same rules as an imported model.
pub fn layer_from_python(source: &str) -> Result<Layer, Located> {
    match evaluate(source, "a layer call")? {
        (Value::Layer(call), _) => super::layer(&call),
        (other, pos) => Err(Located::new(
            pos,
            format!("expected a layer call; got {}", other.describe()),
        )),
    }
}

/// An input shape as Python writes it: `(100,)`, `(28, 28, 1)`, `(None, 6)`, `[100, 6]`, or
/// without brackets, `100, 6` and `100`.
pub fn shape_from_python(text: &str) -> Result<Shape, Located> {
    let t = text.trim();
    let bare = !(t.starts_with('(') || t.starts_with('['));
    // A bare `100` is one dimension, as `shape=100` is not a shape but `(100,)` is.
    let source = if bare {
        format!("({t},)")
    } else {
        t.to_string()
    };
    let (value, pos) = evaluate(&source, "a shape such as (100,) or (28, 28, 1)")?;
    super::shape(&value, pos, false)
}

/// A value of a layer's fields (the design's serde form) as Python writes it: `None`, `True`,
/// `0.5`, `"same"`, `(3, 3)`, `l2(0.001)`, `l1_l2(l1=0.01, l2=0.02)`.
pub fn literal(v: &Json) -> String {
    match v {
        Json::Array(items) => match items.as_slice() {
            [one] => format!("({},)", literal(one)),
            _ => format!(
                "({})",
                items.iter().map(literal).collect::<Vec<_>>().join(", ")
            ),
        },
        Json::Object(map) => match map.iter().next().map(|(k, v)| (k.as_str(), v)) {
            Some((class @ ("L1" | "L2"), factor)) if map.len() == 1 => {
                format!("{}({})", class.to_lowercase(), literal(factor))
            }
            Some(("L1L2", Json::Object(both))) if map.len() == 1 => format!(
                "l1_l2(l1={}, l2={})",
                literal(both.get("l1").unwrap_or(&Json::Null)),
                literal(both.get("l2").unwrap_or(&Json::Null))
            ),
            _ => v.to_string(),
        },
        scalar => crate::interop::export_keras::python_scalar(scalar),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_as_python_writes_them() {
        for (text, dims) in [
            ("(100,)", vec![Some(100)]),
            ("(28, 28, 1)", vec![Some(28), Some(28), Some(1)]),
            ("(None, 6)", vec![None, Some(6)]),
            ("100, 6", vec![Some(100), Some(6)]),
            ("[100, 6]", vec![Some(100), Some(6)]),
            ("100", vec![Some(100)]),
        ] {
            assert_eq!(
                shape_from_python(text).map(|s| s.0.to_vec()),
                Ok(dims),
                "{text}"
            );
        }
        assert!(shape_from_python("(100, 'a')").is_err());
    }
}
