//! The list of saved designs, to open one or compare with it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::keymap::KeyMode;
use crate::app::state::OpenPicker;
use crate::caps::{truncate, visible};
use crate::report::numbers::thousands;
use crate::ui::widgets::{Pinned, choice_list, key_hints, show_pinned, text_field};

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, p: &OpenPicker) {
    let t = &app.theme;
    let header = format!(
        " {:<20}{:>12} {:<14}{}",
        "Name", "Params", "Budget", "Changed (UTC)"
    );
    let head = vec![
        text_field(t, &p.filter),
        Line::styled(header, t.header.style()),
    ];
    let matches = p.matches();
    let rows = matches.iter().map(|s| {
        let total = match (s.counted, s.total) {
            (false, _) => "…".into(),
            (true, Some(n)) => thousands(n),
            (true, None) => "?".into(),
        };
        let budget = s
            .budget
            .map_or(String::new(), |b| format!("of {}", thousands(b)));
        Line::from(vec![
            Span::styled(
                format!(" {:<20}", truncate(&visible(&s.name), 20)),
                t.text.style(),
            ),
            Span::styled(format!("{total:>12} "), t.number.style()),
            Span::styled(format!("{budget:<14}"), t.muted.style()),
            Span::styled(visible(&s.changed).into_owned(), t.muted.style()),
        ])
    });
    let mut list: Vec<Line<'static>> = choice_list(t, rows, p.index).collect();
    if p.all.is_empty() {
        list.push(Line::styled(
            "no saved designs yet (Ctrl-s saves this one)",
            t.muted.style(),
        ));
    }
    let lines = Pinned {
        head,
        list,
        foot: vec![key_hints(t, KeyMode::OpenList)],
    };
    let h = area.height;
    show_pinned(
        frame,
        area,
        t,
        if p.compare {
            " Compare this design with "
        } else {
            " Open a design "
        },
        lines,
        (72, h),
        p.index,
    );
}
