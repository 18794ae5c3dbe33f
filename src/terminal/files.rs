//! Effects that touch files, carried out for the event loop.

use crate::app::{Action, App, Effect};
use crate::model::{Convention, Design};

/// What the last session left for this one.
#[derive(Debug, Clone, Default)]
pub struct Remembered {
    /// The design open at the end.
    pub last: Option<String>,
    /// The theme in use.
    pub theme: Option<String>,
    /// The convention in use.
    pub convention: Option<Convention>,
}

/// The designs, settings and recovery copy on disk.
pub struct Files;

impl Files {
    /// The files under the configured directory.
    pub fn from_env() -> Files {
        Files
    }

    /// What the last session remembered.
    pub fn settings(&mut self) -> Remembered {
        Remembered::default()
    }

    /// Loads a saved design.
    pub fn open(&mut self, name: &str) -> Result<Design, String> {
        Err(format!(
            "cannot open {name}: this build has no design store"
        ))
    }

    /// The recovery copy left by an earlier run, taken.
    pub fn take_recovery(&mut self) -> Option<Design> {
        None
    }

    /// Writes the recovery copy.
    pub fn write_recovery(&mut self, _design: &Design) -> Result<(), String> {
        Err("this build has no design store".into())
    }

    /// Carries out one effect; the reply, if any, goes back into the app.
    pub fn perform(&mut self, effect: Effect, _app: &App) -> Option<Action> {
        match effect {
            Effect::Save { .. } | Effect::Open(_) | Effect::List => Some(Action::Failed(
                "saving and opening need the design store, which this build lacks".into(),
            )),
            _ => None,
        }
    }
}
