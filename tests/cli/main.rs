//! The headless commands, run as a user runs them (the real binary, real files, a temporary
//! config directory), files that are not regular files where the binary expects one, and the
//! README checked against the keymap and the files it names.

mod cli;
mod cli_columns;
mod cli_consistency;
mod cli_export_file;
mod cli_fit_graph;
mod cli_hostile;
mod cli_interop;
mod cli_output;
mod cli_width;
mod diff_large;
mod readme;
mod store_special_files;
mod summary_parts;

/// The helpers in tests/common/ this binary uses.
#[path = "../common"]
mod common {
    mod cli;
    mod fixture_coverage;
    mod fixtures;
    pub mod hostile;
    mod keras_counts;
    mod row_keys;

    pub use cli::*;
    pub use fixture_coverage::*;
    pub use fixtures::*;
    pub use keras_counts::*;
    pub use row_keys::*;
}
