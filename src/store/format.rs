//! The design file format: RON with two extensions on by default, so a layer reads
//! `LSTM(units: 64, return_sequences: true, recurrent_regularizer: L2(0.0015))` rather than
//! `LSTM((units: 64, ..., recurrent_regularizer: Some(L2(0.0015))))`. Fields at their defaults
//! are left out when writing and filled in when reading; unknown fields are warned about and
//! skipped, so a file from a slightly different version still opens.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::model::design::VERSION;
use crate::model::{Design, Dtype, Input, Layer, Shape};
use crate::store::error::ParseError;

/// Files larger than this are refused before parsing: the example is under 1 KiB, and a design
/// of 10,000 layers is well under 1 MiB.
pub const MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// How deep brackets may nest before parsing stops with an error (a design needs about 6).
const RECURSION_LIMIT: usize = 64;

/// The RON dialect shared by reading and writing.
fn options() -> ron::Options {
    use ron::extensions::Extensions;
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
        .with_recursion_limit(RECURSION_LIMIT)
}

/// Reads a design from text. Pure: no files. Warnings are for fields that were skipped.
pub fn parse_design(text: &str) -> Result<(Design, Vec<String>), ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::at(
            1,
            1,
            "the file is empty: a design starts with `(version: 1, name: \"...\", input: (shape: [...]), layers: [...])`",
        ));
    }
    check_version(text)?;
    parse_ron(text)
}

/// Reads a design from raw bytes: refuses oversized input and invalid UTF-8 with a position.
pub fn parse_design_bytes(bytes: &[u8]) -> Result<(Design, Vec<String>), ParseError> {
    parse_design(text_of(bytes)?)
}

/// The bytes as text, or where the first byte that is not UTF-8 sits.
pub(crate) fn text_of(bytes: &[u8]) -> Result<&str, ParseError> {
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(ParseError::at(
            1,
            1,
            format!(
                "the text is {} bytes, more than the {MAX_FILE_SIZE} a design may have",
                bytes.len()
            ),
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The prefix is valid UTF-8 by definition; fall back to 1:1 rather than panic.
        let (line, column) = std::str::from_utf8(valid)
            .map(end_position)
            .unwrap_or((1, 1));
        ParseError::at(
            line,
            column,
            "the file is not UTF-8 text (was it saved in another encoding, or is it not a design?)",
        )
    })
}

/// The 1-based line and column just after `text`.
fn end_position(text: &str) -> (usize, usize) {
    let line = text.matches('\n').count() + 1;
    let last = text.rsplit('\n').next().unwrap_or("");
    (line, last.chars().count() + 1)
}

/// Refuses a file from a newer lstm-tui before trying to read fields it may have redefined.
fn check_version(text: &str) -> Result<(), ParseError> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        version: Option<u64>,
    }
    // A probe that fails to parse is not an answer: the full parse reports the real error.
    let Ok(probe) = options().from_str::<Probe>(text) else {
        return Ok(());
    };
    match probe.version {
        Some(v) if v > u64::from(VERSION) => {
            let (line, column) = find_field(text, "version").unwrap_or((1, 1));
            Err(ParseError::at(
                line,
                column,
                format!(
                    "written by a newer lstm-tui (version {v}); this one reads version {VERSION}: upgrade lstm-tui"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// Parses any RON document in the file dialect, collecting skipped fields as warnings.
pub(crate) fn parse_ron<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<String>), ParseError> {
    let spanned = |e: ron::error::SpannedError| {
        ParseError::at(e.span.start.line, e.span.start.col, describe(&e.code))
    };
    let mut de = ron::Deserializer::from_str_with_options(text, &options()).map_err(spanned)?;
    let mut ignored = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let result = {
        let mut note = |path: serde_ignored::Path<'_>| ignored.push(path_text(&path));
        let de = serde_ignored::Deserializer::new(&mut de, &mut note);
        T::deserialize(serde_path_to_error::Deserializer::new(de, &mut track))
    };
    let value = match result {
        Ok(v) => v,
        Err(e) => {
            let path = track.path().to_string();
            let mut err = spanned(de.span_error(e));
            // A path through deep nesting says nothing the position does not.
            if path != "." && !path.is_empty() && path.len() <= 80 {
                err.message = format!("{path}: {}", err.message);
            }
            return Err(err);
        }
    };
    de.end().map_err(|e| spanned(de.span_error(e)))?;
    let warnings = ignored
        .into_iter()
        .map(|path| {
            let field = path.rsplit('.').next().unwrap_or(&path).to_string();
            let place = find_field(text, &field)
                .map(|(l, c)| format!("{l}:{c}: "))
                .unwrap_or_default();
            format!("{place}unknown field `{path}` ignored (it is not saved back)")
        })
        .collect();
    Ok((value, warnings))
}

/// `layers[0].foo`: the place of a skipped field, as a person would write it.
fn path_text(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path as P;
    match path {
        P::Root => String::new(),
        P::Seq { parent, index } => format!("{}[{index}]", path_text(parent)),
        P::Map { parent, key } => {
            let parent = path_text(parent);
            if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            }
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            path_text(parent)
        }
    }
}

/// Words for RON's errors where its own are terse.
fn describe(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::ExpectedInteger => "expected a whole number".into(),
        E::ExpectedFloat => "expected a number such as 0.5".into(),
        E::ExpectedBoolean => "expected true or false".into(),
        E::ExpectedString | E::ExpectedStringEnd => "expected text in double quotes".into(),
        E::ExceededRecursionLimit => {
            format!("brackets nest deeper than {RECURSION_LIMIT} levels; no design needs that")
        }
        E::Eof => "the file ends too early: a bracket or quote is not closed".into(),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer: Some(outer),
        } if outer == "Layer" => format!(
            "unknown layer kind `{}`: lstm-tui knows {}",
            found.escape_debug(),
            expected.join(", ")
        ),
        E::MissingStructField { field, .. } => {
            format!("missing field `{field}`: add `{field}: ...` (see the example design)")
        }
        E::TrailingCharacters => {
            "text after the end of the design: the design is one `( ... )`".into()
        }
        other => other.to_string(),
    }
}

/// Where `name:` first appears as a field (outside strings and comments), 1-based.
fn find_field(text: &str, name: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let (mut line, mut col) = (1, 1);
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let skip = rest.find('\n').unwrap_or(rest.len());
            advance(&text[i..i + skip], &mut line, &mut col);
            i += skip;
            continue;
        }
        if rest.starts_with('"') {
            let mut j = 1;
            let rb = rest.as_bytes();
            while j < rb.len() && rb[j] != b'"' {
                j += if rb[j] == b'\\' { 2 } else { 1 };
            }
            let skip = (j + 1).min(rest.len());
            advance(&text[i..i + skip], &mut line, &mut col);
            i += skip;
            continue;
        }
        let prev_ident = i > 0 && is_ident(bytes[i - 1]);
        if !prev_ident && rest.starts_with(name) {
            let after = &rest[name.len()..];
            let next_ident = after.as_bytes().first().is_some_and(|&b| is_ident(b));
            if !next_ident && after.trim_start().starts_with(':') {
                return Some((line, col));
            }
        }
        let ch = rest.chars().next()?;
        advance(&text[i..i + ch.len_utf8()], &mut line, &mut col);
        i += ch.len_utf8();
    }
    None
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn advance(s: &str, line: &mut usize, col: &mut usize) {
    for ch in s.chars() {
        if ch == '\n' {
            *line += 1;
            *col = 1;
        } else {
            *col += 1;
        }
    }
}

/// The design as file text: a stable layout (one layer a line, defaults left out), so saving an
/// unchanged design gives the same bytes and a diff shows what changed.
pub fn to_ron(design: &Design) -> String {
    let mut out = String::from("(\n");
    out.push_str(&format!("    version: {},\n", design.version));
    out.push_str(&format!("    name: {},\n", compact(&design.name)));
    let default_input = Input {
        shape: Shape::default(),
        dtype: Dtype::default(),
    };
    out.push_str(&format!(
        "    input: {},\n",
        without_defaults(&compact(&design.input), &compact(&default_input), None)
    ));
    if design.layers.is_empty() {
        out.push_str("    layers: [],\n");
    } else {
        out.push_str("    layers: [\n");
        for layer in &design.layers {
            out.push_str(&format!("        {},\n", layer_text(layer)));
        }
        out.push_str("    ],\n");
    }
    if design.budget != Default::default() {
        out.push_str(&format!("    budget: {},\n", compact(&design.budget)));
    }
    out.push_str(")\n");
    out
}

/// One layer on one line: its main size always, other fields only where they differ from the
/// kind's defaults.
fn layer_text(layer: &Layer) -> String {
    let text = compact(layer);
    let kind = layer.kind();
    let knob = kind.knob().map(|k| k.field);
    match Layer::catalogue()
        .iter()
        .find(|d| d.kind().class() == kind.class())
    {
        Some(default) => without_defaults(&text, &compact(default), knob),
        None => text,
    }
}

/// A value as one line of RON in the file dialect.
fn compact<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let config = ron::ser::PrettyConfig::new()
        .compact_structs(true)
        .compact_arrays(true)
        .compact_maps(true)
        .separator(" ")
        .new_line("\n");
    // Serializing plain data into a String has no failure mode for these types; an error here
    // would be a bug in a Serialize impl, and the compact non-pretty form is the safe fallback.
    options()
        .to_string_pretty(value, config)
        .or_else(|_| options().to_string(value))
        .unwrap_or_default()
}

/// `Kind(a: 1, b: 2)` minus the `field: value` pairs that also appear in `default`, except the
/// field named `keep`.
fn without_defaults(text: &str, default: &str, keep: Option<&str>) -> String {
    let (Some((head, body)), Some((_, dbody))) = (split_struct(text), split_struct(default)) else {
        return text.to_string();
    };
    let defaults = fields(dbody);
    let is_kept =
        |f: &str| keep.is_some_and(|k| f.strip_prefix(k).is_some_and(|r| r.starts_with(':')));
    let kept: Vec<&str> = fields(body)
        .into_iter()
        .filter(|f| is_kept(f) || !defaults.contains(f))
        .collect();
    format!("{head}({})", kept.join(", "))
}

/// `Name(body)` → (`Name`, `body`).
fn split_struct(text: &str) -> Option<(&str, &str)> {
    let open = text.find('(')?;
    let body = text.get(open + 1..)?.strip_suffix(')')?;
    Some((&text[..open], body))
}

/// Top-level `field: value` pieces of a struct body (commas inside brackets or strings kept).
fn fields(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in body.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(body[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = body[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// `settings.ron` text: every field written, so the file shows what can be set.
pub(crate) fn settings_text(settings: &crate::store::Settings) -> String {
    let config = ron::ser::PrettyConfig::new().new_line("\n");
    let mut text = options()
        .to_string_pretty(settings, config)
        .unwrap_or_default();
    text.push('\n');
    text
}
