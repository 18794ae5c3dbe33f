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
    fn elements(&self) -> Result<u64, Overflow> {
        self.shape()
            .iter()
            .try_fold(1u64, |n, &d| n.checked_mul(d))
            .ok_or(Overflow)
    }
}

/// Where a layer reports its weights, one at a time (no allocation on the summary's hot path).
pub type Sink<'a> = &'a mut dyn FnMut(Weight);

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
