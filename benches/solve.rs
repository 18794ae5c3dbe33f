//! How long the solver takes on a 100-layer design, a chain and a residual graph whose tied
//! widths move as one. The goal: under 10 ms, so a solve key answers at once. And how long
//! finding the tied widths of a 10,000-node residual graph takes (well under its summary).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use lstm_tui::model::graph::Call;
use lstm_tui::model::layers::{Add, Dense, Dropout, Lstm};
use lstm_tui::model::solve::{largest_size, scale_widths};
use lstm_tui::model::ties::Ties;
use lstm_tui::model::{Convention, Design, Layer, Shape, Summary};

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

/// A Dense stem then `blocks` residual blocks (Dense(32) → Dense(64) → Add with the block's
/// input) on 48 features: every block's second Dense is tied to the stem, and a budget a
/// little above what it uses.
fn residual(blocks: usize) -> Design {
    let mut d = Design::example();
    d.input.shape = Shape::known(&[48]);
    let dense = |units| {
        Layer::Dense(Dense {
            units,
            ..Dense::default()
        })
    };
    d.layers = vec![dense(64)];
    let name = |base: &str, i: usize| match i {
        0 => base.to_string(),
        i => format!("{base}_{i}"),
    };
    for b in 0..blocks {
        d.layers
            .extend([dense(32), dense(64), Layer::Add(Add::default())]);
        let input = if b == 0 {
            "dense".to_string()
        } else {
            name("add", b - 1)
        };
        let add = Call::on(&[input.as_str(), name("dense", 2 * b + 2).as_str()]);
        d.graph.wiring.insert(d.layers.len() - 1, add);
    }
    let params = Summary::of(&d, Convention::Keras)
        .totals
        .total()
        .unwrap_or(0);
    d.budget.params = Some(params + params / 10);
    d
}

fn solve_graph(c: &mut Criterion) {
    let d = residual(33);
    assert_eq!(d.layers.len(), 100);
    let mut group = c.benchmark_group("solve_residual_100_layers");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("largest_size_tied", |b| {
        b.iter(|| largest_size(black_box(&d), 0, 1, Convention::Keras))
    });
    group.bench_function("scale_widths", |b| {
        b.iter(|| scale_widths(black_box(&d), 8, Convention::Keras))
    });
    group.finish();
    let big = residual(3_333);
    let summary = Summary::of(&big, Convention::Keras);
    let mut group = c.benchmark_group("ties_10000_nodes");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("summary", |b| {
        b.iter(|| Summary::of(black_box(&big), Convention::Keras))
    });
    group.bench_function("ties", |b| {
        b.iter(|| Ties::of(black_box(&big), black_box(&summary)))
    });
    group.finish();
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

criterion_group!(benches, solve, solve_graph);
criterion_main!(benches);
