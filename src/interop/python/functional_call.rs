//! Calls in functional code: layer constructors, layers called on tensors, `keras.Input`,
//! `keras.Model`, Keras' lowercase merge functions and functions the program defines.

use serde_json::Value as Json;

use super::eval::{self, Binding, Eval, LayerCall, Value};
use super::functional::{FVal, Interp, ModelCall};
use super::graph::CallArg;
use super::parser::{Arg, Expr, ExprKind, Index};
use super::signatures;
use crate::model::{Dtype, Located, Pos};

/// Call keywords that change nothing in the graph: Keras records them, but they only matter
/// when the model runs.
const RUN_ONLY: &[&str] = &["training"];

impl Interp {
    /// `callee(args)`.
    pub fn call(&mut self, e: &Expr, callee: &Expr, args: &[Arg]) -> Result<FVal, Located> {
        let Some(path) = eval::dotted(callee) else {
            let f = self.value(callee)?;
            return self.call_value(f, args, e.pos);
        };
        if let [name] = path.as_slice() {
            if let Some(f) = self.lookup(name).cloned() {
                return self.call_value(f, args, e.pos);
            }
        }
        let last = path.last().map(String::as_str).unwrap_or_default();
        let module = &path[..path.len() - 1];
        match last {
            "Input" => return self.input(e.pos, args),
            "Model" | "Functional" => return self.model(e.pos, args),
            _ => {}
        }
        if let Some(class) = signatures::merge_function(last)
            .filter(|_| module.last().is_some_and(|m| m == "layers"))
        {
            return self.merge(class, e.pos, args);
        }
        if signatures::graph_positional(last).is_some() && last != "InputLayer" {
            return self.construct(last, e.pos, args);
        }
        self.constant(e, "a value").map(FVal::Const)
    }

    fn call_value(&mut self, f: FVal, args: &[Arg], pos: Pos) -> Result<FVal, Located> {
        match f {
            FVal::Layer(id) => self.apply(id, args, pos),
            FVal::Func(func) => {
                let mut positional = Vec::new();
                let mut keywords = Vec::new();
                for a in args {
                    let v = self.value(&a.value)?;
                    match &a.keyword {
                        Some(k) => keywords.push((k.clone(), v, a.pos)),
                        None if keywords.is_empty() => positional.push(v),
                        None => {
                            return Err(Located::new(
                                a.pos,
                                "expected keyword arguments after the first one; got a positional one",
                            ));
                        }
                    }
                }
                self.call_function(&func, positional, keywords, pos)
            }
            FVal::Const(Value::Layer(call)) => {
                let id = self.new_layer(&call)?;
                self.apply(id, args, pos)
            }
            FVal::Failed(err) => Err(err),
            other => Err(Located::new(
                pos,
                format!(
                    "expected a layer or a function to call; got {}",
                    other.describe()
                ),
            )),
        }
    }

    /// `layers.Dense(8)`: a layer object, named now as Keras names it.
    fn construct(&mut self, class: &str, pos: Pos, args: &[Arg]) -> Result<FVal, Located> {
        let call = self.constructor(class, pos, args)?;
        self.new_layer(&call).map(FVal::Layer)
    }

    /// A constructor's arguments resolved. Those only this interpreter can work out (a
    /// tensor's `x.shape[-1]`) are worked out first and handed over under names Python cannot
    /// spell; those with calls (wrapped layers) are left to the constant evaluator, so nothing
    /// is built twice.
    fn constructor(&mut self, class: &str, pos: Pos, args: &[Arg]) -> Result<LayerCall, Located> {
        let mut env = self.bindings();
        let mut resolved = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            let mut a = a.clone();
            if !has_call(&a.value) {
                let value = match self.value(&a.value) {
                    Ok(FVal::Const(v)) => Some(v),
                    // A layer made earlier and handed to a wrapper, which takes its config.
                    Ok(FVal::Layer(id)) => self
                        .graph
                        .uncalled(id)
                        .map(|made| Value::Layer(Box::new(made.clone()))),
                    _ => None,
                };
                if let Some(v) = value {
                    let name = format!("\u{b7}{i}");
                    env.insert(name.clone(), Binding::Value(v));
                    a.value = Expr {
                        kind: ExprKind::Name(name),
                        pos: a.value.pos,
                    };
                }
            }
            resolved.push(a);
        }
        Eval { env: &env }.layer(class, pos, &resolved)
    }

    fn new_layer(&mut self, call: &LayerCall) -> Result<usize, Located> {
        let built = if signatures::positional(&call.class).is_some() {
            Some(super::layer(call)?)
        } else {
            None
        };
        self.graph.layer(call, built)
    }

    /// `layers.concatenate([a, b], axis=1)`: the merge layer, called on the list.
    fn merge(&mut self, class: &str, pos: Pos, args: &[Arg]) -> Result<FVal, Located> {
        let at = args
            .iter()
            .position(|a| a.keyword.as_deref() == Some("inputs"))
            .or_else(|| args.iter().position(|a| a.keyword.is_none()));
        let Some(at) = at else {
            return Err(Located::new(
                pos,
                format!(
                    "expected a list of tensors to merge, e.g. `{}([a, b])`; got none",
                    class.to_lowercase()
                ),
            ));
        };
        let rest: Vec<Arg> = args
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, a)| a.clone())
            .collect();
        let call = self.constructor(class, pos, &rest)?;
        let id = self.graph.layer(&call, None)?;
        let mut inputs = args[at].clone();
        inputs.keyword = None;
        self.apply(id, std::slice::from_ref(&inputs), pos)
    }

    /// Calls layer `id` on the arguments written.
    fn apply(&mut self, id: usize, args: &[Arg], pos: Pos) -> Result<FVal, Located> {
        let mut positional = Vec::new();
        let mut keywords = Vec::new();
        let mut tensors = 0usize;
        for a in args {
            if a.keyword.as_deref().is_some_and(|k| RUN_ONLY.contains(&k)) {
                continue;
            }
            let v = self.value(&a.value)?;
            let arg = call_arg(v, a.value.pos, &mut tensors)?;
            match &a.keyword {
                // `mask=None` is the default, as if not written.
                Some(k) if k == "mask" && arg == CallArg::Const(Json::Null) => {}
                Some(k) => keywords.push((k.clone(), arg)),
                None => positional.push(arg),
            }
        }
        if tensors == 0 {
            return Err(Located::new(
                pos,
                "expected a layer called on tensors (`layer(x)`); got a call without any",
            ));
        }
        let outs = self.graph.call(id, positional, keywords, pos)?;
        Ok(match outs.as_slice() {
            [one] => FVal::Tensor(*one),
            many => FVal::Seq(many.iter().map(|t| FVal::Tensor(*t)).collect()),
        })
    }

    /// `keras.Input(shape=(...), dtype=..., name=...)`.
    fn input(&mut self, pos: Pos, args: &[Arg]) -> Result<FVal, Located> {
        let call = self.constructor("Input", pos, args)?;
        let (shape, dtype) = super::input_layer(&call)?;
        let t = self
            .graph
            .input(&call, shape, dtype.unwrap_or(Dtype::Float32));
        Ok(FVal::Tensor(t))
    }

    /// `keras.Model(inputs, outputs, name=...)`.
    fn model(&mut self, pos: Pos, args: &[Arg]) -> Result<FVal, Located> {
        let mut inputs = None;
        let mut outputs = None;
        let mut name = None;
        for (i, a) in args.iter().enumerate() {
            let key = a.keyword.as_deref().or(match i {
                0 => Some("inputs"),
                1 => Some("outputs"),
                _ => None,
            });
            match key {
                Some("inputs") => inputs = Some(self.value(&a.value)?),
                Some("outputs") => outputs = Some(self.value(&a.value)?),
                Some("name") => match self.value(&a.value)? {
                    FVal::Const(Value::Str(s)) => name = Some(s),
                    other => {
                        return Err(Located::new(
                            a.value.pos,
                            format!("expected a string for `name`; got {}", other.describe()),
                        ));
                    }
                },
                Some("trainable") => {}
                _ => {
                    return Err(Located::new(
                        a.pos,
                        "expected `keras.Model(inputs, outputs, name=...)`; got another argument",
                    ));
                }
            }
        }
        let (Some(inputs), Some(outputs)) = (inputs, outputs) else {
            return Err(Located::new(
                pos,
                "expected `keras.Model(inputs=..., outputs=...)` with both given",
            ));
        };
        // Named when made, as Keras does: a second unnamed model is `functional_1`.
        let name = name.unwrap_or_else(|| self.graph.auto_name("Functional"));
        self.models.push(ModelCall {
            inputs,
            outputs,
            name,
            pos,
        });
        Ok(FVal::Model(self.models.len() - 1))
    }
}

/// A call argument from a value: tensors, lists of them, and constant options.
fn call_arg(v: FVal, pos: Pos, tensors: &mut usize) -> Result<CallArg, Located> {
    match v {
        FVal::Tensor(t) => {
            *tensors += 1;
            Ok(CallArg::Tensor(t))
        }
        FVal::Seq(items) => items
            .into_iter()
            .map(|i| call_arg(i, pos, tensors))
            .collect::<Result<_, _>>()
            .map(CallArg::List),
        FVal::Const(Value::Layer(_)) | FVal::Layer(_) | FVal::Func(_) | FVal::Model(_) => {
            Err(Located::new(
                pos,
                format!("expected a tensor or an option; got {}", v.describe()),
            ))
        }
        FVal::Const(c) => Ok(CallArg::Const(c.to_json(pos)?)),
        FVal::Failed(err) => Err(err),
    }
}

/// Whether evaluating `e` calls anything.
fn has_call(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Call(..) => true,
        ExprKind::Attr(base, _) | ExprKind::Unary(_, base) => has_call(base),
        ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().any(has_call),
        ExprKind::Chain(first, rest) => has_call(first) || rest.iter().any(|(_, _, e)| has_call(e)),
        ExprKind::Subscript(base, index) => {
            has_call(base)
                || index.iter().any(|i| match i {
                    Index::At(e) => has_call(e),
                    Index::Slice(a, b, c) => [a, b, c].into_iter().flatten().any(has_call),
                })
        }
        _ => false,
    }
}
