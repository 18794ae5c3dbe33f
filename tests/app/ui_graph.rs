//! The designer opens graph designs (several inputs, shared layers, states handed on) and
//! shows each layer's row, the totals and the detail without panicking; rewiring them is not
//! an editing action yet.

use std::path::Path;

use crate::common::{press, render, screen};
use lstm_tui::app::{Action, App};
use lstm_tui::model::{Convention, Summary};
use lstm_tui::store::parse_design;

#[test]
fn graph_designs_open_with_their_rows_totals_and_details() {
    for file in ["seq2seq_graph.ron", "siamese_graph.ron"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/designs/valid")
            .join(file);
        let design = parse_design(&std::fs::read_to_string(&path).expect("readable"))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let summary = Summary::of(&design, Convention::Keras);
        assert!(summary.is_ok(), "{file}: {:?}", summary.error);
        let total = lstm_tui::report::numbers::thousands(summary.totals.total().expect("counts"));
        let mut app = App::new(design.clone(), Convention::Keras);
        for (w, h) in [(80, 24), (120, 40)] {
            let text = screen(&render(&mut app, w, h));
            assert!(
                text.contains(&total),
                "{file} at {w}×{h} shows the total {total}:\n{text}"
            );
        }
        for i in 0..design.layers.len() {
            // Inputs and shared calls have rows of their own: go down to the layer's.
            while app.layer_index() != Some(i) && app.selected + 1 < app.rows() {
                app.update(Action::Down);
            }
            let text = screen(&render(&mut app, 120, 40));
            let row = summary.row_of(i).expect("built");
            assert!(
                text.contains(row.name.as_str()),
                "{file}: layer {i} ({}) is shown:\n{text}",
                row.name
            );
        }
        // Deleting layers leaves references to names that are gone: refused in place, never a
        // panic.
        for _ in 0..design.layers.len() {
            press(&mut app, "d");
            let _ = screen(&render(&mut app, 80, 24));
        }
        assert!(
            app.design.layers.len() < design.layers.len(),
            "{file}: d deletes"
        );
    }
}
