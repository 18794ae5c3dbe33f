//! The block form: the block's sizes, one line each, with what the block inserts above them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::state::BlockForm;
use crate::caps::visible;
use crate::ui::popups::edited;
use crate::ui::text::wrap;
use crate::ui::widgets::show;

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, f: &BlockForm) {
    let t = &app.theme;
    let mut lines: Vec<Line<'static>> = wrap(f.block.brief(), 56)
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), t.muted.style()))
        .collect();
    lines.push(Line::styled(
        format!(" from {} {}", visible(&f.start.reference), f.start.shape),
        t.muted.style(),
    ));
    let above = lines.len();
    for (i, (size, edit)) in f.block.sizes().iter().zip(&f.fields).enumerate() {
        let current = i == f.index;
        let bad = f.error.as_ref().is_some_and(|(at, _)| *at == i);
        let style = if bad { t.error.style() } else { t.text.style() };
        let mut spans = vec![Span::styled(
            format!(" {:<10} ", f.block.label(*size)),
            if current {
                t.key.style()
            } else {
                t.muted.style()
            },
        )];
        if current {
            spans.extend(edited(t, edit, style));
        } else {
            spans.push(Span::styled(visible(edit.text()).into_owned(), style));
        }
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
            " Enter inserts the block (u undoes it at once)",
            t.gauge_ok.style(),
        )),
    }
    let h = u16::try_from(lines.len()).unwrap_or(10).saturating_add(2);
    let title = format!(" {} ", f.block.title());
    show(frame, area, t, &title, lines, (62, h), above + f.index);
}
