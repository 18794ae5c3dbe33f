//! Proof that a fixture-driven test went through every fixture file it was given.

use std::fs;
use std::path::Path;

/// Asserts that a fixture-driven test checked `ran` cases: more than none, and at least one
/// for each `.ext` file in `dir`, so a fixture skipped or an emptied folder fails it.
pub fn assert_ran_every_fixture(dir: &str, ext: &str, ran: usize) {
    let present = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == ext))
                .count()
        })
        .unwrap_or(0);
    assert!(
        ran > 0 && ran >= present,
        "checked {ran} case(s) over {present} .{ext} file(s) in {dir}"
    );
}
