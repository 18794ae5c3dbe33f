//! Expression trees to values, without running anything: literals, names assigned earlier,
//! arithmetic on them, and the Keras calls a model is written with (layers, regularizers).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value as Json, json};

use super::fstring;
use super::parser::{Arg, Expr, ExprKind, Index, Piece};
use super::signatures::{self, KeyKind};
use crate::model::layers::{ACTIVATIONS, checked_factor};
use crate::model::{Located, Pos};

/// Most items a value may hold, nested ones included, and the longest string arithmetic may
/// build: `(0,) * n` or tuples of tuples of names cannot eat the memory.
const MAX_LEN: usize = 10_000;

/// How an error at an assignment says where the name was used.
const USE_NOTE: &str = " is assigned here and used at line ";

/// Deepest nesting of tuples and wrapped layers a value may have.
const MAX_NESTING: usize = 32;

/// A value the snippet computes.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A Python int (wide enough for any size a model has; larger ones are refused).
    Int(i128),
    /// A Python float.
    Float(f64),
    /// A string.
    Str(String),
    /// `True` / `False`.
    Bool(bool),
    /// `None`.
    None,
    /// A tuple or list.
    Seq(Vec<Value>),
    /// A Keras object written as its config (`{"class_name": "L2", "config": {...}}`):
    /// regularizers, initializers, constraints.
    Object(Json),
    /// A layer constructor call.
    Layer(Box<LayerCall>),
}

/// `LSTM(64, return_sequences=True)` with its arguments resolved to keywords.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerCall {
    /// Keras class name.
    pub class: String,
    /// Where the call starts.
    pub pos: Pos,
    /// Keyword, value and where the argument is written, in source order.
    pub args: Vec<(String, Value, Pos)>,
}

impl LayerCall {
    /// The argument for `key`, if given.
    pub fn get(&self, key: &str) -> Option<(&Value, Pos)> {
        self.args
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, p)| (v, *p))
    }

    /// The call as Keras' `get_config()` would hold it: keywords to JSON values, without the
    /// keywords in `skip`.
    pub fn config(&self, skip: &[&str]) -> Result<Map<String, Json>, Located> {
        let mut map = Map::new();
        for (key, value, pos) in &self.args {
            if !skip.contains(&key.as_str()) {
                map.insert(key.clone(), value.to_json(*pos)?);
            }
        }
        Ok(map)
    }
}

impl Value {
    /// How the value reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            Value::Int(i) => format!("the number {i}"),
            Value::Float(f) => format!("the number {f:?}"),
            Value::Str(s) => format!("the string {s:?}"),
            Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            Value::None => "None".into(),
            Value::Seq(_) => "a tuple or list".into(),
            Value::Object(o) => match o.get("class_name").and_then(Json::as_str) {
                Some(c) => format!("a `{c}` object"),
                None => "an object".into(),
            },
            Value::Layer(l) => format!("the layer `{}(...)`", l.class),
        }
    }

    /// The number of items in the value, nested ones included, if it is at most `budget` and
    /// nested at most `depth` deep.
    pub fn within(&self, budget: usize, depth: usize) -> Option<usize> {
        let children: Box<dyn Iterator<Item = &Value>> = match self {
            Value::Seq(items) => Box::new(items.iter()),
            Value::Layer(l) => Box::new(l.args.iter().map(|(_, v, _)| v)),
            _ => return Some(1),
        };
        let depth = depth.checked_sub(1)?;
        let mut used = 1usize;
        for child in children {
            used = used.checked_add(child.within(budget.checked_sub(used)?, depth)?)?;
            if used > budget {
                return None;
            }
        }
        Some(used)
    }

    /// The value in Keras' config spelling. `pos` locates errors.
    pub fn to_json(&self, pos: Pos) -> Result<Json, Located> {
        Ok(match self {
            Value::Int(i) => {
                if let Ok(u) = u64::try_from(*i) {
                    json!(u)
                } else if let Ok(s) = i64::try_from(*i) {
                    json!(s)
                } else {
                    return Err(Located::new(
                        pos,
                        format!("expected a number that fits in 64 bits; got {i}"),
                    ));
                }
            }
            Value::Float(f) => match serde_json::Number::from_f64(*f) {
                Some(n) => Json::Number(n),
                None => {
                    return Err(Located::new(
                        pos,
                        format!("expected a finite number; got {f}"),
                    ));
                }
            },
            Value::Str(s) => json!(s),
            Value::Bool(b) => json!(b),
            Value::None => Json::Null,
            Value::Seq(items) => Json::Array(
                items
                    .iter()
                    .map(|v| v.to_json(pos))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(o) => o.clone(),
            Value::Layer(l) => json!({
                "module": "keras.layers",
                "class_name": l.class,
                "config": l.config(&[])?,
                "registered_name": null,
            }),
        })
    }
}

/// What a name is bound to at some point of the snippet.
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    /// A value computed from its assignment.
    Value(Value),
    /// The assignment could not be evaluated: the error is reported only if the name is used.
    Failed(Located),
    /// A Sequential model (index into the models found).
    Model(usize),
    /// Assigned in a way the importer does not follow; the text says how (`is changed by
    /// \`+=\` at line 4`).
    Opaque(String),
}

/// Why `*value` cannot be spread into a tuple or list, `got` being what the value is.
pub fn not_unpackable(pos: Pos, got: &str) -> Located {
    Located::new(
        pos,
        format!("expected a tuple or list after `*`, whose items it spreads; got {got}"),
    )
}

/// Evaluates expressions against the names bound so far.
pub struct Eval<'a> {
    /// Names bound so far.
    pub env: &'a HashMap<String, Binding>,
}

impl Eval<'_> {
    /// Evaluates `e`; `expect` says what the place it is written in takes.
    pub fn eval(&self, e: &Expr, expect: &str) -> Result<Value, Located> {
        let v = self.eval_unbounded(e, expect)?;
        if v.within(MAX_LEN, MAX_NESTING).is_none() {
            return Err(too_large(e.pos));
        }
        Ok(v)
    }

    fn eval_unbounded(&self, e: &Expr, expect: &str) -> Result<Value, Located> {
        let fail = |got: String| Err(Located::new(e.pos, format!("expected {expect}; got {got}")));
        match &e.kind {
            ExprKind::Number(text) => number(text, e.pos),
            ExprKind::Str(text) => Ok(Value::Str(text.clone())),
            ExprKind::Format(pieces) => self.format(pieces),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::None => Ok(Value::None),
            ExprKind::Name(name) => self.name(name, e.pos, expect),
            ExprKind::Attr(..) => {
                let path = dotted(e).unwrap_or_default();
                if let Some(activation) = activation_function(&path) {
                    return Ok(Value::Str(activation.to_string()));
                }
                let hint = if path.last().is_some_and(|p| p == "shape") {
                    ", which depends on data lstm-tui does not load: write the numbers"
                } else {
                    ""
                };
                fail(format!("`{}`{hint}", shown(e)))
            }
            ExprKind::Call(callee, args) => self.call(e, callee, args, expect),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    match &item.kind {
                        ExprKind::Starred(inner) => match self.eval(inner, expect)? {
                            Value::Seq(spread) => values.extend(spread),
                            other => return Err(not_unpackable(item.pos, &other.describe())),
                        },
                        _ => values.push(self.eval(item, expect)?),
                    }
                }
                Ok(Value::Seq(values))
            }
            ExprKind::Starred(_) => fail("an unpacking `*` outside a tuple or list".into()),
            ExprKind::Unary(op, inner) => {
                let v = self.eval(inner, expect)?;
                unary(op, v).or_else(|got| fail(format!("`{op}` applied to {got}")))
            }
            ExprKind::Chain(first, rest) => self.chain(first, rest, expect),
            ExprKind::Subscript(base, index) => {
                let v = self.eval(base, expect)?;
                self.subscript(v, index, e.pos, expect)
            }
            ExprKind::Compare(first, rest) => {
                let mut left = self.eval(first, expect)?;
                // Python stops at the first comparison that fails: `a < b < c`.
                for (op, pos, operand) in rest {
                    let right = self.eval(operand, expect)?;
                    if !compare(op, &left, &right).map_err(|why| Located::new(*pos, why))? {
                        return Ok(Value::Bool(false));
                    }
                    left = right;
                }
                Ok(Value::Bool(true))
            }
            ExprKind::Not(inner) => Ok(Value::Bool(!truthy(&self.eval(inner, expect)?))),
            ExprKind::Logic(op, operands) => {
                // Python gives the operand that decides, and reads none after it.
                let mut last = Value::None;
                for operand in operands {
                    last = self.eval(operand, expect)?;
                    if truthy(&last) == (*op == "or") {
                        break;
                    }
                }
                Ok(last)
            }
            ExprKind::IfElse {
                then,
                condition,
                otherwise,
            } => {
                if truthy(&self.eval(condition, expect)?) {
                    self.eval(then, expect)
                } else {
                    self.eval(otherwise, expect)
                }
            }
            ExprKind::Unsupported(what) => fail(format!(
                "{what}, which lstm-tui does not evaluate (it never runs the code)"
            )),
        }
    }

    /// `a + b - c`, left to right. The size of the value so far is tracked rather than
    /// recounted after each operator, so a chain costs time in proportion to its length.
    fn chain(
        &self,
        first: &Expr,
        rest: &[(&'static str, Pos, Expr)],
        expect: &str,
    ) -> Result<Value, Located> {
        let mut value = self.eval(first, expect)?;
        let mut size = value.within(MAX_LEN, MAX_NESTING);
        for (op, pos, operand) in rest {
            let right = self.eval(operand, expect)?;
            let right_size = right.within(MAX_LEN, MAX_NESTING);
            let joined = matches!((&value, &right), (Value::Seq(_), Value::Seq(_))) && *op == "+";
            value = binary(op, value, right).map_err(|why| Located::new(*pos, why))?;
            size = match (joined, &value) {
                // Both tuples' items, under one tuple instead of two.
                (true, _) => size
                    .zip(right_size)
                    .and_then(|(a, b)| (a + b).checked_sub(1)),
                (false, Value::Seq(_)) => value.within(MAX_LEN, MAX_NESTING),
                (false, _) => Some(1),
            };
            if size.is_none_or(|s| s > MAX_LEN) {
                return Err(too_large(*pos));
            }
        }
        Ok(value)
    }

    /// An f-string's value: its text with each field's value formatted in its place.
    fn format(&self, pieces: &[Piece]) -> Result<Value, Located> {
        let mut out = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Field { expr, spec } => {
                    let value = self.eval_unbounded(expr, "a value for this f-string's field")?;
                    let text =
                        fstring::format(&value, spec).map_err(|why| Located::new(expr.pos, why))?;
                    out.push_str(&text);
                }
            }
        }
        Ok(Value::Str(out))
    }

    fn name(&self, name: &str, pos: Pos, expect: &str) -> Result<Value, Located> {
        let fail = |got: String| Err(Located::new(pos, format!("expected {expect}; got {got}")));
        match self.env.get(name) {
            Some(Binding::Value(v)) => Ok(v.clone()),
            // The note names the first use only, so a chain of names keeps the message short.
            Some(Binding::Failed(err)) if err.message.contains(USE_NOTE) => Err(err.clone()),
            Some(Binding::Failed(err)) => Err(Located {
                message: format!(
                    "{} (`{name}`{USE_NOTE}{}, column {})",
                    err.message, pos.line, pos.column
                ),
                ..err.clone()
            }),
            Some(Binding::Model(_)) => fail(format!("the model `{name}`")),
            Some(Binding::Opaque(how)) => fail(format!("`{name}`, which {how}")),
            None if signatures::positional(name).is_some() => fail(format!(
                "the class `{name}` itself; call it, e.g. `{name}(...)`"
            )),
            None => fail(format!(
                "`{name}`, which is not assigned earlier in the snippet"
            )),
        }
    }

    fn call(&self, e: &Expr, callee: &Expr, args: &[Arg], expect: &str) -> Result<Value, Located> {
        let Some(path) = dotted(callee) else {
            if let ExprKind::Call(inner, _) = &callee.kind {
                if dotted(inner)
                    .and_then(|p| p.last().cloned())
                    .is_some_and(|c| signatures::positional(&c).is_some())
                {
                    return Err(Located::new(
                        e.pos,
                        format!(
                            "expected {expect}; got a layer applied to a tensor (`{}`): that is Keras' functional API, and lstm-tui imports Sequential models",
                            shown(e)
                        ),
                    ));
                }
            }
            return Err(Located::new(
                e.pos,
                format!("expected {expect}; got the call `{}`", shown(e)),
            ));
        };
        // A name whose definition could not be read (a custom layer's class) says why.
        if let [name] = path.as_slice() {
            if let Some(Binding::Failed(err)) = self.env.get(name) {
                return Err(err.clone());
            }
        }
        let class = path.last().map(String::as_str).unwrap_or_default();
        let module = &path[..path.len().saturating_sub(1)];
        if signatures::positional(class).is_some() {
            return self
                .layer(class, e.pos, args)
                .map(|l| Value::Layer(Box::new(l)));
        }
        if module.last().is_none_or(|m| m == "regularizers") {
            if let Some(reg) = signatures::regularizer(class) {
                return self.regularizer(reg, args);
            }
        }
        if module
            .iter()
            .any(|m| m == "initializers" || m == "constraints")
        {
            let mut config = Map::new();
            for arg in args {
                if let Some(k) = &arg.keyword {
                    config.insert(k.clone(), self.eval(&arg.value, expect)?.to_json(arg.pos)?);
                }
            }
            return Ok(Value::Object(
                json!({ "class_name": class, "config": config }),
            ));
        }
        // Python's `len` of a tuple, a list or a string the code spells out.
        if path == ["len"] && !self.env.contains_key("len") {
            if let [
                Arg {
                    keyword: None,
                    value,
                    ..
                },
            ] = args
            {
                return match self.eval(value, "a tuple, a list or a string")? {
                    Value::Seq(items) => Ok(Value::Int(items.len() as i128)),
                    Value::Str(text) => Ok(Value::Int(text.chars().count() as i128)),
                    other => Err(Located::new(
                        value.pos,
                        format!(
                            "expected a tuple, a list or a string in `len(...)`; got {}",
                            other.describe()
                        ),
                    )),
                };
            }
        }
        if class == "Sequential" {
            return Err(Located::new(
                e.pos,
                format!(
                    "expected {expect}; got a Sequential model (lstm-tui imports one model, not models nested in others)"
                ),
            ));
        }
        if expect == KeyKind::Layer.expected() && class.starts_with(char::is_uppercase) {
            return Err(Located::new(
                callee.pos,
                format!("unknown layer class `{class}`: expected a Keras layer such as LSTM(64)"),
            ));
        }
        Err(Located::new(
            e.pos,
            format!(
                "expected {expect}; got function call `{}`: {}",
                shown(e),
                unmodelled_call_fix(class)
            ),
        ))
    }

    /// A layer constructor: positional arguments named by Keras' parameter order, each value
    /// checked against what its keyword takes.
    pub fn layer(&self, class: &str, pos: Pos, args: &[Arg]) -> Result<LayerCall, Located> {
        let params = signatures::graph_positional(class).unwrap_or_default();
        let mut call = LayerCall {
            class: class.to_string(),
            pos,
            args: Vec::new(),
        };
        // A set, so a call with tens of thousands of keywords is checked in linear time.
        let mut seen = HashSet::new();
        for (i, arg) in args.iter().enumerate() {
            let key = match &arg.keyword {
                Some(k) => k.clone(),
                None => match params.get(i) {
                    Some(k) if args[..i].iter().all(|a| a.keyword.is_none()) => (*k).to_string(),
                    Some(_) => {
                        return Err(Located::new(
                            arg.pos,
                            "expected a keyword argument (`name=value`) after keyword arguments; got a positional one",
                        ));
                    }
                    None => {
                        return Err(Located::new(
                            arg.pos,
                            format!(
                                "expected at most {} positional argument{} for {class} ({}); got another",
                                params.len(),
                                if params.len() == 1 { "" } else { "s" },
                                params.join(", ")
                            ),
                        ));
                    }
                },
            };
            if !seen.insert(key.clone()) {
                return Err(Located::new(
                    arg.pos,
                    format!("expected each argument once; got `{key}` again"),
                ));
            }
            let kind = KeyKind::of(class, &key);
            let value = match self.eval(&arg.value, kind.expected()) {
                Ok(v) => v,
                // Initializers, constraints and seeds shape training, not the design, which does
                // not hold them: whatever they are written as, they cannot change the import.
                Err(_) if is_training_only(&key) => continue,
                Err(e) => return Err(e),
            };
            let value = check(kind, value).map_err(|got| {
                Located::new(
                    arg.value.pos,
                    format!("expected {} for `{key}`; got {got}", kind.expected()),
                )
            })?;
            call.args.push((key, value, arg.value.pos));
        }
        Ok(call)
    }

    fn regularizer(&self, reg: signatures::Regularizer, args: &[Arg]) -> Result<Value, Located> {
        let params = reg.parameters();
        let mut values: Vec<(&str, f64)> = params.to_vec();
        for (i, arg) in args.iter().enumerate() {
            let slot = match &arg.keyword {
                Some(k) => values.iter().position(|(name, _)| name == k),
                None => (i < values.len()).then_some(i),
            };
            let Some(slot) = slot else {
                let names: Vec<&str> = params.iter().map(|(n, _)| *n).collect();
                return Err(Located::new(
                    arg.pos,
                    format!(
                        "expected the arguments of {}: {}",
                        reg.class(),
                        names.join(", ")
                    ),
                ));
            };
            let expect = "a number such as 0.01";
            let factor = match self.eval(&arg.value, expect)? {
                Value::Int(i) => i as f64,
                Value::Float(f) => f,
                other => {
                    return Err(Located::new(
                        arg.value.pos,
                        format!("expected {expect}; got {}", other.describe()),
                    ));
                }
            };
            values[slot].1 = checked_factor(values[slot].0, factor)
                .map_err(|why| Located::new(arg.value.pos, why))?;
        }
        let mut config = Map::new();
        for (name, factor) in values {
            config.insert(name.to_string(), json!(factor));
        }
        Ok(Value::Object(json!({
            "module": "keras.regularizers",
            "class_name": reg.class(),
            "config": config,
            "registered_name": null,
        })))
    }

    fn subscript(
        &self,
        base: Value,
        index: &[Index],
        pos: Pos,
        expect: &str,
    ) -> Result<Value, Located> {
        let fail = |what: &str| Err(Located::new(pos, format!("expected {expect}; got {what}")));
        let Value::Seq(items) = base else {
            return fail(&format!("an index into {}", base.describe()));
        };
        let [one] = index else {
            return fail("an index with several parts");
        };
        let int = |e: &Option<Expr>| -> Result<Option<i128>, Located> {
            match e {
                None => Ok(None),
                Some(e) => match self.eval(e, "a whole number")? {
                    Value::Int(i) => Ok(Some(i)),
                    other => Err(Located::new(
                        e.pos,
                        format!("expected a whole number; got {}", other.describe()),
                    )),
                },
            }
        };
        let len = items.len() as i128;
        let clamp = |i: i128| if i < 0 { (i + len).max(0) } else { i.min(len) };
        match one {
            Index::At(e) => {
                let i = int(&Some(e.clone()))?.unwrap_or_default();
                let at = if i < 0 { i + len } else { i };
                match usize::try_from(at).ok().and_then(|at| items.get(at)) {
                    Some(v) => Ok(v.clone()),
                    None => fail(&format!("index {i} of a sequence of {len}")),
                }
            }
            Index::Slice(start, stop, None) => {
                let a = int(start)?.map_or(0, clamp);
                let b = int(stop)?.map_or(len, clamp);
                let (a, b) = (a as usize, (b as usize).max(a as usize));
                Ok(Value::Seq(items.get(a..b).unwrap_or_default().to_vec()))
            }
            Index::Slice(_, _, Some(_)) => fail("a slice with a step"),
        }
    }
}

fn too_large(pos: Pos) -> Located {
    Located::new(
        pos,
        format!(
            "expected a value of at most {MAX_LEN} items nested at most {MAX_NESTING} deep; got a larger one"
        ),
    )
}

/// Keywords that only affect training: how weights start, what they are clipped to, seeds.
fn is_training_only(key: &str) -> bool {
    key.ends_with("_initializer") || key.ends_with("_constraint") || key == "seed"
}

/// Checks a keyword's value, converting the shorthand forms Keras accepts (`'l2'` for
/// `L2(0.01)`). The error is the description of what was found.
fn check(kind: KeyKind, value: Value) -> Result<Value, String> {
    let ok = match (&kind, &value) {
        (KeyKind::Any, _) => true,
        (KeyKind::Count, Value::Int(i)) => *i >= 0,
        (KeyKind::Number, Value::Int(_) | Value::Float(_)) => true,
        (KeyKind::Bool, Value::Bool(_)) => true,
        (KeyKind::Text | KeyKind::Activation, Value::Str(_) | Value::None) => true,
        (KeyKind::Shape, Value::Seq(items)) => items
            .iter()
            .all(|d| matches!(d, Value::None) || matches!(d, Value::Int(i) if *i >= 0)),
        (KeyKind::TargetShape, Value::Seq(items)) => {
            items.iter().all(|d| matches!(d, Value::Int(i) if *i >= -1))
        }
        (KeyKind::IntOrTuple, Value::Int(i)) => *i >= 0,
        (KeyKind::IntOrTuple, Value::Seq(items)) => {
            items.iter().all(|d| matches!(d, Value::Int(i) if *i >= 0))
        }
        (KeyKind::Regularizer, Value::None) => true,
        (KeyKind::Regularizer, Value::Object(o)) => {
            o.get("module") == Some(&json!("keras.regularizers"))
        }
        (KeyKind::Regularizer, Value::Str(s)) => {
            if let Some(reg) =
                signatures::regularizer(s).filter(|r| *r != signatures::Regularizer::L1L2)
            {
                let mut config = Map::new();
                for (name, factor) in reg.parameters() {
                    config.insert((*name).to_string(), json!(factor));
                }
                return Ok(Value::Object(json!({
                    "module": "keras.regularizers",
                    "class_name": reg.class(),
                    "config": config,
                    "registered_name": null,
                })));
            }
            false
        }
        (KeyKind::Layer, Value::Layer(_)) => true,
        _ => false,
    };
    if ok {
        Ok(value)
    } else {
        Err(match (kind, &value) {
            (KeyKind::Count | KeyKind::IntOrTuple, Value::Int(i)) if *i < 0 => {
                format!("the negative number {i}")
            }
            (KeyKind::TargetShape, Value::Seq(items)) => match below(items, -1) {
                Some(i) => format!("a tuple holding the negative size {i} (only -1 is allowed)"),
                None => "a tuple holding something other than whole numbers and -1".into(),
            },
            (KeyKind::Shape | KeyKind::IntOrTuple, Value::Seq(items)) => match below(items, 0) {
                Some(i) => format!("a tuple holding the negative size {i}"),
                None => "a tuple holding something other than whole numbers and None".into(),
            },
            _ => value.describe(),
        })
    }
}

/// The first whole number in `items` below `min`.
fn below(items: &[Value], min: i128) -> Option<i128> {
    items.iter().find_map(|d| match d {
        Value::Int(i) if *i < min => Some(*i),
        _ => None,
    })
}

/// A numeric literal's value.
fn number(text: &str, pos: Pos) -> Result<Value, Located> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let radix = [("0x", 16), ("0o", 8), ("0b", 2)]
        .into_iter()
        .find(|(p, _)| lower.starts_with(p));
    let parsed = match radix {
        Some((p, r)) => i128::from_str_radix(&lower[p.len()..], r)
            .ok()
            .map(Value::Int),
        None if lower.ends_with('j') => {
            return Err(Located::new(
                pos,
                format!("expected a real number; got the complex number {text}"),
            ));
        }
        None if lower.contains(['.', 'e']) => lower.parse::<f64>().ok().map(Value::Float),
        None => lower.parse::<i128>().ok().map(Value::Int),
    };
    parsed.ok_or_else(|| {
        Located::new(
            pos,
            format!("expected a number lstm-tui can hold; got {text}"),
        )
    })
}

/// The most turns a loop the importer runs may take.
pub const MAX_TRIPS: i128 = 10_000;

/// The numbers `range(...)` with these `bounds` goes through, or why the importer does not
/// run it: bounds Python refuses, or more than [`MAX_TRIPS`] numbers.
pub fn range_items(bounds: &[i128]) -> Result<Vec<i128>, String> {
    let (start, stop, step) = match bounds {
        [stop] => (0, *stop, 1),
        [start, stop] => (*start, *stop, 1),
        [start, stop, step] if *step != 0 => (*start, *stop, *step),
        _ => {
            return Err("expected `range(stop)`, `range(start, stop)` or `range(start, stop, step)` with a step other than 0".into());
        }
    };
    let trips = if step > 0 {
        (stop - start + step - 1).div_euclid(step)
    } else {
        (start - stop - step - 1).div_euclid(-step)
    }
    .max(0);
    if trips > MAX_TRIPS {
        return Err(format!(
            "expected a loop of at most {MAX_TRIPS} rounds; got {trips}"
        ));
    }
    Ok((0..trips).map(|k| start + k * step).collect())
}

/// Python's truth value of `v`: zero, empty and `None` are false.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::Bool(b) => *b,
        Value::None => false,
        Value::Seq(items) => !items.is_empty(),
        Value::Object(_) | Value::Layer(_) => true,
    }
}

/// Python's `a op b` for a comparison (`<`, `==`, `is`, `in`, ...), or why these values do
/// not compare.
pub fn compare(op: &str, a: &Value, b: &Value) -> Result<bool, String> {
    match op {
        "==" => Ok(equal(a, b)),
        "!=" => Ok(!equal(a, b)),
        "is" | "is not" => match (a, b) {
            (Value::None | Value::Bool(_), _) | (_, Value::None | Value::Bool(_)) => {
                let same = match (a, b) {
                    (Value::None, Value::None) => true,
                    (Value::Bool(x), Value::Bool(y)) => x == y,
                    _ => false,
                };
                Ok(same == (op == "is"))
            }
            _ => Err(format!(
                "expected `{op}` beside None, True or False; got {} and {}: compare values with `==`",
                a.describe(),
                b.describe()
            )),
        },
        "in" | "not in" => {
            let found = match (a, b) {
                (_, Value::Seq(items)) => items.iter().any(|i| equal(a, i)),
                (Value::Str(x), Value::Str(s)) => s.contains(x.as_str()),
                _ => {
                    return Err(format!(
                        "expected a tuple, a list or a string after `{op}`; got {}",
                        b.describe()
                    ));
                }
            };
            Ok(found == (op == "in"))
        }
        _ => {
            let order = ordering(a, b).ok_or_else(|| {
                format!(
                    "expected two numbers, two strings or two tuples beside `{op}`; got {} and {}",
                    a.describe(),
                    b.describe()
                )
            })?;
            Ok(match op {
                "<" => order.is_lt(),
                ">" => order.is_gt(),
                "<=" => order.is_le(),
                _ => order.is_ge(),
            })
        }
    }
}

/// A number as Python compares it (`True` is 1): whole numbers exactly, others as floats.
enum Num {
    /// An int or a bool.
    Whole(i128),
    /// A float.
    Real(f64),
}

fn as_num(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::Whole(*i)),
        Value::Bool(b) => Some(Num::Whole(i128::from(*b))),
        Value::Float(f) => Some(Num::Real(*f)),
        _ => None,
    }
}

/// Python's `==`: numbers by value across int, float and bool; sequences item by item.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        _ => match (as_num(a), as_num(b)) {
            (Some(_), Some(_)) => ordering(a, b).is_some_and(|o| o.is_eq()),
            _ => a == b,
        },
    }
}

/// Python's order of two numbers, two strings or two sequences (item by item); `None` for
/// values Python does not order (or a NaN).
fn ordering(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Seq(x), Value::Seq(y)) => {
            for (p, q) in x.iter().zip(y) {
                if !equal(p, q) {
                    return ordering(p, q);
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => match (as_num(a)?, as_num(b)?) {
            (Num::Whole(x), Num::Whole(y)) => Some(x.cmp(&y)),
            (Num::Whole(x), Num::Real(y)) => (x as f64).partial_cmp(&y),
            (Num::Real(x), Num::Whole(y)) => x.partial_cmp(&(y as f64)),
            (Num::Real(x), Num::Real(y)) => x.partial_cmp(&y),
        },
    }
}

pub fn unary(op: &str, v: Value) -> Result<Value, String> {
    match (op, v) {
        ("-", Value::Int(i)) => i.checked_neg().map(Value::Int).ok_or_else(|| i.to_string()),
        ("-", Value::Float(f)) => Ok(Value::Float(-f)),
        ("+", v @ (Value::Int(_) | Value::Float(_))) => Ok(v),
        ("~", Value::Int(i)) => Ok(Value::Int(!i)),
        (_, v) => Err(v.describe()),
    }
}

pub fn binary(op: &str, a: Value, b: Value) -> Result<Value, String> {
    let too_big = || format!("expected a result that fits; `{op}` overflows");
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => match op {
            "+" => x.checked_add(y).map(Value::Int).ok_or_else(too_big),
            "-" => x.checked_sub(y).map(Value::Int).ok_or_else(too_big),
            "*" => x.checked_mul(y).map(Value::Int).ok_or_else(too_big),
            "//" | "%" if y == 0 => Err("expected a divisor other than 0; got 0".into()),
            "//" => floor_div(x, y).map(Value::Int).ok_or_else(too_big),
            "%" => floor_div(x, y)
                .and_then(|q| y.checked_mul(q))
                .and_then(|m| x.checked_sub(m))
                .map(Value::Int)
                .ok_or_else(too_big),
            "/" if y == 0 => Err("expected a divisor other than 0; got 0".into()),
            "/" => Ok(Value::Float(x as f64 / y as f64)),
            "**" if y < 0 => Ok(Value::Float((x as f64).powf(y as f64))),
            "**" => u32::try_from(y)
                .ok()
                .and_then(|y| x.checked_pow(y))
                .map(Value::Int)
                .ok_or_else(too_big),
            _ => Err(format!("expected arithmetic (+ - * / // % **); got `{op}`")),
        },
        (a @ (Value::Int(_) | Value::Float(_)), b @ (Value::Int(_) | Value::Float(_))) => {
            let (x, y) = (float(&a), float(&b));
            Ok(Value::Float(match op {
                "+" => x + y,
                "-" => x - y,
                "*" => x * y,
                "/" if y == 0.0 => return Err("expected a divisor other than 0; got 0".into()),
                "/" => x / y,
                "**" => x.powf(y),
                "//" if y != 0.0 => (x / y).floor(),
                "%" if y != 0.0 => x - y * (x / y).floor(),
                _ => {
                    return Err(format!(
                        "expected arithmetic lstm-tui can do; got `{op}` on these numbers"
                    ));
                }
            }))
        }
        (Value::Seq(mut x), Value::Seq(y)) if op == "+" => {
            if x.len() + y.len() > MAX_LEN {
                return Err(format!("expected at most {MAX_LEN} items; got more"));
            }
            x.extend(y);
            Ok(Value::Seq(x))
        }
        (Value::Str(mut x), Value::Str(y)) if op == "+" => {
            if x.len() + y.len() > MAX_LEN {
                return Err(format!(
                    "expected a string of at most {MAX_LEN} bytes; got more"
                ));
            }
            x.push_str(&y);
            Ok(Value::Str(x))
        }
        (Value::Seq(x), Value::Int(n)) | (Value::Int(n), Value::Seq(x)) if op == "*" => {
            let n = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
            if x.is_empty() {
                return Ok(Value::Seq(x));
            }
            let per_copy = x.iter().try_fold(0usize, |acc, v| {
                acc.checked_add(v.within(MAX_LEN, MAX_NESTING)?)
            });
            if per_copy.is_none_or(|p| p.saturating_mul(n) > MAX_LEN) {
                return Err(format!("expected at most {MAX_LEN} items; got more"));
            }
            let mut out = Vec::with_capacity(x.len().saturating_mul(n));
            for _ in 0..n {
                out.extend(x.iter().cloned());
            }
            Ok(Value::Seq(out))
        }
        (a, b) => Err(format!(
            "expected numbers (or tuples with `+`); got `{op}` between {} and {}",
            a.describe(),
            b.describe()
        )),
    }
}

/// Python's `//`: rounds toward negative infinity.
fn floor_div(x: i128, y: i128) -> Option<i128> {
    let q = x.checked_div(y)?;
    let r = x.checked_rem(y)?;
    if r != 0 && ((r < 0) != (y < 0)) {
        q.checked_sub(1)
    } else {
        Some(q)
    }
}

fn float(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

/// `keras.layers.Dense` as `["keras", "layers", "Dense"]`; `None` if not a dotted name.
pub fn dotted(e: &Expr) -> Option<Vec<String>> {
    match &e.kind {
        ExprKind::Name(n) => Some(vec![n.clone()]),
        ExprKind::Attr(base, attr) => {
            let mut path = dotted(base)?;
            path.push(attr.clone());
            Some(path)
        }
        _ => None,
    }
}

/// `keras.activations.relu`, `tf.nn.relu`, `activations.relu`: an activation passed as a
/// function, which Keras stores by name.
fn activation_function(path: &[String]) -> Option<&str> {
    let (name, module) = path.split_last()?;
    let module = module.last()?;
    (module == "activations" || module == "nn").then_some(name.as_str())
}

/// What to do about a call of the function `name`, which the reader does not run: the layer
/// that does the same, for the tensor operations a layer does (`keras.ops.relu`,
/// `tf.concat`), else what the call makes (a number, a layer's output) in its place.
fn unmodelled_call_fix(name: &str) -> String {
    const READS: &str = "lstm-tui runs no function but Keras' layers";
    let layer = match name {
        n if ACTIVATIONS.contains(&n) => format!("layers.Activation(\"{n}\")(x)"),
        "add" | "subtract" | "multiply" | "maximum" | "minimum" | "average" => {
            let (first, rest) = name.split_at(1);
            format!("layers.{}{rest}()([a, b])", first.to_uppercase())
        }
        "concatenate" | "concat" => "layers.Concatenate()([a, b])".into(),
        "reshape" => "layers.Reshape(target_shape)(x)".into(),
        "transpose" => "layers.Permute(dims)(x)".into(),
        _ => return format!("{READS}: write what this call makes in its place"),
    };
    format!("{READS}: write this step as `{layer}`, or leave it out")
}

/// A short rendering of an expression for error messages: `foo()`, `np.load(...)`.
pub fn shown(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Attr(base, attr) => format!("{}.{attr}", shown(base)),
        ExprKind::Call(callee, args) => {
            format!(
                "{}({})",
                shown(callee),
                if args.is_empty() { "" } else { "..." }
            )
        }
        ExprKind::Subscript(base, _) => format!("{}[...]", shown(base)),
        ExprKind::Number(n) => n.clone(),
        _ => "...".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_division_rounds_down_as_python_does() {
        // Python: -7 // 2 == -4, 7 // -2 == -4, 10 % -3 == -2, -10 % 3 == 2.
        let int = |op, a, b| binary(op, Value::Int(a), Value::Int(b));
        assert_eq!(int("//", -7, 2), Ok(Value::Int(-4)));
        assert_eq!(int("//", 7, -2), Ok(Value::Int(-4)));
        assert_eq!(int("%", 10, -3), Ok(Value::Int(-2)));
        assert_eq!(int("%", -10, 3), Ok(Value::Int(2)));
        assert_eq!(int("/", 7, 2), Ok(Value::Float(3.5)));
        assert!(int("//", i128::MIN, -1).is_err());
        assert!(int("**", 10, 40).is_err());
    }

    #[test]
    fn literals_read_as_python_reads_them() {
        let pos = Pos::default();
        assert_eq!(number("1_000", pos), Ok(Value::Int(1000)));
        assert_eq!(number("0x1F", pos), Ok(Value::Int(31)));
        assert_eq!(number("1e-3", pos), Ok(Value::Float(0.001)));
        assert!(number("3j", pos).is_err());
    }
}
