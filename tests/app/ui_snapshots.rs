//! Whole-screen snapshots at 80×24 and 120×40, plus cell checks for the colours that carry
//! meaning (focus, selection, errors) which text snapshots cannot show.

use crate::common::{example, press, render, screen};
use lstm_tui::app::App;
use lstm_tui::model::Convention;
use lstm_tui::store::parse_design;
use lstm_tui::theme::Theme;
use ratatui::style::{Color, Modifier};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, mut app: App) {
    for (w, h) in SIZES {
        let terminal = render(&mut app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&terminal));
    }
}

#[test]
fn first_run() {
    snap("first_run", example());
}

#[test]
fn second_lstm_selected() {
    let mut app = example();
    press(&mut app, "j j");
    snap("lstm_1_selected", app);
}

#[test]
fn picker() {
    let mut app = example();
    press(&mut app, "a");
    snap("picker", app);
}

#[test]
fn picker_filtered() {
    let mut app = example();
    press(&mut app, "a r n");
    snap("picker_filtered", app);
}

#[test]
fn edit_form_with_an_invalid_value() {
    let mut app = example();
    press(&mut app, "<enter> <bs> <bs> 0");
    snap("form_invalid", app);
}

#[test]
fn shape_error() {
    let mut app = example();
    // Dropping the first LSTM's sequence output breaks the second LSTM.
    press(
        &mut app,
        "<enter> <down> <down> <down> <bs> <bs> <bs> <bs> false <enter>",
    );
    assert!(app.summary.error.is_some());
    press(&mut app, "j j");
    snap("shape_error", app);
}

#[test]
fn help() {
    let mut app = example();
    press(&mut app, "?");
    snap("help", app);
}

#[test]
fn budget_and_last_edit() {
    let mut app = example();
    press(&mut app, "b 6 0 0 0 0 <enter> j j j + +");
    snap("budget", app);
}

#[test]
fn input_selected() {
    let mut app = example();
    press(&mut app, "g");
    snap("input", app);
}

#[test]
fn new_empty_design() {
    let mut app = example();
    press(&mut app, "n");
    snap("new_design", app);
}

#[test]
fn form_in_a_short_terminal_keeps_the_cursor_field_visible() {
    // A GRU with 15 fields set: more than a 14-row terminal shows at once.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/designs/valid/varied.ron"
    );
    let design =
        parse_design(&std::fs::read_to_string(path).expect("fixture")).expect("the fixture parses");
    let mut app = App::new(design, Convention::Keras);
    press(&mut app, "<enter>");
    let top = screen(&render(&mut app, 60, 14));
    assert!(top.contains("units") && !top.contains("trainable"), "{top}");
    for _ in 0..40 {
        press(&mut app, "<down>");
    }
    let text = screen(&render(&mut app, 60, 14));
    // The last field is in view, so the form scrolled past the first.
    assert!(text.contains("trainable"), "{text}");
    assert!(!text.contains("units"), "the form did not scroll:\n{text}");
    insta::assert_snapshot!("form_scrolled_60x14", text);
}

#[test]
fn too_small_says_what_is_needed() {
    let mut app = example();
    let terminal = render(&mut app, 40, 10);
    insta::assert_snapshot!("too_small_40x10", screen(&terminal));
}

#[test]
fn every_size_renders_without_panic() {
    let mut app = example();
    press(&mut app, "a");
    for w in (1..=160).step_by(7).chain([1, 2, 49, 50, 51, 149, 150]) {
        for h in (1..=60).step_by(5).chain([1, 2, 11, 12, 13]) {
            let mut normal = example();
            render(&mut normal, w, h);
            render(&mut app, w, h);
        }
    }
}

/// The colours of a cell in the theme's role must match that role.
fn assert_role(
    app: &App,
    terminal: &ratatui::Terminal<ratatui::backend::TestBackend>,
    x: u16,
    y: u16,
    role: ratatui::style::Style,
) {
    let cell = &terminal.backend().buffer()[(x, y)];
    if let Some(fg) = role.fg {
        assert_eq!(cell.fg, fg, "fg at ({x}, {y}) in theme {}", app.theme.name);
    }
    if let Some(bg) = role.bg {
        assert_eq!(cell.bg, bg, "bg at ({x}, {y}) in theme {}", app.theme.name);
    }
    assert!(
        cell.modifier.contains(role.add_modifier),
        "modifiers at ({x}, {y})"
    );
}

#[test]
fn focus_and_selection_are_coloured() {
    let mut app = example();
    let terminal = render(&mut app, 80, 24);
    let t = app.theme.clone();
    // The focused layer list's corner, and the unfocused summary's.
    assert_role(&app, &terminal, 0, 0, t.border_focused.style());
    let layers_w = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .skip(1)
        .position(|c| c.symbol() == "┐")
        .expect("layer pane corner") as u16
        + 2;
    assert_role(&app, &terminal, layers_w, 0, t.border.style());
    // The selected layer (row 2 of the screen: border, input, first layer) in both panes.
    assert_role(&app, &terminal, 3, 2, t.selection.style());
    assert_role(&app, &terminal, layers_w + 2, 2, t.selection.style());
    // An unselected row is not.
    let cell = &terminal.backend().buffer()[(3, 3)];
    assert_ne!(cell.bg, t.selection.style().bg.unwrap_or(Color::Reset));

    press(&mut app, "<tab>");
    let terminal = render(&mut app, 80, 24);
    assert_role(&app, &terminal, layers_w, 0, t.border_focused.style());
    assert_role(&app, &terminal, 0, 0, t.border.style());
}

#[test]
fn monochrome_marks_selection_with_reverse_only() {
    let mut app = example();
    app.theme = Theme::builtin("monochrome").expect("shipped theme");
    let terminal = render(&mut app, 80, 24);
    let buf = terminal.backend().buffer();
    assert!(buf[(3, 2)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(3, 3)].modifier.contains(Modifier::REVERSED));
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset);
        assert_eq!(cell.bg, Color::Reset);
    }
}

#[test]
fn the_failing_row_is_drawn_in_the_error_colour() {
    let mut app = example();
    press(
        &mut app,
        "<enter> <down> <down> <down> <bs> <bs> <bs> <bs> false <enter>",
    );
    let terminal = render(&mut app, 80, 24);
    let text = screen(&terminal);
    let y = text
        .lines()
        .position(|l| l.contains("✗ lstm_1"))
        .expect("failing row") as u16;
    let line: Vec<char> = text
        .lines()
        .nth(usize::from(y))
        .expect("line")
        .chars()
        .collect();
    let x = (0..line.len())
        .find(|&i| line[i..].starts_with(&['✗', ' ', 'l']))
        .expect("mark") as u16;
    let cell = &terminal.backend().buffer()[(x + 2, y)];
    assert_eq!(Some(cell.fg), app.theme.error.style().fg);
}

#[test]
fn three_budget_gauges() {
    let mut app = example();
    press(
        &mut app,
        "b 60000 <down> 120000 <down> <right> <down> 5000000 <enter>",
    );
    snap("gauges", app);
}

#[test]
fn three_budget_gauges_after_an_edit() {
    let mut app = example();
    press(
        &mut app,
        "b 60000 <down> 120000 <down> <right> <down> 5000000 <enter> j j j +",
    );
    snap("gauges_edit", app);
}

#[test]
fn budgets_form() {
    let mut app = example();
    press(&mut app, "b 60k <down> 512KiB <down> <right>");
    snap("budgets_form", app);
}

#[test]
fn solve_proposal() {
    let mut app = example();
    press(
        &mut app,
        "b 62000 <down> 130000 <down> <right> <down> 6M <enter> f",
    );
    snap("solve", app);
}

#[test]
fn solve_error() {
    let mut app = example();
    press(&mut app, "f");
    snap("solve_error", app);
}

/// `n` with thousands separators, written out here so the check does not use the app's own.
fn commas(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn detail_shows_compute_and_the_cost_of_one_more_unit() {
    use crate::common::lstm;
    let mut app = example();
    let first = screen(&render(&mut app, 80, 24));
    assert!(
        first.contains("18,176"),
        "the formula stays visible:\n{first}"
    );
    let text = screen(&render(&mut app, 200, 50));
    assert!(text.contains("Compute (MACs per sample)"), "{text}");
    // One more unit of the first LSTM grows it and the LSTM it feeds.
    let more = lstm(65, 6) - lstm(64, 6) + lstm(64, 65) - lstm(64, 64);
    assert!(
        text.contains(&format!("+{} params in total", commas(more))),
        "{text}"
    );
    // Its MACs: 100 steps of 4 gate products over [h, x].
    assert!(text.contains(&commas(100 * 4 * 64 * (64 + 6))), "{text}");
}

#[test]
fn detail_scrolled_to_compute() {
    let mut app = example();
    press(&mut app, "<tab> <tab> 24 j");
    snap("detail_compute", app);
}

#[test]
fn help_states_the_conventions() {
    let mut app = example();
    press(&mut app, "? G");
    let mut all = String::new();
    for _ in 0..12 {
        all.push_str(&screen(&render(&mut app, 120, 40)));
        press(&mut app, "j j j j j j j j j j");
    }
    assert!(all.contains("How MACs are counted"), "{all}");
    assert!(all.contains("Training memory"), "{all}");
    assert!(all.contains("Adam"), "{all}");
}

#[test]
fn import_box_with_an_error() {
    let mut app = example();
    press(&mut app, "i");
    for c in "model = Sequential([Input(shape=(100, 6)), LSTM(64), MyGate(8)])\n".chars() {
        app.update(lstm_tui::app::Action::Insert(c));
    }
    press(&mut app, "C-d");
    snap("import_error", app);
}

#[test]
fn export_popup() {
    let mut app = example();
    press(&mut app, "e <down>");
    snap("export", app);
}

#[test]
fn compare_view() {
    let mut app = example();
    let mut other = example();
    press(&mut other, "j j j j + + j d");
    press(&mut app, "D");
    app.update(lstm_tui::app::Action::Compared(
        other.design,
        "smaller".into(),
    ));
    snap("compare", app);
}

#[test]
fn columns_popup_and_extra_columns() {
    let mut app = example();
    press(&mut app, "v j <space> j <space>");
    snap("columns_popup", app.clone());
    press(&mut app, "<esc>");
    snap("columns", app);
}

/// Each column's title sits over its data at every width: left-aligned titles start where
/// their column starts, right-aligned ones end where its numbers end; a chosen column that
/// does not fit is named under the table rather than cut off.
#[test]
fn column_titles_sit_over_their_data() {
    let mut app = example();
    press(&mut app, "v j <space> j <space> <esc>");
    for (w, h) in [(80, 24), (100, 30), (120, 40), (160, 40)] {
        let text = screen(&render(&mut app, w, h));
        let lines: Vec<&str> = text.lines().collect();
        let header = lines
            .iter()
            .position(|l| l.contains("Output Shape"))
            .expect("header");
        let row = lines[header + 1];
        let col = |line: &str, s: &str| line.find(s).map(|b| line[..b].chars().count());
        let end = |line: &str, s: &str| col(line, s).map(|c| c + s.chars().count());
        let (head, data) = (lines[header], row);
        assert_eq!(
            col(head, "Output Shape"),
            col(data, "(None, 100, 64)"),
            "{w}x{h}:\n{text}"
        );
        assert_eq!(
            end(head, "Param #"),
            end(data, "18,176≠"),
            "{w}x{h}:\n{text}"
        );
        assert_eq!(end(head, " %"), end(data, "30.3%"), "{w}x{h}:\n{text}");
        assert_eq!(
            end(head, "MACs"),
            end(data, "1,792,000"),
            "{w}x{h}:\n{text}"
        );
        match end(head, "Memory (fp32)") {
            Some(e) => assert_eq!(Some(e), end(data, "71.00 KiB"), "{w}x{h}:\n{text}"),
            None => assert!(
                text.contains("Memory (fp32) hidden: widen the window"),
                "{w}x{h}: Memory neither shown nor said hidden:\n{text}"
            ),
        }
    }
}

#[test]
fn help_filtered() {
    let mut app = example();
    press(&mut app, "? / undo");
    snap("help_filtered", app);
}

#[test]
fn help_last_page() {
    let mut app = example();
    press(&mut app, "? G");
    snap("help_last_page", app);
}

/// Keras' MNIST convnet: long names and types wrap as Keras wraps them.
#[test]
fn long_types_wrapped() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/screens/conv2d_mnist.ron"
    );
    let text = std::fs::read_to_string(path).expect("fixture");
    let design = parse_design(&text).expect("parses");
    snap("long_types", App::new(design, Convention::Keras));
}

#[test]
fn summary_focused_footer() {
    let mut app = example();
    press(&mut app, "<tab>");
    snap("summary_focused", app);
}
