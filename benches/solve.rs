//! How long the solver takes on a 100-layer design. The goal: under 10 ms, so a solve key
//! answers at once.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use lstm_tui::model::layers::{Dense, Dropout, Lstm};
use lstm_tui::model::solve::{largest_size, scale_widths};
use lstm_tui::model::{Convention, Design, Layer, Summary};

/// The example's input and 100 layers cycling through a sequence LSTM, Dropout and a Dense
/// on the sequence, with all three budgets set a little above what it uses.
fn design() -> Design {
    let mut design = Design::example();
    design.layers = (0..100)
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
    let s = Summary::of(&design, Convention::Keras);
    let params = s.totals.total().unwrap_or(0);
    let macs = s.macs.clone().unwrap_or(0);
    design.budget.params = Some(params + params / 10);
    design.budget.memory = Some(params * 4 + params / 5);
    design.budget.macs = Some(macs + macs / 10);
    design
}

fn solve(c: &mut Criterion) {
    let d = design();
    let mut group = c.benchmark_group("solve_100_layers");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("largest_size", |b| {
        b.iter(|| largest_size(black_box(&d), 0, 1, Convention::Keras))
    });
    group.bench_function("largest_size_multiple_8", |b| {
        b.iter(|| largest_size(black_box(&d), 50, 8, Convention::Keras))
    });
    group.bench_function("scale_widths", |b| {
        b.iter(|| scale_widths(black_box(&d), 8, Convention::Keras))
    });
    group.finish();
}

criterion_group!(benches, solve);
criterion_main!(benches);
