//! Text from files: control characters made visible, and width-aware truncation.

use std::borrow::Cow;

use lstm_tui::caps::{escape_json, markdown_cell, push_json_str, truncate, visible, visible_lines};
use proptest::prelude::*;
use unicode_width::UnicodeWidthStr;

fn is_forbidden(c: char) -> bool {
    let code = u32::from(c);
    code < 0x20
        || (0x7f..=0x9f).contains(&code)
        || code == 0xad
        || code == 0x61c
        || code == 0x180e
        || (0x200b..=0x200f).contains(&code)
        || (0x2028..=0x202e).contains(&code)
        || (0x2060..=0x2064).contains(&code)
        || (0x2066..=0x2069).contains(&code)
        || code == 0xfeff
        || (0xfff9..=0xfffb).contains(&code)
        || (0xe0000..=0xe007f).contains(&code)
}

#[test]
fn ordinary_text_is_borrowed_unchanged() {
    for text in ["lstm_1", "dense", "模型_設計", "café naïve", "Ωμέγα", ""] {
        assert!(
            matches!(visible(text), Cow::Borrowed(t) if t == text),
            "{text}"
        );
    }
}

#[test]
fn escape_sequences_are_shown_not_obeyed() {
    // ESC is 0x1b; 0x1b + 0x40 = 0x5b = '['.
    assert_eq!(visible("\x1b[31mred\x1b[0m"), "^[[31mred^[[0m");
    // OSC 0 would retitle the window; BEL (0x07) ends it: 0x47 = 'G'.
    assert_eq!(visible("\x1b]0;pwned\x07"), "^[]0;pwned^G");
}

#[test]
fn c0_and_del_use_caret_notation() {
    // NUL → ^@ (0x40), TAB → ^I (0x49), LF → ^J, CR → ^M, 0x1f → ^_, DEL → ^?.
    assert_eq!(visible("\0\t\n\r\x1f\x7f"), "^@^I^J^M^_^?");
}

#[test]
fn c1_and_bidi_controls_use_code_points() {
    // U+009B is the one-character CSI; U+0085 is NEL.
    assert_eq!(visible("a\u{9b}31m\u{85}b"), "a<U+009B>31m<U+0085>b");
    // Trojan Source: RLO reverses what follows, isolates reorder runs.
    assert_eq!(visible("abc\u{202e}fed"), "abc<U+202E>fed");
    assert_eq!(
        visible("\u{202a}\u{202c}\u{2066}x\u{2069}"),
        "<U+202A><U+202C><U+2066>x<U+2069>"
    );
}

#[test]
fn zero_width_and_invisible_characters_use_code_points() {
    // Two names that would look alike: a zero-width space, a joiner, a BOM, a soft hyphen.
    assert_eq!(visible("de\u{200b}nse"), "de<U+200B>nse");
    assert_eq!(
        visible("a\u{200d}b\u{feff}c\u{ad}d"),
        "a<U+200D>b<U+FEFF>c<U+00AD>d"
    );
    // Bidi marks, the line separator and a tag character (hidden ASCII).
    assert_eq!(
        visible("\u{200f}\u{61c}\u{2028}\u{e0041}"),
        "<U+200F><U+061C><U+2028><U+E0041>"
    );
}

#[test]
fn printed_text_keeps_its_line_breaks_only() {
    assert!(matches!(visible_lines("a\nb\n"), Cow::Borrowed("a\nb\n")));
    assert_eq!(
        visible_lines("x\x1b[2J\ny\u{202e}\tz\n"),
        "x^[[2J\ny<U+202E>^Iz\n"
    );
    // Already shown text is left as it is.
    let once = visible_lines("\x1b]0;t\x07\u{200b}\n").into_owned();
    assert_eq!(visible_lines(&once), once);
}

#[test]
fn markdown_cells_escape_what_would_end_or_format_them() {
    assert_eq!(markdown_cell("lstm_1"), "lstm_1");
    assert_eq!(markdown_cell("a|b"), "a\\|b");
    // A trailing backslash would escape the cell's closing pipe.
    assert_eq!(markdown_cell("a\\"), "a\\\\");
    assert_eq!(
        markdown_cell("[x](http://e) <b>*y*</b> `z`"),
        "\\[x\\](http://e) \\<b\\>\\*y\\*\\</b\\> \\`z\\`"
    );
    // The shown escapes are text too, so they render as `e^[[1m<U+202E>`.
    assert_eq!(markdown_cell("e\x1b[1m\u{202e}"), r"e^\[\[1m\<U+202E\>");
}

#[test]
fn json_spells_hidden_characters_as_escapes() {
    let json = serde_json::json!({"name": "a\u{9b}b\u{202e}c\u{200b}\u{e0041}\x1b"}).to_string();
    let safe = escape_json(&json);
    assert_eq!(
        safe,
        r#"{"name":"a\u009bb\u202ec\u200b\udb40\udc41\u001b"}"#
    );
    let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
    assert_eq!(back["name"], "a\u{9b}b\u{202e}c\u{200b}\u{e0041}\x1b");
    assert!(matches!(escape_json("{\n  \"a\": 1\n}"), Cow::Borrowed(_)));
}

#[test]
fn non_ascii_around_controls_survives() {
    assert_eq!(visible("层\x1b名é"), "层^[名é");
}

#[test]
fn short_text_is_not_truncated() {
    assert!(matches!(truncate("lstm", 10), Cow::Borrowed("lstm")));
    assert!(matches!(truncate("abcde", 5), Cow::Borrowed("abcde")));
    assert!(matches!(truncate("", 0), Cow::Borrowed("")));
}

#[test]
fn truncation_leaves_room_for_the_ellipsis() {
    // 5 columns: 4 letters + "…" (1).
    assert_eq!(truncate("abcdefghij", 5), "abcd…");
}

#[test]
fn wide_characters_are_never_split() {
    // Each ideograph is 2 columns; the string is 10.
    let name = "模型设计器";
    // 5 columns: room 4 → two ideographs + "…" = 5.
    assert_eq!(truncate(name, 5), "模型…");
    // 6 columns: room 5 → still two (a third would need 6) + "…" = 5.
    assert_eq!(truncate(name, 6), "模型…");
    // 2 columns: room 1 → no ideograph fits, so just the "…".
    assert_eq!(truncate(name, 2), "…");
}

#[test]
fn nothing_fits_in_no_room() {
    // "…" needs 1 column; with 0, nothing is left.
    assert_eq!(truncate("abc", 0), "");
    assert_eq!(truncate("abc", 1), "…");
}

#[test]
fn emoji_presentation_is_measured_as_a_whole() {
    // U+2764 is 1 column alone but 2 with U+FE0F; "a❤️b" is 4 columns.
    let text = "a\u{2764}\u{fe0f}b";
    assert_eq!(text.width(), 4);
    // 3 columns: room 2. By characters "a❤️" is 1 + 1 + 0 = 2, but as a string it is 3, so the
    // selector is dropped: "a❤" is 2 columns, plus "…".
    assert_eq!(truncate(text, 3), "a\u{2764}…");
}

/// Names as they come from files: mostly letters, with wide, combining, emoji and control
/// characters mixed in.
fn names() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z_0-9模型设计器éä\u{301}\u{2764}\u{fe0f}\u{200d}👨\u{1b}\u{9b}\u{202e}\u{200b}\u{feff}\t ]{0,40}",
    ]
}

proptest! {
    #[test]
    fn every_output_form_is_free_of_forbidden_characters(text in names()) {
        let lines = visible_lines(&text);
        prop_assert!(!lines.chars().any(|c| c != '\n' && is_forbidden(c)), "{:?}", lines);
        prop_assert_eq!(lines.split('\n').count(), text.split('\n').count());
        let cell = markdown_cell(&text);
        prop_assert!(!cell.chars().any(is_forbidden), "{:?}", cell);
        let json = serde_json::Value::String(text.clone()).to_string();
        let safe = escape_json(&json);
        prop_assert!(!safe.chars().any(is_forbidden), "{:?}", safe);
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        prop_assert_eq!(back.as_str(), Some(text.as_str()));
    }

    #[test]
    fn one_json_string_is_escaped_as_whole_json_is(text in names()) {
        let mut one = String::new();
        push_json_str(&mut one, &text);
        let json = serde_json::Value::String(text.clone()).to_string();
        prop_assert_eq!(one, escape_json(&json));
    }

    #[test]
    fn visible_output_has_no_controls(text in names()) {
        let shown = visible(&text);
        prop_assert!(!shown.chars().any(is_forbidden), "{:?} -> {:?}", text, shown);
        if !text.chars().any(is_forbidden) {
            prop_assert!(matches!(shown, Cow::Borrowed(_)));
            prop_assert_eq!(shown.as_ref(), text.as_str());
        }
    }

    #[test]
    fn truncate_fits_and_keeps_a_prefix(text in names(), max in 0usize..50) {
        let cut = truncate(&text, max);
        prop_assert!(cut.width() <= max, "{:?} at {} -> {:?}", text, max, cut);
        if cut.as_ref() != text {
            // Cut: a prefix of the text ending on a character boundary, plus the ellipsis
            // when it fits.
            let kept = cut.strip_suffix('…').unwrap_or(&cut);
            prop_assert!(text.starts_with(kept), "{:?} -> {:?}", text, cut);
            prop_assert!(text.is_char_boundary(kept.len()));
            prop_assert!(text.width() > max);
        }
    }
}

/// Every character, between box drawing as a printed table has it: a report (and JSON) is
/// copied to escape it exactly when the character is one to escape, however the check is done.
#[test]
fn printed_text_is_escaped_exactly_for_the_characters_to_escape() {
    for c in (0..=0x10_ffff_u32).filter_map(char::from_u32) {
        let text = format!("│ a{c}b ┃\n");
        let expected = c != '\n' && is_forbidden(c);
        let shown = matches!(visible_lines(&text), Cow::Owned(_));
        let json = matches!(escape_json(&text), Cow::Owned(_));
        assert_eq!(shown, expected, "visible_lines, U+{:04X}", u32::from(c));
        assert_eq!(json, expected, "escape_json, U+{:04X}", u32::from(c));
    }
}

/// Every character in a string written on its own gets the escape serde_json and
/// [`escape_json`] give it together, however the string is checked.
#[test]
fn one_json_string_is_escaped_as_whole_json_for_every_character() {
    let mut one = String::new();
    for c in (0..=0x10_ffff_u32).filter_map(char::from_u32) {
        let text = format!("a{c}b");
        one.clear();
        push_json_str(&mut one, &text);
        let json = serde_json::Value::String(text).to_string();
        assert_eq!(one, escape_json(&json), "U+{:04X}", u32::from(c));
    }
}
