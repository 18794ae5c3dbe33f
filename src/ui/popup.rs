//! Popups over the panes: the layer picker, the edit form, prompts, questions, the open picker
//! and the help, all drawn from the app's mode.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::form::{Syntax, Target};
use crate::app::keymap::{KeyMode, bindings, keys_label};
use crate::app::state::{
    BUDGET_FIELDS, BudgetForm, DiffView, ExportFormat, ImportBox, Scope, SolveView,
};
use crate::app::{App, Ask, Mode, Question, RecoverList};
use crate::caps::{truncate, visible};
use crate::interop::columns::Column;
use crate::model::compute::MACS_CONVENTION;
use crate::model::diff::Line as DiffLine;
use crate::model::explain::thousands;
use crate::model::memory::{ACTIVATIONS_ASSUMPTION, TRAINING_ASSUMPTIONS};
use crate::model::summary::count;
use crate::model::{Layer, Shape};
use crate::model::{Row, Summary};
use crate::theme::Theme;
use crate::ui::summary::{counts_width, gauge_line};
use crate::ui::text::{delta, highlight, wrap};

/// The shape a layer inserted after the selection would receive, if known.
fn picker_input(app: &App) -> Option<Shape> {
    match app.layer_index() {
        None => Some(app.design.input.shape.clone()),
        Some(i) => app
            .summary
            .rows
            .get(i)
            .and_then(|r| r.output.single().cloned()),
    }
}

/// Draws the popup of the current mode, if it has one.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    match &app.mode {
        Mode::Normal => {}
        Mode::Picker(p) => {
            let matches = p.matches();
            let input = picker_input(app);
            // The kind column fits the longest class name (GlobalAveragePooling1D).
            let kw = Layer::catalogue()
                .iter()
                .map(|l| l.kind().class().len())
                .max()
                .unwrap_or(4)
                + 1;
            let header = format!(" {:<kw$}{:<18}{:>8}", "Kind", "Output here", "Param #");
            let mut lines = vec![
                filter_line(t, &p.filter),
                Line::styled(header, t.header.style()),
            ];
            if matches.is_empty() {
                lines.push(Line::styled("no layer kind matches", t.muted.style()));
            }
            for (i, l) in matches.iter().enumerate() {
                let k = l.kind();
                let (shape, count) = match input.as_ref().map(|s| (k.output(s), s)) {
                    Some((Ok(out), s)) => (
                        out.to_string(),
                        count(l, s, app.convention())
                            .ok()
                            .and_then(|p| p.total().ok())
                            .map_or("?".into(), thousands),
                    ),
                    Some((Err(_), _)) => ("does not fit here".to_string(), String::new()),
                    None => (String::new(), String::new()),
                };
                let mut line = Line::from(vec![
                    Span::styled(format!(" {:<kw$}", k.class()), t.text.style()),
                    Span::styled(format!("{shape:<18}"), t.muted.style()),
                    Span::styled(format!("{count:>8}"), t.number.style()),
                ]);
                if i == p.index {
                    line = highlight(line, t.selection.style());
                }
                lines.push(line);
            }
            let after = match app.layer_index() {
                None => "the input".to_string(),
                Some(i) => app
                    .summary
                    .rows
                    .get(i)
                    .map_or(format!("row {}", i + 1), |r| {
                        format!("{} ({})", visible(&r.name), r.class)
                    }),
            };
            let h = u16::try_from(lines.len()).unwrap_or(20).saturating_add(2);
            show(
                frame,
                area,
                t,
                &format!(" Add after {after} "),
                lines,
                (u16::try_from(kw + 30).unwrap_or(60), h),
                p.index + 2,
            );
        }
        Mode::Open(p) => {
            let header = format!(
                " {:<20}{:>12} {:<14}{}",
                "Name", "Params", "Budget", "Changed (UTC)"
            );
            let mut lines = vec![
                filter_line(t, &p.filter),
                Line::styled(header, t.header.style()),
            ];
            let matches = p.matches();
            if p.all.is_empty() {
                lines.push(Line::styled(
                    "no saved designs yet (Ctrl-s saves this one)",
                    t.muted.style(),
                ));
            }
            for (i, s) in matches.iter().enumerate() {
                let total = match (s.counted, s.total) {
                    (false, _) => "…".into(),
                    (true, Some(n)) => thousands(n),
                    (true, None) => "?".into(),
                };
                let budget = s
                    .budget
                    .map_or(String::new(), |b| format!("of {}", thousands(b)));
                let mut line = Line::from(vec![
                    Span::styled(
                        format!(" {:<20}", truncate(&visible(&s.name), 20)),
                        t.text.style(),
                    ),
                    Span::styled(format!("{total:>12} "), t.number.style()),
                    Span::styled(format!("{budget:<14}"), t.muted.style()),
                    Span::styled(visible(&s.changed).into_owned(), t.muted.style()),
                ]);
                if i == p.index {
                    line = highlight(line, t.selection.style());
                }
                lines.push(line);
            }
            lines.push(Line::styled(
                " Enter open · C-e rename · Del delete · Esc close",
                t.muted.style(),
            ));
            let h = u16::try_from(lines.len()).unwrap_or(20).saturating_add(2);
            show(
                frame,
                area,
                t,
                if p.compare {
                    " Compare this design with "
                } else {
                    " Open a design "
                },
                lines,
                (72, h),
                p.index + 2,
            );
        }
        Mode::Form(f) => {
            let name_w = f
                .fields
                .iter()
                .map(|x| x.name.chars().count())
                .max()
                .unwrap_or(0);
            let mut lines = Vec::new();
            for (i, field) in f.fields.iter().enumerate() {
                let bad = f.error.as_ref().is_some_and(|(at, _)| *at == i);
                let current = i == f.index;
                let value_style = if bad { t.error.style() } else { t.text.style() };
                let mut value = visible(&field.text).into_owned();
                if current {
                    value.push('▏');
                }
                let hint = match (field.syntax, field.text.is_empty()) {
                    (Syntax::OptStr, true) if !current => "automatic",
                    _ => "",
                };
                let mut line = Line::from(vec![
                    Span::styled(
                        format!(" {:<name_w$}  ", field.name),
                        if current {
                            t.key.style()
                        } else {
                            t.muted.style()
                        },
                    ),
                    Span::styled(value, value_style),
                    Span::styled(hint, t.muted.style()),
                ]);
                if current {
                    line = line.patch_style(
                        ratatui::style::Style::default()
                            .add_modifier(ratatui::style::Modifier::BOLD),
                    );
                }
                lines.push(line);
            }
            lines.push(Line::default());
            match &f.error {
                Some((_, e)) => {
                    for l in wrap(&visible(e), 52) {
                        lines.push(Line::styled(format!(" {l}"), t.error.style()));
                    }
                    lines.push(Line::styled(" not applied until fixed", t.muted.style()));
                }
                None => lines.push(Line::styled(" ✓ valid: Enter applies", t.gauge_ok.style())),
            }
            let title = match f.target {
                Target::Input => " Edit the input ".to_string(),
                Target::Layer(i) => {
                    let name = app
                        .summary
                        .rows
                        .get(i)
                        .map(|r| visible(&r.name).into_owned());
                    format!(
                        " Edit {} ({}) ",
                        name.unwrap_or_else(|| format!("row {}", i + 1)),
                        f.variant
                    )
                }
            };
            let h = u16::try_from(lines.len()).unwrap_or(20).saturating_add(2);
            show(frame, area, t, &title, lines, (58, h), f.index);
        }
        Mode::Prompt(p) => {
            let (title, help) = match &p.ask {
                Ask::SaveName => (
                    " Save as ".to_string(),
                    "the design is saved as designs/<name>.ron",
                ),
                Ask::Rename(from) => (
                    format!(" Rename {} ", visible(from)),
                    "the file designs/<name>.ron is renamed",
                ),
            };
            let mut lines = vec![filter_line(t, &p.text), Line::styled(help, t.muted.style())];
            if let Some(e) = &p.error {
                lines.push(Line::styled(visible(e).into_owned(), t.error.style()));
            }
            show(frame, area, t, &title, lines, (56, 6), 0);
        }
        Mode::Confirm(q) => {
            let title = match q {
                Question::Quit => " Quit? ",
                Question::Overwrite(_) => " Replace the saved file? ",
                Question::Delete(_) => " Delete the saved design? ",
            };
            let text = match q {
                Question::Quit => {
                    "Quit without saving? The unsaved changes will be lost.".to_string()
                }
                Question::Overwrite(name) => format!(
                    "designs/{}.ron holds something else: it changed on disk, or another design has that name. Replace it with this design?",
                    visible(name)
                ),
                Question::Delete(name) => format!(
                    "Delete designs/{}.ron? This cannot be undone.",
                    visible(name)
                ),
            };
            let mut lines: Vec<Line> = wrap(&text, 48)
                .into_iter()
                .map(|l| Line::styled(l, t.text.style()))
                .collect();
            lines.push(Line::default());
            lines.push(key_hints(t, KeyMode::Confirm));
            let h = u16::try_from(lines.len()).unwrap_or(8).saturating_add(2);
            show(frame, area, t, title, lines, (52, h), 0);
        }
        Mode::Budgets(f) => budgets(app, frame, area, f),
        Mode::Export { index } => {
            let name = app.saved_as.as_deref().unwrap_or(&app.design.name);
            let mut lines = vec![Line::styled(
                " written to exports/ in the config folder",
                t.muted.style(),
            )];
            for (i, f) in ExportFormat::ALL.iter().enumerate() {
                let mut line = Line::from(vec![
                    Span::styled(format!(" {:<18}", f.label()), t.text.style()),
                    Span::styled(format!("{}{}", visible(name), f.suffix()), t.muted.style()),
                ]);
                if i == *index {
                    line = highlight(line, t.selection.style());
                }
                lines.push(line);
            }
            lines.push(Line::default());
            lines.push(key_hints(t, KeyMode::Picker));
            let h = u16::try_from(lines.len()).unwrap_or(8).saturating_add(2);
            show(frame, area, t, " Export ", lines, (56, h), index + 1);
        }
        Mode::Import(b) => import(app, frame, area, b),
        Mode::Columns { index } => {
            let precision = app.design.budget.precision;
            let mut lines = Vec::new();
            for (i, (_, c)) in Column::ALL.iter().enumerate() {
                let on = app.columns.contains(c);
                let mut line = Line::from(vec![
                    Span::styled(if on { " [x] " } else { " [ ] " }, t.key.style()),
                    Span::styled(c.header(precision), t.text.style()),
                ]);
                if i == *index {
                    line = highlight(line, t.selection.style());
                }
                lines.push(line);
            }
            lines.push(Line::default());
            lines.push(key_hints(t, KeyMode::Columns));
            let h = u16::try_from(lines.len()).unwrap_or(8).saturating_add(2);
            show(
                frame,
                area,
                t,
                " Summary columns ",
                lines,
                (40, h),
                index + 1,
            );
        }
        Mode::Diff(v) => diff(app, frame, area, v),
        Mode::Recover(list) => recover(app, frame, area, list),
        Mode::Solve(v) => solve(app, frame, area, v),
        Mode::Help { scroll } => {
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
            frame.render_widget(Paragraph::new(lines).block(block).scroll((*scroll, 0)), r);
        }
    }
}

/// Widths of the shape and count columns of a comparison side.
const SHAPE_W: usize = 16;
const COUNT_W: usize = 7;

fn diff(app: &App, frame: &mut Frame, area: Rect, v: &DiffView) {
    let t = &app.theme;
    let w = area.width.saturating_sub(2).min(120);
    let side = usize::from(w.saturating_sub(2)).saturating_sub(5) / 2;
    let cell = |r: &Row| -> String {
        let count = r
            .params
            .as_ref()
            .ok()
            .and_then(|p| p.total().ok())
            .map_or("?".into(), thousands);
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
            format!("  ({})", delta(d)),
            t.formula_value.style(),
        ));
    }
    let trailer = [
        Line::default(),
        Line::from(end),
        Line::styled(
            "~ changed  - only here  + only in the saved design",
            t.muted.style(),
        ),
        key_hints(t, KeyMode::Help),
    ];
    let all = 1 + v.diff.line_count() + trailer.len();
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
        let this = truncate(&visible(&app.design.name), side).into_owned();
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {this:<side$}", side = side + 3),
                t.header.style(),
            ),
            Span::styled(
                truncate(&visible(&v.name), side).into_owned(),
                t.header.style(),
            ),
        ]));
    }
    let from = first.saturating_sub(1);
    let to = shown.end.saturating_sub(1).min(v.diff.line_count());
    for l in v.diff.lines().skip(from).take(to.saturating_sub(from)) {
        let (mark, style, a, b) = match l {
            DiffLine::Same(a, b) => (" ", t.muted.style(), cell(a), cell(b)),
            DiffLine::Changed(a, b) => ("~", t.warning.style(), cell(a), cell(b)),
            DiffLine::Removed(a) => ("-", t.error.style(), cell(a), String::new()),
            DiffLine::Added(b) => ("+", t.gauge_ok.style(), String::new(), cell(b)),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(format!("{a:<side$}"), style),
            Span::styled(" │ ", t.border.style()),
            Span::styled(b, style),
        ]));
    }
    let trailer_at = 1 + v.diff.line_count();
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

fn import(app: &App, frame: &mut Frame, area: Rect, b: &ImportBox) {
    let t = &app.theme;
    let w = area.width.saturating_sub(4).min(100);
    let h = area.height.saturating_sub(2).min(30);
    let inner_w = usize::from(w.saturating_sub(2));
    let mut tail = vec![Line::default()];
    match &b.error {
        Some(e) => {
            for l in wrap(&visible(e), inner_w) {
                tail.push(Line::styled(l, t.error.style()));
            }
        }
        None => tail.push(Line::styled(
            "Paste a Keras Sequential model (Python) or Keras JSON; nothing is run.",
            t.muted.style(),
        )),
    }
    tail.push(key_hints(t, KeyMode::Import));
    let room = usize::from(h.saturating_sub(2)).saturating_sub(tail.len());
    let text: Vec<&str> = b.text.split('\n').collect();
    let first = text.len().saturating_sub(room.max(1));
    let n = text.len();
    let mut lines: Vec<Line<'static>> = text
        .iter()
        .enumerate()
        .skip(first)
        .map(|(k, l)| {
            let mut s = visible(l).into_owned();
            if k + 1 == n {
                s.push('▏');
            }
            Line::from(vec![
                Span::styled(format!("{:>3} ", k + 1), t.muted.style()),
                Span::styled(
                    truncate(&s, inner_w.saturating_sub(4)).into_owned(),
                    t.text.style(),
                ),
            ])
        })
        .collect();
    while lines.len() < room {
        lines.push(Line::default());
    }
    lines.extend(tail);
    let r = centred(area, w, h);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).block(block(t, " Import Keras code or JSON ")),
        r,
    );
}

fn budgets(app: &App, frame: &mut Frame, area: Rect, f: &BudgetForm) {
    let t = &app.theme;
    let hints: [&str; BUDGET_FIELDS.len()] = [
        "60000, 60k, 1.5M",
        "bytes: 120000, 512KiB, 1MiB",
        "← → fp32 fp16 bf16 int8",
        "per sample: 5M, 250k",
        "for memory estimates (32)",
    ];
    let mut lines = Vec::new();
    for (i, (name, text)) in BUDGET_FIELDS.iter().zip(&f.fields).enumerate() {
        let current = i == f.index;
        let bad = f.error.as_ref().is_some_and(|(at, _)| *at == i);
        let mut value = visible(text).into_owned();
        if current {
            value.push('▏');
        }
        let pad = 16usize.saturating_sub(value.chars().count());
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {name:<12} "),
                if current {
                    t.key.style()
                } else {
                    t.muted.style()
                },
            ),
            Span::styled(value, if bad { t.error.style() } else { t.text.style() }),
            Span::raw(" ".repeat(pad)),
            Span::styled(hints[i], t.muted.style()),
        ]));
    }
    lines.push(Line::default());
    match &f.error {
        Some((_, e)) => {
            for l in wrap(&visible(e), 56) {
                lines.push(Line::styled(format!(" {l}"), t.error.style()));
            }
        }
        None => lines.push(Line::styled(
            " empty clears a budget · Enter applies (u undoes)",
            t.gauge_ok.style(),
        )),
    }
    let h = u16::try_from(lines.len()).unwrap_or(10).saturating_add(2);
    show(frame, area, t, " Budgets ", lines, (62, h), f.index);
}

fn solve(app: &App, frame: &mut Frame, area: Rect, v: &SolveView) {
    let t = &app.theme;
    let width = 60usize;
    let what = match v.scope {
        Scope::Layer(i) => {
            let name = app
                .summary
                .rows
                .get(i)
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
                let name = app
                    .summary
                    .rows
                    .get(c.layer)
                    .map_or(format!("layer {}", c.layer + 1), |r| {
                        visible(&r.name).into_owned()
                    });
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
            for l in wrap(&visible(e), width) {
                lines.push(Line::styled(l, t.error.style()));
            }
        }
    }
    lines.push(Line::default());
    lines.push(key_hints(t, KeyMode::Solve));
    let h = u16::try_from(lines.len()).unwrap_or(12).saturating_add(2);
    show(frame, area, t, " Fit to budget ", lines, (64, h), 0);
}

/// The copies of unsaved work left by ended instances: design, when, total, one per line.
fn recover(app: &App, frame: &mut Frame, area: Rect, list: &RecoverList) {
    let t = &app.theme;
    let mut lines = vec![
        Line::styled(
            " Left by sessions that have ended (never by a running one):",
            t.muted.style(),
        ),
        Line::styled(
            format!(" {:<24}{:<18}{:>14}", "Design", "Written (UTC)", "Params"),
            t.header.style(),
        ),
    ];
    for (i, item) in list.items.iter().enumerate() {
        let total = match (&item.error, item.total) {
            (Some(_), _) => "unreadable".to_string(),
            (None, Some(n)) => thousands(n),
            (None, None) => "does not build".to_string(),
        };
        let mut line = Line::from(vec![
            Span::styled(
                format!(" {:<24}", truncate(&visible(&item.name), 23)),
                t.text.style(),
            ),
            Span::styled(format!("{:<18}", visible(&item.changed)), t.muted.style()),
            Span::styled(format!("{total:>14}"), t.number.style()),
        ]);
        if i == list.index {
            line = highlight(line, t.selection.style());
        }
        lines.push(line);
    }
    if let Some(e) = list.items.get(list.index).and_then(|i| i.error.as_ref()) {
        for l in wrap(&visible(e), 62) {
            lines.push(Line::styled(l, t.error.style()));
        }
    }
    lines.push(Line::default());
    lines.push(key_hints(t, KeyMode::Recover));
    let h = u16::try_from(lines.len()).unwrap_or(20).saturating_add(2);
    show(
        frame,
        area,
        t,
        " Unsaved work found ",
        lines,
        (66, h),
        list.index + 2,
    );
}

fn filter_line(t: &Theme, text: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled("› ", t.key.style()),
        Span::styled(visible(text).into_owned(), t.text.style()),
        Span::styled("▏", t.key.style()),
    ])
}

fn key_hints(t: &Theme, mode: KeyMode) -> Line<'static> {
    let mut spans = Vec::new();
    for (b, short) in bindings(mode).filter_map(|b| b.footer.map(|f| (b, f))) {
        spans.push(Span::styled(keys_label(b), t.key.style()));
        spans.push(Span::styled(format!(" {short}  "), t.muted.style()));
    }
    Line::from(spans)
}

fn block<'a>(t: &Theme, title: &str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focused.style())
        .title(Span::styled(title.to_string(), t.title.style()))
        .style(t.text.style())
}

fn show(
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
