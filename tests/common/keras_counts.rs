//! Keras' parameter counts written out from its formulas, for tests that check the numbers a
//! screen shows.

/// Keras' LSTM count: 4 gates, each a dense layer over [h, x] with one bias vector.
pub fn lstm(units: u64, inputs: u64) -> u64 {
    4 * (units * (units + inputs) + units)
}

/// Keras' Dense count.
pub fn dense(units: u64, inputs: u64) -> u64 {
    inputs * units + units
}
