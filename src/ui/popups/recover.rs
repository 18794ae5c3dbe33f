//! The copies of unsaved work left by ended instances.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::keymap::KeyMode;
use crate::app::{App, RecoverList};
use crate::caps::{truncate, visible};
use crate::report::numbers::thousands;
use crate::ui::text::wrap;
use crate::ui::widgets::{Pinned, choice_list, key_hints, show_pinned};

/// The copies of unsaved work left by ended instances: design, when, total, one per line.
/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, list: &RecoverList) {
    let t = &app.theme;
    let head = vec![
        Line::styled(
            " Left by sessions that have ended (never by a running one):",
            t.muted.style(),
        ),
        Line::styled(
            format!(" {:<24}{:<18}{:>14}", "Design", "Written (UTC)", "Params"),
            t.header.style(),
        ),
    ];
    let rows = list.items.iter().map(|item| {
        let total = match (&item.error, item.total) {
            (Some(_), _) => "unreadable".to_string(),
            (None, Some(n)) => thousands(n),
            (None, None) => "does not build".to_string(),
        };
        Line::from(vec![
            Span::styled(
                format!(" {:<24}", truncate(&visible(&item.name), 23)),
                t.text.style(),
            ),
            Span::styled(format!("{:<18}", visible(&item.changed)), t.muted.style()),
            Span::styled(format!("{total:>14}"), t.number.style()),
        ])
    });
    let mut foot = Vec::new();
    if let Some(e) = list.items.get(list.index).and_then(|i| i.error.as_ref()) {
        for l in wrap(&visible(e), 62) {
            foot.push(Line::styled(l, t.error.style()));
        }
    }
    foot.push(Line::default());
    foot.push(key_hints(t, KeyMode::Recover));
    let lines = Pinned {
        head,
        list: choice_list(t, rows, list.index).collect(),
        foot,
    };
    let h = area.height;
    show_pinned(
        frame,
        area,
        t,
        " Unsaved work found ",
        lines,
        (66, h),
        list.index,
    );
}
