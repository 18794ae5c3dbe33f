//! The design file format: RON with two extensions on by default, so a layer reads
//! `LSTM(units: 64, return_sequences: true, recurrent_regularizer: L2(0.0015))` rather than
//! `LSTM((units: 64, ..., recurrent_regularizer: Some(L2(0.0015))))`. Fields at their defaults
//! are left out when writing and filled in when reading. An unknown field in a design is an
//! error with its position, as Keras refuses an unknown keyword: a misspelt `activaton` would
//! otherwise be dropped on the next save without a word.

use std::collections::HashMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::model::Located;
use crate::model::design::VERSION;
use crate::model::graph::Graph;
use crate::model::{Design, Dtype, Input, Layer, Shape};
use crate::store::quick_read;

/// Files larger than this are refused before parsing: the example is under 1 KiB, and a design
/// of 10,000 layers is well under 1 MiB.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// How deep brackets may nest (a design needs about 5; wrappers add one or two). Checked on the
/// text before parsing: besides guarding the stack, it bounds RON's look-ahead, which rescans
/// the rest of a value at every level of `Name(` nesting (seconds per level for a large file).
const MAX_NESTING: usize = 10;

/// RON's own limit, a backstop should the text check and RON disagree on what nests.
const RECURSION_LIMIT: usize = 64;

/// The RON dialect shared by reading and writing.
fn options() -> ron::Options {
    use ron::extensions::Extensions;
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
        .with_recursion_limit(RECURSION_LIMIT)
}

/// Reads a design from text. Pure: no files. An unknown field is an error, so nothing is
/// skipped.
pub fn parse_design(text: &str) -> Result<Design, Located> {
    parse_design_with(text, true)
}

/// [`parse_design`] with every text read by RON, none by the quick reader: the same answers,
/// slower. The reference the quick reader is tested against.
pub fn parse_design_with_ron(text: &str) -> Result<Design, Located> {
    parse_design_with(text, false)
}

/// The design in `text` if the quick reader takes the text (the plain form [`to_ron`] writes),
/// else `None`: [`parse_design`] then reads it with RON.
pub fn quick_design(text: &str) -> Option<Design> {
    quick_read::read(text.strip_prefix('\u{feff}').unwrap_or(text), MAX_NESTING)
}

/// [`parse_design`], with or without the quick reader.
fn parse_design_with(text: &str, quick: bool) -> Result<Design, Located> {
    // A byte-order mark is not part of the text (editors on Windows write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Located::at(1, 1, "the file is empty").fix(
            "a design starts with `(version: 1, name: \"...\", input: (shape: [...]), layers: [...])`",
        ));
    }
    // The quick reader counts brackets as `check_nesting` does, so a text it reads needs no
    // other check. A design from a newer lstm-tui goes through RON, whose path reports it.
    if let Some(design) = quick
        .then(|| quick_read::read::<Design>(text, MAX_NESTING))
        .flatten()
        .filter(|d| d.version <= VERSION)
    {
        return Ok(design);
    }
    check_nesting(text)?;
    // The version probe parses the whole file a second time: a design that reads and is not
    // newer needs no probe, and any other answers exactly as if the probe had come first.
    let (design, unknown) = match parse_ron::<Design>(text) {
        Ok((design, unknown)) if design.version <= VERSION => (design, unknown),
        parsed => {
            check_version(text)?;
            parsed?
        }
    };
    match unknown.into_iter().next() {
        Some(refused) => Err(refused),
        None => Ok(design),
    }
}

/// Reads a design from raw bytes: refuses oversized input and invalid UTF-8 with a position.
pub fn parse_design_bytes(bytes: &[u8]) -> Result<Design, Located> {
    parse_design(text_of(bytes)?)
}

/// The bytes as text without a leading byte-order mark (editors on Windows write one; it is
/// not part of the text), or where the first byte that is not UTF-8 sits.
pub(crate) fn text_of(bytes: &[u8]) -> Result<&str, Located> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(Located::at(
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
        Located::at(
            line,
            column,
            "the file is not UTF-8 text (was it saved in another encoding, or is it not text?)",
        )
    })
}

/// The 1-based line and column just after `text`.
fn end_position(text: &str) -> (usize, usize) {
    let line = text.matches('\n').count() + 1;
    let last = text.rsplit('\n').next().unwrap_or("");
    (line, last.chars().count() + 1)
}

/// Refuses brackets nested deeper than [`MAX_NESTING`], skipping strings, chars and comments
/// as RON does.
fn check_nesting(text: &str) -> Result<(), Located> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let (line, column) = end_position(&text[..i]);
                    return Err(Located::at(
                        line,
                        column,
                        format!(
                            "brackets nest deeper than {MAX_NESTING} levels; no design needs that"
                        ),
                    ));
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'"' => i = skip_quoted(b, i, b'"'),
            b'\'' => i = skip_quoted(b, i, b'\''),
            b'r' if i == 0 || !is_ident(b[i - 1]) => i = skip_raw_string(b, i + 1),
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block_comment(b, i + 2),
            _ => i += 1,
        }
    }
    Ok(())
}

/// Index after the closing `quote` of a literal starting at `start`, honouring escapes.
fn skip_quoted(b: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Index after `#..#"...."#..#`, with `start` just after the `r`; just `start` when no raw
/// string starts there (a raw identifier `r#name`, or a plain `r`).
fn skip_raw_string(b: &[u8], start: usize) -> usize {
    let hashes = b[start..].iter().take_while(|&&c| c == b'#').count();
    if b.get(start + hashes) != Some(&b'"') {
        return start;
    }
    let body = start + hashes + 1;
    let mut i = body;
    while i < b.len() {
        if b[i] == b'"'
            && b[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    b.len()
}

/// Index after a block comment's end (they nest in RON), `start` just inside `/*`.
fn skip_block_comment(b: &[u8], start: usize) -> usize {
    let mut level = 1usize;
    let mut i = start;
    while i < b.len() {
        if b[i..].starts_with(b"/*") {
            level += 1;
            i += 2;
        } else if b[i..].starts_with(b"*/") {
            level -= 1;
            i += 2;
            if level == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// Refuses a file from a newer lstm-tui before trying to read fields it may have redefined.
fn check_version(text: &str) -> Result<(), Located> {
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
            Err(Located::at(
                line,
                column,
                format!(
                    "written by a newer lstm-tui (version {v}); this one reads version {VERSION}"
                ),
            )
            .fix("upgrade lstm-tui"))
        }
        _ => Ok(()),
    }
}

/// Parses any RON document in the file dialect, collecting the fields it does not know, each
/// placed where it is written (a caller decides whether they are errors).
pub(crate) fn parse_ron<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<Located>), Located> {
    // Tracking the path to every value costs a string per field; only an error needs it, so a
    // text that does not read is parsed again with the tracking on.
    match parse_untracked(text) {
        Some((value, ignored)) => Ok((value, unknown(text, ignored))),
        None => parse_tracked(text),
    }
}

/// The value and the paths of skipped fields, or `None` if the text does not read.
fn parse_untracked<T: DeserializeOwned>(text: &str) -> Option<(T, Vec<String>)> {
    let mut de = ron::Deserializer::from_str_with_options(text, &options()).ok()?;
    let mut ignored = Vec::new();
    let value = {
        let mut note = |path: serde_ignored::Path<'_>| ignored.push(path_text(&path));
        T::deserialize(serde_ignored::Deserializer::new(&mut de, &mut note)).ok()?
    };
    de.end().ok()?;
    Some((value, ignored))
}

/// [`parse_ron`] with the path to the failing value in its error.
fn parse_tracked<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<Located>), Located> {
    let spanned = |e: ron::error::SpannedError| {
        let (line, column) = next_token(text, e.span.start.line, e.span.start.col);
        match (&e.code, negative_at(text, line, column)) {
            // RON says "out of bounds" for any integer an unsigned field cannot hold.
            (ron::Error::IntegerOutOfBounds, Some((minus, number))) => {
                Located::at(line, minus, format!("a size cannot be negative ({number})"))
                    .fix("use a whole number such as 64")
            }
            (code, _) => Located::at(line, column, describe(code)),
        }
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
            if !matches!(path.as_str(), "" | "." | "?") && path.len() <= 80 {
                err.message = format!("{path}: {}", err.message);
            }
            return Err(err);
        }
    };
    de.end().map_err(|e| spanned(de.span_error(e)))?;
    Ok((value, unknown(text, ignored)))
}

/// An error, placed in `text`, for each field the format does not know.
fn unknown(text: &str, ignored: Vec<String>) -> Vec<Located> {
    // The place is where the name first appears, the same for every layer with that field:
    // found once per name, so a large file with an unknown field in each layer stays linear.
    let mut places: HashMap<String, (usize, usize)> = HashMap::new();
    ignored
        .into_iter()
        .map(|path| {
            let field = path.rsplit('.').next().unwrap_or(&path);
            let (line, column) = *places
                .entry(field.to_string())
                .or_insert_with(|| find_field(text, field).unwrap_or((1, 1)));
            Located::at(line, column, format!("unknown field `{path}`"))
                .fix("correct its spelling or remove it (Keras refuses unknown keywords too)")
        })
        .collect()
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
                key.to_string()
            } else {
                format!("{parent}.{key}")
            }
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            path_text(parent)
        }
    }
}

/// The negative number written at (or just after the `-` before) 1-based `line`:`column`, and
/// the column of its `-`.
fn negative_at(text: &str, line: usize, column: usize) -> Option<(usize, String)> {
    let chars: Vec<char> = text
        .split('\n')
        .nth(line.checked_sub(1)?)?
        .chars()
        .collect();
    let at = column.checked_sub(1)?;
    let start = if chars.get(at) == Some(&'-') {
        at
    } else if at > 0 && chars.get(at - 1) == Some(&'-') {
        at - 1
    } else {
        return None;
    };
    let digits: String = chars[start + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == '_')
        .collect();
    (!digits.is_empty()).then(|| (start + 1, format!("-{digits}")))
}

/// Words for RON's errors where its own are terse.
fn describe(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::ExpectedInteger => "expected a whole number".into(),
        E::ExpectedFloat => "expected a number such as 0.5".into(),
        E::ExpectedBoolean => "expected true or false".into(),
        E::ExpectedString => "expected text in double quotes".into(),
        E::ExpectedStringEnd => "a string is not closed: add the closing \"".into(),
        E::ExpectedComma => "expected `,` between two fields or items".into(),
        E::IntegerOutOfBounds => format!("the number is too large (at most {})", u64::MAX),
        E::DuplicateStructField { field, .. } => {
            format!("`{field}` is given twice: keep one")
        }
        E::ExpectedIdentifier => "expected a field name".into(),
        E::ExpectedNamedStructLike(_) => "expected `(` to start the design".into(),
        E::ExceededRecursionLimit => {
            format!("brackets nest deeper than {MAX_NESTING} levels; no design needs that")
        }
        E::Eof => "the file ends too early: a bracket or quote is not closed".into(),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer: Some(outer),
        } if outer == "Layer" => format!(
            "unknown layer kind `{}`: lstm-tui knows {}",
            found,
            expected.join(", ")
        ),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => format!(
            "unknown {} `{}`: expected one of {}",
            outer.as_deref().unwrap_or("variant"),
            found,
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

/// RON reports some errors at the whitespace before the offending token: move to the token.
fn next_token(text: &str, line: usize, column: usize) -> (usize, usize) {
    let mut offset = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            offset += l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(l.len(), |(i, _)| i);
            break;
        }
        offset += l.len();
    }
    let Some(rest) = text.get(offset..) else {
        return (line, column);
    };
    let token = rest.len() - rest.trim_start().len();
    if token == rest.len() {
        return (line, column);
    }
    end_position(&text[..offset + token])
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
        without_defaults(
            &compact(&design.input),
            &compact(&default_input),
            Some("shape")
        )
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
    if !design.graph.is_chain() {
        out.push_str(&graph_text(&design.graph));
    }
    out.push_str(")\n");
    out
}

/// A graph design's wiring, one call per line so a diff shows which call changed.
fn graph_text(graph: &Graph) -> String {
    let mut out = String::from("    graph: (\n");
    if let Some(name) = &graph.input_name {
        out.push_str(&format!("        input_name: {},\n", compact(name)));
    }
    if !graph.inputs.is_empty() {
        out.push_str("        inputs: [\n");
        for input in &graph.inputs {
            out.push_str(&format!("            {},\n", compact(input)));
        }
        out.push_str("        ],\n");
    }
    if !graph.wiring.is_empty() {
        out.push_str("        wiring: {\n");
        for (index, call) in &graph.wiring {
            out.push_str(&format!("            {index}: {},\n", compact(call)));
        }
        out.push_str("        },\n");
    }
    if !graph.shared.is_empty() {
        out.push_str("        shared: [\n");
        for call in &graph.shared {
            out.push_str(&format!("            {},\n", compact(call)));
        }
        out.push_str("        ],\n");
    }
    if !graph.outputs.is_empty() {
        out.push_str(&format!("        outputs: {},\n", compact(&graph.outputs)));
    }
    out.push_str("    ),\n");
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
