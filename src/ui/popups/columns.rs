//! The summary column chooser.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::keymap::KeyMode;
use crate::app::state::ColumnChoice;
use crate::report::columns::Column;
use crate::ui::widgets::{choice_list, key_hints, show};

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, c: &ColumnChoice) {
    let t = &app.theme;
    let index = c.index;
    let precision = app.design.budget.precision;
    let mut lines = Vec::new();
    let rows = Column::ALL.iter().map(|(_, c)| {
        let on = app.columns.contains(c);
        Line::from(vec![
            Span::styled(if on { " [x] " } else { " [ ] " }, t.key.style()),
            Span::styled(c.header(precision), t.text.style()),
        ])
    });
    lines.extend(choice_list(t, rows, index));
    lines.push(Line::default());
    lines.push(key_hints(t, KeyMode::Columns));
    let h = u16::try_from(lines.len()).unwrap_or(8).saturating_add(2);
    show(
        frame,
        area,
        t,
        " Summary columns ",
        lines,
        (40, h),
        index + 1,
    );
}
