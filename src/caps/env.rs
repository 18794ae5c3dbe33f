//! The environment values the capability rules read, captured once.

use std::io::IsTerminal;

/// The inputs of [`detect`](super::detect) and [`wants_ascii`](super::wants_ascii).
///
/// Each field holds the variable's value as the process saw it (`None` when unset). Values that
/// are not valid UTF-8 are kept lossily: the rules only compare them with ASCII words, and a
/// replaced byte can never turn a non-match into a match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvSnapshot {
    /// `NO_COLOR`: any non-empty value turns colour off.
    pub no_color: Option<String>,
    /// `TERM`: the terminfo name of the terminal (or of tmux/screen inside them).
    pub term: Option<String>,
    /// `COLORTERM`: `truecolor` or `24bit` where the emulator advertises 24-bit colour.
    pub colorterm: Option<String>,
    /// `WT_SESSION`: set by Windows Terminal, which has 24-bit colour and no `TERM`.
    pub wt_session: Option<String>,
    /// `LC_ALL`: overrides every other locale variable when non-empty.
    pub lc_all: Option<String>,
    /// `LC_CTYPE`: the character-set category, used when `LC_ALL` is unset or empty.
    pub lc_ctype: Option<String>,
    /// `LANG`: the fallback locale when neither of the above is set.
    pub lang: Option<String>,
    /// Whether standard output is a terminal (not a pipe or a file).
    pub stdout_is_tty: bool,
}

impl EnvSnapshot {
    /// Reads the real process environment and standard output. The only impure function of
    /// the module; everything else takes the snapshot so that tests can pass their own.
    pub fn from_process() -> Self {
        let var =
            |name: &str| std::env::var_os(name).map(|value| value.to_string_lossy().into_owned());
        Self {
            no_color: var("NO_COLOR"),
            term: var("TERM"),
            colorterm: var("COLORTERM"),
            wt_session: var("WT_SESSION"),
            lc_all: var("LC_ALL"),
            lc_ctype: var("LC_CTYPE"),
            lang: var("LANG"),
            stdout_is_tty: std::io::stdout().is_terminal(),
        }
    }
}
