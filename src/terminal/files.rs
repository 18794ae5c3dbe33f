//! Effects that touch files, carried out for the event loop through the design store.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use super::wake::Bell;
use crate::app::{Action, App, Effect, Leftover, LoadError, Saved};
use crate::model::Design;
use crate::report::clock::utc_minutes;
use crate::report::columns::Column;
use crate::store::{
    DesignFile, FileStamp, Instance, Orphan, Settings, Store, StoreError, replace_file,
};

/// This process's claim on the recovery folder. One per process, shared by every [`Files`]:
/// the shutdown watchdog makes its own `Files` and must write the same copy.
static INSTANCE: OnceLock<Result<Mutex<Instance>, Arc<StoreError>>> = OnceLock::new();

/// Why the recovery copies could not be used; shown in the status line.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// There is no config directory, or this process could not claim its recovery instance.
    /// Either is decided once and shared by every later use, hence the `Arc`.
    #[error(transparent)]
    Unavailable(Arc<StoreError>),
    /// This instance's copy could not be written, or the ended ones listed or taken over.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The copy is one another lstm-tui restored or discarded meanwhile.
    #[error("{path}: another lstm-tui has restored or discarded it")]
    Taken {
        /// The copy, as the recovery list shows it.
        path: String,
    },
}

/// The store as the event loop uses it: remembers the stamp of the open design's file so a
/// save notices changes made on disk meanwhile.
pub struct Files {
    store: Result<Store, Arc<StoreError>>,
    stamp: Option<(String, FileStamp)>,
    settings: Settings,
    /// Why `settings.ron` could not be used, to show once at start.
    settings_problem: Option<String>,
    /// False when a bad `settings.ron` could not be moved aside: it is then never overwritten.
    settings_writable: bool,
    /// Copies of ended instances on offer, each locked against other instances meanwhile.
    orphans: Vec<Orphan>,
    /// What the open list showed for each design file as it was (same size and time).
    counts: Arc<Mutex<HashMap<DesignFile, Saved>>>,
    /// Totals being read for the open list.
    counting: Option<Receiver<Action>>,
    /// Wakes the event loop when a total arrives; none outside the designer.
    bell: Option<Bell>,
}

impl Files {
    /// The store under `$LSTM_TUI_CONFIG_DIR` or the platform's config directory.
    pub fn from_env() -> Files {
        Files::with_store(Store::from_env().map_err(Arc::new))
    }

    /// Files kept in `store`, or none (with why) when there is no config directory.
    fn with_store(store: Result<Store, Arc<StoreError>>) -> Files {
        let mut files = Files {
            store,
            stamp: None,
            settings: Settings::default(),
            settings_problem: None,
            settings_writable: true,
            orphans: Vec::new(),
            counts: Arc::default(),
            counting: None,
            bell: None,
        };
        if let Ok(store) = &files.store {
            let (settings, problem) = store.load_settings();
            files.settings = settings;
            if let Some(problem) = problem {
                // Never overwrite a file the user may have written by hand: keep it aside.
                files.settings_problem = Some(match store.keep_settings_aside() {
                    Ok(kept) => format!(
                        "default settings in use; the unusable file is kept as {}: {problem}",
                        kept.file_name().unwrap_or_default().to_string_lossy()
                    ),
                    Err(e) => {
                        files.settings_writable = false;
                        format!("default settings in use, not saved ({e}): {problem}")
                    }
                });
            }
        }
        files
    }

    /// Why the settings file was not used, if it was not.
    pub fn settings_problem(&self) -> Option<&str> {
        self.settings_problem.as_deref()
    }

    /// Where the user's themes live, if there is a config directory.
    pub fn themes_dir(&self) -> Option<std::path::PathBuf> {
        self.store.as_ref().ok().map(Store::themes_dir)
    }

    /// What the last session remembered.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Loads a saved design and remembers its file's stamp.
    pub fn open(&mut self, name: &str) -> Result<Design, LoadError> {
        // The store is missing only when there is no config directory.
        let Ok(store) = &self.store else {
            return Err(StoreError::NoConfigDir.into());
        };
        let loaded = store.load_name(name)?;
        self.stamp = Some((name.to_string(), loaded.stamp));
        Ok(loaded.design)
    }

    /// This process's recovery instance, claimed on first use.
    fn instance(&self) -> Result<MutexGuard<'static, Instance>, RecoveryError> {
        let store = self.store()?;
        let claimed =
            INSTANCE.get_or_init(|| store.claim_instance().map(Mutex::new).map_err(Arc::new));
        match claimed {
            // A panic while writing leaves nothing half-done worth refusing the copy for.
            Ok(m) => Ok(m.lock().unwrap_or_else(PoisonError::into_inner)),
            Err(e) => Err(RecoveryError::Unavailable(Arc::clone(e))),
        }
    }

    /// The store, or why there is none.
    fn store(&self) -> Result<&Store, RecoveryError> {
        self.store
            .as_ref()
            .map_err(|e| RecoveryError::Unavailable(Arc::clone(e)))
    }

    /// The unsaved designs left by instances that have ended, for the recovery list. Claims
    /// this instance first, so its own copies are never among them. They stay locked against
    /// other instances until answered.
    pub fn leftovers(&mut self) -> Result<Vec<Leftover>, RecoveryError> {
        drop(self.instance()?);
        self.orphans = self.store()?.orphans()?;
        Ok(self
            .orphans
            .iter()
            .map(|o| {
                let info = o.info.as_ref().ok();
                Leftover {
                    path: o.path.display().to_string(),
                    name: o.name.clone(),
                    changed: o.modified.map(utc_minutes).unwrap_or_default(),
                    total: info.and_then(|i| i.total.as_ref().ok().copied()),
                    layers: info.map(|i| i.layers),
                    error: o.info.as_ref().err().map(ToString::to_string),
                }
            })
            .collect())
    }

    /// The offered copy at `path`, no longer offered.
    fn take_orphan(&mut self, path: &str) -> Option<Orphan> {
        let at = self
            .orphans
            .iter()
            .position(|o| o.path.display().to_string() == path)?;
        Some(self.orphans.remove(at))
    }

    /// The saved designs at once, with the totals known from earlier listings; the others are
    /// read on a worker thread and arrive through [`Files::poll`], so a folder of large designs
    /// never holds up the interface.
    fn list(&mut self, store: &Store, files: Vec<DesignFile>) -> Vec<Saved> {
        let known = self
            .counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let listed = files
            .iter()
            .map(|f| match known.get(f) {
                Some(saved) => saved.clone(),
                None => Saved {
                    name: f.name.clone(),
                    total: None,
                    budget: None,
                    changed: f.modified.map(utc_minutes).unwrap_or_default(),
                    counted: false,
                },
            })
            .collect();
        let unknown: Vec<DesignFile> = files
            .into_iter()
            .filter(|f| !known.contains_key(f))
            .collect();
        let (tx, rx) = channel();
        // A newer listing replaces this one: the worker stops at its next send.
        self.counting = Some(rx);
        let counts = Arc::clone(&self.counts);
        let store = store.clone();
        let bell = self.bell.as_ref().and_then(|b| b.try_clone().ok());
        std::thread::spawn(move || {
            for file in unknown {
                let info = store.listed_info(&file);
                let info = info.as_ref().ok();
                let saved = Saved {
                    name: file.name.clone(),
                    total: info.and_then(|i| i.total.as_ref().ok().copied()),
                    budget: info.and_then(|i| i.budget),
                    changed: file.modified.map(utc_minutes).unwrap_or_default(),
                    counted: true,
                };
                counts
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(file, saved.clone());
                if tx.send(Action::Counted(saved)).is_err() {
                    return;
                }
                if let Some(bell) = &bell {
                    bell.ring();
                }
            }
        });
        listed
    }

    /// Rings `bell` whenever a total for the open list arrives.
    pub fn wake_with(&mut self, bell: Bell) {
        self.bell = Some(bell);
    }

    /// Totals of listed designs read since the last call, for the open list.
    pub fn poll(&mut self) -> Vec<Action> {
        let Some(rx) = &self.counting else {
            return Vec::new();
        };
        let mut out = Vec::new();
        loop {
            match rx.try_recv() {
                Ok(action) => out.push(action),
                Err(TryRecvError::Empty) => return out,
                Err(TryRecvError::Disconnected) => {
                    self.counting = None;
                    return out;
                }
            }
        }
    }

    /// Writes this instance's recovery copy.
    pub fn write_recovery(&mut self, design: &Design) -> Result<(), RecoveryError> {
        self.instance()?.write(design)?;
        Ok(())
    }

    /// Carries out one effect; the reply, if any, goes back into the app.
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per effect; the match is the list of what the terminal carries out"
    )]
    pub fn perform(&mut self, effect: Effect, app: &App) -> Option<Action> {
        let store = match &self.store {
            Ok(s) => s.clone(),
            Err(e) => {
                return match effect {
                    Effect::Save { .. }
                    | Effect::Open(_)
                    | Effect::List
                    | Effect::Rename { .. }
                    | Effect::Delete(_)
                    | Effect::Export { .. }
                    | Effect::RestoreCopy(_)
                    | Effect::DiscardCopy(_) => {
                        Some(Action::Failed(format!("no config directory: {e}")))
                    }
                    _ => None,
                };
            }
        };
        match effect {
            Effect::Save {
                mut design,
                name,
                overwrite,
            } => {
                design.name.clone_from(&name);
                let expected = match &self.stamp {
                    Some((n, stamp)) if *n == name => Some(stamp),
                    _ => None,
                };
                let result = if overwrite {
                    store.save_overwriting(&design)
                } else {
                    store.save(&design, expected)
                };
                match result {
                    Ok(stamp) => {
                        self.stamp = Some((name.clone(), stamp));
                        Some(Action::Saved(name))
                    }
                    Err(StoreError::ChangedOnDisk { .. } | StoreError::Exists { .. }) => {
                        Some(Action::SaveConflict(name))
                    }
                    Err(e) => Some(Action::Failed(format!("not saved: {e}"))),
                }
            }
            Effect::Open(name) => match self.open(&name) {
                Ok(design) => Some(Action::Loaded(design, Some(name))),
                Err(e) => Some(Action::Failed(e.to_string())),
            },
            Effect::Compare(name) => match store.load_name(&name) {
                Ok(loaded) => Some(Action::Compared(loaded.design, name)),
                Err(e) => Some(Action::Failed(e.to_string())),
            },
            Effect::List => match store.design_files() {
                Ok(all) => Some(Action::Listed(self.list(&store, all))),
                Err(e) => Some(Action::Failed(e.to_string())),
            },
            Effect::Rename { from, to } => match store.rename(&from, &to) {
                Ok(stamp) => {
                    if self.stamp.as_ref().is_some_and(|(n, _)| *n == from) {
                        self.stamp = Some((to.clone(), stamp));
                    }
                    Some(Action::Renamed(from, to))
                }
                Err(e) => Some(Action::Failed(format!("not renamed: {e}"))),
            },
            Effect::Delete(name) => match store.delete(&name) {
                Ok(()) => {
                    if self.stamp.as_ref().is_some_and(|(n, _)| *n == name) {
                        self.stamp = None;
                    }
                    Some(Action::Deleted(name))
                }
                Err(e) => Some(Action::Failed(format!("not deleted: {e}"))),
            },
            Effect::WriteRecovery(design) => self
                .write_recovery(&design)
                .err()
                .map(|e| Action::Failed(format!("could not write the recovery copy: {e}"))),
            Effect::DiscardRecovery => match self.instance() {
                Ok(mut instance) => instance
                    .discard()
                    .err()
                    .map(|e| Action::Failed(e.to_string())),
                // No instance, no copy.
                Err(_) => None,
            },
            Effect::RestoreCopy(path) => {
                let Some(orphan) = self.take_orphan(&path) else {
                    return Some(Action::Failed(format!("{path}: no longer offered")));
                };
                let adopted = self.instance().and_then(|mut i| {
                    i.adopt(orphan).map_err(|e| match e {
                        StoreError::NotFound { .. } => RecoveryError::Taken { path },
                        e => e.into(),
                    })
                });
                Some(match adopted {
                    Ok(design) => Action::Restored(design),
                    Err(e) => Action::Failed(format!("not restored: {e}")),
                })
            }
            Effect::KeepCopy(path) => {
                // Dropping it releases the ended instance's lock: the next start offers it.
                drop(self.take_orphan(&path));
                None
            }
            Effect::DiscardCopy(path) => self
                .take_orphan(&path)
                .and_then(|o| o.discard().err())
                .map(|e| Action::Failed(format!("not discarded: {e}"))),
            Effect::Remember => {
                self.settings.last_design.clone_from(&app.saved_as);
                self.settings.theme.clone_from(&app.theme.name);
                self.settings.convention = app.convention();
                if !self.settings_writable {
                    return None;
                }
                self.settings.columns = Some(
                    Column::ALL
                        .iter()
                        .filter(|(_, c)| app.columns.contains(c))
                        .map(|(name, _)| (*name).to_string())
                        .collect(),
                );
                store
                    .save_settings(&self.settings)
                    .err()
                    .map(|e| Action::Failed(format!("settings not saved: {e}")))
            }
            Effect::Export { file, contents } => {
                let path = store.root().join(file);
                Some(match replace_file(&path, contents.as_bytes()) {
                    Ok(()) => Action::Exported(path.display().to_string()),
                    Err(e) => Action::Failed(format!("not exported: {e}")),
                })
            }
            Effect::Quit | Effect::Suspend | Effect::Redraw => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::model::Convention;

    fn saved(files: &mut Files, app: &App) -> Vec<Saved> {
        match files.perform(Effect::List, app) {
            Some(Action::Listed(all)) => all,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn without_a_config_directory_recovery_says_why_in_a_type() {
        let mut files = Files::with_store(Err(Arc::new(StoreError::NoConfigDir)));
        let written = files.write_recovery(&Design::example());
        assert!(
            matches!(&written, Err(RecoveryError::Unavailable(e)) if matches!(**e, StoreError::NoConfigDir)),
            "{written:?}"
        );
        assert!(matches!(
            files.leftovers(),
            Err(RecoveryError::Unavailable(_))
        ));
    }

    #[test]
    fn the_open_list_reads_no_design_before_it_is_shown_and_each_only_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        let names = ["alpha", "beta", "gamma"];
        for name in names {
            let design = Design {
                name: name.into(),
                ..Design::example()
            };
            store.save(&design, None).unwrap();
        }
        let app = App::new(Design::example(), Convention::Keras);
        let mut files = Files::with_store(Ok(store.clone()));

        let first = saved(&mut files, &app);
        assert_eq!(
            first.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            names
        );
        assert!(first.iter().all(|s| !s.counted), "{first:?}");

        let deadline = Instant::now() + Duration::from_secs(30);
        let mut counted = Vec::new();
        while counted.len() < names.len() {
            assert!(
                Instant::now() < deadline,
                "totals never arrived: {counted:?}"
            );
            counted.extend(files.poll());
            std::thread::sleep(Duration::from_millis(5));
        }
        let total = crate::model::Summary::of(&Design::example(), Convention::Keras)
            .totals
            .total()
            .ok();
        for action in &counted {
            let Action::Counted(s) = action else {
                panic!("{action:?}");
            };
            assert!(s.counted && s.total == total, "{s:?}");
        }

        // Unchanged files are not read again; a changed one is.
        let changed = Design {
            name: "beta".into(),
            layers: Design::example().layers[..2].to_vec(),
            ..Design::example()
        };
        store.save_overwriting(&changed).unwrap();
        let again = saved(&mut files, &app);
        let counted: Vec<&str> = again
            .iter()
            .filter(|s| s.counted)
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(counted, ["alpha", "gamma"]);
    }
}
