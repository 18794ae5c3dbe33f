//! Saving without ever destroying the previous file: write a temp file beside it, fsync, rename
//! over it, fsync the folder. A failure at any step leaves the old file as it was and removes
//! the temp file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::store::error::StoreError;
use crate::store::format::MAX_FILE_SIZE;
use crate::store::lock::{FileLock, save_lock_path};

/// A point inside a save where a [`SaveHook`] is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStep {
    /// The temp file has been written but not yet flushed to disk.
    Written,
    /// The temp file is on disk; the target still holds the old contents.
    Synced,
}

/// Called at each [`SaveStep`]; an error aborts the save there, as a failing disk would. This is
/// how tests prove the old file survives a failure between write and rename.
pub trait SaveHook: Send + Sync {
    /// Runs at `step` of writing `target`.
    fn at(&self, step: SaveStep, target: &Path) -> io::Result<()>;
}

/// What a file held when it was read: saving compares it with what is there now, to notice
/// another program's changes. Compares contents, not timestamps, so a touched but unchanged file
/// is not a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileStamp {
    len: u64,
    hash: u64,
}

impl FileStamp {
    /// The stamp of these bytes.
    pub fn of(bytes: &[u8]) -> Self {
        // FNV-1a: stable across Rust releases and platforms, unlike std's hasher.
        let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        Self {
            len: bytes.len() as u64,
            hash,
        }
    }
}

/// Opens a file for reading only if it is a regular file. The open itself never waits (a FIFO
/// with no writer would block a plain open forever), and anything that is not a regular file (a
/// FIFO, a device such as `/dev/zero`, a socket, a folder) is refused before a byte is read.
pub(crate) fn open_regular(path: &Path) -> Result<File, StoreError> {
    let read_err = |source: io::Error| {
        if source.kind() == io::ErrorKind::NotFound {
            StoreError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            StoreError::Read {
                path: path.to_path_buf(),
                source,
            }
        }
    };
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if meta.is_dir() {
        return Err(StoreError::Read {
            path: path.to_path_buf(),
            source: io::Error::other("it is a folder, not a design file"),
        });
    }
    if !meta.is_file() {
        return Err(StoreError::NotRegular {
            path: path.to_path_buf(),
        });
    }
    Ok(file)
}

/// Reads a whole regular file, refusing one over [`MAX_FILE_SIZE`] before reading it.
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, StoreError> {
    let read_err = |source: io::Error| StoreError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = open_regular(path)?;
    let meta = file.metadata().map_err(read_err)?;
    let too_large = |size| StoreError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit: MAX_FILE_SIZE,
    };
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_large(meta.len()));
    }
    // The size can change between the check and the read: read at most one byte past the
    // cap to know. Room for the whole file and that byte up front: a large design is read
    // without growing and copying the buffer.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).map_or(0, |n| n + 1));
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The stamp of the file now on disk, `None` if there is none.
pub(crate) fn current_stamp(path: &Path) -> Result<Option<FileStamp>, StoreError> {
    match read_capped(path) {
        Ok(bytes) => Ok(Some(FileStamp::of(&bytes))),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(StoreError::TooLarge { .. }) => Ok(Some(FileStamp {
            len: u64::MAX,
            hash: 0,
        })),
        Err(e) => Err(e),
    }
}

/// Replaces `target` with `bytes` atomically (see the module doc), holding `target`'s save lock
/// so two lstm-tui processes never interleave their saves of one file.
pub(crate) fn write_atomic(
    target: &Path,
    bytes: &[u8],
    hook: Option<&dyn SaveHook>,
) -> Result<(), StoreError> {
    let _lock = FileLock::take(&save_lock_path(target))?;
    write_locked(target, bytes, hook, &|| Ok(()))
}

/// [`write_atomic`] for a caller that already holds `target`'s save lock. `recheck` runs after
/// the new contents are safely on disk and right before the rename: an error there (the file
/// changed meanwhile) cancels the save and leaves the file as it is.
pub(crate) fn write_locked(
    target: &Path,
    bytes: &[u8],
    hook: Option<&dyn SaveHook>,
    recheck: &dyn Fn() -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    // Under the lock nobody else is saving this file: any temp file of it is left over from a
    // save that was interrupted (a crash, a kill -9, a power cut).
    remove_temps(target);
    write_own(target, bytes, hook, recheck)
}

/// Replaces a file only this process ever writes (its own recovery copy): no lock needed.
pub(crate) fn write_own(
    target: &Path,
    bytes: &[u8],
    hook: Option<&dyn SaveHook>,
    recheck: &dyn Fn() -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let fail = |source: io::Error| StoreError::Write {
        path: target.to_path_buf(),
        source,
    };
    let dir = folder_of(target).ok_or_else(|| fail(io::Error::other("the path has no folder")))?;
    fs::create_dir_all(dir).map_err(|e| StoreError::Write {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let temp = temp_path(target);
    let written = write_temp(&temp, target, bytes, hook)
        .map_err(fail)
        .and_then(|()| recheck())
        .and_then(|()| fs::rename(&temp, target).map_err(fail));
    if let Err(e) = written {
        // Best effort: the error being reported matters more than a failed cleanup.
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(dir).map_err(fail)
}

/// The folder `target` is in: `.` for a bare file name, whose parent is the empty path (which
/// can be neither listed nor opened to sync); `None` for a root.
pub(crate) fn folder_of(target: &Path) -> Option<&Path> {
    target.parent().map(|dir| {
        if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        }
    })
}

/// Removes the temp files [`temp_path`] made for `target` (best effort: a temp file that
/// cannot be removed only costs space).
pub(crate) fn remove_temps(target: &Path) {
    let (Some(dir), Some(file)) = (folder_of(target), target.file_name()) else {
        return;
    };
    let prefix = format!(".{}.tmp-", file.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn write_temp(
    temp: &Path,
    target: &Path,
    bytes: &[u8],
    hook: Option<&dyn SaveHook>,
) -> io::Result<()> {
    let step = |s| hook.map_or(Ok(()), |h| h.at(s, target));
    let mut file = OpenOptions::new().write(true).create_new(true).open(temp)?;
    // Keep the old file's permissions (a user may have made a design private).
    if let Ok(meta) = fs::metadata(target) {
        file.set_permissions(meta.permissions())?;
    }
    file.write_all(bytes)?;
    step(SaveStep::Written)?;
    file.sync_all()?;
    step(SaveStep::Synced)
}

/// A hidden name beside the target, unique within this process and across processes.
fn temp_path(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let file = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{file}.tmp-{}-{n}", std::process::id()))
}

/// Makes the rename itself durable. Some file systems cannot sync a folder; that is no reason
/// to report a save that happened as failed.
fn sync_dir(dir: &Path) -> io::Result<()> {
    match File::open(dir).and_then(|d| d.sync_all()) {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}
