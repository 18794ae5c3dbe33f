//! Recovery copies of unsaved work, one per running instance.
//!
//! Each instance claims an id (its process id, `4242`, or `4242_1` if a copy from an earlier
//! process with the same id is still waiting) and holds `recovery/<id>.lock` for its whole
//! life. Its copy is `recovery/<design>-<id>.ron`, a plain design file. A copy is offered at
//! start only when its id's lock can be taken, that is when its instance has ended: a running
//! instance's copy is never offered, and answering for one copy never touches another. The
//! single `recovery.ron` of the first release is offered the same way.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::model::Design;
use crate::store::atomic;
use crate::store::error::StoreError;
use crate::store::format::{parse_design_bytes, to_ron};
use crate::store::listing::ListedInfo;
use crate::store::lock::FileLock;
use crate::store::names::check_name;
use crate::store::{SaveHook, Store, names};

/// How many ids past the process id an instance tries before giving up.
const MAX_SUFFIX: u32 = 1000;

/// This instance's claim on the recovery folder: its lock, and the copy it last wrote.
pub struct Instance {
    dir: PathBuf,
    id: String,
    // Held for the instance's life: it tells other instances this one still runs.
    _lock: FileLock,
    copy: Option<PathBuf>,
    hook: Option<Arc<dyn SaveHook>>,
}

/// A copy whose instance has ended, as the start-up list shows it.
#[derive(Debug)]
pub struct Orphan {
    /// The copy.
    pub path: PathBuf,
    /// The design's name inside the copy (the file's name if it cannot be read).
    pub name: String,
    /// When it was last written.
    pub modified: Option<SystemTime>,
    /// What it holds, or why it cannot be read.
    pub info: Result<ListedInfo, StoreError>,
    /// The ended instance's lock, held while the copy is offered so that a second instance
    /// starting meanwhile does not offer it too. `None` for the first release's copy.
    owner: Option<Arc<FileLock>>,
}

impl Store {
    /// Where the recovery copies live.
    pub fn recovery_dir(&self) -> PathBuf {
        self.root().join("recovery")
    }

    /// The single recovery copy the first release wrote; offered like an orphaned copy.
    pub fn legacy_recovery_path(&self) -> PathBuf {
        self.root().join("recovery.ron")
    }

    /// Claims an id for this instance and locks it until the instance is dropped (or the
    /// process ends).
    pub fn claim_instance(&self) -> Result<Instance, StoreError> {
        let dir = self.recovery_dir();
        let waiting = copies(&dir)?;
        let pid = std::process::id();
        for suffix in 0..MAX_SUFFIX {
            let id = if suffix == 0 {
                pid.to_string()
            } else {
                format!("{pid}_{suffix}")
            };
            // An id whose copies still wait for an answer belongs to an ended process that had
            // the same process id: take another, so those copies stay offered.
            if waiting.contains_key(&id) {
                continue;
            }
            if let Some(lock) = FileLock::try_take(&lock_path(&dir, &id))? {
                return Ok(Instance {
                    dir,
                    id,
                    _lock: lock,
                    copy: None,
                    hook: self.hook.clone(),
                });
            }
        }
        Err(StoreError::Lock {
            path: dir,
            source: io::Error::other("no free instance id; remove old files from this folder"),
        })
    }

    /// Every copy whose instance has ended, newest first, each locked against other
    /// instances until it is dropped. Leftovers of ended instances without a copy (a lock
    /// file, a temp file of an interrupted write) are removed on the way.
    pub fn orphans(&self) -> Result<Vec<Orphan>, StoreError> {
        let dir = self.recovery_dir();
        let mut out = Vec::new();
        let mut by_id = copies(&dir)?;
        for id in lock_ids(&dir)? {
            by_id.entry(id).or_default();
        }
        for (id, paths) in by_id {
            let Some(lock) = FileLock::try_take(&lock_path(&dir, &id))? else {
                continue;
            };
            remove_temps_of(&dir, &id);
            if paths.is_empty() {
                // Best effort: an ended instance that left no copy needs no lock file.
                let _ = fs::remove_file(lock.path());
                continue;
            }
            let owner = Arc::new(lock);
            for path in paths {
                out.push(Orphan::read(path, Some(Arc::clone(&owner))));
            }
        }
        let legacy = self.legacy_recovery_path();
        if fs::symlink_metadata(&legacy).is_ok() {
            out.push(Orphan::read(legacy, None));
        }
        out.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.path.cmp(&b.path)));
        Ok(out)
    }
}

impl Instance {
    /// This instance's id, as its copies' names end (`lstm-64-4242.ron`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The copy this instance wrote last, if it has one now.
    pub fn copy_path(&self) -> Option<&Path> {
        self.copy.as_deref()
    }

    /// Writes the copy of `design` (atomically), replacing this instance's earlier copy, also
    /// when the design's name changed meanwhile.
    pub fn write(&mut self, design: &Design) -> Result<PathBuf, StoreError> {
        let path = self.path_for(&design.name);
        let text = to_ron(design);
        atomic::write_own(&path, text.as_bytes(), self.hook.as_deref(), &|| Ok(()))?;
        if let Some(old) = self.copy.replace(path.clone())
            && old != path
        {
            remove(&old)?;
        }
        Ok(path)
    }

    /// Removes this instance's copy (the design was saved, or abandoned on purpose). Other
    /// instances' copies are never touched.
    pub fn discard(&mut self) -> Result<(), StoreError> {
        match self.copy.take() {
            Some(path) => remove(&path),
            None => Ok(()),
        }
    }

    /// Makes an ended instance's copy this instance's own (by renaming it, so a crash right
    /// after still leaves a copy) and returns its design. Fails if another instance took it
    /// meanwhile or it cannot be read; then nothing changed.
    pub fn adopt(&mut self, orphan: Orphan) -> Result<Design, StoreError> {
        let design = match orphan.info {
            Ok(_) => read_design(&orphan.path)?,
            Err(e) => return Err(e),
        };
        let path = self.path_for(&design.name);
        fs::rename(&orphan.path, &path).map_err(|source| {
            if source.kind() == io::ErrorKind::NotFound {
                StoreError::NotFound { path: orphan.path }
            } else {
                StoreError::Write {
                    path: path.clone(),
                    source,
                }
            }
        })?;
        if let Some(old) = self.copy.replace(path.clone())
            && old != path
        {
            remove(&old)?;
        }
        Ok(design)
    }

    /// `recovery/<design>-<id>.ron`; a name that could not be a file name becomes `untitled`
    /// (the copy holds the real name).
    fn path_for(&self, name: &str) -> PathBuf {
        let stem = if check_name(name).is_ok() && name.len() <= names::MAX_NAME_LEN {
            name
        } else {
            "untitled"
        };
        self.dir.join(format!("{stem}-{}.ron", self.id))
    }
}

impl Orphan {
    fn read(path: PathBuf, owner: Option<Arc<FileLock>>) -> Orphan {
        let modified = fs::symlink_metadata(&path).and_then(|m| m.modified()).ok();
        let (name, info) = match atomic::read_capped(&path).and_then(|bytes| {
            parse_design_bytes(&bytes).map_err(|error| StoreError::Parse(error.in_file(&path)))
        }) {
            Ok(design) => (design.name.clone(), Ok(ListedInfo::of(&design))),
            Err(e) => (
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                Err(e),
            ),
        };
        Orphan {
            path,
            name,
            modified,
            info,
            owner,
        }
    }

    /// Deletes the copy for good; the ended instance's lock file goes with its last copy.
    pub fn discard(self) -> Result<(), StoreError> {
        remove(&self.path)?;
        if let Some(owner) = self.owner
            && let Ok(lock) = Arc::try_unwrap(owner)
            && let Some(dir) = atomic::folder_of(&self.path)
            && !has_copies(dir, lock_id(lock.path()))
        {
            // Best effort, as in `orphans`.
            let _ = fs::remove_file(lock.path());
        }
        Ok(())
    }
}

fn read_design(path: &Path) -> Result<Design, StoreError> {
    let bytes = atomic::read_capped(path)?;
    parse_design_bytes(&bytes).map_err(|error| StoreError::Parse(error.in_file(path)))
}

fn lock_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.lock"))
}

fn lock_id(path: &Path) -> &str {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or("")
}

/// `4242` or `4242_3`: what an id looks like.
fn is_id(s: &str) -> bool {
    let mut parts = s.splitn(2, '_');
    let digits =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let first = parts.next();
    digits(first) && parts.next().is_none_or(|p| digits(Some(p)))
}

/// The id a copy's file name ends with (`lstm-64-4242.ron` → `4242`).
fn copy_id(file_name: &str) -> Option<&str> {
    let stem = file_name.strip_suffix(".ron")?;
    let (_, id) = stem.rsplit_once('-')?;
    is_id(id).then_some(id)
}

/// The copies in `dir`, by the id of the instance that wrote them.
fn copies(dir: &Path) -> Result<BTreeMap<String, Vec<PathBuf>>, StoreError> {
    let mut out: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for (name, path) in entries(dir)? {
        if name.starts_with('.') {
            continue;
        }
        if let Some(id) = copy_id(&name) {
            out.entry(id.to_string()).or_default().push(path);
        }
    }
    Ok(out)
}

fn has_copies(dir: &Path, id: &str) -> bool {
    copies(dir).is_ok_and(|c| c.contains_key(id))
}

/// The ids that have a lock file in `dir`.
fn lock_ids(dir: &Path) -> Result<Vec<String>, StoreError> {
    Ok(entries(dir)?
        .into_iter()
        .filter_map(|(name, _)| name.strip_suffix(".lock").map(str::to_string))
        .filter(|id| is_id(id))
        .collect())
}

/// Removes temp files of copies an ended instance `id` was writing when it ended.
fn remove_temps_of(dir: &Path, id: &str) {
    let Ok(list) = entries(dir) else {
        return;
    };
    for (name, path) in list {
        let Some((copy, _)) = name.strip_prefix('.').and_then(|n| n.split_once(".tmp-")) else {
            continue;
        };
        if copy_id(copy) == Some(id) {
            let _ = fs::remove_file(path);
        }
    }
}

/// The names and paths in `dir`; none if it does not exist.
fn entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, StoreError> {
    let list = match fs::read_dir(dir) {
        Ok(l) => l,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::Read {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    Ok(list
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect())
}

fn remove(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(StoreError::Write {
            path: path.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}
