//! The Python importer on arbitrary text: it may refuse, never panic or hang; and whatever it
//! accepts must survive a Keras-code round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lstm_tui::interop::export_keras::keras_code;
use lstm_tui::interop::torch::pytorch_code;
use lstm_tui::interop::python::design_from_python;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(design) = design_from_python(source, "fuzz") {
        let code = keras_code(&design);
        let again = design_from_python(&code, "fuzz");
        assert_eq!(again.as_ref(), Ok(&design), "{code}");
        let _ = pytorch_code(&design);
    }
});
