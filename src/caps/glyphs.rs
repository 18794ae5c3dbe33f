//! Whether the terminal can draw Unicode glyphs, or only ASCII (see [`super::adapt`]).

use super::EnvSnapshot;

/// Which rule decided the glyph set, in the order they are tried; the first match wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GlyphRule {
    /// `--ascii` was given → ASCII.
    Flag,
    /// `TERM=linux` → ASCII: the console's 256/512-glyph font may lack box drawing and
    /// symbols, and ncurses itself avoids Unicode lines there.
    LinuxConsole,
    /// The locale names the UTF-8 codeset (`en_US.UTF-8`, `C.utf8`, or a bare `UTF-8` as macOS
    /// sends over ssh) → Unicode. The locale is the first non-empty of `LC_ALL`, `LC_CTYPE`,
    /// `LANG`, the precedence POSIX gives the character-type category.
    Utf8Locale,
    /// The locale is set to anything else (`C`, `POSIX`, `en_US.ISO-8859-1`, `ja_JP.eucJP`)
    /// → ASCII: UTF-8 bytes would show as mojibake.
    OtherLocale,
    /// No locale variable, but `WT_SESSION` is set → Unicode: Windows Terminal has no POSIX
    /// locale and always renders UTF-8.
    WindowsTerminal,
    /// No locale variable at all → ASCII: POSIX then means the `C` locale, whose character
    /// set is ASCII. Setting `LANG=C.UTF-8` (or any UTF-8 locale) brings Unicode back.
    NoLocale,
}

impl GlyphRule {
    /// Whether this rule means ASCII only.
    pub fn ascii(self) -> bool {
        match self {
            GlyphRule::Flag
            | GlyphRule::LinuxConsole
            | GlyphRule::OtherLocale
            | GlyphRule::NoLocale => true,
            GlyphRule::Utf8Locale | GlyphRule::WindowsTerminal => false,
        }
    }
}

/// Whether to draw with ASCII only. See [`glyph_rule`] for the rules.
///
/// A CJK UTF-8 locale keeps Unicode: whether the terminal draws "ambiguous"-width box drawing
/// one or two columns wide is a terminal setting no variable reveals, and most default to one.
pub fn wants_ascii(flag_ascii: bool, env: &EnvSnapshot) -> bool {
    glyph_rule(flag_ascii, env).ascii()
}

/// The rule that decides the glyph set.
pub fn glyph_rule(flag_ascii: bool, env: &EnvSnapshot) -> GlyphRule {
    if flag_ascii {
        return GlyphRule::Flag;
    }
    if env.term.as_deref() == Some("linux") {
        return GlyphRule::LinuxConsole;
    }
    // POSIX treats an empty locale variable as unset.
    let locale = [&env.lc_all, &env.lc_ctype, &env.lang]
        .into_iter()
        .filter_map(|v| v.as_deref())
        .find(|v| !v.is_empty());
    match locale {
        Some(name) if names_utf8(name) => GlyphRule::Utf8Locale,
        Some(_) => GlyphRule::OtherLocale,
        None if env.wt_session.is_some() => GlyphRule::WindowsTerminal,
        None => GlyphRule::NoLocale,
    }
}

/// Whether a locale name (`language[_territory][.codeset][@modifier]`) has the UTF-8 codeset.
/// glibc accepts `UTF-8`, `utf8` and other spellings, so case, `-` and `_` are ignored.
fn names_utf8(locale: &str) -> bool {
    let without_modifier = locale.split('@').next().unwrap_or(locale);
    let codeset = match without_modifier.rsplit_once('.') {
        Some((_, codeset)) => codeset,
        None => without_modifier,
    };
    codeset
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .eq("utf8".chars())
}
