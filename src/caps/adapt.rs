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
    if ascii {
        widen_arrows(buf);
    }
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

/// In ASCII an arrow takes two columns, `->`: a lone `>` made "units 64 → 50" read as a
/// comparison. The rest of the row moves one column right into the first two blank cells
/// (or two cells of a horizontal line, in a title on a border) after the arrow, never across
/// a corner or a vertical border; with no such room the blank after the arrow is used, and
/// only an arrow with neither keeps the one-column stand-in.
fn widen_arrows(buf: &mut Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            if buf[(x, y)].symbol() != "→" {
                x += 1;
                continue;
            }
            let blank = |buf: &Buffer, at: u16| buf[(at, y)].symbol() == " ";
            let line = |buf: &Buffer, at: u16| buf[(at, y)].symbol() == "─";
            let room = (x + 1..area.right().saturating_sub(1))
                .take_while(|&at| line(buf, at) || !is_border(buf[(at, y)].symbol()))
                .find(|&at| {
                    (blank(buf, at) && blank(buf, at + 1)) || (line(buf, at) && line(buf, at + 1))
                });
            let next = x + 1;
            if let Some(room) = room {
                for at in (next + 1..=room).rev() {
                    buf[(at, y)] = buf[(at - 1, y)].clone();
                }
            }
            if room.is_some() || (next < area.right() && blank(buf, next)) {
                buf[(next, y)] = buf[(x, y)].clone();
                buf[(x, y)].set_symbol("-");
                buf[(next, y)].set_symbol(">");
            }
            x += 2;
        }
    }
}

/// A box-drawing character: the edge of a pane or popup.
fn is_border(symbol: &str) -> bool {
    symbol
        .chars()
        .next()
        .is_some_and(|c| ('\u{2500}'..='\u{257f}').contains(&c))
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
        // Rounded corners are the graph lanes' turns (no border uses them), drawn as
        // `git log --graph` draws its lines.
        '╯' | '╭' | '╱' => "/",
        '╮' | '╰' | '╲' => "\\",
        '\u{2500}'..='\u{257f}' => "+",
        '█' | '▉' | '▊' | '▋' | '▌' | '▍' | '▎' | '▐' | '■' => "#",
        // `●` is a call on a graph lane, and the unsaved mark.
        '•' | '●' => "*",
        // A model input and a model output on a graph lane.
        '○' => "o",
        '◉' => "@",
        '░' | '▒' | '▓' | '·' | '∙' => ".",
        '×' => "x",
        '÷' => "/",
        '→' | '⟶' | '›' | '❯' | '▶' | '▸' | '»' => ">",
        '←' | '‹' | '◀' | '«' => "<",
        '↑' | '▲' => "^",
        '↓' | '▼' => "v",
        // A footnote mark, explained where it is used ("* differs in PyTorch"): `!` made
        // "18,176!" read as an error.
        '≠' => "*",
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
