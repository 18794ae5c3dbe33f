//! `Summary::of` on realistic stacks of 10, 1,000 and 100,000 layers. Goal: under 100 ns per
//! layer.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lstm_tui::model::design::VERSION;
use lstm_tui::model::graph::Call;
use lstm_tui::model::layers::{
    Add, BatchNormalization, Bidirectional, Conv1D, Dense, Dropout, Gru, LayerNormalization, Lstm,
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

/// Nodes in the graph comparison.
const NODES: usize = 10_000;

/// A residual chain of `n` nodes: each Dense(64) is added back to its own input, as a ResNet
/// block does (Dense, then Add of the block's input and the Dense's output).
fn residual_graph(n: usize) -> Design {
    let mut d = design(0);
    d.layers.clear();
    for i in 0..n / 2 {
        d.layers.push(Layer::Dense(Dense {
            units: 64,
            ..Dense::default()
        }));
        d.layers.push(Layer::Add(Add::default()));
        let block_input = match i {
            0 => "input_layer".to_string(),
            1 => "add".to_string(),
            i => format!("add_{}", i - 1),
        };
        let dense = match i {
            0 => "dense".to_string(),
            i => format!("dense_{i}"),
        };
        d.graph
            .wiring
            .insert(2 * i + 1, Call::on(&[block_input.as_str(), dense.as_str()]));
    }
    d.input.shape = Shape::known(&[64]);
    d
}

/// The same number of layers as a plain chain: Dense(64) and Dropout alternating.
fn dense_chain(n: usize) -> Design {
    let mut d = design(0);
    d.input.shape = Shape::known(&[64]);
    for _ in 0..n / 2 {
        d.layers.push(Layer::Dense(Dense {
            units: 64,
            ..Dense::default()
        }));
        d.layers.push(Layer::Dropout(Dropout::default()));
    }
    d
}

/// A 10,000-node residual graph against a 10,000-layer chain. Goal: the graph within 2× of
/// the chain.
fn graph_vs_chain(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph_vs_chain");
    group.throughput(Throughput::Elements(NODES as u64));
    let graph = residual_graph(NODES);
    assert!(Summary::of(&graph, Convention::Keras).is_ok());
    let chain = dense_chain(NODES);
    assert!(Summary::of(&chain, Convention::Keras).is_ok());
    group.bench_function("chain_10000", |b| {
        b.iter(|| Summary::of(black_box(&chain), Convention::Keras))
    });
    group.bench_function("residual_graph_10000", |b| {
        b.iter(|| Summary::of(black_box(&graph), Convention::Keras))
    });
    group.finish();
}

criterion_group!(benches, summary, graph_vs_chain);
criterion_main!(benches);
