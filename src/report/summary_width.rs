//! How wide Keras 3 draws `model.summary()` for a terminal of a given width: the terminal's
//! columns as Python's `shutil.get_terminal_size` finds them, and the column widths Keras'
//! `print_summary` and rich's `Table` make of them.

use std::fmt;

/// The width Keras assumes when standard output is not a terminal (shutil's fallback).
pub const FALLBACK_COLUMNS: usize = 80;

/// Keras' columns at 80 terminal columns without "Connected to": what [`TableWidths::keras`]
/// gives for [`FALLBACK_COLUMNS`] (a unit test holds them equal).
const SEQUENTIAL_80: [usize; 3] = [31, 22, 13];

/// The widths of one summary table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableWidths {
    /// The terminal's columns: rich wraps the title and the totals at this width.
    console: usize,
    /// Content widths of Keras' columns (three, or four with "Connected to").
    keras: Vec<usize>,
}

/// The terminal is too narrow for Keras' table: Keras raises "Insufficient console width to
/// print summary." rather than draw a column under 4 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooNarrow {
    /// The width given.
    pub columns: usize,
    /// The narrowest width at least `columns` that Keras can draw the table at.
    pub needed: usize,
}

impl fmt::Display for TooNarrow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} columns are too narrow for Keras' summary table (Keras refuses with \
             \"Insufficient console width to print summary.\"); it needs at least {}: widen \
             the terminal or pass --width {} or more",
            self.columns, self.needed, self.needed
        )
    }
}

impl std::error::Error for TooNarrow {}

impl Default for TableWidths {
    /// Keras' table when standard output is not a terminal: 80 columns, no "Connected to".
    fn default() -> Self {
        TableWidths {
            console: FALLBACK_COLUMNS,
            keras: SEQUENTIAL_80.to_vec(),
        }
    }
}

impl TableWidths {
    /// The table Keras draws in a terminal `columns` wide, with the "Connected to" column for
    /// a `graph` (Keras' functional layout) or without it (a Sequential model, or a graph Keras
    /// prints as a chain).
    ///
    /// Keras' `print_summary`: the table is `min(88, columns - 4)` wide (108 with "Connected
    /// to"), cut at 45% / 80% / 100% (30% / 56% / 74% / 100%) with Python's float product
    /// truncated, each part at least 4. rich then fits those widths plus one space of padding
    /// either side into the table less its borders: always 3n + 1 too many, taken back by
    /// `ratio_reduce`, which rounds half to even.
    pub fn keras(columns: usize, graph: bool) -> Result<Self, TooNarrow> {
        match keras_columns(columns, graph) {
            Some(keras) => Ok(TableWidths {
                console: columns,
                keras,
            }),
            None => Err(TooNarrow {
                columns,
                needed: (columns..=usize::MAX)
                    .find(|&c| keras_columns(c, graph).is_some())
                    .unwrap_or(usize::MAX),
            }),
        }
    }

    /// The same table with the title and totals wrapped at `console` columns: rich's console
    /// finds the terminal's width by a rule of its own ([`console_columns`]), which can
    /// differ from the one that sized the table.
    #[must_use]
    pub fn with_console(self, console: usize) -> Self {
        TableWidths { console, ..self }
    }

    /// The terminal's columns the title and totals wrap at.
    pub fn console(&self) -> usize {
        self.console
    }

    /// Content widths of Keras' columns, in order.
    pub fn keras_columns(&self) -> &[usize] {
        &self.keras
    }

    /// Whether the table has Keras' "Connected to" column.
    pub fn graph(&self) -> bool {
        self.keras.len() == 4
    }
}

/// Keras' content widths for a terminal `columns` wide, or `None` where Keras refuses.
fn keras_columns(columns: usize, graph: bool) -> Option<Vec<usize>> {
    let (default, positions): (i64, &[f64]) = if graph {
        (108, &[0.3, 0.56, 0.74, 1.0])
    } else {
        (88, &[0.45, 0.80, 1.0])
    };
    let columns = i64::try_from(columns).unwrap_or(i64::MAX);
    let line_length = default.min(columns.saturating_sub(4));
    let mut widths = Vec::with_capacity(positions.len());
    let mut current = 0;
    for &pos in positions {
        // Python's int() of the float product: truncation, as `as` does.
        let width = (pos * line_length as f64) as i64 - current;
        if width < 4 {
            return None;
        }
        widths.push(width);
        current += width;
    }
    let n = i64::try_from(widths.len()).ok()?;
    // rich: each column wants its width plus 2 of padding; the table has `line_length` less
    // its n + 1 borders to give.
    let mut wanted: Vec<i64> = widths.iter().map(|w| w + 2).collect();
    let excess = wanted.iter().sum::<i64>() - (line_length - (n + 1));
    ratio_reduce(excess, &mut wanted);
    wanted
        .iter()
        .map(|w| usize::try_from((w - 2).max(0)).ok())
        .collect()
}

/// rich's `ratio_reduce` with equal ratios: takes `total` from `values`, spread evenly, each
/// share rounded half to even (Python's `round`) and no more than the value itself.
fn ratio_reduce(total: i64, values: &mut [i64]) {
    let mut remaining = total;
    let mut ratio = i64::try_from(values.len()).unwrap_or(i64::MAX);
    for v in values.iter_mut() {
        let share = round_half_even(remaining, ratio).min(*v);
        *v -= share;
        remaining -= share;
        ratio -= 1;
    }
}

/// `round(a / b)` in Python for `b > 0`: the nearest integer, halves to the even one.
fn round_half_even(a: i64, b: i64) -> i64 {
    let (q, r) = (a.div_euclid(b), a.rem_euclid(b));
    match (2 * r).cmp(&b) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    }
}

/// The terminal width as Python's `shutil.get_terminal_size().columns` finds it: `COLUMNS`
/// when it holds a positive integer as Python's `int()` reads one, else the width of the
/// terminal on standard output when it reports one above 0, else 80.
pub fn terminal_columns(columns_env: Option<&str>, stdout_width: Option<u16>) -> usize {
    match columns_env.and_then(python_int) {
        Some(c) if c > 0 => usize::try_from(c).unwrap_or(usize::MAX),
        _ => match stdout_width {
            Some(w) if w > 0 => usize::from(w),
            _ => FALLBACK_COLUMNS,
        },
    }
}

/// The width rich's console prints Keras' title and totals at: `COLUMNS` when it is all
/// digits (rich's `str.isdigit()`, without `int()`'s spaces and sign) and above 0, else the
/// width of the first of standard input, output and error that is a terminal
/// (`first_terminal_width`) when above 0, else 80. So `summary > file` from a terminal
/// wraps them at that terminal's width while the table keeps Keras' 80-column layout.
pub fn console_columns(columns_env: Option<&str>, first_terminal_width: Option<u16>) -> usize {
    let digits = columns_env.filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()));
    match digits.and_then(python_int) {
        Some(c) if c > 0 => usize::try_from(c).unwrap_or(usize::MAX),
        _ => match first_terminal_width {
            Some(w) if w > 0 => usize::from(w),
            _ => FALLBACK_COLUMNS,
        },
    }
}

/// Python's `int(text)` for the integers a terminal width can be: surrounding whitespace, an
/// optional sign, ASCII digits with single underscores between them. Values beyond `i128`
/// saturate (Python's are unbounded; either way the table is at its widest).
fn python_int(text: &str) -> Option<i128> {
    let t = text.trim_matches(python_space);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let mut value: i128 = 0;
    for c in digits.chars().filter(|&c| c != '_') {
        let d = c.to_digit(10)?;
        value = value.saturating_mul(10).saturating_add(i128::from(d));
    }
    Some(if negative { -value } else { value })
}

/// `str.isspace()` as Python's `int()` strips it: Unicode white space and the ASCII
/// separators 0x1c–0x1f.
fn python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_table_is_keras_rule_at_80_columns() {
        assert_eq!(TableWidths::keras(80, false), Ok(TableWidths::default()));
    }

    #[test]
    fn python_rounds_halves_to_even() {
        // round(3.5) == 4, round(2.5) == 2, round(10 / 3) == 3 in Python.
        assert_eq!(round_half_even(7, 2), 4);
        assert_eq!(round_half_even(5, 2), 2);
        assert_eq!(round_half_even(10, 3), 3);
    }

    #[test]
    fn columns_follow_python_shutil() {
        assert_eq!(terminal_columns(Some(" 120\n"), Some(90)), 120);
        assert_eq!(terminal_columns(Some("1_20"), None), 120);
        assert_eq!(terminal_columns(Some("+60"), None), 60);
        for ignored in ["0", "-5", "abc", "", "1__0", "_10", "12.0"] {
            assert_eq!(terminal_columns(Some(ignored), Some(90)), 90, "{ignored:?}");
        }
        assert_eq!(terminal_columns(None, Some(0)), 80);
        assert_eq!(terminal_columns(None, None), 80);
        assert_eq!(
            terminal_columns(Some("99999999999999999999999999"), None),
            usize::MAX
        );
    }

    #[test]
    fn the_console_width_follows_rich() {
        assert_eq!(console_columns(Some("60"), Some(90)), 60);
        for by_terminal in [" 60", "+60", "1_20", "0", ""] {
            assert_eq!(
                console_columns(Some(by_terminal), Some(90)),
                90,
                "{by_terminal:?}"
            );
        }
        assert_eq!(console_columns(None, Some(0)), 80);
        assert_eq!(console_columns(None, None), 80);
    }

    #[test]
    fn too_narrow_says_how_wide_keras_needs() {
        let e = TableWidths::keras(19, false).unwrap_err();
        assert_eq!(e.needed, 20);
        assert_eq!(TableWidths::keras(24, true).unwrap_err().needed, 25);
        assert!(TableWidths::keras(0, false).is_err());
    }
}
