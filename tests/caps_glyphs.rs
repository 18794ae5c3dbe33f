//! The glyph sets and the rules choosing between them.

use lstm_tui::caps::{EnvSnapshot, GlyphRule, Glyphs, glyph_rule, wants_ascii};
use ratatui::symbols::border;
use unicode_width::UnicodeWidthStr;

fn border_strings(set: &border::Set<'static>) -> [&'static str; 8] {
    [
        set.top_left,
        set.top_right,
        set.bottom_left,
        set.bottom_right,
        set.vertical_left,
        set.vertical_right,
        set.horizontal_top,
        set.horizontal_bottom,
    ]
}

/// The glyphs that must take exactly one column, or borders, gauges and markers misalign.
fn one_column_glyphs(g: &Glyphs) -> Vec<&'static str> {
    let mut all = Vec::from(border_strings(&g.border));
    all.extend(border_strings(&g.border_focused));
    all.extend([
        g.gauge_filled,
        g.gauge_empty,
        g.up,
        g.down,
        g.selection,
        g.check,
        g.cross,
        g.times,
        g.separator,
    ]);
    all
}

#[test]
fn every_ascii_glyph_is_printable_ascii() {
    // The Debug form lists every field, so a field added later is checked too.
    let debug = format!("{:?}", Glyphs::ASCII);
    assert!(debug.contains("gauge_filled"), "{debug}");
    for c in debug.chars() {
        assert!(c.is_ascii() && !c.is_ascii_control(), "{c:?} in {debug}");
    }
    for glyph in one_column_glyphs(&Glyphs::ASCII)
        .into_iter()
        .chain([Glyphs::ASCII.arrow, Glyphs::ASCII.ellipsis])
    {
        assert!(
            !glyph.is_empty() && glyph.bytes().all(|b| b.is_ascii_graphic()),
            "{glyph:?}"
        );
    }
}

#[test]
fn unicode_set_really_is_unicode() {
    assert!(!format!("{:?}", Glyphs::UNICODE).is_ascii());
}

#[test]
fn single_cell_glyphs_take_one_column() {
    for set in [&Glyphs::UNICODE, &Glyphs::ASCII] {
        for glyph in one_column_glyphs(set) {
            assert_eq!(glyph.width(), 1, "{glyph:?}");
        }
    }
}

#[test]
fn focused_border_differs_from_plain() {
    for set in [&Glyphs::UNICODE, &Glyphs::ASCII] {
        assert_ne!(
            border_strings(&set.border),
            border_strings(&set.border_focused)
        );
    }
}

#[test]
fn pick_chooses_the_set() {
    assert_eq!(Glyphs::pick(true), &Glyphs::ASCII);
    assert_eq!(Glyphs::pick(false), &Glyphs::UNICODE);
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
