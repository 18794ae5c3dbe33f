//! Every shipped theme is readable on the background it states: each role's text against its
//! own background, or the theme's, reaches WCAG's 4.5:1 after the frame is fitted to 16 and to
//! 256 colours, as a terminal with fewer colours would draw it. Shades are xterm's defaults
//! (tests/fixtures/xterm/).

use lstm_tui::caps::{ColorLevel, adapt};
use lstm_tui::theme::{BUILTIN, Background, Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

type Rgb = (u8, u8, u8);

/// The 16 named colours with xterm's default shades, from the fixture.
fn palette16() -> Vec<(Color, Rgb)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/xterm/palette16.txt"
    );
    let text = std::fs::read_to_string(path).expect("palette fixture");
    text.lines()
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let hex = |i: usize| u8::from_str_radix(f[i], 16).expect("hex");
            let color: Color = f[0].parse().expect("a colour name");
            (color, (hex(1), hex(2), hex(3)))
        })
        .collect()
}

/// xterm's shade of a colour; `None` for the terminal's default.
fn rgb(color: Color, named: &[(Color, Rgb)]) -> Option<Rgb> {
    const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match color {
        Color::Reset => None,
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i @ 0..=15) => Some(named[usize::from(i)].1),
        Color::Indexed(i @ 16..=231) => {
            let i = usize::from(i - 16);
            Some((STEPS[i / 36], STEPS[(i / 6) % 6], STEPS[i % 6]))
        }
        Color::Indexed(i) => {
            let grey = 8 + 10 * (i - 232);
            Some((grey, grey, grey))
        }
        c => Some(
            named
                .iter()
                .find(|(n, _)| *n == c)
                .expect("a named colour")
                .1,
        ),
    }
}

/// WCAG 2 relative luminance.
fn luminance((r, g, b): Rgb) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The screen's own background and text colour for a stated background.
fn screens(background: Background) -> Vec<(Rgb, Rgb)> {
    let (black, white) = ((0, 0, 0), (255, 255, 255));
    match background {
        Background::Dark => vec![(black, white)],
        Background::Light => vec![(white, black)],
        Background::Any => vec![(black, white), (white, black)],
    }
}

/// Every role, by the name its theme file gives it.
fn roles(t: &Theme) -> Vec<(&'static str, Role)> {
    vec![
        ("text", t.text),
        ("muted", t.muted),
        ("border", t.border),
        ("border_focused", t.border_focused),
        ("title", t.title),
        ("selection", t.selection),
        ("header", t.header),
        ("number", t.number),
        ("none", t.none),
        ("error", t.error),
        ("warning", t.warning),
        ("formula_symbol", t.formula_symbol),
        ("formula_value", t.formula_value),
        ("gauge_ok", t.gauge_ok),
        ("gauge_over", t.gauge_over),
        ("key", t.key),
    ]
}

/// The keys a theme file gives, besides its name and background.
fn file_roles(text: &str) -> Vec<String> {
    let value: ron::Value = ron::from_str(text).expect("a RON value");
    let ron::Value::Map(map) = value else {
        panic!("a theme is a map of roles");
    };
    let mut names: Vec<String> = map
        .iter()
        .filter_map(|(k, _)| match k {
            ron::Value::String(s) => Some(s.clone()),
            _ => None,
        })
        .filter(|k| k != "name" && k != "background")
        .collect();
    names.sort();
    names
}

#[test]
fn every_role_of_every_theme_reads_at_4_5_to_1_in_16_and_256_colours() {
    let named = palette16();
    let mut failures = Vec::new();
    for (name, text) in BUILTIN {
        assert!(
            text.contains("background:"),
            "{name}.ron does not state its background"
        );
        let theme = Theme::parse(text).expect("parses");
        let listed = roles(&theme);
        let mut listed_names: Vec<String> = listed.iter().map(|(n, _)| n.to_string()).collect();
        listed_names.sort();
        assert_eq!(
            file_roles(text),
            listed_names,
            "a role this test does not check"
        );
        for (screen_bg, screen_fg) in screens(theme.background) {
            for level in [ColorLevel::Ansi16, ColorLevel::Ansi256] {
                for (role, r) in &listed {
                    let mut buf = Buffer::empty(Rect::new(0, 0, 1, 1));
                    buf.set_style(buf.area, r.style());
                    adapt(&mut buf, level, false);
                    let cell = &buf.content[0];
                    let mut fg = rgb(cell.fg, &named).unwrap_or(screen_fg);
                    let mut bg = rgb(cell.bg, &named).unwrap_or(screen_bg);
                    if cell.modifier.contains(Modifier::REVERSED) {
                        std::mem::swap(&mut fg, &mut bg);
                    }
                    let ratio = contrast(fg, bg);
                    if ratio < 4.5 {
                        failures.push(format!(
                            "{name} {role} at {level:?} on {screen_bg:?}: {ratio:.2}:1"
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
}

/// The default theme's titles are in the terminal's own text colour, so they read on a white
/// terminal too, where bold bright white vanished.
#[test]
fn the_default_themes_titles_use_the_terminals_foreground() {
    let theme = Theme::default();
    // Set, not left out: a title left without a colour would take its border's.
    assert_eq!(theme.title.fg, Some(Color::Reset));
}

/// Hand-checked against WCAG's examples: black on white is 21:1, and xterm's grey 7f on
/// black is about 5.24:1.
#[test]
fn the_contrast_formula_matches_wcag() {
    assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
    let grey = contrast((0x7f, 0x7f, 0x7f), (0, 0, 0));
    assert!((grey - 5.24).abs() < 0.01, "{grey}");
}
