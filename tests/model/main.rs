//! The pure model, headless: counts, shapes, MACs, memory, solving and diffs against formulas
//! written out in the tests, and the layering rule that keeps it pure. One binary for the
//! model layer; each module was once its own test file.

mod attention;
mod compute;
mod diff;
mod graph_branches;
mod graph_names;
mod graph_references;
mod keras_refusals;
mod memory;
mod model_props;
mod model_purity;
mod shape_errors;
mod solve;
mod solve_budgets;
mod solve_graphs;
mod ties;

/// The helpers in tests/common/ this binary uses.
#[path = "../common"]
mod common {
    mod fixtures;
    mod keras_counts;

    pub use fixtures::*;
    pub use keras_counts::*;
}
