//! The fixture files a test reads, found on disk so that a new file is a new case.

use std::fs;
use std::path::{Path, PathBuf};

/// The files ending in `.ext` in fixture folder `dir` (relative to the crate), sorted. Panics
/// when there are none: a test over an empty folder checks nothing.
pub fn fixture_files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("fixture folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .{ext} fixtures in {}", dir.display());
    files
}
