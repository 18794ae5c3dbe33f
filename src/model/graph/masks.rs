//! Keras' rules for the mask an `Embedding(mask_zero=True)` starts: which calls receive it as
//! their `mask` keyword, and which hand it on to their output. The summary's `NotEqual` rows
//! and "Connected to" entries and the PyTorch export's masking both follow them.

use crate::model::layers::Kind;

/// Whether a kind's call takes a `mask` (Keras passes the incoming tensor's mask to it).
pub(crate) fn takes_mask(kind: &dyn Kind) -> bool {
    kind.go_backwards().is_some()
        || matches!(
            kind.class(),
            "Bidirectional" | "TimeDistributed" | "GlobalAveragePooling1D"
        )
}

/// Whether a kind's call hands its input's mask on to its output (layers mapping over a list,
/// recurrent layers keeping the time axis), when called without keyword tensors.
pub(crate) fn passes_mask(kind: &dyn Kind) -> bool {
    kind.maps_over_lists() || (kind.go_backwards().is_some() && !kind.drops_time_axis())
}
