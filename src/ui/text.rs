//! Text helpers shared by the panes: wrapping, shares and highlighting (numbers are in
//! `report::numbers`; user strings go through `caps::visible`).

pub use crate::caps::wrap;

use ratatui::text::Span;
use unicode_width::UnicodeWidthStr;

use crate::caps::truncate;

/// `part` as a share of `whole`: `30.3%`.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

/// `line` with `style` laid over every span, so a selection colour wins over the spans' own.
pub fn highlight(
    mut line: ratatui::text::Line<'static>,
    style: ratatui::style::Style,
) -> ratatui::text::Line<'static> {
    for span in &mut line.spans {
        span.style = span.style.patch(style);
    }
    line.style = line.style.patch(style);
    line
}

/// The first of `titles` (longest first) that fits `room` columns; the last, cut with `…`,
/// when none does. Each shorter form leaves out a whole part, so no number is ever cut.
pub fn fit_title(titles: &[String], room: usize) -> String {
    titles
        .iter()
        .find(|t| t.width() <= room)
        .or(titles.last())
        .map(|t| truncate(t, room).into_owned())
        .unwrap_or_default()
}

/// The parts of a line, each with how readily it goes (0 never, higher first), that fit
/// `room` columns: the most dispensable parts are left out, whole, until the rest fits.
pub fn fit_parts(parts: Vec<(u8, Span<'static>)>, room: usize) -> Vec<Span<'static>> {
    let mut parts = parts;
    loop {
        let used: usize = parts.iter().map(|(_, s)| s.width()).sum();
        let most = parts.iter().map(|(r, _)| *r).max().unwrap_or(0);
        if used <= room || most == 0 {
            return parts.into_iter().map(|(_, s)| s).collect();
        }
        parts.retain(|(r, _)| *r != most);
    }
}

/// `text` in `room` columns: whole when it fits, else cut after the last whole word that
/// leaves room for `…`, so a number or a word is never cut in two.
pub fn cut_words(text: &str, room: usize) -> String {
    if text.width() <= room {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if next.width() + 1 > room {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        // One word longer than the room: only a cut can show any of it.
        return truncate(text, room).into_owned();
    }
    out.push('…');
    out
}
