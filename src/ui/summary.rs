//! The summary table, as Keras prints `model.summary()`, with a share column, the failing
//! layer marked in place, totals and the budget.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::{App, Pane};
use crate::caps::{truncate, visible};
use crate::model::{Gauge, Layout, Measure, Output, Params, Row, Source, Summary};
use crate::report::TableWidths;
use crate::report::columns::Column;
use crate::report::numbers::{float32_size, signed, thousands};
use crate::report::summary_text::connected_cell;
use crate::theme::Theme;
use crate::ui::layout::{inner, offset};
use crate::ui::text::{fit_parts, highlight, percent, wrap};

/// Which summary row a line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// The design layer at this position (its row is `Summary::row_of`).
    Layer(usize),
    /// A row of `Summary::rows` that is no design layer: a graph's input, or an operation
    /// Keras adds itself.
    Extra(usize),
}

/// One line of the table body.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Body {
    /// Line `k` of a built row: 0 holds its cells; the next ones its type, when its name and
    /// type do not fit one line (as Keras wraps it), and the rest of its "Connected to".
    Row(Slot, usize),
    /// A layer refused: the first refusal, or in a graph another branch's.
    Failed(usize),
    /// A line of the refusal's explanation, belonging to that layer.
    Why(usize, String),
    /// A layer waiting for a refused one: its shape and count are unknown.
    Unknown(usize),
}

impl Body {
    /// The design layer the line belongs to (none for a graph's input rows).
    fn layer(&self) -> Option<usize> {
        match self {
            Body::Row(Slot::Layer(i), _) | Body::Failed(i) | Body::Why(i, _) | Body::Unknown(i) => {
                Some(*i)
            }
            Body::Row(Slot::Extra(_), _) => None,
        }
    }
}

/// The row a slot shows.
fn slot_row(app: &App, slot: Slot) -> Option<&Row> {
    match slot {
        Slot::Layer(i) => app.summary.row_of(i),
        Slot::Extra(r) => app.summary.rows.get(r),
    }
}

/// The pane height (borders included) that shows everything in a pane `width` wide.
pub fn wanted_height(app: &App, width: u16) -> u16 {
    let budget = budget_lines(app);
    let inside = usize::from(width.saturating_sub(2));
    let wrapped = wrapped_rows(app, inside);
    // A graph's input rows (in Keras' order) and wrapped "Connected to" cells take more.
    let lines = (body_len(app) + wrapped).max(body(app, inside).len());
    let rows = u16::try_from(lines.max(1)).unwrap_or(u16::MAX);
    rows.saturating_add(2 + 1 + 3 + budget)
}

/// The pane widths (borders included) that show every row on one line, and that show it with
/// each type wrapped onto a second line, as Keras does when a name is long.
pub fn wanted_width(app: &App) -> (u16, u16) {
    let n = natural(app);
    let rest = n.shape
        + n.count
        + 7 * usize::from(n.percent)
        + n.extra.iter().map(|(_, w)| w + 1).sum::<usize>()
        + 2
        + 2;
    let w = |name: usize| u16::try_from(name + rest).unwrap_or(u16::MAX);
    (w(n.full), w(n.wrapped))
}

/// How many built rows need a second line for their type in a pane `width` wide inside.
fn wrapped_rows(app: &App, width: usize) -> usize {
    let name = columns(app, width).name;
    app.summary
        .rows
        .iter()
        .filter(|r| one_line_len(r) > name)
        .count()
}

/// `name (Type)` length of a row.
fn one_line_len(r: &Row) -> usize {
    r.name.chars().count() + r.class.len() + 3
}

/// The parts of the inside of the pane.
struct Parts {
    header: Rect,
    body: Rect,
    totals: Rect,
    compact: bool,
    rule: bool,
}

fn parts(app: &App, pane: Rect) -> Parts {
    let r = inner(pane);
    let budget = budget_lines(app);
    let rows = u16::try_from(body(app, usize::from(r.width)).len()).unwrap_or(u16::MAX);
    let full = 3 + budget;
    let compact = r.height < full + 2;
    // Keras' rule above the totals, when every row fits anyway.
    let rule = !compact && r.height >= rows.max(1).saturating_add(full + 2);
    let bottom = if compact {
        1 + budget
    } else {
        full + u16::from(rule)
    }
    .min(r.height.saturating_sub(1));
    let header = Rect::new(r.x, r.y, r.width, r.height.min(1));
    // Totals follow the last row, as Keras prints them, instead of sinking to the bottom.
    let body_h = r.height.saturating_sub(1 + bottom).min(rows.max(1));
    Parts {
        header,
        body: Rect::new(r.x, r.y.saturating_add(1), r.width, body_h),
        totals: Rect::new(r.x, r.y.saturating_add(1 + body_h), r.width, bottom),
        compact,
        rule,
    }
}

/// One gauge line per set budget.
fn budget_lines(app: &App) -> u16 {
    let b = &app.design.budget;
    u16::from(b.params.is_some()) + u16::from(b.memory.is_some()) + u16::from(b.macs.is_some())
}

/// Body lines before wrapping the error (which adds about two).
fn body_len(app: &App) -> usize {
    app.design.layers.len() + if app.summary.error.is_some() { 3 } else { 0 }
}

fn body(app: &App, width: usize) -> Vec<Body> {
    let mut out = Vec::with_capacity(app.design.layers.len() + 3);
    let cols = columns(app, width);
    let s = &app.summary;
    let ends = s.ends.as_ref().filter(|_| app.keras_order);
    if let Some(ends) = ends {
        // Keras' rows, inputs included, then the layers they leave out (refused, waiting, or
        // built past a refusal), in the design's order.
        for (r, row) in s.rows.iter().enumerate() {
            let slot = match row.source {
                Source::Layer(i) => Slot::Layer(i),
                Source::Input(_) | Source::Implicit(_) => Slot::Extra(r),
            };
            push_row(&mut out, slot, s, row, &cols);
        }
        for i in 0..app.design.layers.len() {
            if ends.layer_rows.get(i).copied().flatten().is_none() {
                push_layer(app, &mut out, i, &cols, width);
            }
        }
    } else {
        // One line per layer, in the layer list's order (a graph's inputs have no line).
        for i in 0..app.design.layers.len() {
            push_layer(app, &mut out, i, &cols, width);
        }
    }
    out
}

/// A design layer's lines: its row when built, else why it is refused, else a line saying
/// it waits.
fn push_layer(app: &App, out: &mut Vec<Body>, i: usize, cols: &Columns, width: usize) {
    if let Some(row) = app.summary.row_of(i) {
        push_row(out, Slot::Layer(i), &app.summary, row, cols);
    } else if let Some(e) = app.summary.refusal(i) {
        out.push(Body::Failed(i));
        for l in wrap(&visible(&e.error.to_string()), width.saturating_sub(2)) {
            out.push(Body::Why(i, l));
        }
    } else {
        out.push(Body::Unknown(i));
    }
}

/// A built row's lines: its cells, its type when wrapped, the rest of its "Connected to".
fn push_row(out: &mut Vec<Body>, slot: Slot, summary: &Summary, row: &Row, cols: &Columns) {
    let typed = 1 + usize::from(one_line_len(row) > cols.name);
    let links = connected_lines(summary, row, cols).len();
    for k in 0..typed.max(links) {
        out.push(Body::Row(slot, k));
    }
}

/// The "Connected to" cell of a row wrapped to its column (none when the column is not shown).
fn connected_lines(summary: &Summary, row: &Row, cols: &Columns) -> Vec<String> {
    if cols.connected == 0 {
        return Vec::new();
    }
    wrap(&connected_cell(summary, row), cols.connected)
}

/// The layer-list row (layer index + 1) of the body line under a cell.
pub fn row_at(app: &App, pane: Rect, x: u16, y: u16) -> Option<usize> {
    let p = parts(app, pane);
    if !p.body.contains(Position::new(x, y)) {
        return None;
    }
    let lines = body(app, usize::from(p.body.width));
    let first = first_line(app, &lines, usize::from(p.body.height));
    lines
        .get(first + usize::from(y - p.body.y))
        .and_then(Body::layer)
        .map(|i| i + 1)
}

fn first_line(app: &App, lines: &[Body], height: usize) -> usize {
    let sel = app
        .layer_index()
        .and_then(|i| lines.iter().rposition(|b| b.layer() == Some(i)))
        .unwrap_or(0);
    offset(sel, height)
}

/// Column widths: name (type), output shape, count, share.
struct Columns {
    name: usize,
    shape: usize,
    count: usize,
    /// The share column is on.
    percent: bool,
    /// Other optional columns with their widths.
    extra: Vec<(Column, usize)>,
    /// Chosen columns the pane is too narrow for, named under the table.
    hidden: Vec<Column>,
    /// Keras' "Connected to" column of a graph, as wide as Keras makes it for the pane's
    /// width; 0 when not shown (a chain, or a pane too narrow for it).
    connected: usize,
}

/// The widths the columns would take with room to spare.
struct Natural {
    /// The name column with each `name (Type)` on one line.
    full: usize,
    /// The name column with types wrapped onto a second line.
    wrapped: usize,
    shape: usize,
    count: usize,
    percent: bool,
    extra: Vec<(Column, usize)>,
}

fn natural(app: &App) -> Natural {
    let mut full = "Layer (type)".len();
    let mut wrapped = full;
    let mut shape = "Output Shape".len();
    let mut count = "Param #".len();
    // Every row, not only the visible ones, so columns do not shift while scrolling; counted
    // without allocating, since this runs for each row of large designs on every frame.
    let unaffected = app
        .summary
        .ends
        .as_ref()
        .map_or(&[][..], |e| &e.unaffected[..]);
    for r in app.summary.rows.iter().chain(unaffected) {
        full = full.max(one_line_len(r));
        wrapped = wrapped.max(r.name.chars().count().max(r.class.len() + 2));
        shape = shape.max(output_len(&r.output));
        let d = digits(r.params.total().unwrap_or(0));
        count = count.max(d + (d - 1) / 3 + 1);
    }
    if app.summary.error.is_some() {
        // The failing layer's row says so in the shape column.
        shape = shape.max(DOES_NOT_BUILD.len());
    }
    let percent = app.columns.contains(&Column::Percent);
    let precision = app.design.budget.precision;
    let extra: Vec<(Column, usize)> = app
        .columns
        .iter()
        .filter(|c| **c != Column::Percent)
        .map(|&c| {
            let w = app
                .summary
                .rows
                .iter()
                .map(|r| c.cell(r, &app.summary, precision).chars().count())
                .chain(std::iter::once(c.header(precision).chars().count()))
                .max()
                .unwrap_or(0);
            (c, w)
        })
        .collect();
    Natural {
        full,
        wrapped,
        shape,
        count,
        percent,
        extra,
    }
}

fn columns(app: &App, width: usize) -> Columns {
    let Natural {
        full: name,
        wrapped,
        shape,
        count,
        percent,
        extra,
    } = natural(app);
    // The share column takes 7. When space is short the name gives way first, down to 8;
    // then the optional columns that still do not fit are left out, from the last chosen,
    // rather than cut off at the pane's edge.
    let percent_w = 7 * usize::from(percent);
    // A list of output shapes (a layer returning its states) gives way before the counts do:
    // it is cut with `…`, and the detail pane shows it whole.
    let shape = shape.min(
        width
            .saturating_sub(NAME_MIN + 2 + count + percent_w)
            .max(SHAPE_MIN),
    );
    let mut used = NAME_MIN + 1 + shape + 1 + count + percent_w;
    let mut shown = Vec::with_capacity(extra.len());
    let mut hidden = Vec::new();
    for (c, w) in extra {
        if hidden.is_empty() && used + 1 + w <= width {
            used += 1 + w;
            shown.push((c, w));
        } else {
            hidden.push(c);
        }
    }
    let extra_w: usize = shown.iter().map(|(_, w)| w + 1).sum();
    let rest = width.saturating_sub(shape + count + percent_w + extra_w + 2);
    // A graph's "Connected to" takes the width Keras gives it at this width (never less than
    // its longest entry, which Keras would fold), when what is left still shows every name
    // (types may wrap, as Keras wraps them).
    let connected = match TableWidths::keras(width, true) {
        Ok(keras) if app.summary.layout == Layout::Graph => keras
            .keras_columns()
            .get(3)
            .map(|&c| c.max(longest_link(app)))
            .filter(|&c| rest > wrapped.max(NAME_MIN) + c)
            .unwrap_or(0),
        _ => 0,
    };
    let rest = rest.saturating_sub(connected + usize::from(connected > 0));
    Columns {
        name: name.min(rest.max(NAME_MIN)),
        shape,
        count,
        percent,
        extra: shown,
        hidden,
        connected,
    }
}

/// The longest "Connected to" entry of any row, with the `,` after it.
fn longest_link(app: &App) -> usize {
    app.summary
        .rows
        .iter()
        .flat_map(|r| app.summary.connected_to(r))
        .map(|l| display_len(l) + 1)
        .max()
        .unwrap_or(0)
}

/// Where the "Connected to" column starts: after every other column and its space.
fn connected_start(cols: &Columns) -> usize {
    cols.name
        + 1
        + cols.shape
        + 1
        + cols.count
        + 7 * usize::from(cols.percent)
        + cols.extra.iter().map(|(_, w)| w + 1).sum::<usize>()
        + 1
}

/// `line` padded to `start`, then `text`: a "Connected to" cell in its column.
fn with_connected(
    mut line: Line<'static>,
    start: usize,
    text: &str,
    style: Style,
) -> Line<'static> {
    if text.is_empty() {
        return line;
    }
    let used: usize = line.spans.iter().map(|s| s.content.chars().count()).sum();
    line.spans
        .push(Span::raw(" ".repeat(start.saturating_sub(used))));
    line.spans.push(Span::styled(text.to_string(), style));
    line
}

/// The narrowest the name column gets: enough to tell layers apart.
const NAME_MIN: usize = 8;

/// The narrowest a cut list of output shapes gets: `[(None, 256), …`.
const SHAPE_MIN: usize = 14;

/// The failing layer's shape cell.
const DOES_NOT_BUILD: &str = "does not build";

/// How many chars an output shape displays as, `(None, 100, 64)`, by arithmetic.
fn output_len(o: &Output) -> usize {
    match o {
        Output::One(s) => {
            let dims: usize = s.0.iter().map(|d| 2 + d.map_or(4, digits)).sum();
            "(None)".len() + dims
        }
        many @ Output::Many(_) => display_len(many),
    }
}

fn digits(n: u64) -> usize {
    n.checked_ilog10().unwrap_or(0) as usize + 1
}

/// How many chars `v` displays as.
fn display_len(v: &impl std::fmt::Display) -> usize {
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.chars().count();
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = std::fmt::Write::write_fmt(&mut c, format_args!("{v}"));
    c.0
}

/// Draws the pane.
#[expect(
    clippy::too_many_lines,
    reason = "title, header and body in screen order; standalone parts are helpers"
)]
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let c = app.convention();
    let differs = app
        .summary
        .rows
        .iter()
        .zip(&app.other.rows)
        .any(|(a, b)| a.params != b.params);
    let mut title = vec![
        Span::styled(" Summary · ", t.title.style()),
        Span::styled(c.label(), t.title.style()),
        Span::styled(" (c) ", t.muted.style()),
    ];
    if differs {
        title.push(Span::styled(
            format!("· ≠ differs in {} ", c.other().label()),
            t.warning.style(),
        ));
    }
    let p = parts(app, area);
    let width = usize::from(p.header.width);
    let cols = columns(app, width);
    let precision = app.design.budget.precision;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(app.focus == Pane::Summary))
        .title(Line::from(title));
    if !cols.hidden.is_empty() {
        let names: Vec<String> = cols.hidden.iter().map(|c| c.header(precision)).collect();
        block = block.title_bottom(
            Line::styled(
                format!(" {} hidden: widen the window ", names.join(", ")),
                t.warning.style(),
            )
            .right_aligned(),
        );
    }
    frame.render_widget(block, area);
    if p.header.width == 0 || p.header.height == 0 {
        return;
    }
    // The header uses the rows' widths, so each title sits over its column.
    let mut header = format!(
        "{:<nw$} {:<sw$} {:>cw$}",
        truncate("Layer (type)", cols.name),
        "Output Shape",
        "Param #",
        nw = cols.name,
        sw = cols.shape,
        cw = cols.count
    );
    if cols.percent {
        header.push_str(&format!(" {:>6}", "%"));
    }
    for (c, w) in &cols.extra {
        header.push_str(&aligned(*c, &c.header(precision), *w));
    }
    if cols.connected > 0 {
        header.push_str(" Connected to");
    }
    frame.render_widget(
        Paragraph::new(Line::styled(
            truncate(&header, width).into_owned(),
            t.header.style(),
        )),
        p.header,
    );

    let lines = body(app, width);
    let h = usize::from(p.body.height);
    let first = first_line(app, &lines, h);
    let total = app.summary.totals.total().unwrap_or(0);
    let mut out = Vec::with_capacity(h);
    let start = connected_start(&cols);
    for b in lines.iter().skip(first).take(h) {
        let selected = b.layer().is_some() && app.layer_index() == b.layer();
        let mut line = match b {
            Body::Row(slot, k) => {
                let Some(row) = slot_row(app, *slot) else {
                    continue;
                };
                let line = match k {
                    0 => row_line(app, *slot, row, &cols, total),
                    1 if one_line_len(row) > cols.name => Line::styled(
                        format!(
                            "{:<nw$}",
                            truncate(&format!("({})", row.class), cols.name),
                            nw = cols.name
                        ),
                        t.text.style(),
                    ),
                    _ => Line::default(),
                };
                let links = connected_lines(&app.summary, row, &cols);
                let link = links.get(*k).map_or("", String::as_str);
                with_connected(line, start, link, t.muted.style())
            }
            Body::Failed(i) => {
                let layer = app
                    .design
                    .layers
                    .get(*i)
                    .map(|l| l.kind().class())
                    .unwrap_or("");
                let name = app
                    .summary
                    .refusal(*i)
                    .map(|e| visible(&e.name).into_owned())
                    .unwrap_or_default();
                Line::from(vec![
                    Span::styled(
                        format!(
                            "{:<nw$} ",
                            truncate(&format!("✗ {name} ({layer})"), cols.name),
                            nw = cols.name
                        ),
                        t.error.style(),
                    ),
                    Span::styled(
                        format!(
                            "{:<sw$} {:>cw$}",
                            DOES_NOT_BUILD,
                            "?",
                            sw = cols.shape,
                            cw = cols.count
                        ),
                        t.error.style(),
                    ),
                ])
            }
            Body::Why(_, text) => Line::styled(format!("  {text}"), t.error.style()),
            Body::Unknown(i) => {
                let class = app
                    .design
                    .layers
                    .get(*i)
                    .map(|l| l.kind().class())
                    .unwrap_or("");
                Line::styled(
                    format!(
                        "{:<nw$} {:<sw$} {:>cw$}",
                        truncate(&format!("· ({class})"), cols.name),
                        "?",
                        "?",
                        nw = cols.name,
                        sw = cols.shape,
                        cw = cols.count
                    ),
                    t.muted.style(),
                )
            }
        };
        if selected && !matches!(b, Body::Why(..)) {
            let used: usize = line.spans.iter().map(|s| s.content.chars().count()).sum();
            line.spans
                .push(Span::raw(" ".repeat(width.saturating_sub(used))));
            line = highlight(line, t.selection.style());
        }
        out.push(line);
    }
    if app.design.layers.is_empty() {
        out.push(Line::styled(
            "no layers yet: press a to add one",
            t.muted.style(),
        ));
    }
    frame.render_widget(Paragraph::new(out), p.body);
    frame.render_widget(
        Paragraph::new(totals(app, width, p.compact, p.rule)),
        p.totals,
    );
}

fn row_line(app: &App, slot: Slot, r: &Row, cols: &Columns, total: u64) -> Line<'static> {
    let t = &app.theme;
    // A name and type too long for the column put the type on the next line.
    let name = if one_line_len(r) > cols.name {
        visible(&r.name).into_owned()
    } else {
        format!("{} ({})", visible(&r.name), r.class)
    };
    let mut spans = vec![Span::styled(
        format!("{:<nw$} ", truncate(&name, cols.name), nw = cols.name),
        t.text.style(),
    )];
    let whole = r.output.to_string();
    let shape = truncate(&whole, cols.shape);
    let shape_len = shape.chars().count();
    spans.extend(shape_spans(&shape, t.none.style(), t.text.style()));
    spans.push(Span::raw(
        " ".repeat(cols.shape.saturating_sub(shape_len) + 1),
    ));
    let other = match slot {
        Slot::Layer(i) => app.other.row_of(i),
        Slot::Extra(_) => None,
    };
    let changed = other.is_some_and(|o| o.params != r.params);
    let mark = if changed { "≠" } else { " " };
    let n = r.params.total().unwrap_or(0);
    spans.push(Span::styled(
        format!("{:>cw$}", thousands(n), cw = cols.count.saturating_sub(1)),
        t.number.style(),
    ));
    spans.push(Span::styled(mark.to_string(), t.warning.style()));
    if cols.percent {
        spans.push(Span::styled(
            format!(" {:>6}", percent(n, total)),
            t.muted.style(),
        ));
    }
    if !cols.extra.is_empty() {
        let precision = app.design.budget.precision;
        for (c, w) in &cols.extra {
            spans.push(Span::styled(
                aligned(*c, &c.cell(r, &app.summary, precision), *w),
                t.muted.style(),
            ));
        }
    }
    Line::from(spans)
}

/// ` text` padded to a column's width on the side the column aligns to.
fn aligned(c: Column, text: &str, w: usize) -> String {
    if c.right_aligned() {
        format!(" {text:>w$}")
    } else {
        format!(" {text:<w$}")
    }
}

/// `(None, 100, 64)` with every `None` in its own style.
pub fn shape_spans(shape: &str, none: Style, text: Style) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut rest = shape;
    while let Some(at) = rest.find("None") {
        if at > 0 {
            spans.push(Span::styled(rest[..at].to_string(), text));
        }
        spans.push(Span::styled("None", none));
        rest = &rest[at + 4..];
    }
    if !rest.is_empty() {
        spans.push(Span::styled(rest.to_string(), text));
    }
    spans
}

fn totals(app: &App, width: usize, compact: bool, rule: bool) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    if rule {
        lines.push(Line::styled("─".repeat(width), t.border.style()));
    }
    // Parts that do not fit are left out whole, the words before the numbers, so a number
    // is never cut at the pane's edge.
    let delta_parts = app.delta.map_or_else(Vec::new, |d| {
        vec![
            (3, Span::styled("  last edit", t.warning.style())),
            (
                1,
                Span::styled(format!(" {}", signed(d)), t.warning.style()),
            ),
        ]
    });
    match app.total() {
        Some(total) => {
            let Params {
                trainable,
                non_trainable,
            } = app.summary.totals;
            let mut first = vec![
                (0, Span::styled("Total params: ", t.text.style())),
                (0, Span::styled(thousands(total), t.number.style())),
                (
                    2,
                    Span::styled(format!(" ({})", float32_size(total)), t.muted.style()),
                ),
            ];
            if compact {
                first.push((
                    4,
                    Span::styled(
                        format!(
                            " · trainable {} · non-trainable {}",
                            thousands(trainable),
                            thousands(non_trainable)
                        ),
                        t.muted.style(),
                    ),
                ));
            }
            first.extend(delta_parts);
            lines.push(Line::from(fit_parts(first, width)));
            if !compact {
                for (label, n) in [
                    ("Trainable params: ", trainable),
                    ("Non-trainable params: ", non_trainable),
                ] {
                    lines.push(Line::from(vec![
                        Span::styled(label, t.text.style()),
                        Span::styled(thousands(n), t.number.style()),
                        Span::styled(format!(" ({})", float32_size(n)), t.muted.style()),
                    ]));
                }
            }
        }
        None => {
            let why = if app.summary.error.is_some() {
                "? (fix the layer marked ✗)"
            } else {
                "? (too large to count)"
            };
            lines.push(Line::from(vec![
                Span::styled("Total params: ", t.text.style()),
                Span::styled(why, t.error.style()),
            ]));
            if !compact {
                lines.push(Line::styled("Trainable params: ?", t.muted.style()));
                lines.push(Line::styled("Non-trainable params: ?", t.muted.style()));
            }
        }
    }
    lines.extend(gauges(app, width));
    lines
}

/// The budget gauges of the app's design, each with the last edit's change.
fn gauges(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let b = &app.design.budget;
    if b.is_empty() {
        return vec![];
    }
    let list = b.gauges(&app.summary);
    let pad = counts_width(&list);
    let mut out = Vec::new();
    for (set, what) in [
        (b.params.is_some(), Measure::Params),
        (b.memory.is_some(), Measure::Memory(b.precision)),
        (b.macs.is_some(), Measure::Macs),
    ] {
        if !set {
            continue;
        }
        let delta = match what {
            Measure::Params => app.delta,
            Measure::Memory(p) => app.delta.map(|d| d * i128::from(p.bytes())),
            Measure::Macs => app.macs_delta,
        };
        match list.iter().find(|g| g.what == what) {
            Some(g) => out.push(gauge_line(t, g, delta, width, pad)),
            None => out.push(Line::from(vec![
                Span::styled(format!("{:<9}", gauge_label(what)), t.text.style()),
                Span::styled("unknown until the model builds", t.muted.style()),
            ])),
        }
    }
    out
}

/// What a gauge is called on screen, e.g. `Mem fp16`.
pub fn gauge_label(what: Measure) -> String {
    match what {
        Measure::Params => "Params".into(),
        Measure::Memory(p) => format!("Mem {}", p.label()),
        Measure::Macs => "MACs".into(),
    }
}

/// `n` in at most six characters: `9,999`, `77.4k`, `5.08M`.
fn short(n: u64) -> String {
    match n {
        0..10_000 => thousands(n),
        10_000..1_000_000 => format!("{:.1}k", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.2}M", n as f64 / 1e6),
        _ => format!("{:.2}G", n as f64 / 1e9),
    }
}

/// `Params 59,910/60,000 ████░ 99.9% 90 left +4,160`, in the ok or over colour.
/// The width of the widest `used/limit` text of some gauges, so their bars line up.
pub fn counts_width(gauges: &[Gauge]) -> usize {
    gauges
        .iter()
        .map(|g| counts(g, &thousands).chars().count())
        .max()
        .unwrap_or(0)
}

fn counts(g: &Gauge, num: &dyn Fn(u64) -> String) -> String {
    let unit = if matches!(g.what, Measure::Memory(_)) {
        " B"
    } else {
        ""
    };
    format!("{}/{}{unit} ", num(g.used), num(g.limit))
}

/// The gauge's line; the `used/limit` text is padded to `pad` when the line has room.
pub fn gauge_line(
    t: &Theme,
    g: &Gauge,
    delta: Option<i128>,
    width: usize,
    pad: usize,
) -> Line<'static> {
    let label = format!("{:<9}", gauge_label(g.what));
    let room = g.headroom();
    let share = percent(g.used, g.limit);
    let change = delta.map(|d| format!(" {}", signed(d)));
    // Exact numbers when they fit; k/M abbreviations in a narrow pane.
    let build = |num: &dyn Fn(u64) -> String| {
        let counts = counts(g, num);
        let tail = if g.fits() {
            format!(" {} left", num(u64::try_from(room).unwrap_or(u64::MAX)))
        } else {
            format!(" {} over", num(u64::try_from(-room).unwrap_or(u64::MAX)))
        };
        let fixed = label.chars().count()
            + counts.chars().count()
            + share.len()
            + 1
            + tail.chars().count()
            + change.as_ref().map_or(0, |c| c.chars().count());
        (counts, tail, fixed)
    };
    let (mut counts, mut tail, mut fixed) = build(&thousands);
    let extra = pad.saturating_sub(counts.chars().count());
    if fixed + extra > width {
        (counts, tail, fixed) = build(&short);
    } else {
        counts.push_str(&" ".repeat(extra));
        fixed += extra;
    }
    let bar_w = width.saturating_sub(fixed).min(20);
    let filled = if g.limit == 0 {
        bar_w
    } else {
        ((u128::from(g.used) * bar_w as u128) / u128::from(g.limit)).min(bar_w as u128) as usize
    };
    let style = if g.fits() {
        t.gauge_ok.style()
    } else {
        t.gauge_over.style()
    };
    let mut spans = vec![
        (0, Span::styled(label, t.text.style())),
        (0, Span::styled(counts, t.number.style())),
        (0, Span::styled("█".repeat(filled), style)),
        (0, Span::styled("░".repeat(bar_w - filled), t.muted.style())),
        (1, Span::styled(format!(" {share}"), style)),
        (2, Span::styled(tail, style)),
    ];
    if let Some(c) = change {
        spans.push((3, Span::styled(c, t.warning.style())));
    }
    // Too narrow even for the short numbers: the change goes first, then what is left or
    // over, then the share, each whole.
    Line::from(fit_parts(spans, width))
}
