//! What the importer knows about Keras' Python API without running it: the positional
//! parameters of each class it reads, in Keras 3's order (a kind's come from its Keras facts),
//! and what kind of value each keyword takes.

use crate::model::layers::KindEntry;

/// The input's constructors and their positional parameters, as Keras 3 declares them; every
/// layer kind keeps its own in its Keras facts.
const INPUTS: &[(&str, &[&str])] = &[
    (
        "Input",
        &[
            "shape",
            "batch_size",
            "dtype",
            "sparse",
            "batch_shape",
            "name",
        ],
    ),
    (
        "InputLayer",
        &["shape", "batch_size", "dtype", "sparse", "batch_shape"],
    ),
];

/// The cells an `RNN` runs and their positional parameters, as Keras 3 declares them.
const CELLS: &[(&str, &[&str])] = &[
    (
        "LSTMCell",
        &["units", "activation", "recurrent_activation", "use_bias"],
    ),
    (
        "GRUCell",
        &["units", "activation", "recurrent_activation", "use_bias"],
    ),
    ("SimpleRNNCell", &["units", "activation", "use_bias"]),
    ("StackedRNNCells", &["cells"]),
];

/// The positional parameters of a Keras class (`Dense(64)` means `units=64`): the input's
/// constructors, the recurrent cells and the catalogue's kinds, under their own names and
/// their aliases. A class with an answer is recognised as a layer call; any other is refused
/// by name.
pub fn positional(class: &str) -> Option<&'static [&'static str]> {
    INPUTS
        .iter()
        .chain(CELLS)
        .find(|(c, _)| *c == class)
        .map(|(_, params)| *params)
        .or_else(|| KindEntry::named(class).map(|k| k.keras.positional))
}

/// What a keyword's value must be; checked where it is written, so the error points at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A whole number from 0 (`units`, `filters`).
    Count,
    /// Any number (`rate`, `dropout`, `stddev`).
    Number,
    /// `True` or `False`.
    Bool,
    /// A string, or `None` where Keras allows it.
    Text,
    /// An activation's name (`'relu'`) or `None`.
    Activation,
    /// A tuple or list of sizes, `None` for an open one.
    Shape,
    /// `Reshape`'s target: sizes, one of which may be -1 for "whatever is left".
    TargetShape,
    /// A whole number or a tuple of them (`kernel_size`, `strides`).
    IntOrTuple,
    /// `l2(0.01)` and friends, or `None`.
    Regularizer,
    /// A layer call (the wrapped layer of a wrapper).
    Layer,
    /// Anything the importer can evaluate.
    Any,
}

impl KeyKind {
    /// The kind of value a keyword of `class` takes.
    pub fn of(class: &str, key: &str) -> KeyKind {
        match key {
            // Rescaling's and RandomPerspective's scale is a factor, the other augmentations' a
            // number or a range; every other kind's is a flag.
            "scale" | "offset" if class == "Rescaling" => KeyKind::Number,
            "scale" if class == "RandomPerspective" => KeyKind::Number,
            "scale" if class.starts_with("Random") => KeyKind::Any,
            "units"
            | "filters"
            | "input_dim"
            | "output_dim"
            | "n"
            | "groups"
            | "input_length"
            | "batch_size"
            | "depth_multiplier"
            | "num_heads"
            | "key_dim"
            | "head_dim"
            | "num_query_heads"
            | "num_key_value_heads" => KeyKind::Count,
            "rate" | "dropout" | "recurrent_dropout" | "stddev" | "momentum" | "epsilon" => {
                KeyKind::Number
            }
            "use_bias" | "return_sequences" | "return_state" | "go_backwards" | "stateful"
            | "unroll" | "reset_after" | "unit_forget_bias" | "mask_zero" | "trainable"
            | "center" | "scale" | "keepdims" | "rms_scaling" | "sparse" | "use_gate"
            | "use_scale" => KeyKind::Bool,
            "name" | "data_format" | "merge_mode" | "dtype" | "score_mode" => KeyKind::Text,
            "activation" | "recurrent_activation" => KeyKind::Activation,
            "input_shape" | "batch_input_shape" | "shape" | "batch_shape" | "dims" => {
                KeyKind::Shape
            }
            "target_shape" => KeyKind::TargetShape,
            "kernel_size" | "strides" | "pool_size" | "dilation_rate" | "size" => {
                KeyKind::IntOrTuple
            }
            "layer" | "backward_layer" => KeyKind::Layer,
            k if k.ends_with("_regularizer") => KeyKind::Regularizer,
            _ => KeyKind::Any,
        }
    }

    /// What a value of this kind looks like, for "expected ..." messages.
    pub fn expected(self) -> &'static str {
        match self {
            KeyKind::Count => "a whole number such as 64, or a name assigned earlier",
            KeyKind::Number => "a number such as 0.5, or a name assigned earlier",
            KeyKind::Bool => "True or False",
            KeyKind::Text => "a string such as 'name'",
            KeyKind::Activation => "an activation name such as 'relu', or None",
            KeyKind::Shape => "a tuple of sizes such as (100, 6), or a name assigned earlier",
            KeyKind::TargetShape => {
                "a tuple of sizes such as (12, 5) or (-1, 4), or a name assigned earlier"
            }
            KeyKind::IntOrTuple => "a whole number or a tuple of them, such as 3 or (3,)",
            KeyKind::Regularizer => "a regularizer such as l2(0.01), or None",
            KeyKind::Layer => "a layer such as LSTM(64)",
            KeyKind::Any => {
                "a number, a string, a tuple, True, False, None, or a name assigned earlier"
            }
        }
    }
}

/// Keras' regularizer constructors and the factor each defaults to: `L2()` is `L2(0.01)`, as in
/// Keras 3.
pub fn regularizer(name: &str) -> Option<Regularizer> {
    match name {
        "l1" | "L1" => Some(Regularizer::L1),
        "l2" | "L2" => Some(Regularizer::L2),
        "l1_l2" | "L1L2" => Some(Regularizer::L1L2),
        _ => None,
    }
}

/// The regularizer constructors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regularizer {
    /// `L1(l1=0.01)`.
    L1,
    /// `L2(l2=0.01)`.
    L2,
    /// `L1L2(l1=0.0, l2=0.0)`.
    L1L2,
}

impl Regularizer {
    /// Keras' class name.
    pub fn class(self) -> &'static str {
        match self {
            Regularizer::L1 => "L1",
            Regularizer::L2 => "L2",
            Regularizer::L1L2 => "L1L2",
        }
    }

    /// Parameters in positional order, with their defaults.
    pub fn parameters(self) -> &'static [(&'static str, f64)] {
        match self {
            Regularizer::L1 => &[("l1", 0.01)],
            Regularizer::L2 => &[("l2", 0.01)],
            Regularizer::L1L2 => &[("l1", 0.0), ("l2", 0.0)],
        }
    }
}

/// Classes only a functional model calls (merges and attention) and their positional
/// parameters in Keras 3's order, for classes the catalogue does not hold.
const GRAPH_ONLY: &[(&str, &[&str])] = &[
    (
        "MultiHeadAttention",
        &[
            "num_heads",
            "key_dim",
            "value_dim",
            "dropout",
            "use_bias",
            "output_shape",
            "attention_axes",
        ],
    ),
    (
        "GroupQueryAttention",
        &[
            "head_dim",
            "num_query_heads",
            "num_key_value_heads",
            "dropout",
            "use_bias",
        ],
    ),
    ("Attention", &["use_scale", "score_mode", "dropout", "seed"]),
    ("AdditiveAttention", &["use_scale", "dropout"]),
    ("Concatenate", &["axis"]),
    ("Dot", &["axes", "normalize"]),
    ("Add", &[]),
    ("Subtract", &[]),
    ("Multiply", &[]),
    ("Average", &[]),
    ("Maximum", &[]),
    ("Minimum", &[]),
];

/// The positional parameters of any class a functional model may construct: the catalogue's
/// and the input's first, then merges and attention.
pub fn graph_positional(class: &str) -> Option<&'static [&'static str]> {
    positional(class).or_else(|| {
        GRAPH_ONLY
            .iter()
            .find(|(c, _)| *c == class)
            .map(|(_, params)| *params)
    })
}

/// The class behind Keras' lowercase merge functions (`layers.concatenate([a, b])`).
pub fn merge_function(name: &str) -> Option<&'static str> {
    Some(match name {
        "add" => "Add",
        "subtract" => "Subtract",
        "multiply" => "Multiply",
        "average" => "Average",
        "maximum" => "Maximum",
        "minimum" => "Minimum",
        "concatenate" => "Concatenate",
        "dot" => "Dot",
        _ => return None,
    })
}
