//! The summary as the JSON contract of `lstm-tui summary --format json`:
//! `{"ok": true, "convention", "rows": [{name, class, output_shape, params, trainable,
//! non_trainable}], "total", "trainable", "non_trainable"}`, or `{"ok": false,
//! "failing_layer_index", "error"}` for a stack that does not build. A graph design adds
//! `layout`, `inputs` and `outputs`, each row's `connected_to` (and `implicit_op` on the rows
//! Keras adds itself), and `failing_layer` when it does not build.

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use serde_json::Value;
use serde_json::ser::{CompactFormatter, Formatter};

use crate::caps::push_json_str;

use crate::model::budget::Precision;
use crate::model::compute::flops;
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

/// [`json_with`]'s text, written straight from the summary without building the value (a
/// large design has many rows), and safe to print: every string passes [`push_json_str`], so
/// the bytes are `escape_json(&json_with(..).to_string())`, and a name without characters to
/// escape leaves them the value's text.
pub fn json_text_with(summary: &Summary, precision: Precision) -> String {
    let mut out = String::new();
    write_document(summary, precision, &mut out, &mut |_| {});
    out
}

/// A piece of the JSON this long or longer is handed on; the next piece reuses its buffer.
const PART: usize = 64 * 1024;

/// [`json_text_with`] handed to `part` a piece at a time, each ending after a row: a large
/// design's JSON is megabytes, and writing it out as it is made touches far less memory than
/// holding it whole. The pieces in order are [`json_text_with`]'s text.
pub fn json_text_in_parts(summary: &Summary, precision: Precision, part: &mut dyn FnMut(&str)) {
    // Room for a piece and the row that takes it past `PART`, so the buffer never grows.
    let mut out = String::with_capacity(PART + 16 * 1024);
    write_document(summary, precision, &mut out, &mut |out| {
        if out.len() >= PART {
            part(out);
            out.clear();
        }
    });
    if !out.is_empty() {
        part(&out);
    }
}

/// Writes the document's text to `out`, calling `after_row` after each row. Keys and fields
/// are in [`Document`]'s order (sorted, as the value orders them); serde_json writes nothing
/// between tokens, and neither does this.
fn write_document(
    summary: &Summary,
    precision: Precision,
    out: &mut String,
    after_row: &mut dyn FnMut(&mut String),
) {
    let convention = summary.convention.as_str();
    let graph = summary.layout != Layout::Sequential;
    match &summary.error {
        None => {
            let t = &summary.totals;
            let macs = summary.macs.as_ref().ok().copied();
            out.push_str("{\"convention\":");
            push_json_str(out, convention);
            out.push_str(",\"flops\":");
            number(out, macs.and_then(|m| flops(m).ok()));
            if let Some(ends) = &summary.ends {
                out.push_str(",\"inputs\":");
                strings(out, ends.inputs.iter().map(|n| n.as_str()));
            }
            if graph {
                out.push_str(",\"layout\":");
                push_json_str(out, summary.layout.as_str());
            }
            out.push_str(",\"macs\":");
            number(out, macs);
            out.push_str(",\"non_trainable\":");
            number(out, Some(t.non_trainable));
            out.push_str(",\"ok\":true");
            if let Some(ends) = &summary.ends {
                out.push_str(",\"outputs\":");
                strings(out, ends.outputs.iter().map(String::as_str));
            }
            out.push_str(",\"precision\":");
            push_json_str(out, precision.label());
            out.push_str(",\"rows\":");
            write_rows(summary, precision, out, after_row);
            out.push_str(",\"total\":");
            number(out, t.total().ok());
            out.push_str(",\"trainable\":");
            number(out, Some(t.trainable));
        }
        Some(e) => {
            out.push_str("{\"class\":");
            push_json_str(out, e.class);
            out.push_str(",\"convention\":");
            push_json_str(out, convention);
            out.push_str(",\"error\":");
            push_json_str(out, &e.to_string());
            if graph {
                out.push_str(",\"failing_layer\":");
                push_json_str(out, &e.name);
            }
            out.push_str(",\"failing_layer_index\":");
            number(out, Some(e.index));
            if let Some(fix) = e.error.fix() {
                out.push_str(",\"fix\":");
                push_json_str(out, fix);
            }
            out.push_str(",\"layer\":");
            push_json_str(out, &e.name);
            out.push_str(",\"ok\":false,\"rows\":");
            write_rows(summary, precision, out, after_row);
        }
    }
    out.push('}');
}

/// The rows as a JSON array, in [`RowJson`]'s field order.
fn write_rows(
    summary: &Summary,
    precision: Precision,
    out: &mut String,
    after_row: &mut dyn FnMut(&mut String),
) {
    let graph = summary.layout != Layout::Sequential;
    out.push('[');
    for (i, r) in summary.rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let macs = r.macs.as_ref().ok().copied();
        out.push_str("{\"class\":");
        push_json_str(out, r.class);
        if graph {
            out.push_str(",\"connected_to\":");
            strings(out, summary.connected_to(r).iter().map(ToString::to_string));
        }
        out.push_str(",\"flops\":");
        number(out, macs.and_then(|m| flops(m).ok()));
        if matches!(r.source, Source::Implicit(_)) {
            out.push_str(",\"implicit_op\":true");
        }
        out.push_str(",\"input_shape\":");
        shape(out, &r.input);
        out.push_str(",\"macs\":");
        number(out, macs);
        out.push_str(",\"memory_bytes\":");
        number(out, row_memory(r, precision));
        out.push_str(",\"name\":");
        push_json_str(out, &r.name);
        out.push_str(",\"non_trainable\":");
        number(out, Some(r.params.non_trainable));
        out.push_str(",\"output_shape\":");
        match &r.output {
            Output::One(one) => shape(out, one),
            Output::Many(many) => {
                out.push('[');
                for (j, one) in many.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    shape(out, one);
                }
                out.push(']');
            }
        }
        out.push_str(",\"params\":");
        number(out, r.params.total().ok());
        out.push_str(",\"percent\":");
        float(out, percent(r, summary));
        out.push_str(",\"trainable\":");
        number(out, Some(r.params.trainable));
        out.push('}');
        after_row(out);
    }
    out.push(']');
}

/// A shape as Keras' JSON writes it: batch first, open dimensions as `null`.
fn shape(out: &mut String, shape: &Shape) {
    out.push_str("[null");
    for &d in &shape.0 {
        out.push(',');
        number(out, d);
    }
    out.push(']');
}

/// Strings as a JSON array.
fn strings<T: AsRef<str>>(out: &mut String, items: impl Iterator<Item = T>) {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(out, item.as_ref());
    }
    out.push(']');
}

/// A count, or `null`.
fn number(out: &mut String, n: Option<impl itoa::Integer>) {
    match n {
        Some(n) => push_number(out, n),
        None => out.push_str("null"),
    }
}

/// A count, in the digits serde_json writes (both use itoa).
fn push_number(out: &mut String, n: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// A fraction as serde_json writes it (its own formatter), or `null`, as serde_json writes a
/// missing or non-finite one.
fn float(out: &mut String, x: Option<f64>) {
    // The longest f64 serde_json writes is 24 bytes (`-2.2250738585072014e-308`).
    const ROOM: usize = 32;
    let mut buf = [0u8; ROOM];
    let mut rest: &mut [u8] = &mut buf;
    let written =
        x.is_some_and(|x| x.is_finite() && CompactFormatter.write_f64(&mut rest, x).is_ok());
    let len = ROOM - rest.len();
    match std::str::from_utf8(&buf[..len]) {
        Ok(text) if written => out.push_str(text),
        _ => out.push_str("null"),
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
    non_trainable: u64,
    output_shape: KerasOutput<'a>,
    params: Option<u64>,
    percent: Option<f64>,
    trainable: u64,
}

fn row<'a>(r: &'a Row, summary: &'a Summary, precision: Precision) -> RowJson<'a> {
    let macs = r.macs.as_ref().ok().copied();
    RowJson {
        class: r.class,
        connected_to: (summary.layout != Layout::Sequential)
            .then_some(Links(summary.connected_to(r))),
        flops: macs.and_then(|m| flops(m).ok()),
        implicit_op: matches!(r.source, Source::Implicit(_)),
        input_shape: KerasShape(&r.input),
        macs,
        memory_bytes: row_memory(r, precision),
        name: &r.name,
        non_trainable: r.params.non_trainable,
        output_shape: KerasOutput(&r.output),
        params: r.params.total().ok(),
        percent: percent(r, summary),
        trainable: r.params.trainable,
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
