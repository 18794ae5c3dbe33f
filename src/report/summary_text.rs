//! The summary as Keras 3's `model.summary()` prints it: a table drawn with box characters
//! (rich's HEAVY_HEAD box) as wide as Keras makes it for the terminal (76 characters at 80
//! columns; see `summary_width.rs`), with a "Connected to" column for a graph, cells wrapped
//! the way rich wraps them, and totals with their float32 sizes, wrapped at the terminal's
//! width as rich's console wraps them.

use std::fmt::Write;

use unicode_width::UnicodeWidthChar;

use crate::caps::visible;
use crate::model::budget::Budget;
use crate::model::summary::{Layout as Keras, Row, Summary};
use crate::model::weights::Convention;
use crate::report::columns::{self, Column};
use crate::report::numbers::{float32_size, thousands};
use crate::report::summary_width::TableWidths;

/// Content widths of the optional columns, by kind.
fn column_width(c: Column) -> usize {
    match c {
        Column::Input => 22,
        Column::Macs => 15,
        Column::Memory => 14,
        Column::Percent => 8,
        Column::Trainable => 9,
    }
}

/// The table Keras prints, byte for byte in the Keras convention. In the PyTorch convention the
/// title says so.
pub fn text(summary: &Summary, model_name: &str) -> String {
    text_with(summary, model_name, &[], &Budget::default())
}

/// The same table with optional columns after Keras' three, and their totals below the
/// parameter totals; without columns it is [`text`], byte for byte.
pub fn text_with(
    summary: &Summary,
    model_name: &str,
    columns: &[Column],
    budget: &Budget,
) -> String {
    // 80 columns, Keras' width when output is not a terminal, never too narrow.
    let widths = TableWidths::keras(80, summary.layout == Keras::Graph).unwrap_or_default();
    text_in(summary, model_name, columns, budget, &widths)
}

/// [`text_with`] laid out as Keras lays it out for another terminal width (`widths`, made
/// with the "Connected to" column for a summary whose layout is [`Graph`](Keras::Graph): each row's
/// entries, `lstm[0][1]`, joined with `, `; `-` for none). The optional columns keep their
/// widths after Keras' columns.
pub fn text_in(
    summary: &Summary,
    model_name: &str,
    columns: &[Column],
    budget: &Budget,
    widths: &TableWidths,
) -> String {
    write_text(summary, model_name, columns, budget, widths, None)
}

/// A piece of the table this long or longer is handed on; the next piece reuses its buffer.
const PART: usize = 64 * 1024;

/// [`text_in`] handed to `part` a piece at a time, each piece whole lines: a table of many
/// layers is megabytes, and writing it out as it is made touches far less memory than holding
/// it whole. The pieces in order are [`text_in`]'s text.
pub fn text_in_parts(
    summary: &Summary,
    model_name: &str,
    columns: &[Column],
    budget: &Budget,
    widths: &TableWidths,
    part: &mut dyn FnMut(&str),
) {
    let rest = write_text(
        summary,
        model_name,
        columns,
        budget,
        widths,
        Some(&mut *part),
    );
    part(&rest);
}

/// The text of [`text_in`]: whole, or, given `part`, the lines after those handed to it.
fn write_text(
    summary: &Summary,
    model_name: &str,
    columns: &[Column],
    budget: &Budget,
    widths: &TableWidths,
    part: Option<&mut dyn FnMut(&str)>,
) -> String {
    let connected: Option<Vec<Vec<String>>> = (summary.layout == Keras::Graph).then(|| {
        summary
            .rows
            .iter()
            .map(|r| {
                summary
                    .connected_to(r)
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            })
            .collect()
    });
    let connected_to = connected.as_deref();
    let mut title = format!("Model: \"{}\"", clean(model_name));
    if summary.convention == Convention::PyTorch {
        title.push_str(" (PyTorch convention)");
    }
    let mut out = table(summary, columns, budget, widths, connected_to, &title, part);
    let console = widths.console();
    let t = &summary.totals;
    let total = t.trainable.checked_add(t.non_trainable);
    let total = match total {
        Some(total) => format!(" Total params: {}", count(total)),
        None => " Total params: more than 18,446,744,073,709,551,615".to_string(),
    };
    push_wrapped(&mut out, &total, console);
    push_wrapped(
        &mut out,
        &format!(" Trainable params: {}", count(t.trainable)),
        console,
    );
    push_wrapped(
        &mut out,
        &format!(" Non-trainable params: {}", count(t.non_trainable)),
        console,
    );
    for line in columns::totals(columns, summary, budget) {
        out.push_str(&format!(" {line}\n"));
    }
    if let Some(e) = &summary.error {
        out.push_str(&format!(
            " Does not build: layer {} {} ({}): {}\n",
            // Counted as the designer's list counts, from 1; JSON keeps Keras' 0-based index.
            e.index + 1,
            clean(&e.name),
            e.class,
            clean(&e.error.to_string())
        ));
    }
    out
}

/// The title and the table, one row per layer.
fn table(
    summary: &Summary,
    columns: &[Column],
    budget: &Budget,
    widths: &TableWidths,
    connected_to: Option<&[Vec<String>]>,
    title: &str,
    mut part: Option<&mut dyn FnMut(&str)>,
) -> String {
    let precision = budget.precision;
    let keras = widths.keras_columns().len();
    let mut all_widths = widths.keras_columns().to_vec();
    let mut right = vec![false, false, true, false];
    right.truncate(keras);
    for &c in columns {
        all_widths.push(column_width(c));
        right.push(c.right_aligned());
    }
    let layout = Layout {
        widths: &all_widths,
        right: &right,
    };
    let mid = layout.border('├', '─', '┼', '┤');
    // Each row takes a border and usually one line of the same length: reserved up front, a
    // table of many layers is written without growing and copying the text (a piece, when
    // the text is handed on in pieces).
    let whole = (summary.rows.len() + 4) * 2 * mid.len();
    let mut out = String::with_capacity(match part {
        Some(_) => whole.min(PART + 16 * mid.len()),
        None => whole,
    });
    push_wrapped(&mut out, title, widths.console());
    out.push_str(&layout.border('┏', '━', '┳', '┓'));
    let mut header: Vec<String> = vec![
        "Layer (type)".into(),
        "Output Shape".into(),
        "Param #".into(),
        "Connected to".into(),
    ];
    header.truncate(keras);
    header.extend(columns.iter().map(|c| c.header(precision)));
    layout.push_row(&mut out, &header, '┃', true);
    out.push_str(&layout.border('┡', '━', '╇', '┩'));
    // One set of cells, refilled for every row.
    let mut cells = vec![String::new(); keras];
    for (i, row) in summary.rows.iter().enumerate() {
        if i > 0 {
            out.push_str(&mid);
        }
        cells.truncate(keras);
        for cell in &mut cells {
            cell.clear();
        }
        // Writing to a String cannot fail.
        let _ = write!(cells[0], "{} ({})", visible(&row.name), row.class);
        let _ = write!(cells[1], "{}", row.output);
        match row.params.total() {
            Ok(n) => cells[2].push_str(&thousands(n)),
            Err(_) => cells[2].push_str("overflow"),
        }
        if let Some(cell) = cells.get_mut(3) {
            connections(cell, connected_to.and_then(|c| c.get(i)));
        }
        cells.extend(
            columns
                .iter()
                .map(|c| clean(&c.cell(row, summary, precision))),
        );
        layout.push_row(&mut out, &cells, '│', false);
        if let Some(part) = part.as_mut().filter(|_| out.len() >= PART) {
            part(&out);
            out.clear();
        }
    }
    out.push_str(&layout.border('└', '─', '┴', '┘'));
    out
}

/// Keras' "Connected to" cell of one row, as the table writes it (the summary pane shows
/// the same cell).
pub fn connected_cell(summary: &Summary, row: &Row) -> String {
    let entries: Vec<String> = summary
        .connected_to(row)
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut cell = String::new();
    connections(&mut cell, Some(&entries));
    cell
}

/// Keras' "Connected to" cell: the entries joined with `, `, or `-` for none.
fn connections(cell: &mut String, entries: Option<&Vec<String>>) {
    match entries {
        Some(entries) if !entries.is_empty() => {
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    cell.push_str(", ");
                }
                cell.push_str(&visible(e));
            }
        }
        _ => cell.push('-'),
    }
}

/// A line as rich's console prints it at `width` columns: word-wrapped, a word wider than the
/// line folded across lines.
fn push_wrapped(out: &mut String, line: &str, width: usize) {
    if fits(line, width) {
        out.push_str(line);
        out.push('\n');
        return;
    }
    for part in wrap(line, width, true) {
        let chars: Vec<char> = part.chars().collect();
        if width_of(&chars) > width {
            out.extend(set_cell_size(&chars, width));
        } else {
            out.push_str(&part);
        }
        out.push('\n');
    }
}

/// `59,910 (234.02 KB)`: the count and its size as float32 values.
fn count(n: u64) -> String {
    format!("{} ({})", thousands(n), float32_size(n))
}

/// Control characters from file-provided names never reach the terminal raw.
/// User text for a cell: see [`visible`].
fn clean(s: &str) -> String {
    visible(s).into_owned()
}

/// Column widths and alignments of one table.
struct Layout<'a> {
    widths: &'a [usize],
    right: &'a [bool],
}

impl Layout<'_> {
    fn border(&self, left: char, fill: char, cross: char, right: char) -> String {
        let mut s = String::with_capacity((self.widths.iter().sum::<usize>() + 20) * 3);
        s.push(left);
        for (i, w) in self.widths.iter().enumerate() {
            if i > 0 {
                s.push(cross);
            }
            s.extend(std::iter::repeat_n(fill, w + 2));
        }
        s.push(right);
        s.push('\n');
        s
    }

    /// One table row, as many lines tall as its tallest wrapped cell; shorter cells sit at
    /// the top, or at the `bottom` as rich sets the header's.
    fn push_row(&self, out: &mut String, cells: &[String], edge: char, bottom: bool) {
        if cells.iter().zip(self.widths).all(|(c, &w)| fits(c, w)) {
            self.push_line(out, cells, edge);
            return;
        }
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(self.widths)
            .zip(self.right)
            .map(|((c, &w), &right)| cell_lines(c, w, right))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for line in 0..height {
            out.push(edge);
            for (i, w) in self.widths.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                    out.push(edge);
                }
                out.push(' ');
                let skip = if bottom { height - wrapped[i].len() } else { 0 };
                match line.checked_sub(skip).and_then(|l| wrapped[i].get(l)) {
                    Some(text) => out.push_str(text),
                    None => spaces(out, *w),
                }
            }
            out.push(' ');
            out.push(edge);
            out.push('\n');
        }
    }
}

impl Layout<'_> {
    /// A row of cells that each fit on one line as they are: what [`wrap`] and [`justify`]
    /// make of them, written without their allocations (most rows are automatic names, shapes
    /// and counts).
    fn push_line(&self, out: &mut String, cells: &[String], edge: char) {
        out.push(edge);
        for (i, ((cell, &w), &right)) in cells.iter().zip(self.widths).zip(self.right).enumerate() {
            if i > 0 {
                out.push(' ');
                out.push(edge);
            }
            out.push(' ');
            let text = if right { cell.trim_end() } else { cell };
            if right {
                spaces(out, w - text.len());
                out.push_str(text);
            } else {
                out.push_str(text);
                spaces(out, w - text.len());
            }
        }
        out.push(' ');
        out.push(edge);
        out.push('\n');
    }
}

/// A cell's lines as [`wrap`] then [`justify`] make them. Printable ASCII (one byte a column,
/// the only space ` `) takes a path without their vectors of characters: a table of many
/// layers wraps one row in three, and those vectors were most of its cost.
fn cell_lines(cell: &str, width: usize, right: bool) -> Vec<String> {
    if width == 0 || !cell.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return wrap(cell, width, false)
            .into_iter()
            .map(|line| justify(&line, width, right))
            .collect();
    }
    let b = cell.as_bytes();
    let mut lines = Vec::with_capacity(2);
    let push = |lines: &mut Vec<String>, mut line: &str| {
        while line.len() > width && line.ends_with(' ') {
            line = &line[..line.len() - 1];
        }
        let text = if right {
            line.trim_end_matches(' ')
        } else {
            line
        };
        let mut out = String::with_capacity(width + 2);
        if text.len() > width {
            out.push_str(&text[..width - 1]);
            out.push('…');
        } else {
            let pad = width - text.len();
            if right {
                spaces(&mut out, pad);
            }
            out.push_str(text);
            if !right {
                spaces(&mut out, pad);
            }
        }
        lines.push(out);
    };
    // `wrap`'s words (`\s*\S+\s*`) and breaks, on bytes.
    let (mut from, mut offset, mut i) = (0, 0, 0);
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        while i < b.len() && b[i] != b' ' {
            i += 1;
        }
        let word_len = i - start;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        let breaks = if offset + word_len <= width {
            false
        } else {
            start > 0 && (word_len > width || offset > 0)
        };
        if breaks {
            push(&mut lines, &cell[from..start]);
            from = start;
        }
        offset = if offset + word_len <= width {
            offset + (i - start)
        } else {
            i - start
        };
    }
    push(&mut lines, &cell[from..]);
    lines
}

/// `n` spaces on `out`, copied a run at a time: a table of many layers pads every cell.
fn spaces(out: &mut String, n: usize) {
    const RUN: &str = "                                                                ";
    let mut left = n;
    while left > 0 {
        let k = left.min(RUN.len());
        out.push_str(&RUN[..k]);
        left -= k;
    }
}

/// Whether `text` is printable ASCII no wider than `width`: one character a cell, so one line
/// that needs no wrapping or cutting.
fn fits(text: &str, width: usize) -> bool {
    text.len() <= width && text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

fn width_of(s: &[char]) -> usize {
    s.iter().map(|c| c.width().unwrap_or(0)).sum()
}

/// rich's `Lines.justify` then `truncate` with `overflow="ellipsis"`: a line wider than the
/// cell keeps `width - 1` cells and ends in `…`; then it is padded (left or right).
fn justify(line: &str, width: usize, right: bool) -> String {
    let mut chars: Vec<char> = if right {
        line.trim_end().chars().collect()
    } else {
        line.chars().collect()
    };
    if width_of(&chars) > width {
        chars = set_cell_size(&chars, width.saturating_sub(1));
        chars.push('…');
        // A column of no width: rich crops the cell's lines to it.
        if width == 0 {
            chars.clear();
        }
    }
    let pad = " ".repeat(width.saturating_sub(width_of(&chars)));
    let text: String = chars.into_iter().collect();
    if right { pad + &text } else { text + &pad }
}

/// rich's `set_cell_size`: the longest prefix that fits `cells`, padded with a space when a
/// wide character would straddle the edge.
fn set_cell_size(chars: &[char], cells: usize) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len());
    let mut used = 0;
    for &c in chars {
        let w = c.width().unwrap_or(0);
        if used + w > cells {
            break;
        }
        out.push(c);
        used += w;
    }
    out.extend(std::iter::repeat_n(' ', cells - used));
    out
}

/// rich's word wrap (`divide_line`): words keep their trailing spaces, a word that does not
/// fit starts a new line, a word wider than the line is folded into pieces of the width
/// (`fold`, as the console prints text) or gets a line of its own (cut later by [`justify`],
/// as Keras' columns use `overflow="ellipsis"`); trailing spaces past the width are dropped.
fn wrap(text: &str, width: usize, fold: bool) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut breaks = Vec::new();
    let mut offset = 0usize;
    for (start, end) in words(&chars) {
        let word = &chars[start..end];
        let trimmed_len = word.len() - word.iter().rev().take_while(|c| c.is_whitespace()).count();
        let word_len = width_of(&word[..trimmed_len]);
        if offset + word_len <= width {
            offset += width_of(word);
        } else if word_len > width && fold {
            let mut at = start;
            let pieces = chop_cells(word, width);
            for (k, piece) in pieces.iter().enumerate() {
                if at > 0 {
                    breaks.push(at);
                }
                if k + 1 == pieces.len() {
                    offset = width_of(piece);
                } else {
                    at += piece.len();
                }
            }
        } else if word_len > width {
            if start > 0 {
                breaks.push(start);
            }
            offset = width_of(word);
        } else if offset > 0 && start > 0 {
            breaks.push(start);
            offset = width_of(word);
        }
    }
    let mut lines = Vec::with_capacity(breaks.len() + 1);
    let mut from = 0;
    for b in breaks.into_iter().chain(std::iter::once(chars.len())) {
        let mut line: Vec<char> = chars[from..b].to_vec();
        // rich's rstrip_end: drop trailing whitespace beyond the width.
        while line.len() > width && line.last().is_some_and(|c| c.is_whitespace()) {
            line.pop();
        }
        lines.push(line.into_iter().collect());
        from = b;
    }
    lines
}

/// rich's `chop_cells`: `word` in pieces of at most `width` cells (at least one character
/// each, so a character wider than the line still moves on).
fn chop_cells(word: &[char], width: usize) -> Vec<&[char]> {
    let mut pieces = Vec::new();
    let (mut from, mut used) = (0, 0);
    for (i, c) in word.iter().enumerate() {
        let w = c.width().unwrap_or(0);
        if used + w > width && i > from {
            pieces.push(&word[from..i]);
            (from, used) = (i, 0);
        }
        used += w;
    }
    if from < word.len() {
        pieces.push(&word[from..]);
    }
    pieces
}

/// rich's `\s*\S+\s*` words, as (start, end) char offsets.
fn words(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i == chars.len() {
            break;
        }
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        out.push((start, i));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_spaces_and_long_words_end_in_an_ellipsis() {
        assert_eq!(
            wrap("batch_normalization (BatchNormalization)", 31, false),
            vec!["batch_normalization ", "(BatchNormalization)"]
        );
        let long = "a".repeat(40);
        assert_eq!(justify(&long, 31, false), format!("{}…", "a".repeat(30)));
    }

    proptest::proptest! {
        /// The ASCII path gives the lines [`wrap`] and [`justify`] give.
        #[test]
        fn ascii_cells_wrap_as_any_cell_wraps(
            cell in "[ -~]{0,60}|[a-z_ ()]{0,60}",
            width in 0usize..40,
            right: bool,
        ) {
            let slow: Vec<String> = wrap(&cell, width, false)
                .into_iter()
                .map(|line| justify(&line, width, right))
                .collect();
            proptest::prop_assert_eq!(cell_lines(&cell, width, right), slow);
        }
    }

    #[test]
    fn control_characters_never_reach_the_table() {
        // ESC (0x1b) in caret notation is ^[ (0x1b + 0x40), LF is ^J; bidi and zero-width
        // characters by code point.
        assert_eq!(clean("a\u{1b}[2Jb\n"), "a^[[2Jb^J");
        assert_eq!(clean("x\u{202e}y\u{200b}"), "x<U+202E>y<U+200B>");
    }
}
