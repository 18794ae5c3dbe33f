//! Where files live and how designs are read and written: RON designs in `designs/`, settings,
//! and recovery copies of unsaved work (one per running instance). Every path comes from a [`Store`] root, so tests point
//! it at a temp folder.
//!
//! Layout under the root (`$LSTM_TUI_CONFIG_DIR`, else the platform config dir):
//! `designs/<name>.ron`, `themes/<name>.ron`, `settings.ron`, `recovery/<design>-<id>.ron` (and
//! `recovery/<id>.lock`, held by the running instance `<id>`).

mod atomic;
mod error;
mod format;
mod listing;
mod lock;
mod names;
mod quick_read;
mod recovery;
mod settings;

pub use atomic::{FileStamp, SaveHook, SaveStep};
pub(crate) use atomic::{open_regular, read_capped};
pub use error::StoreError;
pub(crate) use format::text_of;
pub use format::{
    MAX_FILE_SIZE, parse_design, parse_design_bytes, parse_design_with_ron, quick_design, to_ron,
};
pub use listing::{DesignFile, Listed, ListedInfo, NoTotal, list_text};
pub use lock::FileLock;
pub use names::{MAX_NAME_LEN, check_name};

/// Replaces any file atomically (exports), so an interrupted write never leaves half a file.
/// No lock file: exports land in the user's folders, and nothing checks them before replacing.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    atomic::write_own(path, bytes, None, &|| Ok(()))
}
pub use recovery::{Instance, Orphan};
pub use settings::Settings;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::{Design, Located};

/// The environment variable that moves the config directory (tests point it at a temp folder).
pub const CONFIG_DIR_VAR: &str = "LSTM_TUI_CONFIG_DIR";

/// A design read from disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The design.
    pub design: Design,
    /// What to tell the user about the file though it was read: a `name` field that differs
    /// from the file's name (an unknown field is an error, never a warning).
    pub warnings: Vec<String>,
    /// The file's contents when read; pass it to [`Store::save`] to notice outside changes.
    pub stamp: FileStamp,
    /// Where it was read from.
    pub path: PathBuf,
}

/// The config directory and everything under it.
#[derive(Clone)]
pub struct Store {
    root: PathBuf,
    pub(crate) hook: Option<Arc<dyn SaveHook>>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("root", &self.root)
            .field("hook", &self.hook.is_some())
            .finish()
    }
}

impl Store {
    /// `$LSTM_TUI_CONFIG_DIR` if set and not empty, else the platform's config directory
    /// (`~/.config/lstm-tui` on Linux).
    pub fn from_env() -> Result<Store, StoreError> {
        match std::env::var_os(CONFIG_DIR_VAR) {
            Some(dir) if !dir.is_empty() => Ok(Store::at(dir)),
            _ => directories::ProjectDirs::from("", "", "lstm-tui")
                .map(|p| Store::at(p.config_dir()))
                .ok_or(StoreError::NoConfigDir),
        }
    }

    /// A store rooted at `root` (created on first save).
    pub fn at(root: impl Into<PathBuf>) -> Store {
        Store {
            root: root.into(),
            hook: None,
        }
    }

    /// The same store with `hook` called inside every save: the seam fault tests use.
    pub fn with_hook(mut self, hook: Arc<dyn SaveHook>) -> Store {
        self.hook = Some(hook);
        self
    }

    /// The config directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where saved designs live.
    pub fn designs_dir(&self) -> PathBuf {
        self.root.join("designs")
    }

    /// Where user themes live.
    pub fn themes_dir(&self) -> PathBuf {
        self.root.join("themes")
    }

    /// `settings.ron`.
    pub fn settings_path(&self) -> PathBuf {
        self.root.join("settings.ron")
    }

    /// `designs/<name>.ron`, after checking the name cannot escape `designs/`.
    pub fn design_path(&self, name: &str) -> Result<PathBuf, StoreError> {
        check_name(name)?;
        Ok(self.designs_dir().join(format!("{name}.ron")))
    }

    /// Every `designs/*.ron`, sorted by name. A file that cannot be read is listed with its
    /// error; only an unreadable `designs/` folder fails the whole listing.
    pub fn list(&self) -> Result<Vec<Listed>, StoreError> {
        Ok(self
            .design_files()?
            .into_iter()
            .map(|f| Listed {
                info: self.listed_info(&f),
                name: f.name,
                path: f.path,
                modified: f.modified,
            })
            .collect())
    }

    /// Every `designs/*.ron`, sorted by name, without reading any: what the folder itself
    /// says (name, size, time), which stays quick however large the designs are.
    pub fn design_files(&self) -> Result<Vec<DesignFile>, StoreError> {
        let dir = self.designs_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(StoreError::Read { path: dir, source }),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| StoreError::Read {
                path: dir.clone(),
                source,
            })?;
            let file_name = entry.file_name().to_string_lossy().into_owned();
            // Hidden files include temp files of a save that was interrupted.
            let Some(name) = file_name.strip_suffix(".ron") else {
                continue;
            };
            if file_name.starts_with('.') {
                continue;
            }
            let meta = entry.metadata().ok();
            out.push(DesignFile {
                name: name.to_string(),
                path: entry.path(),
                len: meta.as_ref().map_or(0, fs::Metadata::len),
                modified: meta.and_then(|m| m.modified().ok()),
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// What the listing shows for one file: this reads and summarises it.
    pub fn listed_info(&self, file: &DesignFile) -> Result<ListedInfo, StoreError> {
        check_name(&file.name)
            .and_then(|()| self.read_path(&file.path))
            .map(|design| ListedInfo::of(&design))
    }

    /// Reads a design file anywhere. The file is only read, never changed.
    pub fn load_path(&self, path: &Path) -> Result<Loaded, StoreError> {
        let bytes = atomic::read_capped(path)?;
        let stamp = FileStamp::of(&bytes);
        Ok(Loaded {
            design: design_in(path, &bytes)?,
            warnings: Vec::new(),
            stamp,
            path: path.to_path_buf(),
        })
    }

    /// [`Store::load_path`] without the stamp a save checks against, for a reader that never
    /// saves: the stamp hashes every byte, which costs about what parsing the file does.
    pub fn read_path(&self, path: &Path) -> Result<Design, StoreError> {
        design_in(path, &atomic::read_capped(path)?)
    }

    /// Reads a saved design. Its name is the file's name, whatever the `name` field says (a
    /// warning tells when they differ), so saving writes back to the same file.
    pub fn load_name(&self, name: &str) -> Result<Loaded, StoreError> {
        let mut loaded = self.load_path(&self.design_path(name)?)?;
        if loaded.design.name != name {
            loaded.warnings.push(format!(
                "the file says name: \"{}\"; using the file's name \"{name}\"",
                loaded.design.name
            ));
            loaded.design.name = name.to_string();
        }
        Ok(loaded)
    }

    /// What `lstm-tui NAME|PATH` means: an existing file, or anything that looks like a path
    /// (contains `/` or ends in `.ron`), is a path; anything else is a saved design's name,
    /// unless there is no saved design of that name and a folder has it (reading it then says
    /// it is a folder, rather than that no design has its name).
    pub fn resolve(&self, name_or_path: &str) -> Result<PathBuf, StoreError> {
        let as_path = Path::new(name_or_path);
        if as_path.is_file()
            || name_or_path.contains(std::path::MAIN_SEPARATOR)
            || name_or_path.contains('/')
            || name_or_path.ends_with(".ron")
        {
            return Ok(as_path.to_path_buf());
        }
        match self.design_path(name_or_path) {
            Ok(saved) if saved.is_file() || !as_path.is_dir() => Ok(saved),
            Err(e) if !as_path.is_dir() => Err(e),
            _ => Ok(as_path.to_path_buf()),
        }
    }

    /// Opens what `lstm-tui NAME|PATH` names (see [`Store::resolve`]): a saved design by name,
    /// or a file by path.
    pub fn open(&self, name_or_path: &str) -> Result<Loaded, StoreError> {
        let path = self.resolve(name_or_path)?;
        if path.parent() == Some(self.designs_dir().as_path())
            && self.design_path(name_or_path).ok().as_ref() == Some(&path)
        {
            self.load_name(name_or_path)
        } else {
            self.load_path(&path)
        }
    }

    /// Saves `design` as `designs/<design.name>.ron`, atomically.
    ///
    /// `expected` is the stamp from when the design was opened (or last saved). If the file now
    /// holds something else, nothing is written and [`StoreError::ChangedOnDisk`] asks the caller
    /// to confirm; with `expected = None` (a new design, or save-as) an existing different file
    /// gives [`StoreError::Exists`]. Confirmed, call [`Store::save_overwriting`].
    pub fn save(
        &self,
        design: &Design,
        expected: Option<&FileStamp>,
    ) -> Result<FileStamp, StoreError> {
        self.save_at(&self.design_path(&design.name)?, design, expected)
    }

    /// [`Store::save`] to a file anywhere (a design opened by path is saved back there).
    pub fn save_at(
        &self,
        path: &Path,
        design: &Design,
        expected: Option<&FileStamp>,
    ) -> Result<FileStamp, StoreError> {
        let text = to_ron(design);
        let new = FileStamp::of(text.as_bytes());
        let path = path.to_path_buf();
        // The check and the rename happen under the file's save lock, so a second lstm-tui
        // saving the same file waits and then sees this save as a change on disk.
        let _lock = FileLock::take(&lock::save_lock_path(&path))?;
        let seen = atomic::current_stamp(&path)?;
        match (seen, expected) {
            // Already saved exactly this: nothing to write, nothing to overwrite.
            (Some(now), _) if now == new => return Ok(new),
            (Some(now), Some(exp)) if now != *exp => {
                return Err(StoreError::ChangedOnDisk { path });
            }
            (Some(_), None) => return Err(StoreError::Exists { path }),
            _ => {}
        }
        // Other programs do not take the lock: an editor may write the file while the new
        // contents are being synced, so look again right before replacing it.
        let recheck = || {
            if atomic::current_stamp(&path)? == seen {
                Ok(())
            } else {
                Err(StoreError::ChangedOnDisk { path: path.clone() })
            }
        };
        atomic::write_locked(&path, text.as_bytes(), self.hook.as_deref(), &recheck)?;
        Ok(new)
    }

    /// Saves `design` over whatever its file holds (after the user confirmed).
    pub fn save_overwriting(&self, design: &Design) -> Result<FileStamp, StoreError> {
        self.save_overwriting_at(&self.design_path(&design.name)?, design)
    }

    /// [`Store::save_overwriting`] to a file anywhere.
    pub fn save_overwriting_at(
        &self,
        path: &Path,
        design: &Design,
    ) -> Result<FileStamp, StoreError> {
        let text = to_ron(design);
        atomic::write_atomic(path, text.as_bytes(), self.hook.as_deref())?;
        Ok(FileStamp::of(text.as_bytes()))
    }

    /// Renames a saved design: the file and the `name` inside it. Refuses to replace another
    /// design. Returns the stamp of the renamed file.
    pub fn rename(&self, from: &str, to: &str) -> Result<FileStamp, StoreError> {
        let old = self.design_path(from)?;
        let new = self.design_path(to)?;
        if from == to {
            return self.load_path(&old).map(|l| l.stamp);
        }
        if new.exists() {
            return Err(StoreError::Exists { path: new });
        }
        let mut loaded = self.load_path(&old)?;
        loaded.design.name = to.to_string();
        let stamp = self.save(&loaded.design, None)?;
        fs::remove_file(&old).map_err(|source| StoreError::Write { path: old, source })?;
        Ok(stamp)
    }

    /// Deletes a saved design.
    pub fn delete(&self, name: &str) -> Result<(), StoreError> {
        let path = self.design_path(name)?;
        fs::remove_file(&path).map_err(|source| {
            if source.kind() == io::ErrorKind::NotFound {
                StoreError::NotFound { path }
            } else {
                StoreError::Write { path, source }
            }
        })
    }

    /// The settings, or the defaults when there is no file. A bad file gives the defaults and
    /// the error to show (the file is left as it is); unknown fields are skipped silently.
    pub fn load_settings(&self) -> (Settings, Option<StoreError>) {
        let path = self.settings_path();
        let bytes = match atomic::read_capped(&path) {
            Ok(b) => b,
            Err(StoreError::NotFound { .. }) => return (Settings::default(), None),
            Err(e) => return (Settings::default(), Some(e)),
        };
        let parsed = format::text_of(&bytes).and_then(format::parse_ron::<Settings>);
        match parsed {
            Ok((settings, _)) => (settings, None),
            Err(error) => (
                Settings::default(),
                Some(StoreError::Parse(error.in_file(&path))),
            ),
        }
    }

    /// Moves a `settings.ron` that cannot be used out of the way, to `settings.ron.bad` (or
    /// `.bad-2`, ... : an older kept file is never replaced), so that saving the settings does
    /// not destroy what the user wrote. Returns where it went.
    pub fn keep_settings_aside(&self) -> Result<PathBuf, StoreError> {
        let from = self.settings_path();
        for n in 1..1000 {
            let to = if n == 1 {
                self.root.join("settings.ron.bad")
            } else {
                self.root.join(format!("settings.ron.bad-{n}"))
            };
            if fs::symlink_metadata(&to).is_ok() {
                continue;
            }
            return fs::rename(&from, &to)
                .map(|()| to)
                .map_err(|source| StoreError::Write { path: from, source });
        }
        Err(StoreError::Write {
            path: from,
            source: io::Error::other("too many settings.ron.bad files; remove old ones"),
        })
    }

    /// Writes `settings.ron` atomically.
    pub fn save_settings(&self, settings: &Settings) -> Result<(), StoreError> {
        let text = format::settings_text(settings);
        atomic::write_atomic(&self.settings_path(), text.as_bytes(), self.hook.as_deref())
    }
}

/// The design in a file's bytes; an error says where in the file.
fn design_in(path: &Path, bytes: &[u8]) -> Result<Design, StoreError> {
    parse_design_bytes(bytes).map_err(|error: Located| StoreError::Parse(error.in_file(path)))
}
