//! How long `Summary::of` takes, per design size. The goal: well under 100 ns per layer, so
//! recomputing the whole summary on every edit stays invisible.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lstm_tui::model::layers::{Dense, Dropout, Lstm};
use lstm_tui::model::{Convention, Design, Layer, Summary};

/// The example's input with `n` layers cycling through a sequence LSTM, Dropout and a Dense
/// on the sequence, so every layer builds whatever `n` is.
pub fn stack(n: usize) -> Design {
    let mut design = Design::example();
    design.layers = (0..n)
        .map(|i| match i % 3 {
            0 => Layer::Lstm(Lstm {
                units: 64,
                return_sequences: true,
                ..Lstm::default()
            }),
            1 => Layer::Dropout(Dropout::default()),
            _ => Layer::Dense(Dense {
                units: 64,
                ..Dense::default()
            }),
        })
        .collect();
    design
}

fn summary(c: &mut Criterion) {
    let mut group = c.benchmark_group("summary");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for n in [10usize, 1_000, 100_000] {
        let design = stack(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &design, |b, d| {
            b.iter(|| Summary::of(black_box(d), Convention::Keras))
        });
    }
    group.finish();
}

criterion_group!(benches, summary);
criterion_main!(benches);
