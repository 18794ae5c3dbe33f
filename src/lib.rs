//! lstm-tui: a terminal model designer whose numbers match Keras (and PyTorch on request).

pub mod app;
pub mod caps;
pub mod cli;
pub mod input;
pub mod interop;
pub mod model;
pub mod report;
pub mod store;
pub mod terminal;
pub mod theme;
pub mod ui;
