//! The solver on graphs: widths a merge ties move as one free size, a width a model input pins
//! is refused with the reason, and the proposal is the exact edge of the budget. Totals are
//! Keras' formulas written out here, anchored to the recorded Keras total.

use std::fs;
use std::path::Path;

use crate::common::dense;
use crate::ties::{graph_design, index_of};
use lstm_tui::model::layers::KnobValue;
use lstm_tui::model::marginal::marginal;
use lstm_tui::model::solve::{SolveError, largest_size, scale_widths};
use lstm_tui::model::ties::Ties;
use lstm_tui::model::{Convention, Design, Summary};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras_graph")
        .join(format!("{name}.json"));
    serde_json::from_str(&fs::read_to_string(path).expect("readable")).expect("JSON")
}

/// residual_dense_projection with `dense` at `a` units and the tied pair (`dense_1`, and the
/// bias-free shortcut `dense_2`) at `w`: Dense 24→a, Dense a→w, Dense 24→w without bias,
/// BatchNormalization 4w, Dense w→10.
fn projection_total(a: u64, w: u64) -> u64 {
    dense(a, 24) + dense(w, a) + 24 * w + 4 * w + dense(10, w)
}

fn with_params(mut d: Design, limit: u64) -> Design {
    d.budget.params = Some(limit);
    d
}

fn size(d: &Design, i: usize) -> u64 {
    match d.layers[i].kind().knob().map(|k| k.value) {
        Some(KnobValue::Count(v)) => v,
        other => panic!("layer {i} has no size: {other:?}"),
    }
}

#[test]
fn the_formula_is_keras_total() {
    let total = fixture("residual_dense_projection")["expected"]["total"].as_u64();
    assert_eq!(Some(projection_total(64, 64)), total);
}

#[test]
fn a_tied_pair_moves_as_one_to_the_exact_edge() {
    let base = graph_design("residual_dense_projection");
    let (d1, d2) = (index_of(&base, "dense_1"), index_of(&base, "dense_2"));
    for limit in [8_202, 9_000, 20_000, 123_457] {
        for multiple in [1u64, 8, 16] {
            let expected = (1..10_000u64)
                .map(|s| s * multiple)
                .take_while(|&w| projection_total(64, w) <= limit)
                .last()
                .expect("something fits");
            for fitted in [d1, d2] {
                let p = largest_size(
                    &with_params(base.clone(), limit),
                    fitted,
                    multiple,
                    Convention::Keras,
                )
                .unwrap_or_else(|e| panic!("{limit} × {multiple}: {e}"));
                assert_eq!(p.changes[0].layer, fitted);
                assert_eq!(
                    (size(&p.design, d1), size(&p.design, d2)),
                    (expected, expected)
                );
                assert_eq!(p.total, projection_total(64, expected));
                assert!(projection_total(64, expected + multiple) > limit);
                let mut moved: Vec<usize> = p.changes.iter().map(|c| c.layer).collect();
                moved.sort_unstable();
                assert_eq!(moved, vec![d1.min(d2), d1.max(d2)]);
                assert_eq!(p.tied.len(), 1);
                assert!(p.changes.iter().all(|c| c.old == 64 && c.new == expected));
            }
        }
    }
}

#[test]
fn a_width_a_model_input_pins_is_refused_with_the_reason() {
    let d = with_params(graph_design("residual_dense_block"), 5_000);
    let e = largest_size(&d, index_of(&d, "dense_1"), 1, Convention::Keras).unwrap_err();
    assert!(
        matches!(&e, SolveError::Pinned { layer, by } if layer == "dense_1" && by.contains("`features`")),
        "{e:?}"
    );
    assert!(e.to_string().contains("cannot move"), "{e}");
    // The block's first Dense is free: Dense 32→u, Dense u→32, Dense 32→1.
    let first = largest_size(&d, index_of(&d, "dense"), 1, Convention::Keras).unwrap();
    let total = |u: u64| dense(u, 32) + dense(32, u) + dense(1, 32);
    let u = first.changes[0].new;
    assert!(total(u) <= 5_000 && total(u + 1) > 5_000, "{u}");
    assert!(first.tied.is_empty());
}

#[test]
fn scaling_every_width_keeps_tied_widths_equal() {
    let base = graph_design("residual_dense_projection");
    let (a, d1, d2, out) = (
        index_of(&base, "dense"),
        index_of(&base, "dense_1"),
        index_of(&base, "dense_2"),
        index_of(&base, "dense_3"),
    );
    for limit in [5_000u64, 20_000, 60_000] {
        // Every hidden width starts at 64, so one factor gives them one size s.
        let expected = (1..10_000u64)
            .take_while(|&s| projection_total(s, s) <= limit)
            .last()
            .expect("something fits");
        let p = scale_widths(&with_params(base.clone(), limit), 1, Convention::Keras).unwrap();
        let sizes = [a, d1, d2].map(|i| size(&p.design, i));
        assert_eq!(sizes, [expected; 3], "{limit}");
        assert_eq!(size(&p.design, out), 10, "the output width stays");
        assert_eq!(p.total, projection_total(expected, expected));
        assert_eq!(p.tied.len(), 1);
    }
}

#[test]
fn scaling_attention_scales_key_dim_and_keeps_the_heads() {
    let base = graph_design("transformer_encoder_block");
    let total = fixture("transformer_encoder_block")["expected"]["total"]
        .as_u64()
        .expect("a total");
    let p = scale_widths(&with_params(base.clone(), total / 2), 1, Convention::Keras).unwrap();
    let mha = index_of(&base, "multi_head_attention");
    let lstm_tui::model::Layer::MultiHeadAttention(after) = &p.design.layers[mha] else {
        panic!("not attention");
    };
    assert_eq!(after.num_heads, 2);
    assert!(after.key_dim < 32, "{}", after.key_dim);
    let tied = ["embedding", "embedding_1", "dense_1"].map(|n| size(&p.design, index_of(&base, n)));
    assert!(tied.iter().all(|&s| s == tied[0] && s < 32), "{tied:?}");
    assert_eq!(size(&p.design, index_of(&base, "dense_2")), 2);
    assert!(p.total <= total / 2);
}

#[test]
fn one_more_unit_costs_every_layer_tied_to_it() {
    let d = graph_design("residual_dense_projection");
    let m = marginal(&d, index_of(&d, "dense_1"), Convention::Keras).unwrap();
    let expected = projection_total(64, 65) - projection_total(64, 64);
    assert_eq!(m.total, i128::from(expected));
    let rows: Vec<&str> = m.rows.iter().map(|(n, _)| n.as_str()).collect();
    for name in ["dense_1", "dense_2", "batch_normalization", "dense_3"] {
        assert!(rows.contains(&name), "{rows:?}");
    }
}

/// Every size of every recorded functional model, at twice its Keras total: the proposal moves
/// every tied layer to one size, fits, and one more step does not; a tied width never makes
/// the design fail to build.
#[test]
fn every_graph_fixture_fits_exactly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keras_graph");
    let mut checked = 0;
    for path in crate::common::fixture_files("tests/fixtures/keras_graph", "json") {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a name")
            .to_string();
        let f = fixture(&name);
        let Some(total) = f["expected"]["total"].as_u64() else {
            continue;
        };
        assert!(dir.join(format!("{name}.json")).exists());
        let d = with_params(graph_design(&name), total * 2);
        let ties = Ties::for_design(&d, Convention::Keras);
        for i in 0..d.layers.len() {
            if !matches!(
                d.layers[i].kind().knob().map(|k| k.value),
                Some(KnobValue::Count(_))
            ) {
                continue;
            }
            for multiple in [1u64, 8] {
                let at = format!("{name} layer {i} × {multiple}");
                match largest_size(&d, i, multiple, Convention::Keras) {
                    Ok(p) => {
                        let new = p.changes[0].new;
                        assert!(p.changes.iter().all(|c| c.new == new), "{at}");
                        let moving = ties.moving_with(i).expect("not pinned");
                        assert_eq!(p.changes.len(), moving.len(), "{at}");
                        let s = Summary::of(&p.design, Convention::Keras);
                        assert!(d.budget.fits(&s), "{at}");
                        let mut next = p.design.clone();
                        for c in &p.changes {
                            next.layers[c.layer]
                                .kind_mut()
                                .set_knob(KnobValue::Count(new + multiple));
                        }
                        assert!(
                            !d.budget.fits(&Summary::of(&next, Convention::Keras)),
                            "{at}"
                        );
                        checked += 1;
                    }
                    Err(SolveError::Pinned { .. }) => assert!(ties.moving_with(i).is_err(), "{at}"),
                    // Even one multiple of every moving layer is over: fine, if it builds there.
                    Err(SolveError::OverBudget(_)) => {}
                    Err(e) => panic!("{at}: {e}"),
                }
            }
        }
    }
    assert!(checked > 50, "{checked}");
}

/// Every recorded functional model scaled to half its Keras total: tied layers share one
/// size, the proposal fits, and it never fails to build.
#[test]
fn every_graph_fixture_scales_within_budget() {
    let mut scaled = 0;
    for path in crate::common::fixture_files("tests/fixtures/keras_graph", "json") {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a name")
            .to_string();
        let Some(total) = fixture(&name)["expected"]["total"].as_u64() else {
            continue;
        };
        let d = with_params(graph_design(&name), total / 2);
        match scale_widths(&d, 1, Convention::Keras) {
            Ok(p) => {
                let ties = Ties::for_design(&d, Convention::Keras);
                for group in ties.groups() {
                    let sizes: Vec<u64> =
                        group.layers.iter().map(|&i| size(&p.design, i)).collect();
                    assert!(sizes.iter().all(|&s| s == sizes[0]), "{name}: {sizes:?}");
                    if group.pinned.is_some() || group.output {
                        let before: Vec<u64> = group.layers.iter().map(|&i| size(&d, i)).collect();
                        assert_eq!(sizes, before, "{name}: a pinned width moved");
                    }
                }
                assert!(
                    d.budget.fits(&Summary::of(&p.design, Convention::Keras)),
                    "{name}"
                );
                scaled += 1;
            }
            Err(SolveError::OverBudget(_) | SolveError::NoSize(_)) => {}
            Err(e) => panic!("{name}: {e}"),
        }
    }
    assert!(scaled > 20, "{scaled}");
}
