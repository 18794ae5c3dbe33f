//! Colours by meaning. Widgets ask for a role (`selection`, `error`, `formula_value`), never
//! for a colour, so a theme file changes every screen consistently.

use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::model::Located;
use crate::store::StoreError;

/// The themes shipped in the binary, in the order `t` cycles through them.
pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../themes/dark.ron")),
    ("light", include_str!("../themes/light.ron")),
    ("high-contrast", include_str!("../themes/high-contrast.ron")),
    ("monochrome", include_str!("../themes/monochrome.ron")),
];

/// How one role is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Role {
    /// Text colour; none keeps the terminal's.
    pub fg: Option<Color>,
    /// Background colour; none keeps the terminal's.
    pub bg: Option<Color>,
    /// Bold text.
    pub bold: bool,
    /// Dimmed text.
    pub dim: bool,
    /// Italic text.
    pub italic: bool,
    /// Underlined text.
    pub underline: bool,
    /// Swapped foreground and background: the one mark every terminal shows.
    pub reverse: bool,
}

impl Role {
    /// The role as a ratatui style.
    pub fn style(&self) -> Style {
        let mut s = Style::default();
        if let Some(c) = self.fg {
            s = s.fg(c);
        }
        if let Some(c) = self.bg {
            s = s.bg(c);
        }
        let flags = [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underline, Modifier::UNDERLINED),
            (self.reverse, Modifier::REVERSED),
        ];
        for (on, m) in flags {
            if on {
                s = s.add_modifier(m);
            }
        }
        s
    }
}

/// The terminal background a theme is written for, so its colours can be checked against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum Background {
    /// A dark background (black, or close to it): the usual terminal default.
    #[default]
    Dark,
    /// A light background (white, or close to it).
    Light,
    /// Any background: the theme uses only the terminal's own colours and attributes.
    Any,
}

/// A complete theme: every role must be given, so a theme never silently lacks one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// The theme's name, as `t` reports it.
    pub name: String,
    /// The background its colours are chosen for; user themes written before it was asked
    /// for are taken as dark, as the default theme is.
    #[serde(default)]
    pub background: Background,
    /// Ordinary text.
    pub text: Role,
    /// Secondary text: hints, units, unknown rows.
    pub muted: Role,
    /// Pane borders.
    pub border: Role,
    /// The focused pane's border.
    pub border_focused: Role,
    /// Pane titles.
    pub title: Role,
    /// The selected row.
    pub selection: Role,
    /// Table headers.
    pub header: Role,
    /// Parameter counts.
    pub number: Role,
    /// The open batch dimension, `None`.
    pub none: Role,
    /// Failures and rejected values.
    pub error: Role,
    /// Cautions: rows whose count differs in the other convention, a budget nearly used up.
    pub warning: Role,
    /// Words in a formula step.
    pub formula_symbol: Role,
    /// Results of a formula step.
    pub formula_value: Role,
    /// The budget gauge while under budget.
    pub gauge_ok: Role,
    /// The budget gauge once over budget.
    pub gauge_over: Role,
    /// Key names in the footer and help.
    pub key: Role,
}

impl Theme {
    /// Parses a theme file.
    pub fn parse(text: &str) -> Result<Theme, ron::error::SpannedError> {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
    }

    /// The built-in theme of this name.
    pub fn builtin(name: &str) -> Option<Theme> {
        BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, text)| Theme::parse(text).ok())
    }

    /// Every shipped theme, in `t` order.
    pub fn builtins() -> Vec<Theme> {
        BUILTIN
            .iter()
            .filter_map(|(_, text)| Theme::parse(text).ok())
            .collect()
    }

    /// The shipped themes plus the user's `<dir>/<name>.ron` files: a user file with a
    /// shipped name replaces it, any other name is added. A file that does not parse is
    /// skipped and reported as `path:line:column: what is wrong`; it never stops the program.
    pub fn all(user_dir: &Path) -> (Vec<Theme>, Vec<String>) {
        let mut themes = Theme::builtins();
        let mut problems = Vec::new();
        let Ok(entries) = std::fs::read_dir(user_dir) else {
            return (themes, problems);
        };
        let mut paths: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
        paths.sort();
        for path in paths {
            // The same checks as designs: a FIFO, a device (a theme linked to /dev/zero) or a
            // huge file is refused before it is read.
            let read = crate::store::read_capped(&path).and_then(|bytes| {
                String::from_utf8(bytes).map_err(|e| {
                    StoreError::Parse(
                        Located::at(
                            1,
                            1,
                            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
                        )
                        .in_file(&path),
                    )
                })
            });
            let text = match read {
                Ok(t) => t,
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            };
            match Theme::parse(&text) {
                Ok(theme) => match themes.iter_mut().find(|t| t.name == theme.name) {
                    Some(slot) => *slot = theme,
                    None => themes.push(theme),
                },
                Err(e) => problems.push(format!(
                    "{}:{}:{}: {}",
                    path.display(),
                    e.span.start.line,
                    e.span.start.col,
                    e.code
                )),
            }
        }
        (themes, problems)
    }

    /// The theme after the one named in `themes` (wrapping around), for `t`.
    pub fn next_in(themes: &[Theme], name: &str) -> Option<Theme> {
        let at = themes.iter().position(|t| t.name == name);
        let next = at.map_or(0, |i| (i + 1) % themes.len().max(1));
        themes.get(next).cloned()
    }

    /// The focused or plain border style.
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.border_focused.style()
        } else {
            self.border.style()
        }
    }
}

impl Default for Theme {
    /// The dark theme; if its file were broken (a test guards against that), plain text.
    fn default() -> Theme {
        BUILTIN
            .first()
            .and_then(|(_, text)| Theme::parse(text).ok())
            .unwrap_or_else(|| Theme {
                name: "plain".into(),
                background: Background::Any,
                text: Role::default(),
                muted: Role::default(),
                border: Role::default(),
                border_focused: Role {
                    bold: true,
                    ..Role::default()
                },
                title: Role::default(),
                selection: Role {
                    reverse: true,
                    ..Role::default()
                },
                header: Role::default(),
                number: Role::default(),
                none: Role::default(),
                error: Role::default(),
                warning: Role::default(),
                formula_symbol: Role::default(),
                formula_value: Role::default(),
                gauge_ok: Role::default(),
                gauge_over: Role::default(),
                key: Role::default(),
            })
    }
}
