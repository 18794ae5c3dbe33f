//! The terminal's life: enter raw mode and the alternate screen, run the event loop, carry out
//! effects, and always leave the terminal as it was found: on quit, error, panic, SIGTERM,
//! SIGHUP, SIGQUIT, an outside SIGINT, suspend, and when the terminal disappears.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute, queue};
use signal_hook::consts::{SIGCONT, SIGSTOP, SIGTSTP, SIGWINCH};

use crate::app::state::FIRST_RUN;
use crate::app::{Action, App, Effect, Status};
use crate::caps::{self, ColorLevel};
use crate::input::to_actions;
use crate::model::{Convention, Design};
use crate::report::columns::Column;
use crate::theme::Theme;
use crate::ui;
pub use backend::Sgr16Backend;
use files::Files;
use wake::{Notice, Waker};

mod backend;
mod files;
mod wake;

/// Quiet time after an edit before the recovery copy is written.
const RECOVERY_DELAY: Duration = Duration::from_secs(2);
/// Mouse reporting for presses, releases and the wheel (xterm's "normal tracking", 1000) in
/// SGR encoding (1006), and no motion: crossterm's `EnableMouseCapture` also asks for every
/// movement (1003), a stream of reports over a slow link that the designer never uses.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
/// Undoes [`MOUSE_ON`].
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";
/// Said when Ctrl-z cannot suspend (short enough for the status line at 80 columns).
const NO_JOB_CONTROL: &str = "Ctrl-z does nothing here: no job-control shell could resume lstm-tui";

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
        out.write_all(MOUSE_ON.as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

/// Gives the terminal back: every step ignores errors (the terminal may be gone), and a second
/// call does nothing.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = out.write_all(MOUSE_OFF.as_bytes());
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

type Tui = Terminal<Sgr16Backend<BufWriter<Stdout>>>;

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

/// The event loop, inside a terminal set up by [`with_terminal`]. It sleeps until something
/// happens, handles every pending input event, and draws one frame only if something changed:
/// an idle designer writes nothing.
fn designer(options: RunOptions, mut files: Files, mut app: App) -> io::Result<()> {
    let backend = Sgr16Backend::new(BufWriter::new(io::stdout()), options.color);
    let mut terminal = Terminal::new(backend)?;
    terminal.clear()?;

    let latest: Arc<Mutex<Option<Design>>> = Arc::new(Mutex::new(None));
    let mut waker = Waker::start(Arc::clone(&latest))?;
    files.wake_with(waker.bell()?);
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));

    let mut recovery_at: Option<Instant> = None;
    let mut changed = true;
    let mut repaint = false;
    // Events crossterm has read but the loop has not handled yet: no new byte will wake the
    // wait for them.
    let mut held = false;
    loop {
        if changed {
            let drawn = if repaint {
                terminal
                    .clear()
                    .and_then(|()| draw(&mut terminal, &app, &options))
            } else {
                draw(&mut terminal, &app, &options)
            };
            if drawn.is_err() {
                // Writing failed: the terminal is gone. Keep the work and leave.
                return shutdown(&app, &mut files, 129);
            }
            (changed, repaint) = (false, false);
        }
        let mut woke = waker.wait(if held {
            Some(Instant::now())
        } else {
            recovery_at
        });
        let unread = woke.input;
        woke.input |= std::mem::take(&mut held);
        let mut step = Step {
            app: &mut app,
            files: &mut files,
            latest: &latest,
            recovery_at: &mut recovery_at,
        };
        let mut outcome = match step.notices(waker.notices(), &terminal) {
            Ok(outcome) => outcome,
            Err(code) => return shutdown(step.app, step.files, code),
        };
        if woke.lost {
            return shutdown(step.app, step.files, 129);
        }
        // crossterm has seen the resize too: it is read now, while no key can come with it.
        woke.input |= std::mem::take(&mut outcome.resized);
        // Totals for the open list, read on a worker thread that rang the bell.
        let counted = step.files.poll();
        if !counted.is_empty() {
            outcome.add(step.apply(counted));
        }
        if woke.input {
            match step.input(&mut outcome) {
                Ok(Read::All) => {}
                Ok(Read::CutShort) => held = true,
                Ok(Read::Nothing) if unread => rearm(),
                Ok(Read::Nothing) => {}
                Err(Lost) => return shutdown(step.app, step.files, 129),
            }
        }
        if step.recovery_at.is_some_and(|t| t <= Instant::now()) {
            *step.recovery_at = None;
            // Writing the copy changes nothing on screen unless it fails.
            let idle = step.apply(vec![Action::Idle]);
            outcome.add(Outcome {
                changed: idle.replied,
                ..idle
            });
        }
        changed |= outcome.changed;
        repaint |= outcome.repaint;
        if outcome.quit {
            drop(terminal);
            restore();
            return Ok(());
        }
        if outcome.suspend {
            if job_control() {
                suspend();
                if enter().is_err() {
                    // Continued without a terminal (the connection dropped while stopped).
                    return shutdown(&app, &mut files, 129);
                }
                (changed, repaint) = (true, true);
            } else {
                app.update(Action::Failed(NO_JOB_CONTROL.into()));
                changed = true;
            }
        }
    }
}

/// One batch of actions applied to the app, with the effects carried out.
struct Step<'a> {
    app: &'a mut App,
    files: &'a mut Files,
    /// The unsaved design for the signal watchdog.
    latest: &'a Arc<Mutex<Option<Design>>>,
    /// When the recovery copy is due.
    recovery_at: &'a mut Option<Instant>,
}

/// What applying actions asks of the loop.
#[derive(Debug, Default)]
struct Outcome {
    /// Something was acted on: draw a frame.
    changed: bool,
    /// An effect replied with an action (a file result).
    replied: bool,
    /// Clear the screen and repaint every cell.
    repaint: bool,
    /// Give the terminal back to the shell until `fg`.
    suspend: bool,
    /// Leave the program.
    quit: bool,
    /// The window changed size: crossterm has a resize of its own to report.
    resized: bool,
}

/// What one round of reading input found.
enum Read {
    /// Every event that had arrived, handled.
    All,
    /// Quitting or suspending cut the batch short, leaving events crossterm has read for the
    /// next round.
    CutShort,
    /// No event at all.
    Nothing,
}

impl Outcome {
    fn add(&mut self, other: Outcome) {
        self.changed |= other.changed;
        self.replied |= other.replied;
        self.repaint |= other.repaint;
        self.suspend |= other.suspend;
        self.quit |= other.quit;
        self.resized |= other.resized;
    }
}

/// The terminal is gone: reading or asking its size failed.
struct Lost;

impl Step<'_> {
    /// Acts on the signals and hang-ups that arrived; `Err` holds the exit status when one
    /// ends the program.
    fn notices(&mut self, notices: Vec<Notice>, terminal: &Tui) -> Result<Outcome, i32> {
        let mut outcome = Outcome::default();
        for notice in notices {
            match notice {
                Notice::Signal(SIGCONT) => (outcome.changed, outcome.repaint) = (true, true),
                Notice::Signal(SIGWINCH) => {
                    let size = terminal.size().map_err(|_| 129)?;
                    outcome.add(self.apply(vec![Action::Resize(size.width, size.height)]));
                    outcome.resized = true;
                }
                Notice::Signal(SIGTSTP) => outcome.suspend = true,
                Notice::Signal(n) => return Err(128 + n),
                Notice::Hangup => return Err(129),
            }
        }
        Ok(outcome)
    }

    /// Handles every input event that has arrived, so a held key on a slow link settles at
    /// once instead of replaying a frame per key.
    fn input(&mut self, outcome: &mut Outcome) -> Result<Read, Lost> {
        let mut read = Read::Nothing;
        while event::poll(Duration::ZERO).map_err(|_| Lost)? {
            let event = event::read().map_err(|_| Lost)?;
            let actions = to_actions(self.app, event);
            outcome.add(self.apply(actions));
            if outcome.quit || outcome.suspend {
                return Ok(Read::CutShort);
            }
            read = Read::All;
        }
        Ok(read)
    }

    /// Applies `pending` (last first, as [`to_actions`] orders them) and every reply.
    fn apply(&mut self, mut pending: Vec<Action>) -> Outcome {
        let mut outcome = Outcome {
            changed: !pending.is_empty(),
            ..Outcome::default()
        };
        while let Some(action) = pending.pop() {
            let effects = self.app.update(action);
            if self.app.recovery_due && self.recovery_at.is_none() {
                *self.recovery_at = Some(Instant::now() + RECOVERY_DELAY);
            }
            if let Ok(mut slot) = self.latest.lock() {
                *slot = self.app.dirty.then(|| self.app.design.clone());
            }
            for effect in effects {
                match effect {
                    Effect::Quit => outcome.quit = true,
                    Effect::Suspend => outcome.suspend = true,
                    Effect::Redraw => outcome.repaint = true,
                    other => {
                        if let Some(reply) = self.files.perform(other, self.app) {
                            outcome.replied = true;
                            pending.push(reply);
                        }
                    }
                }
            }
            if outcome.quit {
                break;
            }
        }
        outcome
    }
}

/// Tells crossterm again that the terminal has input. crossterm learns of input edge-triggered
/// and can leave some of it unread: a key ready together with a resize (it reports the resize
/// and drops the key's readiness), or whatever follows the 1,024 bytes it reads at once. That
/// input would wait for the next key while poll(2) woke the loop again and again. Setting the
/// terminal's modes to what they are wakes its readers, crossterm among them.
fn rearm() {
    let stdin = rustix::stdio::stdin();
    if let Ok(modes) = rustix::termios::tcgetattr(stdin) {
        let _ = rustix::termios::tcsetattr(stdin, rustix::termios::OptionalActions::Now, &modes);
    }
}

/// Whether a shell with job control started this process, so that a stopped designer can be
/// resumed with `fg`. Without one (`ssh -t host lstm-tui`, a terminal or tmux running it
/// directly) the process group is the session leader's, and a stop would freeze the session
/// for good; an orphaned group (its shell gone) has nobody to resume it either.
fn job_control() -> bool {
    let group = rustix::process::getpgrp();
    let session = rustix::process::getsid(None).ok();
    let parent_alive = rustix::process::getppid().is_some_and(|p| !p.is_init());
    session != Some(group) && parent_alive
}

/// Builds the app from the options and what the store remembers.
fn start(options: &RunOptions, files: &mut Files) -> App {
    let settings = files.settings().clone();
    let convention = options.convention.unwrap_or(settings.convention);
    let mut problem = None;
    let wanted = options.name.clone().or(settings.last_design.clone());
    let first_run = options.design.is_none() && wanted.is_none();
    let (design, name) = match (&options.design, wanted) {
        (Some(d), _) => (d.clone(), options.name.clone()),
        (None, Some(name)) => match files.open(&name) {
            Ok(d) => (d, Some(name)),
            Err(e) => {
                problem = Some(e.to_string());
                (Design::example(), None)
            }
        },
        (None, None) => (Design::example(), None),
    };
    let mut app = App::new(design, convention);
    app.saved_as = name;
    if first_run {
        app.status = Some(Status {
            text: FIRST_RUN.into(),
            error: false,
        });
    }
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

/// Hands the terminal back to the shell and stops until `fg` (or a hang-up, which the kernel
/// follows with SIGCONT).
fn suspend() {
    restore();
    let _ = signal_hook::low_level::raise(SIGSTOP);
}

/// Ends the program after a signal or a lost terminal: keep the unsaved design, restore, exit.
fn shutdown(app: &App, files: &mut Files, code: i32) -> io::Result<()> {
    if app.dirty {
        let _ = files.perform(Effect::WriteRecovery(app.design.clone()), app);
    }
    restore();
    std::process::exit(code);
}
