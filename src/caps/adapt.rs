//! Fitting a drawn frame to the terminal: colours to its colour level, glyphs to ASCII.
//!
//! Done once over the finished buffer rather than in every widget, so no pane, popup or
//! future widget can forget it, and themes stay written in whatever colours read best.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

use super::{ColorLevel, fit};

/// Rewrites every cell of `buf` for a terminal with `level` colours and, if `ascii`, only
/// ASCII glyphs. Without colour, a cell whose background stands out from the screen's own
/// (a selection, a highlighted row) is drawn reversed instead, so the mark survives
/// `NO_COLOR`.
pub fn adapt(buf: &mut Buffer, level: ColorLevel, ascii: bool) {
    let base = (level == ColorLevel::None).then(|| screen_background(buf));
    let mut skip_next = false;
    for cell in &mut buf.content {
        if level != ColorLevel::TrueColor {
            if base.is_some_and(|b| cell.bg != b) {
                cell.modifier.insert(Modifier::REVERSED);
            }
            cell.fg = keep_reset(cell.fg, level);
            cell.bg = keep_reset(cell.bg, level);
            cell.underline_color = keep_reset(cell.underline_color, level);
        }
        if ascii {
            if skip_next {
                // The second column of a wide character that became one ASCII column.
                skip_next = false;
                cell.set_symbol(" ");
                continue;
            }
            let symbol = cell.symbol();
            if !symbol.is_ascii() {
                skip_next = symbol.width() > 1;
                let replacement = to_ascii(symbol);
                cell.set_symbol(replacement);
            }
        }
    }
}

/// The background most cells have: the theme's base, which is no mark.
fn screen_background(buf: &Buffer) -> Color {
    let mut counts: Vec<(Color, usize)> = Vec::new();
    for cell in &buf.content {
        match counts.iter_mut().find(|(c, _)| *c == cell.bg) {
            Some((_, n)) => *n += 1,
            None => counts.push((cell.bg, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(_, n)| n)
        .map_or(Color::Reset, |(c, _)| c)
}

/// `Reset` means "the terminal's own colour" and stays so at every level.
fn keep_reset(color: Color, level: ColorLevel) -> Color {
    match color {
        Color::Reset => Color::Reset,
        c => fit(c, level),
    }
}

/// The ASCII stand-in for one drawn symbol: box drawing by its shape, arrows and marks by
/// their meaning, anything else (letters of other scripts, emoji) as `?`.
pub fn to_ascii(symbol: &str) -> &'static str {
    let Some(c) = symbol.chars().next() else {
        return " ";
    };
    match c {
        '━' | '═' | '╍' | '┅' => "=",
        '─' | '╌' | '┄' | '╴' | '╶' | '–' | '—' | '‐' => "-",
        '│' | '┃' | '║' | '╎' | '┆' | '▏' | '▕' | '╵' | '╷' => "|",
        '\u{2500}'..='\u{257f}' => "+",
        '█' | '▉' | '▊' | '▋' | '▌' | '▍' | '▎' | '▐' | '■' => "#",
        '•' => "*",
        '░' | '▒' | '▓' | '·' | '∙' => ".",
        '×' => "x",
        '÷' => "/",
        '→' | '⟶' | '›' | '❯' | '▶' | '▸' | '»' => ">",
        '←' | '‹' | '◀' | '«' => "<",
        '↑' | '▲' => "^",
        '↓' | '▼' => "v",
        '≠' => "!",
        '≤' => "<",
        '≥' => ">",
        '≈' | '~' => "~",
        '✓' | '✔' => "v",
        '✗' | '✘' | '✕' => "x",
        '…' => ".",
        '⚠' => "!",
        _ => "?",
    }
}
