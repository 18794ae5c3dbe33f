//! The designer on a pseudo-terminal, as a user over SSH has it.
//!
//! - Bytes written in 5 s of idle after an edit (goal: 0; the recovery copy is written in that
//!   time and must draw nothing), printed once with the CPU time used meanwhile.
//! - One key to its frame: `+` or `-` typed, until the frame's end arrives (goal: under 10 ms).

#[path = "../tests/common/pty.rs"]
mod pty;

use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use pty::OnPty;

/// The end of a synchronized update: every frame ends with it.
const FRAME_END: &str = "\x1b[?2026l";

fn designer(config: &std::path::Path) -> OnPty {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lstm-tui"));
    command
        .env("LSTM_TUI_CONFIG_DIR", config)
        .env("TERM", "xterm-256color");
    let mut program = OnPty::spawn(command, 120, 40);
    let first = program.read_until(FRAME_END, Instant::now() + Duration::from_secs(30));
    assert!(first.contains("59,910"), "{first}");
    program
}

/// CPU time a process has used (user + system), in clock ticks of 10 ms.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<u64> = stat
        .rsplit_once(") ")
        .map(|(_, rest)| rest.split(' ').map(|f| f.parse().unwrap_or(0)).collect())
        .unwrap_or_default();
    fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0)
}

/// How many bytes `program` writes in `span`.
fn count_for(program: &mut OnPty, span: Duration) -> usize {
    let end = Instant::now() + span;
    let mut total = 0;
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        total += program.read(left).len();
    }
    total
}

fn idle(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut program = designer(dir.path());
    program.type_bytes(b"+");
    program.read_until(FRAME_END, Instant::now() + Duration::from_secs(30));
    let cpu = cpu_ticks(program.child.id());
    let bytes = count_for(&mut program, Duration::from_secs(5));
    let used = cpu_ticks(program.child.id()) - cpu;
    println!(
        "idle_5s_120x40: {bytes} bytes written, {} ms of CPU (goal: 0 bytes)",
        used * 10
    );

    let mut up = true;
    c.bench_function("key_to_frame_120x40", |b| {
        b.iter(|| {
            program.type_bytes(if up { b"+" } else { b"-" });
            up = !up;
            program.read_until(FRAME_END, Instant::now() + Duration::from_secs(30));
        });
    });
    program.close();
}

criterion_group!(benches, idle);
criterion_main!(benches);
