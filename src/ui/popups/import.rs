//! The import box: the pasted text with line numbers, the last lines in view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::App;
use crate::app::keymap::KeyMode;
use crate::app::state::ImportBox;
use crate::caps::{truncate, visible};
use crate::ui::text::wrap;
use crate::ui::widgets::{block, centred, key_hints};

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, b: &ImportBox) {
    let t = &app.theme;
    let w = area.width.saturating_sub(4).min(100);
    let h = area.height.saturating_sub(2).min(30);
    let inner_w = usize::from(w.saturating_sub(2));
    let mut tail = vec![Line::default()];
    match &b.error {
        Some(e) => {
            for l in wrap(&visible(&e.to_string()), inner_w) {
                tail.push(Line::styled(l, t.error.style()));
            }
        }
        None => tail.push(Line::styled(
            "Paste Keras code (Sequential or functional) or Keras JSON; nothing is run.",
            t.muted.style(),
        )),
    }
    tail.push(key_hints(t, KeyMode::Import));
    let room = usize::from(h.saturating_sub(2)).saturating_sub(tail.len());
    let text: Vec<&str> = b.text.text().split('\n').collect();
    // The cursor's line and column, so the line it is on stays in view and shows it.
    let before = b.text.split().0;
    let cursor_line = before.matches('\n').count();
    let cursor_col = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    let first = text.len().saturating_sub(room.max(1)).min(cursor_line);
    let mut lines: Vec<Line<'static>> = text
        .iter()
        .enumerate()
        .skip(first)
        .take(room.max(1))
        .map(|(k, l)| {
            let s = if k == cursor_line {
                let at = l.char_indices().nth(cursor_col).map_or(l.len(), |(i, _)| i);
                format!("{}▏{}", visible(&l[..at]), visible(&l[at..]))
            } else {
                visible(l).into_owned()
            };
            Line::from(vec![
                Span::styled(format!("{:>3} ", k + 1), t.muted.style()),
                Span::styled(
                    truncate(&s, inner_w.saturating_sub(4)).into_owned(),
                    t.text.style(),
                ),
            ])
        })
        .collect();
    while lines.len() < room {
        lines.push(Line::default());
    }
    lines.extend(tail);
    let r = centred(area, w, h);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).block(block(t, " Import Keras code or JSON ")),
        r,
    );
}
