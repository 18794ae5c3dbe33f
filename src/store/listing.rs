//! The saved designs as `lstm-tui list` and the open picker show them.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::SystemTime;

use crate::model::{Convention, Design, LayerError, ShapeError, Summary};
use crate::report::clock::utc_minutes;
use crate::report::numbers::thousands;
use crate::store::error::StoreError;

/// A file in `designs/` as the folder lists it, before it is read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DesignFile {
    /// The design name (the file name without `.ron`).
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// Its size, as the folder reports it.
    pub len: u64,
    /// Last change, if the system reports it.
    pub modified: Option<SystemTime>,
}

/// One file in `designs/`.
#[derive(Debug)]
pub struct Listed {
    /// The design name (the file name without `.ron`).
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// Last change, if the system reports it.
    pub modified: Option<SystemTime>,
    /// What the file holds, or why it cannot be read; a bad file never hides the others.
    pub info: Result<ListedInfo, StoreError>,
}

/// The numbers a listing shows for a readable design.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedInfo {
    /// Total parameters in Keras' convention, or why there is none.
    pub total: Result<u64, NoTotal>,
    /// The budget, if one is set.
    pub budget: Option<u64>,
    /// Number of layers.
    pub layers: usize,
}

/// Why a readable design has no total to list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoTotal {
    /// A layer does not build: which one and why.
    #[error("does not build: {0}")]
    DoesNotBuild(ShapeError),
    /// Every layer builds but the sum does not fit in 64 bits.
    #[error("{0}")]
    Count(LayerError),
}

impl ListedInfo {
    /// The listing's numbers for a design.
    pub fn of(design: &Design) -> Self {
        let summary = Summary::of(design, Convention::Keras);
        let total = match summary.error {
            Some(e) => Err(NoTotal::DoesNotBuild(e)),
            None => summary.totals.total().map_err(NoTotal::Count),
        };
        Self {
            total,
            budget: design.budget.params,
            layers: design.layers.len(),
        }
    }
}

/// `lstm-tui list`: one line per design (name, total params, budget, last change), a bad file
/// showing its error in place. Names and errors are file contents: `shown` is the one policy
/// that makes such text safe to print (the caller's `caps::visible`; the store names nothing
/// above the model), applied before the columns are measured so they stay aligned.
pub fn list_text(listed: &[Listed], shown: fn(&str) -> Cow<'_, str>) -> String {
    if listed.is_empty() {
        return "no saved designs (save one with Ctrl-s in lstm-tui)\n".into();
    }
    let width = listed
        .iter()
        .map(|l| shown(&l.name).chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>14}  {:>13}  MODIFIED (UTC)",
        "NAME", "PARAMS", "BUDGET"
    );
    for l in listed {
        let name = shown(&l.name);
        let modified = l.modified.map(utc_minutes).unwrap_or_else(|| "-".into());
        match &l.info {
            Ok(info) => {
                let total = match &info.total {
                    Ok(n) => thousands(*n),
                    // The listing has no room for the reason; `explain NAME` gives it.
                    Err(NoTotal::DoesNotBuild(_) | NoTotal::Count(_)) => "does not build".into(),
                };
                let budget = info.budget.map(thousands).unwrap_or_else(|| "-".into());
                let _ = writeln!(out, "{name:<width$}  {total:>14}  {budget:>13}  {modified}");
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "{name:<width$}  {:>14}  {:>13}  {modified:<16}  {}",
                    "error",
                    "-",
                    shown(&e.to_string())
                );
            }
        }
    }
    out
}
