//! Checks that run real programs: exported code in real Keras and PyTorch, random designs
//! against Keras, and the binary in a real terminal under tmux. Each lists its checks in
//! `checks()`, and what a check needs is looked for when it runs (see common/needs.rs), so this
//! binary runs without the built-in test harness.

use std::process::ExitCode;

mod e2e_blocks;
mod e2e_design;
mod e2e_fit_graph;
mod e2e_recovery;
mod e2e_session;
mod e2e_start_files;
mod e2e_summary_width;
mod e2e_tmux;
mod e2e_wiring;
mod export_keras;
mod export_keras_graph;
mod export_pytorch;
mod export_pytorch_attention;
mod export_pytorch_graph;
mod export_pytorch_resizing;
mod keras_differential;

/// The helpers in tests/common/ this binary uses.
#[path = "../common"]
mod common {
    mod exports;
    mod fixtures;
    mod keras_counts;
    pub mod needs;
    pub mod pty;
    mod row_keys;
    pub mod tmux;

    pub use exports::*;
    pub use keras_counts::*;
    pub use row_keys::*;
}

fn main() -> ExitCode {
    let code = common::needs::run(
        // The harness starts checks in this order, two at a time on two cores: the long
        // Python runs come first, longest first, so that the short ones fill the other core
        // at the end instead of one long run keeping a core busy after the rest are done.
        [
            export_pytorch::checks(),
            export_keras::checks(),
            export_pytorch_attention::checks(),
            keras_differential::checks(),
            export_keras_graph::checks(),
            export_pytorch_graph::checks(),
            export_pytorch_resizing::checks(),
            e2e_blocks::checks(),
            e2e_design::checks(),
            e2e_fit_graph::checks(),
            e2e_recovery::checks(),
            e2e_session::checks(),
            e2e_start_files::checks(),
            e2e_summary_width::checks(),
            e2e_tmux::checks(),
            e2e_wiring::checks(),
        ]
        .into_iter()
        .flatten()
        .collect(),
    );
    common::remove_jax_cache();
    code
}
