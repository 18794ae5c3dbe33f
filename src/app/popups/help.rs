//! The key help: every binding in sections, then how MACs and memory are counted; it pages
//! like a pager and filters as you type after `/`, as lazygit's menus do.

use crate::app::action::{Action, Effect};
use crate::app::keymap::{KeyMode, Section, bindings, keys_label};
use crate::app::popups::Popup;
use crate::app::state::{App, Mode};
use crate::caps::wrap;
use crate::model::compute::MACS_CONVENTION;
use crate::model::memory::{ACTIVATIONS_ASSUMPTION, TRAINING_ASSUMPTIONS};

/// The help overlay.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HelpView {
    /// First line shown.
    pub scroll: u16,
    /// Only lines containing this are shown (case ignored); empty shows all.
    pub filter: String,
    /// Keys are typed into the filter (after `/`, until Enter or Esc).
    pub typing: bool,
}

/// One line of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// A section's heading.
    Heading(&'static str),
    /// A binding: its keys and what they do.
    Key(String, &'static str),
    /// A line of explanation.
    Text(String),
    /// Space between sections.
    Blank,
}

/// The width the explanations are wrapped to, inside the help's box.
pub const TEXT_WIDTH: usize = 72;

/// The popups' sections, after the panes' own, each with its heading.
const POPUPS: [(KeyMode, &str); 15] = [
    (KeyMode::Picker, "Pickers (type to filter)"),
    (KeyMode::OpenList, "Saved designs (type to filter)"),
    (KeyMode::Form, "Edit form (type to change the field)"),
    (KeyMode::Prompt, "Prompts"),
    (KeyMode::Confirm, "Questions"),
    (KeyMode::Quit, "Quitting with unsaved changes"),
    (KeyMode::Solve, "Fit to budget"),
    (KeyMode::Import, "Import box (type or paste)"),
    (KeyMode::Columns, "Summary columns"),
    (KeyMode::Export, "Export formats"),
    (KeyMode::Recover, "Unsaved work found (at start)"),
    (KeyMode::Tensors, "Tensor picker (what a layer reads)"),
    (KeyMode::Compare, "Compare view"),
    (KeyMode::Help, "This help"),
    (KeyMode::HelpFilter, "This help's filter (type to filter)"),
];

/// The help's lines, keeping only the sections and lines that contain `filter` (a section
/// whose heading matches keeps all its lines).
pub fn lines(filter: &str) -> Vec<HelpLine> {
    let mut groups: Vec<(&'static str, Vec<HelpLine>)> = Vec::new();
    for (section, heading) in Section::PANES {
        let mut group: Vec<HelpLine> = bindings(KeyMode::Normal)
            .filter(|b| b.section == section)
            .map(|b| HelpLine::Key(keys_label(b), b.help))
            .collect();
        match section {
            Section::Navigate => group.push(HelpLine::Key(
                "mouse".into(),
                "click selects, wheel scrolls (--no-mouse turns it off)",
            )),
            Section::Edit => group.push(HelpLine::Key(
                "0-9".into(),
                "count before + - j k (10+ grows by ten)",
            )),
            _ => {}
        }
        groups.push((heading, group));
    }
    for (mode, heading) in POPUPS {
        let group = bindings(mode)
            .map(|b| HelpLine::Key(keys_label(b), b.help))
            .collect();
        groups.push((heading, group));
    }
    for (heading, text) in [
        ("How MACs are counted", MACS_CONVENTION),
        ("Activation memory", ACTIVATIONS_ASSUMPTION),
        ("Training memory", TRAINING_ASSUMPTIONS),
    ] {
        let group = wrap(text, TEXT_WIDTH)
            .into_iter()
            .map(HelpLine::Text)
            .collect();
        groups.push((heading, group));
    }
    let wanted = filter.to_lowercase();
    let has = |s: &str| s.to_lowercase().contains(&wanted);
    let mut out = Vec::new();
    for (heading, group) in groups {
        let kept: Vec<HelpLine> = if has(heading) {
            group
        } else {
            group
                .into_iter()
                .filter(|l| match l {
                    HelpLine::Key(keys, help) => has(keys) || has(help),
                    HelpLine::Text(text) => has(text),
                    HelpLine::Heading(_) | HelpLine::Blank => false,
                })
                .collect()
        };
        if kept.is_empty() {
            continue;
        }
        out.push(HelpLine::Heading(heading));
        out.extend(kept);
        out.push(HelpLine::Blank);
    }
    out
}

/// Lines of the help a terminal `rows` high shows at once: the box leaves a row above and
/// below, and its borders take two.
pub fn page(rows: u16) -> u16 {
    rows.saturating_sub(4).max(1)
}

impl Popup for HelpView {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let page = page(app.size.1);
        match action {
            Action::PopupDown => self.scroll = self.scroll.saturating_add(1),
            Action::PopupUp => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll = self.scroll.saturating_add(page),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = u16::MAX,
            Action::Filter => self.typing = true,
            Action::Confirm => self.typing = false,
            Action::Unfilter => {
                self.filter.clear();
                self.typing = false;
                self.scroll = 0;
            }
            Action::Insert(c) if self.typing => {
                self.filter.push(c);
                self.scroll = 0;
            }
            Action::Backspace if self.typing => {
                self.filter.pop();
                self.scroll = 0;
            }
            _ => {}
        }
        // Past the end there is nothing to show: the last page is as far as it goes.
        let len = u16::try_from(lines(&self.filter).len()).unwrap_or(u16::MAX);
        self.scroll = self.scroll.min(len.saturating_sub(page));
        (Mode::Help(self), Vec::new())
    }
}
