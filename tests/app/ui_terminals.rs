//! Every terminal: the real screens fitted to no colour, 16 colours and ASCII, and every size
//! from 1×1 up rendered without a panic.

use crate::common::{example, press, render};
use lstm_tui::caps::{ColorLevel, adapt};
use lstm_tui::theme::Theme;
use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

fn adapted(keys: &str, theme: &str, level: ColorLevel, ascii: bool) -> Buffer {
    let mut app = example();
    app.theme = Theme::builtin(theme).expect("shipped theme");
    press(&mut app, keys);
    let terminal = render(&mut app, 80, 24);
    let mut buf = terminal.backend().buffer().clone();
    adapt(&mut buf, level, ascii);
    buf
}

fn row_text(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

#[test]
fn ascii_mode_leaves_only_ascii_on_screen() {
    for keys in ["", "a", "?", "j j <enter>"] {
        let buf = adapted(keys, "dark", ColorLevel::Ansi16, true);
        for cell in &buf.content {
            assert!(
                cell.symbol().is_ascii(),
                "{keys:?}: {:?} on screen",
                cell.symbol()
            );
        }
    }
    // The numbers are still there.
    let buf = adapted("", "dark", ColorLevel::Ansi16, true);
    let all: String = (0..24).map(|y| row_text(&buf, y)).collect();
    assert!(all.contains("59,910"));
}

#[test]
fn ascii_mode_keeps_the_formula_readable() {
    let buf = adapted("", "dark", ColorLevel::Ansi16, true);
    let all: String = (0..24).map(|y| row_text(&buf, y) + "\n").collect();
    assert!(all.contains("70 x 64 + 64 = 4,544"), "{all}");
    assert!(all.contains("4 x 4,544 = 18,176"), "{all}");
}

#[test]
fn no_colour_paints_nothing_but_keeps_the_selection_visible() {
    for theme in ["dark", "light", "high-contrast", "monochrome"] {
        let buf = adapted("", theme, ColorLevel::None, false);
        for cell in &buf.content {
            assert_eq!(cell.fg, Color::Reset, "{theme}");
            assert_eq!(cell.bg, Color::Reset, "{theme}");
        }
        // The selected LSTM row in the summary is marked by reverse video alone.
        let y = (0..24)
            .find(|&y| row_text(&buf, y).contains("lstm (LSTM)"))
            .expect("lstm row");
        let x = row_text(&buf, y).find("lstm (LSTM)").unwrap();
        let x = u16::try_from(row_text(&buf, y)[..x].chars().count()).unwrap();
        assert!(
            buf[(x, y)].modifier.contains(Modifier::REVERSED),
            "{theme}: selection not reversed"
        );
        // An unselected row is not.
        let y2 = (0..24)
            .find(|&y| row_text(&buf, y).contains("dense_1 (Dense)"))
            .expect("dense_1 row");
        let x2 = row_text(&buf, y2).find("dense_1").unwrap();
        let x2 = u16::try_from(row_text(&buf, y2)[..x2].chars().count()).unwrap();
        assert!(
            !buf[(x2, y2)].modifier.contains(Modifier::REVERSED),
            "{theme}"
        );
    }
}

#[test]
fn sixteen_colours_never_emit_rgb_or_256_colour_codes() {
    let mut app = example();
    // A theme written in RGB, as a user might.
    let mut theme = Theme::builtin("dark").unwrap();
    theme.selection.bg = Some(Color::Rgb(0x30, 0x60, 0xd0));
    theme.number.fg = Some(Color::Rgb(0xff, 0x80, 0x00));
    app.theme = theme;
    let terminal = render(&mut app, 80, 24);
    let mut buf = terminal.backend().buffer().clone();
    adapt(&mut buf, ColorLevel::Ansi16, false);
    for cell in &buf.content {
        for c in [cell.fg, cell.bg] {
            assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{c:?}");
        }
    }
    let mut buf256 = terminal.backend().buffer().clone();
    adapt(&mut buf256, ColorLevel::Ansi256, false);
    assert!(
        buf256
            .content
            .iter()
            .all(|c| !matches!(c.bg, Color::Rgb(..)))
    );
    assert!(
        buf256
            .content
            .iter()
            .any(|c| matches!(c.bg, Color::Indexed(i) if i >= 16))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Any size renders; below the usable size the screen says what size it needs, and at or
    /// above it the design shows.
    #[test]
    fn every_size_renders(w in 1u16..300, h in 1u16..100, keys in prop::sample::select(vec!["", "a", "?", "<enter>", "b"])) {
        let mut app = example();
        press(&mut app, keys);
        let terminal = render(&mut app, w, h);
        let buf = terminal.backend().buffer();
        let text: String = (0..h).map(|y| row_text(buf, y) + "\n").collect();
        // Written out here, not read from the code: the layout needs 50×12.
        let needs = "need 50×12";
        if w < 50 || h < 12 {
            // The message, or as much of it as fits on its one line.
            let shown: String = needs.chars().take(usize::from(w)).collect();
            prop_assert!(text.contains(&shown), "{}x{}:\n{}", w, h, text);
            // With room, it also says the size it has.
            let long = format!("too small: need 50×12, have {w}×{h}");
            if long.chars().count() <= usize::from(w) {
                prop_assert!(text.contains(&long), "{}x{}:\n{}", w, h, text);
            }
        } else {
            prop_assert!(!text.contains(needs), "{}x{}:\n{}", w, h, text);
        }
    }
}

/// Every shipped theme at 80×24, with its colours (the Debug form of a buffer lists styles).
#[test]
fn every_shipped_theme_snapshot() {
    for (name, _) in lstm_tui::theme::BUILTIN {
        let buf = adapted("", name, ColorLevel::TrueColor, false);
        insta::assert_debug_snapshot!(format!("theme_{name}_80x24"), buf);
    }
}

/// The plain-terminal modes: no colour at all, and ASCII only.
#[test]
fn no_colour_and_ascii_snapshots() {
    let buf = adapted("", "dark", ColorLevel::None, false);
    insta::assert_debug_snapshot!("no_colour_80x24", buf);
    let buf = adapted("", "dark", ColorLevel::Ansi16, true);
    let text: String = (0..24).map(|y| row_text(&buf, y) + "\n").collect();
    insta::assert_snapshot!("ascii_80x24", text);
}

/// In ASCII an arrow is `->` (a lone `>` read as "greater than") and the mark of a count that
/// differs in the other convention is `*`, a footnote the title explains (`!` read as an
/// error).
#[test]
fn ascii_arrows_and_marks_read_as_meant() {
    let mut app = example();
    let terminal = render(&mut app, 120, 40);
    let mut buf = terminal.backend().buffer().clone();
    adapt(&mut buf, ColorLevel::Ansi16, true);
    let all: String = (0..40).map(|y| row_text(&buf, y) + "\n").collect();
    assert!(all.contains("(None, 100, 6) -> (None, 100, 64)"), "{all}");
    assert!(all.contains("18,176*"), "{all}");
    assert!(all.contains("* differs in PyTorch"), "{all}");
    assert!(!all.contains("18,176!"), "{all}");
}

/// Making room for `->` moves the rest of the row into the blanks before the border, and
/// never moves the border.
#[test]
fn a_widened_arrow_never_moves_a_border() {
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 12, 2));
    buf.set_string(0, 0, "│64 → 50   │", ratatui::style::Style::default());
    buf.set_string(0, 1, "│64 → 50│end", ratatui::style::Style::default());
    adapt(&mut buf, ColorLevel::Ansi16, true);
    assert_eq!(row_text(&buf, 0), "|64 -> 50  |");
    assert_eq!(row_text(&buf, 1), "|64 ->50|end");
}

/// On a border the room comes from the line itself, so a title keeps its spaces.
#[test]
fn a_widened_arrow_in_a_border_title_takes_room_from_the_line() {
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 12, 1));
    buf.set_string(0, 0, "└ a → b ───┘", ratatui::style::Style::default());
    adapt(&mut buf, ColorLevel::Ansi16, true);
    assert_eq!(row_text(&buf, 0), "+ a -> b --+");
}
