//! Inputs that broke the design loader, or sit on its edges (found by the fuzz target in
//! `fuzz/` or written by hand): each must load or fail with a message, never panic, and a
//! design that loads must save and load back the same.

use std::fs;
use std::path::Path;

use lstm_tui::model::{Convention, Summary};
use lstm_tui::store::{parse_design, parse_design_bytes, to_ron};

#[test]
fn every_regression_input_loads_or_fails_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/designs/fuzz_regressions");
    let mut count = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = fs::read(&path).unwrap();
        count += 1;
        match parse_design_bytes(&bytes) {
            Ok(design) => {
                let text = to_ron(&design);
                let back = parse_design(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
                // Through Debug: a NaN rate is not equal to itself but prints the same.
                assert_eq!(
                    format!("{back:?}"),
                    format!("{design:?}"),
                    "{}",
                    path.display()
                );
                assert_eq!(to_ron(&back), text, "{}", path.display());
                // What loads must also be summarised without a panic.
                let _ = Summary::of(&design, Convention::Keras);
                let _ = Summary::of(&design, Convention::PyTorch);
            }
            Err(e) => {
                assert!(e.line >= 1 && e.column >= 1, "{}: {e}", path.display());
                assert!(
                    !e.message.chars().any(char::is_control),
                    "{}: {e:?}",
                    path.display()
                );
            }
        }
    }
    assert!(count > 0, "no regression inputs in {}", dir.display());
}
