//! The one line editor every text field shares (forms, prompts, budgets, the import box):
//! readline's keys on top of `tui-input`, plus the "pre-filled value is selected" rule, so
//! typing into a field that shows a value replaces it instead of appending to it.

use tui_input::{Input, InputRequest};

/// An editing key, as the keymap names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOp {
    /// ← : one character left.
    Left,
    /// → : one character right.
    Right,
    /// Home, Ctrl-A: to the start.
    Home,
    /// End, Ctrl-E: to the end.
    End,
    /// Backspace: the character before the cursor.
    DeleteBack,
    /// Delete: the character under the cursor.
    DeleteForward,
    /// Ctrl-U: everything before the cursor.
    KillToStart,
    /// Ctrl-W: the word before the cursor.
    KillWord,
    /// Ctrl-K: everything from the cursor on.
    KillToEnd,
}

/// A text being edited: its value, the cursor, and whether the whole value is selected.
#[derive(Debug, Clone, Default)]
pub struct TextEdit {
    input: Input,
    selected: bool,
}

impl PartialEq for TextEdit {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
            && self.cursor() == other.cursor()
            && self.selected == other.selected
    }
}

impl TextEdit {
    /// A text with the cursor at its end, nothing selected.
    pub fn new(text: &str) -> TextEdit {
        TextEdit {
            input: Input::new(text.to_string()),
            selected: false,
        }
    }

    /// A pre-filled text, selected: the first character typed replaces it.
    pub fn selected(text: &str) -> TextEdit {
        TextEdit {
            selected: !text.is_empty(),
            ..TextEdit::new(text)
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        self.input.value()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    /// Whether the whole text is selected.
    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// Selects the whole text again (the field got the focus).
    pub fn select(&mut self) {
        self.selected = !self.text().is_empty();
        self.input.handle(InputRequest::GoToEnd);
    }

    /// Replaces the text, cursor at its end, nothing selected.
    pub fn set(&mut self, text: &str) {
        *self = TextEdit::new(text);
    }

    /// Types a character at the cursor, replacing the selection.
    pub fn insert(&mut self, c: char) {
        if self.selected {
            self.set("");
        }
        self.input.handle(InputRequest::InsertChar(c));
    }

    /// Carries out an editing key. A deleting key on a selection deletes it all; a moving key
    /// drops the selection and moves from the end.
    pub fn apply(&mut self, op: TextOp) {
        let deletes = matches!(
            op,
            TextOp::DeleteBack
                | TextOp::DeleteForward
                | TextOp::KillToStart
                | TextOp::KillWord
                | TextOp::KillToEnd
        );
        if std::mem::take(&mut self.selected) && deletes {
            self.set("");
            return;
        }
        let request = match op {
            TextOp::Left => InputRequest::GoToPrevChar,
            TextOp::Right => InputRequest::GoToNextChar,
            TextOp::Home => InputRequest::GoToStart,
            TextOp::End => InputRequest::GoToEnd,
            TextOp::DeleteBack => InputRequest::DeletePrevChar,
            TextOp::DeleteForward => InputRequest::DeleteNextChar,
            TextOp::KillToStart => InputRequest::DeleteFromStart,
            TextOp::KillWord => InputRequest::DeletePrevWord,
            TextOp::KillToEnd => InputRequest::DeleteTillEnd,
        };
        self.input.handle(request);
    }

    /// The text split at the cursor: before it, and from it on.
    pub fn split(&self) -> (&str, &str) {
        let at = self
            .text()
            .char_indices()
            .nth(self.cursor())
            .map_or(self.text().len(), |(i, _)| i);
        self.text().split_at(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(start: &str, keys: &[TextOp]) -> TextEdit {
        let mut t = TextEdit::new(start);
        for k in keys {
            t.apply(*k);
        }
        t
    }

    #[test]
    fn typing_replaces_a_selected_value() {
        let mut t = TextEdit::selected("64");
        t.insert('1');
        t.insert('2');
        assert_eq!(t.text(), "12");
    }

    #[test]
    fn moving_keeps_the_value_and_types_at_the_cursor() {
        let mut t = TextEdit::selected("64");
        t.apply(TextOp::Home);
        t.insert('1');
        assert_eq!(t.text(), "164");
    }

    #[test]
    fn readline_kills() {
        assert_eq!(
            typed("l2(0.001) x", &[TextOp::KillWord]).text(),
            "l2(0.001) "
        );
        assert_eq!(
            typed("abc def", &[TextOp::Left, TextOp::KillToEnd]).text(),
            "abc de"
        );
        assert_eq!(
            typed("abc def", &[TextOp::Left, TextOp::KillToStart]).text(),
            "f"
        );
        assert_eq!(
            typed("abc", &[TextOp::Home, TextOp::DeleteForward]).text(),
            "bc"
        );
        assert_eq!(typed("abc", &[TextOp::DeleteBack]).text(), "ab");
    }

    #[test]
    fn deleting_a_selection_empties_the_field() {
        let mut t = TextEdit::selected("tanh");
        t.apply(TextOp::DeleteBack);
        assert_eq!(t.text(), "");
    }

    #[test]
    fn split_is_at_the_cursor_in_characters() {
        let t = typed("né64", &[TextOp::Left, TextOp::Left]);
        assert_eq!(t.split(), ("né", "64"));
    }
}
