//! The edit form: every field of a layer kind, with no per-kind code, spelled as Keras code
//! spells it. The layer's fields come from its serde form (in declaration order); a wrapped
//! layer's fields are shown inline as `layer.units`, `layer.return_sequences`, ..., and an
//! `RNN`'s cell as a choice of class with its fields as `cell.units`, ... The texts are read
//! back as one Python call, `LSTM(units=64, return_sequences=True, ...)`, through the Python
//! importer, and the result is validated with [`Kind::output`] on the layer's input.

use serde_json::Value as Json;

use crate::app::action::{Action, Effect};
use crate::app::popups::Popup;
use crate::app::popups::form_cell::{CELL_CLASSES, cell_fields, switched};
use crate::app::popups::form_fields::{choices_of, probes, value_text};
use crate::app::popups::form_wiring::Wired;
use crate::app::state::{App, Mode};
use crate::app::text::{TextEdit, TextOp};
use crate::interop::python::{check_expression, layer_from_python, shape_from_python};
use crate::model::graph::{Call, NamedInput};
use crate::model::layers::{ACTIVATIONS, RnnCell};
use crate::model::{Dtype, Input, Layer, LayerError, Located, Shape};

/// What the form edits.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The model's input shape and type.
    Input,
    /// The layer at this index of the design.
    Layer(usize),
    /// A model input to add after the others.
    NewInput,
    /// A further model input, by its place among the inputs (1 and up).
    FurtherInput(usize),
}

/// How a field is edited and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// A Python expression written as is: `64`, `0.5`, `(3, 3)`, `None`, `l2(0.001)`.
    Python,
    /// A string, quotes optional.
    Str,
    /// The layer's name: empty means Keras' automatic one.
    OptStr,
    /// `True` or `False`, toggled with Space.
    Bool,
    /// One of a fixed set, cycled with Space or ←/→ and filtered by typing.
    Choice(&'static [&'static str]),
    /// Tensor references the layer is called on, comma separated: `dense, input_layer`.
    Refs,
}

/// One editable field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Keras keyword, `layer.` before a wrapped layer's own and `cell.` before a cell's.
    pub name: String,
    /// The text being edited.
    pub text: TextEdit,
    /// How the text is read.
    pub syntax: Syntax,
}

/// An open edit form.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// What is edited.
    pub target: Target,
    /// The layer's Keras class (`LSTM`), or `Input`.
    pub variant: String,
    /// The wrapped layer's class, when the layer is a wrapper, or the cell's class of an `RNN`.
    pub inner: Option<String>,
    /// The fields, in the order the layer declares them.
    pub fields: Vec<Field>,
    /// The field with the cursor.
    pub index: usize,
    /// Why the current texts are rejected, and which field is at fault.
    pub error: Option<(usize, String)>,
    /// What the wiring fields started from, when the form shows them.
    pub wired: Option<Box<Wired>>,
}

/// Where each field's `key=value` sits on the Python call a form spells: the field, and its
/// first and past-the-end character.
type Spans = Vec<(usize, usize, usize)>;

/// The result of reading a form back.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A new input.
    Input(Input),
    /// A new layer, boxed: a layer kind's fields are far larger than an input's.
    Layer(Box<Layer>),
    /// A new layer and the call it now takes: its wiring fields changed.
    Wired(Box<Layer>, Call),
    /// A model input to add.
    NewInput(NamedInput),
    /// The first input, renamed (a graph's references name it).
    NamedFirst(Input, String),
}

/// A layer's class and its fields as (keyword, value), in declaration order, with the fields
/// Keras has but the design leaves out at their defaults (`return_state`, regularizers).
pub(super) fn ordered(layer: &Layer) -> Option<(String, Vec<(String, Json)>)> {
    let ron_text = ron::to_string(layer).ok()?;
    let Json::Object(tagged) = serde_json::to_value(layer).ok()? else {
        return None;
    };
    let (class, Json::Object(values)) = tagged.into_iter().next()? else {
        return None;
    };
    let open = ron_text.find("((")?;
    let body = ron_text.get(open + 2..ron_text.len().checked_sub(2)?)?;
    let mut fields: Vec<(String, Json)> = split_top(body)
        .into_iter()
        .filter_map(|pair| {
            let name = pair.split_once(':')?.0.trim();
            Some((name.to_string(), values.get(name)?.clone()))
        })
        .collect();
    for (key, default) in probes(&class, &values) {
        if !fields.iter().any(|(k, _)| *k == key) {
            fields.push((key, default));
        }
    }
    Some((class, fields))
}

/// A field for one keyword of a layer of `class` and its value, edited as the value's kind
/// suggests.
pub(super) fn field(class: &str, name: String, value: &Json) -> Field {
    let key = name.rsplit('.').next().unwrap_or(&name);
    let syntax = match (key, value) {
        ("name", _) => Syntax::OptStr,
        (_, Json::Bool(_)) => Syntax::Bool,
        // ZeroPadding's `padding` is amounts, not a mode: only a text value is a choice.
        (k, Json::String(_) | Json::Null) if choices_of(class, k).is_some() => {
            Syntax::Choice(choices_of(class, k).unwrap_or_default())
        }
        (_, Json::String(_)) => Syntax::Str,
        _ => Syntax::Python,
    };
    let text = match (syntax, value) {
        (Syntax::OptStr, Json::Null) => String::new(),
        _ => value_text(value),
    };
    Field {
        name,
        text: TextEdit::new(&text),
        syntax,
    }
}

impl Form {
    /// A form for one layer, or `None` if its fields cannot be listed.
    pub fn for_layer(index: usize, layer: &Layer) -> Option<Form> {
        let (class, values) = ordered(layer)?;
        let mut fields = Vec::new();
        let mut inner = None;
        for (key, value) in values {
            let cell = (key == "cell")
                .then(|| serde_json::from_value::<RnnCell>(value.clone()).ok())
                .flatten();
            if let Some(cell) = cell {
                inner = Some(cell.class().to_string());
                fields.extend(cell_fields(&cell));
                continue;
            }
            let wrapped = (key == "layer")
                .then(|| serde_json::from_value::<Layer>(value.clone()).ok())
                .flatten();
            match wrapped.as_ref().and_then(ordered) {
                Some((inner_class, inner_values)) => {
                    fields.extend(
                        inner_values
                            .into_iter()
                            .filter(|(k, v)| k != "name" || !v.is_null())
                            .map(|(k, v)| field(&inner_class, format!("layer.{k}"), &v)),
                    );
                    inner = Some(inner_class);
                }
                None => fields.push(field(&class, key, &value)),
            }
        }
        if !fields.iter().any(|f| f.name == "name") {
            fields.push(field(&class, "name".into(), &Json::Null));
        }
        let mut form = Form {
            target: Target::Layer(index),
            variant: class,
            inner,
            fields,
            index: 0,
            error: None,
            wired: None,
        };
        form.focus(0);
        Some(form)
    }

    /// A form for the model's input: its shape as Python writes it, then its element type.
    pub fn for_input(input: &Input) -> Form {
        let dims: Vec<Json> = input
            .shape
            .0
            .iter()
            .map(|d| d.map_or(Json::Null, Json::from))
            .collect();
        let dtype = match input.dtype {
            Dtype::Float32 => "float32",
            Dtype::Int32 => "int32",
        };
        let mut form = Form {
            target: Target::Input,
            variant: "Input".into(),
            inner: None,
            fields: vec![
                field("Input", "shape".into(), &Json::Array(dims)),
                field("Input", "dtype".into(), &Json::from(dtype)),
            ],
            index: 0,
            error: None,
            wired: None,
        };
        form.focus(0);
        form
    }

    /// A form for a model input to add: its shape, element type and name (empty: Keras'
    /// automatic `input_layer_n`).
    pub fn for_new_input(like: &Input) -> Form {
        let mut form = Form::for_input(like);
        form.target = Target::NewInput;
        form.fields.push(field("Input", "name".into(), &Json::Null));
        form
    }

    /// Moves the cursor to a field and selects its text, so typing replaces it.
    pub(super) fn focus(&mut self, index: usize) {
        self.index = index.min(self.fields.len().saturating_sub(1));
        if let Some(f) = self.fields.get_mut(self.index) {
            f.text.select();
        }
    }

    /// Reads the texts back. `input` is the shape the layer receives, when it is known; a
    /// field error from Keras' rules (zero units, a rate above 1) rejects the value, a shape
    /// mismatch with the rest of the stack does not (the summary shows it in place).
    pub fn read(&self, input: Option<&Shape>) -> Result<Value, (usize, String)> {
        match self.target {
            Target::Input | Target::FurtherInput(_) => {
                let input = self.read_input()?;
                Ok(match self.name_field() {
                    Some(name) => Value::NamedFirst(input, name),
                    None => Value::Input(input),
                })
            }
            Target::NewInput => {
                let Input { shape, dtype } = self.read_input()?;
                let name = self.name_field();
                Ok(Value::NewInput(NamedInput { name, shape, dtype }))
            }
            Target::Layer(_) => {
                let layer = self.read_layer()?;
                if let Some(shape) = input
                    && let Err(e) = layer.kind().output(shape)
                {
                    match e {
                        LayerError::Shape(_) => {}
                        LayerError::Field(ref r) => {
                            let at = self.position(r.field).unwrap_or(self.index);
                            return Err((at, e.to_string()));
                        }
                        other => return Err((self.index, other.to_string())),
                    }
                }
                Ok(match self.call()? {
                    Some(call) => Value::Wired(Box::new(layer), call),
                    None => Value::Layer(Box::new(layer)),
                })
            }
        }
    }

    /// An input form's `name`, unquoted, when it has one and it is not left empty.
    fn name_field(&self) -> Option<String> {
        self.fields
            .get(2)
            .filter(|f| f.name == "name")
            .map(|f| f.text.text().trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|n| !n.is_empty() && *n != "None")
            .map(str::to_string)
    }

    /// A form for the further model input `index` (1 and up): its shape, element type and
    /// name, which references name.
    pub fn for_further_input(input: &NamedInput, index: usize, name: &str) -> Form {
        let like = Input {
            shape: input.shape.clone(),
            dtype: input.dtype,
        };
        let mut form = Form::for_named_input(&like, name);
        form.target = Target::FurtherInput(index);
        form
    }

    /// A form for the first model input of a graph: its name too, which references name.
    pub fn for_named_input(input: &Input, name: &str) -> Form {
        let mut form = Form::for_input(input);
        form.fields
            .push(field("Input", "name".into(), &Json::from(name)));
        form
    }

    /// Rechecks the texts after an edit.
    pub fn validate(&mut self, input: Option<&Shape>) {
        self.error = self.read(input).err();
    }

    /// The field a Keras keyword names: the layer's own, else the wrapped layer's or cell's.
    fn position(&self, name: &str) -> Option<usize> {
        let inner = format!(".{name}");
        self.fields
            .iter()
            .position(|f| f.name == name)
            .or_else(|| self.fields.iter().position(|f| f.name.ends_with(&inner)))
    }

    /// Whether fields named `name.…` follow: then the field named `name` chooses their class.
    fn chooses_class(&self, name: &str) -> bool {
        let prefix = format!("{name}.");
        self.fields.iter().any(|f| f.name.starts_with(&prefix))
    }

    /// After the cell's class changed, the fields of a cell of the new class (a stack from
    /// the current cell, a single cell with its units).
    fn sync_cell(&mut self) {
        let Some(at) = self
            .fields
            .iter()
            .position(|f| f.name == "cell" && f.syntax == Syntax::Choice(CELL_CLASSES))
        else {
            return;
        };
        let Ok(class) = chosen(CELL_CLASSES, self.fields[at].text.text()) else {
            return;
        };
        if self.inner.as_deref() == Some(class) {
            return;
        }
        let current = match self.read_layer() {
            Ok(Layer::Rnn(r)) => Some(r.cell),
            _ => None,
        };
        let own = cell_fields(&switched(current, class)).into_iter().skip(1);
        self.fields.retain(|f| !f.name.starts_with("cell."));
        self.fields.splice(at + 1..at + 1, own);
        self.inner = Some(class.to_string());
    }

    /// One field's text as a Python value, or why it is not one.
    fn python(&self, i: usize) -> Result<Option<String>, (usize, String)> {
        let Some(f) = self.fields.get(i) else {
            return Ok(None);
        };
        let text = f.text.text().trim();
        let quoted = text.starts_with('"') || text.starts_with('\'');
        let value = match f.syntax {
            Syntax::OptStr if text.is_empty() || text == "None" => return Ok(None),
            Syntax::Refs => return Ok(None),
            _ if text.is_empty() => return Err((i, format!("{}: needs a value", f.name))),
            Syntax::Python => match check_expression(text) {
                Ok(()) => text.to_string(),
                Err(e) => return Err((i, format!("{}: {}", f.name, in_a_form(&e.message)))),
            },
            Syntax::Str | Syntax::OptStr if quoted => text.to_string(),
            Syntax::Str | Syntax::OptStr => crate::interop::export_keras::python_str(text),
            Syntax::Bool => match boolean(text) {
                Some(b) => b.into(),
                None => return Err((i, format!("{}: True or False (Space toggles)", f.name))),
            },
            Syntax::Choice(all) => match chosen(all, text) {
                Ok("None") => "None".into(),
                Ok(c) => crate::interop::export_keras::python_str(c),
                Err(why) => return Err((i, format!("{}: {why}", f.name))),
            },
        };
        Ok(Some(value))
    }

    /// The Python call the texts spell, and where each field's `key=value` sits on it (in
    /// characters), so an error at a column names its field.
    fn source(&self) -> Result<(String, Spans), (usize, String)> {
        let mut spans = Vec::new();
        let mut text = format!("{}(", self.variant);
        let class = self.inner.as_deref().unwrap_or_default();
        // The group of nested fields (`layer`, `cell`) whose call is open.
        let mut open: Option<&str> = None;
        for (i, f) in self.fields.iter().enumerate() {
            if f.syntax == Syntax::Refs {
                continue;
            }
            let Some(value) = self.python(i)? else {
                continue;
            };
            let chooser = self.chooses_class(&f.name);
            let (group, key) = match f.name.split_once('.') {
                Some((g, k)) => (Some(g), k),
                None if chooser => (Some(f.name.as_str()), f.name.as_str()),
                None => (None, f.name.as_str()),
            };
            if open.is_some() && open != group {
                text.push(')');
                open = None;
            }
            if !text.ends_with('(') {
                text.push_str(", ");
            }
            let start = text.chars().count();
            if let Some(g) = group
                && open.is_none()
            {
                text.push_str(&format!("{g}={class}("));
                open = Some(g);
            }
            // The class choice is written as the call it opens.
            if !chooser {
                text.push_str(&format!("{key}={value}"));
            }
            spans.push((i, start, text.chars().count()));
        }
        if open.is_some() {
            text.push(')');
        }
        text.push(')');
        Ok((text, spans))
    }

    fn read_layer(&self) -> Result<Layer, (usize, String)> {
        let (source, spans) = self.source()?;
        layer_from_python(&source).map_err(|e| self.blame(&e, &spans))
    }

    /// The field an error from reading the call is about, and the error said for it.
    fn blame(&self, e: &Located, spans: &Spans) -> (usize, String) {
        let col = e.column.saturating_sub(1);
        let by_column = spans
            .iter()
            .find(|(_, s, end)| col >= *s && col < *end)
            .map(|(i, _, _)| *i);
        let by_keyword = self
            .fields
            .iter()
            .enumerate()
            .rev()
            .find(|(_, f)| {
                let key = f.name.rsplit('.').next().unwrap_or(&f.name);
                e.message.contains(&format!("`{key}`"))
            })
            .map(|(i, _)| i);
        let at = by_column.or(by_keyword).unwrap_or(self.index);
        let name = self.fields.get(at).map_or("", |f| f.name.as_str());
        let negative = self
            .fields
            .get(at)
            .is_some_and(|f| f.text.text().trim_start().starts_with('-'));
        if negative && matches!(self.fields.get(at).map(|f| f.syntax), Some(Syntax::Python)) {
            let message = &e.message;
            if message.contains("size") || message.contains("negative") {
                return (
                    at,
                    format!("{name}: a size cannot be negative: use a whole number such as 64"),
                );
            }
        }
        // The layer's class is already in the title: say only what is wrong with the field.
        let message = e
            .message
            .split_once(": `")
            .map_or(e.message.as_str(), |(_, rest)| {
                rest.split_once("`: ").map_or(rest, |(_, why)| why)
            });
        (at, format!("{name}: {}", in_a_form(message)))
    }

    fn read_input(&self) -> Result<Input, (usize, String)> {
        let shape_text = self.fields.first().map_or("", |f| f.text.text());
        let shape =
            shape_from_python(shape_text).map_err(|e| (0, format!("shape: {}", e.message)))?;
        if shape.0.is_empty() {
            return Err((
                0,
                "shape: give at least one dimension, such as (100,)".into(),
            ));
        }
        if shape.0.contains(&Some(0)) {
            return Err((0, "shape: every size must be at least 1".into()));
        }
        let dtype = match self.python(1)?.as_deref() {
            Some("\"int32\"") => Dtype::Int32,
            _ => Dtype::Float32,
        };
        Ok(Input { shape, dtype })
    }

    /// Space on a field: toggles a boolean, shows the next choice; `false` elsewhere. The
    /// value shown is selected, as on arriving at the field, so typing a choice's name after
    /// cycling past it replaces it rather than adding to it.
    fn toggle(&mut self, step: isize) -> bool {
        let Some(f) = self.fields.get_mut(self.index) else {
            return false;
        };
        match f.syntax {
            Syntax::Bool => {
                let now = boolean(f.text.text()) == Some("True");
                f.text.set(if now { "False" } else { "True" });
            }
            Syntax::Choice(all) => {
                let now = chosen(all, f.text.text().trim()).ok();
                let i = now.and_then(|c| all.iter().position(|x| *x == c));
                let n = all.len().max(1) as isize;
                let next = i.map_or(0, |i| (i as isize + step).rem_euclid(n));
                f.text
                    .set(all.get(next as usize).copied().unwrap_or_default());
            }
            _ => return false,
        }
        f.text.select();
        true
    }
}

/// The choice a typed text means: itself, or the one choice it begins (`sig` → `sigmoid`).
pub fn chosen(all: &'static [&'static str], text: &str) -> Result<&'static str, String> {
    let t = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if let Some(c) = all.iter().find(|c| c.eq_ignore_ascii_case(t)) {
        return Ok(c);
    }
    let starts: Vec<&&str> = all
        .iter()
        .filter(|c| c.to_lowercase().starts_with(&t.to_lowercase()))
        .collect();
    match starts.as_slice() {
        [one] if !t.is_empty() => Ok(one),
        _ => {
            let what = if all == ACTIVATIONS {
                "a Keras activation"
            } else {
                "one of the choices"
            };
            Err(format!("{t:?} is not {what}: {}", all.join(", ")))
        }
    }
}

/// The boolean a typed text means, spelled as Python does: `True`/`False` in any case or cut
/// short (`true`, `t`, `F`), as people coming from other languages type them, and `1`/`0`,
/// which Keras takes as truthy.
pub fn boolean(text: &str) -> Option<&'static str> {
    match text.trim() {
        "1" => Some("True"),
        "0" => Some("False"),
        t => chosen(&["True", "False"], t).ok(),
    }
}

/// An importer's message said of one field: a field has no earlier assignments to name.
fn in_a_form(message: &str) -> String {
    message
        .replace(", or a name assigned earlier", "")
        .replace(", which is not assigned earlier in the snippet", "")
}

/// Splits `a:1,b:Some(L2(0.1)),c:"x,y"` at the commas outside brackets and strings.
fn split_top(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut in_str = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in body.char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < body.len() {
        parts.push(&body[start..]);
    }
    parts
}

impl Popup for Form {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let input = match self.target {
            Target::Layer(i) => app.received_by(i),
            Target::Input | Target::NewInput | Target::FurtherInput(_) => None,
        };
        match action {
            Action::Insert(' ') if self.toggle(1) => {}
            Action::Text(TextOp::Right) if self.toggle(1) => {}
            Action::Text(TextOp::Left) if self.toggle(-1) => {}
            Action::Insert(c) => {
                if let Some(field) = self.fields.get_mut(self.index) {
                    field.text.insert(c);
                }
            }
            Action::Backspace | Action::Text(_) => {
                let op = match action {
                    Action::Text(op) => op,
                    _ => TextOp::DeleteBack,
                };
                if let Some(field) = self.fields.get_mut(self.index) {
                    field.text.apply(op);
                }
            }
            Action::PopupUp => self.focus(self.index.saturating_sub(1)),
            Action::PopupDown => self.focus(self.index + 1),
            Action::Confirm => match self.read(input.as_ref()) {
                Ok(value) => {
                    apply(app, &self.target, value);
                    return (Mode::Normal, Vec::new());
                }
                Err(e) => {
                    self.index = e.0;
                    self.error = Some(e);
                    return (Mode::Form(self), Vec::new());
                }
            },
            _ => {}
        }
        self.sync_cell();
        self.validate(input.as_ref());
        (Mode::Form(self), Vec::new())
    }
}

/// Puts a form's value into the design, as one undoable change.
fn apply(app: &mut App, target: &Target, value: Value) {
    match (target, value) {
        (Target::Input, Value::Input(new)) => {
            app.change(0, |d| d.input = new);
        }
        (Target::Layer(i), Value::Layer(new)) => {
            let i = *i;
            app.change(app.row_of_layer(i), |d| d.replace_layer(i, *new));
        }
        (Target::Layer(i), Value::Wired(new, call)) => {
            let i = *i;
            app.change(app.row_of_layer(i), |d| {
                d.replace_layer(i, *new);
                d.set_call(i, call);
            });
        }
        (Target::Input, Value::NamedFirst(new, name)) => {
            let mut renamed = true;
            app.change(0, |d| {
                d.input = new;
                renamed = d.rename_input(0, &name);
            });
            if !renamed {
                app.status(
                    format!("{name} is taken by another input or layer: the name stays"),
                    true,
                );
            }
        }
        (Target::FurtherInput(k), Value::Input(new)) => {
            let k = *k;
            app.change(app.selected, |d| d.set_further_input(k, new));
        }
        (Target::FurtherInput(k), Value::NamedFirst(new, name)) => {
            let k = *k;
            let mut renamed = true;
            app.change(app.selected, |d| {
                d.set_further_input(k, new);
                renamed = d.rename_input(k, &name);
            });
            if !renamed {
                app.status(
                    format!("{name} is taken by another input or layer: the name stays"),
                    true,
                );
            }
        }
        (Target::NewInput, Value::NewInput(new)) => {
            let sel = app.selected;
            let mut name = String::new();
            app.change(sel, |d| name = d.add_input(new));
            app.status(format!("added the model input {name}: B on a layer reads it, or Enter on a layer to wire it"), false);
        }
        _ => {}
    }
}
