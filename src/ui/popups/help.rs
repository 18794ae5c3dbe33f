//! The key help: every binding from the keymap, then how MACs and memory are counted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::App;
use crate::app::keymap::{KeyMode, bindings, keys_label};
use crate::app::state::HelpView;
use crate::model::compute::MACS_CONVENTION;
use crate::model::memory::{ACTIVATIONS_ASSUMPTION, TRAINING_ASSUMPTIONS};
use crate::ui::text::wrap;
use crate::ui::widgets::{block, centred};

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, view: &HelpView) {
    let t = &app.theme;
    let mut lines = Vec::new();
    for (mode, heading) in [
        (KeyMode::Normal, "Panes"),
        (KeyMode::Picker, "Pickers (type to filter)"),
        (KeyMode::Form, "Edit form (type to change the field)"),
        (KeyMode::Prompt, "Prompts"),
        (KeyMode::Confirm, "Questions"),
        (KeyMode::Solve, "Fit to budget"),
        (KeyMode::Import, "Import box (type or paste)"),
        (KeyMode::Columns, "Summary columns"),
        (KeyMode::Recover, "Unsaved work found (at start)"),
        (KeyMode::Help, "This help"),
    ] {
        lines.push(Line::styled(heading, t.header.style()));
        for b in bindings(mode) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<12}", keys_label(b)), t.key.style()),
                Span::styled(b.help, t.text.style()),
            ]));
        }
        if mode == KeyMode::Normal {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<12}", "0-9"), t.key.style()),
                Span::styled("count before + - j k (10+ grows by ten)", t.text.style()),
            ]));
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<12}", "mouse"), t.key.style()),
                Span::styled(
                    "click selects, wheel scrolls (--no-mouse turns it off)",
                    t.text.style(),
                ),
            ]));
        }
        lines.push(Line::default());
    }
    for (heading, text) in [
        ("How MACs are counted", MACS_CONVENTION),
        ("Activation memory", ACTIVATIONS_ASSUMPTION),
        ("Training memory", TRAINING_ASSUMPTIONS),
    ] {
        lines.push(Line::styled(heading, t.header.style()));
        for l in wrap(text, 72) {
            lines.push(Line::styled(format!("  {l}"), t.text.style()));
        }
        lines.push(Line::default());
    }
    let h = area.height.saturating_sub(2).min(
        u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2),
    );
    let block = block(
        t,
        " Keys, then how MACs and memory are counted · j/k scroll ",
    );
    let r = centred(area, 76, h);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((view.scroll, 0)),
        r,
    );
}
