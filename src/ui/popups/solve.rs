//! A fit-to-budget proposal: the sizes it changes, the layers a merge ties together, and the
//! gauges after it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::keymap::KeyMode;
use crate::app::state::{Scope, SolveView};
use crate::caps::{truncate, visible};
use crate::report::numbers::thousands;
use crate::ui::summary::{counts_width, gauge_line};
use crate::ui::text::wrap;
use crate::ui::widgets::{key_hints_without, show};

/// Draws it.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect, v: &SolveView) {
    let t = &app.theme;
    let width = 60usize;
    let name_of = |i: usize| {
        app.summary
            .row_of(i)
            .map_or(format!("layer {}", i + 1), |r| {
                visible(&r.name).into_owned()
            })
    };
    let what = match v.scope {
        Scope::Layer(i) => {
            let name = app
                .summary
                .row_of(i)
                .map_or(format!("layer {}", i + 1), |r| {
                    format!("{} ({})", visible(&r.name), r.class)
                });
            format!("Largest size of {name}")
        }
        Scope::AllWidths => "All hidden widths scaled by one factor".to_string(),
    };
    let mut lines = vec![
        Line::styled(truncate(&what, width).into_owned(), t.header.style()),
        Line::from(vec![
            Span::styled("rounded to a multiple of ", t.muted.style()),
            Span::styled(v.multiple.to_string(), t.number.style()),
            Span::styled("  (m: 1, 8, 16, 64)", t.muted.style()),
        ]),
        Line::default(),
    ];
    match &v.result {
        Ok(p) => {
            for c in &p.changes {
                let name = name_of(c.layer);
                let same = c.old == c.new;
                lines.push(Line::from(vec![
                    Span::styled(format!(" {:<14}", truncate(&name, 14)), t.text.style()),
                    Span::styled(format!("{} ", c.field), t.muted.style()),
                    Span::styled(thousands(c.old), t.number.style()),
                    Span::styled(" → ", t.muted.style()),
                    Span::styled(
                        thousands(c.new),
                        if same {
                            t.number.style()
                        } else {
                            t.formula_value.style()
                        },
                    ),
                    Span::styled(
                        if same { "  (already the largest)" } else { "" },
                        t.muted.style(),
                    ),
                ]));
            }
            for group in &p.tied {
                let names: Vec<String> = group.iter().map(|&i| name_of(i)).collect();
                let text = format!("tied by a merge, moved as one: {}", names.join(" = "));
                for l in wrap(&text, width) {
                    lines.push(Line::styled(l, t.muted.style()));
                }
            }
            lines.push(Line::default());
            let before = app.total().map_or("?".into(), thousands);
            lines.push(Line::from(vec![
                Span::styled("Total params ", t.text.style()),
                Span::styled(before, t.number.style()),
                Span::styled(" → ", t.muted.style()),
                Span::styled(thousands(p.total), t.formula_value.style()),
            ]));
            let pad = counts_width(&v.after);
            for g in &v.after {
                lines.push(gauge_line(t, g, None, width, pad));
            }
        }
        Err(e) => {
            for l in wrap(&visible(&e.to_string()), width) {
                lines.push(Line::styled(l, t.error.style()));
            }
        }
    }
    lines.push(Line::default());
    lines.push(key_hints_without(t, KeyMode::Solve, &app.mode.idle()));
    let h = u16::try_from(lines.len()).unwrap_or(12).saturating_add(2);
    show(frame, area, t, " Fit to budget ", lines, (64, h), 0);
}
