//! The detail pane: the selected layer's parameter count told step by step, its notes and its
//! weight tensors.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::{App, Pane};
use crate::caps::visible;
use crate::model::memory;
use crate::model::{Dtype, Explanation, LayerError, Shape};
use crate::report::Derivation;
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

/// The steps of a derivation: what, then the arithmetic, the last value (the result)
/// highlighted.
fn step_lines(t: &Theme, e: &Explanation, lines: &mut Vec<Line<'static>>) {
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
}

fn note_lines(t: &Theme, e: &Explanation, lines: &mut Vec<Line<'static>>) {
    for note in &e.notes {
        lines.push(Line::from(vec![
            Span::styled("• ", t.muted.style()),
            Span::styled(note.clone(), t.text.style()),
        ]));
    }
}

/// The weight tensors, one aligned line each.
fn weight_lines(t: &Theme, d: &Derivation, lines: &mut Vec<Line<'static>>) {
    if d.weights.is_empty() {
        return;
    }
    lines.push(Line::default());
    lines.push(heading(t, "Weights"));
    let name_w = d
        .weights
        .iter()
        .map(|w| w.scope.len() + w.name.len())
        .max()
        .unwrap_or(0);
    // At least one space after the longest shape, so a count never touches it.
    let shape_w = d
        .weights
        .iter()
        .map(|w| w.shape.len() + 1)
        .max()
        .unwrap_or(0)
        .max(14);
    for w in &d.weights {
        let n = w.count.map_or_else(|| "?".into(), thousands);
        let frozen = if w.trainable { "" } else { "  non-trainable" };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<name_w$}  ", format!("{}{}", w.scope, w.name)),
                t.text.style(),
            ),
            Span::styled(format!("{:<shape_w$}", w.shape), t.formula_symbol.style()),
            Span::styled(n, t.number.style()),
            Span::styled(frozen, t.warning.style()),
        ]));
    }
}

/// The layer's MACs told step by step, then what one more unit of its size costs.
fn compute_lines(app: &App, d: &Derivation, lines: &mut Vec<Line<'static>>) {
    let t = &app.theme;
    lines.push(Line::default());
    lines.push(heading(t, "Compute (MACs per sample)"));
    match &d.macs {
        Ok(e) => {
            step_lines(t, e, lines);
            note_lines(t, e, lines);
        }
        Err(why) => lines.push(Line::styled(format!("n/a — {why}"), t.warning.style())),
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

/// The pane for a layer that does not build (or reads from one that does not).
fn unbuilt_lines(app: &App, i: usize, class: &str) -> (String, Vec<Line<'static>>) {
    let t = &app.theme;
    // The layer is refused, or one it reads from is (in a chain: one before it).
    let mut lines = Vec::new();
    let refused = app.summary.refusal(i);
    let waits_for = app
        .summary
        .blocked_by(i)
        .and_then(|f| app.summary.refusal(f).map(|e| (f, e)));
    let title = match (refused, waits_for) {
        (Some(e), _) => {
            format!(" {} ({}) · does not build ", visible(&e.name), e.class)
        }
        (None, Some(_)) => format!(" {class} · unknown "),
        (None, None) => format!(" {class} · feeds no output "),
    };
    match (refused, waits_for) {
        (Some(e), _) => {
            lines.push(Line::styled(
                format!("✗ {} ({}) does not build", visible(&e.name), e.class),
                t.error.style(),
            ));
            lines.push(Line::default());
            match &e.error {
                LayerError::Shape(m) => {
                    let (needs, got, fix) = (&m.needs, &m.got, &m.fix);
                    lines.push(Line::from(vec![
                        Span::styled("Needs  ", t.muted.style()),
                        Span::styled(visible(needs).into_owned(), t.text.style()),
                    ]));
                    lines.push(Line::from(vec![
                        Span::styled("Gets   ", t.muted.style()),
                        Span::styled(visible(got).into_owned(), t.error.style()),
                    ]));
                    lines.push(Line::from(vec![
                        Span::styled("Fix    ", t.muted.style()),
                        Span::styled(visible(fix).into_owned(), t.warning.style()),
                    ]));
                }
                other => lines.push(Line::styled(
                    visible(&other.to_string()).into_owned(),
                    t.error.style(),
                )),
            }
            lines.push(Line::default());
            lines.push(Line::styled(
                "u undoes the last change; Enter edits this layer.",
                t.muted.style(),
            ));
        }
        (None, Some((f, e))) => {
            lines.push(Line::styled(
                format!(
                    "Unknown: this layer's input depends on {} (row {}), which does not build yet.",
                    visible(&e.name),
                    f + 1
                ),
                t.muted.style(),
            ));
        }
        (None, None) => {
            // Built or not, a layer no output depends on is not part of the Keras model.
            lines.push(Line::styled(
                "No model output depends on this layer, so Keras leaves it out of the model and counts nothing for it.",
                t.text.style(),
            ));
            lines.push(Line::default());
            lines.push(Line::styled(
                "m merges it back into the model; O makes it a model output.",
                t.muted.style(),
            ));
        }
    }
    (title, lines)
}

/// The pane for layer `i`: its derivation when it is built, why not otherwise.
fn layer_lines(
    app: &App,
    i: usize,
    roomy: bool,
) -> (Vec<String>, Vec<Line<'static>>, Option<Line<'static>>) {
    let t = &app.theme;
    let Some(layer) = app.design.layers.get(i) else {
        return (vec![" Detail ".into()], vec![], None);
    };
    let built = app.summary.row_of(i).and(app.derivation.as_ref());
    let Some(d) = built else {
        let (title, lines) = unbuilt_lines(app, i, layer.kind().class());
        return (vec![title], lines, None);
    };
    let name = &d.name;
    // Longest first; a narrow pane drops the convention, then the type, never a digit.
    let titles = match d.total() {
        Some(n) => vec![
            format!(
                " {name} ({}) · {} params in {} ",
                d.class,
                thousands(n),
                d.convention.label()
            ),
            format!(" {name} ({}) · {} params ", d.class, thousands(n)),
            format!(" {name} · {} params ", thousands(n)),
            format!(" {name} "),
        ],
        None => vec![format!(" {name} ({}) ", d.class), format!(" {name} ")],
    };
    let mut flow = shape_line(t, "", &d.input);
    flow.spans.push(Span::styled(" → ", t.muted.style()));
    flow.spans.extend(shape_spans(
        &d.output.to_string(),
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
    match &d.count {
        Ok(e) => {
            step_lines(t, e, &mut lines);
            let p = &d.params;
            if p.non_trainable > 0 {
                lines.push(Line::styled(
                    format!(
                        "{} trainable, {} non-trainable",
                        thousands(p.trainable),
                        thousands(p.non_trainable)
                    ),
                    t.muted.style(),
                ));
            }
            if !e.notes.is_empty() {
                lines.push(Line::default());
                lines.push(heading(t, "Notes"));
                note_lines(t, e, &mut lines);
            }
        }
        Err(why) => lines.push(Line::styled(why.clone(), t.warning.style())),
    }
    compute_lines(app, d, &mut lines);
    weight_lines(t, d, &mut lines);
    (titles, lines, flow)
}
