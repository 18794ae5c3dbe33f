//! Shared by the command-line tests: the real binary run with a temporary config directory,
//! and files written where a user would keep them.

use std::path::PathBuf;
use std::process::{Command, Output};

/// A temporary config directory and a folder for input files.
pub struct Env {
    pub config: tempfile::TempDir,
    pub files: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        Self {
            config: tempfile::tempdir().expect("tempdir"),
            files: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// Writes `contents` to a file named `name` in the input folder.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.files.path().join(name);
        std::fs::write(&p, contents).expect("write");
        p
    }

    /// Runs `lstm-tui ARGS` with the config directory pointed at the temporary one, and
    /// without `COLUMNS`, so a summary is Keras' at 80 columns whatever the caller's shell.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run lstm-tui")
    }

    /// The command [`Env::run`] runs, for a caller that sets more (its current folder, say).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lstm-tui"));
        command
            .args(args)
            .env("LSTM_TUI_CONFIG_DIR", self.config.path())
            .env_remove("COLUMNS");
        command
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
