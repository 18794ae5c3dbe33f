//! Frame cost and bytes on the wire.
//!
//! - One full frame at 120×40 and 200×50 with a 1,000-layer design (goal: under 1 ms).
//! - A 1,000-layer graph of residual blocks: its lanes laid out (done on every change) and a
//!   frame drawing them (goal: under 1 ms each).
//! - The bytes one key that changes one number writes to the terminal (goal: under 2 KiB),
//!   printed once, measured through crossterm's backend over a counting writer.

use std::cell::Cell;
use std::io::{self, Write};
use std::rc::Rc;

use criterion::{Criterion, criterion_group, criterion_main};
use lstm_tui::app::{Action, App};
use lstm_tui::model::graph::{Call, Graph};
use lstm_tui::model::layers::{Add, Dense, Lstm};
use lstm_tui::model::{Convention, Design, Layer, Shape, Summary};
use lstm_tui::report::Lanes;
use lstm_tui::ui;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};

fn big_design(layers: usize) -> Design {
    let mut d = Design::example();
    d.layers = (0..layers)
        .map(|i| {
            if i % 2 == 0 {
                Layer::Lstm(Lstm {
                    units: 64,
                    return_sequences: true,
                    ..Lstm::default()
                })
            } else {
                Layer::Dense(Dense {
                    units: 64,
                    ..Dense::default()
                })
            }
        })
        .collect();
    d
}

fn app(layers: usize, w: u16, h: u16) -> App {
    let mut app = App::new(big_design(layers), Convention::Keras);
    app.update(Action::Resize(w, h));
    app
}

fn frames(c: &mut Criterion) {
    for (w, h) in [(120u16, 40u16), (200, 50)] {
        let app = app(1_000, w, h);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("backend");
        c.bench_function(&format!("frame_{w}x{h}_1000_layers"), |b| {
            b.iter(|| {
                // A full redraw each time: clear the previous buffer so nothing is skipped.
                terminal.clear().expect("clear");
                terminal.draw(|f| ui::render(&app, f)).expect("draw");
            });
        });
    }
    for (w, h) in [(120u16, 40u16), (200, 50)] {
        let app = app(1_000, w, h);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("backend");
        // The app's own drawing, without the backend's diff and write.
        c.bench_function(&format!("render_only_{w}x{h}_1000_layers"), |b| {
            b.iter(|| {
                let mut frame = terminal.get_frame();
                ui::render(&app, &mut frame);
            });
        });
    }
    let mut app = app(1_000, 120, 40);
    c.bench_function("update_plus_and_summary_1000_layers", |b| {
        b.iter(|| {
            app.update(Action::Grow);
            app.update(Action::Shrink);
        });
    });
}

/// Residual blocks of two Dense layers and an Add reading the block's input, `layers` long.
fn residual_graph(layers: usize) -> Design {
    let mut d = Design::example();
    d.input.shape = Shape::known(&[64]);
    let dense = || {
        Layer::Dense(Dense {
            units: 64,
            ..Dense::default()
        })
    };
    d.layers = (0..layers)
        .map(|i| match i % 3 {
            2 => Layer::Add(Add::default()),
            _ => dense(),
        })
        .collect();
    let mut graph = Graph {
        input_name: Some("x".to_string()),
        ..Graph::default()
    };
    let names = lstm_tui::model::layer_names(&d.layers);
    for i in (2..layers).step_by(3) {
        let skip = if i < 3 {
            "x".to_string()
        } else {
            names[i - 3].clone()
        };
        graph
            .wiring
            .insert(i, Call::on(&[skip.as_str(), names[i - 1].as_str()]));
    }
    d.graph = Box::new(graph);
    d
}

fn lanes(c: &mut Criterion) {
    let design = residual_graph(1_000);
    let summary = Summary::of(&design, Convention::Keras);
    c.bench_function("lanes_of_1000_layer_graph", |b| {
        b.iter(|| Lanes::of(&design, &summary));
    });
    let mut app = App::new(design, Convention::Keras);
    app.update(Action::Resize(120, 40));
    assert!(app.lanes.columns > 1, "the graph draws lanes");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("backend");
    c.bench_function("frame_120x40_1000_layer_graph", |b| {
        b.iter(|| {
            terminal.clear().expect("clear");
            terminal.draw(|f| ui::render(&app, f)).expect("draw");
        });
    });
}

/// Counts bytes written, into a cell the bench can read while the backend owns the writer.
struct Counter(Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn bytes_per_key(c: &mut Criterion) {
    let _ = c;
    for (w, h, layers) in [(80u16, 24u16, 6usize), (120, 40, 6), (120, 40, 1_000)] {
        let mut app = if layers == 6 {
            let mut a = App::new(Design::example(), Convention::Keras);
            a.update(Action::Resize(w, h));
            a
        } else {
            app(layers, w, h)
        };
        let written = Rc::new(Cell::new(0));
        let mut terminal = Terminal::with_options(
            CrosstermBackend::new(Counter(Rc::clone(&written))),
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h)),
            },
        )
        .expect("backend");
        terminal.draw(|f| ui::render(&app, f)).expect("first frame");
        let before = written.get();
        app.update(Action::Grow);
        terminal
            .draw(|f| ui::render(&app, f))
            .expect("second frame");
        let after = written.get();
        println!(
            "bytes for `+` at {w}x{h} with {layers} layers: {} (first frame {before})",
            after - before
        );
    }
}

criterion_group!(benches, frames, lanes, bytes_per_key);
criterion_main!(benches);
