//! Walks the snippet's statements in order, as Python would, without running any: assignments
//! bind names to values, `Sequential(...)` starts a model, `model.add(...)` appends to it, and
//! the rest (imports, compile, fit, prints) passes by.

use std::collections::{HashMap, HashSet};

use super::eval::{Binding, Eval, LayerCall, MAX_TRIPS, Value, dotted, range_items, truthy};
use super::lexer::{Line, Tok, Token};
use super::parser::{self, Arg, Expr, ExprKind};
use super::signatures::{self, KeyKind};
use crate::model::name::Name;
use crate::model::{Located, Pos};

/// A Sequential model as the snippet builds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Where it is created (`Sequential(`), or its first `add` if it never is.
    pub pos: Pos,
    /// Its layers in order, an `Input(...)` included where one is written.
    pub layers: Vec<LayerCall>,
    /// Its `name=`, or the automatic name Keras gives it (`sequential`, `sequential_1`, ...).
    pub name: String,
    /// The shape passed to `model.build(...)`, batch dimension included.
    pub build: Option<(Value, Pos)>,
}

/// A block the current line is inside.
#[derive(Debug, Clone, PartialEq)]
struct Block {
    indent: usize,
    /// `for`, `while`, `if`, ...: blocks that may run zero or many times; `None` for blocks
    /// that run once (`def`, `with`, `try`, `class`, an `if` whose condition the code settles).
    repeats: Option<&'static str>,
    /// An `if`, `elif` or `else` block that does not run, by a condition the code settles: its
    /// lines are not read.
    skipped: bool,
    pos: Pos,
}

/// Where an `if`, `elif`, `else` chain stands, for the `elif` or `else` that may follow.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Chain {
    /// Every condition so far is settled and false: the next branch may run.
    Open,
    /// A branch ran: the rest do not.
    Taken,
    /// A condition depends on what lstm-tui cannot tell: the rest may run or not.
    Undecided,
}

/// The statement walker's state.
#[derive(Debug, Default)]
pub struct Reader {
    env: HashMap<String, Binding>,
    /// Every model found, in order.
    pub models: Vec<Model>,
    blocks: Vec<Block>,
    functions: HashSet<String>,
    /// The first layer applied to a tensor (`Dense(8)(x)`), to explain a functional model.
    pub functional: Option<Pos>,
    /// Models made without a `name=`: Keras numbers their automatic names in that order.
    unnamed: u64,
    /// The `if` chains still open to an `elif` or `else`, by the indent of their `if`.
    chains: Vec<(usize, Chain)>,
    /// How many settled `for` loops are running their bodies now.
    looping: usize,
    /// Lines read so far, a loop's body once per turn.
    read: usize,
}

/// The most lines read, a loop's body once per turn: nested loops stop here.
const MAX_LINES_READ: usize = 200_000;

impl Reader {
    /// Reads the snippet's logical lines in order. A `for` over a list or `range(...)` the
    /// code settles runs its body once per item, as Python does.
    pub fn lines(&mut self, lines: &[Line]) -> Result<(), Located> {
        let mut next = 0;
        while let Some(line) = lines.get(next) {
            next += 1;
            let body = lines[next..]
                .iter()
                .take_while(|l| l.indent > line.indent)
                .count();
            if self.enter(line) && self.settled_loop(line, &lines[next..next + body])? {
                next += body;
                continue;
            }
            self.line(line)?;
        }
        Ok(())
    }

    /// A `for` header whose items the code settles: runs `body` (its indented lines, or the
    /// statements after its colon) once per item and says so; `false` for any other line.
    fn settled_loop(&mut self, line: &Line, body: &[Line]) -> Result<bool, Located> {
        let toks = &line.tokens;
        let (Some(first), Some(colon)) = (toks.first(), header_colon(toks)) else {
            return Ok(false);
        };
        let pos = &first.pos;
        if first.tok != Tok::Name("for".into()) {
            return Ok(false);
        }
        let Some(in_at) = toks[..colon]
            .iter()
            .position(|t| t.tok == Tok::Name("in".into()))
        else {
            return Ok(false);
        };
        let [
            Token {
                tok: Tok::Name(var),
                ..
            },
        ] = &toks[1..in_at]
        else {
            return Ok(false);
        };
        let end = toks.get(colon).map_or(*pos, |t| t.pos);
        let Ok(iter) = parser::expression(&toks[in_at + 1..colon], end) else {
            return Ok(false);
        };
        let Some(items) = self.loop_items(&iter) else {
            return Ok(false);
        };
        let tail = &toks[colon + 1..];
        for item in items {
            self.env.insert(var.clone(), Binding::Value(item));
            self.blocks.push(Block {
                indent: line.indent,
                repeats: None,
                skipped: false,
                pos: *pos,
            });
            self.looping += 1;
            let ran = if tail.is_empty() {
                self.lines(body)
            } else {
                parser::split_top(tail, ";")
                    .into_iter()
                    .try_for_each(|stmt| self.statement(stmt, usize::MAX, end))
            };
            self.looping -= 1;
            ran?;
            self.close_blocks(line.indent);
        }
        Ok(true)
    }

    /// Closes the blocks a line at `indent` is not inside.
    fn close_blocks(&mut self, indent: usize) {
        while self.blocks.last().is_some_and(|b| b.indent >= indent) {
            self.blocks.pop();
        }
    }

    /// The items of a list, tuple or `range(...)` the code settles, at most [`MAX_TRIPS`].
    fn loop_items(&self, e: &Expr) -> Option<Vec<Value>> {
        let eval = Eval { env: &self.env };
        let items = match &e.kind {
            ExprKind::Call(callee, args)
                if matches!(&callee.kind, ExprKind::Name(n) if n == "range")
                    && !self.env.contains_key("range") =>
            {
                let mut bounds = Vec::new();
                for a in args {
                    match (&a.keyword, eval.eval(&a.value, "a whole number").ok()?) {
                        (None, Value::Int(i)) => bounds.push(i),
                        _ => return None,
                    }
                }
                range_items(&bounds)
                    .ok()?
                    .into_iter()
                    .map(Value::Int)
                    .collect()
            }
            _ => match eval.eval(e, "a list").ok()? {
                Value::Seq(items) => items,
                _ => return None,
            },
        };
        (i128::try_from(items.len()).is_ok_and(|n| n <= MAX_TRIPS)).then_some(items)
    }

    /// Closes the blocks and `if` chains `line` is not inside; false when it is in a block
    /// that does not run.
    fn enter(&mut self, line: &Line) -> bool {
        self.close_blocks(line.indent);
        if self.blocks.iter().any(|b| b.skipped) {
            return false;
        }
        let continues_chain = matches!(
            line.tokens.first().map(|t| &t.tok),
            Some(Tok::Name(w)) if w == "elif" || w == "else"
        );
        self.chains.retain(|(indent, _)| {
            *indent < line.indent || (*indent == line.indent && continues_chain)
        });
        true
    }

    /// Reads one logical line.
    fn line(&mut self, line: &Line) -> Result<(), Located> {
        if !self.enter(line) {
            return Ok(());
        }
        self.read += 1;
        if self.read > MAX_LINES_READ {
            let pos = line.tokens.first().map_or(Pos::default(), |t| t.pos);
            return Err(Located::new(
                pos,
                format!(
                    "expected a program of at most {MAX_LINES_READ} lines read, loops counted each turn; got more"
                ),
            ));
        }
        let end = line.tokens.last().map_or(Pos::default(), |t| Pos {
            line: t.pos.line,
            column: t.pos.column + 1,
        });
        for stmt in parser::split_top(&line.tokens, ";") {
            self.statement(stmt, line.indent, end)?;
        }
        Ok(())
    }

    fn statement(&mut self, toks: &[Token], indent: usize, end: Pos) -> Result<(), Located> {
        let Some(first) = toks.first() else {
            return Ok(());
        };
        let word = match &first.tok {
            Tok::Name(w) => w.as_str(),
            Tok::Op("@") => return Ok(()),
            _ => "",
        };
        match word {
            "break" | "continue" if self.looping > 0 => Err(Located::new(
                first.pos,
                format!(
                    "expected layers added on every turn of the loop; got `{word}`: lstm-tui runs the loops of Sequential code but not `break` or `continue`, so write the layers out or loop over the items that add them"
                ),
            )),
            "import" | "from" | "pass" | "break" | "continue" | "global" | "nonlocal" | "del"
            | "assert" | "raise" | "yield" | "await" => Ok(()),
            "return" => self.expression_statement(&toks[1..], end),
            "def" => {
                self.define(toks, end);
                self.open(toks, indent, None, end)
            }
            "for" | "while" => {
                self.loop_variables(toks);
                self.open(
                    toks,
                    indent,
                    Some(if word == "for" { "for" } else { "while" }),
                    end,
                )
            }
            "if" | "elif" | "else" if ends_with_colon_header(toks) => {
                self.branch(toks, indent, end)
            }
            "if" | "elif" | "else" | "except" | "match" | "case" => {
                let kw = match word {
                    "if" => "if",
                    "elif" => "elif",
                    "else" => "else",
                    "except" => "except",
                    "match" => "match",
                    _ => "case",
                };
                // `match` and `case` are keywords only as block headers.
                if matches!(word, "match" | "case") && !ends_with_colon_header(toks) {
                    return self.simple(toks, end);
                }
                self.open(toks, indent, Some(kw), end)
            }
            "class" => {
                // A custom layer's layers are made in methods that are not read: its use
                // says so, rather than that its class is unknown.
                if let (Some(Tok::Name(class)), Some(first)) =
                    (toks.get(1).map(|t| &t.tok), toks.first())
                {
                    let why = Located::new(first.pos, super::custom_class(class, first.pos));
                    self.env.insert(class.clone(), Binding::Failed(why));
                }
                self.open(toks, indent, None, end)
            }
            "with" | "try" | "finally" | "async" => self.open(toks, indent, None, end),
            _ => self.simple(toks, end),
        }
    }

    /// An `if`, `elif` or `else` header: the branch runs or not as Python decides when the
    /// code settles its condition (and no earlier branch ran); otherwise it is a block that
    /// may run or not, as before.
    fn branch(&mut self, toks: &[Token], indent: usize, end: Pos) -> Result<(), Located> {
        let word = match toks.first().map(|t| &t.tok) {
            Some(Tok::Name(w)) if w == "elif" => "elif",
            Some(Tok::Name(w)) if w == "else" => "else",
            _ => "if",
        };
        let before = self
            .chains
            .iter()
            .rev()
            .find(|(i, _)| *i == indent)
            .map(|(_, c)| *c);
        let runs = match (word, before) {
            ("if", _) | ("elif", Some(Chain::Open)) => self.condition(toks, end),
            ("else", Some(Chain::Open)) => Some(true),
            (_, Some(Chain::Taken)) => Some(false),
            _ => None,
        };
        let chain = match (runs, before) {
            (_, Some(Chain::Taken)) | (Some(true), _) => Chain::Taken,
            (Some(false), _) => Chain::Open,
            (None, _) => Chain::Undecided,
        };
        self.chains.retain(|(i, _)| *i != indent);
        self.chains.push((indent, chain));
        let repeats = match (runs, word) {
            (Some(_), _) => None,
            (None, "if") => Some("if"),
            (None, "elif") => Some("elif"),
            (None, _) => Some("else"),
        };
        self.open_block(toks, indent, repeats, runs == Some(false), end)
    }

    /// Python's truth of an `if` or `elif` condition, when the code settles it.
    fn condition(&self, toks: &[Token], end: Pos) -> Option<bool> {
        let colon = header_colon(toks)?;
        let e = parser::expression(toks.get(1..colon)?, end).ok()?;
        let v = (Eval { env: &self.env })
            .eval(&e, KeyKind::Any.expected())
            .ok()?;
        Some(truthy(&v))
    }

    /// A block header: remember the block, then read a body written on the same line.
    fn open(
        &mut self,
        toks: &[Token],
        indent: usize,
        repeats: Option<&'static str>,
        end: Pos,
    ) -> Result<(), Located> {
        self.open_block(toks, indent, repeats, false, end)
    }

    /// [`Reader::open`], for a block that may be `skipped`: then its body is not read.
    fn open_block(
        &mut self,
        toks: &[Token],
        indent: usize,
        repeats: Option<&'static str>,
        skipped: bool,
        end: Pos,
    ) -> Result<(), Located> {
        let pos = toks.first().map_or(end, |t| t.pos);
        self.blocks.push(Block {
            indent,
            repeats,
            skipped,
            pos,
        });
        let colon = header_colon(toks);
        match colon {
            Some(c) if c + 1 < toks.len() && !skipped => {
                for stmt in parser::split_top(&toks[c + 1..], ";") {
                    self.statement(stmt, usize::MAX, end)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// `def f(units=64):` binds the parameters' defaults, so a builder function's body reads
    /// as the model it builds by default.
    fn define(&mut self, toks: &[Token], end: Pos) {
        let Some(Token {
            tok: Tok::Name(fname),
            ..
        }) = toks.get(1)
        else {
            return;
        };
        self.functions.insert(fname.clone());
        let Some(open) = toks.iter().position(|t| t.tok == Tok::Op("(")) else {
            return;
        };
        let close = matching(toks, open).unwrap_or(toks.len());
        let inner = toks.get(open + 1..close).unwrap_or_default();
        for (name, default) in parser::parameters(inner, end) {
            let binding = match default {
                None => {
                    Binding::Opaque(format!("is a parameter of `{fname}` with no default value"))
                }
                Some(Ok(e)) => self.evaluate(&e),
                Some(Err(err)) => Binding::Failed(err),
            };
            self.env.insert(name, binding);
        }
    }

    fn loop_variables(&mut self, toks: &[Token]) {
        let pos = toks.first().map(|t| t.pos).unwrap_or_default();
        for t in toks.iter().skip(1) {
            match &t.tok {
                Tok::Name(n) if n == "in" => break,
                Tok::Name(n) if !parser::is_keyword(n) => {
                    self.env.insert(
                        n.clone(),
                        Binding::Opaque(format!("is a loop variable (line {})", pos.line)),
                    );
                }
                _ => {}
            }
        }
    }

    /// The innermost block that may run zero or many times.
    fn repeating(&self) -> Option<(&'static str, Pos)> {
        self.blocks
            .iter()
            .rev()
            .find_map(|b| b.repeats.map(|r| (r, b.pos)))
    }

    fn simple(&mut self, toks: &[Token], end: Pos) -> Result<(), Located> {
        let eqs: Vec<usize> = top_level(toks)
            .filter(|(_, t)| t.tok == Tok::Op("="))
            .map(|(i, _)| i)
            .collect();
        if let Some(&last) = eqs.last() {
            let mut targets = Vec::new();
            let mut start = 0;
            for &eq in &eqs {
                targets.push(&toks[start..eq]);
                start = eq + 1;
            }
            return self.assign(&targets, &toks[last + 1..], end);
        }
        let augmented = top_level(toks).find(|(_, t)| {
            matches!(t.tok, Tok::Op(op) if op.len() >= 2 && op.ends_with('=') && !matches!(op, "==" | "<=" | ">=" | "!="))
        });
        if let Some((_, t)) = augmented {
            let pos = t.pos;
            self.clobber(
                toks,
                &format!(
                    "is changed at line {} in a way lstm-tui does not follow",
                    pos.line
                ),
            );
            return Ok(());
        }
        self.expression_statement(toks, end)
    }

    /// Marks the names a statement changes as unknown from here on.
    fn clobber(&mut self, target: &[Token], how: &str) {
        if let Some(Token {
            tok: Tok::Name(n), ..
        }) = target.first()
        {
            if !matches!(self.env.get(n), Some(Binding::Model(_))) {
                self.env.insert(n.clone(), Binding::Opaque(how.to_string()));
            }
        }
    }

    fn evaluate(&self, e: &Expr) -> Binding {
        match (Eval { env: &self.env }).eval(e, KeyKind::Any.expected()) {
            Ok(v) => Binding::Value(v),
            Err(err) => Binding::Failed(err),
        }
    }

    fn assign(&mut self, targets: &[&[Token]], value: &[Token], end: Pos) -> Result<(), Located> {
        let parsed = parser::expression(value, end);
        if let Ok(e) = &parsed {
            self.note_functional(e);
            if is_sequential(e) {
                let id = self.model(e)?;
                for t in targets {
                    if let [
                        Token {
                            tok: Tok::Name(n), ..
                        },
                    ] = t
                    {
                        self.env.insert(n.clone(), Binding::Model(id));
                    }
                }
                return Ok(());
            }
            // `model = build_model()` after the builder's body was read keeps that model.
            if let ExprKind::Call(callee, _) = &e.kind {
                if dotted(callee).is_some_and(|p| p.len() == 1 && self.functions.contains(&p[0])) {
                    let all_models = targets.iter().all(|t| {
                        matches!(t, [Token { tok: Tok::Name(n), .. }] if matches!(self.env.get(n), Some(Binding::Model(_))))
                    });
                    if all_models {
                        return Ok(());
                    }
                }
            }
        }
        let line = value.first().map_or(end.line, |t| t.pos.line);
        let binding = match (&parsed, self.repeating()) {
            (_, Some((kw, at))) => Binding::Opaque(format!(
                "is assigned at line {line} inside `{kw}` (line {}); lstm-tui does not run code, so it cannot tell which value holds",
                at.line
            )),
            (Ok(e), None) => self.evaluate(e),
            (Err(err), None) => Binding::Failed(err.clone()),
        };
        for target in targets {
            let target = strip_annotation(target);
            let names: Vec<&[Token]> = parser::split_top(target, ",")
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect();
            let simple: Option<Vec<&String>> = names
                .iter()
                .map(|t| match t {
                    [
                        Token {
                            tok: Tok::Name(n), ..
                        },
                    ] if !parser::is_keyword(n) => Some(n),
                    _ => None,
                })
                .collect();
            let unpacking = target.iter().any(|t| t.tok == Tok::Op(",")) || names.len() > 1;
            match simple {
                Some(ns) if !unpacking => {
                    if let Some(n) = ns.first() {
                        self.env.insert((*n).clone(), binding.clone());
                    }
                }
                Some(ns) => {
                    let parts = match &binding {
                        Binding::Value(Value::Seq(items)) if items.len() == ns.len() => {
                            Some(items.clone())
                        }
                        _ => None,
                    };
                    for (i, n) in ns.iter().enumerate() {
                        let b = match &parts {
                            Some(items) => Binding::Value(items[i].clone()),
                            None => Binding::Opaque(format!(
                                "is unpacked from a value at line {line} that lstm-tui cannot split"
                            )),
                        };
                        self.env.insert((*n).clone(), b);
                    }
                }
                None => self.clobber(
                    target,
                    &format!("is changed at line {line} in a way lstm-tui does not follow"),
                ),
            }
        }
        Ok(())
    }

    fn note_functional(&mut self, e: &Expr) {
        if self.functional.is_some() {
            return;
        }
        if let ExprKind::Call(callee, _) = &e.kind {
            if let ExprKind::Call(inner, _) = &callee.kind {
                let class = dotted(inner).and_then(|p| p.last().cloned());
                if class.is_some_and(|c| signatures::positional(&c).is_some()) {
                    self.functional = Some(e.pos);
                }
            }
        }
    }

    fn expression_statement(&mut self, toks: &[Token], end: Pos) -> Result<(), Located> {
        if toks.is_empty() {
            return Ok(());
        }
        let e = match parser::expression(toks, end) {
            Ok(e) => e,
            Err(err) if self.mentions_model(toks) => return Err(err),
            Err(_) => return Ok(()),
        };
        self.note_functional(&e);
        if is_sequential(&e) {
            self.model(&e)?;
            return Ok(());
        }
        let ExprKind::Call(callee, args) = &e.kind else {
            return Ok(());
        };
        let ExprKind::Attr(base, method) = &callee.kind else {
            return Ok(());
        };
        let ExprKind::Name(var) = &base.kind else {
            return Ok(());
        };
        let id = match self.env.get(var) {
            Some(Binding::Model(id)) => *id,
            // Pasted `model.add(...)` lines without their `model = Sequential()`.
            None if method == "add" && args.first().is_some_and(|a| is_layer_call(&a.value)) => {
                let name = self.model_name(None);
                self.models.push(Model {
                    pos: e.pos,
                    layers: Vec::new(),
                    name,
                    build: None,
                });
                let id = self.models.len() - 1;
                self.env.insert(var.clone(), Binding::Model(id));
                id
            }
            _ => return Ok(()),
        };
        match method.as_str() {
            "add" => {
                self.outside_repeats("model.add", e.pos)?;
                let [arg] = args.as_slice() else {
                    return Err(Located::new(
                        e.pos,
                        format!(
                            "expected one layer in `{var}.add(...)`, e.g. `{var}.add(Dense(64))`; got {} arguments",
                            args.len()
                        ),
                    ));
                };
                let layer = self.layer_value(&arg.value)?;
                if let Some(m) = self.models.get_mut(id) {
                    m.layers.push(layer);
                }
            }
            "pop" => {
                self.outside_repeats("model.pop", e.pos)?;
                if let Some(m) = self.models.get_mut(id) {
                    m.layers.pop();
                }
            }
            "build" => {
                let arg = args
                    .iter()
                    .find(|a| a.keyword.as_deref().is_none_or(|k| k == "input_shape"));
                if let Some(arg) = arg {
                    let expect = KeyKind::Shape.expected();
                    let v = (Eval { env: &self.env }).eval(&arg.value, expect)?;
                    if let Some(m) = self.models.get_mut(id) {
                        m.build = Some((v, arg.value.pos));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A statement that does not parse is the user's problem only if it touches the model.
    fn mentions_model(&self, toks: &[Token]) -> bool {
        toks.iter().any(|t| match &t.tok {
            Tok::Name(n) => n == "Sequential" || matches!(self.env.get(n), Some(Binding::Model(_))),
            _ => false,
        })
    }

    fn outside_repeats(&self, what: &str, pos: Pos) -> Result<(), Located> {
        match self.repeating() {
            Some((kw, at)) => {
                let why = match kw {
                    "if" | "elif" | "else" => {
                        "so it follows an `if` only on values the code settles (numbers, strings, flags), and this condition depends on something else"
                    }
                    "for" => {
                        "so it follows a `for` only over a list or `range(...)` the code settles, and this one goes through something else"
                    }
                    _ => "so it cannot tell how often that runs",
                };
                Err(Located::new(
                    pos,
                    format!(
                        "expected layers written out one by one; got `{what}` inside `{kw}` (line {}): lstm-tui reads code without running it, {why}",
                        at.line
                    ),
                ))
            }
            None => Ok(()),
        }
    }

    /// `Sequential([...], name=...)`: a new model, with the listed layers.
    fn model(&mut self, e: &Expr) -> Result<usize, Located> {
        self.outside_repeats("Sequential", e.pos)?;
        let given = match &e.kind {
            ExprKind::Call(_, args) => args.iter().find(|a| a.keyword.as_deref() == Some("name")),
            _ => None,
        };
        let given = match given {
            Some(Arg { value, .. }) => {
                match (Eval { env: &self.env }).eval(value, "a name such as \"encoder\"")? {
                    Value::Str(s) => Some(s),
                    Value::None => None,
                    other => {
                        return Err(Located::new(
                            value.pos,
                            format!(
                                "expected the model's name as a string such as \"encoder\"; got {}",
                                other.describe()
                            ),
                        ));
                    }
                }
            }
            None => None,
        };
        let mut model = Model {
            pos: e.pos,
            layers: Vec::new(),
            name: self.model_name(given),
            build: None,
        };
        if let ExprKind::Call(_, args) = &e.kind {
            let list = args
                .iter()
                .enumerate()
                .find(|(i, a)| {
                    a.keyword.as_deref() == Some("layers") || (*i == 0 && a.keyword.is_none())
                })
                .map(|(_, a)| a);
            if let Some(Arg { value, .. }) = list {
                match &value.kind {
                    ExprKind::List(items) | ExprKind::Tuple(items) => {
                        for item in items {
                            model.layers.push(self.layer_value(item)?);
                        }
                    }
                    ExprKind::None => {}
                    _ => match (Eval { env: &self.env }).eval(value, "a list of layers")? {
                        Value::Seq(items) => {
                            for item in items {
                                model.layers.push(as_layer(item, value.pos)?);
                            }
                        }
                        Value::None => {}
                        other => {
                            return Err(Located::new(
                                value.pos,
                                format!(
                                    "expected a list of layers such as [LSTM(64), Dense(1)]; got {}",
                                    other.describe()
                                ),
                            ));
                        }
                    },
                }
            }
        }
        self.models.push(model);
        Ok(self.models.len() - 1)
    }

    /// A new model's name: `given`, or Keras' next automatic one.
    fn model_name(&mut self, given: Option<String>) -> String {
        given.unwrap_or_else(|| {
            self.unnamed += 1;
            Name::auto("sequential", self.unnamed - 1).to_string()
        })
    }

    fn layer_value(&self, e: &Expr) -> Result<LayerCall, Located> {
        let v = (Eval { env: &self.env }).eval(e, KeyKind::Layer.expected())?;
        as_layer(v, e.pos)
    }
}

fn as_layer(v: Value, pos: Pos) -> Result<LayerCall, Located> {
    match v {
        Value::Layer(l) => Ok(*l),
        other => Err(Located::new(
            pos,
            format!(
                "expected {}; got {}",
                KeyKind::Layer.expected(),
                other.describe()
            ),
        )),
    }
}

fn is_sequential(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Call(callee, _)
        if dotted(callee).is_some_and(|p| p.last().is_some_and(|c| c == "Sequential")))
}

fn is_layer_call(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Call(callee, _)
        if dotted(callee).is_some_and(|p| p.last().is_some_and(|c| signatures::positional(c).is_some())))
}

/// Tokens with no bracket open around them, with their indices.
fn top_level(toks: &[Token]) -> impl Iterator<Item = (usize, &Token)> {
    let mut depth = 0usize;
    toks.iter().enumerate().filter(move |(_, t)| match t.tok {
        Tok::Op("(" | "[" | "{") => {
            depth += 1;
            false
        }
        Tok::Op(")" | "]" | "}") => {
            depth = depth.saturating_sub(1);
            false
        }
        _ => depth == 0,
    })
}

/// The colon ending a block header (`for x in y:`), outside brackets and lambdas.
fn header_colon(toks: &[Token]) -> Option<usize> {
    let mut lambdas = 0usize;
    for (i, t) in top_level(toks) {
        match &t.tok {
            Tok::Name(n) if n == "lambda" => lambdas += 1,
            Tok::Op(":") if lambdas > 0 => lambdas -= 1,
            Tok::Op(":") => return Some(i),
            _ => {}
        }
    }
    None
}

fn ends_with_colon_header(toks: &[Token]) -> bool {
    header_colon(toks).is_some() && toks.len() > 1
}

/// The index of the bracket closing the one at `open`.
fn matching(toks: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.tok {
            Tok::Op("(" | "[" | "{") => depth += 1,
            Tok::Op(")" | "]" | "}") => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `x: int` → `x`.
fn strip_annotation(target: &[Token]) -> &[Token] {
    match top_level(target).find(|(_, t)| t.tok == Tok::Op(":")) {
        Some((i, _)) => &target[..i],
        None => target,
    }
}
