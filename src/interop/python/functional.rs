//! Keras functional code, interpreted without running Python: assignments, `def` functions
//! called with tensors and constants, `for` loops over `range(...)` or a list, `return`, layers
//! built and called on tensors, `keras.Model(inputs, outputs)`. Everything else is refused
//! where it is written.

use std::collections::HashMap;
use std::rc::Rc;

use super::block::Stmt;
use super::eval::{self, Value};
use super::functional_expr::truth;
use super::graph::{Graph, TensorRef};
use super::lexer::{Tok, Token};
use super::parser::{self, Arg, Expr, ExprKind};
use crate::model::{Located, Pos};

/// Most statements one import runs, loops and calls included.
const MAX_STEPS: usize = 200_000;
/// Deepest chain of function calls.
const MAX_CALL_DEPTH: usize = 32;

/// What the statements supported here are, for refusals.
pub const SUPPORTED: &str = "assignments, `def` functions, `for` over `range(...)` or a list, `if` on values the code settles, `return`, layers called on tensors and `keras.Model(inputs, outputs)`";

/// A value the program computes.
#[derive(Debug, Clone)]
pub enum FVal {
    /// A constant (number, string, tuple of constants, a layer's constructor call).
    Const(Value),
    /// A tensor.
    Tensor(TensorRef),
    /// A layer object, created and perhaps called.
    Layer(usize),
    /// A list or tuple holding tensors or layers.
    Seq(Vec<FVal>),
    /// A function defined with `def`.
    Func(Rc<Function>),
    /// A model (index into the models built).
    Model(usize),
    /// An assignment that failed: its error is reported where the name is used.
    Failed(Located),
}

/// A function defined with `def`.
#[derive(Debug)]
pub struct Function {
    /// Its name.
    pub name: String,
    /// Parameters and their default values (evaluated where the function is defined).
    pub params: Vec<(String, Option<FVal>)>,
    /// A parameter form not supported (`*args`, `**kwargs`), with where it is.
    pub refused: Option<Located>,
    /// The body.
    pub body: Vec<Stmt>,
}

/// A `keras.Model(...)` call.
#[derive(Debug, Clone)]
pub struct ModelCall {
    /// The inputs as written (a tensor or a list of them).
    pub inputs: FVal,
    /// The outputs as written.
    pub outputs: FVal,
    /// Its name: `name=`, or Keras' automatic one.
    pub name: String,
    /// Where the call is.
    pub pos: Pos,
}

/// How a block of statements ended.
pub enum Flow {
    /// It ran to its end.
    Normal,
    /// A `return` with its value.
    Return(FVal),
    /// A `break`: the loop around it ends.
    Break,
    /// A `continue`: the loop around it goes on to its next item.
    Continue,
}

/// The interpreter's state.
#[derive(Default)]
pub struct Interp {
    /// Layers and calls made so far.
    pub graph: Graph,
    /// Module-level names.
    pub globals: HashMap<String, FVal>,
    /// One map of local names per function call under way.
    frames: Vec<HashMap<String, FVal>>,
    /// Every model built, in order.
    pub models: Vec<ModelCall>,
    steps: usize,
}

impl FVal {
    /// How the value reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            FVal::Const(v) => v.describe(),
            FVal::Tensor(_) => "a tensor".into(),
            FVal::Layer(_) => "a layer".into(),
            FVal::Seq(_) => "a list of tensors".into(),
            FVal::Func(f) => format!("the function `{}`", f.name),
            FVal::Model(_) => "a model".into(),
            FVal::Failed(e) => e.message.clone(),
        }
    }
}

impl Interp {
    /// Runs `stmts` in the current scope.
    pub fn run(&mut self, stmts: &[Stmt]) -> Result<Flow, Located> {
        let mut next = 0;
        while let Some(stmt) = stmts.get(next) {
            next += 1;
            self.steps += 1;
            if self.steps > MAX_STEPS {
                let pos = stmt_pos(stmt);
                return Err(Located::new(
                    pos,
                    format!("expected a program of at most {MAX_STEPS} statements run; got more"),
                ));
            }
            match stmt {
                Stmt::Skip => {}
                Stmt::Simple(toks) => self.simple(toks)?,
                Stmt::Def {
                    name, params, body, ..
                } => {
                    let f = self.define(name, params, body);
                    self.bind(name, FVal::Func(Rc::new(f)));
                }
                Stmt::For {
                    target,
                    iter,
                    body,
                    pos,
                } => {
                    if let Flow::Return(v) = self.for_loop(target, iter, body, *pos)? {
                        return Ok(Flow::Return(v));
                    }
                }
                Stmt::Other { word, .. } if word == "if" => {
                    // The `elif` and `else` blocks right after belong to this `if`.
                    let rest = &stmts[next..];
                    let more = rest
                        .iter()
                        .take_while(|s| matches!(s, Stmt::Other { word, .. } if word == "elif" || word == "else"))
                        .count();
                    next += more;
                    let flow = self.if_chain(&stmts[next - more - 1..next])?;
                    if !matches!(flow, Flow::Normal) {
                        return Ok(flow);
                    }
                }
                Stmt::Other { word, .. } if word == "break" => return Ok(Flow::Break),
                Stmt::Other { word, .. } if word == "continue" => return Ok(Flow::Continue),
                Stmt::Return(toks, pos) => {
                    let v = if toks.is_empty() {
                        FVal::Const(Value::None)
                    } else {
                        let e = parser::expression(toks, *pos)?;
                        self.value(&e)?
                    };
                    return Ok(Flow::Return(v));
                }
                Stmt::Other {
                    word,
                    pos,
                    header,
                    body,
                } => self.other(word, *pos, header, body)?,
                Stmt::TooDeep(pos) => {
                    return Err(Located::new(
                        *pos,
                        format!(
                            "expected {SUPPORTED}; got blocks nested deeper than lstm-tui follows"
                        ),
                    ));
                }
            }
        }
        Ok(Flow::Normal)
    }

    /// Binds `name` in the innermost scope.
    pub fn bind(&mut self, name: &str, v: FVal) {
        match self.frames.last_mut() {
            Some(frame) => frame.insert(name.to_string(), v),
            None => self.globals.insert(name.to_string(), v),
        };
    }

    /// The names of the function call under way, if any.
    pub fn locals(&self) -> Option<&HashMap<String, FVal>> {
        self.frames.last()
    }

    /// The value of `name`, local first.
    pub fn lookup(&self, name: &str) -> Option<&FVal> {
        self.frames
            .last()
            .and_then(|f| f.get(name))
            .or_else(|| self.globals.get(name))
    }

    fn define(&mut self, name: &str, params: &[Token], body: &[Stmt]) -> Function {
        let mut refused = None;
        if let Some(star) = params
            .iter()
            .find(|t| matches!(t.tok, Tok::Op("*" | "**" | "/")))
        {
            refused = Some(Located::new(
                star.pos,
                format!(
                    "expected named parameters in `def {name}(...)`; got `*`, `**` or `/`, which lstm-tui does not follow"
                ),
            ));
        }
        let end = params.last().map(|t| t.pos).unwrap_or_default();
        let params = parser::parameters(params, end)
            .into_iter()
            .map(|(p, default)| {
                let default = default.map(|d| match d.and_then(|e| self.value(&e)) {
                    Ok(v) => v,
                    Err(err) => FVal::Failed(err),
                });
                (p, default)
            })
            .collect();
        Function {
            name: name.to_string(),
            params,
            refused,
            body: body.to_vec(),
        }
    }

    /// Calls `f` with arguments already evaluated.
    pub fn call_function(
        &mut self,
        f: &Function,
        positional: Vec<FVal>,
        keywords: Vec<(String, FVal, Pos)>,
        pos: Pos,
    ) -> Result<FVal, Located> {
        if let Some(err) = &f.refused {
            return Err(err.clone());
        }
        if self.frames.len() >= MAX_CALL_DEPTH {
            return Err(Located::new(
                pos,
                format!("expected function calls nested at most {MAX_CALL_DEPTH} deep; got deeper"),
            ));
        }
        if positional.len() > f.params.len() {
            return Err(Located::new(
                pos,
                format!(
                    "expected at most {} arguments for `{}`; got {}",
                    f.params.len(),
                    f.name,
                    positional.len()
                ),
            ));
        }
        let mut frame: HashMap<String, FVal> = HashMap::new();
        for ((name, _), v) in f.params.iter().zip(positional) {
            frame.insert(name.clone(), v);
        }
        for (key, v, at) in keywords {
            if !f.params.iter().any(|(p, _)| *p == key) {
                return Err(Located::new(
                    at,
                    format!("expected a parameter of `{}`; got `{key}=`", f.name),
                ));
            }
            if frame.insert(key.clone(), v).is_some() {
                return Err(Located::new(
                    at,
                    format!("expected `{key}` once; got it again"),
                ));
            }
        }
        for (name, default) in &f.params {
            if !frame.contains_key(name) {
                let Some(d) = default else {
                    return Err(Located::new(
                        pos,
                        format!(
                            "expected a value for `{name}` in this call of `{}`; got none",
                            f.name
                        ),
                    ));
                };
                frame.insert(name.clone(), d.clone());
            }
        }
        self.frames.push(frame);
        let flow = self.run(&f.body);
        self.frames.pop();
        Ok(match flow? {
            Flow::Return(v) => v,
            Flow::Normal | Flow::Break | Flow::Continue => FVal::Const(Value::None),
        })
    }

    fn for_loop(
        &mut self,
        target: &[Token],
        iter: &[Token],
        body: &[Stmt],
        pos: Pos,
    ) -> Result<Flow, Located> {
        let names = target_names(target).ok_or_else(|| {
            Located::new(
                pos,
                "expected a loop variable name (`for _ in range(4):`); got another form",
            )
        })?;
        let e = parser::expression(iter, pos)?;
        let items = match self.loop_items(&e) {
            Ok(items) => items,
            // A loop over data (`for line in lines:`) that builds nothing is skipped.
            Err(_) if !self.touches_graph(iter) && !self.body_touches(body) => {
                self.skip_assigned(body, &flat_names(std::slice::from_ref(&names)), "for", pos);
                return Ok(Flow::Normal);
            }
            Err(err) => return Err(err),
        };
        for item in items {
            self.unpack(&names, item, pos)?;
            match self.run(body)? {
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
            }
        }
        Ok(Flow::Normal)
    }

    /// An `if` with the `elif` and `else` blocks after it: the first block whose condition
    /// holds runs. When a condition has no value lstm-tui can tell (it depends on data), the
    /// blocks are skipped as code beside the model, or refused if they build part of it.
    fn if_chain(&mut self, chain: &[Stmt]) -> Result<Flow, Located> {
        for stmt in chain {
            let Stmt::Other {
                word,
                header,
                body,
                pos,
            } = stmt
            else {
                continue;
            };
            let holds = if word == "else" {
                Ok(true)
            } else {
                let end = header.last().map_or(*pos, |t| t.pos);
                parser::expression(header.get(1..).unwrap_or_default(), end)
                    .and_then(|e| self.value(&e).and_then(|v| truth(&v, e.pos)))
            };
            match holds {
                Ok(true) => return self.run(body),
                Ok(false) => {}
                Err(why) => return self.undecided(chain, why),
            }
        }
        Ok(Flow::Normal)
    }

    /// An `if` chain whose condition lstm-tui cannot tell (`why`): skipped when it builds
    /// nothing of the model, refused where it does.
    fn undecided(&mut self, chain: &[Stmt], why: Located) -> Result<Flow, Located> {
        let touches = chain.iter().any(|s| match s {
            Stmt::Other { header, body, .. } => {
                self.touches_graph(header) || self.body_touches(body)
            }
            _ => false,
        });
        if touches {
            return Err(Located::new(
                Pos {
                    line: why.line,
                    column: why.column,
                },
                format!(
                    "expected an `if` condition lstm-tui can tell without running code (numbers, strings, flags, a function's arguments, `x.shape`), as this `if` builds part of the model; here: {}",
                    why.message
                ),
            ));
        }
        for stmt in chain {
            if let Stmt::Other {
                word,
                header,
                body,
                pos,
            } = stmt
            {
                self.other(word, *pos, header, body)?;
            }
        }
        Ok(Flow::Normal)
    }

    /// What `for` goes through: `range(...)`'s numbers or a list's items.
    fn loop_items(&mut self, e: &Expr) -> Result<Vec<FVal>, Located> {
        if let ExprKind::Call(callee, args) = &e.kind {
            let builtin = |name: &str| {
                matches!(&callee.kind, ExprKind::Name(n) if n == name)
                    && self.lookup(name).is_none()
            };
            if builtin("enumerate") || builtin("zip") {
                return self.paired_items(e, builtin("enumerate"), args);
            }
            if builtin("range") {
                let mut bounds = Vec::new();
                for a in args {
                    match self.value(&a.value)? {
                        FVal::Const(Value::Int(i)) if a.keyword.is_none() => bounds.push(i),
                        other => {
                            return Err(Located::new(
                                a.pos,
                                format!(
                                    "expected a whole number in `range(...)`; got {}",
                                    other.describe()
                                ),
                            ));
                        }
                    }
                }
                return eval::range_items(&bounds)
                    .map(|items| {
                        items
                            .into_iter()
                            .map(|i| FVal::Const(Value::Int(i)))
                            .collect()
                    })
                    .map_err(|why| Located::new(e.pos, why));
            }
        }
        match self.value(e)? {
            FVal::Seq(items) => Ok(items),
            FVal::Const(Value::Seq(items)) => Ok(items.into_iter().map(FVal::Const).collect()),
            other => Err(Located::new(
                e.pos,
                format!(
                    "expected `range(...)` or a list to loop over; got {}",
                    other.describe()
                ),
            )),
        }
    }

    /// What `for` goes through for `enumerate(items, start)` (pairs of a count and an item)
    /// or `zip(a, b, ...)` (one tuple per position, as many as the shortest has).
    fn paired_items(
        &mut self,
        e: &Expr,
        enumerate: bool,
        args: &[Arg],
    ) -> Result<Vec<FVal>, Located> {
        let positional: Vec<&Arg> = args.iter().filter(|a| a.keyword.is_none()).collect();
        if enumerate {
            let start = match (
                positional.get(1).copied(),
                args.iter().find(|a| a.keyword.as_deref() == Some("start")),
            ) {
                (Some(a), _) | (None, Some(a)) => match self.value(&a.value)? {
                    FVal::Const(Value::Int(i)) => i,
                    other => {
                        return Err(Located::new(
                            a.pos,
                            format!(
                                "expected a whole number to count from; got {}",
                                other.describe()
                            ),
                        ));
                    }
                },
                (None, None) => 0,
            };
            let Some(items) = positional.first() else {
                return Err(Located::new(
                    e.pos,
                    "expected a list in `enumerate(...)`; got none",
                ));
            };
            let items = self.loop_items(&items.value)?;
            return Ok(items
                .into_iter()
                .zip(start..)
                .map(|(item, k)| FVal::Seq(vec![FVal::Const(Value::Int(k)), item]))
                .collect());
        }
        let lists = positional
            .iter()
            .map(|a| self.loop_items(&a.value))
            .collect::<Result<Vec<_>, _>>()?;
        let shortest = lists.iter().map(Vec::len).min().unwrap_or(0);
        Ok((0..shortest)
            .map(|k| FVal::Seq(lists.iter().map(|l| l[k].clone()).collect()))
            .collect())
    }

    /// Binds `names` to `v`, unpacking it when there are several (`out, h, c = lstm(x)`).
    fn unpack(&mut self, names: &Names, v: FVal, pos: Pos) -> Result<(), Located> {
        match names {
            Names::One(n) => {
                self.bind(n, v);
                Ok(())
            }
            Names::Many(ns) => {
                let items = match v {
                    FVal::Seq(items) => items,
                    FVal::Const(Value::Seq(items)) => items.into_iter().map(FVal::Const).collect(),
                    FVal::Failed(err) => return Err(err),
                    other => {
                        return Err(Located::new(
                            pos,
                            format!(
                                "expected {} values to unpack; got {}",
                                ns.len(),
                                other.describe()
                            ),
                        ));
                    }
                };
                if items.len() != ns.len() {
                    return Err(Located::new(
                        pos,
                        format!(
                            "expected {} values to unpack, as many as the names; got {}",
                            ns.len(),
                            items.len()
                        ),
                    ));
                }
                for (n, item) in ns.iter().zip(items) {
                    self.unpack(n, item, pos)?;
                }
                Ok(())
            }
        }
    }

    fn simple(&mut self, toks: &[Token]) -> Result<(), Located> {
        let pos = toks.first().map(|t| t.pos).unwrap_or_default();
        let end = toks.last().map(|t| t.pos).unwrap_or_default();
        let eqs: Vec<usize> = top_level(toks)
            .filter(|(_, t)| t.tok == Tok::Op("="))
            .map(|(i, _)| i)
            .collect();
        if let Some((i, t)) = top_level(toks).find(|(_, t)| {
            matches!(t.tok, Tok::Op(op) if op.len() >= 2 && op.ends_with('=') && !matches!(op, "==" | "<=" | ">=" | "!="))
        }) {
            return self.augmented(toks, i, t, end);
        }
        let Some(&last) = eqs.last() else {
            return self.expression_statement(toks, end);
        };
        let value = match parser::expression(&toks[last + 1..], end).and_then(|e| self.value(&e)) {
            Ok(v) => v,
            // Model code that fails is the user's to fix now; other code (loading data,
            // plotting) only if the model comes to use what it computes.
            Err(err) if self.touches_graph(toks) => return Err(err),
            Err(err) => FVal::Failed(err),
        };
        let mut start = 0;
        for &eq in &eqs {
            let target = strip_annotation(&toks[start..eq]);
            start = eq + 1;
            let Some(names) = target_names(target) else {
                self.clobber(target);
                continue;
            };
            {
                let at = target.first().map_or(pos, |t| t.pos);
                match (&value, &names) {
                    (FVal::Failed(_), Names::Many(ns)) => {
                        for n in flat_names(ns) {
                            self.bind(&n, value.clone());
                        }
                    }
                    _ => self.unpack(&names, value.clone(), at)?,
                }
            }
        }
        Ok(())
    }

    /// `x += y`: as `x = x + y` for the operators arithmetic has.
    fn augmented(&mut self, toks: &[Token], at: usize, t: &Token, end: Pos) -> Result<(), Located> {
        let op = match t.tok {
            Tok::Op("+=") => Some("+"),
            Tok::Op("-=") => Some("-"),
            Tok::Op("*=") => Some("*"),
            Tok::Op("/=") => Some("/"),
            Tok::Op("//=") => Some("//"),
            Tok::Op("%=") => Some("%"),
            Tok::Op("**=") => Some("**"),
            _ => None,
        };
        let target = &toks[..at];
        let result = match (op, target_names(target)) {
            (Some(op), Some(Names::One(name))) => parser::expression(target, end)
                .and_then(|left| {
                    let right = parser::expression(&toks[at + 1..], end)?;
                    self.chain(&left, &[(op, t.pos, right)])
                })
                .map(|v| (name, v)),
            _ => Err(Located::new(
                t.pos,
                format!(
                    "expected a plain assignment (`x = x + y`); got `{}` on this target, which lstm-tui does not follow",
                    describe_op(&t.tok)
                ),
            )),
        };
        match result {
            Ok((name, v)) => self.bind(&name, v),
            Err(err) if self.touches_graph(toks) => return Err(err),
            Err(err) => match target_names(target) {
                Some(names) => {
                    for n in flat_names(std::slice::from_ref(&names)) {
                        self.bind(&n, FVal::Failed(err.clone()));
                    }
                }
                None => self.clobber(target),
            },
        }
        Ok(())
    }

    /// `a[0] = ...` or `a.b = ...` changes `a` in a way not followed: from here on, a use of
    /// `a` says so rather than reading the value it had.
    fn clobber(&mut self, target: &[Token]) {
        if let Some(Token {
            tok: Tok::Name(n),
            pos,
        }) = target.first()
        {
            let why = Located::new(
                *pos,
                format!(
                    "expected a value lstm-tui can tell; `{n}` is changed here in a way it does not follow (write the value it should have)"
                ),
            );
            self.bind(n, FVal::Failed(why));
        }
    }

    /// `model.compile(...)`, `model.summary()`, `print(...)`: nothing the model depends on.
    /// Any other expression is run for what it builds; its errors count only when it touches
    /// tensors, layers or functions.
    fn expression_statement(&mut self, toks: &[Token], end: Pos) -> Result<(), Located> {
        let e = parser::expression(toks, end);
        let Ok(e) = e else {
            return Ok(());
        };
        if let ExprKind::Call(callee, _) = &e.kind {
            let root = eval::dotted(callee);
            if let Some(path) = root {
                let on_model =
                    path.len() > 1 && matches!(self.lookup(&path[0]), Some(FVal::Model(_)));
                if on_model || path == ["print"] {
                    return Ok(());
                }
            }
        }
        match self.value(&e) {
            Ok(_) => Ok(()),
            Err(err) if self.touches_graph(toks) => Err(err),
            Err(_) => Ok(()),
        }
    }

    /// Whether a statement builds or uses the model: a call on a call (`Dense(8)(x)`),
    /// `Input`/`Model`, or a name bound to a tensor, layer or function.
    pub fn touches_graph(&self, toks: &[Token]) -> bool {
        toks.windows(2)
            .any(|w| w[0].tok == Tok::Op(")") && w[1].tok == Tok::Op("("))
            || toks.iter().any(|t| match &t.tok {
                Tok::Name(n) if n == "Model" || n == "Input" => true,
                Tok::Name(n) => matches!(
                    self.lookup(n),
                    Some(FVal::Tensor(_) | FVal::Layer(_) | FVal::Seq(_) | FVal::Func(_))
                ),
                _ => false,
            })
    }
}

/// Assignment and loop targets: a name, or names to unpack (nested as written).
#[derive(Debug, Clone)]
pub enum Names {
    /// `x`.
    One(String),
    /// `a, b` or `(a, (b, c))`.
    Many(Vec<Names>),
}

pub fn flat_names(ns: &[Names]) -> Vec<String> {
    let mut out = Vec::new();
    for n in ns {
        match n {
            Names::One(s) => out.push(s.clone()),
            Names::Many(inner) => out.extend(flat_names(inner)),
        }
    }
    out
}

/// The names a target binds; `None` for targets that are not names (`a[0] = ...`).
pub fn target_names(toks: &[Token]) -> Option<Names> {
    let parts: Vec<&[Token]> = parser::split_top(toks, ",")
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    let several =
        parts.len() > 1 || toks.iter().any(|t| t.tok == Tok::Op(",")) && !parts.is_empty();
    let one = |p: &[Token]| -> Option<Names> {
        match p {
            [
                Token {
                    tok: Tok::Name(n), ..
                },
            ] if !parser::is_keyword(n) => Some(Names::One(n.clone())),
            [
                Token {
                    tok: Tok::Op("(" | "["),
                    ..
                },
                inner @ ..,
                Token {
                    tok: Tok::Op(")" | "]"),
                    ..
                },
            ] => match target_names(inner)? {
                Names::One(n) => Some(Names::Many(vec![Names::One(n)])),
                many => Some(many),
            },
            _ => None,
        }
    };
    if several {
        parts
            .into_iter()
            .map(one)
            .collect::<Option<Vec<_>>>()
            .map(Names::Many)
    } else {
        let [p] = parts.as_slice() else {
            return None;
        };
        one(p)
    }
}

fn stmt_pos(stmt: &Stmt) -> Pos {
    match stmt {
        Stmt::Simple(toks) => toks.first().map(|t| t.pos).unwrap_or_default(),
        Stmt::Def { pos, .. }
        | Stmt::For { pos, .. }
        | Stmt::Return(_, pos)
        | Stmt::Other { pos, .. }
        | Stmt::TooDeep(pos) => *pos,
        Stmt::Skip => Pos::default(),
    }
}

fn describe_op(tok: &Tok) -> &'static str {
    match tok {
        Tok::Op(o) => o,
        _ => "?",
    }
}

/// Tokens with no bracket open around them, with their indices.
pub fn top_level(toks: &[Token]) -> impl Iterator<Item = (usize, &Token)> {
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

/// `x: int` → `x`.
pub fn strip_annotation(target: &[Token]) -> &[Token] {
    match top_level(target).find(|(_, t)| t.tok == Tok::Op(":")) {
        Some((i, _)) => &target[..i],
        None => target,
    }
}
