//! `diff` of two 100,000-layer designs: one edited in a few places (the usual comparison with
//! a saved variant) and two unrelated ones (the worst case, bounded by the search time).
//! Goal: well under a second each, in memory linear in the number of layers. For scale: the
//! two summaries alone, and the diff of a design with itself (summaries plus keys).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use lstm_tui::model::design::VERSION;
use lstm_tui::model::diff::diff;
use lstm_tui::model::layers::{Dense, Dropout};
use lstm_tui::model::{Budget, Convention, Design, Dtype, Input, Layer, Shape, Summary};

const LAYERS: usize = 100_000;

fn dense(units: u64) -> Layer {
    Layer::Dense(Dense {
        units,
        ..Dense::default()
    })
}

fn design(layers: Vec<Layer>) -> Design {
    Design {
        version: VERSION,
        name: "bench".into(),
        input: Input {
            shape: Shape::known(&[64]),
            dtype: Dtype::Float32,
        },
        layers,
        budget: Budget::default(),
        graph: Default::default(),
    }
}

fn bench(c: &mut Criterion) {
    let base = design(vec![dense(64); LAYERS]);
    // Every 1,000th layer widened, one layer inserted and one removed.
    let mut edited = base.clone();
    for i in (500..LAYERS).step_by(1_000) {
        edited.layers[i] = dense(65);
    }
    edited
        .layers
        .insert(LAYERS / 3, Layer::Dropout(Dropout::default()));
    edited.layers.remove(2 * LAYERS / 3);
    // No two rows alike: alternating widths against a constant one.
    let unrelated = design(
        (0..LAYERS)
            .map(|i| dense(if i % 2 == 0 { 48 } else { 80 }))
            .collect(),
    );
    let mut group = c.benchmark_group("diff_100k_layers");
    group.sample_size(10);
    group.bench_function("two_summaries_alone", |b| {
        b.iter(|| {
            (
                Summary::of(black_box(&base), Convention::Keras),
                Summary::of(black_box(&edited), Convention::Keras),
            )
        })
    });
    for (name, other) in [
        ("identical", &base),
        ("few_edits", &edited),
        ("unrelated", &unrelated),
    ] {
        group.bench_with_input(BenchmarkId::from_parameter(name), other, |b, other| {
            b.iter(|| diff(black_box(&base), black_box(other), Convention::Keras))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
