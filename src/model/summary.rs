//! `Summary::of`: every view's numbers, computed in one pass over the design.

use crate::model::compute::Tally;
use crate::model::design::Design;
use crate::model::error::{LayerError, ShapeError};
use crate::model::layers::Layer;
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Params};

/// One built layer, as a row of Keras' summary table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Keras' name: the user's, or the automatic `lstm`, `lstm_1`, ...
    pub name: String,
    /// Keras class name.
    pub class: &'static str,
    /// What the layer receives.
    pub input: Shape,
    /// What it produces.
    pub output: Output,
    /// Its parameters, or why the convention cannot count it.
    pub params: Result<Params, LayerError>,
    /// Multiply-accumulates per sample (see [`MACS_CONVENTION`](crate::model::MACS_CONVENTION)),
    /// or why they cannot be counted (an open sequence length, say).
    pub macs: Result<u64, LayerError>,
}

/// The whole table: rows for the layers that build, totals, and the first failure.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Whose counting rules were used.
    pub convention: Convention,
    /// One row per built layer, in order; stops before the failing layer.
    pub rows: Vec<Row>,
    /// Sum over rows that could be counted.
    pub totals: Params,
    /// Rows the convention could not count (their reason is in the row).
    pub uncounted: usize,
    /// MACs per sample over every row, checked; the first row whose MACs cannot be counted
    /// gives its reason instead.
    pub macs: Result<u64, LayerError>,
    /// The first layer Keras would refuse to build, if any.
    pub error: Option<ShapeError>,
}

impl Summary {
    /// Computes the summary of `design` in `convention`.
    pub fn of(design: &Design, convention: Convention) -> Summary {
        let mut names = Namer::default();
        let mut rows = Vec::with_capacity(design.layers.len());
        let mut totals = Params::default();
        let mut uncounted = 0;
        let mut macs_total = Ok(0u64);
        let mut error = None;
        let mut current = Output::One(design.input.shape.clone());
        for (index, layer) in design.layers.iter().enumerate() {
            let kind = layer.kind();
            let name = names.name(layer);
            let fail = |error: LayerError| ShapeError {
                index,
                name: name.clone(),
                class: kind.class(),
                error,
            };
            let input = match &current {
                Output::One(s) => s.clone(),
                many @ Output::Many(_) => {
                    error = Some(fail(LayerError::shape(
                        "one input tensor",
                        many,
                        "the layer before returns several tensors: set its merge_mode (e.g. \"concat\")",
                    )));
                    break;
                }
            };
            let output = match kind.output(&input) {
                Ok(o) => o,
                Err(e) => {
                    let prev = index.checked_sub(1).map(|p| &design.layers[p]);
                    error = Some(fail(refine_fix(e, prev, &names)));
                    break;
                }
            };
            let params = count(layer, &input, convention);
            match &params {
                Ok(p) => match totals.plus(p) {
                    Ok(t) => totals = t,
                    Err(e) => {
                        error = Some(fail(e));
                        break;
                    }
                },
                Err(LayerError::NoEquivalent(_)) => uncounted += 1,
                Err(e) => {
                    error = Some(fail(e.clone()));
                    break;
                }
            }
            let macs = kind.macs(&input, &output, &mut Tally::count());
            // Updated in place: moving the Result through a match each row costs a drop call.
            if let Ok(t) = &mut macs_total {
                match (&macs, t.checked_add(*macs.as_ref().unwrap_or(&0))) {
                    (Ok(_), Some(sum)) => *t = sum,
                    (Ok(_), None) => macs_total = Err(LayerError::Overflow),
                    (Err(e), _) => macs_total = Err(e.clone()),
                }
            }
            current = output.clone();
            rows.push(Row {
                name,
                class: kind.class(),
                input,
                output,
                params,
                macs,
            });
        }
        Summary {
            convention,
            rows,
            totals,
            uncounted,
            macs: macs_total,
            error,
        }
    }

    /// True when every layer builds.
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }
}

/// A layer's parameters in a convention; frozen layers count as non-trainable.
pub fn count(layer: &Layer, input: &Shape, convention: Convention) -> Result<Params, LayerError> {
    let kind = layer.kind();
    let frozen = !kind.trainable();
    let mut params = Params::default();
    let mut err = None;
    kind.weights(input, convention, &mut |mut w| {
        if frozen {
            w.trainable = false;
        }
        if let Err(e) = params.add(&w) {
            err = Some(e);
        }
    })?;
    match err {
        Some(e) => Err(e),
        None => Ok(params),
    }
}

/// Replaces a generic "needs a sequence" fix with the specific one when the layer before is a
/// recurrent layer that drops the time axis.
fn refine_fix(e: LayerError, prev: Option<&Layer>, names: &Namer) -> LayerError {
    match (e, prev) {
        (LayerError::Shape { needs, got, .. }, Some(p))
            if needs.starts_with("3-D") && p.kind().drops_time_axis() =>
        {
            let fix = format!("set return_sequences=True on {}", names.last_outer());
            LayerError::Shape { needs, got, fix }
        }
        (e, _) => e,
    }
}

/// Every layer's name as Keras would give it (the user's, or the automatic one), for all layers
/// whether or not the stack builds.
pub fn layer_names(layers: &[Layer]) -> Vec<String> {
    let mut names = Namer::default();
    layers.iter().map(|l| names.name(l)).collect()
}

/// Hands out Keras' automatic names: `lstm`, `lstm_1`, `lstm_2`, ... per class, wrapped layers
/// included (Keras names the inner layer too).
#[derive(Debug, Default)]
pub(crate) struct Namer {
    counters: Vec<(&'static str, u64)>,
    previous: String,
    current: String,
}

impl Namer {
    /// The name `layer` gets, advancing the per-class counters as Keras does.
    pub(crate) fn name(&mut self, layer: &Layer) -> String {
        let kind = layer.kind();
        if let Some(inner) = kind.inner() {
            self.auto(inner.kind().auto_name());
        }
        let name = match kind.name() {
            Some(n) => n.to_string(),
            None => self.auto(kind.auto_name()),
        };
        self.previous = std::mem::replace(&mut self.current, name.clone());
        name
    }

    /// The automatic name `layer` would get next if it had no name of its own.
    pub(crate) fn preview(&self, layer: &Layer) -> String {
        let base = layer.kind().auto_name();
        match self.counters.iter().find(|(b, _)| *b == base) {
            Some((_, n)) if *n > 0 => format!("{base}_{n}"),
            _ => base.to_string(),
        }
    }

    fn auto(&mut self, base: &'static str) -> String {
        let slot = match self.counters.iter_mut().find(|(b, _)| *b == base) {
            Some(slot) => slot,
            None => {
                self.counters.push((base, 0));
                self.counters.last_mut().expect("just pushed")
            }
        };
        let n = slot.1;
        slot.1 += 1;
        if n == 0 {
            base.to_string()
        } else {
            format!("{base}_{n}")
        }
    }

    /// The name of the layer before the one just named.
    fn last_outer(&self) -> &str {
        &self.previous
    }
}
