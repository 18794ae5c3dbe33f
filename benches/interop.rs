//! Moving large designs in and out: PyTorch and Keras code for 100,000 layers, and Python
//! source with 70,000 keyword arguments or a 40,000-term sum. Goal: linear, well under a
//! second each.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lstm_tui::interop::export_keras::keras_code;
use lstm_tui::interop::python::design_from_python;
use lstm_tui::interop::torch::pytorch_code;
use lstm_tui::model::design::VERSION;
use lstm_tui::model::layers::{Dense, Dropout, Lstm};
use lstm_tui::model::{Budget, Design, Dtype, Input, Layer, Shape};

/// A stack that keeps (timesteps, 16), so any length builds.
fn design(n: usize) -> Design {
    let pattern = [
        Layer::Lstm(Lstm {
            units: 16,
            return_sequences: true,
            ..Lstm::default()
        }),
        Layer::Dropout(Dropout::default()),
        Layer::Dense(Dense {
            units: 16,
            activation: "relu".into(),
            ..Dense::default()
        }),
    ];
    Design {
        version: VERSION,
        name: "bench".into(),
        input: Input {
            shape: Shape::known(&[20, 16]),
            dtype: Dtype::Float32,
        },
        layers: pattern.iter().cycle().take(n).cloned().collect(),
        budget: Budget::default(),
        graph: Default::default(),
    }
}

fn export(c: &mut Criterion) {
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    for n in [1_000usize, 100_000] {
        let d = design(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("pytorch", n), &d, |b, d| {
            b.iter(|| pytorch_code(black_box(d)))
        });
        group.bench_with_input(BenchmarkId::new("keras", n), &d, |b, d| {
            b.iter(|| keras_code(black_box(d)))
        });
    }
    group.finish();
}

fn python(c: &mut Criterion) {
    let mut group = c.benchmark_group("python_import");
    group.sample_size(10);
    let keywords: Vec<String> = (0..70_000).map(|i| format!("k{i}=1")).collect();
    let kwargs = format!(
        "m = Sequential([Input((3,)), Dense(4, {})])\n",
        keywords.join(", ")
    );
    group.throughput(Throughput::Elements(70_000));
    group.bench_function("keywords/70000", |b| {
        b.iter(|| design_from_python(black_box(&kwargs)))
    });
    let sum = format!(
        "x = 1{}\nm = Sequential([Input((3,)), Dense(x)])\n",
        "+1".repeat(39_999)
    );
    assert!(design_from_python(&sum).is_ok());
    group.throughput(Throughput::Elements(40_000));
    group.bench_function("sum_terms/40000", |b| {
        b.iter(|| design_from_python(black_box(&sum)))
    });
    group.finish();
}

criterion_group!(benches, export, python);
criterion_main!(benches);
