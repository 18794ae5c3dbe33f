//! Making text read from files (layer names, design names, error snippets) safe to draw.
//!
//! A name is user data: an `ESC` in it could recolour, move the cursor or retitle the terminal,
//! and a bidi override could make it read backwards. Such characters are shown, not obeyed.

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
/// - the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the
///   "Trojan Source" set) → `<U+202E>` etc.
///
/// Everything else, CJK and accents included, is kept. The escapes are ASCII so they also fit
/// the ASCII glyph mode. Text with nothing to replace is borrowed, not copied.
pub fn visible(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(needs_escape) else {
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
            c if needs_escape(c) => {
                // Writing to a String cannot fail.
                let _ = write!(out, "<U+{:04X}>", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether [`visible`] replaces `c`.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
