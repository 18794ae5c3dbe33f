//! Logical lines to a tree of statements by their indentation, for the functional reader,
//! which must run a function's body each time it is called and a loop's body each time round.

use super::lexer::{Line, Tok, Token};
use super::parser;
use crate::model::Pos;

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// An assignment or an expression: its tokens.
    Simple(Vec<Token>),
    /// `def name(params): body`.
    Def {
        /// The function's name.
        name: String,
        /// The tokens between the parentheses.
        params: Vec<Token>,
        /// The body.
        body: Vec<Stmt>,
        /// Where `def` is written.
        pos: Pos,
    },
    /// `for target in iter: body`.
    For {
        /// The tokens between `for` and `in`.
        target: Vec<Token>,
        /// The tokens between `in` and the colon.
        iter: Vec<Token>,
        /// The body.
        body: Vec<Stmt>,
        /// Where `for` is written.
        pos: Pos,
    },
    /// `return value`: the value's tokens (empty for a bare `return`).
    Return(Vec<Token>, Pos),
    /// `import`, `from`, `pass` and decorators: nothing the model depends on.
    Skip,
    /// Any other block or statement keyword (`if`, `while`, `with`, `break`, ...): the
    /// functional reader refuses it where it touches the model and skips it elsewhere.
    Other {
        /// The keyword.
        word: String,
        /// Where it is written.
        pos: Pos,
        /// The header's tokens (the whole statement for one without a body).
        header: Vec<Token>,
        /// The body, if a block.
        body: Vec<Stmt>,
    },
    /// Blocks nested deeper than the reader follows.
    TooDeep(Pos),
}

/// Splits `lines` into statements, nesting each block's body under its header.
pub fn statements(lines: &[Line]) -> Vec<Stmt> {
    let mut i = 0;
    block(lines, &mut i, None, 0)
}

/// Deepest nesting of blocks followed; deeper ones are refused rather than recursed into.
const MAX_BLOCKS: usize = 100;

/// Reads statements from `lines[*i]` on while they are indented deeper than `outer`.
fn block(lines: &[Line], i: &mut usize, outer: Option<usize>, depth: usize) -> Vec<Stmt> {
    let mut out = Vec::new();
    while let Some(line) = lines.get(*i) {
        if outer.is_some_and(|o| line.indent <= o) {
            break;
        }
        *i += 1;
        for toks in parser::split_top(&line.tokens, ";") {
            if let Some(stmt) = statement(toks, lines, i, line.indent, depth) {
                out.push(stmt);
            }
        }
    }
    out
}

fn statement(
    toks: &[Token],
    lines: &[Line],
    i: &mut usize,
    indent: usize,
    depth: usize,
) -> Option<Stmt> {
    let first = toks.first()?;
    if depth > MAX_BLOCKS {
        // Skip the whole nest without recursing.
        while lines.get(*i).is_some_and(|l| l.indent > indent) {
            *i += 1;
        }
        return Some(Stmt::TooDeep(first.pos));
    }
    let word = match &first.tok {
        Tok::Name(w) => w.as_str(),
        Tok::Op("@") => return Some(Stmt::Skip),
        _ => return Some(Stmt::Simple(toks.to_vec())),
    };
    let colon = header_colon(toks);
    let mut body = |colon: usize| -> Vec<Stmt> {
        match toks.get(colon + 1..) {
            Some(rest) if !rest.is_empty() => parser::split_top(rest, ";")
                .into_iter()
                .filter_map(|t| statement(t, lines, i, usize::MAX, depth + 1))
                .collect(),
            _ => block(lines, i, Some(indent), depth + 1),
        }
    };
    Some(match (word, colon) {
        ("import" | "from" | "pass", _) => Stmt::Skip,
        ("return", _) => Stmt::Return(toks[1..].to_vec(), first.pos),
        ("def", Some(c)) => {
            let name = match toks.get(1).map(|t| &t.tok) {
                Some(Tok::Name(n)) => n.clone(),
                _ => {
                    return Some(Stmt::Other {
                        word: "def".into(),
                        pos: first.pos,
                        header: toks.to_vec(),
                        body: body(c),
                    });
                }
            };
            let open = toks.iter().position(|t| t.tok == Tok::Op("("));
            let close = toks[..c].iter().rposition(|t| t.tok == Tok::Op(")"));
            let params = match (open, close) {
                (Some(o), Some(cl)) if o < cl => toks[o + 1..cl].to_vec(),
                _ => Vec::new(),
            };
            let body = body(c);
            Stmt::Def {
                name,
                params,
                body,
                pos: first.pos,
            }
        }
        ("for", Some(c)) => {
            let in_at = toks[..c]
                .iter()
                .position(|t| t.tok == Tok::Name("in".into()))
                .unwrap_or(c);
            let body = body(c);
            Stmt::For {
                target: toks[1..in_at].to_vec(),
                iter: toks.get(in_at + 1..c).unwrap_or_default().to_vec(),
                body,
                pos: first.pos,
            }
        }
        (
            "if" | "elif" | "else" | "while" | "with" | "try" | "except" | "finally" | "class"
            | "async" | "match" | "case",
            Some(c),
        ) => Stmt::Other {
            word: word.to_string(),
            pos: first.pos,
            header: toks[..c].to_vec(),
            body: body(c),
        },
        (
            "break" | "continue" | "global" | "nonlocal" | "del" | "assert" | "raise" | "yield"
            | "await" | "lambda",
            _,
        ) => Stmt::Other {
            word: word.to_string(),
            pos: first.pos,
            header: toks.to_vec(),
            body: Vec::new(),
        },
        _ => Stmt::Simple(toks.to_vec()),
    })
}

/// The colon ending a block header (`for x in y:`), outside brackets and lambdas.
fn header_colon(toks: &[Token]) -> Option<usize> {
    let mut depth = 0usize;
    let mut lambdas = 0usize;
    for (i, t) in toks.iter().enumerate() {
        match &t.tok {
            Tok::Op("(" | "[" | "{") => depth += 1,
            Tok::Op(")" | "]" | "}") => depth = depth.saturating_sub(1),
            Tok::Name(n) if depth == 0 && n == "lambda" => lambdas += 1,
            Tok::Op(":") if depth == 0 && lambdas > 0 => lambdas -= 1,
            Tok::Op(":") if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}
