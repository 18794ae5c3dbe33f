//! Any bytes given to the design loader must give a design or an error, never a panic, a hang
//! or a stack overflow; a design that loads must save and load back equal.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lstm_tui::store::{parse_design, parse_design_bytes, to_ron};

fuzz_target!(|data: &[u8]| {
    if let Ok(design) = parse_design_bytes(data) {
        let text = to_ron(&design);
        let back = parse_design(&text).expect("a saved design loads");
        // Compared through Debug: a NaN rate is not equal to itself, but prints the same.
        assert_eq!(format!("{back:?}"), format!("{design:?}"), "round trip");
        assert_eq!(to_ron(&back), text, "saving is stable");
    }
});
