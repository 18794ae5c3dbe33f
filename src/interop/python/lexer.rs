//! Python source to logical lines of tokens. Only what a model snippet needs is told apart;
//! everything else still becomes a token, so lines the importer never looks at cannot fail it.

use crate::model::{Located, Pos};

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An identifier or keyword (`model`, `for`, `True`).
    Name(String),
    /// A numeric literal as written (`64`, `1e-3`, `0x10`).
    Number(String),
    /// A string literal, escapes decoded; `formatted` for f-strings, whose `{...}` fields the
    /// parser reads.
    Str {
        /// The decoded text.
        text: String,
        /// An f-string: `text` still holds its `{...}` fields.
        formatted: bool,
    },
    /// An operator or delimiter (`(`, `=`, `**`, `->`).
    Op(&'static str),
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// Its first character.
    pub pos: Pos,
}

/// One logical line: physical lines joined inside brackets or after a backslash.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Column of the first token, 0-based: the line's indentation.
    pub indent: usize,
    /// The tokens, comments dropped.
    pub tokens: Vec<Token>,
}

/// Operators, longest first so `**=` wins over `**` and `*`.
const OPS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", ">>", "<<", "<=", ">=", "==", "!=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "(", ")", "[", "]", "{", "}", ",", ":",
    ".", ";", "@", "=", "+", "-", "*", "/", "%", "&", "|", "^", "~", "<", ">",
];

/// Splits `source` into logical lines.
pub fn lex(source: &str) -> Result<Vec<Line>, Located> {
    Lexer {
        chars: source.chars().collect(),
        i: 0,
        pos: Pos { line: 1, column: 1 },
        lines: Vec::new(),
        current: Vec::new(),
        brackets: Vec::new(),
    }
    .run()
}

struct Lexer {
    chars: Vec<char>,
    i: usize,
    pos: Pos,
    lines: Vec<Line>,
    current: Vec<Token>,
    /// Open brackets and where they opened: newlines inside them do not end the line.
    brackets: Vec<(char, Pos)>,
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.i).copied()?;
        self.i += 1;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.column = 1;
        } else {
            self.pos.column += 1;
        }
        Some(c)
    }

    fn end_line(&mut self) {
        if let Some(first) = self.current.first() {
            let indent = first.pos.column.saturating_sub(1);
            let tokens = std::mem::take(&mut self.current);
            self.lines.push(Line { indent, tokens });
        }
    }

    fn push(&mut self, tok: Tok, pos: Pos) {
        self.current.push(Token { tok, pos });
    }

    fn run(mut self) -> Result<Vec<Line>, Located> {
        while let Some(c) = self.peek(0) {
            let pos = self.pos;
            match c {
                '\n' => {
                    self.bump();
                    if self.brackets.is_empty() {
                        self.end_line();
                    }
                }
                '#' => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                '\\' if matches!(self.peek(1), Some('\n')) => {
                    self.bump();
                    self.bump();
                }
                '\\' if self.peek(1) == Some('\r') && self.peek(2) == Some('\n') => {
                    self.bump();
                    self.bump();
                    self.bump();
                }
                // Notebook magics and shell escapes (`%matplotlib inline`, `!pip install`) are
                // not Python; a pasted notebook cell should still import.
                '!' | '%' if self.current.is_empty() && self.brackets.is_empty() => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                c if c.is_whitespace() => {
                    self.bump();
                }
                c if c.is_ascii_digit()
                    || (c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit())) =>
                {
                    let text = self.number();
                    self.push(Tok::Number(text), pos);
                }
                c if c.is_alphabetic() || c == '_' => {
                    let word = self.word();
                    match self.peek(0) {
                        Some(q @ ('\'' | '"')) if is_string_prefix(&word) => {
                            let lower = word.to_ascii_lowercase();
                            let tok =
                                self.string(q, pos, lower.contains('r'), lower.contains('f'))?;
                            self.push(tok, pos);
                        }
                        _ => self.push(Tok::Name(word), pos),
                    }
                }
                q @ ('\'' | '"') => {
                    let tok = self.string(q, pos, false, false)?;
                    self.push(tok, pos);
                }
                _ => {
                    let op = OPS
                        .iter()
                        .find(|op| {
                            op.chars()
                                .enumerate()
                                .all(|(k, oc)| self.peek(k) == Some(oc))
                        })
                        .copied();
                    let Some(op) = op else {
                        return Err(Located::new(
                            pos,
                            format!(
                                "expected Python code; got the character `{}`",
                                c.escape_debug()
                            ),
                        ));
                    };
                    for _ in 0..op.chars().count() {
                        self.bump();
                    }
                    self.bracket(op, pos)?;
                    self.push(Tok::Op(op), pos);
                }
            }
        }
        if let Some((open, at)) = self.brackets.last() {
            return Err(Located::new(
                *at,
                format!("expected a closing bracket for this `{open}`; the text ends first"),
            ));
        }
        self.end_line();
        Ok(self.lines)
    }

    fn bracket(&mut self, op: &str, pos: Pos) -> Result<(), Located> {
        let close = match op {
            "(" | "[" | "{" => {
                self.brackets.push((op.chars().next().unwrap_or('('), pos));
                return Ok(());
            }
            ")" => '(',
            "]" => '[',
            "}" => '{',
            _ => return Ok(()),
        };
        match self.brackets.pop() {
            Some((open, _)) if open == close => Ok(()),
            Some((open, at)) => Err(Located::new(
                pos,
                format!(
                    "expected the `{open}` opened at line {}, column {} to close first; got `{op}`",
                    at.line, at.column
                ),
            )),
            None => Err(Located::new(
                pos,
                format!("expected an opening bracket before this `{op}`"),
            )),
        }
    }

    fn word(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek(0).filter(|c| c.is_alphanumeric() || *c == '_') {
            s.push(c);
            self.bump();
        }
        s
    }

    fn number(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek(0) {
            let exponent_sign = (c == '+' || c == '-')
                && s.chars().last().is_some_and(|p| p == 'e' || p == 'E')
                && !s.starts_with("0x")
                && !s.starts_with("0X");
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' || exponent_sign {
                s.push(c);
                self.bump();
            } else {
                break;
            }
        }
        s
    }

    fn string(
        &mut self,
        quote: char,
        start: Pos,
        raw: bool,
        formatted: bool,
    ) -> Result<Tok, Located> {
        let triple = self.peek(1) == Some(quote) && self.peek(2) == Some(quote);
        let width = if triple { 3 } else { 1 };
        for _ in 0..width {
            self.bump();
        }
        let mut text = String::new();
        loop {
            let Some(c) = self.peek(0) else {
                return Err(Located::new(
                    start,
                    "expected the end of this string; the text ends first",
                ));
            };
            if c == quote
                && (!triple || (self.peek(1) == Some(quote) && self.peek(2) == Some(quote)))
            {
                for _ in 0..width {
                    self.bump();
                }
                return Ok(Tok::Str { text, formatted });
            }
            if c == '\n' && !triple {
                return Err(Located::new(
                    start,
                    "expected the end of this string before the end of the line",
                ));
            }
            self.bump();
            if c != '\\' {
                text.push(c);
                continue;
            }
            let Some(e) = self.bump() else { continue };
            if raw {
                text.push('\\');
                text.push(e);
                continue;
            }
            match e {
                'n' => text.push('\n'),
                't' => text.push('\t'),
                'r' => text.push('\r'),
                '0' => text.push('\0'),
                '\\' | '\'' | '"' => text.push(e),
                '\n' => {}
                'x' | 'u' | 'U' => {
                    let width = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let mut hex = String::new();
                    while hex.len() < width {
                        match self.peek(0).filter(char::is_ascii_hexdigit) {
                            Some(h) => {
                                hex.push(h);
                                self.bump();
                            }
                            None => break,
                        }
                    }
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(ch) => text.push(ch),
                        None => {
                            text.push('\\');
                            text.push(e);
                            text.push_str(&hex);
                        }
                    }
                }
                other => {
                    text.push('\\');
                    text.push(other);
                }
            }
        }
    }
}

/// `r`, `b`, `u`, `f` and their pairs, any case.
fn is_string_prefix(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "r" | "u" | "b" | "f" | "rb" | "br" | "fr" | "rf"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &Line) -> Vec<String> {
        line.tokens
            .iter()
            .map(|t| match &t.tok {
                Tok::Name(s) | Tok::Number(s) => s.clone(),
                Tok::Str { text, .. } => format!("{text:?}"),
                Tok::Op(o) => (*o).to_string(),
            })
            .collect()
    }

    #[test]
    fn brackets_join_lines_and_comments_vanish() {
        let lines = lex("a = f(1,  # one\n      2)\nb = 'x'\n").unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(names(&lines[0]), ["a", "=", "f", "(", "1", ",", "2", ")"]);
        assert_eq!(lines[1].tokens[2].pos, Pos { line: 3, column: 5 });
    }

    #[test]
    fn numbers_keep_exponents() {
        let lines = lex("x = 1e-3 + .5 - 2E+4").unwrap();
        assert_eq!(names(&lines[0]), ["x", "=", "1e-3", "+", ".5", "-", "2E+4"]);
    }

    #[test]
    fn unclosed_bracket_is_located() {
        let err = lex("x = [1,\n  2").unwrap_err();
        assert_eq!((err.line, err.column), (1, 5));
    }

    #[test]
    fn escapes_are_decoded() {
        let lines = lex(r#"s = "a\"b\n" + r'\d'"#).unwrap();
        assert_eq!(
            names(&lines[0]),
            ["s", "=", "\"a\\\"b\\n\"", "+", "\"\\\\d\""]
        );
    }
}
