//! How many colours the terminal has, decided from `--color` and the environment.
//!
//! Querying the terminal would be more exact, but a query can go unanswered over SSH or in a
//! bare pty and stall the first frame for seconds, so the level comes from variables only.

use super::EnvSnapshot;

/// The `--color` command-line value: `never`, `16`, `256`, `truecolor` or `auto` (a clap
/// `ValueEnum`; its help shows the variant docs). A setting from the config file, if any, is
/// folded in by the caller: the flag beats the file, and the file beats [`ColorFlag::Auto`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ColorFlag {
    /// No colour at all; focus and selection rely on bold and reverse video.
    Never,
    /// Only the 16 ANSI colours.
    #[value(name = "16")]
    Ansi16,
    /// The xterm 256-colour palette.
    #[value(name = "256")]
    Ansi256,
    /// 24-bit RGB.
    #[value(name = "truecolor")]
    TrueColor,
    /// Detect from the environment (the default).
    #[default]
    Auto,
}

/// The colours a terminal can show, from fewest to most (so levels compare with `<`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColorLevel {
    /// No colour: every colour becomes the terminal's default; modifiers remain.
    None,
    /// The 16 ANSI colours (8 normal + 8 bright), whose exact shades the user's palette sets.
    Ansi16,
    /// The xterm 256 palette: the 16 ANSI colours, a 6×6×6 cube and a 24-step grey ramp.
    Ansi256,
    /// 24-bit RGB: every colour is shown as written.
    TrueColor,
}

/// Which rule decided the level, in the order they are tried; the first match wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorRule {
    /// `--color` other than `auto`: the user knows their terminal better than any guess.
    Flag,
    /// `NO_COLOR` set and non-empty → none. Source: <https://no-color.org> ("when present and
    /// not an empty string"; an explicit flag may still turn colour on).
    NoColor,
    /// Standard output is not a terminal → none: escape codes would end up in a file or pipe.
    NotATty,
    /// `TERM=dumb` → none: the terminfo `dumb` entry has no colours (nor cursor movement).
    DumbTerm,
    /// `COLORTERM` is `truecolor` or `24bit` → truecolor. Set by VTE, Konsole, iTerm2, kitty
    /// and others (termstandard/colors); ssh does not forward it by default, hence the next
    /// two rules.
    ColorTerm,
    /// `TERM` ends in `-direct` (ncurses' direct-colour entries such as `xterm-direct`) or
    /// contains `truecolor` → truecolor (the same test as the supports-color crate).
    DirectTerm,
    /// `WT_SESSION` set → truecolor: Windows Terminal has 24-bit colour and sets no `TERM`.
    WindowsTerminal,
    /// `TERM` contains `256color` (`xterm-256color`, `tmux-256color`, `screen-256color`) →
    /// 256. Inside tmux this stays 256 even when the outer terminal has more, because tmux
    /// only passes RGB through when configured to (`terminal-features …:RGB`).
    Term256,
    /// `TERM=linux` → 16: the Linux console has 8 colours plus bright foregrounds
    /// (console_codes(4)) and approximates anything richer.
    LinuxConsole,
    /// Anything else, including an unset `TERM` → 16: every terminal emulator in use shows
    /// the 8 ANSI colours and their bright variants, and there is no 8-colour level to pick.
    Fallback,
}

/// The colour level to draw with. See [`detect_with_rule`] for the rules.
pub fn detect(flag: ColorFlag, env: &EnvSnapshot) -> ColorLevel {
    detect_with_rule(flag, env).0
}

/// The colour level and the rule that chose it (for a `--debug` line, and so that tests can
/// tell two rules with the same outcome apart).
pub fn detect_with_rule(flag: ColorFlag, env: &EnvSnapshot) -> (ColorLevel, ColorRule) {
    let explicit = match flag {
        ColorFlag::Never => Some(ColorLevel::None),
        ColorFlag::Ansi16 => Some(ColorLevel::Ansi16),
        ColorFlag::Ansi256 => Some(ColorLevel::Ansi256),
        ColorFlag::TrueColor => Some(ColorLevel::TrueColor),
        ColorFlag::Auto => None,
    };
    if let Some(level) = explicit {
        return (level, ColorRule::Flag);
    }
    if env.no_color.as_deref().is_some_and(|v| !v.is_empty()) {
        return (ColorLevel::None, ColorRule::NoColor);
    }
    if !env.stdout_is_tty {
        return (ColorLevel::None, ColorRule::NotATty);
    }
    let term = env.term.as_deref().unwrap_or("");
    if term == "dumb" {
        return (ColorLevel::None, ColorRule::DumbTerm);
    }
    let colorterm = env.colorterm.as_deref().unwrap_or("");
    if colorterm.eq_ignore_ascii_case("truecolor") || colorterm.eq_ignore_ascii_case("24bit") {
        return (ColorLevel::TrueColor, ColorRule::ColorTerm);
    }
    if term.ends_with("-direct") || term.contains("truecolor") {
        return (ColorLevel::TrueColor, ColorRule::DirectTerm);
    }
    if env.wt_session.is_some() {
        return (ColorLevel::TrueColor, ColorRule::WindowsTerminal);
    }
    if term.contains("256color") {
        return (ColorLevel::Ansi256, ColorRule::Term256);
    }
    if term == "linux" {
        return (ColorLevel::Ansi16, ColorRule::LinuxConsole);
    }
    (ColorLevel::Ansi16, ColorRule::Fallback)
}
