//! Where each pane goes, as pure arithmetic on the terminal size, shared by drawing and by
//! mouse hit-testing so a click lands on the row that is drawn there.

use ratatui::layout::{Position, Rect};

use crate::app::{App, Pane};
use crate::ui::{layers, summary};

/// Narrower than this, the panes cannot show a summary row; one line asks for more room.
pub const MIN_WIDTH: u16 = 50;
/// Lower than this, the same.
pub const MIN_HEIGHT: u16 = 12;
/// From this width the three panes stand side by side.
const THREE_COLUMNS: u16 = 150;

/// The screen's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// The layer list.
    pub layers: Rect,
    /// The summary table.
    pub summary: Rect,
    /// The selected layer's derivation.
    pub detail: Rect,
    /// The key hints and status line.
    pub footer: Rect,
}

/// The areas for the app's current terminal size.
pub fn for_app(app: &App) -> Option<Areas> {
    areas(Rect::new(0, 0, app.size.0, app.size.1), app)
}

/// The narrowest the layer list gets when the summary needs the width, even if its rows are
/// then cut.
const LAYERS_MIN: u16 = 18;

/// Splits the screen for the app's design; `None` when it is below the minimum size.
pub fn areas(area: Rect, app: &App) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let body_h = area.height - 1;
    let footer = Rect::new(area.x, area.y + body_h, area.width, 1);
    let w = area.width;
    if w >= THREE_COLUMNS {
        let lw = (w / 5).clamp(30, 44);
        let sw = ((w - lw) / 2).max(64);
        let dw = w - lw - sw;
        return Some(Areas {
            layers: Rect::new(area.x, area.y, lw, body_h),
            summary: Rect::new(area.x + lw, area.y, sw, body_h),
            detail: Rect::new(area.x + lw + sw, area.y, dw, body_h),
            footer,
        });
    }
    // Layers on the left at full height; the summary above the detail on the right. The
    // layer list gives the summary the width its rows need on one line, down to what its
    // own rows need; when even that is not enough, the types wrap (as Keras wraps them) and
    // the list gives only what the wrapped rows need.
    let usual = w.saturating_sub(52).clamp(22, 36);
    let least = layers::wanted_width(app, body_h).clamp(LAYERS_MIN, usual);
    let (one_line, wrapped) = summary::wanted_width(app);
    let lw = if w - usual >= one_line {
        usual
    } else if w.saturating_sub(one_line) >= least {
        w - one_line
    } else {
        usual.min(w.saturating_sub(wrapped)).max(least)
    };
    let rw = w - lw;
    let detail_min = 7.min(body_h / 2);
    let sh =
        summary::wanted_height(app, rw).clamp(6.min(body_h), body_h.saturating_sub(detail_min));
    Some(Areas {
        layers: Rect::new(area.x, area.y, lw, body_h),
        summary: Rect::new(area.x + lw, area.y, rw, sh),
        detail: Rect::new(area.x + lw, area.y + sh, rw, body_h - sh),
        footer,
    })
}

/// The first list row drawn so that `selected` stays in a window of `height` rows.
pub fn offset(selected: usize, height: usize) -> usize {
    selected.saturating_sub(height.saturating_sub(1))
}

/// The inside of a bordered block.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

/// What lies under a terminal cell, as the panes are drawn now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// A row of a pane that lists layers: the layer list or the summary (0 = input).
    Row(Pane, usize),
    /// A pane, but no row of it (its border, its title, the detail text).
    Pane(Pane),
    /// No pane: the footer.
    Elsewhere,
}

/// What is under the cell (`x`, `y`), from the same areas and scroll offsets drawing uses;
/// `None` while the terminal is too small to show the panes.
pub fn hit(app: &App, x: u16, y: u16) -> Option<Hit> {
    let areas = for_app(app)?;
    let at = Position::new(x, y);
    let list = layers::list_area(areas.layers);
    let hit = if list.contains(at) {
        let row = offset(app.selected, usize::from(list.height)) + usize::from(y - list.y);
        if row < app.rows() {
            Hit::Row(Pane::Layers, row)
        } else {
            Hit::Pane(Pane::Layers)
        }
    } else if let Some(row) = summary::row_at(app, areas.summary, x, y) {
        Hit::Row(Pane::Summary, row)
    } else if areas.detail.contains(at) {
        Hit::Pane(Pane::Detail)
    } else if areas.layers.contains(at) {
        Hit::Pane(Pane::Layers)
    } else if areas.summary.contains(at) {
        Hit::Pane(Pane::Summary)
    } else {
        Hit::Elsewhere
    };
    Some(hit)
}
