//! Every number format lstm-tui prints, in one place: counts, signed changes and sizes. The
//! panes, the CLI and the summaries all call these, so a count never reads one way in the
//! TUI and another on stdout.

/// Counts with thousands separators (`18,176`). Defined in `model` because the derivations it
/// builds print counts, and `model` depends on nothing above it.
pub use crate::model::explain::thousands;
/// Memory budgets and the memory column in 1024-based units (`234.02 KiB`). Defined in `model`
/// because its memory explanation prints sizes.
pub use crate::model::memory::format_bytes;

/// A signed change with thousands separators: `+4,160`, `-64`, `+0`.
pub fn signed(n: i128) -> String {
    let sign = if n < 0 { '-' } else { '+' };
    let magnitude = u64::try_from(n.unsigned_abs()).unwrap_or(u64::MAX);
    format!("{sign}{}", thousands(magnitude))
}

/// Keras' `readable_memory_size`: divide by 1024 until below 1024, two decimals, `B` to `PB`
/// (`2.12 KB`). Kept exactly as Keras writes it, including dividing once more past `PB`.
pub fn keras_size(bytes: u128) -> String {
    const UNITS: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut size = bytes as f64;
    for unit in UNITS {
        if size / 1024.0 < 1.0 {
            return format!("{size:.2} {unit}");
        }
        size /= 1024.0;
    }
    format!("{size:.2} PB")
}

/// Memory for `params` float32 numbers, as Keras' summary prints it: `234.02 KB`.
pub fn float32_size(params: u64) -> String {
    keras_size(u128::from(params) * 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected strings are Python's `"{:.2f} {}".format(...)` of the same values (round half
    /// to even on the exact binary value), as Keras prints them.
    #[test]
    fn sizes_round_like_python() {
        assert_eq!(keras_size(352), "352.00 B");
        assert_eq!(keras_size(544 * 4), "2.12 KB");
        assert_eq!(keras_size(608 * 4), "2.38 KB");
        assert_eq!(keras_size(6_305_802 * 4), "24.05 MB");
        assert_eq!(keras_size(0), "0.00 B");
    }

    #[test]
    fn changes_carry_their_sign_and_separators() {
        assert_eq!(signed(4160), "+4,160");
        assert_eq!(signed(-64), "-64");
        assert_eq!(signed(0), "+0");
        assert_eq!(signed(-1_234_567), "-1,234,567");
    }
}
