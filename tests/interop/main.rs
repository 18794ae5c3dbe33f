//! Import and the recorded framework output: Keras JSON and Python sources in, every row and
//! total compared with what real Keras and PyTorch recorded in tests/fixtures/.

mod graph_edit;
mod graph_wire;
mod keras_blocks;
mod keras_fixtures;
mod keras_graph;
mod keras_graph_export;
mod keras_masks;
mod python_conditions;
mod python_graph;
mod python_import;
mod summary_widths;
mod torch_audio;
mod torch_fixtures;
mod torch_graph_export;
mod torch_image;

/// The helpers in tests/common/ this binary uses.
#[path = "../common"]
mod common {
    mod fixture_coverage;
    mod fixtures;
    mod keras_design;
    mod row_keys;

    pub use fixture_coverage::*;
    pub use fixtures::*;
    pub use keras_design::*;
    pub use row_keys::*;
}
