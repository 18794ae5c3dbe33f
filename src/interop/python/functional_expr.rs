//! Expressions in functional code: names, lists of tensors, tensor arithmetic (`x + res` is
//! Keras' `Add` operation), indexing (`states[0]`), a tensor's `x.shape`, and constants, which
//! the constant evaluator works out.

use std::collections::HashMap;

use super::eval::{self, Binding, Eval, Value, not_unpackable};
use super::functional::{FVal, Interp};
use super::graph::{CallArg, TensorRef};
use super::parser::{Expr, ExprKind, Index};
use super::signatures::KeyKind;
use crate::model::{Located, Pos};

/// Most items a list of tensors may hold, nested ones included.
const MAX_ITEMS: usize = 10_000;
/// Deepest nesting of lists of tensors.
const MAX_NESTING: usize = 32;

impl Interp {
    /// The names visible now, as the constant evaluator sees them.
    pub fn bindings(&self) -> HashMap<String, Binding> {
        let mut out = HashMap::new();
        let scopes = std::iter::once(&self.globals).chain(self.locals());
        for scope in scopes {
            for (name, v) in scope {
                let b = match v {
                    FVal::Const(c) => Binding::Value(c.clone()),
                    FVal::Failed(e) => Binding::Failed(e.clone()),
                    other => Binding::Opaque(format!("is {}", other.describe())),
                };
                out.insert(name.clone(), b);
            }
        }
        out
    }

    /// Evaluates `e` as a constant, with the names visible now.
    pub fn constant(&self, e: &Expr, expect: &str) -> Result<Value, Located> {
        let env = self.bindings();
        Eval { env: &env }.eval(e, expect)
    }

    /// A tuple or list written out, each `*items` spread in its place: a constant when every
    /// item is one.
    fn display(&mut self, items: &[Expr], pos: Pos) -> Result<FVal, Located> {
        let mut vals = Vec::with_capacity(items.len());
        for item in items {
            let ExprKind::Starred(inner) = &item.kind else {
                vals.push(self.value(item)?);
                continue;
            };
            match self.value(inner)? {
                FVal::Const(Value::Seq(spread)) => {
                    vals.extend(spread.into_iter().map(FVal::Const));
                }
                FVal::Seq(spread) => vals.extend(spread),
                other => return Err(not_unpackable(item.pos, &other.describe())),
            }
        }
        bounded(folded(vals), pos)
    }

    /// Evaluates `e`.
    pub fn value(&mut self, e: &Expr) -> Result<FVal, Located> {
        match &e.kind {
            ExprKind::Name(n) => match self.lookup(n) {
                Some(FVal::Failed(err)) => Err(err.clone()),
                Some(v) => Ok(v.clone()),
                None => self.constant(e, KeyKind::Any.expected()).map(FVal::Const),
            },
            ExprKind::Tuple(items) | ExprKind::List(items) => self.display(items, e.pos),
            ExprKind::Call(callee, args) => self.call(e, callee, args),
            ExprKind::Chain(first, rest) => self.chain(first, rest),
            ExprKind::Unary(op, inner) => match self.value(inner)? {
                FVal::Const(v) => eval::unary(op, v).map(FVal::Const).map_err(|got| {
                    Located::new(e.pos, format!("expected a number after `{op}`; got {got}"))
                }),
                other => Err(Located::new(
                    e.pos,
                    format!("expected a number after `{op}`; got {}", other.describe()),
                )),
            },
            ExprKind::Subscript(base, index) => {
                let base = self.value(base)?;
                self.subscript(base, index, e.pos)
            }
            ExprKind::Compare(first, rest) => {
                let mut left = self.value(first)?;
                for (op, pos, operand) in rest {
                    let right = self.value(operand)?;
                    let holds =
                        compare(op, &left, &right).map_err(|why| Located::new(*pos, why))?;
                    if !holds {
                        return Ok(FVal::Const(Value::Bool(false)));
                    }
                    left = right;
                }
                Ok(FVal::Const(Value::Bool(true)))
            }
            ExprKind::Not(inner) => {
                let v = self.value(inner)?;
                Ok(FVal::Const(Value::Bool(!truth(&v, inner.pos)?)))
            }
            ExprKind::Logic(op, operands) => {
                let mut last = FVal::Const(Value::None);
                for operand in operands {
                    last = self.value(operand)?;
                    if truth(&last, operand.pos)? == (*op == "or") {
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
                let c = self.value(condition)?;
                if truth(&c, condition.pos)? {
                    self.value(then)
                } else {
                    self.value(otherwise)
                }
            }
            ExprKind::Attr(base, attr) => {
                if attr == "shape" {
                    if let ExprKind::Name(n) = &base.kind {
                        if let Some(FVal::Tensor(t)) = self.lookup(n) {
                            return self.shape_of(*t, e.pos);
                        }
                    }
                }
                self.constant(e, KeyKind::Any.expected()).map(FVal::Const)
            }
            _ => self.constant(e, KeyKind::Any.expected()).map(FVal::Const),
        }
    }

    fn shape_of(&self, t: TensorRef, pos: Pos) -> Result<FVal, Located> {
        let Some(shape) = self.graph.info(t).and_then(|i| i.shape.clone()) else {
            return Err(Located::new(
                pos,
                "expected a tensor whose shape lstm-tui can tell; got one it cannot: write the number",
            ));
        };
        let mut dims = vec![Value::None];
        dims.extend(
            shape
                .0
                .iter()
                .map(|d| d.map_or(Value::None, |d| Value::Int(i128::from(d)))),
        );
        Ok(FVal::Const(Value::Seq(dims)))
    }

    /// `a + b - c`: arithmetic on constants, Keras' `Add`, `Subtract` and `Multiply` on tensors.
    pub fn chain(
        &mut self,
        first: &Expr,
        rest: &[(&'static str, Pos, Expr)],
    ) -> Result<FVal, Located> {
        let mut acc = self.value(first)?;
        for (op, pos, operand) in rest {
            let right = self.value(operand)?;
            acc = match (acc, right) {
                (FVal::Const(a), FVal::Const(b)) => bounded(
                    FVal::Const(eval::binary(op, a, b).map_err(|why| Located::new(*pos, why))?),
                    *pos,
                )?,
                (FVal::Tensor(a), FVal::Tensor(b)) => {
                    let class = match *op {
                        "+" => "Add",
                        "-" => "Subtract",
                        "*" => "Multiply",
                        other => {
                            return Err(Located::new(
                                *pos,
                                format!("expected `+`, `-` or `*` between tensors; got `{other}`"),
                            ));
                        }
                    };
                    let id = self.graph.operation(class, *pos);
                    let args = vec![CallArg::Tensor(a), CallArg::Tensor(b)];
                    let out = self.graph.call(id, args, Vec::new(), *pos)?;
                    out.first()
                        .map(|t| FVal::Tensor(*t))
                        .unwrap_or(FVal::Const(Value::None))
                }
                (a, b) => {
                    let scaled = matches!(*op, "+" | "-" | "*")
                        && [(&a, &b), (&b, &a)].iter().any(|(t, n)| {
                            matches!(t, FVal::Tensor(_))
                                && matches!(n, FVal::Const(Value::Int(_) | Value::Float(_)))
                        });
                    let fix = match scaled {
                        true => {
                            ": lstm-tui does not follow a tensor and a number; `layers.Rescaling(scale, offset)(x)` multiplies by scale, then adds offset"
                        }
                        false => "",
                    };
                    return Err(Located::new(
                        *pos,
                        format!(
                            "expected two tensors or two numbers around `{op}`; got {} and {}{fix}",
                            a.describe(),
                            b.describe()
                        ),
                    ));
                }
            };
        }
        Ok(acc)
    }

    fn subscript(&mut self, base: FVal, index: &[Index], pos: Pos) -> Result<FVal, Located> {
        let items: Vec<FVal> = match base {
            FVal::Seq(items) => items,
            FVal::Const(Value::Seq(items)) => items.into_iter().map(FVal::Const).collect(),
            FVal::Tensor(_) => {
                return Err(Located::new(
                    pos,
                    "expected a list to index; got a tensor: lstm-tui does not slice tensors; write the slice as a layer (`layers.Cropping1D`, `layers.Reshape`, ...), or leave it out",
                ));
            }
            other => {
                return Err(Located::new(
                    pos,
                    format!("expected a list to index; got {}", other.describe()),
                ));
            }
        };
        let [one] = index else {
            return Err(Located::new(pos, "expected one index; got several"));
        };
        let len = i128::try_from(items.len()).unwrap_or(i128::MAX);
        let mut int = |e: &Option<Expr>| -> Result<Option<i128>, Located> {
            match e {
                None => Ok(None),
                Some(e) => match self.value(e)? {
                    FVal::Const(Value::Int(i)) => Ok(Some(i)),
                    other => Err(Located::new(
                        e.pos,
                        format!("expected a whole number; got {}", other.describe()),
                    )),
                },
            }
        };
        let clamp = |i: i128| if i < 0 { (i + len).max(0) } else { i.min(len) };
        match one {
            Index::At(e) => {
                let i = int(&Some(e.clone()))?.unwrap_or_default();
                let at = if i < 0 { i + len } else { i };
                usize::try_from(at)
                    .ok()
                    .and_then(|at| items.get(at).cloned())
                    .ok_or_else(|| {
                        Located::new(
                            pos,
                            format!("expected an index within {len} items; got {i}"),
                        )
                    })
            }
            Index::Slice(start, stop, None) => {
                let a = int(start)?.map_or(0, clamp);
                let b = int(stop)?.map_or(len, clamp).max(a);
                let (a, b) = (
                    usize::try_from(a).unwrap_or(0),
                    usize::try_from(b).unwrap_or(0),
                );
                Ok(folded(items.get(a..b).unwrap_or_default().to_vec()))
            }
            Index::Slice(..) => Err(Located::new(
                pos,
                "expected a slice without a step; got one with a step",
            )),
        }
    }
}

/// `v` if it is within the bounds on size and nesting; a refusal at `pos` otherwise.
/// Python's truth value of `v`, where lstm-tui can tell it: constants, and layers and
/// functions (always true). A tensor's has no value until the model runs.
pub fn truth(v: &FVal, pos: Pos) -> Result<bool, Located> {
    match v {
        FVal::Const(c) => Ok(eval::truthy(c)),
        FVal::Seq(items) => Ok(!items.is_empty()),
        FVal::Layer(_) | FVal::Func(_) | FVal::Model(_) => Ok(true),
        FVal::Failed(why) => Err(why.clone()),
        other => Err(Located::new(
            pos,
            format!(
                "expected a condition lstm-tui can tell; got {}, whose value exists only when the model runs",
                other.describe()
            ),
        )),
    }
}

/// Python's comparison of two values: constants as [`eval::compare`] does, and `is None`
/// (`is not None`) of anything, which a tensor or a layer never is.
fn compare(op: &str, left: &FVal, right: &FVal) -> Result<bool, String> {
    match (left, right) {
        (FVal::Const(a), FVal::Const(b)) => eval::compare(op, a, b),
        (FVal::Const(Value::None), _) | (_, FVal::Const(Value::None))
            if matches!(op, "is" | "is not" | "==" | "!=") =>
        {
            Ok(matches!(op, "is not" | "!="))
        }
        _ => Err(format!(
            "expected values lstm-tui can compare beside `{op}`; got {} and {}",
            left.describe(),
            right.describe()
        )),
    }
}

fn bounded(v: FVal, pos: Pos) -> Result<FVal, Located> {
    match within(&v, MAX_ITEMS, MAX_NESTING) {
        Some(_) => Ok(v),
        None => Err(Located::new(
            pos,
            format!(
                "expected a value of at most {MAX_ITEMS} items nested at most {MAX_NESTING} deep; got a larger one"
            ),
        )),
    }
}

/// The number of items in `v`, nested ones included, if at most `budget` and nested at most
/// `depth` deep: a loop doubling a list (`x = [x, x]`) cannot eat the memory or the stack.
fn within(v: &FVal, budget: usize, depth: usize) -> Option<usize> {
    let items = match v {
        FVal::Seq(items) => items,
        FVal::Const(c) => return c.within(budget, depth),
        _ => return Some(1),
    };
    let depth = depth.checked_sub(1)?;
    let mut used = 1usize;
    for item in items {
        used = used.checked_add(within(item, budget.checked_sub(used)?, depth)?)?;
        if used > budget {
            return None;
        }
    }
    Some(used)
}

/// Items as one value: a constant list when every item is a constant, else a list of values.
fn folded(items: Vec<FVal>) -> FVal {
    if items.iter().all(|x| matches!(x, FVal::Const(_))) {
        FVal::Const(Value::Seq(
            items
                .into_iter()
                .filter_map(|x| match x {
                    FVal::Const(c) => Some(c),
                    _ => None,
                })
                .collect(),
        ))
    } else {
        FVal::Seq(items)
    }
}
