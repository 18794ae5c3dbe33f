//! The kinds that hold no weights and keep their input's shape (activations as layers, noise,
//! masking, ...) answer a few questions each; `weightless!` writes their `Kind` impl from those
//! answers, so the counting, derivation and MACs of all of them read alike.

use super::Catalogued;
use crate::model::error::LayerError;
use crate::model::shape::Shape;

/// What a weightless, shape-keeping kind says about itself.
pub(crate) trait Weightless: Catalogued {
    /// The base of Keras' automatic names (`re_lu`, `gaussian_noise`).
    const AUTO: &'static str;
    /// What the layer does to each sample, one sentence for the derivation.
    fn what(&self) -> String;
    /// What PyTorch writes for it, one sentence for the derivation.
    fn torch_note(&self) -> String;
    /// Why it multiplies no weights, for the MACs derivation.
    fn no_macs(&self) -> &'static str;
    /// The input ranks it takes and the field values Keras refuses.
    fn check(&self, _input: &Shape) -> Result<(), LayerError> {
        Ok(())
    }
    /// One line with the key fields, as the layer list shows it.
    fn line(&self) -> String;
    /// The rate the `+`/`-` nudge changes, for the kinds that have one.
    fn rate(&self) -> Option<f64> {
        None
    }
    /// Sets that rate (already clamped and rounded).
    fn put_rate(&mut self, _rate: f64) {}
    /// Whether Keras applies it to each tensor of a list (its activation layers do).
    const LISTS: bool = false;
    /// The bases of the layers its constructor makes, which take their names before the next
    /// layer's (see [`Kind::sublayer_names`](super::Kind::sublayer_names)).
    fn sublayers(&self) -> &'static [&'static str] {
        &[]
    }
}

/// Writes `Kind` for each weightless kind from its [`Weightless`] answers.
macro_rules! weightless {
    ($($ty:ty),+ $(,)?) => {$(
        impl $crate::model::layers::Kind for $ty {
            fn auto_name(&self) -> &'static str {
                <$ty as $crate::model::layers::weightless::Weightless>::AUTO
            }
            fn output(
                &self,
                input: &$crate::model::shape::Shape,
            ) -> Result<$crate::model::shape::Output, $crate::model::error::LayerError> {
                $crate::model::layers::weightless::Weightless::check(self, input)?;
                Ok($crate::model::shape::Output::One(input.clone()))
            }
            fn weights(
                &self,
                _: &$crate::model::shape::Shape,
                _: $crate::model::weights::Convention,
                _: $crate::model::weights::Sink,
            ) -> Result<(), $crate::model::error::LayerError> {
                Ok(())
            }
            fn explain(
                &self,
                _: &$crate::model::shape::Shape,
                _: $crate::model::weights::Convention,
            ) -> Result<$crate::model::explain::Explanation, $crate::model::error::LayerError> {
                use $crate::model::layers::weightless::Weightless;
                let mut e = $crate::model::explain::Explanation::default();
                $crate::model::layers::no_weights(&mut e, self.class(), &self.what());
                e.note("The output shape equals the input shape.");
                let made = self.sublayers();
                if !made.is_empty() {
                    e.note(format!(
                        "Keras' constructor makes layers of its own ({}), which take those automatic names first: a later layer of one of those kinds is numbered after them.",
                        made.join(", ")
                    ));
                }
                e.note(self.torch_note());
                Ok(e)
            }
            fn macs(
                &self,
                _: &$crate::model::shape::Shape,
                _: &$crate::model::shape::Output,
                tally: &mut $crate::model::compute::Tally,
            ) -> Result<u64, $crate::model::error::LayerError> {
                use $crate::model::layers::weightless::Weightless;
                Ok($crate::model::compute::zero(tally, self.class(), || self.no_macs().into()))
            }
            fn brief(&self) -> String {
                $crate::model::layers::weightless::Weightless::line(self)
            }
            fn knob(&self) -> Option<$crate::model::layers::Knob> {
                $crate::model::layers::weightless::Weightless::rate(self).map(|r| {
                    $crate::model::layers::Knob {
                        field: "rate",
                        value: $crate::model::layers::KnobValue::Rate(r),
                    }
                })
            }
            fn set_knob(&mut self, value: $crate::model::layers::KnobValue) {
                if let $crate::model::layers::KnobValue::Rate(r) = value {
                    // Dropout's nudge: within 0..1, in hundredths.
                    let r = (r.clamp(0.0, 1.0) * 100.0).round() / 100.0;
                    $crate::model::layers::weightless::Weightless::put_rate(self, r);
                }
            }
            fn maps_over_lists(&self) -> bool {
                <$ty as $crate::model::layers::weightless::Weightless>::LISTS
            }
            fn sublayer_names(&self) -> &'static [&'static str] {
                $crate::model::layers::weightless::Weightless::sublayers(self)
            }
            name_and_trainable!();
        }
    )+};
}

/// Keras' refusal of a rate outside 0..1 (also NaN).
pub(crate) fn rate_in_unit(field: &'static str, rate: f64) -> Result<(), LayerError> {
    if (0.0..=1.0).contains(&rate) {
        Ok(())
    } else {
        Err(LayerError::field(
            field,
            format!("{rate} is outside 0 to 1: Keras takes a fraction such as 0.1"),
        ))
    }
}

/// Keras' refusal of a negative (or NaN) factor.
pub(crate) fn not_negative(field: &'static str, x: f64) -> Result<(), LayerError> {
    if x >= 0.0 {
        Ok(())
    } else {
        Err(LayerError::field(
            field,
            format!("{x} is negative: Keras takes 0 or more"),
        ))
    }
}

/// The rank a kind needs, or the error saying so with a fix.
pub(crate) fn needs_rank(
    input: &Shape,
    ndim: usize,
    layout: &str,
    fix: &str,
) -> Result<(), LayerError> {
    if input.ndim() == ndim {
        Ok(())
    } else {
        Err(LayerError::shape(layout, input, fix))
    }
}
