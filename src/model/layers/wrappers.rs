//! Wrappers: `Bidirectional` (two copies of a recurrent layer, one reading backwards),
//! `TimeDistributed` (one layer applied to every timestep with shared weights) and
//! `SpectralNormalization` (the wrapped kernel rescaled by its largest singular value).

use serde::{Deserialize, Serialize};

use super::{
    Dense, Keras, KerasFacts, Kind, Knob, KnobValue, Layer, Lstm, MaskUse, NONE_NOTE, is_true,
    other_convention_note, yes,
};
use crate::model::compute::{Tally, known};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Dims, Output, Shape};
use crate::model::weights::{Convention, Scope, Sink, Weight, Weights, add, mul};

/// How `Bidirectional` combines the forward and backward outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MergeMode {
    /// Join along the features: twice the units.
    #[default]
    Concat,
    /// Add element-wise.
    Sum,
    /// Multiply element-wise.
    Mul,
    /// Average element-wise.
    Ave,
}

impl MergeMode {
    /// Keras' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MergeMode::Concat => "concat",
            MergeMode::Sum => "sum",
            MergeMode::Mul => "mul",
            MergeMode::Ave => "ave",
        }
    }
}

/// `keras.layers.Bidirectional`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Bidirectional {
    /// The recurrent layer run in both directions.
    pub layer: Box<Layer>,
    /// How the two outputs are combined; `None` returns both separately.
    pub merge_mode: Option<MergeMode>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes both directions.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for Bidirectional {
    fn default() -> Self {
        Self {
            layer: Box::new(Layer::Lstm(Lstm::default())),
            merge_mode: Some(MergeMode::Concat),
            name: None,
            trainable: true,
        }
    }
}

impl Bidirectional {
    fn check_inner(&self) -> Result<(), LayerError> {
        let Some(backwards) = self.layer.kind().go_backwards() else {
            return Err(LayerError::field(
                "layer",
                format!(
                    "Bidirectional wraps a recurrent layer (LSTM, GRU, SimpleRNN), not {}",
                    self.layer.kind().class()
                ),
            ));
        };
        // Keras builds the backward copy by flipping go_backwards; a wrapped layer that already
        // runs backwards would make both copies read the same direction, which Keras refuses.
        if backwards {
            return Err(LayerError::field(
                "layer",
                "the wrapped layer has go_backwards=True; Bidirectional makes the backward copy itself: set go_backwards=False",
            ));
        }
        Ok(())
    }
}

impl Keras for Bidirectional {
    const FACTS: KerasFacts = KerasFacts {
        required: &["layer"],
        positional: &["layer", "merge_mode", "weights", "backward_layer"],
        leading: 1,
        mask: MaskUse::TakesAndPasses,
        ..KerasFacts::PLAIN
    };
}

impl Kind for Bidirectional {
    fn auto_name(&self) -> &'static str {
        "bidirectional"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        self.check_inner()?;
        // With return_state=True the wrapped layer returns [output, states...]; Keras merges
        // the outputs and appends the forward states, then the backward ones.
        let (mut one, states) = match self.layer.kind().output(input)? {
            Output::One(s) => (s, Vec::new()),
            Output::Many(mut all) => {
                let states = all.split_off(1.min(all.len()));
                match all.pop() {
                    Some(main) => (main, states),
                    None => {
                        return Err(LayerError::shape(
                            "an output",
                            input,
                            "wrap a recurrent layer",
                        ));
                    }
                }
            }
        };
        if self.merge_mode == Some(MergeMode::Concat) {
            if let Some(Some(last)) = one.0.last_mut() {
                *last = mul(&[2, *last])?;
            }
        }
        // The usual call, merged and without states, makes one tensor and no list.
        if self.merge_mode.is_some() && states.is_empty() {
            return Ok(Output::One(one));
        }
        let mut outputs = match self.merge_mode {
            Some(_) => vec![one],
            None => vec![one.clone(), one],
        };
        outputs.extend(states.iter().cloned());
        outputs.extend(states);
        Ok(Output::Many(outputs))
    }
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let inner = self.layer.kind();
        let frozen = self.layer.frozen();
        for scope in [Scope::Forward, Scope::Backward] {
            inner.weights(input, convention, &mut sink.within(Some(scope), frozen))?;
        }
        Ok(())
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let inner = self.layer.kind();
        let one = inner.explain(input, convention)?;
        let mut e = Explanation::default();
        let per_direction = one.steps.last().map_or(0, |s| s.value);
        for s in one.steps {
            e.step(format!("one direction: {}", s.what), s.expr, s.value);
        }
        e.step(
            format!(
                "two independent copies of {}: forward and backward, each with its own weights",
                inner.class()
            ),
            format!("2 × {}", thousands(per_direction)),
            mul(&[2, per_direction])?,
        );
        e.note(match self.merge_mode {
            Some(MergeMode::Concat) => "merge_mode=concat joins the two outputs along the features, doubling the last dimension; merging adds no parameters.".to_string(),
            Some(m) => format!("merge_mode={} combines the two outputs element by element, so the last dimension stays the same; merging adds no parameters.", m.as_str()),
            None => "merge_mode=None returns the forward and backward outputs as two separate tensors.".to_string(),
        });
        e.note(NONE_NOTE);
        other_convention_note(
            &mut e,
            self,
            input,
            convention,
            match convention {
                Convention::Keras => {
                    "nn.LSTM/GRU/RNN(bidirectional=True) keeps the same two copies (the backward ones named *_reverse), each with PyTorch's own count; it always concatenates."
                }
                Convention::PyTorch => {
                    "Bidirectional keeps the same two copies (forward_* and backward_*), each with Keras' own count."
                }
            },
        );
        Ok(e)
    }
    fn macs(&self, input: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let inner = self.layer.kind();
        let inner_out = inner.output(input)?;
        let mut one_way = tally.nested();
        let one = inner.macs(input, &inner_out, &mut one_way)?;
        tally.absorb(one_way, "one direction: ");
        Ok(tally.step(
            || "two directions, forward and backward, each reading the whole sequence".into(),
            || format!("2 × {}", thousands(one)),
            mul(&[2, one])?,
        ))
    }
    fn brief(&self) -> String {
        let merge = self.merge_mode.map_or("none", MergeMode::as_str);
        format!("Bidirectional({}) {merge}", self.layer.kind().brief())
    }
    fn knob(&self) -> Option<Knob> {
        self.layer.kind().knob()
    }
    fn set_knob(&mut self, value: KnobValue) {
        self.layer.kind_mut().set_knob(value);
    }
    fn inner(&self) -> Option<&Layer> {
        Some(&self.layer)
    }
    fn inner_mut(&mut self) -> Option<&mut Layer> {
        Some(&mut self.layer)
    }
    fn drops_time_axis(&self) -> bool {
        self.layer.kind().drops_time_axis()
    }
    fn constructor_freezes(&self) -> bool {
        false
    }
    name_and_trainable!();
}

/// `keras.layers.TimeDistributed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimeDistributed {
    /// The layer applied to every timestep.
    pub layer: Box<Layer>,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False freezes the wrapped layer.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for TimeDistributed {
    fn default() -> Self {
        Self {
            layer: Box::new(Layer::Dense(Dense::default())),
            name: None,
            trainable: true,
        }
    }
}

/// What one timestep looks like: the input without its time axis.
fn step_shape(input: &Shape) -> Result<Shape, LayerError> {
    if input.ndim() < 3 {
        return Err(LayerError::shape(
            "at least 3-D input (batch, timesteps, ...)",
            input,
            "TimeDistributed applies its layer to every timestep: put it after a layer that keeps the time axis (return_sequences=True, RepeatVector, ...)",
        ));
    }
    // From the slice, copied at once: converting it goes element by element.
    Ok(Shape(Dims::from_slice(&input.0[1..])))
}

impl Keras for TimeDistributed {
    const FACTS: KerasFacts = KerasFacts {
        required: &["layer"],
        positional: &["layer"],
        leading: 1,
        mask: MaskUse::TakesAndPasses,
        ..KerasFacts::PLAIN
    };
}

impl Kind for TimeDistributed {
    fn auto_name(&self) -> &'static str {
        "time_distributed"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        let step = step_shape(input)?;
        match self.layer.kind().output(&step)? {
            Output::One(s) => {
                let mut dims = Dims::with_capacity(s.0.len() + 1);
                dims.push(input.0[0]);
                dims.extend_from_slice(&s.0);
                Ok(Output::One(Shape(dims)))
            }
            many @ Output::Many(_) => Err(LayerError::shape(
                "a wrapped layer with one output",
                many,
                "wrap a layer that returns one tensor",
            )),
        }
    }
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let inner = self.layer.kind();
        let frozen = self.layer.frozen();
        inner.weights(
            &step_shape(input)?,
            convention,
            &mut sink.within(None, frozen),
        )
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let step = step_shape(input)?;
        let inner = self.layer.kind();
        let mut e = inner.explain(&step, convention)?;
        e.notes.clear();
        e.note(format!(
            "TimeDistributed runs the same {} on each of the {} timesteps: the weights are shared, so the count is that of one {} on {step}.",
            inner.class(),
            input.0[0].map_or("None".to_string(), |t| t.to_string()),
            inner.class()
        ));
        e.note(NONE_NOTE);
        other_convention_note(
            &mut e,
            self,
            input,
            convention,
            "PyTorch has no TimeDistributed; its layers (nn.Linear, ...) already act on the last axis of every timestep with the same weights.",
        );
        Ok(e)
    }
    fn macs(&self, input: &Shape, output: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let step = step_shape(input)?;
        let inner = self.layer.kind();
        // The wrapped layer's output is this one's without the time axis, as `output` builds
        // it: taken back, not built again.
        let inner_out = match output {
            Output::One(s) if !s.0.is_empty() => Output::One(Shape(Dims::from_slice(&s.0[1..]))),
            _ => inner.output(&step)?,
        };
        let mut per_step = tally.nested();
        let one = inner.macs(&step, &inner_out, &mut per_step)?;
        tally.absorb(per_step, "one timestep: ");
        let t = known(input.0[0], "number of timesteps", input)?;
        Ok(tally.step(
            || {
                format!(
                    "the same {} runs on each of the {} timesteps",
                    inner.class(),
                    thousands(t)
                )
            },
            || format!("{} × {}", thousands(t), thousands(one)),
            mul(&[t, one])?,
        ))
    }
    fn brief(&self) -> String {
        format!("TimeDistributed({})", self.layer.kind().brief())
    }
    fn knob(&self) -> Option<Knob> {
        self.layer.kind().knob()
    }
    fn set_knob(&mut self, value: KnobValue) {
        self.layer.kind_mut().set_knob(value);
    }
    fn inner(&self) -> Option<&Layer> {
        Some(&self.layer)
    }
    fn inner_mut(&mut self) -> Option<&mut Layer> {
        Some(&mut self.layer)
    }
    fn constructor_freezes(&self) -> bool {
        false
    }
    name_and_trainable!();
}

/// `keras.layers.SpectralNormalization`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpectralNormalization {
    /// The layer whose kernel (or embeddings table) is divided by its largest singular value.
    pub layer: Box<Layer>,
    /// Power-iteration steps per call that estimate that singular value; changes no count.
    pub power_iterations: u64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Keras ignores `trainable=False` given to the wrapper's constructor.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for SpectralNormalization {
    fn default() -> Self {
        Self {
            layer: Box::new(Layer::Dense(Dense::default())),
            power_iterations: 1,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for SpectralNormalization {
    const FACTS: KerasFacts = KerasFacts {
        required: &["layer"],
        positional: &["layer", "power_iterations"],
        leading: 1,
        ..KerasFacts::PLAIN
    };
}

impl SpectralNormalization {
    /// The wrapped layer's kernel (or embeddings table) in Keras, the weight Keras normalises
    /// and whose last axis sizes `vector_u`; or why the layer cannot be wrapped.
    fn kernel(&self, input: &Shape) -> Result<Weight, LayerError> {
        let inner = self.layer.kind();
        let refuse = || {
            LayerError::field(
                "layer",
                format!(
                    "{} object has no attribute 'kernel' or 'embeddings': SpectralNormalization wraps a layer with a kernel (Dense, Conv2D, ...) or an Embedding",
                    inner.class()
                ),
            )
        };
        if inner.inner().is_some() || inner.go_backwards().is_some() {
            return Err(refuse());
        }
        let mut first = None;
        inner.weights(
            input,
            Convention::Keras,
            &mut Weights::each(&mut |w| {
                first.get_or_insert(w);
            }),
        )?;
        first
            .filter(|w| matches!(w.name, "kernel" | "embeddings"))
            .ok_or_else(refuse)
    }

    /// The length of `vector_u`: the size of the kernel's last axis in Keras.
    pub fn vector_u_len(&self, input: &Shape) -> Result<u64, LayerError> {
        Ok(self.kernel(input)?.shape().last().copied().unwrap_or(1))
    }

    /// `vector_u`: one row as long as the kernel's last axis, not trained.
    fn vector_u(&self, input: &Shape) -> Result<Weight, LayerError> {
        let kernel = self.kernel(input)?;
        let last = kernel.shape().last().copied().unwrap_or(1);
        Ok(Weight::new("vector_u", &[1, last]).frozen())
    }
}

impl Kind for SpectralNormalization {
    fn auto_name(&self) -> &'static str {
        "spectral_normalization"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        if self.power_iterations == 0 {
            return Err(LayerError::field(
                "power_iterations",
                "`power_iterations` should be greater than zero: use 1 (Keras' default)",
            ));
        }
        let out = self.layer.kind().output(input)?;
        self.vector_u(input)?;
        Ok(out)
    }
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError> {
        let frozen = self.layer.frozen();
        let u = match convention {
            Convention::Keras => Some(self.vector_u(input)?),
            // PyTorch's spectral_norm keeps u (and v) as buffers, not parameters.
            Convention::PyTorch => None,
        };
        let mut first = true;
        let mut inner = sink.within(None, frozen);
        let mut wrapped = |w| {
            inner.put(w);
            // Keras lists the wrapper's vector_u right after the kernel it reads.
            if std::mem::take(&mut first) {
                if let Some(u) = u {
                    inner.put(u);
                }
            }
        };
        self.layer
            .kind()
            .weights(input, convention, &mut Weights::each(&mut wrapped))
    }
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let inner = self.layer.kind();
        let one = inner.explain(input, convention)?;
        let wrapped = one.steps.last().map_or(0, |s| s.value);
        let mut e = Explanation::default();
        for s in one.steps {
            e.step(format!("{}: {}", inner.class(), s.what), s.expr, s.value);
        }
        let kernel = self.kernel(input)?;
        let u = self.vector_u(input)?.count()?;
        let dims = kernel
            .shape()
            .iter()
            .map(|&d| thousands(d))
            .collect::<Vec<_>>()
            .join(", ");
        match convention {
            Convention::Keras => {
                e.step(
                    format!(
                        "non-trainable: vector_u, the power-iteration estimate of the {} ({dims})'s top singular vector, one value per position of its last axis",
                        kernel.name
                    ),
                    format!("{} + 1 × {}", thousands(wrapped), thousands(u)),
                    add(&[wrapped, u])?,
                );
                e.note("vector_u is updated by power iteration, not by gradients, so Keras counts it as non-trainable.");
            }
            Convention::PyTorch => e.note(format!(
                "torch.nn.utils.parametrizations.spectral_norm keeps its u and v vectors as buffers, not parameters: Keras counts {} more (vector_u, non-trainable).",
                thousands(u)
            )),
        }
        e.note(format!(
            "Each call divides the kernel by its largest singular value, estimated with power_iterations={}: this rescales the weights and adds no trainable parameters.",
            self.power_iterations
        ));
        e.note(NONE_NOTE);
        Ok(e)
    }
    fn macs(&self, input: &Shape, output: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let inner = self.layer.kind();
        let mut wrapped = tally.nested();
        let n = inner.macs(input, output, &mut wrapped)?;
        tally.absorb(wrapped, "");
        tally.note(|| "The power iteration on the kernel runs once per batch, not per sample, so it is not counted.".into());
        Ok(n)
    }
    fn brief(&self) -> String {
        format!("SpectralNormalization({})", self.layer.kind().brief())
    }
    fn knob(&self) -> Option<Knob> {
        self.layer.kind().knob()
    }
    fn set_knob(&mut self, value: KnobValue) {
        self.layer.kind_mut().set_knob(value);
    }
    fn inner(&self) -> Option<&Layer> {
        Some(&self.layer)
    }
    fn inner_mut(&mut self) -> Option<&mut Layer> {
        Some(&mut self.layer)
    }
    fn constructor_freezes(&self) -> bool {
        false
    }
    name_and_trainable!();
}
