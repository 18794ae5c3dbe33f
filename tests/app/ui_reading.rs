//! Reading the screens: the help pages and filters, the footer follows focus and width, a
//! number is never cut at a pane's edge, and the status line says what a key did.

use crate::common::{dense, example, press, render, screen};
use lstm_tui::app::help::{HelpLine, lines};
use lstm_tui::app::{Action, App, Effect, Mode, Pane};
use lstm_tui::model::Convention;
use lstm_tui::model::explain::thousands;
use lstm_tui::store::parse_design;

fn mnist() -> App {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/screens/conv2d_mnist.ron"
    );
    let text = std::fs::read_to_string(path).expect("fixture");
    let design = parse_design(&text).expect("parses");
    App::new(design, Convention::Keras)
}

fn help_scroll(app: &App) -> u16 {
    match &app.mode {
        Mode::Help(h) => h.scroll,
        other => panic!("help is not open: {other:?}"),
    }
}

fn footer(app: &mut App, w: u16, h: u16) -> String {
    let s = screen(&render(app, w, h));
    s.lines().last().unwrap_or_default().to_string()
}

// ---- 7. Help pages ----

#[test]
fn help_pages_with_space_pgdn_pgup_and_jumps_with_g_and_capital_g() {
    let mut app = example();
    render(&mut app, 80, 24);
    press(&mut app, "?");
    assert_eq!(help_scroll(&app), 0);
    // The box leaves a row above and below and has two borders: 20 lines a page at 24 rows.
    press(&mut app, "<space>");
    assert_eq!(help_scroll(&app), 20);
    press(&mut app, "<space>");
    assert_eq!(help_scroll(&app), 40);
    app.update(Action::PageUp);
    assert_eq!(help_scroll(&app), 20);
    press(&mut app, "G");
    let end = help_scroll(&app);
    assert_eq!(
        usize::from(end),
        lines("").len() - 20,
        "G shows the last page"
    );
    // The last page is as far as it goes: one more line down stays, one up moves at once.
    press(&mut app, "j");
    assert_eq!(help_scroll(&app), end);
    press(&mut app, "k");
    assert_eq!(help_scroll(&app), end - 1);
    press(&mut app, "g");
    assert_eq!(help_scroll(&app), 0);
}

#[test]
fn help_shows_where_it_is() {
    let mut app = example();
    press(&mut app, "?");
    let total = lines("").len();
    let top = screen(&render(&mut app, 80, 24));
    assert!(top.contains(&format!("1–20 of {total}")), "{top}");
    press(&mut app, "G");
    let end = screen(&render(&mut app, 80, 24));
    assert!(
        end.contains(&format!("{}–{total} of {total}", total - 19)),
        "{end}"
    );
}

#[test]
fn the_panes_keys_come_in_sections() {
    let headings: Vec<&str> = lines("")
        .into_iter()
        .filter_map(|l| match l {
            HelpLine::Heading(h) => Some(h),
            _ => None,
        })
        .collect();
    assert_eq!(
        headings[..5],
        ["Navigate", "Edit", "Budget", "Files", "View"]
    );
}

#[test]
fn slash_filters_the_help_as_you_type_and_esc_drops_the_filter() {
    let mut app = example();
    press(&mut app, "? / save");
    let s = screen(&render(&mut app, 80, 24));
    assert!(s.contains("save under a new name"), "{s}");
    assert!(s.contains("Files"), "{s}");
    assert!(!s.contains("select next"), "{s}");
    assert!(s.contains("/save"), "the filter shows in the title:\n{s}");
    // Letters that are keys of the help (j, q, g) are typed into the filter, not obeyed.
    press(&mut app, "<bs> <bs> <bs> <bs> q");
    assert!(matches!(app.mode, Mode::Help(_)), "q was typed, not obeyed");
    press(&mut app, "<esc>");
    let s = screen(&render(&mut app, 80, 24));
    assert!(s.contains("select next"), "{s}");
    assert!(
        matches!(app.mode, Mode::Help(_)),
        "Esc dropped only the filter"
    );
    press(&mut app, "<esc>");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn enter_keeps_the_filter_and_pages_through_it() {
    let mut app = example();
    press(&mut app, "? / fit <enter>");
    let s = screen(&render(&mut app, 80, 24));
    assert!(
        s.contains("fit to budget: largest size of this layer"),
        "{s}"
    );
    assert!(!s.contains("select next"), "{s}");
    press(&mut app, "q");
    assert_eq!(app.mode, Mode::Normal, "after Enter, q closes again");
}

// ---- 10. Never cut a number ----

/// Widening a dense layer by 5,000 units changes the total by more than the 80-column
/// summary's totals line holds next to the words "last edit": the words go, the number stays.
#[test]
fn a_large_last_edit_is_never_cut() {
    let mut app = example();
    press(&mut app, "j j j 5 0 0 0 +");
    let change = dense(5064, 64) + dense(64, 5064) - 2 * dense(64, 64);
    let s = screen(&render(&mut app, 80, 24));
    let line = s
        .lines()
        .find(|l| l.contains("Total params:"))
        .expect("totals line");
    assert!(line.contains(&format!("+{} ", thousands(change))), "{s}");
}

/// Keras wraps a type that does not fit onto the line below its name; so does the summary,
/// so `max_pooling2d_1` is never cut and its type is there in full.
#[test]
fn long_types_wrap_onto_a_second_line_as_keras_does() {
    let mut app = mnist();
    let s = screen(&render(&mut app, 80, 24));
    let rows: Vec<&str> = s.lines().collect();
    let at = rows
        .iter()
        .position(|l| l.contains("max_pooling2d_1 "))
        .unwrap_or_else(|| panic!("max_pooling2d_1 in full:\n{s}"));
    assert!(rows[at + 1].contains("(MaxPooling2D)"), "{s}");
    assert!(!s.contains("max_pooling2d_1…"), "{s}");
    assert!(s.contains("18,496"), "{s}");
}

#[test]
fn the_layer_pane_gives_the_summary_the_width_its_rows_need() {
    // Its name and type on one line need 66 columns; the list keeps 18 and the types wrap,
    // or at 100 columns the list gives up the rest and every row stays on one line.
    let mut app = mnist();
    let s = screen(&render(&mut app, 100, 30));
    assert!(s.contains("max_pooling2d_1 (MaxPooling2D)"), "{s}");
}

/// A narrow detail pane drops whole words from its title ("in Keras") instead of cutting
/// it at the border.
#[test]
fn the_detail_title_drops_whole_words() {
    let mut app = mnist();
    press(&mut app, "j j j");
    let s = screen(&render(&mut app, 80, 24));
    assert!(
        s.contains(" max_pooling2d_1 (MaxPooling2D) · 0 params ─"),
        "{s}"
    );
    assert!(!s.contains("in Kera┐"), "{s}");
}

/// At 80×24 the detail pane keeps the layer's input and output shapes in view, on its
/// bottom edge, with the whole formula above.
#[test]
fn the_shapes_stay_in_view_at_80x24() {
    let mut app = example();
    let s = screen(&render(&mut app, 80, 24));
    assert!(s.contains("(None, 100, 6) → (None, 100, 64)"), "{s}");
    assert!(s.contains("4 × 4,544 = 18,176"), "{s}");
}

// ---- 11. Footer and status ----

#[test]
fn the_footer_follows_the_focused_pane() {
    let mut app = example();
    let layers = footer(&mut app, 80, 24);
    for hint in [
        "+/- size",
        "Enter edit",
        "a add",
        "b budget",
        "f fit",
        "? keys",
        "q quit",
    ] {
        assert!(layers.contains(hint), "{hint} missing: {layers}");
    }
    press(&mut app, "<tab>");
    assert_eq!(app.focus, Pane::Summary);
    let summary = footer(&mut app, 80, 24);
    assert!(summary.contains("v columns"), "{summary}");
    assert!(summary.contains("Keras/PyTorch"), "{summary}");
    press(&mut app, "<tab>");
    let detail = footer(&mut app, 80, 24);
    assert!(detail.contains("j/k scroll"), "{detail}");
    assert!(!detail.contains("a add"), "{detail}");
}

#[test]
fn a_wider_footer_shows_more_keys() {
    let mut app = example();
    let narrow = footer(&mut app, 80, 24);
    let wide = footer(&mut app, 140, 30);
    for hint in ["C-s save", "o open", "i import", "e export"] {
        assert!(!narrow.contains(hint), "{hint} at 80: {narrow}");
        assert!(wide.contains(hint), "{hint} missing at 140: {wide}");
    }
}

#[test]
fn undo_redo_and_delete_say_what_they_did() {
    let mut app = example();
    press(&mut app, "j j j j d");
    let status = app.status.clone().expect("status").text;
    assert!(status.contains("deleted dense_1 (Dense)"), "{status}");
    press(&mut app, "u");
    let status = app.status.clone().expect("status").text;
    assert!(status.starts_with("undid"), "{status}");
    assert!(status.contains("C-r"), "{status}");
    press(&mut app, "C-r");
    let status = app.status.clone().expect("status").text;
    assert!(status.starts_with("redid"), "{status}");
}

#[test]
fn quitting_with_changes_offers_save_and_quit() {
    let mut app = example();
    app.saved_as = Some("example".into());
    press(&mut app, "+ q");
    let s = screen(&render(&mut app, 80, 24));
    assert!(s.contains("s save and quit"), "{s}");
    let effects = press(&mut app, "s");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Save { name, .. } if name == "example")),
        "{effects:?}"
    );
    assert!(!app.quit, "quits only once saved");
    let effects = app.update(Action::Saved("example".into()));
    assert!(app.quit);
    assert!(effects.contains(&Effect::Quit), "{effects:?}");
}

#[test]
fn a_failed_save_and_quit_stays() {
    let mut app = example();
    press(&mut app, "+ q s");
    let effects = app.update(Action::Failed("not saved: disk full".into()));
    assert!(!app.quit);
    assert!(!effects.contains(&Effect::Quit));
    // A later save that works does not quit by surprise.
    let effects = app.update(Action::Saved("example".into()));
    assert!(!app.quit);
    assert!(!effects.contains(&Effect::Quit));
}

/// In the narrowest window the gauge leaves out whole parts (the change, then what is over)
/// instead of cutting its numbers at the pane's edge.
#[test]
fn a_narrow_gauge_leaves_parts_out_whole() {
    let mut app = example();
    press(&mut app, "b 6 0 k <enter> j j j +");
    let total = 59_910 + dense(65, 64) + dense(64, 65) - 2 * dense(64, 64);
    let share = format!("{:.1}%", total as f64 * 100.0 / 60_000.0);
    let over = thousands(total - 60_000);
    let change = format!(
        "+{}",
        thousands(dense(65, 64) + dense(64, 65) - 2 * dense(64, 64))
    );
    for w in [50, 56, 60, 64] {
        let s = screen(&render(&mut app, w, 16));
        let line = s
            .lines()
            .find(|l| l.contains("Params "))
            .unwrap_or_else(|| panic!("a gauge line:\n{s}"));
        let inside = line.trim_end_matches(['│', ' ']);
        let counts = format!("{:.1}k/60.0k", total as f64 / 1e3);
        let whole = [
            counts,
            share.clone(),
            format!("{over} over"),
            change.clone(),
        ];
        assert!(
            whole.iter().any(|p| inside.ends_with(p.as_str())),
            "{w}: cut mid-part: {line}"
        );
    }
}

/// After `n` the status line says what happened and how to go back, whole, and the input
/// form's keys still fit beside it at 80 columns.
#[test]
fn the_new_design_message_and_the_form_keys_fit_80_columns() {
    let mut app = example();
    press(&mut app, "n");
    let text = app.status.clone().expect("status").text;
    assert!(text.contains("new design"), "{text}");
    assert!(text.contains("u undoes"), "{text}");
    let last = footer(&mut app, 80, 24);
    assert!(last.starts_with(&format!("{text} · ")), "{last}");
    for hint in ["Enter apply", "Esc cancel"] {
        assert!(last.contains(hint), "{hint} missing: {last}");
    }
}

/// The layer picker, taller than 80×24, leaves the footer with its keys in view.
#[test]
fn the_picker_leaves_the_footer_in_view_at_80x24() {
    let mut app = example();
    press(&mut app, "a");
    let last = footer(&mut app, 80, 24);
    for hint in ["Enter choose", "Esc cancel"] {
        assert!(last.contains(hint), "{hint} missing: {last}");
    }
}

/// A status message longer than the footer ends at a whole word with `…`.
#[test]
fn a_long_status_message_is_cut_between_words() {
    let mut app = example();
    let text =
        "nothing fits under 100 parameters: the other layers hold 41,734 of them and 18,176 more";
    app.status = Some(lstm_tui::app::Status {
        text: text.into(),
        error: true,
    });
    let last = footer(&mut app, 80, 24);
    let shown = last.trim_end();
    assert!(shown.ends_with('…'), "{last}");
    let kept = shown.trim_end_matches('…');
    assert!(text.starts_with(kept), "{last}");
    // What is kept ends where a word of the message ends.
    assert!(
        text[kept.len()..].starts_with(' '),
        "cut inside a word: {last}"
    );
}

#[test]
fn the_saved_design_list_offers_the_keys_that_work_to_open_and_to_compare() {
    use lstm_tui::app::Saved;
    let saved = || {
        Action::Listed(vec![Saved {
            name: "wider".into(),
            total: None,
            budget: None,
            changed: String::new(),
            counted: true,
        }])
    };
    for (key, title) in [("o", "Open a design"), ("D", "Compare this design with")] {
        let mut app = example();
        assert_eq!(press(&mut app, key), vec![Effect::List]);
        app.update(saved());
        let text = screen(&render(&mut app, 80, 24));
        let hints: Vec<&str> = text.lines().filter(|l| l.contains("C-e")).collect();
        assert!(text.contains(title), "{text}");
        // In the box and in the footer, as the keymap says: Enter chooses in either use.
        assert_eq!(hints.len(), 2, "{text}");
        for line in hints {
            for hint in ["Enter choose", "C-e rename", "Del delete", "Esc cancel"] {
                assert!(line.contains(hint), "{hint:?} missing in {line:?}");
            }
        }
        assert!(!text.contains("Enter open"), "{text}");
    }
}

#[test]
fn the_import_box_says_it_takes_functional_code_too() {
    // It imports `keras.Model(inputs, outputs)` programs as well as Sequential ones, and says
    // so in one whole line at 80 columns.
    let mut app = example();
    press(&mut app, "i");
    let text = screen(&render(&mut app, 80, 24));
    assert!(
        text.contains("Paste Keras code (Sequential or functional) or Keras JSON; nothing is run."),
        "{text}"
    );
}
