//! The edit form: every field of a layer or of the input, in Python spelling. A field's error
//! is written under it, and the form scrolls so the field with the cursor and its error stay
//! in view however short the terminal.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::form::{Field, Syntax, Target, boolean, chosen};
use crate::app::state::Form;
use crate::caps::{truncate, visible};
use crate::theme::Theme;
use crate::ui::popups::edited;
use crate::ui::text::wrap;
use crate::ui::widgets::show;

/// The form's width when the terminal allows it.
const WIDTH: u16 = 58;

/// What is written after a field's value: how to choose, or what an empty field means; no
/// wider than `room` columns when it lists choices, so the field stays one line.
fn hint(field: &Field, current: bool, room: usize) -> String {
    let text = field.text.text().trim();
    match field.syntax {
        Syntax::OptStr if text.is_empty() && !current => "automatic".into(),
        // Say what a loosely typed boolean (`true`, `t`, `1`) is read as.
        Syntax::Bool if current => match boolean(text) {
            Some(b) if b != text => format!("  → {b}"),
            _ => "  Space toggles".into(),
        },
        Syntax::Choice(all) if current => match chosen(all, text) {
            Ok(c) if c != text => format!("  → {c}"),
            Ok(_) => "  Space/←→ next".into(),
            Err(_) => {
                // Choices that begin with the text first, then those that contain it.
                let t = text.to_lowercase();
                let (starts, within): (Vec<&str>, Vec<&str>) = all
                    .iter()
                    .filter(|c| c.contains(t.as_str()))
                    .partition(|c| c.starts_with(t.as_str()));
                let mut near = String::new();
                for c in starts.into_iter().chain(within).take(4) {
                    let more = if near.is_empty() { 2 } else { 3 } + c.chars().count();
                    if near.chars().count() + more > room {
                        break;
                    }
                    near.push_str(if near.is_empty() { "  " } else { " · " });
                    near.push_str(c);
                }
                near
            }
        },
        _ => String::new(),
    }
}

/// A field's line, `width` columns wide at most inside the box.
fn field_line(
    t: &Theme,
    field: &Field,
    (name_w, width): (usize, usize),
    current: bool,
    bad: bool,
) -> Line<'static> {
    let value_style = if bad { t.error.style() } else { t.text.style() };
    let mut spans = vec![Span::styled(
        format!(" {:<name_w$}  ", field.name),
        if current {
            t.key.style()
        } else {
            t.muted.style()
        },
    )];
    if current {
        spans.extend(edited(t, &field.text, value_style));
    } else {
        spans.push(Span::styled(
            visible(field.text.text()).into_owned(),
            value_style,
        ));
    }
    // The name's column and its gaps, the value and the cursor after it.
    let used = name_w + 3 + field.text.text().chars().count() + 1;
    let room = width.saturating_sub(used);
    spans.push(Span::styled(hint(field, current, room), t.muted.style()));
    let line = Line::from(spans);
    if current {
        line.patch_style(Style::default().add_modifier(Modifier::BOLD))
    } else {
        line
    }
}

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, f: &Form) {
    let t = &app.theme;
    let name_w = f
        .fields
        .iter()
        .map(|x| x.name.chars().count())
        .max()
        .unwrap_or(0);
    // Inside the borders, after the three-space indent of an error line.
    let wrap_w = usize::from(WIDTH.min(area.width)).saturating_sub(5).max(10);
    // Inside the borders.
    let width = usize::from(WIDTH.min(area.width)).saturating_sub(2);
    let mut lines = Vec::new();
    let mut keep = 0;
    for (i, field) in f.fields.iter().enumerate() {
        let bad = f.error.as_ref().is_some_and(|(at, _)| *at == i);
        let current = i == f.index;
        lines.push(field_line(t, field, (name_w, width), current, bad));
        if let (true, Some((_, e))) = (bad, &f.error) {
            for l in wrap(&visible(e), wrap_w) {
                lines.push(Line::styled(format!("   {l}"), t.error.style()));
            }
        }
        if current {
            keep = lines.len() - 1;
        }
    }
    if matches!(
        f.target,
        Target::Input | Target::NewInput | Target::FurtherInput(_)
    ) {
        // Starting points, so a first design needs no manual for its shape.
        let ideas = "e.g. (100, 6) features · (100,) int32 token ids · (28, 28, 1) an image";
        for l in wrap(ideas, wrap_w + 2) {
            lines.push(Line::styled(format!(" {l}"), t.muted.style()));
        }
    }
    lines.push(Line::default());
    match &f.error {
        Some(_) => lines.push(Line::styled(
            " not applied until fixed · Esc cancels",
            t.muted.style(),
        )),
        None => lines.push(Line::styled(" ✓ valid: Enter applies", t.gauge_ok.style())),
    }
    let title = match f.target {
        Target::Input => " Edit the input ".to_string(),
        Target::NewInput => " Add a model input ".to_string(),
        Target::FurtherInput(_) => " Edit the model input ".to_string(),
        Target::Layer(i) => {
            let name = app.summary.row_of(i).map(|r| visible(&r.name).into_owned());
            let class = match &f.inner {
                Some(inner) => format!("{}({inner})", f.variant),
                None => f.variant.clone(),
            };
            let name = name.unwrap_or_else(|| format!("row {}", i + 1));
            format!(" Edit {} ({class}) ", truncate(&name, 24))
        }
    };
    let h = u16::try_from(lines.len()).unwrap_or(20).saturating_add(2);
    show(frame, area, t, &title, lines, (WIDTH, h), keep);
}
