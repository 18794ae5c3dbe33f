//! Comparing two large designs stays within a small, fixed memory: the alignment is Myers'
//! linear-space diff, not a table of every pair of rows (which for 100,000 layers each would
//! need 40 GB and be killed).

use std::fmt::Write;
use std::process::Command;

use crate::common::{Env, stderr, stdout};

const LAYERS: usize = 100_000;
/// Every this many layers, the second design widens one Dense by a unit.
const EVERY: usize = 1_000;
/// Address space the comparison may use: a fraction of what an O(n·m) table needs.
const LIMIT_BYTES: u64 = 512 << 20;

/// A design file of `LAYERS` default Dense layers (32 units), each `Dense()` to stay under the
/// 1 MiB file cap; with `widen`, every `EVERY`th one has 33 units.
fn design(name: &str, widen: bool) -> String {
    let mut text = format!("(version: 1, name: \"{name}\", input: (shape: [6]), layers: [\n");
    for i in 0..LAYERS {
        let layer = if widen && i % EVERY == EVERY / 2 {
            "Dense(units: 33)"
        } else {
            "Dense()"
        };
        let _ = writeln!(text, "{layer},");
    }
    text.push_str("])\n");
    text
}

#[test]
fn two_100k_layer_designs_compare_under_a_memory_limit() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("SKIPPED: prlimit (util-linux) is not installed");
        return;
    }
    let env = Env::new();
    let a = env.write("a.ron", &design("a", false));
    let b = env.write("b.ron", &design("b", true));
    let out = Command::new("prlimit")
        .arg(format!("--as={LIMIT_BYTES}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_lstm-tui"))
        .args(["diff".as_ref(), a.as_os_str(), b.as_os_str()])
        .env("LSTM_TUI_CONFIG_DIR", env.config.path())
        .output()
        .expect("run prlimit");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let marked = |c: char| text.lines().filter(|l| l.starts_with(c)).count();
    // Each widened layer changes itself and the Dense it feeds; nothing is added or removed.
    let widened = LAYERS / EVERY;
    assert_eq!(marked('~'), 2 * widened, "{}", &text[..2000]);
    assert_eq!(marked('+') - 1, 0, "only the +++ header line");
    assert_eq!(marked('-') - 1, 0, "only the --- header line");
    assert_eq!(
        marked(' ') - 1,
        LAYERS - 2 * widened,
        "and the column titles"
    );
    // Dense(32→33) gains 32 + 1 weights, the next Dense(33→32) gains 32.
    let change = widened * ((32 + 1) + 32);
    let total = text.lines().last().unwrap_or_default();
    assert!(
        total.ends_with(&format!("(+{},{:03})", change / 1000, change % 1000)),
        "{total}"
    );
}
