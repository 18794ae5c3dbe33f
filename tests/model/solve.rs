//! The solver's proposals, checked against sizes found by brute force over Keras' formulas.

use crate::common::{dense, lstm};
use lstm_tui::model::layers::{KnobValue, Layer};
use lstm_tui::model::solve::{SolveError, largest_size, scale_widths};
use lstm_tui::model::{Convention, Design, Precision, Summary};
use proptest::prelude::*;

/// The example's total with the first LSTM at `u` units.
fn example_total(u: u64) -> u64 {
    lstm(u, 6) + lstm(64, u) + dense(64, 64) + dense(64, 64) + dense(6, 64)
}

fn with_params_budget(limit: u64) -> Design {
    let mut d = Design::example();
    d.budget.params = Some(limit);
    d
}

#[test]
fn largest_first_lstm_under_60k_matches_brute_force() {
    let expected = (1..1000)
        .rev()
        .find(|&u| example_total(u) <= 60_000)
        .unwrap();
    let p = largest_size(&with_params_budget(60_000), 0, 1, Convention::Keras).unwrap();
    assert_eq!(p.changes[0].new, expected);
    assert_eq!(p.changes[0].old, 64);
    assert_eq!(p.changes[0].field, "units");
    assert_eq!(p.total, example_total(expected));
}

#[test]
fn multiple_of_eight_is_respected() {
    let expected = (1..200)
        .rev()
        .map(|k| k * 8)
        .find(|&u| example_total(u) <= 60_000)
        .unwrap();
    let p = largest_size(&with_params_budget(60_000), 0, 8, Convention::Keras).unwrap();
    assert_eq!(p.changes[0].new, expected);
    assert_eq!(p.changes[0].new % 8, 0);
}

#[test]
fn memory_budget_counts_bytes_at_the_precision() {
    let mut d = Design::example();
    // 120,000 bytes at fp16 = 60,000 parameters.
    d.budget.memory = Some(120_000);
    d.budget.precision = Precision::Fp16;
    let p = largest_size(&d, 0, 1, Convention::Keras).unwrap();
    let expected = (1..1000)
        .rev()
        .find(|&u| example_total(u) * 2 <= 120_000)
        .unwrap();
    assert_eq!(p.changes[0].new, expected);
}

#[test]
fn refuses_what_it_cannot_solve() {
    assert_eq!(
        largest_size(&Design::example(), 0, 1, Convention::Keras),
        Err(SolveError::NoBudget)
    );
    let d = with_params_budget(60_000);
    assert!(matches!(
        largest_size(&d, 1, 1, Convention::Keras),
        Err(SolveError::NoSize("Dropout"))
    ));
    assert_eq!(
        largest_size(&d, 99, 1, Convention::Keras),
        Err(SolveError::NoSuchLayer(99))
    );
    assert_eq!(
        largest_size(&d, 0, 0, Convention::Keras),
        Err(SolveError::BadMultiple)
    );
    // The other layers alone exceed 1,000 parameters.
    assert!(matches!(
        largest_size(&with_params_budget(1_000), 0, 1, Convention::Keras),
        Err(SolveError::OverBudget(_))
    ));
}

#[test]
fn scale_keeps_the_output_layer_and_fits() {
    let d = with_params_budget(30_000);
    let p = scale_widths(&d, 8, Convention::Keras).unwrap();
    assert!(p.total <= 30_000);
    assert!(p.changes.iter().all(|c| c.new % 8 == 0));
    assert!(p.changes.iter().all(|c| c.layer != d.layers.len() - 1));
    let last = p.design.layers.last().unwrap().kind().knob().unwrap().value;
    assert_eq!(last, KnobValue::Count(6));
}

fn units(l: &Layer) -> u64 {
    match l.kind().knob().map(|k| k.value) {
        Some(KnobValue::Count(v)) => v,
        _ => unreachable!(),
    }
}

proptest! {
    /// The proposal fits, and one more step of the multiple does not.
    #[test]
    fn proposal_is_the_edge(limit in 9_000u64..2_000_000, layer in prop::sample::select(vec![0usize, 2, 3, 4]), multiple in prop::sample::select(vec![1u64, 8, 16, 64])) {
        let d = with_params_budget(limit);
        match largest_size(&d, layer, multiple, Convention::Keras) {
            Ok(p) => {
                let size = p.changes[0].new;
                prop_assert_eq!(size % multiple, 0);
                let total = Summary::of(&p.design, Convention::Keras).totals.total().unwrap();
                prop_assert!(total <= limit);
                let mut bigger = p.design.clone();
                bigger.layers[layer].kind_mut().set_knob(KnobValue::Count(size + multiple));
                let over = Summary::of(&bigger, Convention::Keras).totals.total().unwrap();
                prop_assert!(over > limit, "size {} + {} still fits: {} <= {}", size, multiple, over, limit);
                prop_assert_eq!(units(&p.design.layers[layer]), size);
            }
            Err(SolveError::OverBudget(_)) => {
                let mut smallest = d.clone();
                smallest.layers[layer].kind_mut().set_knob(KnobValue::Count(multiple));
                let t = Summary::of(&smallest, Convention::Keras).totals.total().unwrap();
                prop_assert!(t > limit);
            }
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
    }
}

#[test]
fn one_more_lstm_unit_costs_its_own_and_the_next_layers_growth() {
    use lstm_tui::model::marginal::marginal;
    let m = marginal(&Design::example(), 0, Convention::Keras).unwrap();
    // d/dh of 4·(h·(h+6)+h) at h=64 (exact difference), plus LSTM_1's kernel row: 4·64.
    let own = lstm(65, 6) - lstm(64, 6);
    let next = lstm(64, 65) - lstm(64, 64);
    assert_eq!(
        m.rows,
        vec![
            ("lstm".to_string(), own as i128),
            ("lstm_1".to_string(), next as i128)
        ]
    );
    assert_eq!(m.total, (own + next) as i128);
    assert_eq!(m.next_multiple_of_8, Some((72, example_total(72))));
}

#[test]
fn over_budget_says_how_far_and_which_layer_holds_the_most() {
    // The first Dense at 1 unit: both LSTMs, Dense 64 → 1, Dense 1 → 64, Dense 64 → 6.
    let smallest = lstm(64, 6) + lstm(64, 64) + dense(1, 64) + dense(64, 1) + dense(6, 64);
    assert_eq!(smallest, 51_783);
    let second_lstm = lstm(64, 64);
    let e = largest_size(&with_params_budget(50_000), 3, 1, Convention::Keras).unwrap_err();
    assert_eq!(e.minimum_total(), Some(smallest));
    assert_eq!(
        e.to_string(),
        "even with units = 1 the design needs 51,783 > 50,000 parameters, lstm_1 the most (33,024): shrink lstm_1 or raise the budget"
    );
    assert_eq!(second_lstm, 33_024);
    // Under a budget smaller than one layer, that layer alone is the reason.
    let e = largest_size(&with_params_budget(30_000), 3, 1, Convention::Keras).unwrap_err();
    assert_eq!(
        e.to_string(),
        "lstm_1 alone is 33,024 > 30,000 parameters: shrink lstm_1 or raise the budget"
    );
}

#[test]
fn a_design_that_does_not_build_is_named_as_the_reason() {
    let mut d = with_params_budget(60_000);
    // The second LSTM needs a sequence; without return_sequences the first gives a vector.
    if let Layer::Lstm(l) = &mut d.layers[0] {
        l.return_sequences = false;
    }
    let e = largest_size(&d, 0, 1, Convention::Keras).unwrap_err();
    assert!(
        matches!(&e, SolveError::DoesNotBuild(s) if s.index == 2),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with("the design does not build: layer 3, lstm_1 (LSTM)"),
        "{e}"
    );
    assert_eq!(e.minimum_total(), None);
}
