//! What can go wrong with files, worded as `path:line:column: what is wrong` plus what to do.
//!
//! Names and text quoted from a file are kept as they were read: whoever prints or draws a
//! message applies `caps::sanitize`, the one policy, so the store spells nothing its own way.

use std::io;
use std::path::PathBuf;

use crate::model::Located;

/// Why a file operation failed. Every variant names the file it concerns.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is there but its contents are not a valid design or settings file: where
    /// (its path included) and what.
    #[error("{0}")]
    Parse(Located),
    /// The file is larger than any design lstm-tui writes; it is not read at all.
    #[error(
        "{}: the file is {size} bytes, more than the {limit} bytes lstm-tui reads from a design, theme or settings file: is it the right file?",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The cap.
        limit: u64,
    },
    /// No file at that path, or no saved design of that name.
    #[error("{}: no such file (`lstm-tui list` shows the saved designs)", path.display())]
    NotFound {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// A FIFO, a device, a socket: reading it could wait forever or never end, so it is not
    /// opened for reading at all.
    #[error(
        "{}: not a regular file (a FIFO, device or socket); give the path of a design file",
        path.display()
    )]
    NotRegular {
        /// The file.
        path: PathBuf,
    },
    /// Reading failed for a reason other than absence (permissions, a folder in the way, ...).
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// Writing, renaming or deleting failed; the previous file, if any, is unchanged.
    #[error(
        "{}: cannot save: {source} (the previous file is unchanged; check that the folder is writable and the disk has space)",
        path.display()
    )]
    Write {
        /// The file that was being written.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A design name that could not be a safe file name.
    #[error("design name \"{name}\" is not allowed: {reason}")]
    Name {
        /// The refused name.
        name: String,
        /// Why, and what to use instead.
        reason: &'static str,
    },
    /// The file changed on disk since it was opened (another program, or a second lstm-tui):
    /// saving would overwrite those changes, so the caller should ask first.
    #[error(
        "{}: changed on disk since it was opened; save again to overwrite it, or save under another name",
        path.display()
    )]
    ChangedOnDisk {
        /// The file.
        path: PathBuf,
    },
    /// A different design already has this name.
    #[error("{}: a different design already has this name; choose another name or confirm overwriting", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A lock file could not be created or locked (a read-only folder, a file system without
    /// locks).
    #[error(
        "{}: cannot lock: {source} (check that the folder is writable)",
        path.display()
    )]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// Another lstm-tui kept this file's save lock for longer than any save takes.
    #[error(
        "{}: another lstm-tui has been saving this file for 10 seconds; try again, or save under another name",
        path.display()
    )]
    Busy {
        /// The lock file.
        path: PathBuf,
    },
    /// Neither `LSTM_TUI_CONFIG_DIR` nor a home directory is available.
    #[error(
        "no configuration directory: set LSTM_TUI_CONFIG_DIR to a folder for designs and settings"
    )]
    NoConfigDir,
}
