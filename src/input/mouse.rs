//! The mouse: a left click focuses the pane under it and selects the row under it; the wheel
//! scrolls the pane under it without moving the focus.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use crate::app::{Action, App, Pane};
use crate::ui::{Hit, hit};

/// Lines one notch of the wheel scrolls.
const WHEEL_LINES: i64 = 3;

/// What a mouse event means, last action first.
pub(super) fn actions(app: &App, m: MouseEvent) -> Vec<Action> {
    let Some(under) = hit(app, m.column, m.row) else {
        return vec![];
    };
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => match under {
            Hit::Row(pane, row) => vec![Action::Select(row), Action::Focus(pane)],
            Hit::Pane(pane) => vec![Action::Focus(pane)],
            Hit::Elsewhere => vec![],
        },
        MouseEventKind::ScrollUp => vec![Action::Scroll(wheel_pane(app, under), -WHEEL_LINES)],
        MouseEventKind::ScrollDown => vec![Action::Scroll(wheel_pane(app, under), WHEEL_LINES)],
        _ => vec![],
    }
}

/// The pane the wheel scrolls: the detail text over the detail pane, the selection over the
/// layer list and the summary, and the focused pane anywhere else.
fn wheel_pane(app: &App, under: Hit) -> Pane {
    match under {
        Hit::Row(Pane::Detail, _) | Hit::Pane(Pane::Detail) => Pane::Detail,
        Hit::Row(..) | Hit::Pane(_) => Pane::Layers,
        Hit::Elsewhere => app.focus,
    }
}
