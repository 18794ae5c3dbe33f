//! The bottom line: the status message, then the keys that matter now, taken from the keymap:
//! the focused pane's or the open popup's, the most important first, more as the terminal
//! widens.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::keymap::{Binding, Hint, KeyMode, bindings};
use crate::caps::visible;
use crate::ui::text::cut_words;

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
        // A message longer than the line ends at a whole word, never inside a number.
        let room = width.saturating_sub(spans.iter().map(Span::width).sum::<usize>() + 1);
        let text = cut_words(&visible(&status.text), room);
        let cut = text.ends_with('…');
        spans.push(Span::styled(format!("{text} "), style));
        if !cut {
            spans.push(Span::styled("· ", t.muted.style()));
        }
    }
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    for (key, words) in hints(app, width.saturating_sub(used)) {
        spans.push(Span::styled(key, t.key.style()));
        spans.push(Span::styled(format!(" {words}  "), t.muted.style()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The hints that fit in `room` columns, as (keys, words) in table order: the lowest ranks
/// are taken first, and a hint that does not fit leaves room for a shorter one after it.
fn hints(app: &App, room: usize) -> Vec<(String, &'static str)> {
    let mode = app.mode.keys();
    // As in the popups themselves: a key that would change nothing is not offered.
    let idle = app.mode.idle();
    let mut offered: Vec<(usize, &Binding, &Hint)> = bindings(mode)
        .enumerate()
        .filter(|(_, b)| !idle.contains(&b.action))
        .filter_map(|(i, b)| b.footer.as_ref().map(|h| (i, b, h)))
        .filter(|(_, _, h)| mode != KeyMode::Normal || h.panes.contains(&app.focus))
        .collect();
    offered.sort_by_key(|(i, _, h)| (h.rank, *i));
    let mut used = 0;
    let mut chosen: Vec<(usize, String, &'static str)> = Vec::new();
    for (i, b, h) in offered {
        let key = h.keys_text(b);
        // Two spaces part hints; the last needs none after it.
        let len = key.chars().count() + 1 + h.words.chars().count();
        let gap = if chosen.is_empty() { 0 } else { 2 };
        if used + gap + len <= room {
            used += gap + len;
            chosen.push((i, key, h.words));
        }
    }
    chosen.sort_by_key(|(i, _, _)| *i);
    chosen.into_iter().map(|(_, k, w)| (k, w)).collect()
}
