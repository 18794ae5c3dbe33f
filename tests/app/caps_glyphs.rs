//! ASCII mode: the rules choosing it, and the stand-ins it draws.

use lstm_tui::caps::{EnvSnapshot, GlyphRule, glyph_rule, to_ascii, wants_ascii};
use unicode_width::UnicodeWidthStr;

#[test]
fn every_stand_in_is_one_printable_ascii_column() {
    // Box drawing, blocks, arrows, marks and math the interface uses, plus letters of other
    // scripts that user names may hold.
    let drawn = "─━│┃┌┐└┘├┤┬┴┼┏┓┗┛┡┩╇╭╮╰╯█░▏×→←↑↓•●○◉·≠✓✗…›❯模é";
    for c in drawn.chars() {
        let s = to_ascii(&c.to_string());
        assert_eq!(s.width(), 1, "{c:?} -> {s:?}");
        assert!(s.bytes().all(|b| b.is_ascii_graphic()), "{c:?} -> {s:?}");
    }
}

#[test]
fn box_drawing_keeps_its_shape() {
    // Written from the shapes: horizontal lines, vertical lines, everything else a corner.
    assert_eq!(to_ascii("─"), "-");
    assert_eq!(to_ascii("━"), "=");
    assert_eq!(to_ascii("│"), "|");
    assert_eq!(to_ascii("┃"), "|");
    for corner in ["┌", "┐", "└", "┘", "├", "┼", "┡", "╇"] {
        assert_eq!(to_ascii(corner), "+", "{corner}");
    }
    // Rounded corners are only the graph lanes' turns: drawn as git draws its graph.
    for (turn, ascii) in [("╯", "/"), ("╭", "/"), ("╮", "\\"), ("╰", "\\")] {
        assert_eq!(to_ascii(turn), ascii, "{turn}");
    }
    assert_eq!(to_ascii("●"), "*");
    assert_eq!(to_ascii("○"), "o");
    assert_eq!(to_ascii("◉"), "@");
    assert_eq!(to_ascii("×"), "x");
    assert_eq!(to_ascii("→"), ">");
    assert_eq!(to_ascii("模"), "?");
}

fn env(term: &str, lc_all: &str, lc_ctype: &str, lang: &str) -> EnvSnapshot {
    let set = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    EnvSnapshot {
        term: set(term),
        lc_all: set(lc_all),
        lc_ctype: set(lc_ctype),
        lang: set(lang),
        stdout_is_tty: true,
        ..EnvSnapshot::default()
    }
}

#[test]
fn ascii_flag_wins() {
    let utf8 = env("xterm-256color", "", "", "en_US.UTF-8");
    assert_eq!(glyph_rule(true, &utf8), GlyphRule::Flag);
    assert!(wants_ascii(true, &utf8));
}

#[test]
fn linux_console_is_ascii_even_with_utf8_locale() {
    let console = env("linux", "", "", "en_US.UTF-8");
    assert_eq!(glyph_rule(false, &console), GlyphRule::LinuxConsole);
    assert!(wants_ascii(false, &console));
}

#[test]
fn utf8_locales_are_unicode() {
    for lang in [
        "en_US.UTF-8",
        "C.UTF-8",
        "C.utf8",
        "de_DE.UTF-8@euro",
        "zh_CN.UTF-8",
        "UTF-8",
    ] {
        let e = env("xterm-256color", "", "", lang);
        assert_eq!(glyph_rule(false, &e), GlyphRule::Utf8Locale, "LANG={lang}");
        assert!(!wants_ascii(false, &e), "LANG={lang}");
    }
}

#[test]
fn other_locales_are_ascii() {
    for lang in [
        "C",
        "POSIX",
        "en_US",
        "en_US.ISO-8859-1",
        "ja_JP.eucJP",
        "UTF-16",
    ] {
        let e = env("xterm-256color", "", "", lang);
        assert_eq!(glyph_rule(false, &e), GlyphRule::OtherLocale, "LANG={lang}");
        assert!(wants_ascii(false, &e), "LANG={lang}");
    }
}

#[test]
fn lc_all_beats_lc_ctype_beats_lang() {
    // LC_ALL=C overrides UTF-8 everywhere else.
    let e = env("xterm", "C", "en_US.UTF-8", "en_US.UTF-8");
    assert_eq!(glyph_rule(false, &e), GlyphRule::OtherLocale);
    // LC_CTYPE=C.UTF-8 overrides LANG=C.
    let e = env("xterm", "", "C.UTF-8", "C");
    assert_eq!(glyph_rule(false, &e), GlyphRule::Utf8Locale);
    // LC_CTYPE=POSIX overrides LANG=en_US.UTF-8.
    let e = env("xterm", "", "POSIX", "en_US.UTF-8");
    assert_eq!(glyph_rule(false, &e), GlyphRule::OtherLocale);
}

#[test]
fn empty_locale_variables_count_as_unset() {
    let e = EnvSnapshot {
        term: Some("xterm".into()),
        lc_all: Some(String::new()),
        lc_ctype: Some(String::new()),
        lang: Some("en_GB.UTF-8".into()),
        ..EnvSnapshot::default()
    };
    assert_eq!(glyph_rule(false, &e), GlyphRule::Utf8Locale);
}

#[test]
fn windows_terminal_without_locale_is_unicode() {
    let e = EnvSnapshot {
        wt_session: Some("1".into()),
        ..EnvSnapshot::default()
    };
    assert_eq!(glyph_rule(false, &e), GlyphRule::WindowsTerminal);
    assert!(!wants_ascii(false, &e));
}

#[test]
fn no_locale_at_all_is_ascii() {
    let e = env("xterm-256color", "", "", "");
    assert_eq!(glyph_rule(false, &e), GlyphRule::NoLocale);
    assert!(wants_ascii(false, &e));
}
