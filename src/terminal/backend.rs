//! The backend frames are drawn through: crossterm's, except that at the 16-colour level it
//! writes the cells itself with the 16-colour SGR codes (30–37, 90–97, 40–47, 100–107).
//! crossterm writes every named colour as a 256-colour index (`38;5;N`), which a terminal
//! limited to 16 colours misreads or ignores.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::cursor::MoveTo;
use ratatui::crossterm::queue;
use ratatui::crossterm::style::Print;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

use crate::caps::{ColorLevel, fit};

/// crossterm's backend, drawing with 16-colour codes when `ansi16` is set.
pub struct Sgr16Backend<W: Write> {
    inner: CrosstermBackend<W>,
    ansi16: bool,
}

impl<W: Write> Sgr16Backend<W> {
    /// A backend writing to `writer`; frames use only 16-colour codes when `level` is
    /// [`ColorLevel::Ansi16`].
    pub fn new(writer: W, level: ColorLevel) -> Self {
        Sgr16Backend {
            inner: CrosstermBackend::new(writer),
            ansi16: level == ColorLevel::Ansi16,
        }
    }

    fn draw16<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut fg = Color::Reset;
        let mut bg = Color::Reset;
        let mut modifier = Modifier::empty();
        let mut last: Option<(u16, u16)> = None;
        for (x, y, cell) in content {
            if !matches!(last, Some((lx, ly)) if x == lx + 1 && y == ly) {
                queue!(self.inner, MoveTo(x, y))?;
            }
            last = Some((x, y));
            let (cell_fg, cell_bg) = (
                fit(cell.fg, ColorLevel::Ansi16),
                fit(cell.bg, ColorLevel::Ansi16),
            );
            if cell.modifier != modifier {
                // Starting over from a reset is simpler than undoing single attributes, whose
                // "off" codes overlap (22 ends both bold and dim).
                let mut codes = vec![0];
                codes.extend(modifier_codes(cell.modifier));
                codes.push(color_code(cell_fg, false));
                codes.push(color_code(cell_bg, true));
                sgr(&mut self.inner, &codes)?;
                (modifier, fg, bg) = (cell.modifier, cell_fg, cell_bg);
            } else if cell_fg != fg || cell_bg != bg {
                sgr(
                    &mut self.inner,
                    &[color_code(cell_fg, false), color_code(cell_bg, true)],
                )?;
                (fg, bg) = (cell_fg, cell_bg);
            }
            queue!(self.inner, Print(cell.symbol()))?;
        }
        sgr(&mut self.inner, &[0])
    }
}

/// Writes one SGR escape with `codes`.
fn sgr(out: &mut impl Write, codes: &[u8]) -> io::Result<()> {
    let list: Vec<String> = codes.iter().map(u8::to_string).collect();
    write!(out, "\x1b[{}m", list.join(";"))
}

/// The SGR codes that turn on each of `modifier`'s attributes.
fn modifier_codes(modifier: Modifier) -> Vec<u8> {
    [
        (Modifier::BOLD, 1),
        (Modifier::DIM, 2),
        (Modifier::ITALIC, 3),
        (Modifier::UNDERLINED, 4),
        (Modifier::SLOW_BLINK, 5),
        (Modifier::RAPID_BLINK, 6),
        (Modifier::REVERSED, 7),
        (Modifier::HIDDEN, 8),
        (Modifier::CROSSED_OUT, 9),
    ]
    .into_iter()
    .filter(|(m, _)| modifier.contains(*m))
    .map(|(_, code)| code)
    .collect()
}

/// The 16-colour SGR code of a colour already fitted to 16 colours, as foreground or
/// background; anything else is the terminal's default colour.
fn color_code(color: Color, background: bool) -> u8 {
    let code = match color {
        Color::Black => 30,
        Color::Red => 31,
        Color::Green => 32,
        Color::Yellow => 33,
        Color::Blue => 34,
        Color::Magenta => 35,
        Color::Cyan => 36,
        Color::Gray => 37,
        Color::DarkGray => 90,
        Color::LightRed => 91,
        Color::LightGreen => 92,
        Color::LightYellow => 93,
        Color::LightBlue => 94,
        Color::LightMagenta => 95,
        Color::LightCyan => 96,
        Color::White => 97,
        Color::Reset | Color::Rgb(..) | Color::Indexed(_) => 39,
    };
    if background { code + 10 } else { code }
}

impl<W: Write> Write for Sgr16Backend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

impl<W: Write> Backend for Sgr16Backend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if self.ansi16 {
            self.draw16(content)
        } else {
            self.inner.draw(content)
        }
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    /// The origin, without asking: a full-screen frame never needs to know where the cursor
    /// was, and the question costs a round trip (2 s when nobody answers, as on a bare pty).
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(Position::ORIGIN)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}
