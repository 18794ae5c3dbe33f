//! The domain: designs, shapes, parameter counts and their derivations. Pure: std, serde and
//! smallvec (shapes held in place) only, no terminal, no files, so every number can be tested
//! and reused headless.

pub mod budget;
pub mod compute;
pub mod design;
pub mod diff;
pub mod error;
pub mod explain;
pub mod graph;
pub mod layers;
pub mod marginal;
pub mod memory;
pub mod name;
pub mod shape;
pub mod solve;
pub mod summary;
pub mod ties;
pub mod weights;

pub use budget::{Budget, Gauge, Measure, Precision};
pub use compute::{MACS_CONVENTION, Tally};
pub use design::{Design, Dtype, Input};
pub use error::{LayerError, Located, Pos, ShapeError};
pub use explain::{Explanation, Step};
pub use layers::{Kind, Layer};
pub use name::Name;
pub use shape::{Output, Shape};
pub use summary::{
    Ends, LayerState, Layout, Link, PassedMask, Row, Source, Summary, Wired, Wiring, layer_names,
};
pub use weights::{Convention, Params, Weight, Weights};
