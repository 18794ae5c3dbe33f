//! lstm-tui: a terminal model designer whose numbers match Keras (and PyTorch on request).

pub mod interop;
pub mod model;
