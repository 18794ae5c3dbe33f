//! The open and compare lists over 60 large designs (about 1 MB each). What the list shows at
//! once reads only the folder: the goal is well under a frame (16 ms) however large the designs.
//! Reading every design for its total (done on a worker thread) is measured beside it.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use lstm_tui::model::Design;
use lstm_tui::store::{Store, to_ron};

/// The example grown with copies of its Dense layer to just under 1 MB of RON.
fn large() -> Design {
    let mut d = Design::example();
    let dense = d.layers[3].clone();
    while to_ron(&d).len() < 1_000_000 {
        d.layers.extend(std::iter::repeat_n(dense.clone(), 500));
    }
    d.layers.truncate(d.layers.len() - 500);
    d
}

fn listing(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::at(dir.path());
    let mut d = large();
    for i in 0..60 {
        d.name = format!("large-{i}");
        store.save(&d, None).expect("save");
    }
    let mut g = c.benchmark_group("open list of 60 designs of 1 MB");
    g.bench_function("shown at once (folder only)", |b| {
        b.iter(|| black_box(store.design_files().expect("list")))
    });
    g.sample_size(10).measurement_time(Duration::from_secs(40));
    g.bench_function("every total read (worker thread)", |b| {
        b.iter(|| black_box(store.list().expect("list")))
    });
    g.finish();
}

criterion_group!(benches, listing);
criterion_main!(benches);
