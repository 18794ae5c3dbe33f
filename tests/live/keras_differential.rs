//! Differential test against real Keras: random Sequential designs over every layer kind and
//! its main options, built by lstm-tui and by Keras 3 (one Python process for the whole
//! batch). Shapes, per-row parameters, the trainable split and refusals must agree.
//!
//! `LSTM_TUI_DIFF_CASES` (default 100) and `LSTM_TUI_DIFF_SEED` (default 1) choose the batch.
//! Each mismatch class found this way is kept as a fixture in tests/fixtures/keras (see
//! tests/support/keras_fixture_specs.json), so it stays fixed without Python.

use std::io::Write as _;

use crate::{check, common};
use common::needs::Need;
use libtest_mimic::Trial;
use lstm_tui::interop::{keras_json, layer_from_saved};
use lstm_tui::model::design::VERSION;
use lstm_tui::model::layers::KindEntry;
use lstm_tui::model::{Budget, Convention, Design, Dtype, Input, Layer, Shape, Summary};
use lstm_tui::report::json as summary_json;
use serde_json::{Value, json};

/// SplitMix64: a seeded, dependency-free source of choices, so a failing batch can be rerun.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A whole number in `lo..=hi`.
    fn int(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }
}

/// Every kind lstm-tui knows, so a new kind is drawn here without editing this file (and a
/// kind whose Keras config needs more than [`config`] gives fails until it is taught).
fn classes() -> Vec<&'static str> {
    Layer::catalogue()
        .iter()
        .map(|l| l.kind().class())
        .collect()
}

/// Keras' default layout mostly, PyTorch's sometimes.
fn data_format(rng: &mut Rng) -> &'static str {
    if rng.chance(0.2) {
        "channels_first"
    } else {
        "channels_last"
    }
}

/// A random Keras config (keyword arguments, Keras spelling) for `class`.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per layer class: the generator reads as a table of Keras keyword arguments"
)]
fn config(rng: &mut Rng, class: &str) -> Value {
    let mut c = serde_json::Map::new();
    let mut set = |k: &str, v: Value| {
        c.insert(k.into(), v);
    };
    let recurrent = |rng: &mut Rng, set: &mut dyn FnMut(&str, Value), class: &str| {
        set("units", json!(rng.int(1, 6)));
        set("return_sequences", json!(rng.chance(0.5)));
        set("return_state", json!(rng.chance(0.15)));
        set("use_bias", json!(rng.chance(0.85)));
        set("go_backwards", json!(rng.chance(0.1)));
        if class == "GRU" {
            set("reset_after", json!(rng.chance(0.7)));
        }
        if class == "SimpleRNN" {
            set("activation", json!(rng.pick(&["tanh", "relu"])));
        }
    };
    match class {
        "Dense" => {
            set("units", json!(rng.int(1, 8)));
            set("use_bias", json!(rng.chance(0.8)));
            set("activation", json!(rng.pick(&["linear", "relu", "tanh"])));
        }
        "LSTM" | "GRU" | "SimpleRNN" => recurrent(rng, &mut set, class),
        "Dropout" | "SpatialDropout1D" => set("rate", json!(0.25)),
        "Activation" => set("activation", json!(rng.pick(&["relu", "tanh", "sigmoid"]))),
        "Bidirectional" => {
            let inner = *rng.pick(&["LSTM", "GRU", "SimpleRNN"]);
            let mut ic = serde_json::Map::new();
            recurrent(
                rng,
                &mut |k: &str, v: Value| {
                    ic.insert(k.into(), v);
                },
                inner,
            );
            set("layer", json!({"class_name": inner, "config": ic}));
            let merge = *rng.pick(&["concat", "sum", "mul", "ave", "none"]);
            set(
                "merge_mode",
                if merge == "none" {
                    Value::Null
                } else {
                    json!(merge)
                },
            );
        }
        "TimeDistributed" => {
            // Not MaxPooling1D: on steps without a time axis Keras builds it (its shape rule
            // reads no pooled axis) but fails on any call, so lstm-tui refuses it on purpose.
            let inner = *rng.pick(&["Dense", "Conv1D", "Flatten", "Dropout", "LSTM"]);
            let ic = config(rng, inner);
            set("layer", json!({"class_name": inner, "config": ic}));
        }
        "Conv1D" | "ConvLSTM1D" => {
            set("filters", json!(rng.int(1, 6)));
            set("kernel_size", json!(rng.int(1, 5)));
            let strided = rng.chance(0.3);
            set("strides", json!(if strided { rng.int(2, 3) } else { 1 }));
            set(
                "dilation_rate",
                json!(if !strided && rng.chance(0.25) { 2 } else { 1 }),
            );
            let paddings: &[&str] = if class == "Conv1D" {
                &["valid", "same", "causal"]
            } else {
                &["valid", "same"]
            };
            set("padding", json!(rng.pick(paddings)));
            set("use_bias", json!(rng.chance(0.8)));
            set("data_format", json!(data_format(rng)));
            if class == "ConvLSTM1D" {
                set("return_sequences", json!(rng.chance(0.5)));
            }
        }
        "Conv2D" | "ConvLSTM2D" => {
            set("filters", json!(rng.int(1, 4)));
            set("kernel_size", json!([rng.int(1, 3), rng.int(1, 3)]));
            let s = rng.int(1, 2);
            set("strides", json!([s, s]));
            set("padding", json!(rng.pick(&["valid", "same"])));
            set("use_bias", json!(rng.chance(0.8)));
            set("data_format", json!(data_format(rng)));
            if class == "ConvLSTM2D" {
                set("return_sequences", json!(rng.chance(0.5)));
            }
        }
        "MaxPooling1D" | "AveragePooling1D" => {
            set("pool_size", json!(rng.int(1, 4)));
            if rng.chance(0.4) {
                set("strides", json!(rng.int(1, 3)));
            }
            set("padding", json!(rng.pick(&["valid", "same"])));
            set("data_format", json!(data_format(rng)));
        }
        "MaxPooling2D" => {
            set("pool_size", json!([rng.int(1, 3), rng.int(1, 3)]));
            set("padding", json!(rng.pick(&["valid", "same"])));
        }
        "GlobalMaxPooling1D" | "GlobalAveragePooling1D" => {
            set("keepdims", json!(rng.chance(0.2)));
            set("data_format", json!(data_format(rng)));
        }
        "BatchNormalization" => {
            set("axis", json!(rng.pick(&[-1, 1, 2])));
            set("center", json!(rng.chance(0.8)));
            set("scale", json!(rng.chance(0.8)));
        }
        "LayerNormalization" => {
            set("axis", json!(rng.pick(&[-1, 1])));
            set("center", json!(rng.chance(0.8)));
            set("scale", json!(rng.chance(0.8)));
        }
        "Embedding" => {
            set("input_dim", json!(rng.int(5, 20)));
            set("output_dim", json!(rng.int(1, 6)));
            set("mask_zero", json!(rng.chance(0.2)));
        }
        "RepeatVector" => set("n", json!(rng.int(1, 4))),
        "RandomFlip" => set(
            "mode",
            json!(rng.pick(&["horizontal", "vertical", "horizontal_and_vertical"])),
        ),
        "RandomRotation" | "RandomContrast" | "RandomBrightness" => set(
            "factor",
            if rng.chance(0.5) {
                json!(0.2)
            } else {
                json!([0.0, 0.3])
            },
        ),
        "RandomHue" | "RandomSharpness" | "RandomInvert" | "CutMix" => set(
            "factor",
            if rng.chance(0.5) {
                json!(0.2)
            } else {
                json!([0.0, 0.3])
            },
        ),
        "RandomSaturation" | "RandomColorDegeneration" => {
            set(
                "factor",
                if rng.chance(0.5) {
                    json!(0.5)
                } else {
                    json!([-0.2, 0.4])
                },
            );
            set("data_format", json!(data_format(rng)));
        }
        "RandomPosterization" => set("factor", json!(rng.int(1, 8))),
        "RandomGrayscale" => {
            set("factor", json!(0.3));
            set("data_format", json!(data_format(rng)));
        }
        "MixUp" => set("alpha", json!(0.4)),
        "RandomShear" => {
            set(
                "x_factor",
                json!(rng.pick(&[json!(0.0), json!([0.0, 0.2])])),
            );
            set("y_factor", json!([0.1, 0.3]));
            set(
                "fill_mode",
                json!(rng.pick(&["reflect", "nearest", "constant", "mirror"])),
            );
        }
        "RandomPerspective" => {
            set("factor", json!(0.5));
            set("scale", json!(rng.pick(&[0.2, 1.0])));
            set("data_format", json!(data_format(rng)));
        }
        "RandomElasticTransform" | "RandomErasing" => {
            set("factor", json!(0.5));
            set("scale", json!(rng.pick(&[json!(0.3), json!([0.1, 0.2])])));
            if class == "RandomElasticTransform" {
                set("fill_mode", json!(rng.pick(&["reflect", "wrap", "mirror"])));
            }
        }
        "RandomGaussianBlur" => {
            set("kernel_size", json!(rng.pick(&[json!(3), json!([3, 5])])));
            set("sigma", json!(0.5));
        }
        "Solarization" => {
            set("addition_factor", json!(0.2));
            set("threshold_factor", json!([0.1, 0.4]));
        }
        "RandomColorJitter" => {
            if rng.chance(0.5) {
                set("brightness_factor", json!(0.2));
            }
            if rng.chance(0.5) {
                set("hue_factor", json!([0.0, 0.3]));
            }
        }
        "RandAugment" => set("num_ops", json!(rng.int(1, 4))),
        "AugMix" => set("all_ops", json!(rng.chance(0.5))),
        "AutoContrast" => set("value_range", json!(rng.pick(&[[0, 255], [0, 1]]))),
        "Discretization" => {
            // Boundaries (some unsorted, as Keras takes them), or a number of bins for adapt();
            // sometimes both, as an adapted layer's config holds them.
            let given = rng.chance(0.8);
            if given {
                let n = rng.int(0, 4);
                let start = *rng.pick(&[-1.0, 0.0, 0.5]);
                let mut edges: Vec<f64> = (0..n).map(|i| start + 0.25 * i as f64).collect();
                if rng.chance(0.1) {
                    edges.reverse();
                }
                set("bin_boundaries", json!(edges));
            }
            if !given || rng.chance(0.1) {
                set("num_bins", json!(rng.int(0, 6)));
            }
            set(
                "output_mode",
                json!(rng.pick(&["int", "one_hot", "multi_hot", "count"])),
            );
        }
        "RandomZoom" | "RandomTranslation" => {
            set("height_factor", json!(0.1));
            set("width_factor", json!([-0.2, 0.1]));
            set(
                "fill_mode",
                json!(rng.pick(&["reflect", "nearest", "constant", "mirror"])),
            );
        }
        "STFTSpectrogram" => {
            let frame = rng.int(1, 5);
            set("frame_length", json!(frame));
            if rng.chance(0.7) {
                set("frame_step", json!(rng.int(1, frame)));
            }
            if rng.chance(0.4) {
                set("fft_length", json!(rng.int(frame, 9)));
            }
            set(
                "mode",
                json!(rng.pick(&["log", "magnitude", "psd", "real", "imag", "angle", "stft"])),
            );
            set("padding", json!(rng.pick(&["valid", "same"])));
            set(
                "window",
                json!(rng.pick(&[Some("hann"), Some("hamming"), Some("bartlett"), None])),
            );
            set("expand_dims", json!(rng.chance(0.3)));
            set("data_format", json!(data_format(rng)));
        }
        "MelSpectrogram" => {
            let fft = rng.int(2, 16);
            set("fft_length", json!(fft));
            set("sequence_stride", json!(rng.int(1, 8)));
            if rng.chance(0.4) {
                set("sequence_length", json!(rng.int(1, fft)));
            }
            set("num_mel_bins", json!(rng.int(1, 8)));
            set(
                "window",
                json!(rng.pick(&[Some("hann"), Some("hamming"), None])),
            );
        }
        "Resizing" | "CenterCrop" | "RandomCrop" => {
            set("height", json!(rng.int(1, 9)));
            set("width", json!(rng.int(1, 9)));
            set("data_format", json!(data_format(rng)));
        }
        "Reshape" => {
            let a = rng.int(1, 4);
            set(
                "target_shape",
                if rng.chance(0.5) {
                    json!([a, -1])
                } else {
                    json!([a, rng.int(1, 8)])
                },
            );
        }
        _ => {}
    }
    // Keras' SpatialDropout1D and Discretization take no `trainable` (their JSON cannot carry
    // one).
    if KindEntry::named(class).is_some_and(|k| k.keras.trainable_arg) && rng.chance(0.08) {
        set("trainable", json!(false));
    }
    // Given names, some of them Keras' own automatic ones: duplicates must be refused.
    if rng.chance(0.06) {
        let name = *rng.pick(&["dense", "dense_1", "lstm", "conv1d", "input_layer", "x"]);
        set("name", json!(name));
    }
    Value::Object(c)
}

/// A random input: a sequence, a vector, an image, a sequence of rows or of images, or
/// token ids; some sequence lengths left open.
fn input(rng: &mut Rng) -> Input {
    let t = if rng.chance(0.2) {
        None
    } else {
        Some(rng.int(1, 8))
    };
    let (shape, dtype) = match rng.int(0, 5) {
        0 => (Shape(vec![Some(rng.int(1, 8))].into()), Dtype::Float32),
        1 => (
            Shape::known(&[rng.int(1, 8), rng.int(1, 8), rng.int(1, 3)]),
            Dtype::Float32,
        ),
        2 => (
            Shape(vec![t, Some(rng.int(1, 7)), Some(rng.int(1, 3))].into()),
            Dtype::Float32,
        ),
        3 => (
            Shape(
                vec![
                    t,
                    Some(rng.int(1, 5)),
                    Some(rng.int(1, 5)),
                    Some(rng.int(1, 2)),
                ]
                .into(),
            ),
            Dtype::Float32,
        ),
        4 => (Shape(vec![t].into()), Dtype::Int32),
        _ => (Shape(vec![t, Some(rng.int(1, 6))].into()), Dtype::Float32),
    };
    Input { shape, dtype }
}

/// A random design: layers are drawn until 1 to 5 are kept; a layer that makes the design
/// fail is mostly drawn again, so most designs build and some do not.
fn design(rng: &mut Rng, index: usize) -> Design {
    let mut d = Design {
        version: VERSION,
        name: format!("case_{index}"),
        input: input(rng),
        layers: Vec::new(),
        budget: Budget::default(),
        graph: Default::default(),
    };
    let want = rng.int(1, 5) as usize;
    let classes = classes();
    let mut tries = 0;
    while d.layers.len() < want && tries < 40 {
        tries += 1;
        let class = *rng.pick(&classes);
        let Ok(layer) = layer_from_saved(class, &config(rng, class)) else {
            continue;
        };
        // Not the sizing kinds on anything but an image: Keras reads a tensor of another
        // rank as images without a batch axis (its output loses the batch). Not an LSTM in
        // TimeDistributed on steps that are not sequences: Keras builds it, but its cell
        // fails on any call. Not MelSpectrogram on anything but (batch, samples): Keras'
        // summary reads other ranks' second axis as samples, but its call transforms the
        // last. lstm-tui refuses all three on purpose.
        let image = matches!(class, "Resizing" | "CenterCrop" | "RandomCrop");
        let steps =
            matches!(&layer, Layer::TimeDistributed(t) if matches!(*t.layer, Layer::Lstm(_)));
        if (image || steps) && last_rank(&d) != Some(4) {
            continue;
        }
        if class == "MelSpectrogram" && last_rank(&d) != Some(2) {
            continue;
        }
        d.layers.push(layer);
        if !Summary::of(&d, Convention::Keras).is_ok() && !rng.chance(0.2) {
            d.layers.pop();
        } else if !Summary::of(&d, Convention::Keras).is_ok() {
            break;
        }
    }
    d
}

/// The rank, batch included, of the design's last output (an image's is 4); `None` when it
/// does not build or ends in several tensors.
fn last_rank(design: &Design) -> Option<usize> {
    let s = Summary::of(design, Convention::Keras);
    match s.rows.last() {
        _ if !s.is_ok() => None,
        Some(row) => row.output.single().map(Shape::ndim),
        None => Some(design.input.shape.ndim()),
    }
}

/// What differs between lstm-tui's summary and Keras' `expected` block, as a class (for
/// grouping) and the details.
fn differences(design: &Design, keras: &Value) -> Option<(String, String)> {
    let ours = summary_json(&Summary::of(design, Convention::Keras));
    let last_class = |i: usize| {
        design
            .layers
            .get(i)
            .map_or("?", |l| l.kind().class())
            .to_string()
    };
    match (keras["ok"].as_bool(), ours["ok"].as_bool()) {
        (Some(false), _) if keras["failing_layer_index"].is_null() => Some((
            "Keras cannot read the exported JSON".into(),
            keras["error"].to_string(),
        )),
        (Some(false), Some(true)) => {
            let i = keras["failing_layer_index"].as_u64().unwrap_or(0) as usize;
            Some((
                format!("Keras refuses {} but lstm-tui builds it", last_class(i)),
                keras["error_detail"].to_string(),
            ))
        }
        (Some(true), Some(false)) => {
            let i = ours["failing_layer_index"].as_u64().unwrap_or(0) as usize;
            Some((
                format!("lstm-tui refuses {} but Keras builds it", last_class(i)),
                ours["error"].to_string(),
            ))
        }
        (Some(false), Some(false)) => (keras["failing_layer_index"] != ours["failing_layer_index"])
            .then(|| {
                (
                    "both refuse, at different layers".into(),
                    format!(
                        "Keras at {} ({}), lstm-tui at {} ({})",
                        keras["failing_layer_index"],
                        keras["error_detail"],
                        ours["failing_layer_index"],
                        ours["error"]
                    ),
                )
            }),
        _ => {
            let want = keras["rows"].as_array().cloned().unwrap_or_default();
            let have = ours["rows"].as_array().cloned().unwrap_or_default();
            for (i, (w, h)) in want.iter().zip(&have).enumerate() {
                for key in common::ROW_KEYS {
                    if w[key] != h[key] {
                        return Some((
                            format!("{} {key}", last_class(i)),
                            format!("row {i}: lstm-tui {} Keras {}", h[key], w[key]),
                        ));
                    }
                }
            }
            (want.len() != have.len()).then(|| {
                (
                    "row count".into(),
                    format!("lstm-tui {} rows, Keras {}", have.len(), want.len()),
                )
            })
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn random_designs_build_as_in_real_keras(python: &str) {
    let cases = env_number("LSTM_TUI_DIFF_CASES", 100) as usize;
    let mut rng = Rng(env_number("LSTM_TUI_DIFF_SEED", 1));
    let designs: Vec<Design> = (0..cases).map(|i| design(&mut rng, i)).collect();
    let batch: Vec<Value> = designs
        .iter()
        .map(|d| json!({"name": d.name, "keras_json": keras_json(d)}))
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let models = dir.path().join("models.json");
    std::fs::write(&models, serde_json::to_string(&batch).expect("json")).expect("write");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/keras_summary.py"
    );
    let out = common::python_command(python)
        .args([script, "check"])
        .arg(&models)
        .env("KERAS_BACKEND", "jax")
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).expect("results");
    assert_eq!(results.len(), designs.len());
    // One example per mismatch class, the smallest design found.
    let mut classes: Vec<(String, String, Design)> = Vec::new();
    let mut built = 0;
    for (design, result) in designs.iter().zip(&results) {
        built += usize::from(result["expected"]["ok"] == Value::Bool(true));
        if let Some((class, detail)) = differences(design, &result["expected"]) {
            match classes.iter_mut().find(|(c, _, _)| *c == class) {
                Some(slot) if slot.2.layers.len() > design.layers.len() => {
                    *slot = (class, detail, design.clone());
                }
                Some(_) => {}
                None => classes.push((class, detail, design.clone())),
            }
        }
    }
    // The batch must exercise both sides: models Keras builds and models it refuses.
    let _ = writeln!(
        std::io::stderr(),
        "random_designs_build_as_in_real_keras: {built} of {cases} random designs build in Keras; {} mismatch class(es)",
        classes.len()
    );
    assert!(
        built > cases / 4 && built < cases,
        "{built} of {cases} built"
    );
    let report: Vec<String> = classes
        .iter()
        .map(|(class, detail, d)| {
            format!(
                "{class}: {detail}\n{}",
                lstm_tui::interop::export_keras::keras_code(d)
            )
        })
        .collect();
    assert!(
        classes.is_empty(),
        "{} mismatch class(es):\n\n{}",
        classes.len(),
        report.join("\n")
    );
}

pub fn checks() -> Vec<Trial> {
    let keras = Need::python(&["keras"]);
    common::needs::listed(
        module_path!(),
        include_str!("keras_differential.rs"),
        vec![check!(keras => random_designs_build_as_in_real_keras)],
    )
}
