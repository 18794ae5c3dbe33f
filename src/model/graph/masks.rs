//! Keras' rules for the mask an `Embedding(mask_zero=True)` starts: which calls receive it as
//! their `mask` keyword, and which hand it on to their output. The summary's `NotEqual` rows
//! and "Connected to" entries and the PyTorch export's masking both follow them; each kind's
//! part is its [`MaskUse`](crate::model::layers::MaskUse), recorded from Keras.

use crate::model::layers::Kind;

/// Whether a kind's call takes a `mask` (Keras passes the incoming tensor's mask to it).
pub(crate) fn takes_mask(kind: &dyn Kind) -> bool {
    kind.keras().mask.takes()
}

/// Whether a kind's call hands its input's mask on to its output: kinds that keep it, a
/// recurrent one only while it returns sequences.
pub(crate) fn passes_mask(kind: &dyn Kind) -> bool {
    kind.keras().mask.passes() && !kind.drops_time_axis()
}
