//! Keras Python snippets imported as designs.

use lstm_tui::interop::python::design_from_python;

#[test]
fn smoke() {
    let src = std::fs::read_to_string("tests/fixtures/python/valid/seed_add_style.py").unwrap();
    let d = design_from_python(&src, "example");
    println!("{d:#?}");
    assert_eq!(d.unwrap(), lstm_tui::model::Design::example());
}
