//! The layer list of a graph design on screen: its lanes for a residual stack, an inception
//! block, an encoder–decoder and a transformer block at 80×24 and 160×50, in colour and in
//! ASCII; a row for every input; the lanes a selection reads and feeds lit; notes instead of
//! lanes when they would crowd the list.

use crate::common::{press, render, screen};
use crate::lanes_layout::fixture_design;
use lstm_tui::app::{Action, App, Mode};
use lstm_tui::caps::{ColorLevel, adapt};
use lstm_tui::model::Convention;
use lstm_tui::report::lanes::Entry;
use lstm_tui::theme::Theme;
use ratatui::buffer::Buffer;

/// The four graph shapes the designer must make readable, each with the row selected whose
/// lanes are worth seeing lit: the join of a skip, a branch set or two encoders.
const SHOWN: [(&str, &str); 4] = [
    ("resnet_basic_blocks_conv2d", "add"),
    ("inception_block_conv2d", "concatenate"),
    ("seq2seq_lstm_encoder_decoder", "lstm_1"),
    ("transformer_encoder_block", "add_1"),
];

fn app_on(name: &str) -> App {
    let mut app = App::new(fixture_design(name), Convention::Keras);
    app.theme = Theme::builtin("dark").expect("shipped theme");
    app
}

fn row_named(app: &App, name: &str) -> usize {
    app.lanes
        .rows
        .iter()
        .position(|r| r.name == name)
        .unwrap_or_else(|| panic!("a row named {name}"))
}

fn drawn(app: &mut App, w: u16, h: u16) -> Buffer {
    render(app, w, h).backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| {
            let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            row + "\n"
        })
        .collect()
}

#[test]
fn lanes_snapshots_in_colour_and_ascii() {
    for (name, selected) in SHOWN {
        let mut app = app_on(name);
        app.update(Action::Select(row_named(&app, selected)));
        for (w, h) in [(80, 24), (160, 50)] {
            let mut buf = drawn(&mut app, w, h);
            adapt(&mut buf, ColorLevel::TrueColor, false);
            insta::assert_debug_snapshot!(format!("lanes_{name}_{w}x{h}"), buf);
            let mut buf = drawn(&mut app, w, h);
            adapt(&mut buf, ColorLevel::Ansi16, true);
            insta::assert_snapshot!(format!("lanes_{name}_{w}x{h}_ascii"), text(&buf));
        }
    }
}

#[test]
fn ascii_lanes_use_only_the_graph_characters() {
    let mut app = app_on("residual_dense_block");
    let mut buf = drawn(&mut app, 80, 24);
    adapt(&mut buf, ColorLevel::Ansi16, true);
    let screen = text(&buf);
    // The list's rows: input, dense (reads the input, which goes on), dense_1, add (ends
    // both lanes), activation, dense_2 (the output).
    let lanes: Vec<String> = screen
        .lines()
        .skip(1)
        .take(6)
        .map(|l| l.chars().skip(4).take(3).collect())
        .collect();
    assert_eq!(lanes, ["o  ", "+-*", "| *", "*-/", "*  ", "@  "]);
}

#[test]
fn every_input_has_a_row() {
    let mut app = app_on("seq2seq_lstm_encoder_decoder");
    assert_eq!(app.rows(), 2 + app.design.layers.len());
    let screen = screen(&render(&mut app, 160, 50));
    for input in ["Input encoder_inputs", "Input decoder_inputs"] {
        assert!(screen.contains(input), "{input}:\n{screen}");
    }
}

#[test]
fn rows_after_several_inputs_select_their_own_layer() {
    let mut app = app_on("seq2seq_lstm_encoder_decoder");
    let row = row_named(&app, "lstm_1");
    app.update(Action::Select(row));
    let index = app.layer_index().expect("a layer");
    assert_eq!(app.design.layers[index].kind().class(), "LSTM");
    assert_eq!(
        app.summary.row_of(index).expect("built").name.as_str(),
        "lstm_1"
    );
    press(&mut app, "<enter>");
    assert!(matches!(app.mode, Mode::Form(_)), "Enter edits lstm_1");
}

#[test]
fn a_further_input_has_no_size_to_step_and_enter_edits_it() {
    let mut app = app_on("seq2seq_lstm_encoder_decoder");
    let row = row_named(&app, "decoder_inputs");
    app.update(Action::Select(row));
    assert_eq!(app.entry(), Some(Entry::Input(1)));
    let before = app.design.clone();
    press(&mut app, "+");
    assert_eq!(app.design, before, "+ changes nothing");
    let status = app.status.clone().expect("a reason");
    assert!(
        status.error && status.text.contains("decoder_inputs"),
        "{status:?}"
    );
    press(&mut app, "<enter>");
    let Mode::Form(form) = &app.mode else {
        panic!("Enter edits the input: {:?}", app.mode);
    };
    let name = form.fields.iter().find(|f| f.name == "name").expect("name");
    assert_eq!(name.text.text(), "decoder_inputs");
}

#[test]
fn a_shared_call_has_its_row_and_is_changed_through_its_layer() {
    let mut app = App::new(
        fixture_design("shared_dense_three_calls"),
        Convention::Keras,
    );
    let names: Vec<&str> = app.lanes.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["a", "b", "c", "dense", "dense@1", "dense@2", "concatenate"]
    );
    app.update(Action::Select(row_named(&app, "dense@2")));
    let before = app.design.clone();
    press(&mut app, "d");
    assert_eq!(app.design, before);
    assert!(
        app.status
            .clone()
            .expect("a reason")
            .text
            .contains("select dense")
    );
}

/// The foreground of the first cell on screen row `y` showing `glyph` in the layer list.
fn lane_colour(buf: &Buffer, y: u16, glyph: &str) -> Option<ratatui::style::Color> {
    (0..30)
        .map(|x| &buf[(x, y)])
        .find(|c| c.symbol() == glyph)
        .map(|c| c.fg)
}

#[test]
fn the_selection_lights_the_lanes_it_reads_and_feeds() {
    let mut app = app_on("residual_dense_block");
    let theme = app.theme.clone();
    let lit = theme.border_focused.style().fg;
    let unlit = theme.border.style().fg;
    assert_ne!(lit, unlit);
    // Screen row 2 is dense's: `├─●`, where the input's lane goes on past it.
    let dense_y = 1 + u16::try_from(row_named(&app, "dense")).expect("small");
    let add = row_named(&app, "add");
    app.update(Action::Select(add));
    let buf = drawn(&mut app, 80, 24);
    assert_eq!(
        lane_colour(&buf, dense_y, "├"),
        lit,
        "add reads the input's lane"
    );
    app.update(Action::Select(row_named(&app, "dense_2")));
    let buf = drawn(&mut app, 80, 24);
    assert_eq!(
        lane_colour(&buf, dense_y, "├"),
        unlit,
        "dense_2 reads only the row above"
    );
}

#[test]
fn crowded_lanes_fold_into_notes() {
    // At 60 columns the list is 20 wide: the inception block's four lanes would take 8.
    let mut app = app_on("inception_block_conv2d");
    let screen = screen(&render(&mut app, 60, 20));
    assert!(!screen.contains('┴'), "no lanes:\n{screen}");
    assert!(screen.contains("← image"), "notes instead:\n{screen}");
    let screen = crate::common::screen(&render(&mut app, 160, 50));
    assert!(screen.contains("●─┴─┴─╯"), "room for the lanes:\n{screen}");
}

#[test]
fn a_read_of_a_later_row_is_named_beside_the_lanes() {
    // dense reads the input and dense_3, below it; dense_1 and dense_2 make a second lane.
    let design =
        crate::lanes_layout::wired(4, &[(0, vec![0, 4]), (1, vec![0]), (2, vec![1, 2])], &[]);
    let mut app = App::new(design, Convention::Keras);
    assert!(app.lanes.columns > 1, "lanes are drawn");
    let screen = screen(&render(&mut app, 160, 50));
    assert!(screen.contains("← dense_3"), "{screen}");
}
