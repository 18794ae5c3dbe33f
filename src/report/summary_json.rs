//! The summary as the JSON contract of `lstm-tui summary --format json`:
//! `{"ok": true, "convention", "rows": [{name, class, output_shape, params, trainable,
//! non_trainable}], "total", "trainable", "non_trainable"}`, or `{"ok": false,
//! "failing_layer_index", "error"}` for a stack that does not build. A graph design adds
//! `layout`, `inputs` and `outputs`, each row's `connected_to` (and `implicit_op` on the rows
//! Keras adds itself), and `failing_layer` when it does not build.

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use serde_json::Value;

use crate::model::budget::Precision;
use crate::model::compute::flops;
use crate::model::error::LayerError;
use crate::model::name::Name;
use crate::model::shape::{Output, Shape};
use crate::model::summary::{Layout, Link, Row, Source, Summary};
use crate::report::columns::{percent, row_memory};

/// The summary as the documented JSON value. Extra fields: a row PyTorch cannot count has
/// `params: null` and `no_equivalent` (why); a failing summary also names the layer, gives the
/// fix and lists the rows that built. Memory is counted at fp32.
pub fn json(summary: &Summary) -> Value {
    json_with(summary, Precision::Fp32)
}

/// The same, with every row's `input_shape`, `macs`, `flops`, `memory_bytes` (parameter
/// bytes at `precision`) and `percent` (of all parameters), and the summary's total `macs`
/// and `flops` (null when they cannot be counted, e.g. for an open sequence length).
pub fn json_with(summary: &Summary, precision: Precision) -> Value {
    // Plain data with string keys always converts; null is the safe answer should it not.
    serde_json::to_value(document(summary, precision)).unwrap_or(Value::Null)
}

/// [`json_with`] as text, written straight from the summary: the same bytes as
/// `json_with(..).to_string()` without building the value (a large design has many rows).
pub fn json_text_with(summary: &Summary, precision: Precision) -> String {
    serde_json::to_string(&document(summary, precision)).unwrap_or_else(|_| "null".into())
}

/// A piece of the JSON this long or longer is handed on; the next piece reuses its buffer.
const PART: usize = 64 * 1024;

/// [`json_text_with`] handed to `part` a piece at a time, each whole characters: a large
/// design's JSON is megabytes, and writing it out as it is made touches far less memory than
/// holding it whole. The pieces in order are [`json_text_with`]'s text.
pub fn json_text_in_parts(summary: &Summary, precision: Precision, part: &mut dyn FnMut(&str)) {
    let mut pieces = Pieces {
        buf: Vec::with_capacity(PART + 1024),
        part,
    };
    // Plain data with string keys always serialises, and the writer never fails.
    let _ = serde_json::to_writer(&mut pieces, &document(summary, precision));
    pieces.hand_on(0);
}

/// The writer behind [`json_text_in_parts`]: bytes gathered, handed on in pieces.
struct Pieces<'a> {
    buf: Vec<u8>,
    part: &'a mut dyn FnMut(&str),
}

impl Pieces<'_> {
    /// Hands on what is gathered once it is `at_least` bytes, up to the last whole character
    /// (serde_json writes whole ones, but a cut inside one would garble it).
    fn hand_on(&mut self, at_least: usize) {
        if self.buf.len() < at_least.max(1) {
            return;
        }
        let whole = match std::str::from_utf8(&self.buf) {
            Ok(text) => text.len(),
            Err(e) => e.valid_up_to(),
        };
        if let Ok(text) = std::str::from_utf8(&self.buf[..whole]) {
            (self.part)(text);
        }
        self.buf.drain(..whole);
    }
}

impl std::io::Write for Pieces<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        self.hand_on(PART);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The document. Fields are declared in sorted order because that is how `serde_json`'s
/// `Value` orders keys: the text written directly and the value's text are the same bytes.
#[derive(Serialize)]
#[serde(untagged)]
enum Document<'a> {
    /// Every layer builds.
    Built {
        convention: &'static str,
        flops: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        inputs: Option<&'a [Name]>,
        #[serde(skip_serializing_if = "Option::is_none")]
        layout: Option<&'static str>,
        macs: Option<u64>,
        non_trainable: u64,
        ok: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        outputs: Option<&'a [String]>,
        precision: &'static str,
        rows: Rows<'a>,
        total: Option<u64>,
        trainable: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        uncounted: Option<usize>,
    },
    /// A layer does not build: which one, why, and the rows before it.
    Failed {
        class: &'static str,
        convention: &'static str,
        error: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        failing_layer: Option<&'a str>,
        failing_layer_index: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        fix: Option<&'a str>,
        layer: &'a str,
        ok: bool,
        rows: Rows<'a>,
    },
}

fn document(summary: &Summary, precision: Precision) -> Document<'_> {
    let rows = Rows { summary, precision };
    let convention = summary.convention.as_str();
    let graph = summary.layout != Layout::Sequential;
    match &summary.error {
        None => {
            let t = &summary.totals;
            let macs = summary.macs.as_ref().ok().copied();
            Document::Built {
                convention,
                flops: macs.and_then(|m| flops(m).ok()),
                inputs: summary.ends.as_ref().map(|e| e.inputs.as_slice()),
                layout: graph.then_some(summary.layout.as_str()),
                macs,
                non_trainable: t.non_trainable,
                ok: true,
                outputs: summary.ends.as_ref().map(|e| e.outputs.as_slice()),
                precision: precision.label(),
                rows,
                total: t.total().ok(),
                trainable: t.trainable,
                uncounted: (summary.uncounted > 0).then_some(summary.uncounted),
            }
        }
        Some(e) => Document::Failed {
            class: e.class,
            convention,
            error: e.to_string(),
            failing_layer: graph.then_some(e.name.as_str()),
            failing_layer_index: e.index,
            fix: e.error.fix(),
            layer: &e.name,
            ok: false,
            rows,
        },
    }
}

/// The rows, each written as it is reached.
struct Rows<'a> {
    summary: &'a Summary,
    precision: Precision,
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.summary
                .rows
                .iter()
                .map(|r| row(r, self.summary, self.precision)),
        )
    }
}

/// One row; fields in sorted order, as for [`Document`].
#[derive(Serialize)]
struct RowJson<'a> {
    class: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    connected_to: Option<Links<'a>>,
    flops: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    implicit_op: bool,
    input_shape: KerasShape<'a>,
    macs: Option<u64>,
    memory_bytes: Option<u64>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    no_equivalent: Option<String>,
    non_trainable: Option<u64>,
    output_shape: KerasOutput<'a>,
    params: Option<u64>,
    percent: Option<f64>,
    trainable: Option<u64>,
}

fn row<'a>(r: &'a Row, summary: &'a Summary, precision: Precision) -> RowJson<'a> {
    let macs = r.macs.as_ref().ok().copied();
    let (params, trainable, non_trainable, no_equivalent) = match &r.params {
        Ok(p) => (
            p.total().ok(),
            Some(p.trainable),
            Some(p.non_trainable),
            None,
        ),
        Err(e) => {
            let why = match e {
                LayerError::NoEquivalent(why) => why.to_string(),
                other => other.to_string(),
            };
            (None, None, None, Some(why))
        }
    };
    RowJson {
        class: r.class,
        connected_to: (summary.layout != Layout::Sequential)
            .then_some(Links(summary.connected_to(r))),
        flops: macs.and_then(|m| flops(m).ok()),
        implicit_op: r.source == Source::Implicit,
        input_shape: KerasShape(&r.input),
        macs,
        memory_bytes: row_memory(r, precision),
        name: &r.name,
        no_equivalent,
        non_trainable,
        output_shape: KerasOutput(&r.output),
        params,
        percent: percent(r, summary),
        trainable,
    }
}

/// Keras' "Connected to" entries as strings: `["lstm[0][1]"]`.
struct Links<'a>(&'a [Link]);

impl Serialize for Links<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(ToString::to_string))
    }
}

/// An output as Keras' JSON writes it: one shape (`[null, 100, 64]`), or a list of them.
struct KerasOutput<'a>(&'a Output);

impl Serialize for KerasOutput<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Output::One(shape) => KerasShape(shape).serialize(s),
            Output::Many(v) => s.collect_seq(v.iter().map(KerasShape)),
        }
    }
}

/// A shape as Keras' JSON writes it: batch first, open dimensions as `null`.
struct KerasShape<'a>(&'a Shape);

impl Serialize for KerasShape<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.ndim()))?;
        seq.serialize_element(&None::<u64>)?;
        for d in &self.0.0 {
            seq.serialize_element(d)?;
        }
        seq.end()
    }
}
