//! The app driven by keys and mouse through the real keymap, and the screens it draws into a
//! test backend (snapshots in app/snapshots/), with the terminal capabilities they adapt to.

mod app_blocks;
mod app_budgets;
mod app_form_python;
mod app_history;
mod app_interop;
mod app_update;
mod app_wiring;
mod caps_color_level;
mod caps_glyphs;
mod caps_palette;
mod caps_sanitize;
mod conv_derivation;
mod conv_form;
mod derivation_keras_layers;
mod detail_derivation;
mod form_cells;
mod hostile_inputs;
mod lanes_layout;
mod resize_derivation;
mod resize_picker;
mod ui_compare_large;
mod ui_contrast;
mod ui_forms;
mod ui_graph;
mod ui_graph_read;
mod ui_hostile;
mod ui_lanes;
mod ui_reading;
mod ui_recovery;
mod ui_sgr16;
mod ui_snapshots;
mod ui_terminals;
mod ui_themes;
mod undo_memory;

/// The helpers in tests/common/ this binary uses.
#[path = "../common"]
mod common {
    mod app;
    mod cli;
    mod fixture_coverage;
    mod fixtures;
    pub mod hostile;
    mod keras_counts;
    pub mod large;

    pub use app::*;
    pub use cli::*;
    pub use fixture_coverage::*;
    pub use fixtures::*;
    pub use keras_counts::*;
}
