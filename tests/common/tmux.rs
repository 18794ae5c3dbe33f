//! The real binary in tmux, for end-to-end tests: tmux answers the terminal's queries as a real
//! emulator does, shows what a user would see, and reports the terminal modes the program set.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long to wait for a screen to show something; raise it on a slow machine.
pub fn patience() -> Duration {
    let ms = std::env::var("LSTM_TUI_TEST_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    Duration::from_millis(ms)
}

/// The program under test.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_lstm-tui")
}

/// One tmux session on a server of its own (tests run in parallel, and sessions sharing one
/// server race when it starts or exits); the server is killed when dropped.
pub struct Session {
    /// The session's (and its server's) name.
    pub name: String,
}

impl Session {
    /// lstm-tui in a `w`×`h` terminal with its config folder at `config`; see
    /// [`Session::designer_with`].
    pub fn designer(tag: &str, config: &Path, w: u16, h: u16) -> Session {
        Session::designer_with(tag, config, w, h, "")
    }

    /// Like [`Session::designer`], with `env` (e.g. `NO_COLOR=1`) set for the program. After it
    /// ends, the shell prints its exit status and whether the terminal is back in cooked mode
    /// (`icanon`) with `echo`, and keeps the pane open.
    pub fn designer_with(tag: &str, config: &Path, w: u16, h: u16, env: &str) -> Session {
        let command = format!(
            "LSTM_TUI_CONFIG_DIR='{}' {env} '{}'; echo \"exit status $?\"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; sleep 60",
            config.display(),
            binary(),
        );
        Session::start(tag, w, h, &["sh", "-c", &command])
    }

    /// A `w`×`h` session running `argv`.
    pub fn start(tag: &str, w: u16, h: u16, argv: &[&str]) -> Session {
        let name = format!("lstm-tui-e2e-{tag}-{}", std::process::id());
        let status = Command::new("tmux")
            .args(["-L", &name, "-f", "/dev/null"])
            .args(["new-session", "-d", "-s", &name])
            .args(["-x", &w.to_string(), "-y", &h.to_string()])
            .args(argv)
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        Session { name }
    }

    /// A tmux command on this session's server.
    pub fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.name]);
        c
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        self.capture(false)
    }

    /// The screen, with its colour escapes when `escapes` is true.
    pub fn capture(&self, escapes: bool) -> String {
        let mut args = vec!["capture-pane", "-p"];
        if escapes {
            args.push("-e");
        }
        let out = self
            .tmux()
            .args(&args)
            .args(["-t", &self.name])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen contains every one of `texts`, and returns it.
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

    /// Waits until the screen no longer contains `text` (a popup closed), and returns it. A key
    /// sent right after Esc, before the program has read the Esc, arrives as Alt+key.
    pub fn wait_gone(&self, text: &str) -> String {
        let deadline = Instant::now() + patience();
        loop {
            let screen = self.screen();
            if !screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?} to go; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types `keys` (tmux key names, or literal text after `-l`).
    pub fn keys(&self, keys: &[&str]) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", &self.name])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(status.success());
    }

    /// Pastes `text` as the terminal does with bracketed paste on.
    pub fn paste(&self, text: &str) {
        let buffer = format!("{}-paste", self.name);
        let status = self
            .tmux()
            .args(["set-buffer", "-b", &buffer, text])
            .status()
            .expect("set-buffer");
        assert!(status.success());
        let status = self
            .tmux()
            .args(["paste-buffer", "-p", "-d", "-b", &buffer, "-t", &self.name])
            .status()
            .expect("paste-buffer");
        assert!(status.success());
    }

    /// A format of tmux's own view of the pane, e.g. `#{mouse_any_flag}`.
    pub fn pane_format(&self, format: &str) -> String {
        let out = self
            .tmux()
            .args(["display-message", "-p", "-t", &self.name, format])
            .output()
            .expect("display-message");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The process the pane runs.
    pub fn pane_pid(&self) -> u32 {
        self.pane_format("#{pane_pid}").parse().expect("pane pid")
    }

    /// The program's process: the pane's own, or the first child of the pane's shell.
    pub fn program_pid(&self) -> u32 {
        let deadline = Instant::now() + patience();
        loop {
            let pane = self.pane_pid();
            if name_of(pane).is_some_and(|c| c == "lstm-tui") {
                return pane;
            }
            if let Some(pid) = child_of(pane) {
                return pid;
            }
            assert!(Instant::now() < deadline, "the program did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts copying everything the program writes to the terminal into `file`.
    pub fn record(&self, file: &Path) {
        let status = self
            .tmux()
            .args(["pipe-pane", "-o", "-t", &self.name])
            .arg(format!("cat >> '{}'", file.display()))
            .status()
            .expect("pipe-pane");
        assert!(status.success());
    }

    /// Stops copying output.
    pub fn stop_recording(&self) {
        let _ = self.tmux().args(["pipe-pane", "-t", &self.name]).status();
    }

    /// Closes the terminal, as a dropped connection does: the pty's other end goes away.
    pub fn close(&self) {
        let _ = self
            .tmux()
            .args(["kill-session", "-t", &self.name])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self
            .tmux()
            .arg("kill-server")
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// The fields of `/proc/PID/stat` after the command name: state first.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(") ")?;
    Some(rest.split(' ').map(str::to_string).collect())
}

/// A process' state letter (`R`, `S`, `T` stopped, `Z` ended), `None` once reaped.
pub fn state(pid: u32) -> Option<char> {
    stat_fields(pid)?.first()?.chars().next()
}

/// Sends `signal` (`-TERM`, `-STOP`, `-CONT`, ...) to `pid`.
pub fn signal(pid: u32, signal: &str) {
    let ok = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .expect("kill");
    assert!(ok.success());
}

/// Stops `pid` and waits until it is stopped.
pub fn stop(pid: u32) {
    signal(pid, "-STOP");
    let deadline = Instant::now() + patience();
    while state(pid) != Some('T') {
        assert!(Instant::now() < deadline, "the program did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether a process is alive (a zombie waiting for a parent that never reaps it has ended).
pub fn running(pid: u32) -> bool {
    state(pid).is_some_and(|s| s != 'Z')
}

/// Waits up to `limit` for `pid` to end; false if it is still running then.
pub fn ends_within(pid: u32, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while running(pid) {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

/// CPU time a process has used so far (user + system), in clock ticks.
pub fn cpu_ticks(pid: u32) -> u64 {
    stat_fields(pid)
        .map(|f| {
            // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
            f.get(11).and_then(|t| t.parse::<u64>().ok()).unwrap_or(0)
                + f.get(12).and_then(|t| t.parse::<u64>().ok()).unwrap_or(0)
        })
        .unwrap_or(0)
}

/// The name of a process' program.
fn name_of(pid: u32) -> Option<String> {
    let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    Some(name.trim_end().to_string())
}

/// A child process of `parent`, found through /proc (no pgrep needed).
pub fn child_of(parent: u32) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let ppid: u32 = stat_fields(pid)?.get(1)?.parse().ok()?;
        (ppid == parent).then_some(pid)
    })
}

/// The recovery copies under a config folder (wherever the store keeps them), with contents.
pub fn recovery_copies(config: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut dirs = vec![config.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                dirs.push(path);
            } else if path.to_string_lossy().contains("recovery")
                && path.extension().is_some_and(|x| x == "ron")
            {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                found.push((path, text));
            }
        }
    }
    found
}
