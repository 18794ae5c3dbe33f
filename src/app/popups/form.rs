//! The edit form: every field of a layer kind, with no per-kind code. The layer is written as
//! RON, split into its top-level fields, edited as text, joined back and read as a [`Layer`];
//! the result is validated with [`Kind::output`] on the layer's current input.

use crate::app::action::{Action, Effect};
use crate::app::popups::Popup;
use crate::app::state::{App, Mode};
use crate::model::{Dtype, Input, Layer, LayerError, Shape};

/// What the form edits.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The model's input shape and type.
    Input,
    /// The layer at this index of the design.
    Layer(usize),
}

/// How a field's text becomes RON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Written as is: numbers, booleans, `Some(L2(0.0015))`.
    Ron,
    /// A string, shown without quotes.
    Str,
    /// An optional string (the layer's name): empty means none.
    OptStr,
}

/// One editable field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Keras field name.
    pub name: String,
    /// The text being edited.
    pub text: String,
    /// How the text is read.
    pub syntax: Syntax,
}

/// An open edit form.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// What is edited.
    pub target: Target,
    /// The layer's RON variant name (`LSTM`), or `Input`.
    pub variant: String,
    /// The fields, in the order the layer declares them.
    pub fields: Vec<Field>,
    /// The field with the cursor.
    pub index: usize,
    /// Why the current texts are rejected, and which field is at fault.
    pub error: Option<(usize, String)>,
}

/// The result of reading a form back.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A new input.
    Input(Input),
    /// A new layer.
    Layer(Layer),
}

impl Form {
    /// A form for one layer, or `None` if it cannot be written as RON.
    pub fn for_layer(index: usize, layer: &Layer) -> Option<Form> {
        let text = ron::to_string(layer).ok()?;
        let open = text.find("((")?;
        let variant = text[..open].to_string();
        let body = text.get(open + 2..text.len().checked_sub(2)?)?;
        let mut fields: Vec<Field> = split_top(body)
            .into_iter()
            .filter_map(|pair| {
                let (name, value) = pair.split_once(':')?;
                Some(field(name, value))
            })
            .collect();
        if !fields.iter().any(|f| f.name == "name") {
            fields.push(Field {
                name: "name".into(),
                text: String::new(),
                syntax: Syntax::OptStr,
            });
        }
        Some(Form {
            target: Target::Layer(index),
            variant,
            fields,
            index: 0,
            error: None,
        })
    }

    /// A form for the model's input: one field per dimension (named as Keras users say them),
    /// then the element type.
    pub fn for_input(input: &Input) -> Form {
        let names = dim_names(input.shape.0.len(), input.dtype);
        let mut fields: Vec<Field> = input
            .shape
            .0
            .iter()
            .zip(names)
            .map(|(d, name)| Field {
                name,
                text: d.map_or("None".to_string(), |d| d.to_string()),
                syntax: Syntax::Ron,
            })
            .collect();
        fields.push(Field {
            name: "dtype".into(),
            text: format!("{:?}", input.dtype),
            syntax: Syntax::Ron,
        });
        Form {
            target: Target::Input,
            variant: "Input".into(),
            fields,
            index: 0,
            error: None,
        }
    }

    /// Reads the texts back. `input` is the shape the layer receives, when it is known; a
    /// field error from Keras' rules (zero units, a rate above 1) rejects the value, a shape
    /// mismatch with the rest of the stack does not (the summary shows it in place).
    pub fn read(&self, input: Option<&Shape>) -> Result<Value, (usize, String)> {
        match self.target {
            Target::Input => self.read_input().map(Value::Input),
            Target::Layer(_) => {
                let layer = self.read_layer()?;
                if let Some(shape) = input
                    && let Err(e) = layer.kind().output(shape)
                {
                    match e {
                        LayerError::Shape { .. } => {}
                        LayerError::Field { field, .. } => {
                            let at = self.position(field).unwrap_or(self.index);
                            return Err((at, e.to_string()));
                        }
                        other => return Err((self.index, other.to_string())),
                    }
                }
                Ok(Value::Layer(layer))
            }
        }
    }

    /// Rechecks the texts after an edit.
    pub fn validate(&mut self, input: Option<&Shape>) {
        self.error = self.read(input).err();
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    fn read_layer(&self) -> Result<Layer, (usize, String)> {
        let mut text = format!("{}((", self.variant);
        let mut spans = Vec::with_capacity(self.fields.len());
        for (i, f) in self.fields.iter().enumerate() {
            let value = match f.syntax {
                Syntax::Ron if f.text.trim().is_empty() => {
                    return Err((i, format!("{}: needs a value", f.name)));
                }
                Syntax::Ron => f.text.trim().to_string(),
                Syntax::Str => quote(&f.text),
                Syntax::OptStr if f.text.is_empty() => continue,
                Syntax::OptStr => format!("Some({})", quote(&f.text)),
            };
            let start = text.chars().count();
            text.push_str(&f.name);
            text.push(':');
            text.push_str(&value);
            text.push(',');
            spans.push((i, start, text.chars().count()));
        }
        text.push_str("))");
        ron::from_str::<Layer>(&text).map_err(|e| {
            // RON columns are 1-based characters on the one line we wrote.
            let col = e.span.start.col.saturating_sub(1);
            let at = spans
                .iter()
                .find(|(_, s, end)| col >= *s && col < *end)
                .map_or(self.index, |(i, _, _)| *i);
            let field = self.fields.get(at);
            let name = field.map_or("", |f| f.name.as_str());
            match e.code {
                // RON says "out of bounds" for any integer an unsigned field cannot hold.
                ron::Error::IntegerOutOfBounds
                    if field.is_some_and(|f| f.text.trim_start().starts_with('-')) =>
                {
                    (
                        at,
                        format!("{name}: a size cannot be negative: use a whole number such as 64"),
                    )
                }
                code => (at, format!("{name}: {code}")),
            }
        })
    }

    fn read_input(&self) -> Result<Input, (usize, String)> {
        let Some((dtype_field, dims)) = self.fields.split_last() else {
            return Err((0, "no fields".into()));
        };
        let dtype = match dtype_field.text.trim() {
            "Float32" | "float32" => Dtype::Float32,
            "Int32" | "int32" => Dtype::Int32,
            other => {
                return Err((
                    dims.len(),
                    format!("dtype: {other:?} is not Float32 (features) or Int32 (token ids)"),
                ));
            }
        };
        let mut shape = Vec::with_capacity(dims.len());
        for (i, f) in dims.iter().enumerate() {
            let t = f.text.trim();
            if t == "None" || t == "none" {
                shape.push(None);
                continue;
            }
            match t.parse::<u64>() {
                Ok(0) => return Err((i, format!("{}: must be at least 1", f.name))),
                Ok(n) => shape.push(Some(n)),
                Err(_) => {
                    return Err((
                        i,
                        format!("{}: {t:?} is not a whole number or None", f.name),
                    ));
                }
            }
        }
        Ok(Input {
            shape: Shape(shape.into()),
            dtype,
        })
    }
}

/// What Keras users call each input dimension.
fn dim_names(rank: usize, dtype: Dtype) -> Vec<String> {
    match (rank, dtype) {
        (1, Dtype::Int32) => vec!["sequence length".into()],
        (1, Dtype::Float32) => vec!["features".into()],
        (2, _) => vec!["timesteps".into(), "features".into()],
        _ => (1..=rank).map(|i| format!("dim {i}")).collect(),
    }
}

fn field(name: &str, value: &str) -> Field {
    let name = name.trim().to_string();
    if let Some(s) = value
        .strip_prefix("Some(")
        .and_then(|v| v.strip_suffix(')'))
        && s.starts_with('"')
        && let Ok(text) = ron::from_str::<String>(s)
    {
        return Field {
            name,
            text,
            syntax: Syntax::OptStr,
        };
    }
    if value.starts_with('"')
        && let Ok(text) = ron::from_str::<String>(value)
    {
        return Field {
            name,
            text,
            syntax: Syntax::Str,
        };
    }
    Field {
        name,
        text: value.to_string(),
        syntax: Syntax::Ron,
    }
}

fn quote(s: &str) -> String {
    ron::to_string(s).unwrap_or_else(|_| "\"\"".into())
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
            Target::Layer(i) => app.input_of(i),
            Target::Input => None,
        };
        match action {
            Action::Insert(c) => {
                if let Some(field) = self.fields.get_mut(self.index) {
                    field.text.push(c);
                }
                self.validate(input.as_ref());
            }
            Action::Backspace => {
                if let Some(field) = self.fields.get_mut(self.index) {
                    field.text.pop();
                }
                self.validate(input.as_ref());
            }
            Action::PopupUp => self.index = self.index.saturating_sub(1),
            Action::PopupDown => {
                self.index = (self.index + 1).min(self.fields.len().saturating_sub(1));
            }
            Action::Confirm => match self.read(input.as_ref()) {
                Ok(value) => {
                    match (self.target, value) {
                        (Target::Input, Value::Input(new)) => {
                            app.change(0, |d| d.input = new);
                        }
                        (Target::Layer(i), Value::Layer(new)) => {
                            app.change(i + 1, |d| {
                                if let Some(slot) = d.layers.get_mut(i) {
                                    *slot = new;
                                }
                            });
                        }
                        _ => {}
                    }
                    return (Mode::Normal, Vec::new());
                }
                Err(e) => {
                    self.index = e.0;
                    self.error = Some(e);
                }
            },
            _ => {}
        }
        (Mode::Form(self), Vec::new())
    }
}
