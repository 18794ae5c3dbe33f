//! The application state and the one function that changes it.

pub mod action;
pub mod history;
pub mod keymap;
pub mod load;
mod popups;
pub mod state;
pub mod text;
pub mod update;

pub use popups::{form, help};

pub use action::{Action, Effect, Leftover, Saved};
pub use load::LoadError;
pub use state::{App, Ask, Mode, Pane, Question, RecoverList, Status};
