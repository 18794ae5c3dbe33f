//! The budgets form: one line per field with what may be typed beside it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::state::{BudgetField, BudgetForm};
use crate::caps::visible;
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
        let mut value = visible(f.text(field)).into_owned();
        if current {
            value.push('▏');
        }
        let pad = 16usize.saturating_sub(value.chars().count());
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {name:<12} "),
                if current {
                    t.key.style()
                } else {
                    t.muted.style()
                },
            ),
            Span::styled(value, if bad { t.error.style() } else { t.text.style() }),
            Span::raw(" ".repeat(pad)),
            Span::styled(field.hint(), t.muted.style()),
        ]));
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
