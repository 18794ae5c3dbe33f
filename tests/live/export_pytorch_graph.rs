//! Graph designs exported as PyTorch modules, run in real PyTorch: every valid file in
//! tests/fixtures/keras_graph is imported, exported, and its module built and called on the
//! demo inputs (all in one Python process); its parameter count must equal lstm-tui's in the
//! PyTorch convention. The two programs of Keras' own examples in
//! tests/fixtures/keras_python_graph, and a few graph, mask and Sequential fixtures, run in
//! Keras and as their export with Keras' weights copied over, on inputs with padded steps
//! (token 0, float steps all zeros) for the masks; the outputs must agree.

use std::fs;
use std::time::Instant;

use crate::{check, common};
use common::needs::Need;
use libtest_mimic::Trial;
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::interop::python::design_from_python;
use lstm_tui::interop::torch::pytorch_export;
use lstm_tui::model::{Convention, Summary};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const PROGRAMS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/keras_python_graph"
);

/// Every valid graph fixture as (file stem, PyTorch export, lstm-tui's total and trainable
/// count in the PyTorch convention).
fn exports() -> Vec<(String, String, u64, u64)> {
    let mut out = Vec::new();
    for (stem, design) in common::keras_graph_fixtures() {
        let summary = Summary::of(&design, Convention::PyTorch);
        let total = summary.totals.total().expect("a total");
        let export = pytorch_export(&design);
        assert!(
            export.unsupported.is_empty(),
            "{stem}: {:?}",
            export.unsupported
        );
        out.push((stem, export.code, total, summary.totals.trainable));
    }
    out
}

fn pytorch_counts_every_graph_export_as_lstm_tui_does(python: &str) {
    let exports = exports();
    let mut script = String::from("import contextlib, io\n\nexports = [\n");
    for (stem, code, _, _) in &exports {
        script.push_str(&format!("    ({stem:?}, {code:?}),\n"));
    }
    // Each export runs as a script: its demo builds the module, calls it on the demo inputs
    // and prints the counts.
    script.push_str(
        "]\nfor name, code in exports:\n    out = io.StringIO()\n    try:\n        with contextlib.redirect_stdout(out):\n            exec(code, {'__name__': '__main__'})\n    except Exception as e:\n        print('failed', name, repr(e).replace(chr(10), ' '))\n        continue\n    counts = [l.split(': ')[1].replace(',', '') for l in out.getvalue().splitlines() if l.startswith(('Total params', 'Trainable params'))]\n    print('counted', name, *counts)\n",
    );
    let started = Instant::now();
    let out = common::run_python(python, &script);
    println!(
        "{} graph exports built and run in PyTorch in {:.1} s",
        exports.len(),
        started.elapsed().as_secs_f64()
    );
    let mut failures = Vec::new();
    for (stem, _, total, trainable) in &exports {
        let line = out
            .lines()
            .find(|l| l.split(' ').nth(1) == Some(stem.as_str()));
        let want = format!("counted {stem} {total} {trainable}");
        match line {
            Some(l) if l == want => {}
            Some(l) => failures.push(format!("{l} (lstm-tui: {total} {trainable})")),
            None => failures.push(format!("{stem}: no line from Python\n{out}")),
        }
    }
    assert!(exports.len() > 40, "only {} exports", exports.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Graph fixtures run in Keras beside the two programs, in the same process: the mask of
/// token 0 (ids of 0 are fed), a shared Embedding and LSTM with Dot, a bidirectional layer's
/// states indexed, attention called by keyword; and masks that reach a recurrent layer through
/// the layers that hand them on (Dense, LayerNormalization, GRU, TimeDistributed),
/// as Keras hands them on (tests/fixtures/keras_masks).
const ALSO_RUN: [(&str, &str); 23] = [
    ("keras_graph", "masked_embedding_gru_with_numeric_branch"),
    ("keras_graph", "siamese_shared_embedding_lstm_cosine"),
    ("keras_graph", "bidirectional_lstm_return_state_encoder"),
    ("keras_graph", "mha_keyword_call_connections"),
    ("keras_masks", "dense"),
    ("keras_masks", "layer_normalization"),
    ("keras_masks", "gru_sequences"),
    ("keras_masks", "time_distributed"),
    ("keras_masks", "bidirectional_sequences"),
    ("keras_masks", "bidirectional_last_step"),
    ("keras_masks", "global_average_pooling1d"),
    ("keras_masks", "masking_lstm"),
    ("keras_masks", "masking_beside_embedding"),
    ("keras_masks", "average_masked_three"),
    ("keras_masks", "concatenate_masked_and_plain"),
    ("keras_masks", "concatenate_on_time"),
    ("keras_masks", "attention_masked"),
    ("keras_masks", "multi_head_attention_self"),
    ("keras_masks", "multi_head_attention_cross"),
    ("keras_masks", "multi_head_attention_scores"),
    ("keras_masks", "multi_head_attention_causal"),
    ("keras_masks", "multi_head_attention_keywords"),
    // A Sequential model whose mask reaches a Bidirectional layer.
    ("keras", "embedding_bidirectional_gru"),
];

fn keras_examples_and_their_pytorch_exports_agree_with_copied_weights(python: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut names = Vec::new();
    for stem in ["seq2seq_lstm", "timeseries_transformer"] {
        let source = fs::read_to_string(format!("{PROGRAMS}/{stem}.py")).expect("fixture");
        let design = design_from_python(&source)
            .map(|mut d| {
                d.name = stem.to_string();
                d
            })
            .expect("the program imports");
        let export = pytorch_export(&design);
        assert!(
            export.unsupported.is_empty(),
            "{stem}: {:?}",
            export.unsupported
        );
        fs::write(dir.path().join(format!("{stem}_keras.py")), &source).expect("write");
        fs::write(dir.path().join(format!("{stem}_torch.py")), export.code).expect("write");
        names.push(stem);
    }
    for (folder, stem) in ALSO_RUN {
        let path = format!("{FIXTURES}/{folder}/{stem}.json");
        let fixture: Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("fixture")).expect("JSON");
        let json = fixture["keras_json"].to_string();
        let design = design_from_keras_json(&json)
            .map(|mut d| {
                d.name = stem.to_string();
                d
            })
            .expect("the fixture imports");
        let json_path = dir.path().join(format!("{stem}.json"));
        fs::write(&json_path, &json).expect("write");
        let keras = format!(
            "import keras\nmodel = keras.models.model_from_json(open({:?}).read())\n",
            json_path.to_string_lossy()
        );
        fs::write(dir.path().join(format!("{stem}_keras.py")), keras).expect("write");
        let export = pytorch_export(&design).code;
        fs::write(dir.path().join(format!("{stem}_torch.py")), export).expect("write");
        names.push(stem);
    }
    names.sort_unstable();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/keras_graph_vs_torch.py"
    );
    let started = Instant::now();
    let out = common::python_command(python)
        .arg(script)
        .arg(dir.path())
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "Keras and PyTorch compared in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let diffs: Vec<(&str, f64)> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("max-diff "))
        .filter_map(|l| l.split_once(' '))
        .map(|(n, d)| (n, d.parse().unwrap_or(f64::INFINITY)))
        .collect();
    let compared: Vec<&str> = diffs.iter().map(|(n, _)| *n).collect();
    assert_eq!(compared, names, "{stdout}");
    for (name, diff) in diffs {
        println!("{name}: Keras and PyTorch outputs differ by at most {diff:e}");
        // Float32 rounding differs between frameworks; a call wired wrongly is off by far more.
        assert!(diff < 1e-4, "{name}: outputs differ by {diff}\n{stdout}");
    }
}

pub fn checks() -> Vec<Trial> {
    let torch = Need::python(&["torch"]);
    let both = Need::python(&["keras", "torch"]);
    common::needs::listed(
        module_path!(),
        include_str!("export_pytorch_graph.rs"),
        vec![
            check!(torch => pytorch_counts_every_graph_export_as_lstm_tui_does),
            check!(both => keras_examples_and_their_pytorch_exports_agree_with_copied_weights),
        ],
    )
}
