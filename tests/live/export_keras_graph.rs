//! Graph designs exported as Keras JSON, loaded by real Keras: every valid file in
//! tests/fixtures/keras_graph and tests/fixtures/keras_masks is imported, exported, and given
//! to `keras.models.model_from_json`, and its Keras functional code export is run (all in one
//! Python process, each program in a fresh session); Keras' `count_params()` must equal the total lstm-tui shows for both. The
//! masked models also check that the operations Keras adds for masks are written so that
//! Keras can read them back.

use std::fs;
use std::path::Path;

use crate::{check, common};
use common::needs::Need;
use libtest_mimic::Trial;
use lstm_tui::interop::export::ExportFormat;
use lstm_tui::model::{Convention, Summary};

/// Every valid graph and mask fixture as (file stem, export in `format`, lstm-tui's total).
fn exports(format: ExportFormat) -> Vec<(String, String, u64)> {
    let mut out = Vec::new();
    let masked = common::keras_models_in("tests/fixtures/keras_masks");
    for (stem, design) in common::keras_graph_fixtures().into_iter().chain(masked) {
        let summary = Summary::of(&design, Convention::Keras);
        let total = summary.totals.total().expect("a total");
        let json = format.write(&design, &summary).text;
        out.push((stem, json, total));
    }
    out
}

/// Both exports of every graph fixture in one Python process (starting one and importing
/// Keras costs seconds): each model is built twice, from the JSON and by the code.
fn real_keras_builds_every_graph_export_with_our_counts(python: &str) {
    let json = exports(ExportFormat::KerasJson);
    let code = exports(ExportFormat::Keras);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (stem, json, _) in &json {
        let path = dir.path().join(format!("{stem}.json"));
        fs::write(&path, json).expect("write export");
        files.push(format!("({stem:?}, {:?})", path_text(&path)));
    }
    let mut script = format!(
        "import keras\nfor name, path in [{}]:\n    try:\n        model = keras.models.model_from_json(open(path).read())\n        print('counted', name, model.count_params())\n    except Exception as e:\n        print('refused', name, repr(e).replace(chr(10), ' '))\nprint('code exports')\n",
        files.join(", ")
    );
    // Each program in a fresh session, as a user runs it: Keras' automatic names start from
    // zero again, so a name the program gives that Keras also gives an operation is refused.
    for (stem, code, _) in &code {
        let path = dir.path().join(format!("{stem}.py"));
        fs::write(&path, code).expect("write export");
        script.push_str(&format!(
            "keras.backend.clear_session()\ntry:\n    exec(open({:?}).read())\n    print('counted', {stem:?}, model.count_params())\nexcept Exception as e:\n    print('refused', {stem:?}, repr(e).replace(chr(10), ' '))\n\n",
            path_text(&path)
        ));
    }
    let out = common::run_keras_on_torch(python, &script);
    let (loaded, ran) = out
        .split_once("code exports\n")
        .unwrap_or_else(|| panic!("the JSON exports did not all finish\n{out}"));
    assert_counts(&json, loaded);
    assert_counts(&code, ran);
}

/// Each export's `counted NAME N` line in `out` names lstm-tui's total.
fn assert_counts(exports: &[(String, String, u64)], out: &str) {
    let mut failures = Vec::new();
    for (stem, _, total) in exports {
        // Only the script's own lines: a summary table's row can start with a layer named
        // like a fixture (`│ dense ...`).
        let line = out.lines().find(|l| {
            let mut words = l.split(' ');
            matches!(words.next(), Some("counted" | "refused")) && words.next() == Some(stem)
        });
        match line.map(|l| l.split(' ').collect::<Vec<_>>()) {
            Some(words) if words[0] == "counted" => {
                if words[2] != total.to_string() {
                    failures.push(format!(
                        "{stem}: Keras counts {}, lstm-tui {total}",
                        words[2]
                    ));
                }
            }
            Some(words) => failures.push(words.join(" ")),
            None => failures.push(format!("{stem}: no line from Python\n{out}")),
        }
    }
    assert!(exports.len() > 100, "only {} exports", exports.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

pub fn checks() -> Vec<Trial> {
    // Keras on its torch backend: see `common::run_keras_on_torch`.
    let keras = Need::python(&["keras", "torch"]);
    common::needs::listed(
        module_path!(),
        include_str!("export_keras_graph.rs"),
        vec![check!(keras => real_keras_builds_every_graph_export_with_our_counts)],
    )
}
