//! A one-line text prompt: a name to save under or to rename to.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::state::Prompt;
use crate::app::{App, Ask};
use crate::caps::visible;
use crate::ui::popups::edited;
use crate::ui::widgets::show;
use ratatui::text::Span;

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, p: &Prompt) {
    let t = &app.theme;
    let (title, help) = match &p.ask {
        Ask::SaveName => (
            " Save as ".to_string(),
            "the design is saved as designs/<name>.ron",
        ),
        Ask::Rename(from) => (
            format!(" Rename {} ", visible(from)),
            "the file designs/<name>.ron is renamed",
        ),
    };
    let mut field = vec![Span::styled("› ", t.key.style())];
    field.extend(edited(t, &p.text, t.text.style()));
    let mut lines = vec![Line::from(field), Line::styled(help, t.muted.style())];
    if let Some(e) = &p.error {
        lines.push(Line::styled(visible(e).into_owned(), t.error.style()));
    }
    show(frame, area, t, &title, lines, (56, 6), 0);
}
