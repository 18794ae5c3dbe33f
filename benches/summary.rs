//! `Summary::of` on realistic stacks of 10, 1,000 and 100,000 layers. Goal: under 100 ns per
//! layer.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lstm_tui::model::design::VERSION;
use lstm_tui::model::layers::{
    BatchNormalization, Bidirectional, Conv1D, Dense, Dropout, Gru, LayerNormalization, Lstm,
    Padding, TimeDistributed,
};
use lstm_tui::model::{Budget, Convention, Design, Dtype, Input, Layer, Shape, Summary};

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
        Layer::Lstm(lstm.clone()),
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
        name: "bench".into(),
        input: Input {
            shape: Shape::known(&[100, 64]),
            dtype: Dtype::Float32,
        },
        layers: pattern.iter().cycle().take(n).cloned().collect(),
        budget: Budget::default(),
        graph: Default::default(),
    }
}

fn summary(c: &mut Criterion) {
    let mut group = c.benchmark_group("summary_of");
    for n in [10usize, 1_000, 100_000] {
        let d = design(n);
        assert!(Summary::of(&d, Convention::Keras).is_ok());
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &d, |b, d| {
            b.iter(|| Summary::of(black_box(d), Convention::Keras))
        });
    }
    group.finish();
}

criterion_group!(benches, summary);
criterion_main!(benches);
