//! Large designs, for tests of what must stay cheap however many layers there are.

use lstm_tui::model::design::VERSION;
use lstm_tui::model::layers::Dense;
use lstm_tui::model::{Budget, Design, Dtype, Input, Layer, Shape};

/// `layers` Dense layers of `units` each on an input of 8 features, named "large".
pub fn dense_stack(layers: usize, units: u64) -> Design {
    Design {
        version: VERSION,
        name: "large".into(),
        input: Input {
            shape: Shape::known(&[8]),
            dtype: Dtype::Float32,
        },
        layers: vec![
            Layer::Dense(Dense {
                units,
                ..Dense::default()
            });
            layers
        ],
        budget: Budget::default(),
        graph: Default::default(),
    }
}
