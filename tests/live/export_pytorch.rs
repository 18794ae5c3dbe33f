//! Designs exported as PyTorch code: the right modules, a forward pass that does what Keras
//! does, and, where Python with torch is installed, the counts lstm-tui shows.

use crate::{check, common};
use common::needs::Need;
use libtest_mimic::Trial;
use lstm_tui::interop::keras_json::design_from_keras_json;
use lstm_tui::interop::torch::{
    Merge, Recurrent, demo_input, pytorch_code, pytorch_export, recurrent_code,
};
use lstm_tui::model::layers::{
    Bidirectional, Conv1D, Dense, Dropout, Embedding, Gru, Lstm, MergeMode, TimeDistributed,
};
use lstm_tui::model::{Convention, Design, Input, Layer, Shape, Summary};
use std::path::Path;

/// The design with its open axes set to the lengths the exported demo run feeds it.
fn as_demo_runs(design: &Design) -> Design {
    Design {
        input: Input {
            shape: demo_input(design),
            dtype: design.input.dtype,
        },
        ..design.clone()
    }
}

/// Designs whose exports once broke the demo run or disagreed with the header: an open time
/// axis into a long kernel, frozen wrappers (which Keras ignores), return_state, and an
/// Embedding fed by a float layer.
fn demo_edge_designs() -> Vec<Design> {
    let on = |name: &str, shape: Shape, layers: Vec<Layer>| Design {
        name: name.into(),
        input: Input {
            shape,
            dtype: lstm_tui::model::Dtype::Float32,
        },
        layers,
        ..Design::example()
    };
    vec![
        on(
            "open-axis-long-kernel",
            Shape(vec![None, Some(4)].into()),
            vec![Layer::Conv1D(Conv1D {
                filters: 3,
                kernel_size: 9,
                ..Conv1D::default()
            })],
        ),
        on(
            "frozen-wrappers",
            Shape::known(&[5, 4]),
            vec![
                Layer::TimeDistributed(TimeDistributed {
                    layer: Box::new(Layer::Dense(Dense {
                        units: 6,
                        ..Dense::default()
                    })),
                    trainable: false,
                    ..TimeDistributed::default()
                }),
                Layer::Bidirectional(Bidirectional {
                    layer: Box::new(Layer::Gru(Gru {
                        units: 3,
                        ..Gru::default()
                    })),
                    trainable: false,
                    ..Bidirectional::default()
                }),
            ],
        ),
        on(
            "lstm-state-through-dropout",
            Shape::known(&[5, 4]),
            vec![
                Layer::Lstm(Lstm {
                    units: 6,
                    return_state: true,
                    return_sequences: true,
                    ..Lstm::default()
                }),
                Layer::Dropout(Dropout::default()),
            ],
        ),
        on(
            "bidirectional-states-separate",
            Shape::known(&[5, 4]),
            vec![Layer::Bidirectional(Bidirectional {
                layer: Box::new(Layer::Lstm(Lstm {
                    units: 3,
                    return_state: true,
                    ..Lstm::default()
                })),
                merge_mode: None,
                ..Bidirectional::default()
            })],
        ),
        on(
            "bidirectional-gru-states-concat",
            Shape::known(&[5, 4]),
            vec![Layer::Bidirectional(Bidirectional {
                layer: Box::new(Layer::Gru(Gru {
                    units: 3,
                    return_state: true,
                    return_sequences: true,
                    ..Gru::default()
                })),
                merge_mode: Some(MergeMode::Sum),
                ..Bidirectional::default()
            })],
        ),
        on(
            "embedding-after-dense",
            Shape::known(&[5]),
            vec![
                Layer::Dense(Dense {
                    units: 5,
                    ..Dense::default()
                }),
                Layer::Embedding(Embedding {
                    input_dim: 10,
                    output_dim: 3,
                    ..Embedding::default()
                }),
            ],
        ),
    ]
}

fn the_demo_run_feeds_an_open_axis_a_length_the_model_accepts() {
    let designs = demo_edge_designs();
    let design = &designs[0];
    let demo = demo_input(design);
    assert!(Summary::of(&as_demo_runs(design), Convention::PyTorch).is_ok());
    let code = pytorch_code(design);
    let length = demo.0[0].expect("a length");
    assert!(length >= 9, "{demo}");
    assert!(
        code.contains(&format!("torch.rand(2, {length}, 4)")),
        "{code}"
    );
}

fn frozen_wrappers_are_counted_and_exported_as_keras_treats_them() {
    let design = &demo_edge_designs()[1];
    let s = Summary::of(design, Convention::PyTorch);
    assert_eq!(
        s.totals.non_trainable, 0,
        "Keras ignores trainable=False here"
    );
    let code = pytorch_code(design);
    assert!(
        !code.contains("requires_grad_(False)  # trainable=False"),
        "{code}"
    );
    assert_eq!(
        code.matches("Keras ignores trainable=False").count(),
        2,
        "{code}"
    );
}

fn an_embedding_after_a_float_layer_keeps_its_ids_in_the_vocabulary() {
    let code = pytorch_code(&demo_edge_designs()[5]);
    assert!(code.contains("x.long().clamp(0, 9)"), "{code}");
}

fn the_example_becomes_lstms_dropout_and_linears() {
    let code = pytorch_code(&Design::example());
    for constructor in [
        "self.lstm = nn.LSTM(6, 64, batch_first=True)",
        "self.dropout = nn.Dropout(p=0.5)",
        "self.lstm_1 = nn.LSTM(64, 64, batch_first=True)",
        "self.dense = nn.Linear(64, 64)",
        "self.dense_1 = nn.Linear(64, 64)",
        "self.dense_2 = nn.Linear(64, 6)",
    ] {
        assert!(code.contains(constructor), "{constructor} missing:\n{code}");
    }
    assert!(code.contains("class Example(nn.Module):"));
    // Only the second LSTM drops the time axis.
    assert_eq!(code.matches("x = x[:, -1, :]").count(), 1, "{code}");
    let last_step = code.find("x = x[:, -1, :]").expect("last step");
    assert!(code.find("self.lstm_1(x)").expect("lstm_1") < last_step);
    assert!(code.contains("x = torch.softmax(self.dense_2(x), dim=-1)"));
    // By hand: Keras' 59,910 plus PyTorch's second bias vector, 4 gates × 64, in both LSTMs.
    assert!(code.contains("#   Total params: 60,422"), "{code}");
    assert!(pytorch_export(&Design::example()).unsupported.is_empty());
}

fn a_gru_without_reset_after_is_written_with_keras_arithmetic() {
    let mut design = Design::example();
    design.layers[2] = Layer::Gru(Gru {
        units: 8,
        reset_after: false,
        ..Gru::default()
    });
    let export = pytorch_export(&design);
    assert!(export.unsupported.is_empty(), "{:?}", export.unsupported);
    assert!(
        !export.code.contains("NotImplementedError"),
        "{}",
        export.code
    );
    assert!(
        export.code.contains("class KerasRNN(nn.Module):"),
        "{}",
        export.code
    );
    assert!(
        export
            .code
            .contains("KerasRNN(\"GRU\", 64, 8, batch_first=True, activation=lambda x: torch.tanh(x), recurrent_activation=lambda x: torch.sigmoid(x), reset_after=False)"),
        "{}",
        export.code
    );
    // By hand: one bias per gate, as Keras: 3 × (8 × (64 + 8) + 8) = 1,752.
    let torch = Summary::of(&design, Convention::PyTorch);
    assert_eq!(torch.rows[2].params.total().ok(), Some(1_752));
}

fn bidirectional(merge: Merge, return_sequences: bool) -> Recurrent<'static> {
    Recurrent {
        module: "LSTM",
        input: 5,
        units: 8,
        use_bias: true,
        return_sequences,
        return_state: false,
        go_backwards: false,
        dropout: 0.0,
        recurrent_dropout: 0.0,
        nonlinearity: None,
        bidirectional: Some(merge),
        keras: None,
    }
}

fn bidirectional_layers_merge_the_halves_as_keras_does() {
    let (init, forward) = recurrent_code("bi", &bidirectional(Merge::Concat, false));
    assert_eq!(
        init,
        ["self.bi = nn.LSTM(5, 8, batch_first=True, bidirectional=True)"]
    );
    let forward = forward.join("\n");
    assert!(forward.contains("_, (h_n, _) = self.bi(x)"), "{forward}");
    assert!(forward.contains("fwd, bwd = h_n[0], h_n[1]"), "{forward}");
    assert!(
        forward.contains("x = torch.cat([fwd, bwd], dim=-1)"),
        "{forward}"
    );
    for (merge, line) in [
        (Merge::Sum, "x = fwd + bwd"),
        (Merge::Ave, "x = (fwd + bwd) / 2"),
        (Merge::Mul, "x = fwd * bwd"),
        (Merge::Separate, "x = (fwd, bwd)"),
    ] {
        let forward = recurrent_code("bi", &bidirectional(merge, true))
            .1
            .join("\n");
        assert!(
            forward.contains("fwd, bwd = out[..., :8], out[..., 8:]"),
            "{forward}"
        );
        assert!(forward.contains(line), "{forward}");
    }
}

fn real_pytorch_reports_the_counts_and_shapes_lstm_tui_shows(python: &str) {
    // One Python for all of them: starting one and importing torch costs seconds.
    let mut script = String::new();
    let mut run = Vec::new();
    for design in common::designs().into_iter().chain(demo_edge_designs()) {
        script.push_str(&pytorch_code(&design));
        script.push('\n');
        let demo = as_demo_runs(&design);
        let s = Summary::of(&demo, Convention::PyTorch);
        run.push((demo, s));
    }
    common::assert_script_reports(&common::run_python(python, &script), &run);
}

fn every_keras_fixture_exports_or_says_why_not() {
    for design in common::keras_fixtures() {
        let export = pytorch_export(&design);
        let s = Summary::of(&design, Convention::PyTorch);
        if s.is_ok() {
            // PyTorch counts every layer that builds, so the code writes every one.
            assert!(
                export.unsupported.is_empty(),
                "{}: {:?}",
                design.name,
                export.unsupported
            );
        }
        assert!(
            !export.code.contains("does not write"),
            "{}:\n{}",
            design.name,
            export.code
        );
    }
}

fn no_design_that_builds_exports_as_not_implemented() {
    for design in common::keras_fixtures()
        .into_iter()
        .chain(common::designs())
        .chain(conv_fixtures())
    {
        if !Summary::of(&design, Convention::Keras).is_ok() {
            continue;
        }
        let export = pytorch_export(&design);
        assert!(
            export.unsupported.is_empty() && !export.code.contains("NotImplementedError"),
            "{}: {:?}",
            design.name,
            export.unsupported
        );
    }
}

fn real_pytorch_agrees_on_every_keras_fixture(python: &str) {
    let mut script = String::new();
    let mut run = Vec::new();
    for design in common::keras_fixtures() {
        let s = Summary::of(&design, Convention::PyTorch);
        let export = pytorch_export(&design);
        // Designs that do not build, or hold a layer PyTorch lacks, raise by design.
        if !s.is_ok() || !export.unsupported.is_empty() {
            continue;
        }
        script.push_str(&export.code);
        script.push('\n');
        let demo = as_demo_runs(&design);
        let s = Summary::of(&demo, Convention::PyTorch);
        run.push((demo, s));
    }
    common::assert_script_reports(&common::run_python(python, &script), &run);
}

fn real_pytorch_runs_every_bidirectional_merge(python: &str) {
    // Input (2, 7, 5) into 8 units each way.
    let cases = [
        (Merge::Concat, false, "(2, 16)"),
        (Merge::Concat, true, "(2, 7, 16)"),
        (Merge::Sum, false, "(2, 8)"),
        (Merge::Ave, true, "(2, 7, 8)"),
        (Merge::Mul, false, "(2, 8)"),
    ];
    // One Python for all of them: starting one and importing torch costs seconds.
    let mut script = String::from("import torch\nfrom torch import nn\n");
    for (i, (merge, seq, _)) in cases.iter().enumerate() {
        let (init, forward) = recurrent_code("bi", &bidirectional(*merge, *seq));
        script.push_str(&format!(
            "\nclass M{i}(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        ));
        for l in init {
            script.push_str(&format!("        {l}\n"));
        }
        script.push_str("\n    def forward(self, x):\n");
        for l in forward {
            script.push_str(&format!("        {l}\n"));
        }
        script.push_str(&format!("        return x\n\nm = M{i}()\nprint(\"Params:\", sum(p.numel() for p in m.parameters()))\nprint(\"Output shape:\", tuple(m(torch.zeros(2, 7, 5)).shape))\n"));
    }
    let out = common::run_python(python, &script);
    let shapes: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("Output shape: "))
        .collect();
    let expected: Vec<&str> = cases.iter().map(|(_, _, shape)| *shape).collect();
    assert_eq!(shapes, expected, "{cases:?}:\n{out}");
    // By hand: 2 directions × 4 gates × (8 × (5 + 8) + 2 × 8).
    assert_eq!(
        common::counts(&out, "Params:"),
        vec![2 * 4 * (8 * 13 + 16); cases.len()]
    );
}

fn a_design_that_does_not_build_raises_in_the_module() {
    let mut design = Design::example();
    design.layers.swap(0, 2);
    let code = pytorch_code(&design);
    assert!(
        code.contains("# This design does not build (layer 3:"),
        "{code}"
    );
    assert!(
        code.contains("raise ValueError(\"layer 3 (lstm_1 LSTM) does not build: "),
        "{code}"
    );
}

fn real_keras_and_pytorch_compute_the_same_outputs(python: &str) {
    // The fixtures, and the designs that set fields away from their defaults (go_backwards,
    // activations, ...), so a change to the numbers that keeps every shape is seen.
    same_outputs(
        python,
        common::keras_fixtures()
            .into_iter()
            .chain(common::designs()),
    );
}

/// The convolution fixtures of tests/fixtures/keras_layers whose every kind exports: the
/// transposed, depthwise, separable and 3-D convolutions and ConvLSTM3D.
const CONV_FIXTURES: &[&str] = &[
    "conv1d_autoencoder_transpose",
    "conv1d_transpose_variants",
    "conv2d_transpose_channels_first",
    "conv2d_transpose_decoder",
    "conv3d_dilated",
    "conv3d_transpose_variants",
    "conv3d_variants",
    "convlstm3d_variants",
    "depthwise_conv1d_channels_first",
    "depthwise_conv1d_variants",
    "depthwise_conv2d_variants",
    "separable_conv1d_variants",
    "separable_conv2d_channels_first",
];

fn conv_fixtures() -> Vec<Design> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keras_layers");
    CONV_FIXTURES
        .iter()
        .map(|stem| {
            let text = std::fs::read_to_string(dir.join(format!("{stem}.json"))).expect("fixture");
            let fixture: serde_json::Value = serde_json::from_str(&text).expect("fixture json");
            design_from_keras_json(&fixture["keras_json"].to_string())
                .map(|mut d| {
                    d.name = stem.to_string();
                    d
                })
                .expect("imports")
        })
        .collect()
}

fn the_convolution_fixtures_export_with_pytorch_counts_equal_to_keras() {
    for design in conv_fixtures() {
        let export = pytorch_export(&design);
        assert!(
            export.unsupported.is_empty(),
            "{}: {:?}",
            design.name,
            export.unsupported
        );
        // Same weights in both: the PyTorch count equals Keras' for every one of these kinds.
        let keras = Summary::of(&design, Convention::Keras);
        let torch = Summary::of(&design, Convention::PyTorch);
        assert_eq!(keras.totals, torch.totals, "{}", design.name);
    }
}

/// Fails unless each of `designs` is one of the Keras fixtures, unchanged, that
/// `real_pytorch_agrees_on_every_keras_fixture` and
/// `real_keras_and_pytorch_compute_the_same_outputs` run in real PyTorch and Keras, and passes
/// their filters: running it again in another Python process would compare the same code.
pub fn assert_run_with_the_keras_fixtures(designs: &[Design]) {
    let fixtures = common::keras_fixtures();
    for design in designs {
        let name = &design.name;
        assert!(
            fixtures.contains(design),
            "{name}: not among the Keras fixtures run in Python"
        );
        assert!(
            Summary::of(design, Convention::PyTorch).is_ok(),
            "{name}: does not build, so the fixture checks skip it"
        );
        assert!(
            pytorch_export(design).unsupported.is_empty(),
            "{name}: holds a layer the export lacks, so the fixture checks skip it"
        );
        assert_ne!(
            name, "embedding_after_dense_float",
            "skipped by same_outputs"
        );
    }
}

/// The convolution fixtures run in real PyTorch (counts and output shapes) and against real
/// Keras (outputs) with the other Keras fixtures.
fn the_convolution_fixtures_run_in_python_with_every_keras_fixture() {
    assert_run_with_the_keras_fixtures(&conv_fixtures());
}

/// Runs each design's Keras and PyTorch exports with the same weights on the same input and
/// fails unless every one that exports gives the same outputs. The designs are split between
/// two Python processes run side by side: one process for all of them kept one core busy for
/// minutes while the other idled.
pub fn same_outputs(python: &str, designs: impl IntoIterator<Item = Design>) {
    let dirs = [
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    ];
    let mut names = Vec::new();
    for design in designs {
        let export = pytorch_export(&design);
        // Designs that do not build or hold a layer PyTorch lacks raise by design; an
        // Embedding fed by a float Dense gets ids Keras and PyTorch treat differently; Keras
        // calls a Discretization given only num_bins once adapt() has learned its boundaries.
        if !Summary::of(&design, Convention::PyTorch).is_ok()
            || !export.unsupported.is_empty()
            || design.name == "embedding_after_dense_float"
            || design
                .layers
                .iter()
                .any(|l| matches!(l, Layer::Discretization(d) if d.bin_boundaries.is_none()))
        {
            continue;
        }
        let stem: String = design
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let stem = format!("{stem}_{}", names.len());
        let dir = dirs[names.len() % 2].path();
        let keras = lstm_tui::interop::export_keras::keras_code(&design);
        std::fs::write(dir.join(format!("{stem}_keras.py")), keras).expect("write");
        std::fs::write(dir.join(format!("{stem}_torch.py")), export.code).expect("write");
        names.push(stem);
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/keras_vs_torch.py"
    );
    let runs: Vec<_> = dirs
        .iter()
        .map(|dir| {
            common::python_command(python)
                .arg(script)
                .arg(dir.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("run python")
        })
        .collect();
    let mut stdout = String::new();
    for run in runs {
        let out = run.wait_with_output().expect("python ends");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout.push_str(&text);
    }
    let diffs: Vec<(&str, f64)> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("max-diff "))
        .filter_map(|l| l.split_once(' '))
        .map(|(n, d)| (n, d.parse().unwrap_or(f64::INFINITY)))
        .collect();
    assert!(!names.is_empty(), "no design to compare");
    names.sort();
    let mut compared: Vec<&str> = diffs.iter().map(|(n, _)| *n).collect();
    compared.sort_unstable();
    assert_eq!(compared, names, "{stdout}");
    for (name, diff) in diffs {
        // Float32 rounding differs between backends; a layer done differently is off by far more.
        assert!(diff < 1e-4, "{name}: outputs differ by {diff}\n{stdout}");
    }
}

pub fn checks() -> Vec<Trial> {
    let torch = Need::python(&["torch"]);
    let both = Need::python(&["keras", "torch"]);
    common::needs::listed(
        module_path!(),
        include_str!("export_pytorch.rs"),
        vec![
            check!(the_example_becomes_lstms_dropout_and_linears),
            check!(the_demo_run_feeds_an_open_axis_a_length_the_model_accepts),
            check!(frozen_wrappers_are_counted_and_exported_as_keras_treats_them),
            check!(an_embedding_after_a_float_layer_keeps_its_ids_in_the_vocabulary),
            check!(a_gru_without_reset_after_is_written_with_keras_arithmetic),
            check!(bidirectional_layers_merge_the_halves_as_keras_does),
            check!(torch => real_pytorch_reports_the_counts_and_shapes_lstm_tui_shows),
            check!(every_keras_fixture_exports_or_says_why_not),
            check!(no_design_that_builds_exports_as_not_implemented),
            check!(torch => real_pytorch_agrees_on_every_keras_fixture),
            check!(torch => real_pytorch_runs_every_bidirectional_merge),
            check!(a_design_that_does_not_build_raises_in_the_module),
            check!(both => real_keras_and_pytorch_compute_the_same_outputs),
            check!(the_convolution_fixtures_export_with_pytorch_counts_equal_to_keras),
            check!(the_convolution_fixtures_run_in_python_with_every_keras_fixture),
        ],
    )
}
