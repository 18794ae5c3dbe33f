//! `Activation`: a function applied element by element.

use serde::{Deserialize, Serialize};

use super::{Catalogued, Keras, KerasFacts, Kind, Knob, KnobValue, NONE_NOTE, is_true, yes};
use crate::model::compute::{Tally, zero};
use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink};

/// `keras.layers.Activation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Activation {
    /// The function: `relu`, `tanh`, `softmax`, ...
    pub activation: String,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Activation {
    fn default() -> Self {
        Self {
            activation: "relu".into(),
            name: None,
            trainable: true,
        }
    }
}

impl Keras for Activation {
    const FACTS: KerasFacts = KerasFacts {
        required: &["activation"],
        positional: &["activation"],
        leading: 1,
        ..KerasFacts::PLAIN
    };
}

impl Kind for Activation {
    fn auto_name(&self) -> &'static str {
        "activation"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        Ok(Output::One(input.clone()))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, _: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        e.step("Activation has no weights", "0", 0);
        e.note(format!(
            "Applies {} to every element; a fixed function learns nothing, so 0 parameters.",
            self.activation
        ));
        e.note(NONE_NOTE);
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "Activation applies its function to each value on its own: there are no weights to multiply.".into()
        }))
    }
    fn brief(&self) -> String {
        format!("Activation {}", self.activation)
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn set_name(&mut self, name: Option<String>) {
        self.name = name;
    }
    fn trainable(&self) -> bool {
        self.trainable
    }
    fn maps_over_lists(&self) -> bool {
        true
    }
}
