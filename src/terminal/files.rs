//! Effects that touch files, carried out for the event loop through the design store.

use crate::app::{Action, App, Effect, Saved};
use crate::interop::columns::Column;
use crate::model::Design;
use crate::store::{FileStamp, Settings, Store, StoreError, utc_minutes};

/// The store as the event loop uses it: remembers the stamp of the open design's file so a
/// save notices changes made on disk meanwhile.
pub struct Files {
    store: Result<Store, String>,
    stamp: Option<(String, FileStamp)>,
    settings: Settings,
}

impl Files {
    /// The store under `$LSTM_TUI_CONFIG_DIR` or the platform's config directory.
    pub fn from_env() -> Files {
        let store = Store::from_env().map_err(|e| e.to_string());
        let settings = match &store {
            Ok(s) => s.load_settings().0,
            Err(_) => Settings::default(),
        };
        Files {
            store,
            stamp: None,
            settings,
        }
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
    pub fn open(&mut self, name: &str) -> Result<Design, String> {
        let store = self.store.as_ref().map_err(Clone::clone)?;
        let loaded = store.load_name(name).map_err(|e| e.to_string())?;
        self.stamp = Some((name.to_string(), loaded.stamp));
        Ok(loaded.design)
    }

    /// The recovery copy left by an earlier run, if any (it stays on disk until the user
    /// restores and saves it, or discards it).
    pub fn take_recovery(&mut self) -> Option<Design> {
        self.store.as_ref().ok()?.take_recovery()?.ok()
    }

    /// Writes the recovery copy.
    pub fn write_recovery(&mut self, design: &Design) -> Result<(), String> {
        let store = self.store.as_ref().map_err(Clone::clone)?;
        store.write_recovery(design).map_err(|e| e.to_string())
    }

    /// Carries out one effect; the reply, if any, goes back into the app.
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
                    | Effect::Export { .. } => {
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
                Err(e) => Some(Action::Failed(e)),
            },
            Effect::Compare(name) => match store.load_name(&name) {
                Ok(loaded) => Some(Action::Compared(loaded.design, name)),
                Err(e) => Some(Action::Failed(e.to_string())),
            },
            Effect::List => match store.list() {
                Ok(all) => Some(Action::Listed(
                    all.into_iter()
                        .map(|l| {
                            let info = l.info.as_ref().ok();
                            Saved {
                                total: info.and_then(|i| i.total.as_ref().ok().copied()),
                                budget: info.and_then(|i| i.budget),
                                changed: l.modified.map(utc_minutes).unwrap_or_default(),
                                name: l.name,
                            }
                        })
                        .collect(),
                )),
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
            Effect::WriteRecovery(design) => store
                .write_recovery(&design)
                .err()
                .map(|e| Action::Failed(format!("could not write the recovery copy: {e}"))),
            Effect::DiscardRecovery => store
                .discard_recovery()
                .err()
                .map(|e| Action::Failed(e.to_string())),
            Effect::Remember => {
                self.settings.last_design.clone_from(&app.saved_as);
                self.settings.theme.clone_from(&app.theme.name);
                self.settings.convention = app.convention();
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
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, contents));
                Some(match written {
                    Ok(()) => Action::Exported(path.display().to_string()),
                    Err(e) => Action::Failed(format!("not exported to {}: {e}", path.display())),
                })
            }
            Effect::Quit | Effect::Suspend | Effect::Redraw => None,
        }
    }
}
