//! `EinsumDense`: a dense layer written as an einsum equation; the equation and the partial
//! output shape decide the kernel's and the bias' shapes, as Keras works them out.

use serde::{Deserialize, Serialize};

use super::{
    Keras, KerasFacts, Kind, Knob, KnobValue, NONE_NOTE, Regularizer, is_true, push_activation,
    regularizer_notes, yes,
};
use crate::model::compute::{Tally, known_product};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Dim, Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, add, mul};

/// `keras.layers.EinsumDense`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EinsumDense {
    /// `input,kernel->output`, e.g. `abc,cd->abd`; `...` stands for axes passed through.
    pub equation: String,
    /// The output's shape without the batch axis; `None` entries stay open.
    pub output_shape: Vec<Dim>,
    /// Applied to the output; changes no count.
    pub activation: String,
    /// The output letters that get a bias, e.g. `d`; `None` for no bias.
    pub bias_axes: Option<String>,
    /// Penalty on the kernel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_regularizer: Option<Regularizer>,
    /// Penalty on the bias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias_regularizer: Option<Regularizer>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the weights.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for EinsumDense {
    fn default() -> Self {
        Self {
            equation: "...b,bc->...c".into(),
            output_shape: vec![Some(32)],
            activation: "linear".into(),
            bias_axes: None,
            kernel_regularizer: None,
            bias_regularizer: None,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for EinsumDense {
    const FACTS: KerasFacts = KerasFacts {
        required: &["equation", "output_shape"],
        positional: &["equation", "output_shape", "activation", "bias_axes"],
        leading: 2,
        ..KerasFacts::PLAIN
    };
}

/// What the equation makes of an input.
#[derive(Debug, Clone, PartialEq)]
pub struct Einsum {
    /// The kernel's shape.
    pub kernel: Vec<u64>,
    /// The bias' shape, if any.
    pub bias: Option<Vec<u64>>,
    /// The output, batch axis included.
    pub output: Vec<Dim>,
    /// Letters summed over (in the input and the kernel, not in the output) and their sizes.
    pub contracted: Vec<(char, u64)>,
}

/// The three spellings Keras accepts: `X,Y->Z`, `...X,Y->...Z` and `X...,Y->Z...`; the
/// specs and whether the elided axes lead.
fn split(equation: &str) -> Option<(&str, &str, &str, bool)> {
    let letters = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic());
    let (lhs, out) = equation.split_once("->")?;
    let (input, kernel) = lhs.split_once(',')?;
    if let (Some(i), Some(o)) = (input.strip_prefix("..."), out.strip_prefix("...")) {
        return (letters(i) && letters(kernel) && letters(o)).then_some((i, kernel, o, true));
    }
    if let (Some(i), Some(o)) = (input.strip_suffix("..."), out.strip_suffix("...")) {
        return (i.len() >= 2 && letters(i) && letters(kernel) && letters(o))
            .then_some((i, kernel, o, false));
    }
    (letters(input) && letters(kernel) && letters(out)).then_some((input, kernel, out, false))
}

/// Python's `list[i]`, negative indices counting from the end.
fn at(v: &[Dim], i: i64) -> Option<Dim> {
    let n = i64::try_from(v.len()).ok()?;
    let j = if i < 0 { n + i } else { i };
    usize::try_from(j).ok().and_then(|j| v.get(j).copied())
}

/// Keras' checks of the letters: a letter the input and output share has one size, and every
/// output letter comes from the input or the kernel.
fn letters_match(
    (input_spec, weight_spec, output_spec): (&str, &str, &str),
    input_size: impl Fn(usize) -> Dim,
    output_size: impl Fn(usize) -> Option<Dim>,
) -> Result<(), LayerError> {
    for (k, dim) in input_spec.chars().enumerate() {
        let size = input_size(k);
        if let Some(j) = output_spec.find(dim) {
            let o = output_size(j).ok_or_else(|| {
                LayerError::field(
                    "output_shape",
                    format!("does not give a size for every letter of the output spec '{output_spec}': list one per output letter after the batch's"),
                )
            })?;
            if o.is_some() && o != size {
                return Err(LayerError::field(
                    "output_shape",
                    format!(
                        "Input shape and output shape do not match at shared dimension '{dim}': the input has {}, output_shape says {}",
                        size.map_or("None".into(), |s| s.to_string()),
                        o.map_or("None".into(), |s| s.to_string())
                    ),
                ));
            }
        }
    }
    for dim in output_spec.chars() {
        if !input_spec.contains(dim) && !weight_spec.contains(dim) {
            return Err(LayerError::field(
                "equation",
                format!(
                    "Dimension '{dim}' was specified in the output '{output_spec}' but has no corresponding dim in the input spec '{input_spec}' or weight spec '{weight_spec}'"
                ),
            ));
        }
    }
    Ok(())
}

impl EinsumDense {
    /// Keras' `_analyze_einsum_string`, step for step (the batch axis is axis 0).
    pub fn analyze(&self, input: &Shape) -> Result<Einsum, LayerError> {
        let (input_spec, weight_spec, output_spec, left) = split(&self.equation).ok_or_else(|| {
            LayerError::field(
                "equation",
                format!("Invalid einsum equation '{}': equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]..., e.g. \"abc,cd->abd\"", self.equation),
            )
        })?;
        let mut shape: Vec<Dim> = vec![None];
        shape.extend_from_slice(&input.0);
        let n = i64::try_from(shape.len()).map_err(|_| LayerError::Overflow)?;
        let elided = n - i64::try_from(input_spec.len()).map_err(|_| LayerError::Overflow)?;
        if elided < 0 {
            return Err(LayerError::shape(
                format!(
                    "an input of rank {} (batch included) for '{input_spec}'",
                    input_spec.len()
                ),
                input,
                "write one input letter per axis of the input, batch included, or start the equation with ... (\"...b,bc->...c\") to pass the leading axes through",
            ));
        }
        let mut out: Vec<Dim> = vec![shape[0]];
        out.extend_from_slice(&self.output_shape);
        if elided > 0 && left {
            // Keras inserts each elided axis at position 1 in turn.
            for i in 1..elided {
                out.insert(1, at(&shape, i).flatten());
            }
        } else if elided > 0 {
            for i in n - elided..n {
                out.push(at(&shape, i).flatten());
            }
        }
        let in_index = |k: usize| -> i64 {
            let k = k as i64;
            if left { k + elided - n } else { k }
        };
        let out_index = |k: usize| -> i64 {
            let k = k as i64;
            if left { k + elided } else { k }
        };
        let bad_out = || {
            LayerError::field(
                "output_shape",
                format!(
                    "has {} entries, which does not fit the output spec '{output_spec}'",
                    self.output_shape.len()
                ),
            )
        };
        letters_match(
            (input_spec, weight_spec, output_spec),
            |k| at(&shape, in_index(k)).flatten(),
            |j| at(&out, out_index(j)),
        )?;
        let mut kernel = Vec::with_capacity(weight_spec.len());
        let mut contracted = Vec::new();
        for dim in weight_spec.chars() {
            let size = if let Some(j) = output_spec.find(dim) {
                at(&out, out_index(j)).ok_or_else(bad_out)?
            } else if let Some(k) = input_spec.find(dim) {
                let s = at(&shape, in_index(k)).flatten();
                if let Some(s) = s {
                    contracted.push((dim, s));
                }
                s
            } else {
                return Err(LayerError::field(
                    "equation",
                    format!(
                        "Weight dimension '{dim}' did not have a match in either the input spec '{input_spec}' or the output spec '{output_spec}': the kernel must be fully specified"
                    ),
                ));
            };
            kernel.push(size.ok_or_else(|| {
                LayerError::shape(
                    format!("a known size for the kernel's axis '{dim}'"),
                    input,
                    "give that axis a size in output_shape or in the input",
                )
            })?);
        }
        let bias = match &self.bias_axes {
            None => None,
            Some(axes) => Some(self.bias_shape(axes, output_spec, &out, elided, left)?),
        };
        if kernel.len() > 5 || bias.as_ref().is_some_and(|b| b.len() > 5) {
            return Err(LayerError::field(
                "equation",
                "lstm-tui counts kernels of at most 5 axes",
            ));
        }
        Ok(Einsum {
            kernel,
            bias,
            output: out,
            contracted,
        })
    }

    /// The bias over the output letters from the first bias letter on, 1 where a letter has
    /// no bias; trailing elided axes add 1s.
    fn bias_shape(
        &self,
        axes: &str,
        output_spec: &str,
        out: &[Dim],
        elided: i64,
        left: bool,
    ) -> Result<Vec<u64>, LayerError> {
        if let Some(c) = axes.chars().find(|c| !output_spec.contains(*c)) {
            return Err(LayerError::field(
                "bias_axes",
                format!(
                    "Bias dimension '{c}' was requested, but is not part of the output spec '{output_spec}'"
                ),
            ));
        }
        let Some(first) = axes.chars().filter_map(|c| output_spec.find(c)).min() else {
            return Ok(Vec::new());
        };
        let lead = if left { elided } else { 0 };
        let mut shape = Vec::new();
        for (k, c) in output_spec.chars().enumerate().skip(first) {
            if axes.contains(c) {
                let size = at(out, k as i64 + lead).flatten().ok_or_else(|| {
                    LayerError::field(
                        "output_shape",
                        format!(
                            "the bias axis '{c}' needs a known size: give it one in output_shape"
                        ),
                    )
                })?;
                shape.push(size);
            } else {
                shape.push(1);
            }
        }
        if !left {
            shape.extend(std::iter::repeat_n(1, usize::try_from(elided).unwrap_or(0)));
        }
        Ok(shape)
    }
}

impl Kind for EinsumDense {
    fn auto_name(&self) -> &'static str {
        "einsum_dense"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let e = self.analyze(input)?;
        mul(&e.kernel)?;
        Ok(Output::One(Shape(e.output[1..].into())))
    }
    fn weights(&self, input: &Shape, _: Convention, sink: Sink) -> Result<(), LayerError> {
        let e = self.analyze(input)?;
        sink.put(Weight::new("kernel", &e.kernel));
        if let Some(b) = &e.bias {
            sink.put(Weight::new("bias", b));
        }
        Ok(())
    }
    fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let a = self.analyze(input)?;
        let mut e = Explanation::default();
        let (_, weight_spec, _, _) = split(&self.equation).unwrap_or_default();
        let kernel = mul(&a.kernel)?;
        e.step(
            format!(
                "kernel: one size per letter of '{weight_spec}' in \"{}\" (from the input or output_shape)",
                self.equation
            ),
            a.kernel.iter().map(|&d| thousands(d)).collect::<Vec<_>>().join(" × "),
            kernel,
        );
        match &a.bias {
            Some(b) => {
                let bias = mul(b)?;
                e.step(
                    format!(
                        "plus a bias over the output letters '{}' (1 on the other letters after the first, so it broadcasts)",
                        self.bias_axes.as_deref().unwrap_or("")
                    ),
                    format!(
                        "{} + {}",
                        thousands(kernel),
                        b.iter().map(|&d| thousands(d)).collect::<Vec<_>>().join(" × ")
                    ),
                    add(&[kernel, bias])?,
                );
            }
            None => e.note("bias_axes=None: no bias, only the kernel."),
        }
        if a.output.iter().skip(1).any(Option::is_none) {
            e.note("A None in output_shape stays open in the output shape, as Keras leaves it.");
        }
        e.note(NONE_NOTE);
        e.note("PyTorch has no EinsumDense: the export writes torch.einsum with the same kernel and bias, so it counts the same.");
        regularizer_notes(
            &mut e,
            &[
                ("kernel_regularizer", self.kernel_regularizer),
                ("bias_regularizer", self.bias_regularizer),
            ],
        );
        Ok(e)
    }
    fn macs(&self, input: &Shape, output: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let a = self.analyze(input)?;
        let out = crate::model::compute::single(output)?;
        let positions = known_product(&out.0, "size on every output axis", out)?;
        let summed = mul(&a.contracted.iter().map(|&(_, s)| s).collect::<Vec<_>>())?;
        let letters: String = a.contracted.iter().map(|&(c, _)| c).collect();
        Ok(tally.step(
            || {
                format!(
                    "each of the {} output values sums {} products over the letters '{letters}' the input and kernel share",
                    thousands(positions),
                    thousands(summed)
                )
            },
            || format!("{} × {}", thousands(positions), thousands(summed)),
            mul(&[positions, summed])?,
        ))
    }
    fn brief(&self) -> String {
        let mut s = format!("EinsumDense {}", self.equation);
        push_activation(&mut s, &self.activation);
        s
    }
    fn knob(&self) -> Option<Knob> {
        None
    }
    fn set_knob(&mut self, _: KnobValue) {}
    name_and_trainable!();
}
