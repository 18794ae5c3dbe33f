//! The key help: every binding in sections, then how MACs and memory are counted, with the
//! filter in the title and the position at the bottom.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::App;
use crate::app::help::{HelpLine, lines, page};
use crate::app::state::HelpView;
use crate::caps::visible;
use crate::ui::widgets::{block, centred};

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, view: &HelpView) {
    let t = &app.theme;
    let all = lines(&view.filter);
    let len = all.len();
    let mut shown: Vec<Line> = all
        .into_iter()
        .map(|l| match l {
            HelpLine::Heading(h) => Line::styled(h, t.header.style()),
            HelpLine::Key(keys, help) => Line::from(vec![
                Span::styled(format!("  {keys:<12}"), t.key.style()),
                Span::styled(help, t.text.style()),
            ]),
            HelpLine::Text(text) => Line::styled(format!("  {text}"), t.text.style()),
            HelpLine::Blank => Line::default(),
        })
        .collect();
    if shown.is_empty() {
        shown.push(Line::styled(
            "no key or text matches: Backspace erases, Esc drops the filter",
            t.muted.style(),
        ));
    }
    let title = if view.typing || !view.filter.is_empty() {
        let cursor = if view.typing { "▏" } else { "" };
        format!(" Keys · /{}{cursor} ", visible(&view.filter))
    } else {
        " Keys, then how MACs and memory are counted · / filter ".to_string()
    };
    let h = area.height.saturating_sub(2).min(
        u16::try_from(shown.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2),
    );
    let r = centred(area, 76, h);
    // The same page the keys move by; a resize since the last key may leave the offset
    // past the end, so it is held to the last page here too.
    let rows = usize::from(page(area.height).min(r.height.saturating_sub(2)));
    let first = usize::from(view.scroll).min(len.saturating_sub(rows));
    let position = if len == 0 {
        String::new()
    } else {
        format!(" {}–{} of {} ", first + 1, (first + rows).min(len), len)
    };
    let block =
        block(t, &title).title_bottom(Line::styled(position, t.muted.style()).right_aligned());
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(shown)
            .block(block)
            .scroll((u16::try_from(first).unwrap_or(u16::MAX), 0)),
        r,
    );
}
