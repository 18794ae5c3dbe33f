//! f-strings, as model code writes them for names (`name=f"gru_{i}"`, `f"block{n:02d}"`): the
//! text split into its parts and `{...}` fields, and a field's value formatted as Python
//! formats it, for the values the importer knows (numbers, strings, booleans, `None`).

use super::eval::Value;
use super::lexer;
use super::parser::{self, Piece};
use crate::model::{Located, Pos};

/// The parts of the f-string `text` (its escapes decoded) written at `pos`: text with `{{` and
/// `}}` made single, and each field's expression and format spec. A field's expression is
/// placed at the f-string's start.
pub fn pieces(text: &str, pos: Pos) -> Result<Vec<Piece>, Located> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if chars.next_if(|&(_, n)| n == '{').is_some() => plain.push('{'),
            '}' if chars.next_if(|&(_, n)| n == '}').is_some() => plain.push('}'),
            '}' => {
                return Err(Located::new(
                    pos,
                    "expected `}}` for a brace in an f-string's text; got a single `}`",
                ));
            }
            '{' => {
                let body = &text[at + 1..];
                let len = first_outside(body, '}').ok_or_else(|| {
                    Located::new(pos, "expected `}` to end this f-string's field; got none")
                })?;
                if !plain.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut plain)));
                }
                out.push(field(&body[..len], pos)?);
                // Past the field and its closing brace.
                while chars.next_if(|&(i, _)| i <= at + 1 + len).is_some() {}
            }
            c => plain.push(c),
        }
    }
    if !plain.is_empty() {
        out.push(Piece::Text(plain));
    }
    Ok(out)
}

/// Where the first `stop` outside brackets and quotes is in `text`: `}` ends a field's body
/// (the text after its `{`), `:` starts its format spec.
fn first_outside(text: &str, stop: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c) if c == stop && depth == 0 => return Some(i),
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// One field's body: its expression, then `!s` or `:spec` if written.
fn field(body: &str, pos: Pos) -> Result<Piece, Located> {
    let (source, spec) = split_spec(body);
    let (source, conversion) = match source.rsplit_once('!') {
        Some((expr, conversion)) if !conversion.starts_with('=') => (expr, Some(conversion)),
        _ => (source, None),
    };
    if let Some(c) = conversion.filter(|c| c.trim() != "s") {
        return Err(Located::new(
            pos,
            format!("expected an f-string field without a conversion, or `!s`; got `!{c}`"),
        ));
    }
    let lines = lexer::lex(source).map_err(|e| Located::new(pos, e.message))?;
    let [line] = lines.as_slice() else {
        return Err(Located::new(
            pos,
            "expected an expression in this f-string's `{}`; got none",
        ));
    };
    let tokens: Vec<lexer::Token> = line
        .tokens
        .iter()
        .map(|t| lexer::Token {
            tok: t.tok.clone(),
            pos,
        })
        .collect();
    Ok(Piece::Field {
        expr: parser::expression(&tokens, pos)?,
        spec: spec.to_string(),
    })
}

/// A field's body split at the `:` that starts its format spec; the spec is empty when there
/// is none.
fn split_spec(body: &str) -> (&str, &str) {
    match first_outside(body, ':') {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, ""),
    }
}

/// The widest field and the most decimals a format spec may ask for.
const MAX_WIDTH: usize = 100;

/// `value` as `format(value, spec)` writes it, for the specs names use (`03d`, `5`, `.2f`);
/// why not, otherwise.
pub fn format(value: &Value, spec: &str) -> Result<String, String> {
    if spec.is_empty() {
        return text(value).ok_or_else(|| {
            format!(
                "expected a number, a string, True, False or None in an f-string's field; got {}",
                value.describe()
            )
        });
    }
    let refused = || format!("expected a format spec such as `03d` or `.2f`; got `:{spec}`");
    let (head, kind) = match spec.char_indices().last() {
        Some((at, k @ ('d' | 'f' | 's'))) => (&spec[..at], Some(k)),
        _ => (spec, None),
    };
    let (width, precision) = match head.split_once('.') {
        Some((w, p)) => (w, Some(p.parse::<usize>().map_err(|_| refused())?)),
        None => (head, None),
    };
    let zeros = width.starts_with('0') && width.len() > 1;
    let width: usize = match width {
        "" => 0,
        w => w.parse().map_err(|_| refused())?,
    };
    // A name needs no more; a program asking for millions of characters is refused.
    if width > MAX_WIDTH || precision.is_some_and(|p| p > MAX_WIDTH) {
        return Err(format!(
            "expected a width and precision of at most {MAX_WIDTH} in an f-string's format spec; got `:{spec}`"
        ));
    }
    let digits = match (value, kind, precision) {
        (Value::Int(i), Some('d') | None, None) => i.to_string(),
        (Value::Int(i), Some('f'), p) => format!("{:.*}", p.unwrap_or(6), *i as f64),
        (Value::Float(f), Some('f'), p) => format!("{:.*}", p.unwrap_or(6), f),
        (Value::Float(f), None, None) => python_float(*f),
        (Value::Str(s), Some('s') | None, None) => {
            // Text is padded on the right, numbers on the left.
            return Ok(format!("{s:<width$}"));
        }
        _ => return Err(refused()),
    };
    Ok(match (zeros, digits.strip_prefix('-')) {
        (true, Some(magnitude)) => format!("-{magnitude:0>w$}", w = width.saturating_sub(1)),
        (true, None) => format!("{digits:0>width$}"),
        (false, _) => format!("{digits:>width$}"),
    })
}

/// `str(value)` for the values an f-string field may hold.
fn text(value: &Value) -> Option<String> {
    Some(match value {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => python_float(*f),
        Value::Str(s) => s.clone(),
        Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Value::None => "None".to_string(),
        Value::Seq(_) | Value::Object(_) | Value::Layer(_) => return None,
    })
}

/// `str(f)` as Python writes a float: the shortest digits that read back the same, with `.0`
/// on a whole number, and an exponent of at least two digits outside 1e-4 to 1e16.
fn python_float(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "nan"
        } else if f > 0.0 {
            "inf"
        } else {
            "-inf"
        }
        .to_string();
    }
    let magnitude = f.abs();
    if magnitude == 0.0 || (1e-4..1e16).contains(&magnitude) {
        let shortest = f.to_string();
        return if shortest.contains('.') {
            shortest
        } else {
            format!("{shortest}.0")
        };
    }
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let (sign, digits) = match exponent.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exponent),
    };
    format!("{mantissa}e{sign}{digits:0>2}")
}

#[cfg(test)]
mod tests {
    use super::{format, python_float};
    use crate::interop::python::eval::Value;

    #[test]
    fn floats_read_as_python_prints_them() {
        // What `str(x)` prints in Python for each.
        for (f, python) in [
            (0.1, "0.1"),
            (1.0, "1.0"),
            (-2.0, "-2.0"),
            (0.0, "0.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1.5e16, "1.5e+16"),
            (123456.789, "123456.789"),
            (2.5e-7, "2.5e-07"),
        ] {
            assert_eq!(python_float(f), python, "{f}");
        }
    }

    #[test]
    fn specs_pad_as_python_pads() {
        // What `format(value, spec)` gives in Python for each.
        for (value, spec, python) in [
            (Value::Int(7), "03d", "007"),
            (Value::Int(-7), "04d", "-007"),
            (Value::Int(7), "3", "  7"),
            (Value::Int(12345), "03d", "12345"),
            (Value::Float(0.25), ".1f", "0.2"),
            (Value::Float(0.35), ".2f", "0.35"),
            (Value::Int(3), ".1f", "3.0"),
            (Value::Str("ab".into()), "4", "ab  "),
        ] {
            assert_eq!(format(&value, spec).unwrap(), python, "{value:?}:{spec}");
        }
        assert!(format(&Value::Int(1), "x").is_err());
        assert!(format(&Value::Str("a".into()), "d").is_err());
    }
}
