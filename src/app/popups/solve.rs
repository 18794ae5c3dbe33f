//! A fit-to-budget proposal, shown before it is applied.

use crate::app::action::{Action, Effect};
use crate::app::popups::Popup;
use crate::app::state::{App, Mode};
use crate::model::Summary;
use crate::model::budget::Gauge;
use crate::model::solve::{Proposal, SolveError, largest_size, scale_widths};

/// What a fit-to-budget proposal changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The largest size of this one layer (index into the design).
    Layer(usize),
    /// Every hidden width scaled by one factor.
    AllWidths,
}

/// The multiples a proposal's sizes can be rounded to, in the order `m` cycles them.
pub const MULTIPLES: [u64; 4] = [1, 8, 16, 64];

/// A fit-to-budget proposal on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveView {
    /// What is solved for.
    pub scope: Scope,
    /// Sizes are multiples of this.
    pub multiple: u64,
    /// The proposal, or why there is none.
    pub result: Result<Proposal, SolveError>,
    /// The budget gauges of the proposed design (none without a proposal), worked out when
    /// it is proposed so that drawing only reads.
    pub after: Vec<Gauge>,
    /// Whether Enter would change the design: a proposal that differs from it.
    pub applies: bool,
}

impl SolveView {
    /// The proposal for a scope and multiple on the app's design.
    pub fn propose(app: &App, scope: Scope, multiple: u64) -> SolveView {
        let convention = app.convention();
        let result = match scope {
            Scope::Layer(i) => largest_size(&app.design, i, multiple, convention),
            Scope::AllWidths => scale_widths(&app.design, multiple, convention),
        };
        let after = result.as_ref().map_or_else(
            |_| Vec::new(),
            |p| {
                app.design
                    .budget
                    .gauges(&Summary::of(&p.design, convention))
            },
        );
        let applies = result.as_ref().is_ok_and(|p| p.design != app.design);
        SolveView {
            scope,
            multiple,
            result,
            after,
            applies,
        }
    }
}

impl Popup for SolveView {
    fn handle(self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let (scope, multiple) = (self.scope, self.multiple);
        let next = match action {
            Action::NextMultiple => {
                let at = MULTIPLES.iter().position(|m| *m == multiple).unwrap_or(0);
                SolveView::propose(app, scope, MULTIPLES[(at + 1) % MULTIPLES.len()])
            }
            Action::SwitchScope => {
                let next = match (scope, app.layer_index()) {
                    (Scope::Layer(_), _) => Scope::AllWidths,
                    (Scope::AllWidths, Some(i)) => Scope::Layer(i),
                    (Scope::AllWidths, None) => Scope::AllWidths,
                };
                SolveView::propose(app, next, multiple)
            }
            Action::Confirm => {
                match self.result {
                    Ok(p) if p.design == app.design => {
                        app.status("already the largest that fits: nothing to change", false);
                    }
                    Ok(p) => {
                        let sel = app.selected;
                        let n = p.changes.len();
                        app.change(sel, |d| *d = p.design);
                        app.status(
                            format!(
                                "fitted {n} size{} (u undoes)",
                                if n == 1 { "" } else { "s" }
                            ),
                            false,
                        );
                    }
                    Err(e) => app.status(e.to_string(), true),
                }
                return (Mode::Normal, Vec::new());
            }
            _ => self,
        };
        (Mode::Solve(next), Vec::new())
    }
}
