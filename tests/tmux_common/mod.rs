//! The real binary in tmux, for end-to-end tests: one tmux server per session (tests run in
//! parallel, and sessions sharing a server race when it starts or exits), polling for what the
//! screen shows, never fixed sleeps.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long to wait for a screen to show something; raise it on a slow machine.
pub fn patience() -> Duration {
    let ms = std::env::var("LSTM_TUI_TEST_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    Duration::from_millis(ms)
}

/// Whether tmux can run; says so on stderr when it cannot.
pub fn have_tmux() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: tmux is not installed");
    }
    ok
}

/// One tmux session running the binary; its server is killed when dropped.
pub struct Session {
    /// The session's (and its server's) name.
    pub name: String,
}

impl Session {
    /// A tmux command on this session's own server.
    pub fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.name]);
        c
    }

    /// lstm-tui in a `w`×`h` terminal with its config folder at `config`; after it ends, the
    /// shell prints its exit status and keeps the pane open.
    pub fn start(tag: &str, config: &Path, w: u16, h: u16) -> Session {
        let command = format!(
            "LSTM_TUI_CONFIG_DIR='{}' '{}'; echo \"exit status $?\"; sleep 60",
            config.display(),
            env!("CARGO_BIN_EXE_lstm-tui"),
        );
        let name = format!("lstm-tui-e2e-{tag}-{}", std::process::id());
        let status = Command::new("tmux")
            .args(["-L", &name])
            .args(["new-session", "-d", "-s", &name])
            .args(["-x", &w.to_string(), "-y", &h.to_string()])
            .args(["sh", "-c", &command])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        Session { name }
    }

    /// What the screen shows now.
    pub fn screen(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen contains every one of `texts`.
    pub fn wait_for(&self, texts: &[&str]) -> String {
        let deadline = Instant::now() + patience();
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {texts:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types keys (tmux key names: `Enter`, `Escape`, `C-s`, or text).
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            let status = self
                .tmux()
                .args(["send-keys", "-t", &self.name, k])
                .status()
                .expect("send-keys");
            assert!(status.success());
        }
    }

    /// The program's process id (the child of the pane's shell).
    pub fn pid(&self) -> u32 {
        let deadline = Instant::now() + patience();
        loop {
            let out = self
                .tmux()
                .args(["list-panes", "-t", &self.name, "-F", "#{pane_pid}"])
                .output()
                .expect("list-panes");
            let shell: u32 = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .expect("pid");
            if let Some(pid) = child_of(shell) {
                return pid;
            }
            assert!(Instant::now() < deadline, "the program did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Closes the terminal, as a dropped SSH connection does (the program gets SIGHUP).
    pub fn close(&self) {
        let _ = self
            .tmux()
            .args(["kill-session", "-t", &self.name])
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // The server is gone already if the session was closed.
        let _ = self
            .tmux()
            .arg("kill-server")
            .stderr(Stdio::null())
            .status();
    }
}

/// Whether a process is alive (a zombie waiting for a parent that never reaps it has ended).
pub fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(") ").map(|(_, rest)| !rest.starts_with('Z')))
        .unwrap_or(false)
}

/// Waits until process `pid` has ended.
pub fn wait_gone(pid: u32) {
    let deadline = Instant::now() + patience();
    while running(pid) {
        assert!(Instant::now() < deadline, "process {pid} still running");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A child process of `parent`, found through /proc (no pgrep needed).
fn child_of(parent: u32) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
        let (_, rest) = stat.rsplit_once(") ")?;
        let ppid: u32 = rest.split(' ').nth(1)?.parse().ok()?;
        (ppid == parent).then_some(pid)
    })
}
