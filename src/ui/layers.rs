//! The layer list: the input, then one line per layer with its key fields.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::{App, Pane};
use crate::caps::{truncate, visible};
use crate::model::Dtype;
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
        .map(|row| match row {
            0 => input_text(app).chars().count(),
            _ => app
                .design
                .layers
                .get(row - 1)
                .map_or(0, |l| visible(&l.kind().brief()).chars().count())
                .saturating_add(wiring_note(app, row - 1).chars().count()),
        })
        .max()
        .unwrap_or(0);
    u16::try_from(widest + digits + 2 + 2).unwrap_or(u16::MAX)
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
    let failing = app.summary.error.as_ref().map(|e| e.index);
    let digits = app.design.layers.len().to_string().len();
    let width = usize::from(list.width);
    let mut lines = Vec::with_capacity(h);
    for row in first..app.rows().min(first + h) {
        let selected = row == app.selected;
        let (number, text, style) = if row == 0 {
            let shape = input_text(app);
            (" ".repeat(digits), shape, t.text.style())
        } else {
            let i = row - 1;
            let mut brief = visible(&app.design.layers[i].kind().brief()).into_owned();
            brief.push_str(wiring_note(app, i));
            let style = match failing {
                Some(f) if f == i => t.error.style(),
                Some(f) if i > f => t.muted.style(),
                _ => t.text.style(),
            };
            (format!("{row:>digits$}"), brief, style)
        };
        let marker = match failing {
            Some(f) if row == f + 1 => "✗",
            _ => " ",
        };
        let body = truncate(&text, width.saturating_sub(digits + 2)).into_owned();
        let mut spans = vec![
            Span::styled(marker.to_string(), t.error.style()),
            Span::styled(format!("{number} "), t.muted.style()),
            Span::styled(body, style),
        ];
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

/// What a graph's row says about where the layer's output goes: a model output, or nowhere
/// (Keras leaves a layer no output depends on out of the model, so its row would vanish).
fn wiring_note(app: &App, i: usize) -> &'static str {
    let Some(ends) = app.summary.ends.as_deref() else {
        return "";
    };
    if app.summary.error.is_some() {
        return "";
    }
    match ends.layer_rows.get(i).copied().flatten() {
        None => "  ⚠ feeds no output: m merges it, O outputs it",
        Some(r) => {
            let name = app.summary.rows.get(r).map(|row| row.name.as_str());
            let output = ends
                .outputs
                .iter()
                .any(|o| Some(o.split('[').next().unwrap_or(o)) == name);
            if output && ends.outputs.len() > 1 {
                "  → output"
            } else {
                ""
            }
        }
    }
}

fn input_text(app: &App) -> String {
    let shape = app.design.input.shape.python();
    match app.design.input.dtype {
        Dtype::Float32 => format!("Input {shape}"),
        Dtype::Int32 => format!("Input {shape} int32 ids"),
    }
}
