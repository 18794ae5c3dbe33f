//! The real binary on a pseudo-terminal whose other end the caller holds: every byte the
//! program writes is seen, and closing that end is a terminal vanishing. Nothing answers the
//! terminal's queries here, as on a link that never replies.

use std::fs::File;
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};

/// A program running on a pty.
pub struct OnPty {
    master: Option<File>,
    /// The program's process.
    pub child: Child,
}

impl OnPty {
    /// Runs `command` with standard input, output and error on a new `w`×`h` pty.
    pub fn spawn(mut command: Command, w: u16, h: u16) -> OnPty {
        use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
        // Close-on-exec, or the program would hold its own terminal's other end open.
        let flags = OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC;
        let master = openpt(flags).expect("openpt");
        grantpt(&master).expect("grantpt");
        unlockpt(&master).expect("unlockpt");
        let name = ptsname(&master, Vec::new()).expect("ptsname");
        let slave = File::options()
            .read(true)
            .write(true)
            .open(name.to_string_lossy().as_ref())
            .expect("open the pty");
        let size = rustix::termios::Winsize {
            ws_row: h,
            ws_col: w,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        rustix::termios::tcsetwinsize(&slave, size).expect("window size");
        rustix::fs::fcntl_setfl(&master, rustix::fs::OFlags::NONBLOCK).expect("non-blocking");
        let stdio = || Stdio::from(slave.try_clone().expect("clone"));
        let child = command
            .stdin(stdio())
            .stdout(stdio())
            .stderr(stdio())
            .spawn()
            .expect("the program starts");
        OnPty {
            master: Some(File::from(master)),
            child,
        }
    }

    /// What the program writes within `wait` (empty when it wrote nothing).
    pub fn read(&mut self, wait: Duration) -> Vec<u8> {
        let Some(master) = self.master.as_mut() else {
            return Vec::new();
        };
        let timeout = Timespec::try_from(wait).expect("timeout");
        let mut fds = [PollFd::new(&*master, PollFlags::IN)];
        if poll(&mut fds, Some(&timeout)).unwrap_or(0) == 0 {
            return Vec::new();
        }
        let mut buf = [0u8; 65536];
        match master.read(&mut buf) {
            Ok(n) => buf[..n].to_vec(),
            Err(_) => Vec::new(),
        }
    }

    /// Reads until the output contains `text`, and returns all of it; panics at `deadline`.
    pub fn read_until(&mut self, text: &str, deadline: Instant) -> String {
        let mut seen = String::new();
        while !seen.contains(text) {
            assert!(Instant::now() < deadline, "never drew {text:?}:\n{seen}");
            seen.push_str(&String::from_utf8_lossy(
                &self.read(Duration::from_millis(50)),
            ));
        }
        seen
    }

    /// Types `bytes` as the keyboard would.
    pub fn type_bytes(&mut self, bytes: &[u8]) {
        if let Some(master) = self.master.as_mut() {
            master.write_all(bytes).expect("type");
        }
    }

    /// Closes the terminal's other end: to the program its terminal is gone.
    pub fn close(&mut self) {
        self.master = None;
    }
}

impl Drop for OnPty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
