//! The terminal's life: enter raw mode and the alternate screen, run the event loop, carry out
//! effects, and always leave the terminal as it was found: on quit, error, panic, SIGTERM,
//! SIGHUP, SIGQUIT, an outside SIGINT, suspend, and when the terminal disappears.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind, MouseButton, MouseEventKind,
};
use ratatui::crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute, queue};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGSTOP, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use crate::app::keymap::{KeyMode, resolve};
use crate::app::{Action, App, Effect, Status};
use crate::caps::{self, ColorLevel};
use crate::interop::columns::Column;
use crate::model::{Convention, Design};
use crate::theme::Theme;
use crate::ui;
use files::Files;

mod files;

/// How long the loop waits for input before checking signals and the recovery timer.
const TICK: Duration = Duration::from_millis(200);
/// Quiet time after an edit before the recovery copy is written.
const RECOVERY_DELAY: Duration = Duration::from_secs(2);
/// Longest a shutdown on a signal may take before the watchdog ends the process itself.
const SHUTDOWN_LIMIT: Duration = Duration::from_millis(1500);
/// Longest pasted text taken, in chars.
const PASTE_MAX: usize = 4096;
/// Longest pasted text the import box takes, in chars (a model file, not a novel).
const IMPORT_PASTE_MAX: usize = 65_536;

/// How to start the interactive designer.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The design to open (read by the caller, e.g. from a path); `None` opens the saved
    /// design `name`, else the last one, else the example on first run.
    pub design: Option<Design>,
    /// The saved design's name: opened from the store when `design` is `None`, and where
    /// Ctrl-s saves (after asking, if the file differs).
    pub name: Option<String>,
    /// Capture the mouse (click selects, wheel scrolls); off lets the terminal select text.
    pub mouse: bool,
    /// Counting convention to start in; `None` uses the remembered one.
    pub convention: Option<Convention>,
    /// Theme to start with; `None` uses the remembered one.
    pub theme: Option<String>,
    /// Colours the terminal can show; every frame is fitted to them.
    pub color: ColorLevel,
    /// Draw with ASCII only (Linux console, non-UTF-8 locales, `--ascii`).
    pub ascii: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            design: None,
            name: None,
            mouse: true,
            convention: None,
            theme: None,
            color: ColorLevel::TrueColor,
            ascii: false,
        }
    }
}

/// Whether the terminal is currently set up by us (so restoring twice does nothing harmful).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether mouse capture was turned on.
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    if MOUSE.load(Ordering::SeqCst) {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// Gives the terminal back: every step ignores errors, and a second call does nothing.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(
        out,
        DisableBracketedPaste,
        EndSynchronizedUpdate,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal before the previous panic hook prints, so the message is readable.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Restores the terminal when dropped, whichever way `run` leaves.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

type Tui = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Runs the interactive designer until the user quits.
pub fn run(options: RunOptions) -> io::Result<()> {
    let mut files = Files::from_env();
    let app = start(&options, &mut files);

    MOUSE.store(options.mouse && files.settings().mouse, Ordering::SeqCst);
    with_terminal(|| designer(options, files, app))?
}

/// Runs `f` with the terminal set up as the designer uses it (raw mode, the alternate screen,
/// bracketed paste, the mouse if asked), and gives the terminal back however `f` ends: on
/// return, on an error, and on a panic (before the panic message is printed).
pub fn with_terminal<T>(f: impl FnOnce() -> T) -> io::Result<T> {
    install_panic_hook();
    let _guard = Guard;
    enter()?;
    Ok(f())
}

/// The event loop, inside a terminal set up by [`with_terminal`].
fn designer(options: RunOptions, mut files: Files, mut app: App) -> io::Result<()> {
    let mut terminal = Terminal::new(CrosstermBackend::new(BufWriter::new(io::stdout())))?;
    terminal.clear()?;

    let latest: Arc<Mutex<Option<Design>>> = Arc::new(Mutex::new(None));
    let signals = watch_signals(Arc::clone(&latest))?;
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));

    let mut last_edit: Option<Instant> = None;
    loop {
        if draw(&mut terminal, &app, &options).is_err() {
            // Writing failed: the terminal is gone. Keep the work and leave.
            return shutdown(&app, &mut files, 129);
        }
        let actions = match next_actions(&app, &signals) {
            Ok(a) => a,
            Err(Stop::Signal(n)) => return shutdown(&app, &mut files, 128 + n),
            Err(Stop::Lost) => return shutdown(&app, &mut files, 129),
            Err(Stop::Redraw) => {
                terminal.clear()?;
                continue;
            }
            Err(Stop::Suspend) => {
                suspend(&mut terminal)?;
                continue;
            }
        };
        let mut pending = actions;
        // Totals for the open list, read on a worker thread.
        pending.extend(files.poll());
        if pending.is_empty() && last_edit.is_some_and(|t| t.elapsed() >= RECOVERY_DELAY) {
            last_edit = None;
            pending.push(Action::Idle);
        }
        while let Some(action) = pending.pop() {
            let effects = app.update(action);
            if app.recovery_due && last_edit.is_none() {
                last_edit = Some(Instant::now());
            }
            if app.dirty {
                if let Ok(mut slot) = latest.lock() {
                    *slot = Some(app.design.clone());
                }
            } else if let Ok(mut slot) = latest.lock() {
                *slot = None;
            }
            for effect in effects {
                match effect {
                    Effect::Quit => {
                        drop(terminal);
                        restore();
                        return Ok(());
                    }
                    Effect::Suspend => suspend(&mut terminal)?,
                    Effect::Redraw => terminal.clear()?,
                    other => {
                        if let Some(reply) = files.perform(other, &app) {
                            pending.push(reply);
                        }
                    }
                }
            }
        }
    }
}

/// Builds the app from the options and what the store remembers.
fn start(options: &RunOptions, files: &mut Files) -> App {
    let settings = files.settings().clone();
    let convention = options.convention.unwrap_or(settings.convention);
    let mut problem = None;
    let wanted = options.name.clone().or(settings.last_design.clone());
    let (design, name) = match (&options.design, wanted) {
        (Some(d), _) => (d.clone(), options.name.clone()),
        (None, Some(name)) => match files.open(&name) {
            Ok(d) => (d, Some(name)),
            Err(e) => {
                problem = Some(e);
                (Design::example(), None)
            }
        },
        (None, None) => (Design::example(), None),
    };
    let mut app = App::new(design, convention);
    app.saved_as = name;
    if let Some(names) = &settings.columns
        && let Ok(columns) = Column::parse_list(&names.join(","))
    {
        app.columns = columns;
    }
    if let Some(e) = problem {
        app.status = Some(Status {
            text: e,
            error: true,
        });
    }
    if let Some(dir) = files.themes_dir() {
        let (themes, problems) = Theme::all(&dir);
        app.themes = themes;
        if let Some(p) = problems.into_iter().next() {
            app.status = Some(Status {
                text: format!("theme skipped: {p}"),
                error: true,
            });
        }
    }
    let wanted = options.theme.clone().unwrap_or(settings.theme);
    if let Some(t) = app.themes.iter().find(|t| t.name == wanted) {
        app.theme = t.clone();
    }
    if let Some(p) = files.settings_problem() {
        app.status = Some(Status {
            text: p.to_string(),
            error: true,
        });
    }
    // Unsaved work of instances that have ended (never of one still running).
    match files.leftovers() {
        Ok(offer) => {
            app.update(Action::OfferRecovery(offer));
        }
        Err(e) => {
            app.status = Some(Status {
                text: format!("recovery copies unavailable: {e}"),
                error: true,
            });
        }
    }
    app
}

/// Draws one frame as one synchronized update, so slow links never show half a frame.
fn draw(terminal: &mut Tui, app: &App, options: &RunOptions) -> io::Result<()> {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| {
        ui::render(app, f);
        caps::adapt(f.buffer_mut(), options.color, options.ascii);
    })?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)
}

/// Why the loop stops asking for input.
enum Stop {
    /// A terminating signal arrived.
    Signal(i32),
    /// Reading the terminal failed: it is gone.
    Lost,
    /// The process was continued after a stop: repaint everything.
    Redraw,
    /// A stop was requested from outside (SIGTSTP).
    Suspend,
}

/// Waits up to one tick for input or a signal. Only key presses act (not releases or repeats
/// of other kinds), and every read error means the terminal is gone: never retried.
fn next_actions(app: &App, signals: &Receiver<i32>) -> Result<Vec<Action>, Stop> {
    match signals.try_recv() {
        Ok(SIGCONT) => return Err(Stop::Redraw),
        Ok(SIGTSTP) => return Err(Stop::Suspend),
        Ok(n) => return Err(Stop::Signal(n)),
        Err(TryRecvError::Disconnected | TryRecvError::Empty) => {}
    }
    match event::poll(TICK) {
        Err(_) => return Err(Stop::Lost),
        Ok(false) => return Ok(vec![]),
        Ok(true) => {}
    }
    let event = event::read().map_err(|_| Stop::Lost)?;
    Ok(to_actions(app, event))
}

/// What one terminal event means for the app.
pub fn to_actions(app: &App, event: Event) -> Vec<Action> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => {
            resolve(app.mode.keys(), &key).into_iter().collect()
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => vec![Action::Click(m.column, m.row)],
            MouseEventKind::ScrollUp => vec![Action::ScrollUp(m.column, m.row)],
            MouseEventKind::ScrollDown => vec![Action::ScrollDown(m.column, m.row)],
            _ => vec![],
        },
        Event::Resize(w, h) => vec![Action::Resize(w, h)],
        Event::Paste(text) => {
            // Pasted text only ever fills a text field, stripped of anything that could act
            // as a terminal command (the import box keeps line breaks: code has lines);
            // applied in reverse because the caller pops.
            let lines = app.mode.keys() == KeyMode::Import;
            let mut chars: Vec<Action> = text
                .replace("\r\n", "\n")
                .chars()
                .map(|c| match c {
                    '\r' if lines => '\n',
                    '\t' => ' ',
                    c => c,
                })
                .filter(|c| !c.is_control() || (lines && *c == '\n'))
                .take(if lines { IMPORT_PASTE_MAX } else { PASTE_MAX })
                .map(Action::Insert)
                .collect();
            if app.mode.keys() == KeyMode::Normal {
                return vec![];
            }
            chars.reverse();
            chars
        }
        _ => vec![],
    }
}

/// Hands the terminal back to the shell and stops; on `fg`, takes it again and repaints.
fn suspend(terminal: &mut Tui) -> io::Result<()> {
    restore();
    let _ = signal_hook::low_level::raise(SIGSTOP);
    enter()?;
    terminal.clear()
}

/// Ends the program after a signal or a lost terminal: keep the unsaved design, restore, exit.
fn shutdown(app: &App, files: &mut Files, code: i32) -> io::Result<()> {
    if app.dirty {
        let _ = files.perform(Effect::WriteRecovery(app.design.clone()), app);
    }
    restore();
    std::process::exit(code);
}

/// Forwards terminating and job-control signals to the loop. If the loop does not act on a
/// terminating signal in time (a read stuck on a vanished terminal), the watchdog writes the
/// recovery copy itself, restores and exits.
fn watch_signals(latest: Arc<Mutex<Option<Design>>>) -> io::Result<Receiver<i32>> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])?;
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for n in signals.forever() {
            if tx.send(n).is_err() {
                return;
            }
            if matches!(n, SIGTERM | SIGHUP | SIGINT | SIGQUIT) {
                let latest = Arc::clone(&latest);
                std::thread::spawn(move || {
                    std::thread::sleep(SHUTDOWN_LIMIT);
                    if let Some(d) = latest.lock().ok().and_then(|d| d.clone()) {
                        let _ = Files::from_env().write_recovery(&d);
                    }
                    restore();
                    std::process::exit(128 + n);
                });
            }
        }
    });
    Ok(rx)
}
