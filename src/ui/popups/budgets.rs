//! The budgets form: one line per field with what may be typed beside it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::state::{BudgetField, BudgetForm};
use crate::caps::visible;
use crate::ui::popups::edited;
use crate::ui::text::wrap;
use crate::ui::widgets::show;

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, f: &BudgetForm) {
    let t = &app.theme;
    let mut lines = Vec::new();
    for field in BudgetField::ALL {
        let i = field.row();
        let name = field.label();
        let current = i == f.index;
        let bad = f.error.as_ref().is_some_and(|(at, _)| *at == i);
        let style = if bad { t.error.style() } else { t.text.style() };
        let value = match f.fields.get(i) {
            Some(edit) if current => edited(t, edit, style),
            _ => vec![Span::styled(visible(f.text(field)).into_owned(), style)],
        };
        let width: usize = value.iter().map(|s| s.content.chars().count()).sum();
        let pad = 16usize.saturating_sub(width);
        let mut spans = vec![Span::styled(
            format!(" {name:<12} "),
            if current {
                t.key.style()
            } else {
                t.muted.style()
            },
        )];
        spans.extend(value);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(field.hint(), t.muted.style()));
        lines.push(Line::from(spans));
    }
    lines.push(Line::default());
    match &f.error {
        Some((_, e)) => {
            for l in wrap(&visible(e), 56) {
                lines.push(Line::styled(format!(" {l}"), t.error.style()));
            }
        }
        None => lines.push(Line::styled(
            " empty clears a budget · Enter applies (u undoes)",
            t.gauge_ok.style(),
        )),
    }
    let h = u16::try_from(lines.len()).unwrap_or(10).saturating_add(2);
    show(frame, area, t, " Budgets ", lines, (62, h), f.index);
}
