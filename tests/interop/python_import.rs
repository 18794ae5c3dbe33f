//! Keras Python snippets imported as designs: every file in `tests/fixtures/python/valid`
//! must import to what its header says, every file in `tests/fixtures/python/invalid` must be
//! refused at the line, column and with the message its first line gives.

use std::fs;
use std::path::{Path, PathBuf};

use lstm_tui::interop::python::design_from_python;
use lstm_tui::model::{Convention, Design, Summary};

fn fixtures(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/python")
        .join(folder);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

/// The value of a `# key: value` header line.
fn header<'a>(source: &'a str, key: &str) -> Option<&'a str> {
    source
        .lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix(&format!("# {key}")))
        .map(|rest| rest.trim_start_matches(':').trim())
}

fn dims(design: &Design) -> String {
    design
        .input
        .shape
        .0
        .iter()
        .map(|d| d.map_or("None".to_string(), |d| d.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The design under the built-in example's name: code names it as Keras names the model.
fn as_example(design: Design) -> Design {
    Design {
        name: Design::example().name,
        ..design
    }
}

#[test]
fn valid_snippets_import_as_their_headers_say() {
    for path in fixtures("valid") {
        let source = fs::read_to_string(&path).expect("fixture");
        let name = path.display();
        let design = design_from_python(&source).unwrap_or_else(|e| panic!("{name}: {e}"));
        let summary = Summary::of(&design, Convention::Keras);
        assert!(summary.is_ok(), "{name}: {:?}", summary.error);
        let params: u64 = header(&source, "expect-params")
            .unwrap_or_else(|| panic!("{name}: no expect-params header"))
            .parse()
            .expect("expect-params is a number");
        assert_eq!(summary.totals.total().ok(), Some(params), "{name}");
        let classes: Vec<&str> = design.layers.iter().map(|l| l.kind().class()).collect();
        let expected: Vec<&str> = header(&source, "expect-classes")
            .unwrap_or_else(|| panic!("{name}: no expect-classes header"))
            .split_whitespace()
            .collect();
        assert_eq!(classes, expected, "{name}");
        if let Some(input) = header(&source, "expect-input") {
            assert_eq!(dims(&design), input, "{name}");
        }
        let called = header(&source, "expect-name")
            .unwrap_or_else(|| panic!("{name}: no expect-name header"));
        assert_eq!(design.name, called, "{name}");
        if header(&source, "same-as-example").is_some() {
            assert_eq!(as_example(design), Design::example(), "{name}");
        }
    }
}

#[test]
fn the_design_notes_snippet_is_the_59910_parameter_example() {
    let source = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/python/valid/seed_add_style.py"),
    )
    .expect("fixture");
    let design = design_from_python(&source).expect("imports");
    assert_eq!(as_example(design.clone()), Design::example());
    let summary = Summary::of(&design, Convention::Keras);
    assert_eq!(summary.totals.total().ok(), Some(59_910));
}

#[test]
fn invalid_snippets_fail_where_and_how_their_first_line_says() {
    for path in fixtures("invalid") {
        let source = fs::read_to_string(&path).expect("fixture");
        let name = path.display();
        let expect = source
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{name}: first line must be `# expect: L:C message`"));
        let (at, fragment) = expect.split_once(' ').expect("location and message");
        let (line, column) = at.split_once(':').expect("LINE:COLUMN");
        let err = match design_from_python(&source) {
            Ok(d) => panic!("{name}: imported, but should fail: {d:?}"),
            Err(e) => e,
        };
        assert_eq!(
            (err.line.to_string(), err.column.to_string()),
            (line.to_string(), column.to_string()),
            "{name}: {err}"
        );
        assert!(
            err.message.contains(fragment),
            "{name}: message {:?} lacks {fragment:?}",
            err.message
        );
        assert!(
            err.to_string()
                .starts_with(&format!("line {line}, column {column}: "))
        );
    }
}

#[test]
fn the_last_input_shape_only_counts_on_the_first_layer() {
    let design = design_from_python(
        "m = Sequential()\nm.add(Dense(4, input_shape=(3,)))\nm.add(Dense(2, input_shape=(99,)))",
    )
    .unwrap();
    let summary = Summary::of(&design, Convention::Keras);
    // 3×4+4 and 4×2+2, by hand.
    assert_eq!(summary.totals.total().ok(), Some(26));
}

#[test]
fn names_assigned_later_do_not_change_values_taken_earlier() {
    let source = "n = 4\nk = n\nn = 9\nm = Sequential([Input((2,)), Dense(k)])";
    let design = design_from_python(source).unwrap();
    assert_eq!(
        design.layers[0].kind().knob().map(|k| k.value),
        Some(lstm_tui::model::layers::KnobValue::Count(4))
    );
}

#[test]
fn pasted_add_lines_without_the_model_line_still_import() {
    let source = "model.add(Dense(8, input_shape=(4,)))\nmodel.add(Dense(1))";
    let design = design_from_python(source).unwrap();
    assert_eq!(design.layers.len(), 2);
}

#[test]
fn build_gives_the_input_shape() {
    let source = "m = Sequential([Dense(8), Dense(1)])\nm.build((None, 16))";
    let design = design_from_python(source).unwrap();
    assert_eq!(dims(&design), "16");
}

#[test]
fn pop_removes_the_last_layer() {
    let source = "m = Sequential([Input((4,)), Dense(8), Dense(1)])\nm.pop()";
    let design = design_from_python(source).unwrap();
    assert_eq!(design.layers.len(), 1);
}

#[test]
fn keras_layers_lstm_tui_does_not_model_are_named() {
    let err = design_from_python("m = Sequential([Input((5, 2)), Lambda(0.0)])").unwrap_err();
    assert!(err.message.contains("Lambda"), "{err}");
    assert_eq!((err.line, err.column), (1, 32));
}

#[test]
fn garbage_never_panics() {
    for source in [
        "",
        "(",
        ")",
        "model.add(",
        "'''",
        "\\",
        "model = Sequential(\n[",
        "x = 1 +",
        "a, = ",
        "def f(:",
        "for",
        "if x: model.add(Dense(1))",
        "model.add(Dense(1)) ; ; ;",
        "x = 2 ** 2 ** 2 ** 2 ** 2 ** 2",
        "x = (1,) * 99999999999",
        "x = -(-170141183460469231731687303715884105727 - 1)",
        "x = 7 // 0",
        "x = 10 % -3",
        "m = Sequential([Input((1,)), Dense(0x)])",
    ] {
        let _ = design_from_python(source);
    }
}

#[test]
fn values_cannot_grow_without_bound() {
    let mut source = String::from("a = (0,) * 5000\n");
    for _ in 0..40 {
        source.push_str("a = (a, a, a, a)\n");
    }
    source.push_str("m = Sequential([Input((3,)), Dense(len(a))])\n");
    assert!(design_from_python(&source).is_err());
    let mut nested = String::from("l = LSTM(4)\n");
    for _ in 0..10_000 {
        nested.push_str("l = Bidirectional(l)\n");
    }
    nested.push_str("m = Sequential([Input((3, 2)), l])\n");
    assert!(design_from_python(&nested).is_err());
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_are_fine() {
    let source = "\u{feff}m = Sequential()\r\nm.add(Dense(4, input_shape=(3,)))\r\n";
    let design = design_from_python(source).unwrap();
    assert_eq!(design.layers.len(), 1);
}

#[test]
fn initializers_and_constraints_written_any_way_do_not_stop_the_import() {
    let source = "from keras.constraints import max_norm\nm = Sequential([Input((3,)), Dense(4, kernel_initializer=my_init(1), kernel_constraint=max_norm(3), seed=rng.integers(9))])";
    let design = design_from_python(source).unwrap();
    assert_eq!(design.layers.len(), 1);
}
