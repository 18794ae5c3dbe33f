//! Weight tensors and parameter counts.

use crate::model::error::LayerError;
use crate::model::shape::Overflow;

/// Which framework's counting rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Convention {
    /// Keras 3: one bias vector per RNN gate; BatchNormalization's moving statistics count as
    /// non-trainable parameters.
    #[default]
    Keras,
    /// PyTorch: RNNs carry two bias vectors per gate (`b_ih`, `b_hh`); BatchNorm statistics are
    /// buffers, not parameters.
    PyTorch,
}

impl Convention {
    /// Lower-case name as the CLI and JSON write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keras => "keras",
            Self::PyTorch => "pytorch",
        }
    }

    /// Name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Keras => "Keras",
            Self::PyTorch => "PyTorch",
        }
    }

    /// The other convention.
    pub fn other(self) -> Self {
        match self {
            Self::Keras => Self::PyTorch,
            Self::PyTorch => Self::Keras,
        }
    }
}

/// Which direction of a bidirectional wrapper a weight belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A plain layer's own weight.
    Own,
    /// The forward copy inside `Bidirectional`.
    Forward,
    /// The backward copy inside `Bidirectional`.
    Backward,
}

/// One weight tensor: its name in the convention's own spelling and its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weight {
    /// Keras variable name (`kernel`, `recurrent_kernel`, `bias`, `gamma`, ...) or PyTorch
    /// parameter name (`weight_ih_l0`, `bias_hh_l0`, ...).
    pub name: &'static str,
    /// Whose copy this is inside a wrapper.
    pub scope: Scope,
    dims: [u64; 5],
    rank: u8,
    /// Whether an optimiser updates it.
    pub trainable: bool,
}

impl Weight {
    /// A trainable weight of the given shape (rank at most 5).
    pub fn new(name: &'static str, dims: &[u64]) -> Self {
        let mut d = [0; 5];
        let rank = dims.len().min(5);
        d[..rank].copy_from_slice(&dims[..rank]);
        Self {
            name,
            scope: Scope::Own,
            dims: d,
            rank: rank as u8,
            trainable: true,
        }
    }

    /// The same weight, not updated by the optimiser.
    pub fn frozen(mut self) -> Self {
        self.trainable = false;
        self
    }

    /// The tensor's shape.
    pub fn shape(&self) -> &[u64] {
        &self.dims[..self.rank as usize]
    }

    /// Number of elements, checked.
    pub fn count(&self) -> Result<u64, LayerError> {
        Ok(self.elements()?)
    }

    /// Number of elements, checked, with an error that needs no dropping: counting runs once
    /// per weight of every row.
    #[inline]
    fn elements(&self) -> Result<u64, Overflow> {
        self.shape()
            .iter()
            .try_fold(1u64, |n, &d| n.checked_mul(d))
            .ok_or(Overflow)
    }
}

/// Where a layer reports its weights, one at a time (no allocation on the summary's hot path).
pub type Sink<'a, 'b> = &'a mut Weights<'b>;

/// What a layer's weights are reported to: summed as they come, as every summary row does,
/// or handed to a closure that lists or inspects them. Summing is a plain type, not a closure,
/// so each report inlines into the kind that makes it instead of costing a call per weight.
pub struct Weights<'a> {
    /// Where each weight goes.
    to: To<'a>,
    /// The wrapper copy every weight belongs to, set by a wrapper (`None`: as reported).
    scope: Option<Scope>,
    /// Whether every weight is reported as not trainable: a frozen layer or wrapper.
    frozen: bool,
}

/// Where a [`Weights`] sends each weight.
enum To<'a> {
    /// Added to these counts; `Err` once a count overflows.
    Sum(&'a mut Result<Params, Overflow>),
    /// Handed to a closure.
    Each(&'a mut dyn FnMut(Weight)),
}

impl<'a> Weights<'a> {
    /// Weights added to `sum`, all non-trainable when `frozen`.
    pub(crate) fn sum(sum: &'a mut Result<Params, Overflow>, frozen: bool) -> Self {
        Self {
            to: To::Sum(sum),
            scope: None,
            frozen,
        }
    }

    /// Weights handed to `f`, as reported.
    pub fn each(f: &'a mut dyn FnMut(Weight)) -> Self {
        Self {
            to: To::Each(f),
            scope: None,
            frozen: false,
        }
    }

    /// Reports one weight.
    #[inline]
    pub fn put(&mut self, mut w: Weight) {
        if let Some(scope) = self.scope {
            w.scope = scope;
        }
        if self.frozen {
            w.trainable = false;
        }
        match &mut self.to {
            To::Sum(sum) => {
                if let Ok(params) = sum {
                    if let Err(e) = params.add(&w) {
                        **sum = Err(e);
                    }
                }
            }
            To::Each(f) => f(w),
        }
    }

    /// The same destination for a wrapped layer's weights: in `scope` unless an outer
    /// wrapper set one, and all non-trainable when `frozen` or already so.
    pub fn within(&mut self, scope: Option<Scope>, frozen: bool) -> Weights<'_> {
        Weights {
            to: match &mut self.to {
                To::Sum(sum) => To::Sum(sum),
                To::Each(f) => To::Each(&mut **f),
            },
            scope: self.scope.or(scope),
            frozen: self.frozen || frozen,
        }
    }
}

/// The parameters of the weights `report` hands its sink, all non-trainable when `frozen`:
/// how every count is made, of a call on one tensor or on several. Inlined: it runs for every
/// summary row.
#[inline]
pub(crate) fn sum_weights(
    frozen: bool,
    report: impl FnOnce(Sink) -> Result<(), LayerError>,
) -> Result<Params, LayerError> {
    let mut sum = Ok(Params::default());
    report(&mut Weights::sum(&mut sum, frozen))?;
    Ok(sum?)
}

/// Parameter counts split as Keras' summary splits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Params {
    /// Updated by the optimiser.
    pub trainable: u64,
    /// Kept but not trained (BatchNormalization statistics, frozen layers).
    pub non_trainable: u64,
}

impl Params {
    /// Everything.
    pub fn total(&self) -> Result<u64, LayerError> {
        Ok(self
            .trainable
            .checked_add(self.non_trainable)
            .ok_or(Overflow)?)
    }

    /// Adds one weight, checked.
    #[inline]
    pub fn add(&mut self, w: &Weight) -> Result<(), Overflow> {
        let n = w.elements()?;
        let slot = if w.trainable {
            &mut self.trainable
        } else {
            &mut self.non_trainable
        };
        *slot = slot.checked_add(n).ok_or(Overflow)?;
        Ok(())
    }

    /// Sum of two counts, checked.
    pub fn plus(&self, o: &Params) -> Result<Params, LayerError> {
        Ok(Params {
            trainable: self.trainable.checked_add(o.trainable).ok_or(Overflow)?,
            non_trainable: self
                .non_trainable
                .checked_add(o.non_trainable)
                .ok_or(Overflow)?,
        })
    }
}

/// Checked arithmetic for formulas: `mul(&[4, 64, 70])`.
pub fn mul(xs: &[u64]) -> Result<u64, LayerError> {
    Ok(xs
        .iter()
        .try_fold(1u64, |n, &x| n.checked_mul(x))
        .ok_or(Overflow)?)
}

/// Checked sum.
pub fn add(xs: &[u64]) -> Result<u64, LayerError> {
    Ok(xs
        .iter()
        .try_fold(0u64, |n, &x| n.checked_add(x))
        .ok_or(Overflow)?)
}
