//! The budgets form, the gauges' inputs and the fit-to-budget proposal, driven by keys.

use crate::common::{dense, example, lstm, press, render, screen};
use lstm_tui::app::Mode;
use lstm_tui::app::state::Scope;
use lstm_tui::model::Precision;
use lstm_tui::model::solve::SolveError;

/// The example's total with the first LSTM at `u` units (the second LSTM is fed by it).
fn total_with_first_lstm(u: u64) -> u64 {
    lstm(u, 6) + lstm(64, u) + dense(64, 64) + dense(64, 64) + dense(6, 64)
}

/// MACs per sample of an LSTM over `t` timesteps: four gate products of [h, x] per step.
fn lstm_macs(t: u64, units: u64, inputs: u64) -> u64 {
    t * 4 * units * (units + inputs)
}

#[test]
fn three_budgets_are_set_in_one_form_and_undone_in_one_step() {
    let mut app = example();
    press(
        &mut app,
        "b 60k <down> 120000 <down> <right> <down> 5M <enter>",
    );
    assert_eq!(app.mode, Mode::Normal);
    let b = app.design.budget;
    assert_eq!(b.params, Some(60_000));
    assert_eq!(b.memory, Some(120_000));
    assert_eq!(b.precision, Precision::Fp16);
    assert_eq!(b.macs, Some(5_000_000));
    press(&mut app, "u");
    assert!(app.design.budget.is_empty());
}

#[test]
fn memory_takes_binary_units_and_empty_clears() {
    let mut app = example();
    press(&mut app, "b <down> 512KiB <enter>");
    assert_eq!(app.design.budget.memory, Some(512 * 1024));
    press(
        &mut app,
        "b <down> <bs> <bs> <bs> <bs> <bs> <bs> 1MiB <enter>",
    );
    assert_eq!(app.design.budget.memory, Some(1024 * 1024));
    press(
        &mut app,
        "b <down> <bs> <bs> <bs> <bs> <bs> <bs> <bs> <enter>",
    );
    assert_eq!(app.design.budget.memory, None);
}

#[test]
fn a_bad_budget_names_its_field_and_is_not_applied() {
    let mut app = example();
    press(&mut app, "b <down> <down> <bs> <bs> <bs> <bs> fp99 <enter>");
    let Mode::Budgets(f) = &app.mode else {
        panic!("the form should stay open");
    };
    assert_eq!(f.error.as_ref().map(|e| e.0), Some(2));
    assert!(app.design.budget.is_empty());
}

#[test]
fn gauges_show_headroom_for_the_example() {
    let mut app = example();
    press(
        &mut app,
        "b 60000 <down> 120000 <down> <right> <down> 5000000 <enter>",
    );
    let gauges = app.design.budget.gauges(&app.summary);
    assert_eq!(gauges.len(), 3);
    let params = total_with_first_lstm(64);
    assert_eq!(params, 59_910);
    assert_eq!(gauges[0].used, params);
    assert_eq!(gauges[0].headroom(), 90);
    assert_eq!(gauges[1].used, params * 2);
    assert_eq!(gauges[1].headroom(), 180);
    let macs = lstm_macs(100, 64, 6) + lstm_macs(100, 64, 64) + 64 * 64 * 2 + 64 * 6;
    assert_eq!(gauges[2].used, macs);
    assert_eq!(gauges[2].headroom(), 5_000_000 - i128::from(macs));
}

#[test]
fn an_edit_reports_its_mac_change() {
    let mut app = example();
    press(&mut app, "j j j j +");
    // Dense 64 → 65 after Dense 64, feeding Dense 6: 64 + 6 more MACs.
    assert_eq!(app.macs_delta, Some(64 + 6));
    assert_eq!(
        app.delta,
        Some(i128::from(dense(65, 64) + dense(6, 65)) - i128::from(dense(64, 64) + dense(6, 64)))
    );
}

#[test]
fn fit_proposes_the_largest_first_lstm_and_applies_as_one_change() {
    let mut app = example();
    press(&mut app, "b 62000 <enter> f");
    let largest = (1..200)
        .filter(|&u| total_with_first_lstm(u) <= 62_000)
        .max()
        .unwrap_or(0);
    let Mode::Solve(v) = &app.mode else {
        panic!("no proposal");
    };
    assert_eq!(v.scope, Scope::Layer(0));
    let p = v.result.as_ref().expect("a proposal");
    assert_eq!(p.changes[0].old, 64);
    assert_eq!(p.changes[0].new, largest);
    assert_eq!(p.total, total_with_first_lstm(largest));
    // The design is untouched until Enter.
    assert_eq!(app.total(), Some(59_910));
    press(&mut app, "m");
    let Mode::Solve(v) = &app.mode else {
        panic!("no proposal");
    };
    assert_eq!(v.multiple, 8);
    let largest8 = (1..30)
        .map(|k| k * 8)
        .filter(|&u| total_with_first_lstm(u) <= 62_000)
        .max()
        .unwrap_or(0);
    let new = v.result.as_ref().map(|p| p.changes[0].new);
    assert_eq!(new, Ok(largest8));
    press(&mut app, "<esc>");
    assert_eq!(app.mode, Mode::Normal);
    press(&mut app, "f <enter>");
    assert_eq!(app.total(), Some(total_with_first_lstm(largest)));
    press(&mut app, "u");
    assert_eq!(app.total(), Some(59_910));
    assert_eq!(app.design.budget.params, Some(62_000));
}

#[test]
fn the_example_already_fits_sixty_thousand() {
    let mut app = example();
    press(&mut app, "b 60000 <enter> f");
    let Mode::Solve(v) = &app.mode else {
        panic!("no proposal");
    };
    let p = v.result.as_ref().expect("a proposal");
    assert_eq!((p.changes[0].old, p.changes[0].new), (64, 64));
    assert!(total_with_first_lstm(65) > 60_000);
    press(&mut app, "<enter>");
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("already"))
    );
}

#[test]
fn fit_without_a_budget_or_size_says_why() {
    let mut app = example();
    press(&mut app, "f");
    let Mode::Solve(v) = &app.mode else {
        panic!("no popup");
    };
    assert_eq!(v.result, Err(SolveError::NoBudget));
    press(&mut app, "<enter>");
    assert!(app.status.as_ref().is_some_and(|s| s.error));
    press(&mut app, "b 60000 <enter> j f");
    let Mode::Solve(v) = &app.mode else {
        panic!("no popup");
    };
    assert_eq!(v.result, Err(SolveError::NoSize("Dropout")));
}

#[test]
fn scaling_all_widths_fits_every_budget() {
    let mut app = example();
    press(&mut app, "b 30000 <enter> F");
    let Mode::Solve(v) = &app.mode else {
        panic!("no popup");
    };
    assert_eq!(v.scope, Scope::AllWidths);
    let p = v.result.as_ref().expect("a proposal");
    assert!(p.total <= 30_000);
    assert!(p.changes.iter().all(|c| c.new % 8 == 0));
    press(&mut app, "<enter>");
    assert!(app.total().is_some_and(|t| t <= 30_000));
}

#[test]
fn columns_are_toggled_in_table_order_and_remembered() {
    use lstm_tui::app::Effect;
    use lstm_tui::report::columns::Column;
    let mut app = example();
    assert_eq!(app.columns, vec![Column::Percent]);
    let effects = press(&mut app, "v j <space>");
    assert_eq!(effects, vec![Effect::Remember]);
    assert_eq!(app.columns, vec![Column::Macs, Column::Percent]);
    press(&mut app, "k <enter> j j j <space> j <space>");
    assert_eq!(
        app.columns,
        vec![Column::Input, Column::Macs, Column::Trainable]
    );
    press(&mut app, "<esc>");
    assert_eq!(app.mode, Mode::Normal);
}

/// The key hints inside the fit popup (the footer below has its own).
fn popup_hints(app: &mut lstm_tui::app::App) -> String {
    let shown = screen(&render(app, 80, 24));
    shown
        .lines()
        .find(|l| l.contains("s/Tab scope"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn enter_apply_is_offered_only_when_there_is_something_to_apply() {
    let mut app = example();
    press(&mut app, "f");
    let hints = popup_hints(&mut app);
    assert!(hints.contains("m multiple"), "{hints}");
    assert!(
        !hints.contains("Enter"),
        "no budget, nothing to apply: {hints}"
    );
    // Room to grow: the proposal changes the first LSTM.
    press(&mut app, "<esc> b 62000 <enter> f");
    assert!(popup_hints(&mut app).contains("Enter apply"));
    // Applied, it is already the largest: nothing left to apply.
    press(&mut app, "<enter> f");
    let Mode::Solve(v) = &app.mode else {
        panic!("no popup");
    };
    assert!(v.result.is_ok());
    assert!(!popup_hints(&mut app).contains("Enter"));
}

/// The footer under the fit popup: its last line.
fn footer_hints(app: &mut lstm_tui::app::App) -> String {
    let shown = screen(&render(app, 80, 24));
    shown.lines().last().unwrap_or_default().to_string()
}

#[test]
fn the_footer_offers_enter_only_when_the_fit_applies() {
    let mut app = example();
    press(&mut app, "f");
    let footer = footer_hints(&mut app);
    assert!(footer.contains("Esc"), "{footer}");
    assert!(
        !footer.contains("Enter"),
        "no budget, nothing to apply: {footer}"
    );
    press(&mut app, "<esc> b 62000 <enter> f");
    let footer = footer_hints(&mut app);
    assert!(footer.contains("Enter apply"), "{footer}");
    // Applied, it is already the largest: nothing left to apply.
    press(&mut app, "<enter> f");
    let footer = footer_hints(&mut app);
    assert!(!footer.contains("Enter"), "already the largest: {footer}");
}

#[test]
fn fit_names_the_layer_that_holds_the_budget() {
    let mut app = example();
    press(&mut app, "b 1000 <enter> f");
    let Mode::Solve(v) = &app.mode else {
        panic!("no popup");
    };
    // With the first LSTM at 1 unit, the second (64 units on 1 feature) is the largest.
    let second = lstm(64, 1);
    assert_eq!(second, 16_896);
    let why = v.result.as_ref().expect_err("nothing fits").to_string();
    assert!(
        why.contains(
            "lstm_1 alone is 16,896 > 1,000 parameters: shrink lstm_1 or raise the budget"
        ),
        "{why}"
    );
    let shown = screen(&render(&mut app, 80, 24));
    assert!(shown.contains("lstm_1 alone is 16,896"), "{shown}");
}

/// residual_dense_projection (Keras' own JSON) with the tied pair at `w`: Dense 24→64, Dense
/// 64→w, Dense 24→w without bias, BatchNormalization 4w, Dense w→10.
fn projection_total(w: u64) -> u64 {
    dense(64, 24) + dense(w, 64) + 24 * w + 4 * w + dense(10, w)
}

#[test]
fn fitting_one_side_of_an_add_names_and_moves_the_other() {
    use lstm_tui::app::App;
    use lstm_tui::model::{Convention, Layer, layer_names};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_graph/residual_dense_projection.json");
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON");
    let design = lstm_tui::interop::design_from_keras_json(&fixture["keras_json"].to_string())
        .expect("imports");
    let names = layer_names(&design.layers);
    let at = |n: &str| names.iter().position(|x| x == n).expect("a layer");
    let mut app = App::new(design, Convention::Keras);
    press(&mut app, "b 20000 <enter>");
    for _ in 0..at("dense_1") {
        press(&mut app, "j");
    }
    press(&mut app, "f");
    let Mode::Solve(v) = &app.mode else {
        panic!("no popup");
    };
    let p = v.result.as_ref().expect("a proposal");
    assert_eq!(p.tied, vec![vec![at("dense_1"), at("dense_2")]]);
    let text = screen(&render(&mut app, 120, 40));
    for part in [
        "Largest size of dense_1 (Dense)",
        "tied by a merge, moved as one: dense_1 = dense_2",
    ] {
        assert!(text.contains(part), "{part}:\n{text}");
    }
    press(&mut app, "<enter>");
    let w = (1..10_000)
        .take_while(|&w| projection_total(w) <= 20_000)
        .last()
        .expect("fits");
    for name in ["dense_1", "dense_2"] {
        let Layer::Dense(d) = &app.design.layers[at(name)] else {
            panic!("not a Dense");
        };
        assert_eq!(d.units, w, "{name}");
    }
    assert_eq!(app.total(), Some(projection_total(w)));
}
