//! The bottom line: the status message, or the keys that matter now, taken from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::keymap::{bindings, label};
use crate::caps::visible;

/// Draws the footer.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let width = usize::from(area.width);
    let mut spans = Vec::new();
    if let Some(n) = app.count {
        spans.push(Span::styled(format!("{n}× "), t.warning.style()));
    }
    if let Some(status) = &app.status {
        let style = if status.error {
            t.error.style()
        } else {
            t.formula_value.style()
        };
        spans.push(Span::styled(format!("{} ", visible(&status.text)), style));
        spans.push(Span::styled("· ", t.muted.style()));
    }
    let mut used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    for (b, short) in bindings(app.mode.keys()).filter_map(|b| b.footer.map(|f| (b, f))) {
        let key = b.keys.first().map(label).unwrap_or_default();
        let words = format!(" {short}  ");
        let len = key.chars().count() + words.chars().count();
        if used + len > width {
            break;
        }
        used += len;
        spans.push(Span::styled(key, t.key.style()));
        spans.push(Span::styled(words, t.muted.style()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
