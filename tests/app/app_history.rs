//! Undo and redo kept as differences: any sequence of edits undoes to every earlier design,
//! in order, and redoes to the last.

use lstm_tui::app::history::History;
use lstm_tui::model::layers::{Dense, Dropout};
use lstm_tui::model::{Design, Layer, Shape};
use proptest::prelude::*;

/// One change a user can make to a design.
#[derive(Debug, Clone)]
enum Op {
    Insert(usize, u64),
    Remove(usize),
    Swap(usize, usize),
    Widen(usize, u64),
    Rename(String),
    Input(u64),
    ReplaceAll(usize),
}

fn ops() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..20, 1u64..9).prop_map(|(i, u)| Op::Insert(i, u)),
        (0usize..20).prop_map(Op::Remove),
        (0usize..20, 0usize..20).prop_map(|(i, j)| Op::Swap(i, j)),
        (0usize..20, 1u64..9).prop_map(|(i, u)| Op::Widen(i, u)),
        "[a-z]{1,6}".prop_map(Op::Rename),
        (1u64..9).prop_map(Op::Input),
        (0usize..6).prop_map(Op::ReplaceAll),
    ]
}

fn dense(units: u64) -> Layer {
    Layer::Dense(Dense {
        units,
        ..Dense::default()
    })
}

fn apply(d: &mut Design, op: &Op) {
    let n = d.layers.len();
    match op {
        Op::Insert(i, u) => d.layers.insert(i % (n + 1), dense(*u)),
        Op::Remove(i) if n > 0 => {
            d.layers.remove(i % n);
        }
        Op::Swap(i, j) if n > 0 => d.layers.swap(i % n, j % n),
        Op::Widen(i, u) if n > 0 => {
            if let Layer::Dense(l) = &mut d.layers[i % n] {
                l.units = *u;
            }
        }
        Op::Rename(name) => d.name.clone_from(name),
        Op::Input(w) => d.input.shape = Shape::known(&[*w]),
        Op::ReplaceAll(k) => {
            d.layers = (0..*k)
                .map(|i| {
                    if i % 2 == 0 {
                        Layer::Dropout(Dropout::default())
                    } else {
                        dense(4)
                    }
                })
                .collect();
        }
        _ => {}
    }
}

proptest! {
    #[test]
    fn undo_walks_back_through_every_state_and_redo_forward(
        ops in prop::collection::vec(ops(), 1..30),
        back in 0usize..30,
        then in prop::option::of(ops()),
    ) {
        let mut design = Design::example();
        let mut states = vec![(design.clone(), 0usize)];
        let mut history = History::default();
        for (k, op) in ops.iter().enumerate() {
            let before = design.clone();
            apply(&mut design, op);
            if design != before {
                history.record(before, &design, states.len() - 1);
                states.push((design.clone(), k + 1));
            }
        }
        let last = states.len() - 1;
        // Undo all the way, checking each state and the selection recorded with it.
        let mut selected = 99;
        for k in (0..last).rev() {
            selected = history.undo(&mut design, selected).expect("an edit to undo");
            prop_assert_eq!(&design, &states[k].0);
            prop_assert_eq!(selected, k);
        }
        prop_assert!(history.undo(&mut design, selected).is_none());
        for (state, _) in &states[1..] {
            selected = history.redo(&mut design, selected).expect("an edit to redo");
            prop_assert_eq!(&design, state);
        }
        prop_assert!(history.redo(&mut design, selected).is_none());
        // Going back part of the way and editing again forgets what was undone.
        let back = back.min(last);
        for _ in 0..back {
            history.undo(&mut design, selected);
        }
        prop_assert_eq!(&design, &states[last - back].0);
        if let Some(op) = then {
            let before = design.clone();
            apply(&mut design, &op);
            if design != before {
                history.record(before.clone(), &design, 0);
                prop_assert!(history.redo(&mut design, 0).is_none());
                history.undo(&mut design, 0);
                prop_assert_eq!(&design, &before);
            }
        }
    }
}
