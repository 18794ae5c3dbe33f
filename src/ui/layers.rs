//! The layer list: the inputs, then one line per layer with its key fields; for a graph, the
//! lanes of [`crate::report::lanes`] beside them, or `← a, b` notes when they would crowd it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::{App, Pane};
use crate::caps::{truncate, visible};
use crate::model::{Dtype, Shape};
use crate::report::lanes::{Entry, LaneRow};
use crate::theme::Theme;
use crate::ui::layout::{inner, offset};
use crate::ui::text::highlight;

/// Where the list rows are drawn inside the pane.
pub fn list_area(pane: Rect) -> Rect {
    inner(pane)
}

/// The pane width (borders included) that shows every row in view, `height` rows high,
/// without cutting it; only the rows in view are measured, so a long design costs no more.
pub fn wanted_width(app: &App, height: u16) -> u16 {
    let h = usize::from(height.saturating_sub(2));
    let first = offset(app.selected, h);
    let digits = app.design.layers.len().to_string().len();
    let widest = (first..app.rows().min(first + h))
        .map(|row| row_text(app, row).chars().count())
        .max()
        .unwrap_or(0);
    u16::try_from(widest + digits + 2 + 2 + app.lanes.width()).unwrap_or(u16::MAX)
}

/// Draws the pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let focused = app.focus == Pane::Layers;
    let name = visible(&app.design.name);
    let mark = if app.dirty { " ●" } else { "" };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(focused))
        .title(Span::styled(format!(" {name}{mark} "), t.title.style()));
    frame.render_widget(block, area);
    let list = list_area(area);
    if list.height == 0 || list.width == 0 {
        return;
    }
    let h = usize::from(list.height);
    let first = offset(app.selected, h);
    let digits = app.design.layers.len().to_string().len();
    let width = usize::from(list.width);
    // Lanes wider than a third of the list fold into notes.
    let lanes = app.lanes.columns > 0;
    let lane_width = if lanes && app.lanes.width() * 3 <= width {
        app.lanes.width()
    } else {
        0
    };
    let folded = lanes && lane_width == 0;
    let mut lines = Vec::with_capacity(h);
    for row in first..app.rows().min(first + h) {
        let selected = row == app.selected;
        let Some(lane) = app.lanes.rows.get(row) else {
            break;
        };
        // Only the layers that read from a refused one wait for it (all later ones in a chain).
        let style = match lane.entry {
            Entry::Input(_) => t.text.style(),
            Entry::Layer(i) if app.summary.refusal(i).is_some() => t.error.style(),
            Entry::Layer(i) if app.summary.blocked_by(i).is_some() => t.muted.style(),
            Entry::Shared(_) => t.muted.style(),
            Entry::Layer(_) => t.text.style(),
        };
        let number = match lane.entry {
            Entry::Layer(i) => format!("{:>digits$}", i + 1),
            Entry::Input(_) | Entry::Shared(_) => " ".repeat(digits),
        };
        let refused = matches!(lane.entry, Entry::Layer(i) if app.summary.refusal(i).is_some());
        let marker = if refused { "✗" } else { " " };
        let mut spans = vec![
            Span::styled(marker.to_string(), t.error.style()),
            Span::styled(format!("{number} "), t.muted.style()),
        ];
        if lane_width > 0 {
            spans.extend(lane_spans(app, t, lane));
            spans.push(Span::raw(" "));
        }
        let mut room = width.saturating_sub(digits + 2 + lane_width);
        // A note (folded wiring, or a read of a row below) keeps up to half the room: the
        // wiring is what the note is for.
        let note = if folded { &lane.note } else { &lane.below };
        let note = if note.is_empty() {
            String::new()
        } else {
            let keep = (note.chars().count() + 1).min(room / 2);
            room -= keep;
            format!(" {}", truncate(note, keep.saturating_sub(1)))
        };
        let text = row_text(app, row);
        let body = truncate(&text, room).into_owned();
        let pad = room.saturating_sub(body.chars().count());
        spans.push(Span::styled(body, style));
        if !note.is_empty() {
            spans.push(Span::raw(" ".repeat(pad)));
            spans.push(Span::styled(note, t.muted.style()));
        }
        if selected {
            // The highlight spans the whole row.
            let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
            spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
        }
        let mut line = Line::from(spans);
        if selected {
            line = highlight(line, t.selection.style());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), list);
}

/// A row's lane characters, those the selection reads or feeds in the focused border's
/// colour and the rest in the border's.
fn lane_spans(app: &App, t: &Theme, lane: &LaneRow) -> Vec<Span<'static>> {
    lane.cells
        .iter()
        .map(|cell| {
            let style = if app.lanes.lit(app.selected, cell.tensor) {
                t.border_focused.style()
            } else {
                t.border.style()
            };
            Span::styled(cell.glyph(), style)
        })
        .collect()
}

/// What a row says after its number and lanes.
fn row_text(app: &App, row: usize) -> String {
    let Some(lane) = app.lanes.rows.get(row) else {
        return String::new();
    };
    match lane.entry {
        Entry::Input(0) => input_text(&app.design.input.shape, app.design.input.dtype, lane),
        Entry::Input(k) => app
            .design
            .graph
            .inputs
            .get(k - 1)
            .map_or_else(String::new, |i| input_text(&i.shape, i.dtype, lane)),
        Entry::Layer(i) => app.design.layers.get(i).map_or_else(String::new, |l| {
            visible(&l.kind().brief()).into_owned() + wiring_note(app, lane, i)
        }),
        Entry::Shared(_) => format!("{} shared", visible(&lane.name)),
    }
}

/// An input's row: its shape and element type, and in a graph its name.
fn input_text(shape: &Shape, dtype: Dtype, lane: &LaneRow) -> String {
    let shape = shape.python();
    let name = if lane.name.is_empty() {
        String::new()
    } else {
        format!(" {}", visible(&lane.name))
    };
    match dtype {
        Dtype::Float32 => format!("Input{name} {shape}"),
        Dtype::Int32 => format!("Input{name} {shape} int32 ids"),
    }
}

/// What a graph's row says about where the layer's output goes: a model output, or nowhere
/// (Keras leaves a layer no output depends on out of the model, so its row would vanish).
fn wiring_note(app: &App, lane: &LaneRow, i: usize) -> &'static str {
    let Some(ends) = app.summary.ends.as_deref() else {
        return "";
    };
    if app.summary.error.is_some() {
        return "";
    }
    // Whether it is an output the lanes already worked out when the design changed.
    match ends.layer_rows.get(i).copied().flatten() {
        None => "  ⚠ feeds no output: m merges it, O outputs it",
        Some(_) if lane.output && ends.outputs.len() > 1 => "  → output",
        Some(_) => "",
    }
}
