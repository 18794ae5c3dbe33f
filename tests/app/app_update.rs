//! `App::update` driven by key macros through the real keymap.

use crate::common::{dense, example, lstm, mouse, press};
use lstm_tui::app::form::Target;
use lstm_tui::app::{Action, Effect, Leftover, Mode, Pane, Question};
use lstm_tui::model::Layer;
use ratatui::crossterm::event::{MouseButton, MouseEventKind};

/// The example's total from the Keras formulas: LSTM(64) on 6 features, Dropout, LSTM(64) on
/// 64, Dense 64, 64 and 6.
fn example_total(first_units: u64) -> u64 {
    lstm(first_units, 6) + lstm(64, first_units) + dense(64, 64) + dense(64, 64) + dense(6, 64)
}

fn units(app: &lstm_tui::app::App, i: usize) -> u64 {
    match &app.design.layers[i] {
        Layer::Lstm(l) => l.units,
        Layer::Dense(d) => d.units,
        other => panic!("layer {i} is {other:?}"),
    }
}

#[test]
fn first_run_selects_the_first_lstm() {
    let app = example();
    assert_eq!(app.selected, 1);
    assert_eq!(app.focus, Pane::Layers);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.total(), Some(59_910));
    assert_eq!(example_total(64), 59_910);
}

#[test]
fn plus_grows_units_and_undo_restores() {
    let mut app = example();
    press(&mut app, "+");
    assert_eq!(units(&app, 0), 65);
    assert_eq!(app.total(), Some(example_total(65)));
    assert_eq!(
        app.delta,
        Some(i128::from(example_total(65)) - i128::from(example_total(64)))
    );
    assert!(app.dirty);
    press(&mut app, "u");
    assert_eq!(units(&app, 0), 64);
    assert_eq!(app.total(), Some(59_910));
    // Back where it was opened: nothing is unsaved, so quitting does not ask.
    assert!(!app.dirty);
    press(&mut app, "C-r");
    assert_eq!(units(&app, 0), 65);
    assert!(app.dirty);
}

#[test]
fn undo_back_to_the_saved_design_leaves_nothing_unsaved() {
    let mut app = example();
    press(&mut app, "+");
    app.update(Action::Saved("mine".into()));
    assert!(!app.dirty);
    press(&mut app, "+ u");
    assert!(!app.dirty, "undone to what was saved");
    press(&mut app, "u");
    assert!(app.dirty, "before the save is not what is on disk");
    press(&mut app, "q");
    assert_eq!(app.mode, Mode::Confirm(Question::Quit));
}

#[test]
fn count_prefix_and_big_steps() {
    let mut app = example();
    press(&mut app, "1 0 +");
    assert_eq!(units(&app, 0), 74);
    assert_eq!(app.count, None);
    press(&mut app, ">");
    assert_eq!(units(&app, 0), 84);
    press(&mut app, "2 <");
    assert_eq!(units(&app, 0), 64);
    press(&mut app, "9 9 9 -");
    assert_eq!(units(&app, 0), 1, "a size never drops below 1");
}

#[test]
fn j_j_plus_plus_u_on_the_second_lstm() {
    let mut app = example();
    press(&mut app, "j j + + u");
    assert_eq!(app.selected, 3);
    assert_eq!(units(&app, 2), 65);
    let expected = lstm(64, 6) + lstm(65, 64) + dense(64, 65) + dense(64, 64) + dense(6, 64);
    assert_eq!(app.total(), Some(expected));
}

#[test]
fn dropout_rate_moves_in_steps_of_five_hundredths() {
    let mut app = example();
    press(&mut app, "j + +");
    match &app.design.layers[1] {
        Layer::Dropout(d) => assert!((d.rate - 0.6).abs() < 1e-9, "rate {}", d.rate),
        other => panic!("{other:?}"),
    }
    assert_eq!(app.total(), Some(59_910), "dropout has no weights");
}

#[test]
fn add_from_the_picker_inserts_after_the_selection() {
    let mut app = example();
    press(&mut app, "a");
    assert!(matches!(app.mode, Mode::Picker(_)));
    press(&mut app, "gru <enter>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.design.layers.len(), 7);
    assert!(matches!(app.design.layers[1], Layer::Gru(_)));
    assert_eq!(app.selected, 2);
    // GRU(32) after a 3-D LSTM output drops the time axis: the second LSTM now fails.
    let err = app.summary.error.as_ref().expect("the stack breaks");
    assert_eq!(err.index, 3);
    assert_eq!(app.total(), None);
    press(&mut app, "u");
    assert_eq!(app.design.layers.len(), 6);
    assert_eq!(app.total(), Some(59_910));
}

#[test]
fn escape_closes_the_picker_without_change() {
    let mut app = example();
    press(&mut app, "a den <esc>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.design.layers.len(), 6);
    assert!(!app.dirty);
}

#[test]
fn delete_duplicate_and_move() {
    let mut app = example();
    press(&mut app, "G d");
    assert_eq!(app.design.layers.len(), 5);
    assert_eq!(app.selected, 5);
    press(&mut app, "y");
    assert_eq!(app.design.layers.len(), 6);
    assert_eq!(app.selected, 6);
    assert_eq!(app.design.layers[4], app.design.layers[5]);
    press(&mut app, "g j j K");
    assert_eq!(app.selected, 1);
    assert!(matches!(app.design.layers[0], Layer::Dropout(_)));
    press(&mut app, "J");
    assert!(matches!(app.design.layers[1], Layer::Dropout(_)));
    assert_eq!(app.selected, 2);
    press(&mut app, "g d");
    assert_eq!(app.design.layers.len(), 6, "the input cannot be deleted");
    assert!(app.status.as_ref().is_some_and(|s| s.error));
}

#[test]
fn the_form_rejects_a_bad_value_and_applies_a_good_one() {
    let mut app = example();
    press(&mut app, "<enter>");
    let Mode::Form(form) = &app.mode else {
        panic!("no form: {:?}", app.mode)
    };
    assert_eq!(form.target, Target::Layer(0));
    assert_eq!(form.fields[form.index].name, "units");
    press(&mut app, "<bs> <bs> 0");
    let Mode::Form(form) = &app.mode else {
        panic!("form closed")
    };
    let (at, why) = form.error.as_ref().expect("0 units is rejected");
    assert_eq!(form.fields[*at].name, "units");
    assert!(why.contains("≥ 1") || why.contains("at least 1"), "{why}");
    press(&mut app, "<enter>");
    assert!(
        matches!(app.mode, Mode::Form(_)),
        "a bad form is not applied"
    );
    assert_eq!(units(&app, 0), 64);
    press(&mut app, "<bs> 1 2 8 <enter>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(units(&app, 0), 128);
    assert_eq!(app.total(), Some(example_total(128)));
}

#[test]
fn the_form_rejects_text_where_a_number_belongs() {
    let mut app = example();
    press(&mut app, "<enter> <bs> <bs> x");
    let Mode::Form(form) = &app.mode else {
        panic!("form closed")
    };
    assert!(form.error.is_some());
    press(&mut app, "<esc>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(units(&app, 0), 64);
}

#[test]
fn the_input_form_changes_features() {
    let mut app = example();
    press(&mut app, "g <enter> (100,12) <enter>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.design.input.shape.0[..], vec![Some(100), Some(12)]);
    let expected = lstm(64, 12) + lstm(64, 64) + dense(64, 64) + dense(64, 64) + dense(6, 64);
    assert_eq!(app.total(), Some(expected));
}

#[test]
fn budget_is_set_and_undone() {
    let mut app = example();
    press(&mut app, "b 6 0 k <enter>");
    assert_eq!(app.design.budget.params, Some(60_000));
    press(&mut app, "b");
    press(&mut app, "<bs> <bs> <bs> <bs> <bs> <bs> x");
    let Mode::Budgets(f) = &app.mode else {
        panic!("no budgets form")
    };
    assert!(f.error.is_some());
    press(&mut app, "<esc> u");
    assert_eq!(app.design.budget.params, None);
}

#[test]
fn convention_switch_recounts_without_touching_the_design() {
    let mut app = example();
    let effects = press(&mut app, "c");
    assert!(effects.contains(&Effect::Remember));
    // PyTorch keeps a second bias vector per gate: 4 × units more per LSTM.
    assert_eq!(app.total(), Some(59_910 + 4 * 64 + 4 * 64));
    assert!(!app.dirty);
    press(&mut app, "c");
    assert_eq!(app.total(), Some(59_910));
}

#[test]
fn quit_asks_only_with_unsaved_changes() {
    let mut app = example();
    let effects = press(&mut app, "q");
    assert!(effects.contains(&Effect::Quit));
    let mut app = example();
    let effects = press(&mut app, "+ q");
    assert!(!effects.contains(&Effect::Quit));
    assert_eq!(app.mode, Mode::Confirm(Question::Quit));
    let effects = press(&mut app, "n");
    assert!(effects.is_empty());
    assert_eq!(app.mode, Mode::Normal);
    let effects = press(&mut app, "q y");
    assert!(effects.contains(&Effect::Quit));
}

#[test]
fn save_asks_for_a_name_first() {
    let mut app = example();
    press(&mut app, "C-s");
    assert!(matches!(app.mode, Mode::Prompt(_)));
    let effects = press(&mut app, "<bs> <bs> <bs> <bs> <bs> <bs> <bs> mine <enter>");
    match effects.as_slice() {
        [
            Effect::Save {
                name,
                design,
                overwrite: false,
            },
        ] => {
            assert_eq!(name, "mine");
            assert_eq!(design.name, "mine");
        }
        other => panic!("{other:?}"),
    }
    app.update(Action::Saved("mine".into()));
    assert!(!app.dirty);
    let effects = press(&mut app, "+ C-s");
    assert!(matches!(effects.as_slice(), [Effect::Save { name, .. }] if name == "mine"));
}

#[test]
fn a_name_cannot_escape_the_designs_folder() {
    let mut app = example();
    press(&mut app, "C-s");
    for _ in 0..10 {
        press(&mut app, "<bs>");
    }
    let effects = press(&mut app, "../x <enter>");
    assert!(effects.is_empty());
    let Mode::Prompt(p) = &app.mode else {
        panic!("prompt closed")
    };
    assert!(p.error.is_some());
}

#[test]
fn recovery_is_written_once_after_edits() {
    let mut app = example();
    assert!(app.update(Action::Idle).is_empty());
    press(&mut app, "+");
    let effects = app.update(Action::Idle);
    assert!(matches!(effects.as_slice(), [Effect::WriteRecovery(d)] if *d == app.design));
    assert!(app.update(Action::Idle).is_empty());
}

#[test]
fn tab_cycles_panes_and_detail_scrolls() {
    let mut app = example();
    press(&mut app, "<tab> <tab>");
    assert_eq!(app.focus, Pane::Detail);
    press(&mut app, "j j");
    assert_eq!(app.detail_scroll, 2);
    assert_eq!(app.selected, 1);
    press(&mut app, "<tab>");
    assert_eq!(app.focus, Pane::Layers);
}

#[test]
fn help_opens_and_closes() {
    let mut app = example();
    press(&mut app, "?");
    assert!(matches!(app.mode, Mode::Help { .. }));
    press(&mut app, "<esc>");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn a_click_selects_the_row_under_it() {
    let mut app = example();
    app.update(Action::Resize(80, 24));
    // The layer list starts inside the border: row 1 is the input, row 4 the third layer.
    mouse(&mut app, MouseEventKind::Down(MouseButton::Left), 3, 4);
    assert_eq!(app.selected, 3);
    mouse(&mut app, MouseEventKind::Down(MouseButton::Left), 3, 1);
    assert_eq!(app.selected, 0);
}

#[test]
fn open_lists_then_loads_the_chosen_design() {
    let mut app = example();
    let effects = press(&mut app, "o");
    assert_eq!(effects, vec![Effect::List]);
    let saved = |name: &str| lstm_tui::app::Saved {
        name: name.into(),
        total: Some(1),
        budget: None,
        changed: String::new(),
        counted: true,
    };
    app.update(Action::Listed(vec![saved("alpha"), saved("beta")]));
    let effects = press(&mut app, "bet <enter>");
    assert_eq!(effects, vec![Effect::Open("beta".into())]);
    let mut other = lstm_tui::model::Design::example();
    other.layers.truncate(1);
    other.name = "beta".into();
    app.update(Action::Loaded(other.clone(), Some("beta".into())));
    assert_eq!(app.design, other);
    assert_eq!(app.saved_as.as_deref(), Some("beta"));
    assert!(!app.dirty);
    assert_eq!(app.total(), Some(lstm(64, 6)));
    press(&mut app, "u");
    assert_eq!(app.design.layers.len(), 6, "opening can be undone");
}

#[test]
fn new_design_starts_empty_and_can_be_undone() {
    let mut app = example();
    press(&mut app, "n <esc>");
    assert!(app.design.layers.is_empty());
    assert_eq!(app.selected, 0);
    assert_eq!(app.total(), Some(0));
    press(&mut app, "a lstm <enter>");
    assert_eq!(app.design.layers.len(), 1);
    assert_eq!(app.total(), Some(lstm(32, 6)));
    press(&mut app, "u u");
    assert_eq!(app.design.layers.len(), 6);
}

#[test]
fn theme_cycles_and_is_remembered() {
    let mut app = example();
    let before = app.theme.name.clone();
    let effects = press(&mut app, "t");
    assert_ne!(app.theme.name, before);
    assert_eq!(effects, vec![Effect::Remember]);
}

fn leftover(path: &str, name: &str, total: u64) -> Leftover {
    Leftover {
        path: path.into(),
        name: name.into(),
        changed: "2026-12-01 09:00".into(),
        total: Some(total),
        layers: Some(3),
        error: None,
    }
}

#[test]
fn recovery_list_answers_one_copy_at_a_time() {
    let mut app = example();
    let items = vec![
        leftover("r/a-1.ron", "a", 10),
        leftover("r/b-2.ron", "b", 20),
        leftover("r/c-3.ron", "c", 30),
        leftover("r/d-4.ron", "d", 40),
    ];
    app.update(Action::OfferRecovery(items));
    assert!(matches!(app.mode, Mode::Recover(_)));
    // Keep the first for later, discard the next: each answer names only its copy.
    assert_eq!(
        press(&mut app, "l"),
        vec![Effect::KeepCopy("r/a-1.ron".into())]
    );
    assert_eq!(
        press(&mut app, "d"),
        vec![Effect::DiscardCopy("r/b-2.ron".into())]
    );
    // Restore the last one; the rest is kept for later, not discarded.
    press(&mut app, "j");
    assert_eq!(
        press(&mut app, "<enter>"),
        vec![
            Effect::RestoreCopy("r/d-4.ron".into()),
            Effect::KeepCopy("r/c-3.ron".into())
        ]
    );
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.design, lstm_tui::model::Design::example());
    let mut d = lstm_tui::model::Design::example();
    d.layers.pop();
    app.update(Action::Restored(d.clone()));
    assert_eq!(app.design, d);
    assert!(app.dirty);

    // Esc keeps every copy; none is discarded.
    let mut app = example();
    app.update(Action::OfferRecovery(vec![
        leftover("r/a-1.ron", "a", 10),
        leftover("r/b-2.ron", "b", 20),
    ]));
    assert_eq!(
        press(&mut app, "<esc>"),
        vec![
            Effect::KeepCopy("r/a-1.ron".into()),
            Effect::KeepCopy("r/b-2.ron".into())
        ]
    );
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn a_copy_that_cannot_be_read_is_not_restored() {
    let mut app = example();
    let mut bad = leftover("r/x-1.ron", "x", 0);
    bad.error = Some("r/x-1.ron:1:13: unexpected end".into());
    app.update(Action::OfferRecovery(vec![bad]));
    assert!(press(&mut app, "<enter>").is_empty());
    assert!(matches!(app.mode, Mode::Recover(_)));
    assert!(app.status.as_ref().is_some_and(|s| s.error));
    assert_eq!(
        press(&mut app, "d"),
        vec![Effect::DiscardCopy("r/x-1.ron".into())]
    );
}

#[test]
fn a_conflicting_save_asks_before_overwriting() {
    let mut app = example();
    app.update(Action::SaveConflict("example".into()));
    let effects = press(&mut app, "y");
    assert!(
        matches!(effects.as_slice(), [Effect::Save { overwrite: true, name, .. }] if name == "example")
    );
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let mut app = example();
    app.update(Action::Resize(80, 24));
    // Over the layer list: the selection moves three rows and focus stays.
    mouse(&mut app, MouseEventKind::ScrollDown, 3, 5);
    assert_eq!(app.selected, 4);
    assert_eq!(app.focus, Pane::Layers);
    // Over the detail pane (bottom right): it scrolls, the selection stays.
    mouse(&mut app, MouseEventKind::ScrollDown, 60, 20);
    assert_eq!(app.detail_scroll, 3);
    assert_eq!(app.selected, 4);
    mouse(&mut app, MouseEventKind::ScrollUp, 60, 20);
    assert_eq!(app.detail_scroll, 0);
}

#[test]
fn only_text_popups_take_pasted_text() {
    use lstm_tui::input::to_actions;
    use ratatui::crossterm::event::Event;
    let mut app = example();
    assert!(to_actions(&app, Event::Paste("d d d".into())).is_empty());
    press(&mut app, "a");
    for action in to_actions(&app, Event::Paste("gr\u{1b}[2Ju".into()))
        .into_iter()
        .rev()
    {
        app.update(action);
    }
    let Mode::Picker(p) = &app.mode else {
        panic!("picker closed")
    };
    assert_eq!(p.filter.text(), "gr[2Ju", "control characters are dropped");
}

#[test]
fn only_key_presses_act() {
    use lstm_tui::input::to_actions;
    use ratatui::crossterm::event::{
        Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers,
    };
    let app = example();
    let key = |kind| {
        Event::Key(KeyEvent {
            code: KeyCode::Char('+'),
            modifiers: KeyModifiers::NONE,
            kind,
            state: KeyEventState::NONE,
        })
    };
    assert_eq!(
        to_actions(&app, key(KeyEventKind::Press)),
        vec![Action::Grow]
    );
    assert!(to_actions(&app, key(KeyEventKind::Release)).is_empty());
    assert!(to_actions(&app, key(KeyEventKind::Repeat)).is_empty());
}

#[test]
fn save_as_asks_for_a_name_and_saves_under_it() {
    let mut app = example();
    let effects = press(&mut app, "S");
    assert!(effects.is_empty());
    assert!(matches!(app.mode, lstm_tui::app::Mode::Prompt(_)));
    // Replace the proposed name ("example", 7 letters).
    press(&mut app, "<bs> <bs> <bs> <bs> <bs> <bs> <bs>");
    let effects = press(&mut app, "g r u <enter>");
    match effects.as_slice() {
        [
            lstm_tui::app::Effect::Save {
                name,
                design,
                overwrite,
            },
        ] => {
            assert_eq!(name, "gru");
            assert_eq!(design.name, "gru");
            assert!(!overwrite);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_name_that_leaves_the_designs_folder_is_refused() {
    let mut app = example();
    press(&mut app, "S <bs> <bs> <bs> <bs> <bs> <bs> <bs> . . / x");
    let effects = press(&mut app, "<enter>");
    assert!(effects.is_empty(), "{effects:?}");
    match &app.mode {
        lstm_tui::app::Mode::Prompt(p) => assert!(p.error.is_some()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_open_list_renames_and_deletes_saved_designs() {
    use lstm_tui::app::{Action, Effect, Saved};
    let saved = |name: &str| Saved {
        name: name.into(),
        total: Some(59_910),
        budget: None,
        changed: String::new(),
        counted: true,
    };
    let mut app = example();
    assert_eq!(press(&mut app, "o"), vec![Effect::List]);
    app.update(Action::Listed(vec![saved("alpha"), saved("beta")]));
    press(&mut app, "<down>");
    // Rename "beta": the prompt starts with the old name.
    press(&mut app, "C-e <bs> <bs> <bs> <bs> g a m m a");
    assert_eq!(
        press(&mut app, "<enter>"),
        vec![Effect::Rename {
            from: "beta".into(),
            to: "gamma".into()
        }]
    );
    // Delete asks first; "n" keeps the file.
    press(&mut app, "o");
    app.update(Action::Listed(vec![saved("alpha"), saved("gamma")]));
    assert!(press(&mut app, "<del>").is_empty());
    assert!(press(&mut app, "n").is_empty());
    press(&mut app, "o");
    app.update(Action::Listed(vec![saved("alpha"), saved("gamma")]));
    press(&mut app, "<del>");
    assert_eq!(press(&mut app, "y"), vec![Effect::Delete("alpha".into())]);
    // Deleting the design that is open means it is no longer saved anywhere.
    app.saved_as = Some("alpha".into());
    app.update(Action::Deleted("alpha".into()));
    assert_eq!(app.saved_as, None);
    assert!(app.dirty);
}

#[test]
fn the_mouse_reaches_the_app_as_intentions_not_cells() {
    use lstm_tui::input::to_actions;
    use lstm_tui::ui::{Hit, hit};
    use ratatui::crossterm::event::{Event, KeyModifiers, MouseEvent};
    let mut app = example();
    app.update(Action::Resize(80, 24));
    let at = |kind, column, row| {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // The row the ui says is under the cell is the row the click selects.
    let Some(Hit::Row(pane, row)) = hit(&app, 3, 4) else {
        panic!("no layer row under (3, 4)");
    };
    let mut click = to_actions(&app, at(MouseEventKind::Down(MouseButton::Left), 3, 4));
    click.reverse();
    assert_eq!(click, vec![Action::Focus(pane), Action::Select(row)]);
    // Over the footer the wheel scrolls the focused pane.
    press(&mut app, "<tab> <tab>");
    assert_eq!(hit(&app, 3, 23), Some(Hit::Elsewhere));
    let wheel = to_actions(&app, at(MouseEventKind::ScrollDown, 3, 23));
    assert_eq!(wheel, vec![Action::Scroll(Pane::Detail, 3)]);
    // Below the smallest size nothing is drawn, so nothing is under the pointer.
    app.update(Action::Resize(20, 5));
    assert_eq!(hit(&app, 3, 4), None);
    assert!(to_actions(&app, at(MouseEventKind::Down(MouseButton::Left), 3, 4)).is_empty());
    // A popup hides the panes from clicks: the app ignores them while it is open.
    app.update(Action::Resize(80, 24));
    press(&mut app, "?");
    let before = app.selected;
    mouse(&mut app, MouseEventKind::Down(MouseButton::Left), 3, 1);
    assert_eq!(app.selected, before);
    assert!(matches!(app.mode, Mode::Help(_)));
}

#[test]
fn the_picker_finds_a_kind_by_its_initials() {
    let classes = |filter: &str| {
        let mut app = example();
        let keys: Vec<String> = filter.chars().map(String::from).collect();
        press(&mut app, &format!("a {}", keys.join(" ")));
        let Mode::Picker(p) = &app.mode else {
            panic!("no picker: {:?}", app.mode)
        };
        let found: Vec<&str> = p.matches().iter().map(|l| l.kind().class()).collect();
        found.join(" ")
    };
    assert_eq!(classes("mha"), "MultiHeadAttention");
    assert_eq!(classes("bn"), "BatchNormalization");
    assert_eq!(
        classes("gap"),
        "GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D"
    );
    // What the filter spells still finds what it spelled before, the classes that start with
    // it first, then those that contain it, then those whose description does.
    assert_eq!(
        classes("lstm"),
        "LSTM ConvLSTM1D ConvLSTM2D ConvLSTM3D RNN Bidirectional"
    );
    // Bidirectional's description says it concatenates; Concatenate is what `conc` spells.
    assert!(
        classes("conc").starts_with("Concatenate "),
        "{}",
        classes("conc")
    );
}

#[test]
fn the_picker_lists_the_activation_layers_together_and_the_form_edits_shared_axes() {
    let mut app = example();
    press(&mut app, "a r e l u");
    let Mode::Picker(p) = &app.mode else {
        panic!("no picker: {:?}", app.mode)
    };
    let classes: Vec<&str> = p.matches().iter().map(|l| l.kind().class()).collect();
    // The classes that spell it first, then Activation, whose description names relu.
    assert_eq!(classes, ["ReLU", "LeakyReLU", "PReLU", "Activation"]);
    press(&mut app, "<esc> a p r e l u <enter>");
    assert!(matches!(app.design.layers[1], Layer::Prelu(_)));
    // One slope per value of the first LSTM's (100, 64) output.
    assert_eq!(app.total(), Some(59_910 + 100 * 64));
    press(&mut app, "<enter>");
    let Mode::Form(form) = &app.mode else {
        panic!("no form: {:?}", app.mode)
    };
    assert_eq!(form.fields[form.index].name, "shared_axes");
    press(&mut app, "<bs> <bs> [ 1 ] <enter>");
    assert_eq!(app.mode, Mode::Normal);
    // Shared along the 100 timesteps: one slope per feature.
    assert_eq!(app.total(), Some(59_910 + 64));
}

#[test]
fn no_key_is_bound_twice_in_the_same_mode() {
    use lstm_tui::app::keymap::{BINDINGS, label};
    let mut seen = std::collections::HashMap::new();
    for b in BINDINGS {
        for key in b.keys {
            if let Some(first) = seen.insert(format!("{:?} {key:?}", b.mode), b.help) {
                panic!(
                    "{} is bound twice in {:?}: {first:?} and {:?}",
                    label(key),
                    b.mode,
                    b.help
                );
            }
        }
    }
}
