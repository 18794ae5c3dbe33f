//! Where standard output goes wrong: a reader that stops reading (`| head`) ends the writing
//! quietly, with the command's own status; a full disk is reported, with status 2, so a
//! script never takes a cut-off report for a whole one.

use std::io::Read;
use std::process::Stdio;

use crate::common::{Env, stderr};

/// Each headless command that writes a report, on the built-in example (saved first).
fn reports(env: &Env) -> Vec<Vec<&'static str>> {
    lstm_tui::store::Store::at(env.config.path())
        .save(&lstm_tui::model::Design::example(), None)
        .unwrap();
    vec![
        vec!["summary", "example"],
        vec!["summary", "example", "--format", "json"],
        vec!["explain", "example"],
        vec!["list"],
        vec!["diff", "example", "example"],
        vec!["fit", "example", "--layer", "1", "--params", "50000"],
        vec!["export", "example", "--to", "pytorch"],
    ]
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_reported_with_status_2() {
    let env = Env::new();
    for args in reports(&env) {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = env.command(&args).stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("cannot write the output") && err.contains("No space left"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_reader_that_stops_reading_is_no_error() {
    let env = Env::new();
    for args in reports(&env) {
        let mut child = env
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one byte, then close the pipe as `head -c 1` does.
        let mut first = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        let read_whole = env.run(&args).status.code();
        assert_eq!(out.status.code(), read_whole, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{args:?}: {}", stderr(&out));
    }
}
