//! Helpers shared by the app and UI tests: key macros and rendering into a test backend.

use lstm_tui::app::{App, Effect};
use lstm_tui::input::{resolve, to_actions};
use lstm_tui::model::{Convention, Design};
use lstm_tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind,
};

/// The app on the built-in example, as a first run shows it.
pub fn example() -> App {
    App::new(Design::example(), Convention::Keras)
}

/// Parses one key of a macro: `j`, `+`, `<enter>`, `<esc>`, `<tab>`, `<bs>`, `<up>`, `<down>`,
/// `C-r` (Ctrl), `<space>`.
pub fn key(token: &str) -> KeyEvent {
    let (code, mods) = match token {
        "<enter>" => (KeyCode::Enter, KeyModifiers::NONE),
        "<esc>" => (KeyCode::Esc, KeyModifiers::NONE),
        "<tab>" => (KeyCode::Tab, KeyModifiers::NONE),
        "<s-tab>" => (KeyCode::BackTab, KeyModifiers::SHIFT),
        "<bs>" => (KeyCode::Backspace, KeyModifiers::NONE),
        "<up>" => (KeyCode::Up, KeyModifiers::NONE),
        "<down>" => (KeyCode::Down, KeyModifiers::NONE),
        "<del>" => (KeyCode::Delete, KeyModifiers::NONE),
        "<left>" => (KeyCode::Left, KeyModifiers::NONE),
        "<right>" => (KeyCode::Right, KeyModifiers::NONE),
        "<home>" => (KeyCode::Home, KeyModifiers::NONE),
        "<end>" => (KeyCode::End, KeyModifiers::NONE),
        "M-<enter>" => (KeyCode::Enter, KeyModifiers::ALT),
        "<space>" => (KeyCode::Char(' '), KeyModifiers::NONE),
        t if t.starts_with("C-") && t.len() == 3 => (
            KeyCode::Char(t.chars().nth(2).unwrap_or(' ')),
            KeyModifiers::CONTROL,
        ),
        t if t.chars().count() == 1 => {
            let c = t.chars().next().unwrap_or(' ');
            let mods = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            (KeyCode::Char(c), mods)
        }
        other => panic!("unknown key {other:?} in macro"),
    };
    KeyEvent::new(code, mods)
}

/// Presses space-separated keys through the real keymap; returns every effect, in order.
/// A word longer than one key that is not a `<name>` or `C-x` is typed letter by letter.
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for token in keys.split_whitespace() {
        let events: Vec<KeyEvent> = if token.starts_with('<')
            || token.starts_with("C-")
            || token.starts_with("M-")
            || token.chars().count() == 1
        {
            vec![key(token)]
        } else {
            token.chars().map(|c| key(&c.to_string())).collect()
        };
        for ev in events {
            if let Some(action) = resolve(app.mode.keys(), &ev) {
                effects.extend(app.update(action));
            }
        }
    }
    effects
}

/// Sends one mouse event at cell (`x`, `y`) through the input layer, as the terminal loop
/// does; returns every effect, in order.
pub fn mouse(app: &mut App, kind: MouseEventKind, x: u16, y: u16) -> Vec<Effect> {
    let event = Event::Mouse(MouseEvent {
        kind,
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    });
    let mut pending = to_actions(app, event);
    let mut effects = Vec::new();
    while let Some(action) = pending.pop() {
        effects.extend(app.update(action));
    }
    effects
}

/// Renders the app into a `w`×`h` test terminal.
pub fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(lstm_tui::app::Action::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    terminal.draw(|f| ui::render(app, f)).expect("draw");
    terminal
}

/// The screen as text lines.
pub fn screen(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
