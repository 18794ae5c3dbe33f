//! The add-layer picker: each kind with the shape and count it would have here, then the
//! ready blocks under a `Blocks` heading with their output and count at their default sizes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::state::Picker;
use crate::caps::{truncate, visible};
use crate::model::summary::count;
use crate::model::{Layer, Shape};
use crate::report::numbers::thousands;
use crate::theme::Theme;
use crate::ui::popups::edited;
use crate::ui::text::wrap;
use crate::ui::widgets::{Pinned, choice_list, show_pinned};

/// The shape a layer inserted after the selection would receive, if known.
fn picker_input(app: &App) -> Option<Shape> {
    match app.layer_index() {
        None => Some(app.design.input.shape.clone()),
        Some(i) => app
            .summary
            .row_of(i)
            .and_then(|r| r.output.single().cloned()),
    }
}

/// Columns of the output shape and of the parameter count.
const SHAPE_W: usize = 18;
const COUNT_W: usize = 8;

/// One row of the list: a kind or block in a column `kw` wide (cut short with `…` when
/// longer), what it outputs here and its parameters.
fn row(t: &Theme, kw: usize, name: &str, shape: &str, count: &str) -> Line<'static> {
    let name = truncate(name, kw - 1);
    Line::from(vec![
        Span::styled(format!(" {name:<kw$}"), t.text.style()),
        Span::styled(format!("{shape:<SHAPE_W$}"), t.muted.style()),
        Span::styled(format!("{count:>COUNT_W$}"), t.number.style()),
    ])
}

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, p: &Picker) {
    let t = &app.theme;
    let matches = p.matches();
    let input = picker_input(app);
    // The kind column fits the longest class name (GlobalAveragePooling1D) when the terminal
    // is wide enough; narrower, it gives way so that each row stays one line (the list is
    // scrolled by rows) and the count column stays whole.
    let longest = Layer::catalogue()
        .iter()
        .map(|l| l.kind().class().len())
        .max()
        .unwrap_or(4)
        + 1;
    let width = longest + 30;
    let inner = width.min(usize::from(area.width)).saturating_sub(2);
    let kw = longest
        .min(inner.saturating_sub(1 + SHAPE_W + COUNT_W))
        .max(8);
    let header = format!(
        " {:<kw$}{:<SHAPE_W$}{:>COUNT_W$}",
        "Kind", "Output here", "Param #"
    );
    let mut field = vec![Span::styled("› ", t.key.style())];
    field.extend(edited(t, &p.filter, t.text.style()));
    let mut lines = vec![Line::from(field)];
    // Inside the borders, after the one-space indent.
    let wrap_w = inner.saturating_sub(1).max(10);
    if let Some(preview) = &p.preview {
        for l in wrap(&preview.expects, wrap_w) {
            lines.push(Line::styled(format!(" {l}"), t.muted.style()));
        }
        if let Some(w) = &preview.warning {
            for l in wrap(&format!("⚠ {}", visible(w)), wrap_w) {
                lines.push(Line::styled(format!(" {l}"), t.warning.style()));
            }
        }
    }
    lines.push(Line::styled(header, t.header.style()));
    let rows = matches.iter().map(|l| {
        let k = l.kind();
        let (shape, count) = match input.as_ref().map(|s| (k.output(s), s)) {
            Some((Ok(out), s)) => (
                out.to_string(),
                count(k, s, app.convention())
                    .ok()
                    .and_then(|p| p.total().ok())
                    .map_or("?".into(), thousands),
            ),
            Some((Err(_), _)) => ("does not fit here".to_string(), String::new()),
            None => (String::new(), String::new()),
        };
        row(t, kw, k.class(), &shape, &count)
    });
    let blocks = p.blocks.iter().map(|b| {
        let (shape, count) = match &b.here {
            Ok((shape, n)) => (shape.clone(), thousands(*n)),
            Err(_) => ("does not fit here".to_string(), String::new()),
        };
        row(t, kw, b.block.title(), &shape, &count)
    });
    let mut list: Vec<Line<'static>> = choice_list(t, rows.chain(blocks), p.index).collect();
    let mut keep = p.index;
    if !p.blocks.is_empty() {
        list.insert(matches.len(), Line::styled(" Blocks", t.header.style()));
        keep += usize::from(p.index >= matches.len());
    }
    if let Some(Err(why)) = &p.call {
        for l in wrap(&format!("✗ {}", visible(why)), wrap_w) {
            list.push(Line::styled(format!(" {l}"), t.warning.style()));
        }
    } else if list.is_empty() {
        list.push(Line::styled("no layer kind matches", t.muted.style()));
    }
    let lines = Pinned {
        head: lines,
        list,
        foot: Vec::new(),
    };
    let after = match app.layer_index() {
        None => "the input".to_string(),
        Some(i) => app.summary.row_of(i).map_or(format!("row {}", i + 1), |r| {
            format!("{} ({})", visible(&r.name), r.class)
        }),
    };
    let title = match &p.branch {
        Some(from) => format!(" Branch from {} ", visible(from)),
        None => format!(" Add after {after} "),
    };
    // The footer's last line stays in view: it says how to choose and cancel.
    let h = area.height.saturating_sub(2);
    show_pinned(
        frame,
        area,
        t,
        &title,
        lines,
        (u16::try_from(width).unwrap_or(60), h),
        keep,
    );
}
