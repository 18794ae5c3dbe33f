//! The edit form: every field of a layer or of the input.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::form::{Syntax, Target};
use crate::app::state::Form;
use crate::caps::visible;
use crate::ui::text::wrap;
use crate::ui::widgets::show;

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, f: &Form) {
    let t = &app.theme;
    let name_w = f
        .fields
        .iter()
        .map(|x| x.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for (i, field) in f.fields.iter().enumerate() {
        let bad = f.error.as_ref().is_some_and(|(at, _)| *at == i);
        let current = i == f.index;
        let value_style = if bad { t.error.style() } else { t.text.style() };
        let mut value = visible(&field.text).into_owned();
        if current {
            value.push('▏');
        }
        let hint = match (field.syntax, field.text.is_empty()) {
            (Syntax::OptStr, true) if !current => "automatic",
            _ => "",
        };
        let mut line = Line::from(vec![
            Span::styled(
                format!(" {:<name_w$}  ", field.name),
                if current {
                    t.key.style()
                } else {
                    t.muted.style()
                },
            ),
            Span::styled(value, value_style),
            Span::styled(hint, t.muted.style()),
        ]);
        if current {
            line = line.patch_style(
                ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::BOLD),
            );
        }
        lines.push(line);
    }
    lines.push(Line::default());
    match &f.error {
        Some((_, e)) => {
            for l in wrap(&visible(e), 52) {
                lines.push(Line::styled(format!(" {l}"), t.error.style()));
            }
            lines.push(Line::styled(" not applied until fixed", t.muted.style()));
        }
        None => lines.push(Line::styled(" ✓ valid: Enter applies", t.gauge_ok.style())),
    }
    let title = match f.target {
        Target::Input => " Edit the input ".to_string(),
        Target::Layer(i) => {
            let name = app
                .summary
                .rows
                .get(i)
                .map(|r| visible(&r.name).into_owned());
            format!(
                " Edit {} ({}) ",
                name.unwrap_or_else(|| format!("row {}", i + 1)),
                f.variant
            )
        }
    };
    let h = u16::try_from(lines.len()).unwrap_or(20).saturating_add(2);
    show(frame, area, t, &title, lines, (58, h), f.index);
}
