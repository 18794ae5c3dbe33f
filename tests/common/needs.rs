//! Checks that need something from the machine (a Python with Keras or PyTorch, tmux), run
//! as the test harness runs tests. What they need is looked for when the tests run: when it
//! is missing, the check shows as `ignored` with the reason in the test summary, and under
//! `CI=true` it fails instead, unless `LSTM_TUI_CI_SKIP` names what is missing (a comma-separated
//! list such as `torch` or `tmux`) to skip it on purpose.
//!
//! A binary using these runs with `harness = false` (see Cargo.toml); each of its files lists
//! its checks in `checks()`: a `#[test]` function there would never run, so [`listed`] refuses
//! such a file.

use std::process::{Command, ExitCode};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use libtest_mimic::{Arguments, Completion, Failed, Trial};

/// Something checks need, looked for once, the first time a check that needs it runs.
#[derive(Clone)]
pub struct Need {
    /// What `LSTM_TUI_CI_SKIP` calls it: `keras`, `torch`, `tmux`; several for a Python
    /// that needs several modules.
    names: Vec<String>,
    /// How to look for it: the program it gives the checks, or why it is missing.
    find: fn(&[String]) -> Result<String, String>,
    found: Arc<OnceLock<Result<String, String>>>,
}

impl Need {
    /// A Python that imports every one of `modules`: `$LSTM_TUI_PYTHON`, else `python3`.
    pub fn python(modules: &[&str]) -> Need {
        Need {
            names: modules.iter().map(|m| (*m).to_string()).collect(),
            find: find_python,
            found: Arc::default(),
        }
    }

    /// tmux, to drive the real binary in a terminal.
    pub fn tmux() -> Need {
        Need {
            names: vec!["tmux".into()],
            find: find_tmux,
            found: Arc::default(),
        }
    }

    /// The program found (a Python's path, or `tmux`), or why it is missing.
    pub fn found(&self) -> Result<String, String> {
        self.found.get_or_init(|| (self.find)(&self.names)).clone()
    }

    /// A check named `name` that runs `test` with the program found; see the module comment
    /// for what happens when it is missing.
    pub fn check(&self, name: &str, test: impl FnOnce(&str) + Send + 'static) -> Trial {
        let need = self.clone();
        let name = test_name(name);
        Trial::ignorable_test(name.clone(), move || match need.found() {
            Ok(program) => {
                let _timer = Timer::start(name);
                test(&program);
                Ok(Completion::Completed)
            }
            Err(why) => match need.when_missing(&why) {
                Missing::Ignore(reason) => Ok(Completion::ignored_with(reason)),
                Missing::Fail(reason) => Err(Failed::from(reason)),
            },
        })
    }

    /// What a check does without it: skip with a reason, or fail under `CI=true`.
    pub fn when_missing(&self, why: &str) -> Missing {
        let skip = std::env::var("LSTM_TUI_CI_SKIP").unwrap_or_default();
        let opted_out = skip
            .split(',')
            .map(str::trim)
            .any(|s| self.names.iter().any(|n| n == s));
        if opted_out {
            Missing::Ignore(format!("{why} (skipped by LSTM_TUI_CI_SKIP={skip})"))
        } else if on_ci() {
            Missing::Fail(format!(
                "{why}; CI=true needs it (LSTM_TUI_CI_SKIP={} skips it on purpose)",
                self.names.join(",")
            ))
        } else {
            Missing::Ignore(why.to_string())
        }
    }
}

/// What a check does when what it needs is missing.
pub enum Missing {
    /// It is skipped, showing as ignored with this reason.
    Ignore(String),
    /// It fails with this message.
    Fail(String),
}

/// Whether the tests run on CI, where a missing need is a failure.
fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

fn find_python(modules: &[String]) -> Result<String, String> {
    let python = std::env::var("LSTM_TUI_PYTHON").unwrap_or_else(|_| "python3".into());
    let import = format!("import {}", modules.join(", "));
    let out = Command::new(&python).args(["-c", &import]).output();
    match out {
        Ok(o) if o.status.success() => Ok(python),
        Ok(o) => {
            let stderr = String::from_utf8_lossy(&o.stderr);
            let last = stderr.lines().last().unwrap_or_default();
            Err(format!(
                "`{python} -c \"{import}\"` fails ({last}); set LSTM_TUI_PYTHON to a Python with {} (and KERAS_BACKEND=jax for Keras)",
                modules.join(" and ")
            ))
        }
        Err(e) => Err(format!(
            "`{python}` does not run ({e}); set LSTM_TUI_PYTHON to a Python with {}",
            modules.join(" and ")
        )),
    }
}

fn find_tmux(_: &[String]) -> Result<String, String> {
    match Command::new("tmux").arg("-V").output() {
        Ok(o) if o.status.success() => Ok("tmux".into()),
        Ok(o) => Err(format!("`tmux -V` fails ({})", o.status)),
        Err(e) => Err(format!("tmux is not installed ({e})")),
    }
}

/// A check that needs nothing but the code.
pub fn check(name: &str, test: fn()) -> Trial {
    let name = test_name(name);
    Trial::test(name.clone(), move || {
        let _timer = Timer::start(name);
        test();
        Ok(())
    })
}

/// Prints how long a check took when it ends, passed or failed: the harness prints no times,
/// and they show which checks keep the CI run long.
struct Timer {
    name: String,
    started: Instant,
}

impl Timer {
    fn start(name: String) -> Timer {
        Timer {
            name,
            started: Instant::now(),
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        println!(
            "{} took {:.1} s",
            self.name,
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// `checks`, and one more that fails when `source`, the text of the file listing them
/// (`include_str!`, and `module_path!()` as `module`), holds a `#[test]` function, which a
/// binary without the built-in test harness would silently never run.
pub fn listed(module: &str, source: &str, mut checks: Vec<Trial>) -> Vec<Trial> {
    let attribute = ["#", "[test]"].concat();
    let stray: Vec<String> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == attribute)
        .map(|(i, _)| format!("line {}", i + 1))
        .collect();
    let name = test_name(&format!("{module}::every_check_is_listed"));
    checks.push(Trial::test(name, move || {
        if stray.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{attribute} at {}: this file has no built-in test harness, so list the function in checks() instead",
                stray.join(", ")
            )
            .into())
        }
    }));
    checks
}

/// Runs `checks` with the arguments `cargo test` passed, as the built-in harness would.
pub fn run(checks: Vec<Trial>) -> ExitCode {
    libtest_mimic::run(&Arguments::from_args(), checks).exit_code()
}

/// `path` (a `module_path!()` and a name) without the crate's name, as the built-in harness
/// names a test: `e2e_tmux::sighup_restores_the_terminal`.
fn test_name(path: &str) -> String {
    path.split_once("::")
        .map_or(path, |(_, name)| name)
        .to_string()
}

/// A check named after its module and function, as the built-in harness names tests:
/// `check!(f)` needs nothing; `check!(need => f)` gives `f` the program found
/// (`fn f(python: &str)`); `check!(need, f)` only needs it (`fn f()`).
#[macro_export]
macro_rules! check {
    ($f:ident) => {
        $crate::common::needs::check(concat!(module_path!(), "::", stringify!($f)), $f)
    };
    ($need:expr => $f:ident) => {
        $need.check(concat!(module_path!(), "::", stringify!($f)), $f)
    };
    ($need:expr, $f:ident) => {
        $need.check(concat!(module_path!(), "::", stringify!($f)), |_| $f())
    };
}
