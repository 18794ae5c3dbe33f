//! Moving designs in and out of lstm-tui: Keras JSON and Python code in; Keras code, PyTorch
//! code and Keras JSON out. Summaries as text, Markdown and JSON are in [`crate::report`].

pub mod export;
pub mod export_keras;
mod export_keras_graph;
mod keras_functional;
pub mod keras_json;
pub mod python;
pub mod torch;

pub use keras_json::{
    ImportError, design_from_keras_json, keras_json, layer_from_keras, layer_from_saved,
};
