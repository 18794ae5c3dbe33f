//! Undo memory grows with what each edit changed, and is bounded overall: measured with a
//! counting allocator, so this file is its own test binary.

use std::alloc::System;
use std::sync::Mutex;

use crate::common::large::dense_stack;
use crate::common::press;
use lstm_tui::app::App;
use lstm_tui::app::history::{HISTORY_BYTES, History};
use lstm_tui::model::{Convention, Layer};
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

#[global_allocator]
static ALLOC: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The tests measure the whole process, so they take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Bytes allocated and not yet freed, by every thread.
fn live() -> usize {
    let s = ALLOC.stats();
    let live =
        s.bytes_allocated as i128 - s.bytes_deallocated as i128 + s.bytes_reallocated as i128;
    usize::try_from(live).unwrap_or(0)
}

#[test]
fn nudging_one_layer_of_a_large_design_keeps_about_one_layer_per_edit() {
    let _turn = ONE_AT_A_TIME.lock();
    const LAYERS: usize = 4_000;
    const EDITS: usize = 30;
    let mut app = App::new(dense_stack(LAYERS, 16), Convention::Keras);
    // One edit first, so that lazily built state is in place before measuring.
    press(&mut app, "+");
    let one_copy = LAYERS * std::mem::size_of::<Layer>();
    let start = live();
    for _ in 0..EDITS {
        press(&mut app, "j +");
    }
    let grown = live().saturating_sub(start);
    eprintln!("{EDITS} edits of a {LAYERS}-layer design: +{grown} bytes (one copy {one_copy})");
    assert_eq!(app.history.undo_len(), EDITS + 1);
    // A copy of the design per edit would be EDITS × one_copy; what changed is one layer.
    assert!(
        grown < one_copy / 4,
        "{EDITS} one-layer edits grew memory by {grown} bytes; one copy of the design is \
         {one_copy}"
    );
    // And every edit still comes back.
    for _ in 0..=EDITS {
        press(&mut app, "u");
    }
    assert_eq!(app.design, dense_stack(LAYERS, 16));
}

#[test]
fn replacing_every_layer_again_and_again_stays_within_the_byte_bound() {
    let _turn = ONE_AT_A_TIME.lock();
    const LAYERS: usize = 5_000;
    let one_copy = LAYERS * std::mem::size_of::<Layer>();
    // Enough full replacements to hold twice the bound if nothing were dropped.
    let edits = 2 * HISTORY_BYTES / one_copy + 1;
    let designs = [dense_stack(LAYERS, 16), dense_stack(LAYERS, 17)];
    let mut history = History::default();
    let mut current = designs[0].clone();
    let start = live();
    for k in 0..edits {
        let next = designs[(k + 1) % 2].clone();
        let before = std::mem::replace(&mut current, next);
        history.record(before, &current, 0);
    }
    let grown = live().saturating_sub(start);
    eprintln!("{edits} replacements of {LAYERS} layers: +{grown} bytes (bound {HISTORY_BYTES})");
    assert!(
        history.bytes() <= HISTORY_BYTES,
        "{} bytes kept",
        history.bytes()
    );
    // What the history holds (the bound, give or take what the estimate leaves out) plus the
    // current design.
    assert!(
        grown < HISTORY_BYTES + HISTORY_BYTES / 4 + one_copy,
        "{edits} full replacements grew memory by {grown} bytes, bound {HISTORY_BYTES}"
    );
    assert!(history.undo_len() >= 1);
    assert!(history.undo(&mut current, 0).is_some());
    assert_eq!(current, designs[(edits + 1) % 2]);
}
