//! `lstm-tui summary` end to end, on the example (6 layers) and on a design of 10,000 layers.
//! Goal: the 10,000-layer run of the real binary takes at most 10× the example's, so a large
//! design costs little beyond starting the process. Each stage (RON parse, `Summary::of`, the
//! text table, the JSON) is measured on its own too, to show which one grows.

use std::hint::black_box;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lstm_tui::caps::{escape_json, visible_lines};
use lstm_tui::model::design::VERSION;
use lstm_tui::model::layers::{
    BatchNormalization, Bidirectional, Conv1D, Dense, Dropout, Gru, LayerNormalization, Lstm,
    Padding, Regularizer, TimeDistributed,
};
use lstm_tui::model::{Budget, Convention, Design, Dtype, Input, Layer, Shape, Summary};
use lstm_tui::report;
use lstm_tui::store::{parse_design, parse_design_with_ron, to_ron};

/// Layers in the large design.
const LARGE: usize = 10_000;

/// A sequence-model mix that keeps (timesteps, 64) so any length builds.
fn design(n: usize) -> Design {
    let lstm = Lstm {
        units: 64,
        return_sequences: true,
        ..Lstm::default()
    };
    let pattern = [
        Layer::Conv1D(Conv1D {
            filters: 64,
            kernel_size: 3,
            padding: Padding::Same,
            ..Conv1D::default()
        }),
        Layer::Lstm(Lstm {
            recurrent_regularizer: Some(Regularizer::L2(0.0015)),
            ..lstm.clone()
        }),
        Layer::Dropout(Dropout::default()),
        Layer::Gru(Gru {
            units: 64,
            return_sequences: true,
            ..Gru::default()
        }),
        Layer::Dense(Dense {
            units: 64,
            activation: "relu".into(),
            ..Dense::default()
        }),
        Layer::LayerNormalization(LayerNormalization::default()),
        Layer::Bidirectional(Bidirectional {
            layer: Box::new(Layer::Lstm(Lstm {
                units: 32,
                ..lstm.clone()
            })),
            ..Bidirectional::default()
        }),
        Layer::BatchNormalization(BatchNormalization::default()),
        Layer::TimeDistributed(TimeDistributed {
            layer: Box::new(Layer::Dense(Dense {
                units: 64,
                ..Dense::default()
            })),
            ..TimeDistributed::default()
        }),
        Layer::Lstm(lstm),
    ];
    Design {
        version: VERSION,
        name: "large".into(),
        input: Input {
            shape: Shape::known(&[100, 64]),
            dtype: Dtype::Float32,
        },
        layers: pattern.iter().cycle().take(n).cloned().collect(),
        budget: Budget::default(),
        graph: Default::default(),
    }
}

/// What `summary` does after reading the file: parse, summarise, format, make printable.
fn table(text: &str) -> usize {
    let d = parse_design(text).expect("parses");
    let s = Summary::of(&d, Convention::Keras);
    let out = report::text_with(&s, &d.name, &[], &d.budget);
    visible_lines(&out).len()
}

/// The same with `--format json`.
fn json(text: &str) -> usize {
    let d = parse_design(text).expect("parses");
    let s = Summary::of(&d, Convention::Keras);
    let out = report::json_text_with(&s, d.budget.precision);
    visible_lines(&escape_json(&out)).len()
}

/// The stages one by one on the large design.
fn stages(c: &mut Criterion) {
    let d = design(LARGE);
    let text = to_ron(&d);
    let s = Summary::of(&d, Convention::Keras);
    assert!(s.is_ok());
    let mut g = c.benchmark_group("summary stages, 10,000 layers");
    g.throughput(Throughput::Elements(LARGE as u64));
    g.bench_function("parse RON", |b| b.iter(|| parse_design(black_box(&text))));
    // The same text through RON's own parser, as every design was read before the quick
    // reader, and as a hand-edited file outside its subset still is.
    g.bench_function("parse RON, RON's parser alone", |b| {
        b.iter(|| parse_design_with_ron(black_box(&text)))
    });
    g.bench_function("Summary::of", |b| {
        b.iter(|| Summary::of(black_box(&d), Convention::Keras))
    });
    g.bench_function("text table", |b| {
        b.iter(|| report::text_with(black_box(&s), &d.name, &[], &d.budget))
    });
    g.bench_function("JSON", |b| {
        b.iter(|| report::json_text_with(black_box(&s), d.budget.precision))
    });
    g.finish();
}

/// Parse to printable output, in process.
fn in_process(c: &mut Criterion) {
    let example = to_ron(&Design::example());
    let large = to_ron(&design(LARGE));
    let mut g = c.benchmark_group("summary in process");
    for (label, text) in [("example", &example), ("10,000 layers", &large)] {
        g.bench_function(format!("{label}, table"), |b| {
            b.iter(|| table(black_box(text)))
        });
        g.bench_function(format!("{label}, JSON"), |b| {
            b.iter(|| json(black_box(text)))
        });
    }
    g.finish();
}

/// Runs `lstm-tui summary FILE [--format json]` to completion.
fn run(config: &Path, file: &Path, extra: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_lstm-tui"))
        .arg("summary")
        .arg(file)
        .args(extra)
        .env("LSTM_TUI_CONFIG_DIR", config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    assert!(status.success());
}

/// The real binary, process start included: the goal's measure.
fn process(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let example = dir.path().join("example.ron");
    let large = dir.path().join("large.ron");
    std::fs::write(&example, to_ron(&Design::example())).expect("write");
    std::fs::write(&large, to_ron(&design(LARGE))).expect("write");
    let mut g = c.benchmark_group("lstm-tui summary (process)");
    g.sample_size(30).measurement_time(Duration::from_secs(10));
    for (label, file) in [("example", &example), ("10,000 layers", &large)] {
        g.bench_function(format!("{label}, table"), |b| {
            b.iter(|| run(dir.path(), file, &[]))
        });
        g.bench_function(format!("{label}, JSON"), |b| {
            b.iter(|| run(dir.path(), file, &["--format", "json"]))
        });
    }
    g.finish();
}

criterion_group!(benches, stages, in_process, process);
criterion_main!(benches);
