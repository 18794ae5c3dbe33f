//! Pieces every popup is built from: a text field, a list with a highlighted choice, the
//! key hints of a mode, and the bordered box in the middle of the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::action::Action;
use crate::app::keymap::{KeyMode, bindings, keys_label};
use crate::caps::visible;
use crate::theme::Theme;
use crate::ui::text::highlight;

/// A one-line text field: the prompt mark, the text, the cursor.
pub fn text_field(t: &Theme, text: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled("› ", t.key.style()),
        Span::styled(visible(text).into_owned(), t.text.style()),
        Span::styled("▏", t.key.style()),
    ])
}

/// Rows of a list, the chosen one highlighted.
pub fn choice_list(
    t: &Theme,
    rows: impl IntoIterator<Item = Line<'static>>,
    chosen: usize,
) -> impl Iterator<Item = Line<'static>> {
    let style = t.selection.style();
    rows.into_iter().enumerate().map(move |(i, line)| {
        if i == chosen {
            highlight(line, style)
        } else {
            line
        }
    })
}

/// The footer-marked bindings of a mode, as one line of hints.
pub fn key_hints(t: &Theme, mode: KeyMode) -> Line<'static> {
    key_hints_without(t, mode, &[])
}

/// The same hints without the bindings of `idle`: a key that would do nothing now is not
/// offered ([`crate::app::Mode::idle`]).
pub fn key_hints_without(t: &Theme, mode: KeyMode, idle: &[Action]) -> Line<'static> {
    let mut spans = Vec::new();
    let offered = bindings(mode).filter(|b| !idle.contains(&b.action));
    for (b, hint) in offered.filter_map(|b| b.footer.map(|f| (b, f))) {
        spans.push(Span::styled(keys_label(b), t.key.style()));
        spans.push(Span::styled(format!(" {}  ", hint.words), t.muted.style()));
    }
    Line::from(spans)
}

/// A bordered box with a title, in the focused border colour.
pub fn block<'a>(t: &Theme, title: &str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focused.style())
        .title(Span::styled(title.to_string(), t.title.style()))
        .style(t.text.style())
}

/// Draws `lines` in a `w`×`h` box in the middle of `area`, scrolled so that line `keep`
/// stays in view.
pub fn show(
    frame: &mut Frame,
    area: Rect,
    t: &Theme,
    title: &str,
    lines: Vec<Line<'static>>,
    (w, h): (u16, u16),
    keep: usize,
) {
    let r = centred(area, w, h);
    // In a short terminal, scroll so the line with the cursor stays in view.
    let inner = usize::from(r.height.saturating_sub(2)).max(1);
    let scroll = u16::try_from(keep.saturating_sub(inner - 1)).unwrap_or(0);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(t, title))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        r,
    );
}

/// A popup's lines around a list that scrolls: `head` stays above it (a filter, a preview,
/// column names) and `foot` below it (key hints), however far the list is scrolled.
pub struct Pinned {
    /// Lines above the list.
    pub head: Vec<Line<'static>>,
    /// The list's rows.
    pub list: Vec<Line<'static>>,
    /// Lines below the list.
    pub foot: Vec<Line<'static>>,
}

/// Draws `lines` in a box `w` wide in the middle of `area`, as tall as they need up to
/// `max_h`, the list scrolled so that its row `keep` stays in view. When the box is short,
/// the list keeps a few rows and the head gives way first, then the foot. The list's rows are
/// not wrapped, so that a row is a line: each must fit the box.
pub fn show_pinned(
    frame: &mut Frame,
    area: Rect,
    t: &Theme,
    title: &str,
    lines: Pinned,
    (w, max_h): (u16, u16),
    keep: usize,
) {
    let count = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    let wrapped = |lines: Vec<Line<'static>>| Paragraph::new(lines).wrap(Wrap { trim: false });
    // Rows as drawn inside the borders: a long filter wraps onto a second row.
    let width = w.min(area.width).saturating_sub(2);
    let rows = |text: &Paragraph| count(text.line_count(width));
    let (head_text, foot_text) = (wrapped(lines.head), wrapped(lines.foot));
    let (head_rows, foot_rows) = (rows(&head_text), rows(&foot_text));
    let needed = head_rows
        .saturating_add(count(lines.list.len()))
        .saturating_add(foot_rows)
        .saturating_add(2);
    let r = centred(area, w, needed.min(max_h));
    frame.render_widget(Clear, r);
    let outer = block(t, title);
    let inner = outer.inner(r);
    frame.render_widget(outer, r);
    let room = inner.height;
    let list_min = count(lines.list.len()).clamp(1, 3).min(room);
    let foot = foot_rows.min(room - list_min);
    let head = head_rows.min(room - list_min - foot);
    let list = room - head - foot;
    let at = |y: u16, height: u16| Rect::new(inner.x, y, inner.width, height);
    let scroll = keep.saturating_sub(usize::from(list.max(1)) - 1);
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(head_text, at(inner.y, head));
    frame.render_widget(
        Paragraph::new(lines.list).scroll((scroll, 0)),
        at(inner.y + head, list),
    );
    frame.render_widget(foot_text, at(inner.y + head + list, foot));
}

/// A `w`×`h` rectangle in the middle of `area`, shrunk to fit.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
