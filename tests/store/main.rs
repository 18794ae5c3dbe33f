//! Designs, settings and themes on disk, through the store: round trips, refusals, atomic
//! saves, locks and recovery copies.

mod store_concurrent;
mod store_files;
mod store_fuzz_regressions;
mod store_invalid;
mod store_proptest;
mod store_quick_read;
mod store_recovery;
mod store_roundtrip;
mod store_save;

/// The helpers in tests/common/ this binary uses.
#[path = "../common"]
mod common {
    mod fixture_coverage;
    mod fixtures;

    pub use fixture_coverage::*;
    pub use fixtures::*;
}
