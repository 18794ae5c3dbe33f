//! Memory estimates: parameter bytes at a precision, the activations a forward pass keeps per
//! sample and per batch, and what training needs with Adam or SGD. The assumptions are text
//! constants so the help screen and the README say exactly what the numbers mean.

use crate::model::budget::Precision;
use crate::model::error::LayerError;
use crate::model::shape::Output;
use crate::model::summary::{Row, Summary};
use crate::model::weights::{add, mul};

/// What the activation figure counts.
pub const ACTIVATIONS_ASSUMPTION: &str = "Activation memory is an estimate: the sum of every layer's output elements × bytes per value, per sample, times the batch size. It is what a forward pass keeps for backpropagation. Real frameworks keep more in some places (an LSTM also keeps its gate values for every timestep, dropout its masks) and less in others (fused or in-place layers), and the input batch itself is not included.";

/// What the training figure counts.
pub const TRAINING_ASSUMPTIONS: &str = "Training memory is an estimate: the weights, one gradient per trainable weight, the optimiser's state per trainable weight (Adam: two moments; SGD: none, or one velocity with momentum), and the activations of one batch, all at the chosen precision. With every weight trainable, Adam needs 4 × the parameter memory and plain SGD 2 ×. Mixed-precision training usually keeps fp32 master weights and optimiser state, which this does not add; framework workspace and fragmentation are not included.";

/// The optimiser a training estimate assumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Optimizer {
    /// Adam (or AdamW): a first and a second moment per trainable weight.
    Adam,
    /// Plain SGD: nothing beyond the gradient.
    Sgd,
    /// SGD with momentum: one velocity per trainable weight.
    SgdMomentum,
}

impl Optimizer {
    /// Values of optimiser state kept per trainable weight.
    pub fn states(self) -> u64 {
        match self {
            Self::Adam => 2,
            Self::Sgd => 0,
            Self::SgdMomentum => 1,
        }
    }

    /// Name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Adam => "Adam",
            Self::Sgd => "SGD",
            Self::SgdMomentum => "SGD with momentum",
        }
    }

    /// All optimisers, in the order the UI cycles them.
    pub const ALL: [Optimizer; 3] = [Self::Adam, Self::Sgd, Self::SgdMomentum];
}

/// A training estimate in bytes, part by part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Training {
    /// Every parameter, trainable or not.
    pub weights: u64,
    /// One gradient per trainable parameter.
    pub gradients: u64,
    /// The optimiser's state per trainable parameter.
    pub optimizer_state: u64,
    /// The activations of one batch.
    pub activations: u64,
    /// The sum.
    pub total: u64,
}

/// `239640` → `234.02 KiB`: 1024-based, two decimals from KiB up, whole bytes below.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.2} {}", UNITS[unit])
}

/// Bytes the parameters take at a precision, checked.
pub fn param_bytes(params: u64, precision: Precision) -> Result<u64, LayerError> {
    mul(&[params, precision.bytes()])
}

/// Elements a row's output holds per sample; an open dimension cannot be counted.
pub fn output_elements(row: &Row) -> Result<u64, LayerError> {
    let shapes = match &row.output {
        Output::One(s) => std::slice::from_ref(s),
        Output::Many(v) => v.as_slice(),
    };
    let mut total = 0u64;
    for s in shapes {
        match s.elements()? {
            Some(n) => total = add(&[total, n])?,
            None => {
                return Err(LayerError::shape(
                    "a known size on every axis to count activation memory",
                    &row.output,
                    "give the input a fixed sequence length",
                ));
            }
        }
    }
    Ok(total)
}

/// Output elements per sample over every row that built.
pub fn activation_elements(summary: &Summary) -> Result<u64, LayerError> {
    summary
        .rows
        .iter()
        .try_fold(0u64, |t, r| add(&[t, output_elements(r)?]))
}

/// Activation bytes for `batch` samples at a precision (see [`ACTIVATIONS_ASSUMPTION`]).
pub fn activation_bytes(
    summary: &Summary,
    precision: Precision,
    batch: u64,
) -> Result<u64, LayerError> {
    mul(&[activation_elements(summary)?, precision.bytes(), batch])
}

/// The training estimate (see [`TRAINING_ASSUMPTIONS`]) for `batch` samples.
pub fn training(
    summary: &Summary,
    optimizer: Optimizer,
    precision: Precision,
    batch: u64,
) -> Result<Training, LayerError> {
    let bytes = precision.bytes();
    let trainable = summary.totals.trainable;
    let weights = mul(&[summary.totals.total()?, bytes])?;
    let gradients = mul(&[trainable, bytes])?;
    let optimizer_state = mul(&[trainable, optimizer.states(), bytes])?;
    let activations = activation_bytes(summary, precision, batch)?;
    Ok(Training {
        weights,
        gradients,
        optimizer_state,
        activations,
        total: add(&[weights, gradients, optimizer_state, activations])?,
    })
}

/// The memory estimates as lines of text, for the designer and the command line: parameters at
/// `precision`, activations per sample and per batch, and training with Adam and SGD.
pub fn report(summary: &Summary, precision: Precision, batch: u64) -> Vec<String> {
    let p = precision.label();
    let show = |r: Result<u64, LayerError>| r.map_or_else(|e| format!("n/a ({e})"), format_bytes);
    let params = summary
        .totals
        .total()
        .and_then(|t| param_bytes(t, precision));
    let per_sample = activation_bytes(summary, precision, 1);
    let per_batch = activation_bytes(summary, precision, batch);
    let train = |o| training(summary, o, precision, batch).map(|t| t.total);
    vec![
        format!("Parameters ({p}): {}", show(params)),
        format!(
            "Activations ({p}): {} per sample, {} for a batch of {batch}",
            show(per_sample),
            show(per_batch)
        ),
        format!(
            "Training, batch {batch} ({p}): Adam {} · SGD {} · SGD with momentum {}",
            show(train(Optimizer::Adam)),
            show(train(Optimizer::Sgd)),
            show(train(Optimizer::SgdMomentum))
        ),
    ]
}
