//! The tensor picker: each tensor in scope with its shape, the ones taken numbered in the
//! order taken, the ones that would not build marked with why.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::keymap::KeyMode;
use crate::app::state::{MERGES, Purpose, TensorPicker, is_attention};
use crate::caps::visible;
use crate::ui::text::wrap;
use crate::ui::widgets::{Pinned, choice_list, key_hints_without, show_pinned};

/// The box's width when the terminal allows it.
const WIDTH: u16 = 64;

/// The name of the layer at `at`, as the summary gives it.
fn name_of(app: &App, at: usize) -> String {
    app.summary
        .row_of(at)
        .map_or(format!("row {}", at + 1), |r| visible(&r.name).into_owned())
}

/// The title and the line that says what the choice is for.
fn heading(app: &App, p: &TensorPicker) -> (String, String) {
    match &p.purpose {
        Purpose::Add(_, layer) => {
            let class = layer.kind().class();
            let how = if is_attention(layer) {
                "Space takes query, then value (then key); Enter takes the highlighted one last"
            } else {
                "Space takes each tensor to merge; Enter takes the highlighted one last"
            };
            (format!(" Inputs of the new {class} "), how.to_string())
        }
        Purpose::Reconnect(at) => (
            format!(" Delete {} ", name_of(app, *at)),
            "other layers read it: what do they read instead?".to_string(),
        ),
        Purpose::MergeBack(at) => (
            format!(" Merge {} back ", name_of(app, *at)),
            format!("merge by ‹{}› (←/→ other kinds) with:", MERGES[p.kind]),
        ),
    }
}

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, p: &TensorPicker) {
    let t = &app.theme;
    let width = usize::from(WIDTH.min(area.width)).saturating_sub(4).max(10);
    let (title, how) = heading(app, p);
    let head: Vec<Line<'static>> = wrap(&how, width)
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), t.muted.style()))
        .collect();
    let name_w = p
        .choices
        .iter()
        .filter_map(|c| c.reference.as_ref().map(|r| r.chars().count()))
        .max()
        .unwrap_or(4)
        .min(width / 2);
    let rows = p.choices.iter().enumerate().map(|(i, c)| {
        let taken = p.chosen.iter().position(|&x| x == i);
        let mark = taken.map_or("  ".to_string(), |n| format!("{:>2}", n + 1));
        let name = c.reference.as_deref().map_or(String::new(), |r| {
            crate::caps::truncate(&visible(r), name_w).into_owned()
        });
        let mut spans = vec![
            Span::styled(format!("{mark} "), t.key.style()),
            Span::styled(format!("{name:<name_w$} "), t.text.style()),
            Span::styled(format!("{} ", c.shape), t.muted.style()),
        ];
        if let Some(note) = c.note {
            spans.push(Span::styled(note.to_string(), t.muted.style()));
        }
        if let Some(why) = &c.why_not {
            // One line per tensor: the whole reason is shown below for the highlighted one.
            let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
            let room = width.saturating_sub(used + 2).max(8);
            let why = crate::caps::truncate(&visible(why), room).into_owned();
            spans.push(Span::styled(format!("✗ {why}"), t.warning.style()));
        }
        Line::from(spans)
    });
    let list = choice_list(t, rows, p.index).collect();
    let mut foot = Vec::new();
    if let Some(why) = p.choices.get(p.index).and_then(|c| c.why_not.as_ref()) {
        for l in wrap(&format!("✗ {}", visible(why)), width) {
            foot.push(Line::styled(format!(" {l}"), t.warning.style()));
        }
    }
    if let Some(e) = &p.error {
        for l in wrap(&visible(e), width) {
            foot.push(Line::styled(format!(" {l}"), t.error.style()));
        }
    }
    foot.push(Line::default());
    foot.push(key_hints_without(t, KeyMode::Tensors, &app.mode.idle()));
    let lines = Pinned { head, list, foot };
    let h = area.height.saturating_sub(2);
    show_pinned(frame, area, t, &title, lines, (WIDTH, h), p.index);
}
