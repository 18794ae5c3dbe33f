//! Tokens of one statement to an expression tree. The grammar is Python's expression grammar;
//! forms the importer cannot evaluate (lambdas, comprehensions, comparisons, ...) still parse,
//! into [`ExprKind::Unsupported`], so the error can say what was found.

use super::fstring;
use super::lexer::{Tok, Token};
use crate::model::{Located, Pos};

/// Deepest nesting accepted: brackets, calls, `.attr` and `[index]` suffixes and unary
/// operators each add a level. Deeper text is refused instead of recursing, so every tree the
/// parser builds is at most this deep and can be walked, evaluated and dropped recursively.
const MAX_DEPTH: usize = 64;

/// An expression and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Its first character.
    pub pos: Pos,
}

/// The expression forms.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A numeric literal as written.
    Number(String),
    /// A string literal (adjacent literals joined).
    Str(String),
    /// An f-string (or literals joined with one): its text and fields in order.
    Format(Vec<Piece>),
    /// `True` or `False`.
    Bool(bool),
    /// `None`.
    None,
    /// A bare name.
    Name(String),
    /// `value.attr`.
    Attr(Box<Expr>, String),
    /// `callee(args)`.
    Call(Box<Expr>, Vec<Arg>),
    /// `(a, b)` or `a, b`.
    Tuple(Vec<Expr>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `*items` inside a tuple or list: its items in its place (`(*size, 3)`).
    Starred(Box<Expr>),
    /// `-x`, `+x`, `~x`.
    Unary(&'static str, Box<Expr>),
    /// `a + b - c` and the other binary operators of one precedence: the first operand, then
    /// each operator (and where it is written) with its right operand, applied left to right.
    /// A chain is a list rather than a nested tree, so `1+1+…` of any length stays shallow.
    Chain(Box<Expr>, Vec<(&'static str, Pos, Expr)>),
    /// `value[index]`.
    Subscript(Box<Expr>, Vec<Index>),
    /// `a < b <= c`, `x is None`, `k in ks`: the first operand, then each comparison (`<`, `>`,
    /// `==`, `>=`, `<=`, `!=`, `is`, `is not`, `in`, `not in`) with its right operand.
    Compare(Box<Expr>, Vec<(&'static str, Pos, Expr)>),
    /// `not x`.
    Not(Box<Expr>),
    /// `a and b and c` or `a or b or c`: the operator and its operands, which are never
    /// themselves the other operator's chain (`and` binds tighter than `or`).
    Logic(&'static str, Vec<Expr>),
    /// `then if condition else otherwise`.
    IfElse {
        /// The value when the condition holds.
        then: Box<Expr>,
        /// The condition.
        condition: Box<Expr>,
        /// The value otherwise.
        otherwise: Box<Expr>,
    },
    /// A form the importer does not evaluate, named for the error message.
    Unsupported(&'static str),
}

/// One part of an f-string.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Text as it reads (`{{` already `{`).
    Text(String),
    /// A `{expression}` field.
    Field {
        /// The expression.
        expr: Expr,
        /// Its format spec, after the `:` (empty when none is written).
        spec: String,
    },
}

/// One item between `[` and `]` of a subscript.
#[derive(Debug, Clone, PartialEq)]
pub enum Index {
    /// `x[i]`.
    At(Expr),
    /// `x[a:b:c]`, any part optional.
    Slice(Option<Expr>, Option<Expr>, Option<Expr>),
}

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// `units=` in `Dense(units=64)`; `None` for a positional argument.
    pub keyword: Option<String>,
    /// The value.
    pub value: Expr,
    /// Where the argument starts (its keyword, if any).
    pub pos: Pos,
}

/// Python's reserved words: never names of values.
pub fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

/// How a token reads in an error message.
pub fn describe(tok: &Token) -> String {
    match &tok.tok {
        Tok::Name(n) => format!("`{n}`"),
        Tok::Number(n) => format!("the number {n}"),
        Tok::Str { .. } => "a string".into(),
        Tok::Op(o) => format!("`{o}`"),
    }
}

/// Parses all of `tokens` as one expression (a bare tuple `a, b` included). `end` is where the
/// statement ends, for "got the end of the line" errors.
pub fn expression(tokens: &[Token], end: Pos) -> Result<Expr, Located> {
    let mut p = Parser {
        toks: tokens,
        i: 0,
        end,
        depth: 0,
    };
    let e = p.tuple_or_expr()?;
    p.finish()?;
    Ok(e)
}

/// Parses a `def` header's parameter list: names and their default values.
pub fn parameters(tokens: &[Token], end: Pos) -> Vec<(String, Option<Result<Expr, Located>>)> {
    let mut out = Vec::new();
    for part in split_top(tokens, ",") {
        let Some(Token {
            tok: Tok::Name(name),
            ..
        }) = part.first()
        else {
            continue;
        };
        let default = part
            .iter()
            .position(|t| t.tok == Tok::Op("="))
            .map(|eq| expression(&part[eq + 1..], end));
        out.push((name.clone(), default));
    }
    out
}

/// Splits tokens at `sep` where no bracket is open.
pub fn split_top<'a>(tokens: &'a [Token], sep: &'static str) -> Vec<&'a [Token]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        match t.tok {
            Tok::Op("(" | "[" | "{") => depth += 1,
            Tok::Op(")" | "]" | "}") => depth = depth.saturating_sub(1),
            Tok::Op(s) if s == sep && depth == 0 => {
                parts.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tokens[start..]);
    parts
}

struct Parser<'a> {
    toks: &'a [Token],
    i: usize,
    end: Pos,
    depth: usize,
}

/// Binary operators by precedence, loosest first.
const LEVELS: &[&[&str]] = &[
    &["|"],
    &["^"],
    &["&"],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "//", "%", "@"],
];

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.i)
    }

    fn pos(&self) -> Pos {
        self.peek().map_or(self.end, |t| t.pos)
    }

    fn at_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Op(o), .. }) if *o == op)
    }

    fn at_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Name(n), .. }) if n == word)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let hit = self.at_op(op);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let hit = self.at_word(word);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn error(&self, expected: &str) -> Located {
        let got = self
            .peek()
            .map_or_else(|| "the end of the statement".to_string(), describe);
        Located::new(self.pos(), format!("expected {expected}; got {got}"))
    }

    fn finish(&self) -> Result<(), Located> {
        if self.peek().is_some() {
            Err(self.error("the end of the statement"))
        } else {
            Ok(())
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<(), Located> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.error(&format!("`{op}`")))
        }
    }

    fn enter(&mut self) -> Result<(), Located> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(Located::new(
                self.pos(),
                format!(
                    "expected at most {MAX_DEPTH} levels of nesting (brackets, calls, `.name`s, `[index]`es, signs, `not`s and `x if c else y`s); got more: split the expression into assignments"
                ),
            ))
        } else {
            Ok(())
        }
    }

    /// True when the next token cannot start an expression (a tuple may end with a comma).
    fn at_expr_end(&self) -> bool {
        match self.peek() {
            None => true,
            Some(t) => matches!(t.tok, Tok::Op(")" | "]" | "}" | "=" | ":" | ";")),
        }
    }

    fn tuple_or_expr(&mut self) -> Result<Expr, Located> {
        let pos = self.pos();
        let first = self.expr()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_expr_end() {
                break;
            }
            items.push(self.expr()?);
        }
        Ok(Expr {
            kind: ExprKind::Tuple(items),
            pos,
        })
    }

    fn expr(&mut self) -> Result<Expr, Located> {
        self.enter()?;
        let e = self.expr_inner();
        self.depth -= 1;
        e
    }

    fn expr_inner(&mut self) -> Result<Expr, Located> {
        let pos = self.pos();
        if self.eat_word("lambda") {
            while self.peek().is_some() && !self.at_op(":") {
                self.i += 1;
            }
            self.expect_op(":")?;
            self.expr()?;
            return Ok(unsupported("a lambda", pos));
        }
        if self.eat_op("*") || self.eat_op("**") {
            self.expr()?;
            return Ok(unsupported("an unpacking `*`", pos));
        }
        if self.eat_word("yield") || self.eat_word("await") {
            if !self.at_expr_end() {
                self.expr()?;
            }
            return Ok(unsupported("a `yield` or `await`", pos));
        }
        let e = self.logic("or")?;
        if self.eat_word("if") {
            let condition = self.logic("or")?;
            if !self.eat_word("else") {
                return Err(self.error("`else`"));
            }
            let otherwise = self.expr()?;
            return Ok(Expr {
                kind: ExprKind::IfElse {
                    then: Box::new(e),
                    condition: Box::new(condition),
                    otherwise: Box::new(otherwise),
                },
                pos,
            });
        }
        if self.eat_op(":=") {
            self.expr()?;
            return Ok(unsupported("an assignment expression (`:=`)", pos));
        }
        Ok(e)
    }

    /// `a or b` (with `op` "or"), whose operands are `a and b` chains, whose operands are
    /// negations.
    fn logic(&mut self, op: &'static str) -> Result<Expr, Located> {
        let pos = self.pos();
        let operand = |p: &mut Self| {
            if op == "or" {
                p.logic("and")
            } else {
                p.negation()
            }
        };
        let first = operand(self)?;
        let mut operands = vec![first];
        while self.eat_word(op) {
            operands.push(operand(self)?);
        }
        Ok(if operands.len() == 1 {
            operands.remove(0)
        } else {
            Expr {
                kind: ExprKind::Logic(op, operands),
                pos,
            }
        })
    }

    fn negation(&mut self) -> Result<Expr, Located> {
        let pos = self.pos();
        if self.eat_word("not") {
            self.enter()?;
            let r = self.negation();
            self.depth -= 1;
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(r?)),
                pos,
            });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, Located> {
        let pos = self.pos();
        let first = self.binary(0)?;
        let mut rest = Vec::new();
        loop {
            let at = self.pos();
            let op = if let Some(op) = ["<", ">", "==", ">=", "<=", "!="]
                .into_iter()
                .find(|o| self.eat_op(o))
            {
                op
            } else if self.eat_word("in") {
                "in"
            } else if self.eat_word("is") {
                if self.eat_word("not") { "is not" } else { "is" }
            } else if self.at_word("not")
                && self
                    .toks
                    .get(self.i + 1)
                    .is_some_and(|t| t.tok == Tok::Name("in".into()))
            {
                self.i += 2;
                "not in"
            } else {
                break;
            };
            rest.push((op, at, self.binary(0)?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            Expr {
                kind: ExprKind::Compare(Box::new(first), rest),
                pos,
            }
        })
    }

    fn binary(&mut self, level: usize) -> Result<Expr, Located> {
        let Some(ops) = LEVELS.get(level) else {
            return self.unary();
        };
        let first = self.binary(level + 1)?;
        let mut rest = Vec::new();
        while let Some(op) = ops.iter().find(|o| self.at_op(o)).copied() {
            let pos = self.pos();
            self.i += 1;
            self.enter()?;
            let right = self.binary(level + 1);
            self.depth -= 1;
            rest.push((op, pos, right?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            let pos = first.pos;
            Expr {
                kind: ExprKind::Chain(Box::new(first), rest),
                pos,
            }
        })
    }

    fn unary(&mut self) -> Result<Expr, Located> {
        let pos = self.pos();
        let op = ["-", "+", "~"].into_iter().find(|o| self.at_op(o));
        if let Some(op) = op {
            self.i += 1;
            self.enter()?;
            let inner = self.unary();
            self.depth -= 1;
            return Ok(Expr {
                kind: ExprKind::Unary(op, Box::new(inner?)),
                pos,
            });
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, Located> {
        let base = self.primary()?;
        if self.at_op("**") {
            let pos = self.pos();
            self.i += 1;
            self.enter()?;
            let exp = self.unary();
            self.depth -= 1;
            let start = base.pos;
            return Ok(Expr {
                kind: ExprKind::Chain(Box::new(base), vec![("**", pos, exp?)]),
                pos: start,
            });
        }
        Ok(base)
    }

    /// An atom and its `.attr`, `(args)` and `[index]` suffixes. Each suffix nests the tree one
    /// level deeper, so each counts toward [`MAX_DEPTH`] until the chain ends.
    fn primary(&mut self) -> Result<Expr, Located> {
        let outer = self.depth;
        let e = self.suffixes();
        self.depth = outer;
        e
    }

    fn suffixes(&mut self) -> Result<Expr, Located> {
        let mut e = self.atom()?;
        loop {
            let pos = e.pos;
            if self.at_op(".") {
                self.enter()?;
                self.i += 1;
                match self.peek() {
                    Some(Token {
                        tok: Tok::Name(n), ..
                    }) => {
                        self.i += 1;
                        e = Expr {
                            kind: ExprKind::Attr(Box::new(e), n.clone()),
                            pos,
                        };
                    }
                    _ => return Err(self.error("a name after `.`")),
                }
            } else if self.at_op("(") {
                self.enter()?;
                self.i += 1;
                e = Expr {
                    kind: ExprKind::Call(Box::new(e), self.arguments()?),
                    pos,
                };
            } else if self.at_op("[") {
                self.enter()?;
                self.i += 1;
                e = Expr {
                    kind: ExprKind::Subscript(Box::new(e), self.subscript()?),
                    pos,
                };
            } else {
                return Ok(e);
            }
        }
    }

    fn arguments(&mut self) -> Result<Vec<Arg>, Located> {
        let mut args = Vec::new();
        loop {
            if self.eat_op(")") {
                return Ok(args);
            }
            let pos = self.pos();
            let keyword = match (self.peek(), self.toks.get(self.i + 1)) {
                (
                    Some(Token {
                        tok: Tok::Name(n), ..
                    }),
                    Some(Token {
                        tok: Tok::Op("="), ..
                    }),
                ) if !is_keyword(n) => {
                    self.i += 2;
                    Some(n.clone())
                }
                _ => None,
            };
            let value = self.expr()?;
            if self.at_word("for") || self.at_word("async") {
                self.skip_to_close()?;
                args.push(Arg {
                    keyword,
                    value: unsupported("a generator expression", pos),
                    pos,
                });
                return Ok(args);
            }
            args.push(Arg {
                keyword,
                value,
                pos,
            });
            if !self.eat_op(",") {
                self.expect_op(")")?;
                return Ok(args);
            }
        }
    }

    fn subscript(&mut self) -> Result<Vec<Index>, Located> {
        let mut items = Vec::new();
        loop {
            if self.eat_op("]") {
                return Ok(items);
            }
            let start = if self.at_op(":") {
                None
            } else {
                Some(self.expr()?)
            };
            if self.eat_op(":") {
                let stop = if self.at_op(":") || self.at_op(",") || self.at_op("]") {
                    None
                } else {
                    Some(self.expr()?)
                };
                let step = if self.eat_op(":") && !(self.at_op(",") || self.at_op("]")) {
                    Some(self.expr()?)
                } else {
                    None
                };
                items.push(Index::Slice(start, stop, step));
            } else if let Some(e) = start {
                items.push(Index::At(e));
            }
            if !self.eat_op(",") {
                self.expect_op("]")?;
                return Ok(items);
            }
        }
    }

    /// Skips the rest of a comprehension, through its closing bracket (the lexer checked that
    /// brackets balance).
    fn skip_to_close(&mut self) -> Result<(), Located> {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            self.i += 1;
            match t.tok {
                Tok::Op("(" | "[" | "{") => depth += 1,
                Tok::Op(")" | "]" | "}") => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        Err(self.error("a closing bracket"))
    }

    fn atom(&mut self) -> Result<Expr, Located> {
        let pos = self.pos();
        let Some(tok) = self.peek() else {
            return Err(self.error("a value"));
        };
        let kind = match &tok.tok {
            Tok::Number(n) => {
                self.i += 1;
                ExprKind::Number(n.clone())
            }
            Tok::Str { .. } => {
                let mut pieces = Vec::new();
                let mut formatted = false;
                while let Some(Token {
                    tok: Tok::Str { text, formatted: f },
                    pos,
                }) = self.peek()
                {
                    if *f {
                        pieces.extend(fstring::pieces(text, *pos)?);
                        formatted = true;
                    } else {
                        pieces.push(Piece::Text(text.clone()));
                    }
                    self.i += 1;
                }
                if formatted {
                    ExprKind::Format(pieces)
                } else {
                    let text = pieces.iter().filter_map(|p| match p {
                        Piece::Text(t) => Some(t.as_str()),
                        Piece::Field { .. } => None,
                    });
                    ExprKind::Str(text.collect())
                }
            }
            Tok::Name(n) => match n.as_str() {
                "True" | "False" => {
                    self.i += 1;
                    ExprKind::Bool(n == "True")
                }
                "None" => {
                    self.i += 1;
                    ExprKind::None
                }
                w if is_keyword(w) => return Err(self.error("a value")),
                _ => {
                    self.i += 1;
                    ExprKind::Name(n.clone())
                }
            },
            Tok::Op("...") => {
                self.i += 1;
                ExprKind::Unsupported("`...`")
            }
            Tok::Op(open @ ("(" | "[")) => {
                let close = if *open == "(" { ")" } else { "]" };
                self.i += 1;
                self.enter()?;
                let r = self.sequence(close, *open == "(");
                self.depth -= 1;
                return r.map(|kind| Expr { kind, pos });
            }
            Tok::Op("{") => {
                self.i += 1;
                self.skip_to_close()?;
                ExprKind::Unsupported("a dict or set")
            }
            Tok::Op(_) => return Err(self.error("a value")),
        };
        Ok(Expr { kind, pos })
    }

    /// The inside of `( ... )` or `[ ... ]`.
    fn sequence(&mut self, close: &str, paren: bool) -> Result<ExprKind, Located> {
        let mut items = Vec::new();
        let mut trailing_comma = false;
        loop {
            if self.eat_op(close) {
                break;
            }
            let pos = self.pos();
            if self.eat_op("*") {
                let inner = self.expr()?;
                items.push(Expr {
                    kind: ExprKind::Starred(Box::new(inner)),
                    pos,
                });
            } else {
                items.push(self.expr()?);
            }
            if self.at_word("for") || self.at_word("async") {
                self.skip_to_close()?;
                return Ok(ExprKind::Unsupported("a comprehension"));
            }
            trailing_comma = self.eat_op(",");
            if !trailing_comma {
                self.expect_op(close)?;
                break;
            }
        }
        Ok(match (paren, items.len(), trailing_comma) {
            (true, 1, false) => items.pop().map_or(ExprKind::Tuple(Vec::new()), |e| e.kind),
            (true, _, _) => ExprKind::Tuple(items),
            (false, _, _) => ExprKind::List(items),
        })
    }
}

fn unsupported(what: &'static str, pos: Pos) -> Expr {
    Expr {
        kind: ExprKind::Unsupported(what),
        pos,
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::lex;
    use super::*;

    fn parse(src: &str) -> Result<Expr, Located> {
        let lines = lex(src).unwrap();
        expression(&lines[0].tokens, Pos::default())
    }

    #[test]
    fn calls_with_keywords_and_tuples() {
        let e = parse("LSTM(64, input_shape=(t, 6), x=[1,])").unwrap();
        let ExprKind::Call(_, args) = e.kind else {
            panic!("not a call: {e:?}")
        };
        assert_eq!(args.len(), 3);
        assert_eq!(args[1].keyword.as_deref(), Some("input_shape"));
        assert!(matches!(args[1].value.kind, ExprKind::Tuple(ref v) if v.len() == 2));
        assert!(matches!(args[2].value.kind, ExprKind::List(ref v) if v.len() == 1));
    }

    #[test]
    fn parenthesised_value_is_not_a_tuple() {
        assert!(matches!(parse("(3)").unwrap().kind, ExprKind::Number(_)));
        assert!(matches!(parse("(3,)").unwrap().kind, ExprKind::Tuple(_)));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let src = format!("{}1{}", "(".repeat(500), ")".repeat(500));
        assert!(parse(&src).is_err());
    }

    #[test]
    fn operator_chains_are_flat_lists() {
        let src = format!("1{}", "+1".repeat(100_000));
        let e = parse(&src).unwrap();
        let ExprKind::Chain(first, rest) = e.kind else {
            panic!("not a chain")
        };
        assert_eq!(first.kind, ExprKind::Number("1".into()));
        assert_eq!(rest.len(), 100_000);
        assert!(
            rest.iter()
                .all(|(op, _, e)| *op == "+" && matches!(e.kind, ExprKind::Number(_)))
        );
    }

    #[test]
    fn suffix_chains_count_as_nesting() {
        assert!(parse(&format!("a{}", ".b".repeat(10))).is_ok());
        let err = parse(&format!("a{}", ".b".repeat(500))).unwrap_err();
        assert!(err.message.contains("levels of nesting"), "{err}");
        assert!(parse(&format!("f{}", "()".repeat(500))).is_err());
        assert!(parse(&format!("a{}", "[0]".repeat(500))).is_err());
    }

    #[test]
    fn comprehensions_parse_as_unsupported() {
        let e = parse("[Dense(8) for _ in range(3)]").unwrap();
        assert_eq!(e.kind, ExprKind::Unsupported("a comprehension"));
    }
}
