//! Budgets a design should fit: parameters, parameter memory at a precision, compute (MACs).

use serde::{Deserialize, Serialize};

use crate::model::summary::Summary;

/// Limits a design should fit; each is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Budget {
    /// Most parameters allowed (in the summary's convention).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<u64>,
    /// Most bytes the parameters may take at `precision`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<u64>,
    /// The precision the memory budget is counted at.
    pub precision: Precision,
    /// Most multiply-accumulates per sample allowed (see
    /// [`MACS_CONVENTION`](crate::model::MACS_CONVENTION)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub macs: Option<u64>,
    /// The batch size the activation and training memory estimates assume (not a limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<u64>,
}

/// The batch size memory estimates use when the design sets none (Keras' `fit` default).
pub const DEFAULT_BATCH: u64 = 32;

/// How many bytes one parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Precision {
    /// 32-bit float, 4 bytes: what Keras' summary sizes assume.
    #[default]
    Fp32,
    /// 16-bit float, 2 bytes.
    Fp16,
    /// bfloat16, 2 bytes.
    Bf16,
    /// 8-bit integer quantisation, 1 byte.
    Int8,
}

impl Precision {
    /// Bytes per parameter.
    pub fn bytes(self) -> u64 {
        match self {
            Self::Fp32 => 4,
            Self::Fp16 | Self::Bf16 => 2,
            Self::Int8 => 1,
        }
    }

    /// Name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Fp32 => "fp32",
            Self::Fp16 => "fp16",
            Self::Bf16 => "bf16",
            Self::Int8 => "int8",
        }
    }

    /// All precisions, in the order the UI cycles them.
    pub const ALL: [Precision; 4] = [Self::Fp32, Self::Fp16, Self::Bf16, Self::Int8];
}

/// One budget's standing: how much is used of how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gauge {
    /// What is measured.
    pub what: Measure,
    /// Used so far.
    pub used: u64,
    /// The limit.
    pub limit: u64,
}

/// What a gauge measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Parameter count.
    Params,
    /// Parameter bytes at the budget's precision.
    Memory(Precision),
    /// Multiply-accumulates per sample.
    Macs,
}

impl Gauge {
    /// True when used ≤ limit.
    pub fn fits(&self) -> bool {
        self.used <= self.limit
    }

    /// Room left (positive) or overshoot (negative), saturated to i128.
    pub fn headroom(&self) -> i128 {
        i128::from(self.limit) - i128::from(self.used)
    }
}

impl Budget {
    /// The batch size for memory estimates.
    pub fn batch_size(&self) -> u64 {
        self.batch.unwrap_or(DEFAULT_BATCH).max(1)
    }

    /// True when no limit is set.
    pub fn is_empty(&self) -> bool {
        self.params.is_none() && self.memory.is_none() && self.macs.is_none()
    }

    /// The gauges of every set limit for this summary; a summary that does not build has none,
    /// and the MAC gauge is missing while the MACs cannot be counted (an open sequence length).
    pub fn gauges(&self, summary: &Summary) -> Vec<Gauge> {
        let Ok(total) = summary.totals.total() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Some(limit) = self.params {
            out.push(Gauge {
                what: Measure::Params,
                used: total,
                limit,
            });
        }
        if let Some(limit) = self.memory {
            out.push(Gauge {
                what: Measure::Memory(self.precision),
                used: total.saturating_mul(self.precision.bytes()),
                limit,
            });
        }
        if let (Some(limit), Ok(used)) = (self.macs, &summary.macs) {
            out.push(Gauge {
                what: Measure::Macs,
                used: *used,
                limit,
            });
        }
        out
    }

    /// True when the summary builds, every layer could be counted (parameters, and MACs when a
    /// MAC limit is set), and every limit holds.
    pub fn fits(&self, summary: &Summary) -> bool {
        summary.is_ok()
            && summary.totals.total().is_ok()
            && (self.macs.is_none() || summary.macs.is_ok())
            && self.gauges(summary).iter().all(Gauge::fits)
    }
}
