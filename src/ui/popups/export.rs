//! The export formats, with the file each writes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::keymap::KeyMode;
use crate::app::state::ExportChoice;
use crate::caps::visible;
use crate::interop::export::ExportFormat;
use crate::ui::widgets::{choice_list, key_hints, show};

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, c: &ExportChoice) {
    let t = &app.theme;
    let index = c.index;
    let name = app.saved_as.as_deref().unwrap_or(&app.design.name);
    let mut lines = vec![Line::styled(
        " written to exports/ in the config folder",
        t.muted.style(),
    )];
    let rows = ExportFormat::IN_POPUP.iter().map(|f| {
        Line::from(vec![
            Span::styled(format!(" {:<18}", f.label()), t.text.style()),
            Span::styled(visible(&f.file_name(name)).into_owned(), t.muted.style()),
        ])
    });
    lines.extend(choice_list(t, rows, index));
    lines.push(Line::default());
    lines.push(key_hints(t, KeyMode::Export));
    let h = u16::try_from(lines.len()).unwrap_or(8).saturating_add(2);
    show(frame, area, t, " Export ", lines, (56, h), index + 1);
}
