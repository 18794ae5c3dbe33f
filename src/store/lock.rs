//! Advisory locks between lstm-tui processes: one lock file per design (held across the
//! "changed on disk?" check and the rename of a save) and one per running instance (held for
//! its whole life, so its recovery copies are never offered while it runs).
//!
//! The locks are `flock`s (via `fs4`): the system drops them when the process ends, however it
//! ends, which is exactly "is the owner still running?".

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fs4::{FileExt, TryLockError};

use crate::store::atomic::folder_of;
use crate::store::error::StoreError;

/// How long a save waits for another instance's save of the same file to finish.
const WAIT: Duration = Duration::from_secs(10);
/// Pause between tries while waiting.
const RETRY: Duration = Duration::from_millis(20);

/// An exclusive lock, released when dropped (or when the process ends).
#[derive(Debug)]
pub struct FileLock {
    // Held only for the lock: closing the file releases it.
    _file: File,
    path: PathBuf,
}

impl FileLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes the lock at `path` (creating the file) if nobody holds it; `None` if someone does.
    pub fn try_take(path: &Path) -> Result<Option<FileLock>, StoreError> {
        let fail = |source: io::Error| StoreError::Lock {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = folder_of(path) {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(fail)?;
        match FileExt::try_lock(&file) {
            Ok(()) => Ok(Some(FileLock {
                _file: file,
                path: path.to_path_buf(),
            })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(fail(e)),
        }
    }

    /// Takes the lock at `path`, waiting while another process holds it (a save in progress
    /// takes well under a second); gives up with [`StoreError::Busy`] after ten seconds rather
    /// than freeze the caller.
    pub fn take(path: &Path) -> Result<FileLock, StoreError> {
        let start = Instant::now();
        loop {
            if let Some(lock) = FileLock::try_take(path)? {
                return Ok(lock);
            }
            if start.elapsed() >= WAIT {
                return Err(StoreError::Busy {
                    path: path.to_path_buf(),
                });
            }
            std::thread::sleep(RETRY);
        }
    }
}

/// The lock file guarding saves of `target`: hidden, beside it (`designs/.lstm-64.ron.lock`).
pub fn save_lock_path(target: &Path) -> PathBuf {
    let file = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{file}.lock"))
}
