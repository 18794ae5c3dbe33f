//! The lanes the layer list draws at its left edge for a graph design, as `git log --graph`
//! draws a history: one lane per tensor still waiting for a reader, a merge joining lanes into
//! the call that reads them, a tensor read again later staying beside the rows it skips.
//!
//! Rows follow the design's order: every model input, then each layer with its shared calls
//! after it. Every row takes one line, so a join is drawn on the reading row itself: `●─╯`
//! (a lane ends in the call), `├─●` (the call reads a lane that goes on). A chain, and a graph
//! whose lanes never leave one column, draws none and looks as it always has.

use std::collections::HashMap;

use crate::model::graph::{Call, TensorRef};
use crate::model::{Design, Summary, layer_names};

/// What one row of the layer list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A model input (0: `Design::input`, then the graph's further inputs).
    Input(usize),
    /// The design layer at this position of `Design::layers`.
    Layer(usize),
    /// A further call of a shared layer, by its position in the graph's shared calls.
    Shared(usize),
}

/// How a row's own call is marked on its lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A model input.
    Input,
    /// A call whose output is a model output.
    Output,
    /// Any other call.
    Call,
}

/// A lane cell connects up.
pub const UP: u8 = 1;
/// A lane cell connects down.
pub const DOWN: u8 = 2;
/// A lane cell connects left.
pub const LEFT: u8 = 4;
/// A lane cell connects right.
pub const RIGHT: u8 = 8;

/// One character of a row's lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cell {
    /// Which neighbours the line in it reaches: [`UP`], [`DOWN`], [`LEFT`], [`RIGHT`].
    pub links: u8,
    /// The row's call sits here.
    pub node: Option<Mark>,
    /// The row whose output the line carries, for highlighting what a selection reads and
    /// feeds.
    pub tensor: Option<usize>,
}

impl Cell {
    /// The box-drawing character for it; ASCII mode draws each as `*`, `|`, `/`, `\`, `-`
    /// or `+` (see `caps::to_ascii`).
    pub fn glyph(self) -> &'static str {
        if let Some(mark) = self.node {
            return match mark {
                Mark::Input => "○",
                Mark::Output => "◉",
                Mark::Call => "●",
            };
        }
        match self.links {
            0 => " ",
            l if l == UP | DOWN || l == UP || l == DOWN => "│",
            l if l == LEFT | RIGHT || l == LEFT || l == RIGHT => "─",
            l if l == UP | LEFT => "╯",
            l if l == UP | RIGHT => "╰",
            l if l == DOWN | LEFT => "╮",
            l if l == DOWN | RIGHT => "╭",
            l if l == UP | DOWN | LEFT => "┤",
            l if l == UP | DOWN | RIGHT => "├",
            l if l == UP | LEFT | RIGHT => "┴",
            l if l == DOWN | LEFT | RIGHT => "┬",
            _ => "┼",
        }
    }
}

/// One row of the layer list with its lanes.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneRow {
    /// What the row shows.
    pub entry: Entry,
    /// Its name as references write it (`features`, `dense_1`, `dense@1`); empty in a chain.
    pub name: String,
    /// Its lane characters, `2 × columns - 1` of them (empty when no lanes are drawn).
    pub cells: Vec<Cell>,
    /// The rows whose outputs it reads, in the order its call names them.
    pub reads: Vec<usize>,
    /// Its output is a model output.
    pub output: bool,
    /// The rows below it that it reads, which no lane can reach, as `← a, b` to show beside
    /// the lanes (empty when it reads none).
    pub below: String,
    /// The folded form, `← a, b` (empty for a row reading only the row just above it), with
    /// `→ output` for an output.
    pub note: String,
}

/// The layer list's rows and the lanes drawn beside them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lanes {
    /// One per row of the layer list, in order.
    pub rows: Vec<LaneRow>,
    /// Lane columns: 0 when none are drawn.
    pub columns: usize,
}

impl Lanes {
    /// The rows of `design` and their lanes; `summary` names the inputs as it built them.
    pub fn of(design: &Design, summary: &Summary) -> Lanes {
        let entries = entries(design);
        if design.graph.is_chain() {
            let rows = entries.into_iter().map(LaneRow::plain).collect();
            return Lanes { rows, columns: 0 };
        }
        let names = names(design, summary, &entries);
        let reads = reads(design, &entries, &names);
        let outputs = outputs(design, &entries, &names);
        let mut rows: Vec<LaneRow> = entries
            .into_iter()
            .zip(reads)
            .enumerate()
            .map(|(r, (entry, reads))| LaneRow {
                note: note(&names, &reads, r, outputs.contains(&r)),
                name: names[r].clone(),
                below: below(&names, &reads, r),
                output: outputs.contains(&r),
                entry,
                reads,
                cells: Vec::new(),
            })
            .collect();
        let columns = place(&mut rows);
        if columns < 2 {
            for row in &mut rows {
                row.cells.clear();
            }
            return Lanes { rows, columns: 0 };
        }
        Lanes { rows, columns }
    }

    /// Characters the lanes take, with the blank after them; 0 when none are drawn.
    pub fn width(&self) -> usize {
        2 * self.columns
    }

    /// What row `row` shows.
    pub fn entry(&self, row: usize) -> Option<Entry> {
        self.rows.get(row).map(|r| r.entry)
    }

    /// The row of layer `index`, or where a layer inserted at `index` will show: the first
    /// row of a layer at `index` or after, else the end.
    pub fn row_of_layer(&self, index: usize) -> usize {
        self.rows
            .iter()
            .position(|r| matches!(r.entry, Entry::Layer(i) if i >= index))
            .unwrap_or(self.rows.len())
    }

    /// The first layer's row, or the first input's when there is no layer.
    pub fn first_layer_row(&self) -> usize {
        let row = self.row_of_layer(0);
        if row < self.rows.len() { row } else { 0 }
    }

    /// Whether a line carrying `tensor` is one the row `selected` reads or feeds.
    pub fn lit(&self, selected: usize, tensor: Option<usize>) -> bool {
        let Some(t) = tensor else {
            return false;
        };
        t == selected
            || self
                .rows
                .get(selected)
                .is_some_and(|r| r.reads.contains(&t))
    }
}

impl LaneRow {
    /// A chain's row: no lanes, no note.
    fn plain(entry: Entry) -> LaneRow {
        LaneRow {
            entry,
            name: String::new(),
            below: String::new(),
            cells: Vec::new(),
            reads: Vec::new(),
            output: false,
            note: String::new(),
        }
    }
}

/// The rows in order: inputs, then each layer followed by the shared calls placed after it
/// (a shared call naming a position past the end goes after the last layer, as the build
/// places it).
fn entries(design: &Design) -> Vec<Entry> {
    let graph = &design.graph;
    let layers = design.layers.len();
    let mut shared: Vec<(usize, usize)> = graph
        .shared
        .iter()
        .enumerate()
        .map(|(s, c)| (c.after.min(layers.saturating_sub(1)), s))
        .collect();
    shared.sort_unstable();
    let mut out = Vec::with_capacity(1 + graph.inputs.len() + layers + shared.len());
    out.extend((0..=graph.inputs.len()).map(Entry::Input));
    let mut next = shared.into_iter().peekable();
    for i in 0..layers {
        out.push(Entry::Layer(i));
        while let Some((_, s)) = next.next_if(|&(after, _)| after == i) {
            out.push(Entry::Shared(s));
        }
    }
    out.extend(next.map(|(_, s)| Entry::Shared(s)));
    out
}

/// Each row's name as references write it: `features`, `dense_1`, `dense@2`.
fn names(design: &Design, summary: &Summary, entries: &[Entry]) -> Vec<String> {
    let layers = layer_names(&design.layers);
    let built = summary.ends.as_ref().map(|e| &e.inputs);
    // Calls are numbered in the order they are placed, as the build numbers them.
    let mut calls: HashMap<&str, usize> = HashMap::new();
    entries
        .iter()
        .map(|e| match *e {
            Entry::Input(k) => built
                .and_then(|b| b.get(k))
                .map_or_else(|| input_name(design, k), ToString::to_string),
            Entry::Layer(i) => layers.get(i).cloned().unwrap_or_default(),
            Entry::Shared(s) => {
                let layer = design.graph.shared[s].layer.as_str();
                let call = calls.entry(layer).or_insert(0);
                *call += 1;
                format!("{layer}@{call}")
            }
        })
        .collect()
}

/// An input's name when the summary has none: the given one, or Keras' automatic one.
fn input_name(design: &Design, k: usize) -> String {
    let given = match k {
        0 => design.graph.input_name.clone(),
        _ => design.graph.inputs.get(k - 1).and_then(|i| i.name.clone()),
    };
    given.unwrap_or_else(|| match k {
        0 => "input_layer".to_string(),
        _ => format!("input_layer_{k}"),
    })
}

/// The rows each row reads, deduplicated, in the order its call names them; a reference
/// that names nothing is left out (the summary reports it).
fn reads(design: &Design, entries: &[Entry], names: &[String]) -> Vec<Vec<usize>> {
    let lookup = Lookup::new(design, entries, names);
    let mut previous = 0;
    entries
        .iter()
        .enumerate()
        .map(|(r, e)| {
            let call = match *e {
                Entry::Input(_) => return Vec::new(),
                Entry::Layer(i) => design.graph.wiring.get(&i),
                Entry::Shared(s) => Some(&design.graph.shared[s].call),
            };
            let mut out = Vec::new();
            match call.filter(|c| !c.takes_previous()) {
                None => out.push(previous),
                Some(c) => {
                    for text in refs(c) {
                        if let Some(row) = lookup.row(text)
                            && !out.contains(&row)
                        {
                            out.push(row);
                        }
                    }
                }
            }
            previous = r;
            out
        })
        .collect()
}

/// Every reference a call names: positional, then by keyword.
fn refs(call: &Call) -> impl Iterator<Item = &str> {
    call.inputs
        .iter()
        .chain(call.keywords.values().flatten())
        .map(String::as_str)
}

/// Rows by the names references use.
struct Lookup {
    /// Each input's and layer's first-call row by name, then each later call's row.
    by_name: HashMap<String, Vec<usize>>,
}

impl Lookup {
    fn new(design: &Design, entries: &[Entry], names: &[String]) -> Lookup {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (r, e) in entries.iter().enumerate() {
            let name = match *e {
                Entry::Shared(s) => design.graph.shared[s].layer.clone(),
                _ => names[r].clone(),
            };
            by_name.entry(name).or_default().push(r);
        }
        Lookup { by_name }
    }

    /// The row a reference names.
    fn row(&self, text: &str) -> Option<usize> {
        let r = TensorRef::parse(text).ok()?;
        self.by_name.get(r.name)?.get(r.call).copied()
    }
}

/// The rows whose outputs are model outputs: the listed ones, or the last call's.
fn outputs(design: &Design, entries: &[Entry], names: &[String]) -> Vec<usize> {
    if design.graph.outputs.is_empty() {
        return entries
            .iter()
            .rposition(|e| !matches!(e, Entry::Input(_)))
            .into_iter()
            .collect();
    }
    let lookup = Lookup::new(design, entries, names);
    design
        .graph
        .outputs
        .iter()
        .filter_map(|o| lookup.row(o))
        .collect()
}

/// The folded form of a row's wiring.
fn note(names: &[String], reads: &[usize], row: usize, output: bool) -> String {
    let mut note = String::new();
    if !(reads.is_empty() || reads == [row.wrapping_sub(1)]) {
        let from: Vec<&str> = reads.iter().map(|&r| names[r].as_str()).collect();
        note = format!("← {}", from.join(", "));
    }
    if output {
        if !note.is_empty() {
            note.push(' ');
        }
        note.push_str("→ output");
    }
    note
}

/// The note naming the rows at or below `row` that it reads.
fn below(names: &[String], reads: &[usize], row: usize) -> String {
    let from: Vec<&str> = reads
        .iter()
        .filter(|&&s| s >= row)
        .map(|&s| names[s].as_str())
        .collect();
    if from.is_empty() {
        String::new()
    } else {
        format!("← {}", from.join(", "))
    }
}

/// Lays the lanes out row by row and returns how many columns they take.
fn place(rows: &mut [LaneRow]) -> usize {
    let mut last_read: Vec<Option<usize>> = vec![None; rows.len()];
    for (r, row) in rows.iter().enumerate() {
        for &s in row.reads.iter().filter(|&&s| s < r) {
            last_read[s] = Some(r);
        }
    }
    // Which row's output each column carries at the current row.
    let mut lanes: Vec<Option<usize>> = Vec::new();
    let mut columns = 0;
    for r in 0..rows.len() {
        // Sources above only: a reference to a later row cannot be drawn downwards and shows
        // in the note.
        let from: Vec<(usize, usize, bool)> = rows[r]
            .reads
            .iter()
            .filter(|&&s| s < r)
            .filter_map(|&s| {
                let col = lanes.iter().position(|&l| l == Some(s))?;
                Some((col, s, last_read[s] == Some(r)))
            })
            .collect();
        let c = from
            .iter()
            .filter(|f| f.2)
            .map(|f| f.0)
            .min()
            .or_else(|| lanes.iter().position(Option::is_none))
            .unwrap_or(lanes.len());
        if c == lanes.len() {
            lanes.push(None);
        }
        columns = columns.max(lanes.len());
        rows[r].cells = draw_row(&lanes, c, &from, r, node_mark(&rows[r]));
        for &(col, _, ends) in &from {
            if ends {
                lanes[col] = None;
            }
        }
        if last_read[r].is_some() {
            lanes[c] = Some(r);
        }
        while lanes.last() == Some(&None) {
            lanes.pop();
        }
    }
    let width = (2 * columns).saturating_sub(1);
    for row in rows.iter_mut() {
        row.cells.resize(width, Cell::default());
    }
    columns
}

/// How a row's call is marked.
fn node_mark(row: &LaneRow) -> Mark {
    match row.entry {
        _ if row.output => Mark::Output,
        Entry::Input(_) => Mark::Input,
        Entry::Layer(_) | Entry::Shared(_) => Mark::Call,
    }
}

/// One row's cells: the lanes passing by, the call at column `c`, and a line from it to each
/// lane it reads (ending there, or going on when another row reads it later).
fn draw_row(
    lanes: &[Option<usize>],
    c: usize,
    from: &[(usize, usize, bool)],
    row: usize,
    mark: Mark,
) -> Vec<Cell> {
    let mut cells = vec![Cell::default(); 2 * lanes.len() - 1];
    for (k, lane) in lanes.iter().enumerate() {
        if let Some(t) = lane {
            cells[2 * k] = Cell {
                links: UP | DOWN,
                node: None,
                tensor: Some(*t),
            };
        }
    }
    cells[2 * c] = Cell {
        links: 0,
        node: Some(mark),
        tensor: Some(row),
    };
    for &(k, t, ends) in from.iter().filter(|f| f.0 != c) {
        let toward = if k > c { LEFT } else { RIGHT };
        let cell = &mut cells[2 * k];
        // A farther lane's line may already run through this cell.
        cell.links = (cell.links & (LEFT | RIGHT)) | UP | toward | if ends { 0 } else { DOWN };
        cell.tensor = Some(t);
        let (lo, hi) = if k > c {
            (2 * c + 1, 2 * k)
        } else {
            (2 * k + 1, 2 * c)
        };
        for between in &mut cells[lo..hi] {
            between.links |= LEFT | RIGHT;
            if between.tensor.is_none() {
                between.tensor = Some(t);
            }
        }
    }
    cells
}
