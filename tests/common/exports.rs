//! Designs to export, and running the exported code in Python.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use lstm_tui::interop::keras_json::design_from_keras_json;
use lstm_tui::interop::python::design_from_python;
use lstm_tui::model::layers::{
    Activation, ActivityRegularization, AlphaDropout, BatchNormalization, Bidirectional,
    ConvLstm1D, DataFormat, Dense, Dropout, Elu, GaussianDropout, GaussianNoise, Gru, Identity,
    LayerNormalization, LeakyRelu, Lstm, Masking, MergeMode, Permute, Prelu, Regularizer, Relu,
    Rescaling, Reshape, Rnn, RnnCell, SimpleRnn, Softmax, SpatialDropout1D, SpatialDropout2D,
};
use lstm_tui::model::{Design, Dtype, Input, Layer, Output, Shape, Summary};

use super::fixtures::fixture_files;

/// The example, the valid Python fixtures, and designs that set every field away from its
/// default somewhere.
pub fn designs() -> Vec<Design> {
    let mut all = vec![Design::example()];
    all.extend(python_fixtures());
    all.extend(built());
    all
}

/// Every valid Python fixture, imported.
pub fn python_fixtures() -> Vec<Design> {
    fixture_files("tests/fixtures/python/valid", "py")
        .iter()
        .map(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("fixture");
            let source = fs::read_to_string(p).expect("fixture");
            design_from_python(&source)
                .map(|mut d| {
                    d.name = stem.to_string();
                    d
                })
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect()
}

fn design(name: &str, shape: Shape, dtype: Dtype, layers: Vec<Layer>) -> Design {
    Design {
        name: name.into(),
        input: Input { shape, dtype },
        layers,
        ..Design::example()
    }
}

/// Fixtures the demo runs leave out. `einsum_dense_none_in_output_shape`: its
/// output axis stays open in the summary, so the demo run's shape check would guess its
/// length, while the module gives the input's. `rms_normalization_variants`: Keras 3.15.1
/// builds it but its scale over axis 1 does not broadcast when it is called on data, so real
/// Keras cannot run it. `activation_layers_take_a_return_state_list`: Keras builds Softmax on
/// a list of tensors, but its call on data fails. `random_crop_then_dense`: Keras 3.15.1 sizes
/// RandomCrop's output as the crop, but at inference passes images through uncropped, so its
/// Dense cannot take what it is given. `random_zoom_keeps_an_lstm_state_list`: Keras builds
/// RandomZoom on a list of tensors, each kept, but its call on data fails, as Softmax's does.
/// `mel_spectrogram_summary_counts_one_frame_more`: MelSpectrogram's summary gives 511 samples
/// 5 frames, its call 4, so its Dense cannot take what it is given.
/// `rescaling_and_unit_normalization_keep_an_lstm_state_list`: Keras builds both on a list of
/// tensors, each kept, but their calls on data fail, as Softmax's does.
/// `mix_up_and_hue_keep_an_lstm_state_list` and `augment_policies_keep_an_lstm_state_list`:
/// the same for MixUp, the colour augmentations and the augmentation policies.
/// `discretization_num_bins_for_adapt`: Keras builds a Discretization given `num_bins`, but
/// calls it only once adapt() has learned its boundaries.
const NOT_RUN: &[&str] = &[
    "activation_layers_take_a_return_state_list",
    "augment_policies_keep_an_lstm_state_list",
    "discretization_num_bins_for_adapt",
    "einsum_dense_none_in_output_shape",
    "mel_spectrogram_summary_counts_one_frame_more",
    "mix_up_and_hue_keep_an_lstm_state_list",
    "random_crop_then_dense",
    "random_zoom_keeps_an_lstm_state_list",
    "rescaling_and_unit_normalization_keep_an_lstm_state_list",
    "rms_normalization_variants",
];

/// Every Keras fixture's `keras_json`, imported and named after its file (fixtures of designs
/// Keras refuses included: the exports must say so rather than break).
pub fn keras_fixtures() -> Vec<Design> {
    fixture_files("tests/fixtures/keras", "json")
        .iter()
        .filter(|p| {
            !p.file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| NOT_RUN.contains(&s))
        })
        .map(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("fixture");
            let text = fs::read_to_string(p).expect("fixture");
            let fixture: serde_json::Value = serde_json::from_str(&text).expect("fixture json");
            design_from_keras_json(&fixture["keras_json"].to_string())
                .map(|mut d| {
                    d.name = stem.to_string();
                    d
                })
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .chain(keras_layer_fixtures())
        .collect()
}

/// Every graph fixture Keras builds, as (file stem, design imported from its `keras_json`),
/// in file order.
pub fn keras_graph_fixtures() -> Vec<(String, Design)> {
    keras_models_in("tests/fixtures/keras_graph")
}

/// The models in `dir` (tests/fixtures/keras_graph or keras_masks) Keras built, imported from
/// the JSON it wrote, each named after its file.
pub fn keras_models_in(dir: &str) -> Vec<(String, Design)> {
    fixture_files(dir, "json")
        .iter()
        .filter_map(|p| {
            let text = fs::read_to_string(p).expect("fixture");
            let fixture: serde_json::Value = serde_json::from_str(&text).expect("fixture json");
            if fixture["expected"]["ok"] == serde_json::Value::Bool(false)
                || fixture["keras_json"].is_null()
            {
                return None;
            }
            let stem = p.file_stem()?.to_string_lossy().to_string();
            let design = design_from_keras_json(&fixture["keras_json"].to_string())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            Some((stem, design))
        })
        .collect()
}

/// The `keras_layers` fixtures whose kinds the catalogue has, imported and named after their
/// file: a kind that lands is exported and run with the others. Files refused at construction
/// (no JSON) or holding a class not modelled yet are left to `keras_fixtures.rs`.
fn keras_layer_fixtures() -> Vec<Design> {
    fixture_files("tests/fixtures/keras_layers", "json")
        .iter()
        .filter_map(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("fixture");
            if NOT_RUN.contains(&stem) {
                return None;
            }
            let text = fs::read_to_string(p).expect("fixture");
            let fixture: serde_json::Value = serde_json::from_str(&text).expect("fixture json");
            design_from_keras_json(&fixture["keras_json"].to_string())
                .map(|mut d| {
                    d.name = stem.to_string();
                    d
                })
                .ok()
        })
        .collect()
}

/// Designs built field by field.
pub fn built() -> Vec<Design> {
    vec![
        design(
            "recurrent-variety",
            Shape(vec![None, Some(12)].into()),
            Dtype::Float32,
            vec![
                Layer::Gru(Gru {
                    units: 24,
                    return_sequences: true,
                    go_backwards: true,
                    dropout: 0.25,
                    recurrent_dropout: 0.125,
                    kernel_regularizer: Some(Regularizer::L1(0.001)),
                    bias_regularizer: Some(Regularizer::L1L2 { l1: 0.01, l2: 0.02 }),
                    name: Some("encoder".into()),
                    ..Gru::default()
                }),
                Layer::SpatialDropout1D(SpatialDropout1D {
                    rate: 0.3,
                    ..SpatialDropout1D::default()
                }),
                Layer::SimpleRnn(SimpleRnn {
                    units: 10,
                    activation: "relu".into(),
                    use_bias: false,
                    return_sequences: true,
                    ..SimpleRnn::default()
                }),
                Layer::Lstm(Lstm {
                    units: 7,
                    unit_forget_bias: false,
                    trainable: false,
                    ..Lstm::default()
                }),
                Layer::Dense(Dense {
                    units: 3,
                    use_bias: false,
                    kernel_regularizer: Some(Regularizer::L2(1e-5)),
                    ..Dense::default()
                }),
                Layer::Activation(Activation {
                    activation: "tanh".into(),
                    name: Some("squash \"it\"".into()),
                    ..Activation::default()
                }),
            ],
        ),
        design(
            "dense on sequences",
            Shape::known(&[5, 4]),
            Dtype::Float32,
            vec![
                Layer::Dense(Dense {
                    units: 8,
                    activation: "gelu".into(),
                    ..Dense::default()
                }),
                Layer::Dropout(Dropout {
                    rate: 0.0,
                    ..Dropout::default()
                }),
                Layer::Gru(Gru {
                    units: 6,
                    ..Gru::default()
                }),
                Layer::Dense(Dense {
                    units: 2,
                    activation: "sigmoid".into(),
                    trainable: false,
                    name: Some("head".into()),
                    ..Dense::default()
                }),
            ],
        ),
        design(
            "int-input",
            Shape::known(&[9]),
            Dtype::Int32,
            vec![Layer::Dense(Dense {
                units: 1,
                ..Dense::default()
            })],
        ),
        activation_layers(),
        keras_recurrent_arithmetic(),
        every_activation(),
        stacked_cells_with_states(),
        partial_norms(),
        bidirectional_conv_lstm(),
    ]
}

/// Bidirectional ConvLSTMs: PyTorch runs no convolutional LSTM both ways, so two modules do.
fn bidirectional_conv_lstm() -> Design {
    let conv = |seq| {
        Box::new(Layer::ConvLstm1D(ConvLstm1D {
            filters: 3,
            kernel_size: 3,
            return_sequences: seq,
            ..ConvLstm1D::default()
        }))
    };
    design(
        "bidirectional-conv-lstm",
        Shape::known(&[4, 8, 2]),
        Dtype::Float32,
        vec![
            Layer::Bidirectional(Bidirectional {
                layer: conv(true),
                ..Bidirectional::default()
            }),
            Layer::Bidirectional(Bidirectional {
                layer: conv(false),
                merge_mode: Some(MergeMode::Sum),
                ..Bidirectional::default()
            }),
        ],
    )
}

/// Normalisations with only a scale or only a shift, and a layer norm over an axis that is
/// not the last: nn.BatchNorm1d and nn.LayerNorm hold both or neither, on the last axes.
fn partial_norms() -> Design {
    design(
        "partial-norms",
        Shape::known(&[6, 4]),
        Dtype::Float32,
        vec![
            Layer::BatchNormalization(BatchNormalization {
                center: false,
                ..BatchNormalization::default()
            }),
            Layer::BatchNormalization(BatchNormalization {
                scale: false,
                ..BatchNormalization::default()
            }),
            Layer::LayerNormalization(LayerNormalization {
                scale: false,
                ..LayerNormalization::default()
            }),
            Layer::LayerNormalization(LayerNormalization {
                axis: vec![1],
                ..LayerNormalization::default()
            }),
            Layer::LayerNormalization(LayerNormalization {
                axis: vec![1],
                center: false,
                ..LayerNormalization::default()
            }),
        ],
    )
}

/// Recurrent layers whose arithmetic no `nn` module has: GRU's reset gate before the
/// recurrent product, other activations, also inside Bidirectional and RNN cells.
fn keras_recurrent_arithmetic() -> Design {
    let gru = |units, seq| Gru {
        units,
        reset_after: false,
        return_sequences: seq,
        ..Gru::default()
    };
    design(
        "keras-recurrent-arithmetic",
        Shape::known(&[6, 4]),
        Dtype::Float32,
        vec![
            Layer::Gru(gru(5, true)),
            Layer::Lstm(Lstm {
                units: 4,
                activation: "relu".into(),
                recurrent_activation: "hard_sigmoid".into(),
                return_sequences: true,
                ..Lstm::default()
            }),
            Layer::Bidirectional(Bidirectional {
                layer: Box::new(Layer::Gru(gru(3, true))),
                merge_mode: Some(MergeMode::Ave),
                ..Bidirectional::default()
            }),
            Layer::SimpleRnn(SimpleRnn {
                units: 3,
                activation: "sigmoid".into(),
                return_sequences: true,
                ..SimpleRnn::default()
            }),
            Layer::Gru(Gru {
                activation: "softsign".into(),
                recurrent_activation: "tanh".into(),
                ..gru(4, true)
            }),
            Layer::Rnn(Rnn {
                cell: RnnCell::Gru(Gru {
                    use_bias: false,
                    ..gru(4, false)
                }),
                ..Rnn::default()
            }),
        ],
    )
}

/// Keras' activations without a `torch.nn` module of the same name, each as a layer.
fn every_activation() -> Design {
    let mut layers = vec![Layer::Dense(Dense {
        units: 6,
        ..Dense::default()
    })];
    for name in [
        "celu",
        "hard_shrink",
        "hard_tanh",
        "log_sigmoid",
        "soft_shrink",
        "tanh_shrink",
        "sparse_plus",
        "sparse_sigmoid",
        "squareplus",
        "sparsemax",
    ] {
        layers.push(Layer::Dense(Dense {
            units: 6,
            activation: name.into(),
            ..Dense::default()
        }));
    }
    design(
        "every-activation",
        Shape::known(&[5]),
        Dtype::Float32,
        layers,
    )
}

/// A stack of cells returning every cell's final states.
fn stacked_cells_with_states() -> Design {
    design(
        "stacked-cells-with-states",
        Shape::known(&[5, 3]),
        Dtype::Float32,
        vec![Layer::Rnn(Rnn {
            cell: RnnCell::Stacked(vec![
                RnnCell::Lstm(Lstm {
                    units: 4,
                    ..Lstm::default()
                }),
                RnnCell::Gru(Gru {
                    units: 3,
                    reset_after: false,
                    ..Gru::default()
                }),
            ]),
            return_state: true,
            ..Rnn::default()
        })],
    )
}

/// Every activation, noise and shape layer with fields away from their defaults, after a Dense
/// so values of both signs reach the slopes.
fn activation_layers() -> Design {
    design(
        "activation-layers",
        Shape::known(&[6, 5]),
        Dtype::Float32,
        vec![
            Layer::Dense(Dense {
                units: 8,
                ..Dense::default()
            }),
            Layer::Relu(Relu {
                max_value: Some(0.9),
                negative_slope: 0.1,
                threshold: 0.05,
                ..Relu::default()
            }),
            Layer::Dense(Dense {
                units: 8,
                ..Dense::default()
            }),
            Layer::Prelu(Prelu {
                shared_axes: vec![1],
                ..Prelu::default()
            }),
            Layer::LeakyRelu(LeakyRelu {
                negative_slope: 0.2,
                ..LeakyRelu::default()
            }),
            Layer::Elu(Elu {
                alpha: 0.5,
                ..Elu::default()
            }),
            Layer::Permute(Permute {
                dims: vec![2, 1],
                ..Permute::default()
            }),
            Layer::Softmax(Softmax {
                axis: vec![1, 2],
                ..Softmax::default()
            }),
            Layer::Rescaling(Rescaling {
                scale: 2.0,
                offset: -1.0,
                ..Rescaling::default()
            }),
            Layer::GaussianNoise(GaussianNoise::default()),
            Layer::GaussianDropout(GaussianDropout::default()),
            Layer::AlphaDropout(AlphaDropout::default()),
            Layer::ActivityRegularization(ActivityRegularization {
                l1: 0.01,
                l2: 0.001,
                ..ActivityRegularization::default()
            }),
            Layer::Identity(Identity::default()),
            Layer::Masking(Masking {
                mask_value: 0.5,
                ..Masking::default()
            }),
            Layer::Reshape(Reshape {
                target_shape: vec![2, 4, 6],
                ..Reshape::default()
            }),
            Layer::SpatialDropout2D(SpatialDropout2D {
                rate: 0.3,
                data_format: DataFormat::ChannelsFirst,
                ..SpatialDropout2D::default()
            }),
            Layer::Relu(Relu::default()),
            Layer::Relu(Relu {
                max_value: Some(6.0),
                ..Relu::default()
            }),
            Layer::Relu(Relu {
                negative_slope: 0.3,
                ..Relu::default()
            }),
        ],
    )
}

/// A command running `python` with the settings every check shares (see
/// [`PYTHON_SETTINGS`]); a setting already in the environment is left as it is.
pub fn python_command(python: &str) -> Command {
    let mut command = Command::new(python);
    for (name, value) in PYTHON_SETTINGS {
        if std::env::var_os(name).is_none() {
            command.env(name, value);
        }
    }
    if std::env::var_os("JAX_COMPILATION_CACHE_DIR").is_none() {
        command.env("JAX_COMPILATION_CACHE_DIR", run_jax_cache());
    }
    command
}

/// Most of the time Keras spends on the jax backend goes to compiling each small program
/// (every initialiser, every operation on a new shape) with XLA, and little to running it:
/// without LLVM's expensive optimisations the compiles take about 40% less CPU time, and the
/// code computes the same operations. Compiled programs are kept for the other processes of
/// the run (in `$JAX_COMPILATION_CACHE_DIR` if set, else in [`run_jax_cache`]): several checks
/// build the same layers on the same shapes, and a kept program is not compiled again however
/// briefly it took. Two processes may write and read an entry at once: JAX takes an entry it
/// cannot read (half written: it fails to decompress or load) as missing and compiles it.
///
/// Each Python also computes on one thread: the checks run two at a time on CI's two cores,
/// and PyTorch's OpenMP threads wait for work by spinning, taking the CPU the other check
/// needs (the live checks took 370 s with PyTorch's default threads, 260 s with one).
const PYTHON_SETTINGS: [(&str, &str); 4] = [
    (
        "XLA_FLAGS",
        "--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true",
    ),
    ("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0"),
    ("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "-1"),
    ("OMP_NUM_THREADS", "1"),
];

/// This run's folder of compiled programs, removed by [`remove_jax_cache`] when it ends.
fn run_jax_cache() -> PathBuf {
    std::env::temp_dir().join(format!("lstm-tui-jax-cache-{}", std::process::id()))
}

/// Removes this run's folder of compiled programs (a `$JAX_COMPILATION_CACHE_DIR` is kept).
pub fn remove_jax_cache() {
    let _ = fs::remove_dir_all(run_jax_cache());
}

/// Runs `code` with `python` and returns its standard output.
pub fn run_python(python: &str, code: &str) -> String {
    run_script(python_command(python), code)
}

/// Runs `code`, which builds models in Keras, on Keras' torch backend, and returns its
/// standard output. For checks of what Keras' own layer code decides whatever the backend
/// (parameter counts, output shapes): the torch backend runs each operation at once, where
/// jax first compiles each with XLA, and these checks take a tenth of the time. The checks
/// that compare computed numbers run on jax, as the fixtures were recorded.
pub fn run_keras_on_torch(python: &str, code: &str) -> String {
    let mut command = python_command(python);
    command.env("KERAS_BACKEND", "torch");
    run_script(command, code)
}

fn run_script(mut command: Command, code: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("exported.py");
    fs::write(&script, code).expect("write script");
    let out = command
        .arg(&script)
        .current_dir(dir.path())
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "python failed:\n{code}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The numbers after each `label` in `text` (commas removed), in order.
pub fn counts(text: &str, label: &str) -> Vec<u64> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix(label))
        .filter_map(|rest| {
            let digits: String = rest
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .filter(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// `(None, 100, 6)` as an exported script prints its output for a batch of 2: `(2, 100, 6)`;
/// open sizes as 7.
pub fn batch_of_two(output: &Output) -> String {
    let one = |s: &Shape| {
        let dims: Vec<String> = std::iter::once("2".to_string())
            .chain(s.0.iter().map(|d| d.map_or("7".into(), |d| d.to_string())))
            .collect();
        if dims.len() == 1 {
            format!("({},)", dims[0])
        } else {
            format!("({})", dims.join(", "))
        }
    };
    match output {
        Output::One(s) => one(s),
        Output::Many(v) => format!("[{}]", v.iter().map(one).collect::<Vec<_>>().join(", ")),
    }
}

/// Checks what a script printed (one exported model after another, each printing its
/// summary and `Output shape: ...`): every model's counts and output shape against its
/// summary.
pub fn assert_script_reports(out: &str, run: &[(Design, Summary)]) {
    let totals = counts(out, "Total params:");
    let trainable = counts(out, "Trainable params:");
    let frozen = counts(out, "Non-trainable params:");
    let shapes: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("Output shape: "))
        .collect();
    assert_eq!(shapes.len(), run.len(), "{out}");
    for (i, (design, s)) in run.iter().enumerate() {
        let name = &design.name;
        assert_eq!(Some(totals[i]), s.totals.total().ok(), "{name}");
        assert_eq!(trainable[i], s.totals.trainable, "{name}");
        assert_eq!(frozen[i], s.totals.non_trainable, "{name}");
        let last = s.rows.last().expect("rows");
        assert_eq!(shapes[i], batch_of_two(&last.output), "{name}");
    }
}
