//! What wakes the event loop: input on the terminal, a signal, the terminal hanging up, or a
//! timer. The loop sleeps in poll(2) without a timeout while nothing is due, so an idle designer
//! costs no CPU and writes nothing.
//!
//! crossterm's reader loops forever on a terminal that has hung up (`read()` returns 0 there and
//! crossterm reads again), so it is only asked for events after poll(2) has said the terminal
//! is readable and has not hung up; a thread blocked in poll(2) notices a hang-up at any other
//! moment (including one with no SIGHUP: `setsid`, a closed pty) and, should the loop be stuck,
//! ends the process itself after writing the recovery copy.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGWINCH};
use signal_hook::iterator::Signals;

use super::files::Files;
use crate::model::Design;

/// Longest a shutdown may take once the terminal is gone or a terminating signal arrived,
/// before a watchdog ends the process itself.
const SHUTDOWN_LIMIT: Duration = Duration::from_millis(1500);

/// Something that happened outside the terminal's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A signal arrived (terminating, job control, or a window size change).
    Signal(i32),
    /// The terminal hung up or reported an error: nobody can see or type into it any more.
    Hangup,
}

/// What one wait found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Woke {
    /// The terminal has input to read.
    pub input: bool,
    /// The terminal hung up or failed.
    pub lost: bool,
}

/// The event loop's view of signals and the terminal's state.
pub struct Waker {
    notices: Receiver<Notice>,
    wake: UnixStream,
    ring: UnixStream,
}

/// Wakes the event loop from another thread, so work finished there is shown without waiting
/// for the next key.
pub struct Bell(UnixStream);

impl Bell {
    /// Wakes the loop; a full socket already holds a wake-up it has yet to read.
    pub fn ring(&self) {
        let _ = (&self.0).write(&[1]);
    }

    /// Another handle on the same bell, for a worker thread.
    pub fn try_clone(&self) -> io::Result<Bell> {
        self.0.try_clone().map(Bell)
    }
}

impl Waker {
    /// Starts watching signals and the terminal. `latest` holds the unsaved design, if any, for
    /// the watchdog to write should the loop not shut down in time.
    pub fn start(latest: Arc<Mutex<Option<Design>>>) -> io::Result<Waker> {
        let (wake, ring) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        ring.set_nonblocking(true)?;
        let (tx, notices) = channel();
        let mut signals =
            Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH])?;
        let bell = ring.try_clone()?;
        let signal_ring = ring.try_clone()?;
        let signal_tx = tx.clone();
        let signal_latest = Arc::clone(&latest);
        std::thread::spawn(move || {
            for n in signals.forever() {
                if !tell(&signal_tx, &signal_ring, Notice::Signal(n)) {
                    return;
                }
                if matches!(n, SIGTERM | SIGHUP | SIGINT | SIGQUIT) {
                    watchdog(Arc::clone(&signal_latest), 128 + n);
                }
            }
        });
        std::thread::spawn(move || {
            if hangup() {
                let _ = tell(&tx, &ring, Notice::Hangup);
                watchdog(latest, 129);
            }
        });
        Ok(Waker {
            notices,
            wake,
            ring: bell,
        })
    }

    /// A bell that wakes this loop from another thread.
    pub fn bell(&self) -> io::Result<Bell> {
        self.ring.try_clone().map(Bell)
    }

    /// Blocks until the terminal has input or hangs up, a notice arrives, or `deadline`
    /// passes (no deadline: wait as long as it takes).
    pub fn wait(&mut self, deadline: Option<Instant>) -> Woke {
        let stdin = rustix::stdio::stdin();
        loop {
            let timeout = deadline.map(|d| {
                let left = d.saturating_duration_since(Instant::now());
                Timespec::try_from(left).unwrap_or(Timespec {
                    tv_sec: i64::from(i32::MAX),
                    tv_nsec: 0,
                })
            });
            let mut fds = [
                PollFd::new(&stdin, PollFlags::IN),
                PollFd::new(&self.wake, PollFlags::IN),
            ];
            match poll(&mut fds, timeout.as_ref()) {
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => continue,
                Err(_) => {
                    return Woke {
                        input: false,
                        lost: true,
                    };
                }
            }
            let tty = fds[0].revents();
            let woke = Woke {
                input: tty.contains(PollFlags::IN),
                lost: tty.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL),
            };
            if fds[1].revents().contains(PollFlags::IN) {
                self.empty_the_ring();
            }
            return woke;
        }
    }

    /// Every notice that arrived since the last call, oldest first.
    pub fn notices(&self) -> Vec<Notice> {
        self.notices.try_iter().collect()
    }

    /// Reads the wake-up bytes so the next poll blocks again.
    fn empty_the_ring(&mut self) {
        let mut buf = [0u8; 64];
        while matches!(self.wake.read(&mut buf), Ok(n) if n > 0) {}
    }
}

/// Passes a notice to the loop and wakes it; false once the loop is gone.
fn tell(tx: &Sender<Notice>, mut ring: &UnixStream, notice: Notice) -> bool {
    if tx.send(notice).is_err() {
        return false;
    }
    // A full socket already holds a wake-up the loop has yet to read.
    let _ = ring.write(&[1]);
    true
}

/// Blocks until the terminal (standard input) hangs up or fails; true when it did. Asking for
/// no events still reports a hang-up, so this thread sleeps through ordinary input.
fn hangup() -> bool {
    let stdin = rustix::stdio::stdin();
    loop {
        let mut fds = [PollFd::new(&stdin, PollFlags::empty())];
        match poll(&mut fds, None) {
            Ok(_) => {
                let seen = fds[0].revents();
                if seen.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                    return true;
                }
            }
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => return false,
        }
    }
}

/// If the loop has not ended the process within [`SHUTDOWN_LIMIT`] (a read stuck on a vanished
/// terminal), writes the recovery copy, gives the terminal back and exits with `code`.
fn watchdog(latest: Arc<Mutex<Option<Design>>>, code: i32) {
    std::thread::spawn(move || {
        std::thread::sleep(SHUTDOWN_LIMIT);
        if let Some(d) = latest.lock().ok().and_then(|d| d.clone()) {
            let _ = Files::from_env().write_recovery(&d);
        }
        super::restore();
        std::process::exit(code);
    });
}
