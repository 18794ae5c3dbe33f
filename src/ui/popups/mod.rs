//! Popups over the panes, one file each, drawn from the app's mode.

mod block_form;
mod budgets;
mod columns;
mod confirm;
mod diff;
mod export;
mod form;
mod help;
mod import;
mod open;
mod picker;
mod prompt;
mod recover;
mod solve;
mod tensors;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::{App, Mode};

/// Draws the popup of the current mode, if it has one.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    match &app.mode {
        Mode::Normal => {}
        Mode::Picker(p) => picker::render(app, frame, area, p),
        Mode::Open(p) => open::render(app, frame, area, p),
        Mode::Form(f) => form::render(app, frame, area, f),
        Mode::Block(f) => block_form::render(app, frame, area, f),
        Mode::Prompt(p) => prompt::render(app, frame, area, p),
        Mode::Confirm(q) => confirm::render(app, frame, area, q),
        Mode::Budgets(f) => budgets::render(app, frame, area, f),
        Mode::Export(c) => export::render(app, frame, area, c),
        Mode::Import(b) => import::render(app, frame, area, b),
        Mode::Columns(c) => columns::render(app, frame, area, c),
        Mode::Diff(v) => diff::render(app, frame, area, v),
        Mode::Recover(list) => recover::render(app, frame, area, list),
        Mode::Solve(v) => solve::render(app, frame, area, v),
        Mode::Help(h) => help::render(app, frame, area, h),
        Mode::Tensors(p) => tensors::render(app, frame, area, p),
    }
}

/// A text being edited as spans: the text in `style` with the cursor mark where the cursor is,
/// or the whole text in the selection colour while typing would replace it.
fn edited(
    t: &crate::theme::Theme,
    edit: &crate::app::text::TextEdit,
    style: ratatui::style::Style,
) -> Vec<ratatui::text::Span<'static>> {
    use ratatui::text::Span;
    let (before, after) = edit.split();
    if edit.is_selected() {
        return vec![
            Span::styled(
                crate::caps::visible(edit.text()).into_owned(),
                t.selection.style(),
            ),
            Span::styled("▏", style),
        ];
    }
    vec![
        Span::styled(format!("{}▏", crate::caps::visible(before)), style),
        Span::styled(crate::caps::visible(after).into_owned(), style),
    ]
}
