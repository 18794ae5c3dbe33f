//! A yes/no question.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::keymap::KeyMode;
use crate::app::{App, Question};
use crate::caps::visible;
use crate::ui::text::wrap;
use crate::ui::widgets::{key_hints, show};

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, q: &Question) {
    let t = &app.theme;
    let title = match q {
        Question::Quit => " Quit? ",
        Question::Overwrite(_) => " Replace the saved file? ",
        Question::Delete(_) => " Delete the saved design? ",
        Question::TokenIds => " Switch the input to token ids? ",
    };
    let text = match q {
        Question::Quit => format!(
            "{} has unsaved changes. Save them as designs/{}.ron and quit, quit without saving (they are lost), or stay?",
            visible(&app.design.name),
            visible(app.saved_as.as_deref().unwrap_or(&app.design.name))
        ),
        Question::Overwrite(name) => format!(
            "designs/{}.ron holds something else: it changed on disk, or another design has that name. Replace it with this design?",
            visible(name)
        ),
        Question::Delete(name) => format!(
            "Delete designs/{}.ron? This cannot be undone.",
            visible(name)
        ),
        Question::TokenIds => {
            let first = app.design.input.shape.0.first().copied().flatten();
            format!(
                "Embedding takes token ids. Switch the input from float32 features to int32 token ids of shape ({},)? (u undoes)",
                first.map_or("None".into(), |n| n.to_string())
            )
        }
    };
    let mut lines: Vec<Line> = wrap(&text, 48)
        .into_iter()
        .map(|l| Line::styled(l, t.text.style()))
        .collect();
    lines.push(Line::default());
    let keys = match q {
        Question::Quit => KeyMode::Quit,
        _ => KeyMode::Confirm,
    };
    lines.push(key_hints(t, keys));
    let h = u16::try_from(lines.len()).unwrap_or(8).saturating_add(2);
    show(frame, area, t, title, lines, (52, h), 0);
}
