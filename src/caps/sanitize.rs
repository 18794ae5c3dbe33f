//! Making text read from files (layer names, design names, error snippets) safe to draw, print
//! or write into a generated file.
//!
//! A name is user data: an `ESC` in it could recolour, move the cursor or retitle the terminal,
//! a bidi override could make it read backwards and a zero-width space could make two names
//! look alike. Such characters are shown, not obeyed. [`must_escape`] is the one policy; the
//! functions here apply it to each kind of output: [`visible`] for a field on screen,
//! [`visible_lines`] for printed text, [`markdown_cell`] for a Markdown table and
//! [`escape_json`] for JSON ([`push_json_str`] for one string of it; code exports spell the
//! same characters as Python escapes).
//!
//! Model values keep user text as it was read, errors included (`model::Located` quotes the
//! file raw); presentation applies this policy (`report::Derivation` when it is built, every
//! writer before output) and no other spelling of it. Applying it twice changes nothing.

use std::borrow::Cow;
use std::fmt::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// What ends a cut text (`--ascii` turns it into `.` with the rest of the frame).
const ELLIPSIS: &str = "…";

/// `text` with every character a terminal would act on instead of print replaced by a visible
/// ASCII escape, the way less(1) shows them:
///
/// - C0 controls and DEL in caret notation: `ESC` → `^[`, `\n` → `^J`, DEL → `^?`;
/// - C1 controls (U+0080–U+009F, e.g. the one-character CSI U+009B) → `<U+009B>`;
/// - the bidi embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, the
///   "Trojan Source" set, and U+200E, U+200F, U+061C) → `<U+202E>` etc.;
/// - characters that take no room and show nothing: zero-width spaces and joiners
///   (U+200B–U+200D, U+2060–U+2064, U+FEFF), the soft hyphen U+00AD, line and paragraph
///   separators (U+2028, U+2029), U+180E, the interlinear annotations (U+FFF9–U+FFFB) and the
///   tag characters (U+E0000–U+E007F, which can carry hidden ASCII).
///
/// Everything else, CJK and accents included, is kept. The escapes are ASCII so they also fit
/// the ASCII glyph mode. Text with nothing to replace is borrowed, not copied.
pub fn visible(text: &str) -> Cow<'_, str> {
    // Names are almost always printable ASCII, which needs no character decoded.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(text);
    }
    let Some(first) = text.find(must_escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            '\0'..='\x1f' => {
                out.push('^');
                // 0x40 + code maps 0x1b to '[' and 0x00 to '@': the caret convention.
                out.push(char::from(c as u8 + 0x40));
            }
            '\x7f' => out.push_str("^?"),
            c if must_escape(c) => {
                // Writing to a String cannot fail.
                let _ = write!(out, "<U+{:04X}>", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `c` may not reach a terminal or a generated file as it is: every output of user
/// text replaces it (see [`visible`] for the list).
pub fn must_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

/// Printed text (a table, a comparison, a derivation, an error): as [`visible`], but line
/// breaks are kept, so a report's lines stay lines while a name's `\n` is shown as `^J`.
/// Text that [`visible`] already made safe comes out unchanged.
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    if !needs_escape(text) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(visible).collect();
    Cow::Owned(lines.join("\n"))
}

/// Whether a character of `text` other than `\n` must be escaped. A report of many layers is
/// megabytes of ASCII and box drawing: only a few bytes can start a character [`must_escape`]
/// names (ASCII controls, and the UTF-8 lead bytes of the blocks holding the others), so only
/// those are decoded.
fn needs_escape(text: &str) -> bool {
    // First a pass that only looks for bytes that could start one, without an early exit, so
    // it runs on many bytes at once: a report has none, and is then passed over whole.
    let b = text.as_bytes();
    let maybe = |byte: u8, next: u8| {
        ((byte < 0x20) & (byte != b'\n'))
            | matches!(byte, 0x7f | 0xc2 | 0xd8 | 0xe1 | 0xef | 0xf3)
            | ((byte == 0xe2) & (next & 0xfe == 0x80))
    };
    let pairs = b.iter().zip(b.get(1..).unwrap_or_default());
    let any = pairs.fold(false, |any, (&byte, &next)| any | maybe(byte, next));
    (any || b.last().is_some_and(|&last| maybe(last, 0))) && decoded_needs_escape(text)
}

/// [`needs_escape`], decoding the characters that could need it.
fn decoded_needs_escape(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &byte)| match byte {
        b'\n' => false,
        0..=0x1f | 0x7f => true,
        // U+2000..U+207F start E2 80 or E2 81; the rest of E2 (box drawing, arrows) is safe.
        0xe2 if !matches!(b.get(i + 1), Some(0x80 | 0x81)) => false,
        // A lead byte always starts a character, so `i` is a char boundary.
        0xc2 | 0xd8 | 0xe1 | 0xe2 | 0xef | 0xf3 => text
            .get(i..)
            .and_then(|t| t.chars().next())
            .is_some_and(must_escape),
        _ => false,
    })
}

/// Text for one cell of a Markdown table: [`visible`], then every character Markdown would act
/// on inside a cell escaped with a backslash: `|` (which would end the cell), `\\` (which would
/// escape the `|` after it), and the starts of links, inline HTML, emphasis and code.
pub fn markdown_cell(text: &str) -> String {
    let shown = visible(text);
    let mut out = String::with_capacity(shown.len() + 4);
    for c in shown.chars() {
        if matches!(c, '|' | '\\' | '[' | ']' | '<' | '>' | '*' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Serialised JSON with every character of [`must_escape`] spelled as a `\uXXXX` escape.
/// serde_json escapes only C0 controls; C1 controls, bidi and zero-width characters would
/// otherwise reach the terminal or file raw. The escapes keep the JSON valid and the values
/// exact. Outside strings JSON is ASCII, so every such character is inside a string.
pub fn escape_json(json: &str) -> Cow<'_, str> {
    if !needs_escape(json) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c != '\n' && must_escape(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` as a JSON string, quotes included, appended to `out`: escaped as serde_json escapes
/// it (`"`, `\\`, C0 controls) and with every character of [`must_escape`] spelled as
/// [`escape_json`] spells it, so the bytes are `escape_json` of serde_json's text for `text`.
/// A writer of JSON that passes every string through this needs no pass over its whole text.
pub fn push_json_str(out: &mut String, text: &str) {
    out.push('"');
    // Names are almost always printable ASCII: those are copied whole.
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        out.push_str(text);
    } else {
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if must_escape(c) => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        // Writing to a String cannot fail.
                        let _ = write!(out, "\\u{unit:04x}");
                    }
                }
                c => out.push(c),
            }
        }
    }
    out.push('"');
}

/// `text` cut to at most `max_cols` terminal columns, ending in `…` when cut.
///
/// Columns are measured with unicode-width, as ratatui does: CJK ideographs take two, combining
/// marks none. The cut falls between characters, never inside one (a grapheme cluster may lose
/// trailing modifiers such as U+FE0F if keeping them would overflow). When even the ellipsis does
/// not fit (`max_cols` smaller than `...`), the text is cut without one: a few real characters
/// say more than a few dots. Pass text through [`visible`] first; control characters have no
/// reliable width.
pub fn truncate(text: &str, max_cols: usize) -> Cow<'_, str> {
    if text.width() <= max_cols {
        return Cow::Borrowed(text);
    }
    let (room, tail) = match max_cols.checked_sub(ELLIPSIS.width()) {
        Some(room) => (room, ELLIPSIS),
        None => (max_cols, ""),
    };
    let mut end = 0;
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += c.width().unwrap_or(0);
        if used > room {
            break;
        }
        end = at + c.len_utf8();
    }
    // A string's width is not always the sum of its characters' (an emoji with U+FE0F is
    // wider, a ZWJ sequence narrower), so back off until the prefix itself fits.
    while text[..end].width() > room {
        end = text[..end]
            .char_indices()
            .next_back()
            .map_or(0, |(at, _)| at);
    }
    let mut out = String::with_capacity(end + tail.len());
    out.push_str(&text[..end]);
    out.push_str(tail);
    Cow::Owned(out)
}

/// Greedy word wrap to `width` columns (counted in chars; the texts are our own and plain).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split(' ') {
        let wl = word.chars().count();
        if len > 0 && len + 1 + wl > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        if wl > width {
            for c in word.chars() {
                if len == width {
                    lines.push(std::mem::take(&mut line));
                    len = 0;
                }
                line.push(c);
                len += 1;
            }
        } else {
            line.push_str(word);
            len += wl;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
