//! Designs exported as Keras 3 code: the code re-imports to the same design, and, where Python
//! with Keras is installed, real Keras reports the counts lstm-tui shows.

use crate::{check, common};
use common::needs::Need;
use libtest_mimic::Trial;
use lstm_tui::interop::export_keras::keras_code;
use lstm_tui::interop::python::design_from_python;
use lstm_tui::model::{Convention, Design, Dtype, Layer, Summary};

/// Exporting `design` as Keras code and importing that code gives `design` back.
fn assert_round_trip(design: &Design) {
    let code = keras_code(design);
    let back = design_from_python(&code).unwrap_or_else(|e| panic!("{}: {e}\n{code}", design.name));
    assert_eq!(&back, design, "{}:\n{code}", design.name);
}

fn every_design_round_trips_through_keras_code() {
    for design in common::designs() {
        assert_round_trip(&design);
    }
}

fn every_keras_fixture_round_trips_through_keras_code() {
    let mut failures = Vec::new();
    for design in common::keras_fixtures() {
        let code = keras_code(&design);
        match design_from_python(&code) {
            Ok(back) if back == design => {}
            Ok(back) => failures.push(format!(
                "{}: re-imported design differs\n{back:?}\n{design:?}\n{code}",
                design.name
            )),
            Err(e) => failures.push(format!("{}: {e}\n{code}", design.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn every_catalogue_kind_round_trips_through_keras_code() {
    for layer in Layer::catalogue() {
        let design = Design {
            name: format!("only-{}", layer.kind().class()),
            layers: vec![layer],
            ..Design::example()
        };
        assert_round_trip(&design);
    }
}

fn the_code_starts_with_keras_imports_and_the_input() {
    let code = keras_code(&Design::example());
    let lines: Vec<&str> = code.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines[0], "import keras");
    assert_eq!(lines[1], "from keras import layers");
    let input = code.find("keras.Input(shape=(100, 6))").expect("input");
    let lstm = code.find("layers.LSTM(").expect("lstm");
    assert!(input < lstm);
    assert!(code.contains("recurrent_regularizer=keras.regularizers.L2(0.0015)"));
    assert!(code.trim_end().ends_with("model.summary()"));
}

fn the_header_states_the_keras_counts() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/python/valid/seed_add_style.py"
    ))
    .expect("fixture");
    let expected = seed
        .lines()
        .find_map(|l| l.strip_prefix("# expect-params: "))
        .expect("header");
    let code = keras_code(&Design::example());
    let header: String = code
        .lines()
        .take_while(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let total = common::counts(&header.replace('#', ""), "Total params:");
    assert_eq!(total, vec![expected.parse::<u64>().expect("number")]);
    assert_eq!(
        common::counts(&header.replace('#', ""), "Non-trainable params:"),
        vec![0]
    );
}

fn names_cannot_break_out_of_strings_or_comments() {
    let mut design = Design::example();
    design.name = "evil\"\nimport os; os.system('x')  #".into();
    let code = keras_code(&design);
    assert!(!code.lines().any(|l| l.starts_with("import os")), "{code}");
    // A name with a line break is not given to Keras (it would print it as it is), so the
    // model comes back under Keras' automatic name, and otherwise the same.
    assert!(!code.contains("name="), "{code}");
    let back = design_from_python(&code).expect("imports");
    assert_eq!(
        Design {
            name: design.name.clone(),
            ..back
        },
        design
    );
}

fn real_keras_reports_the_counts_lstm_tui_shows(python: &str) {
    let designs = common::designs();
    let mut script = String::new();
    for d in &designs {
        script.push_str(&keras_code(d));
        script.push('\n');
    }
    let out = common::run_keras_on_torch(python, &script);
    let totals = common::counts(&out, "Total params:");
    let trainable = common::counts(&out, "Trainable params:");
    let frozen = common::counts(&out, "Non-trainable params:");
    assert_eq!(totals.len(), designs.len(), "{out}");
    for (i, d) in designs.iter().enumerate() {
        let s = Summary::of(d, Convention::Keras);
        assert_eq!(Some(totals[i]), s.totals.total().ok(), "{}", d.name);
        assert_eq!(trainable[i], s.totals.trainable, "{}", d.name);
        assert_eq!(frozen[i], s.totals.non_trainable, "{}", d.name);
    }
}

/// Python that runs the model just built on a random batch of 2 and prints the output shape.
fn forward_pass(design: &Design) -> String {
    let dims: Vec<String> = std::iter::once("2".to_string())
        .chain(
            design
                .input
                .shape
                .0
                .iter()
                .map(|d| d.map_or("7".into(), |d| d.to_string())),
        )
        .collect();
    let x = match design.input.dtype {
        Dtype::Float32 => format!("np.random.rand({}).astype(\"float32\")", dims.join(", ")),
        Dtype::Int32 => format!("np.zeros(({},), dtype=\"int32\")", dims.join(", ")),
    };
    format!(
        "import numpy as np\ny = model({x})\nprint(\"Output shape:\", [tuple(t.shape) for t in y] if isinstance(y, (list, tuple)) else tuple(y.shape))\n"
    )
}

fn real_keras_agrees_on_every_keras_fixture(python: &str) {
    let mut script = String::new();
    let mut run = Vec::new();
    for design in common::keras_fixtures() {
        let s = Summary::of(&design, Convention::Keras);
        // Keras refuses the designs that do not build, as the code's header says.
        if !s.is_ok() {
            continue;
        }
        script.push_str(&keras_code(&design));
        script.push_str(&forward_pass(&design));
        script.push('\n');
        run.push((design, s));
    }
    common::assert_script_reports(&common::run_keras_on_torch(python, &script), &run);
}

fn a_design_that_does_not_build_says_so_at_the_top() {
    let mut design = Design::example();
    // The LSTM that keeps the time axis now comes second and receives (None, 64).
    design.layers.swap(0, 2);
    let code = keras_code(&design);
    let first = code.lines().nth(1).unwrap_or_default();
    assert!(
        first.starts_with("# This design does not build: layer 3 (lstm_1 LSTM)"),
        "{code}"
    );
    assert_round_trip(&design);
}

fn token_ids_keep_their_int32_dtype() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/designs/cli/embedding_over_budget.ron"
    );
    let mut design =
        lstm_tui::store::parse_design(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(design.input.dtype, Dtype::Int32);
    // Keras code has no budget to carry.
    design.budget = Default::default();
    let code = keras_code(&design);
    assert!(
        code.contains("keras.Input(shape=(100,), dtype=\"int32\")"),
        "{code}"
    );
    assert_round_trip(&design);
}

pub fn checks() -> Vec<Trial> {
    // Keras on its torch backend: see `common::run_keras_on_torch`.
    let keras = Need::python(&["keras", "torch"]);
    common::needs::listed(
        module_path!(),
        include_str!("export_keras.rs"),
        vec![
            check!(every_design_round_trips_through_keras_code),
            check!(every_keras_fixture_round_trips_through_keras_code),
            check!(every_catalogue_kind_round_trips_through_keras_code),
            check!(the_code_starts_with_keras_imports_and_the_input),
            check!(the_header_states_the_keras_counts),
            check!(names_cannot_break_out_of_strings_or_comments),
            check!(keras => real_keras_reports_the_counts_lstm_tui_shows),
            check!(keras => real_keras_agrees_on_every_keras_fixture),
            check!(a_design_that_does_not_build_says_so_at_the_top),
            check!(token_ids_keep_their_int32_dtype),
        ],
    )
}
