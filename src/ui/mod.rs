//! Drawing. Everything here reads the [`App`] and writes cells; nothing changes state.

pub mod detail;
pub mod footer;
pub mod layers;
pub mod layout;
pub mod popups;
pub mod summary;
pub mod text;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::App;
pub use layout::{Hit, hit};
use layout::{MIN_HEIGHT, MIN_WIDTH};

/// Draws one frame.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    frame.buffer_mut().set_style(area, app.theme.text.style());
    let Some(a) = layout::areas(area, app) else {
        too_small(app, frame, area);
        return;
    };
    layers::render(app, frame, a.layers);
    summary::render(app, frame, a.summary);
    detail::render(app, frame, a.detail);
    footer::render(app, frame, a.footer);
    popups::render(app, frame, area);
}

/// One centred line saying what size is needed.
fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let long = format!(
        "too small: need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}",
        area.width, area.height
    );
    let short = format!("need {MIN_WIDTH}×{MIN_HEIGHT}");
    let text = if long.chars().count() <= usize::from(area.width) {
        long
    } else {
        short
    };
    let line = Rect::new(area.x, area.y + area.height / 2, area.width, 1);
    frame.render_widget(
        Paragraph::new(Line::styled(text, app.theme.warning.style()).centered()),
        line,
    );
}
