//! The detail pane: the selected layer's parameter count told step by step, its notes and its
//! weight tensors.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::{App, Pane};
use crate::caps::visible;
use crate::model::compute::explain_macs;
use crate::model::memory;
use crate::model::{Dtype, Kind, LayerError, Row, Shape};
use crate::report::numbers::{signed, thousands};
use crate::theme::Theme;
use crate::ui::summary::shape_spans;
use crate::ui::text::fit_title;

/// Draws the pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    // A short pane skips the shapes (the summary shows them) to keep the whole formula.
    let roomy = area.height >= 14;
    let (titles, lines, flow) = match app.layer_index() {
        None => (vec![" Input ".to_string()], input_lines(app), None),
        Some(i) => layer_lines(app, i, roomy),
    };
    let room = usize::from(area.width.saturating_sub(2));
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(app.focus == Pane::Detail))
        .title(Span::styled(fit_title(&titles, room), t.title.style()));
    // A short pane shows the layer's shapes on its bottom edge instead of above the formula,
    // so both stay in view; the scrolling hint keeps whatever room is left (the footer
    // has it too).
    let flow_len = flow.as_ref().map_or(0, Line::width);
    if let Some(flow) = flow {
        block = block.title_bottom(flow);
    }
    let hint = [" Tab here, j/k scroll ", " j/k scroll "]
        .into_iter()
        .find(|h| flow_len + h.chars().count() < room);
    if let Some(hint) = hint {
        block = block.title_bottom(Line::styled(hint, t.muted.style()).right_aligned());
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.detail_scroll, 0)),
        area,
    );
}

/// The layer's MACs told step by step, then what one more unit of its size costs.
fn compute_lines(app: &App, kind: &dyn Kind, row: &Row, lines: &mut Vec<Line<'static>>) {
    let t = &app.theme;
    if let Ok(e) = explain_macs(kind, &row.input, &row.output) {
        lines.push(Line::default());
        lines.push(heading(t, "Compute (MACs per sample)"));
        let n = e.steps.len();
        for (k, s) in e.steps.iter().enumerate() {
            lines.push(Line::from(vec![
                Span::styled(format!("{}. ", k + 1), t.muted.style()),
                Span::styled(s.what.clone(), t.text.style()),
            ]));
            lines.push(Line::from(vec![
                Span::raw("   "),
                Span::styled(s.expr.clone(), t.formula_symbol.style()),
                Span::styled(" = ", t.muted.style()),
                Span::styled(
                    thousands(s.value),
                    if k + 1 == n {
                        t.formula_value.style()
                    } else {
                        t.number.style()
                    },
                ),
            ]));
        }
        for note in e.notes {
            lines.push(Line::from(vec![
                Span::styled("• ", t.muted.style()),
                Span::styled(note, t.text.style()),
            ]));
        }
    }
    let Some(m) = &app.cost else {
        return;
    };
    lines.push(Line::default());
    lines.push(heading(t, "Cost of one more unit"));
    lines.push(Line::from(vec![
        Span::styled(
            format!("{} {} → {}: ", m.field, m.size, m.size + 1),
            t.muted.style(),
        ),
        Span::styled(
            format!("{} params in total", signed(m.total)),
            t.formula_value.style(),
        ),
    ]));
    for (name, d) in &m.rows {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<16}", visible(name)), t.text.style()),
            Span::styled(signed(*d), t.number.style()),
        ]));
    }
    if let Some((size, total)) = m.next_multiple_of_8 {
        let now = app.total().map(i128::from);
        let change = now.map_or(String::new(), |n| {
            format!(" ({})", signed(i128::from(total) - n))
        });
        lines.push(Line::from(vec![
            Span::styled("Next multiple of 8: ", t.muted.style()),
            Span::styled(format!("{} {size}", m.field), t.text.style()),
            Span::styled(" → total ", t.muted.style()),
            Span::styled(thousands(total), t.number.style()),
            Span::styled(change, t.muted.style()),
        ]));
    }
}

fn heading(t: &Theme, s: &str) -> Line<'static> {
    Line::styled(s.to_string(), t.header.style())
}

fn shape_line(t: &Theme, label: &str, shape: &Shape) -> Line<'static> {
    let mut spans = vec![Span::styled(label.to_string(), t.muted.style())];
    spans.extend(shape_spans(
        &shape.to_string(),
        t.none.style(),
        t.text.style(),
    ));
    Line::from(spans)
}

fn input_lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let input = &app.design.input;
    let mut lines = vec![shape_line(t, "Shape  ", &input.shape), Line::default()];
    let dims: Vec<String> = input
        .shape
        .0
        .iter()
        .map(|d| d.map_or("any number of".to_string(), |d| d.to_string()))
        .collect();
    let what = match (input.dtype, dims.as_slice()) {
        (Dtype::Float32, [t, f]) => {
            format!("Each sample is a sequence of {t} timesteps with {f} features each.")
        }
        (Dtype::Int32, [n]) => {
            format!("Each sample is a sequence of {n} integer token ids, for an Embedding layer.")
        }
        (Dtype::Float32, [f]) => format!("Each sample is a vector of {f} features."),
        _ => format!("Each sample has shape ({}).", dims.join(", ")),
    };
    lines.push(Line::styled(what, t.text.style()));
    lines.push(Line::default());
    lines.push(Line::styled(
        "None is the batch size: Keras leaves it open so the same model takes any number of samples at once.",
        t.text.style(),
    ));
    lines.push(Line::styled("The input has no parameters.", t.text.style()));
    lines.push(Line::default());
    lines.push(Line::styled(
        "Enter edits the shape; +/- change the feature count.",
        t.muted.style(),
    ));
    // The whole design's memory lives here: the input row stands for the model as a whole.
    lines.push(Line::default());
    lines.push(Line::styled("Memory of the whole model", t.header.style()));
    let b = &app.design.budget;
    for l in memory::report(&app.summary, b.precision, b.batch_size()) {
        lines.push(Line::styled(format!("• {l}"), t.text.style()));
    }
    lines.push(Line::styled(
        "b sets the precision and the batch size. ? explains what is counted.",
        t.muted.style(),
    ));
    lines
}

#[expect(
    clippy::too_many_lines,
    reason = "builds the pane top to bottom, in the order it is read"
)]
fn layer_lines(
    app: &App,
    i: usize,
    roomy: bool,
) -> (Vec<String>, Vec<Line<'static>>, Option<Line<'static>>) {
    let t = &app.theme;
    let Some(layer) = app.design.layers.get(i) else {
        return (vec![" Detail ".into()], vec![], None);
    };
    let kind = layer.kind();
    let Some(row) = app.summary.rows.get(i) else {
        // The layer fails, or one before it does.
        let mut lines = Vec::new();
        let title = match &app.summary.error {
            Some(e) if e.index == i => {
                format!(" {} ({}) · does not build ", visible(&e.name), e.class)
            }
            _ => format!(" {} · unknown ", kind.class()),
        };
        match &app.summary.error {
            Some(e) if e.index == i => {
                lines.push(Line::styled(
                    format!("✗ {} ({}) does not build", visible(&e.name), e.class),
                    t.error.style(),
                ));
                lines.push(Line::default());
                match &e.error {
                    LayerError::Shape { needs, got, fix } => {
                        lines.push(Line::from(vec![
                            Span::styled("Needs  ", t.muted.style()),
                            Span::styled(needs.clone(), t.text.style()),
                        ]));
                        lines.push(Line::from(vec![
                            Span::styled("Gets   ", t.muted.style()),
                            Span::styled(got.clone(), t.error.style()),
                        ]));
                        lines.push(Line::from(vec![
                            Span::styled("Fix    ", t.muted.style()),
                            Span::styled(fix.clone(), t.warning.style()),
                        ]));
                    }
                    other => lines.push(Line::styled(other.to_string(), t.error.style())),
                }
                lines.push(Line::default());
                lines.push(Line::styled(
                    "u undoes the last change; Enter edits this layer.",
                    t.muted.style(),
                ));
            }
            Some(e) => {
                lines.push(Line::styled(
                    format!("Unknown: this layer's input depends on {} (row {}), which does not build yet.", visible(&e.name), e.index + 1),
                    t.muted.style(),
                ));
            }
            None => {}
        }
        return (vec![title], lines, None);
    };
    let count = row.params.as_ref().ok().and_then(|p| p.total().ok());
    let name = visible(&row.name);
    // Longest first; a narrow pane drops the convention, then the type, never a digit.
    let titles = match count {
        Some(n) => vec![
            format!(
                " {name} ({}) · {} params in {} ",
                row.class,
                thousands(n),
                app.convention().label()
            ),
            format!(" {name} ({}) · {} params ", row.class, thousands(n)),
            format!(" {name} · {} params ", thousands(n)),
            format!(" {name} "),
        ],
        None => vec![format!(" {name} ({}) ", row.class), format!(" {name} ")],
    };
    let mut flow = shape_line(t, "", &row.input);
    flow.spans.push(Span::styled(" → ", t.muted.style()));
    flow.spans.extend(shape_spans(
        &row.output.to_string(),
        t.none.style(),
        t.text.style(),
    ));
    let (mut lines, flow) = if roomy {
        (vec![flow, Line::default()], None)
    } else {
        flow.spans.insert(0, Span::raw(" "));
        flow.spans.push(Span::raw(" "));
        (vec![], Some(flow))
    };
    match layer.explain(&row.input, app.convention()) {
        Ok(e) => {
            let n = e.steps.len();
            for (k, s) in e.steps.iter().enumerate() {
                lines.push(Line::from(vec![
                    Span::styled(format!("{}. ", k + 1), t.muted.style()),
                    Span::styled(s.what.clone(), t.text.style()),
                ]));
                let value_style = if k + 1 == n {
                    t.formula_value.style()
                } else {
                    t.number.style()
                };
                lines.push(Line::from(vec![
                    Span::raw("   "),
                    Span::styled(s.expr.clone(), t.formula_symbol.style()),
                    Span::styled(" = ", t.muted.style()),
                    Span::styled(thousands(s.value), value_style),
                ]));
            }
            if !e.notes.is_empty() {
                lines.push(Line::default());
                lines.push(heading(t, "Notes"));
                for note in e.notes {
                    lines.push(Line::from(vec![
                        Span::styled("• ", t.muted.style()),
                        Span::styled(note, t.text.style()),
                    ]));
                }
            }
        }
        Err(e) => lines.push(Line::styled(e.to_string(), t.warning.style())),
    }
    compute_lines(app, kind, row, &mut lines);
    if let Ok(weights) = layer.counted_weights(&row.input, app.convention())
        && !weights.is_empty()
    {
        lines.push(Line::default());
        lines.push(heading(t, "Weights"));
        let name_w = weights.iter().map(|w| w.name.len()).max().unwrap_or(0);
        for w in &weights {
            let dims: Vec<String> = w.shape().iter().map(|d| d.to_string()).collect();
            let shape = if dims.len() == 1 {
                format!("({},)", dims[0])
            } else {
                format!("({})", dims.join(", "))
            };
            let n = w.count().map(thousands).unwrap_or_else(|_| "?".into());
            let frozen = if w.trainable { "" } else { "  frozen" };
            lines.push(Line::from(vec![
                Span::styled(format!("{:<name_w$}  ", w.name), t.text.style()),
                Span::styled(format!("{shape:<14}"), t.formula_symbol.style()),
                Span::styled(n, t.number.style()),
                Span::styled(frozen, t.warning.style()),
            ]));
        }
    }
    (titles, lines, flow)
}
