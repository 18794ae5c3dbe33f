//! One test per colour-level rule, plus the precedence between rules.

use lstm_tui::caps::{ColorFlag, ColorLevel, ColorRule, EnvSnapshot, detect, detect_with_rule};

/// An interactive terminal with only `TERM` set.
fn tty(term: &str) -> EnvSnapshot {
    EnvSnapshot {
        term: Some(term.to_owned()),
        stdout_is_tty: true,
        ..EnvSnapshot::default()
    }
}

fn auto(env: &EnvSnapshot) -> (ColorLevel, ColorRule) {
    detect_with_rule(ColorFlag::Auto, env)
}

#[test]
fn explicit_flag_wins_over_everything() {
    // An environment that would otherwise say "no colour" for three reasons at once.
    let hostile = EnvSnapshot {
        no_color: Some("1".into()),
        term: Some("dumb".into()),
        stdout_is_tty: false,
        ..EnvSnapshot::default()
    };
    for (flag, level) in [
        (ColorFlag::Never, ColorLevel::None),
        (ColorFlag::Ansi16, ColorLevel::Ansi16),
        (ColorFlag::Ansi256, ColorLevel::Ansi256),
        (ColorFlag::TrueColor, ColorLevel::TrueColor),
    ] {
        assert_eq!(detect_with_rule(flag, &hostile), (level, ColorRule::Flag));
    }
    // And `never` beats a truecolor terminal.
    let rich = EnvSnapshot {
        colorterm: Some("truecolor".into()),
        ..tty("xterm-direct")
    };
    assert_eq!(detect(ColorFlag::Never, &rich), ColorLevel::None);
}

#[test]
fn no_color_non_empty_turns_colour_off() {
    let env = EnvSnapshot {
        no_color: Some("1".into()),
        colorterm: Some("truecolor".into()),
        ..tty("xterm-256color")
    };
    assert_eq!(auto(&env), (ColorLevel::None, ColorRule::NoColor));
    // Any non-empty value counts, "0" and "false" included (no-color.org).
    for value in ["0", "false", " "] {
        let env = EnvSnapshot {
            no_color: Some(value.into()),
            ..tty("xterm-256color")
        };
        assert_eq!(auto(&env).1, ColorRule::NoColor, "NO_COLOR={value:?}");
    }
}

#[test]
fn no_color_empty_is_ignored() {
    let env = EnvSnapshot {
        no_color: Some(String::new()),
        ..tty("xterm-256color")
    };
    assert_eq!(auto(&env), (ColorLevel::Ansi256, ColorRule::Term256));
}

#[test]
fn not_a_tty_means_no_colour() {
    let env = EnvSnapshot {
        stdout_is_tty: false,
        ..tty("xterm-256color")
    };
    assert_eq!(auto(&env), (ColorLevel::None, ColorRule::NotATty));
}

#[test]
fn dumb_terminal_has_no_colour() {
    let env = EnvSnapshot {
        colorterm: Some("truecolor".into()),
        ..tty("dumb")
    };
    assert_eq!(auto(&env), (ColorLevel::None, ColorRule::DumbTerm));
}

#[test]
fn colorterm_truecolor_or_24bit() {
    for value in ["truecolor", "24bit", "TrueColor"] {
        let env = EnvSnapshot {
            colorterm: Some(value.into()),
            ..tty("xterm-256color")
        };
        assert_eq!(
            auto(&env),
            (ColorLevel::TrueColor, ColorRule::ColorTerm),
            "COLORTERM={value}"
        );
    }
    // Other values (some emulators set COLORTERM to their own name) say nothing.
    let env = EnvSnapshot {
        colorterm: Some("rxvt-xpm".into()),
        ..tty("xterm-256color")
    };
    assert_eq!(auto(&env).1, ColorRule::Term256);
}

#[test]
fn term_direct_or_truecolor_is_truecolor() {
    for term in ["xterm-direct", "konsole-direct", "xterm-truecolor"] {
        assert_eq!(
            auto(&tty(term)),
            (ColorLevel::TrueColor, ColorRule::DirectTerm),
            "TERM={term}"
        );
    }
}

#[test]
fn windows_terminal_is_truecolor() {
    let env = EnvSnapshot {
        wt_session: Some("0b5e3a8c-0000-4000-8000-000000000000".into()),
        stdout_is_tty: true,
        ..EnvSnapshot::default()
    };
    assert_eq!(
        auto(&env),
        (ColorLevel::TrueColor, ColorRule::WindowsTerminal)
    );
}

#[test]
fn term_256color_is_256() {
    for term in ["xterm-256color", "screen-256color", "tmux-256color"] {
        assert_eq!(
            auto(&tty(term)),
            (ColorLevel::Ansi256, ColorRule::Term256),
            "TERM={term}"
        );
    }
}

#[test]
fn linux_console_is_16() {
    assert_eq!(
        auto(&tty("linux")),
        (ColorLevel::Ansi16, ColorRule::LinuxConsole)
    );
}

#[test]
fn anything_else_is_16() {
    for term in ["xterm", "screen", "vt100", "tmux", ""] {
        assert_eq!(
            auto(&tty(term)),
            (ColorLevel::Ansi16, ColorRule::Fallback),
            "TERM={term:?}"
        );
    }
    let unset = EnvSnapshot {
        stdout_is_tty: true,
        ..EnvSnapshot::default()
    };
    assert_eq!(auto(&unset), (ColorLevel::Ansi16, ColorRule::Fallback));
}

#[test]
fn levels_are_ordered_by_richness() {
    assert!(ColorLevel::None < ColorLevel::Ansi16);
    assert!(ColorLevel::Ansi16 < ColorLevel::Ansi256);
    assert!(ColorLevel::Ansi256 < ColorLevel::TrueColor);
}

#[test]
fn flag_spellings_match_the_cli_contract() {
    use clap::ValueEnum;
    for (text, flag) in [
        ("never", ColorFlag::Never),
        ("16", ColorFlag::Ansi16),
        ("256", ColorFlag::Ansi256),
        ("truecolor", ColorFlag::TrueColor),
        ("auto", ColorFlag::Auto),
    ] {
        assert_eq!(ColorFlag::from_str(text, false), Ok(flag), "--color {text}");
    }
    assert!(ColorFlag::from_str("8", false).is_err());
}
