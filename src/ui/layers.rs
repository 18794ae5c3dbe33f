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
                .map_or(0, |l| visible(&l.kind().brief()).chars().count()),
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
            let brief = visible(&app.design.layers[i].kind().brief()).into_owned();
            // Only the layers that read from a refused one wait for it (all later ones in a chain).
            let style = if app.summary.refusal(i).is_some() {
                t.error.style()
            } else if app.summary.blocked_by(i).is_some() {
                t.muted.style()
            } else {
                t.text.style()
            };
            (format!("{row:>digits$}"), brief, style)
        };
        let refused = row > 0 && app.summary.refusal(row - 1).is_some();
        let marker = if refused { "✗" } else { " " };
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

fn input_text(app: &App) -> String {
    let shape = app.design.input.shape.python();
    match app.design.input.dtype {
        Dtype::Float32 => format!("Input {shape}"),
        Dtype::Int32 => format!("Input {shape} int32 ids"),
    }
}
