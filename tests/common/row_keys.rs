//! Which fields of a summary row are compared with Keras.

/// The fields of a summary row that must equal Keras' own: what every fixture and differential
/// comparison checks.
pub const ROW_KEYS: [&str; 6] = [
    "name",
    "class",
    "output_shape",
    "params",
    "trainable",
    "non_trainable",
];
