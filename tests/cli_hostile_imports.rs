//! Hostile `.py` and `.json` files read by the real binary: every input within the size cap
//! gives a design or an error located as `path:line:column:`, never an abort. Large inputs are
//! generated here rather than kept as fixtures.

mod cli_common;

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Output;

use cli_common::{Env, stderr};

/// A third of the 1 MiB cap: chains ten times longer than the 12,000 terms that used to abort,
/// while the debug build still reads each in well under a second.
const NEAR_CAP: usize = 300_000;

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `first` then `step` repeated until the text nearly fills the cap.
fn repeated(first: &str, step: &str, last: &str) -> String {
    let n = (NEAR_CAP - first.len() - last.len()) / step.len();
    let mut s = String::with_capacity(NEAR_CAP);
    s.push_str(first);
    for _ in 0..n {
        s.push_str(step);
    }
    s.push_str(last);
    s
}

/// The run ended by itself with status 0 or 2, and a refusal names the file, line and column.
fn assert_read_or_located(o: &Output, path: &Path, what: &str) {
    assert_eq!(
        o.status.signal(),
        None,
        "{what}: killed by a signal: {}",
        stderr(o)
    );
    let code = o.status.code();
    assert!(
        matches!(code, Some(0 | 2)),
        "{what}: exit {code:?}: {}",
        stderr(o)
    );
    if code == Some(2) {
        let err = stderr(o);
        let rest = err
            .strip_prefix(&format!("{}:", path.display()))
            .unwrap_or_else(|| panic!("{what}: error does not name the file: {err}"));
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap_or("");
        let column = parts.next().unwrap_or("");
        assert!(
            line.parse::<usize>().is_ok() && column.parse::<usize>().is_ok(),
            "{what}: error is not located as path:line:column: {err}"
        );
    }
}

#[test]
fn long_operator_and_suffix_chains_never_overflow_the_stack() {
    let env = Env::new();
    let model = "\nm = Sequential([Input((3,)), Dense(4)])\n";
    let used = "\nm = Sequential([Input((3,)), Dense(x)])\n";
    let cases = [
        ("plus", repeated("x = 1", "+1", used)),
        ("times", repeated("x = 1", "*1", used)),
        ("minus", repeated("x = 1", "-1", used)),
        ("or", repeated("x = 1", "|1", used)),
        ("matmul", repeated("x = 1", "@1", used)),
        ("power", repeated("x = 1", "**1", used)),
        ("tuples", repeated("x = (1,)", "+(1,)", used)),
        ("subscript", repeated("a = [1]\nx = a", "[0]", used)),
        ("attribute", repeated("x = a", ".b", used)),
        ("call", repeated("x = f", "()", used)),
        ("unary", repeated("x = ", "-", &format!("1{used}"))),
        ("not", repeated("x = ", "not ", &format!("1{used}"))),
        ("and", repeated("x = 1", " and 1", used)),
        ("comparison", repeated("x = 1", "<1", used)),
        // Never evaluated: the tree is built and dropped.
        ("unused", repeated("print(1", "+1", &format!("){model}"))),
        ("unused-calls", repeated("print(f", "()", &format!("){model}"))),
    ];
    for (what, source) in cases {
        assert!(source.len() <= NEAR_CAP + 100, "{what}");
        let path = env.write(&format!("{what}.py"), &source);
        let o = env.run(&["summary", path_str(&path), "--format", "json"]);
        assert_read_or_located(&o, &path, what);
    }
}

#[test]
fn a_long_sum_is_evaluated_not_refused() {
    let env = Env::new();
    // 40,000 ones: Dense(40000) on 3 features has 3 × 40,000 + 40,000 parameters.
    let mut source = String::from("x = 1");
    for _ in 1..40_000 {
        source.push_str("+1");
    }
    source.push_str("\nm = Sequential([Input((3,)), Dense(x)])\n");
    let path = env.write("sum.py", &source);
    let o = env.run(&["summary", path_str(&path), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_slice(&o.stdout).expect("summary json on stdout");
    assert_eq!(json["total"], 4 * 40_000);
}
