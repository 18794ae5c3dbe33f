//! At 16 colours every shipped theme is written with 16-colour SGR codes only (crossterm
//! writes named colours as `38;5;N`, which a 16-colour terminal misreads).

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use lstm_tui::app::{Action, App};
use lstm_tui::caps::{self, ColorLevel};
use lstm_tui::model::{Convention, Design};
use lstm_tui::terminal::Sgr16Backend;
use lstm_tui::theme::Theme;
use lstm_tui::ui;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// A writer whose bytes the test keeps.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The bytes one full frame of `theme` at `level` writes.
fn frame(theme: &Theme, level: ColorLevel) -> String {
    let (w, h) = (100, 30);
    let mut app = App::new(Design::example(), Convention::Keras);
    app.theme = theme.clone();
    app.update(Action::Resize(w, h));
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
    };
    let out = Shared::default();
    let backend = Sgr16Backend::new(out.clone(), level);
    let mut terminal = Terminal::with_options(backend, options).expect("terminal");
    terminal
        .draw(|f| {
            ui::render(&app, f);
            caps::adapt(f.buffer_mut(), level, false);
        })
        .expect("draw");
    String::from_utf8_lossy(&out.0.borrow()).into_owned()
}

/// The parameters of every SGR escape (`ESC [ ... m`) in `text`.
fn sgr_params(text: &str) -> Vec<Vec<u16>> {
    text.split("\x1b[")
        .skip(1)
        .filter_map(|part| {
            let end = part.find(|c: char| !c.is_ascii_digit() && c != ';')?;
            (part[end..].starts_with('m')).then(|| {
                part[..end]
                    .split(';')
                    .filter_map(|p| p.parse().ok())
                    .collect()
            })
        })
        .collect()
}

#[test]
fn every_theme_at_16_colours_sends_only_16_colour_codes() {
    let themes = Theme::builtins();
    assert!(!themes.is_empty());
    for theme in &themes {
        let out = frame(theme, ColorLevel::Ansi16);
        let params = sgr_params(&out);
        assert!(
            params.len() > 10,
            "{}: too few SGR codes: {out:?}",
            theme.name
        );
        for p in &params {
            assert!(
                !p.contains(&38) && !p.contains(&48) && !p.contains(&58),
                "{}: extended colour {p:?}",
                theme.name
            );
            assert!(
                p.iter()
                    .all(|c| matches!(c, 0..=9 | 30..=37 | 39..=47 | 49 | 90..=97 | 100..=107)),
                "{}: not a 16-colour code {p:?}",
                theme.name
            );
        }
        // The default theme has colour (a monochrome one need not).
        let coloured = params
            .iter()
            .flatten()
            .any(|c| matches!(c, 30..=37 | 90..=97));
        assert!(coloured || theme.name != "dark", "no colour at all");
    }
}

#[test]
fn the_256_colour_level_still_uses_the_palette() {
    let out = frame(&Theme::default(), ColorLevel::Ansi256);
    assert!(out.contains("38;5;"), "{out:?}");
}
