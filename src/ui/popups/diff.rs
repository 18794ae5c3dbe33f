//! A saved design (left) compared with this one (right), side by side, with what changed
//! under each changed row; only the rows on screen are built.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::App;
use crate::app::keymap::KeyMode;
use crate::app::state::DiffView;
use crate::caps::{truncate, visible};
use crate::model::diff::Line as DiffLine;
use crate::model::{Row, Summary};
use crate::report::numbers::{signed, thousands};
use crate::theme::Theme;
use crate::ui::widgets::{block, centred, key_hints};

/// Widths of the shape and count columns of a comparison side.
const SHAPE_W: usize = 16;
const COUNT_W: usize = 7;

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, v: &DiffView) {
    let t = &app.theme;
    let w = area.width.saturating_sub(2).min(120);
    let side = usize::from(w.saturating_sub(2)).saturating_sub(5) / 2;
    let cell = |r: &Row| -> String {
        let count = r.params.total().map_or("?".into(), thousands);
        let shape = r.output.to_string();
        let name_w = side.saturating_sub(SHAPE_W + COUNT_W + 2);
        let mut name = format!("{} ({})", visible(&r.name), r.class);
        if name.chars().count() > name_w {
            // A narrow popup drops the class: the name alone says which row it is.
            name = visible(&r.name).into_owned();
        }
        format!(
            "{:<name_w$} {:<SHAPE_W$} {count:>COUNT_W$}",
            truncate(&name, name_w),
            truncate(&shape, SHAPE_W),
        )
    };
    // Only the rows on screen are built: a comparison of two large designs has as many lines
    // as layers. Indices count the whole text: the header, the aligned rows, then the trailer.
    let total = |s: &Summary| s.totals.total().ok().map_or("?".into(), thousands);
    let mut end = vec![
        Span::styled("Total params ", t.text.style()),
        Span::styled(total(&v.diff.a), t.number.style()),
        Span::styled(" → ", t.muted.style()),
        Span::styled(total(&v.diff.b), t.number.style()),
    ];
    if let Some(d) = v.diff.total_change() {
        end.push(Span::styled(
            format!("  ({})", signed(d)),
            t.formula_value.style(),
        ));
    }
    let trailer = [
        Line::default(),
        Line::from(end),
        Line::styled(
            "~ changed  - only in the saved design  + new here",
            t.muted.style(),
        ),
        key_hints(t, KeyMode::Compare),
    ];
    let all = 1 + v.body_lines() + trailer.len();
    let h = u16::try_from(all)
        .unwrap_or(u16::MAX)
        .saturating_add(2)
        .min(area.height.saturating_sub(2));
    let rows = usize::from(h.saturating_sub(2));
    // Scrolled past the end, the last page stays in view.
    let first = v.scroll.min(all.saturating_sub(rows));
    let shown = first..first + rows;
    let mut lines = Vec::new();
    if shown.contains(&0) {
        let saved = format!("saved: {}", visible(&v.name));
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {:<side$}", truncate(&saved, side), side = side + 3),
                t.header.style(),
            ),
            Span::styled(truncate("this design", side).into_owned(), t.header.style()),
        ]));
    }
    let note_width = usize::from(w.saturating_sub(6));
    lines.extend(body(t, v, &shown, side, note_width, &cell));
    let trailer_at = 1 + v.body_lines();
    lines.extend(
        trailer
            .into_iter()
            .enumerate()
            .filter(|(k, _)| shown.contains(&(trailer_at + k)))
            .map(|(_, l)| l),
    );
    let r = centred(area, w, h);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).block(block(t, " Compare (j/k scroll) ")),
        r,
    );
}

/// The rows and notes of the comparison whose text lines fall in `shown`: the header is line
/// 0, then a line per row and one under each changed row that says what changed.
fn body(
    t: &Theme,
    v: &DiffView,
    shown: &Range<usize>,
    side: usize,
    note_width: usize,
    cell: &dyn Fn(&Row) -> String,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let notes_before = |k: usize| v.notes.partition_point(|(i, _)| *i < k);
    let text_of = |k: usize| 1 + k + notes_before(k);
    let count = v.diff.line_count();
    let (mut lo, mut hi) = (0, count);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if text_of(mid) <= shown.start.max(1) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let from = lo.saturating_sub(1);
    let mut note = v.notes.iter().skip(notes_before(from)).peekable();
    for (k, l) in v.diff.lines().enumerate().skip(from) {
        let at = text_of(k);
        if at >= shown.end {
            break;
        }
        let (mark, style, a, b) = match l {
            DiffLine::Same(a, b) => (" ", t.muted.style(), cell(a), cell(b)),
            DiffLine::Changed(a, b) => ("~", t.warning.style(), cell(a), cell(b)),
            DiffLine::Removed(a) => ("-", t.error.style(), cell(a), String::new()),
            DiffLine::Added(b) => ("+", t.gauge_ok.style(), String::new(), cell(b)),
        };
        if shown.contains(&at) {
            lines.push(Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::styled(format!("{a:<side$}"), style),
                Span::styled(" │ ", t.border.style()),
                Span::styled(b, style),
            ]));
        }
        if let Some((_, what)) = note.next_if(|(i, _)| *i == k)
            && shown.contains(&(at + 1))
        {
            lines.push(Line::styled(
                format!("    {}", truncate(&visible(what), note_width)),
                t.warning.style(),
            ));
        }
    }
    lines
}
