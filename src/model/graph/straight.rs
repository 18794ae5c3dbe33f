//! The usual graph summarized the way a chain is, in one pass over its layers: each layer
//! called once, on tensors of the inputs or of earlier layers passed by position, and no
//! mask. Each row is written once, where it stays, in the order the layers come; that is
//! Keras' order whenever the ordering keeps every call in its place, which a residual stack,
//! an encoder or a multi-input classifier written top to bottom does.
//!
//! Anything else (a keyword or shared call, a mask, a reference to a later layer, a list
//! passed to a layer that takes one tensor, another order, a refusal) gives `None` and is left to the builder's passes, which report it where
//! Keras does. A property test holds the two to the same summary.

use std::ops::Range;

use foldhash::{HashMap, HashMapExt};

use super::build::{NEARBY, Src, count_multi, on_one, small, tally};
use super::masks::starts_mask;
use super::order::{self, Calls, NONE};
use super::{Call, TensorRef};
use crate::model::compute::Tally;
use crate::model::design::Design;
use crate::model::layers::Layer;
use crate::model::name::Name;
use crate::model::shape::Output;
use crate::model::summary::{
    Ends, INPUT_LAYER, Layout, Link, Namer, Row, Source, Summary, Wired, Wiring, count,
};
use crate::model::weights::{Convention, Params};

/// The rows made so far and what each call reads, as the ordering asks for it.
struct Straight<'a> {
    /// The design summarized.
    design: &'a Design,
    /// Whose counting rules are used.
    convention: Convention,
    /// Inputs, then layers, in the order they come.
    rows: Vec<Row>,
    /// Every call's sources, in row order; row `r`'s are `sources[starts[r]..starts[r + 1]]`.
    sources: Vec<Src>,
    /// Where each row's sources start in `sources`, then where the last row's end.
    starts: Vec<u32>,
    /// Each row's name to the row, once a name is given (made then from the rows so far):
    /// it checks given names against the others and finds references far back.
    by_name: Option<HashMap<Name, u32>>,
    /// How many inputs the model has: their rows come first.
    inputs: usize,
    /// Whether every row so far reads the row just before it (the first input's reads none).
    chained: bool,
    /// Keras' automatic names, handed out in the layers' order.
    names: Namer,
    /// The links and call inputs the rows index.
    wired: Wired,
    /// The summary so far: its totals, then everything else once the order is known.
    summary: Summary,
}

/// The summary of `design` when it is the usual graph (see the module's documentation).
pub(super) fn summary(design: &Design, convention: Convention) -> Option<Summary> {
    let graph = &design.graph;
    // Keyword calls are found as the layers are added, without a pass of their own over
    // the wiring.
    let usual = graph.shared.is_empty() && !design.layers.iter().any(starts_mask);
    if !usual {
        return None;
    }
    let inputs = 1 + graph.inputs.len();
    let calls = inputs + design.layers.len();
    let mut s = Straight {
        design,
        convention,
        rows: Vec::with_capacity(calls),
        sources: Vec::with_capacity(2 * calls),
        starts: Vec::with_capacity(calls + 1),
        by_name: None,
        inputs,
        chained: inputs == 1,
        names: Namer::default(),
        wired: Wired {
            links: Vec::with_capacity(2 * calls),
            inputs: Vec::with_capacity(2 * graph.wiring.len()),
            ..Wired::default()
        },
        summary: Summary {
            convention,
            rows: Vec::new(),
            totals: Params::default(),
            macs: Ok(0),
            error: None,
            layout: Layout::Graph,
            ends: None,
            wired: Wired::default(),
        },
    };
    s.starts.push(0);
    s.add_inputs()?;
    let mut wiring = graph.wiring.iter().peekable();
    for (index, layer) in design.layers.iter().enumerate() {
        let call = wiring.next_if(|(at, _)| **at == index).map(|(_, c)| c);
        s.add_layer(index, layer, call)?;
    }
    // Wiring for no layer is left to the passes.
    if wiring.next().is_some() {
        return None;
    }
    let outputs = s.outputs()?;
    let input_rows: Vec<usize> = (0..inputs).collect();
    let out_rows: Vec<usize> = outputs.iter().map(|o| o.node()).collect();
    // Rows stay where they were written only when Keras keeps every call in its place: a
    // chain of calls always is; the sweep tells for the usual graph; where depths tie, the
    // walk may still keep them.
    let sequential_like = if s.chained && out_rows == [s.rows.len() - 1] {
        order::chained_in_place(&s)
    } else {
        match order::in_place(&s, &input_rows, &out_rows) {
            Some(like) => like,
            None => {
                let ordered = order::keras_order(&s, s.rows.len(), &input_rows, &out_rows)?;
                let kept = ordered.ops.len() == s.rows.len()
                    && ordered.ops.iter().enumerate().all(|(i, &op)| i == op);
                kept.then_some(ordered.sequential_like)?
            }
        }
    };
    let mut summary = s.summary;
    summary.layout = if sequential_like {
        Layout::SequentialLike
    } else {
        Layout::Graph
    };
    summary.ends = Some(Box::new(Ends {
        inputs: s.rows[..inputs].iter().map(|r| r.name.clone()).collect(),
        outputs: outputs
            .iter()
            .map(|o| {
                TensorRef {
                    name: &s.rows[o.node()].name,
                    call: 0,
                    index: o.tensor(),
                }
                .to_string()
            })
            .collect(),
        layer_rows: (inputs..s.rows.len()).map(Some).collect(),
        ..Ends::default()
    }));
    summary.rows = s.rows;
    summary.wired = s.wired;
    Some(summary)
}

impl Straight<'_> {
    /// The model inputs' rows, named as Keras names them.
    fn add_inputs(&mut self) -> Option<()> {
        let graph = &self.design.graph;
        let first = (graph.input_name.as_deref(), &self.design.input.shape);
        let rest = graph.inputs.iter().map(|i| (i.name.as_deref(), &i.shape));
        for (i, (given, shape)) in std::iter::once(first).chain(rest).enumerate() {
            let name = match given {
                Some(n) => Name::new(n),
                None => self.names.auto(INPUT_LAYER),
            };
            if given.is_some() && self.by_name.is_none() {
                self.map_names();
            }
            self.claim(&name)?;
            let links = small(self.wired.links.len());
            self.starts.push(small(self.sources.len()));
            self.rows.push(Row {
                name,
                class: "InputLayer",
                input: shape.clone(),
                output: Output::One(shape.clone()),
                params: Params::default(),
                macs: Ok(0),
                source: Source::Input(i),
                wiring: self.wired.keep(Wiring {
                    connected_to: links..links,
                    ..Wiring::default()
                }),
            });
        }
        Some(())
    }

    /// The row of the design layer at `index`, called as `call` says (`None`: on the row
    /// before); `None` when the call is not the usual one or is refused.
    fn add_layer(&mut self, index: usize, layer: &Layer, call: Option<&Call>) -> Option<()> {
        if call.is_some_and(|c| !c.keywords.is_empty()) {
            return None;
        }
        let kind = layer.kind();
        let naming = kind.naming();
        let name = self.names.name(&naming);
        if naming.given.is_some() && self.by_name.is_none() {
            self.map_names();
        }
        self.claim(&name)?;
        let near = self.rows.len();
        let from = self.sources.len();
        match call.filter(|c| !c.takes_previous()) {
            Some(call) => {
                for text in &call.inputs {
                    let src = self.resolve(text, near)?;
                    self.sources.push(src);
                }
            }
            None => {
                // The previous call: the first input's for the first layer.
                let previous = if index == 0 { 0 } else { near - 1 };
                self.sources.push(Src::all(previous));
            }
        }
        self.starts.push(small(self.sources.len()));
        self.chained &= self.sources[from..].iter().any(|s| s.node() == near - 1);
        let connected_to = self.link(from);
        let sources = &self.sources[from..];
        // A call on several keeps its tensors in the summary's list; one on one keeps none.
        let (input, params, macs, output, inputs) = match kind.multi() {
            Some(multi) => {
                let start = self.wired.inputs.len();
                // One by one: extending by a slice costs twice what its one or two shapes do.
                for src in sources {
                    for shape in self.rows.get(src.node())?.output.tensors(src.tensor())? {
                        self.wired.inputs.push(shape.clone());
                    }
                }
                let list = &self.wired.inputs[start..];
                let options = call.map(|c| c.options).unwrap_or_default();
                let output = multi.output(list, options).ok()?;
                (
                    list.first().cloned().unwrap_or_default(),
                    count_multi(layer, multi, list, self.convention),
                    multi.macs(list, &output, &mut Tally::count()),
                    output,
                    small(start)..small(self.wired.inputs.len()),
                )
            }
            None => {
                let shapes = match sources {
                    [one] => self.rows.get(one.node())?.output.tensors(one.tensor())?,
                    _ => return None,
                };
                let (input, output) = on_one(kind, shapes).ok()?;
                let params = count(kind, input, self.convention);
                let macs = kind.macs(input, &output, &mut Tally::count());
                (input.clone(), params, macs, output, 0..0)
            }
        };
        // Weights that do not build refuse the layer.
        let params = params.ok()?;
        self.rows.push(Row {
            name,
            class: kind.summary_class(),
            input,
            output,
            params,
            macs,
            source: Source::Layer(index),
            wiring: self.wired.keep(Wiring {
                inputs,
                connected_to,
                ..Wiring::default()
            }),
        });
        tally(&mut self.summary, &self.rows[near]);
        Some(())
    }

    /// Writes the "Connected to" entries of the sources from `from` on, the last call's:
    /// each tensor it receives. Their span of the list.
    fn link(&mut self, from: usize) -> Range<u32> {
        let start = self.wired.links.len();
        for src in &self.sources[from..] {
            let at = &self.rows[src.node()];
            let link = |tensor| Link {
                layer: at.name.clone(),
                node: 0,
                tensor,
            };
            match src.tensor() {
                Some(t) => self.wired.links.push(link(t)),
                None => {
                    for t in 0..at.output.count() {
                        self.wired.links.push(link(t));
                    }
                }
            }
        }
        small(start)..small(self.wired.links.len())
    }

    /// Maps every row's name, from now on checked for each new one.
    fn map_names(&mut self) {
        let mut map = HashMap::with_capacity(2 * self.rows.len() + 8);
        for (r, row) in self.rows.iter().enumerate() {
            map.insert(row.name.clone(), small(r));
        }
        self.by_name = Some(map);
    }

    /// Claims `name` for the row about to be pushed; `None` when an earlier row has it.
    fn claim(&mut self, name: &Name) -> Option<()> {
        if let Some(map) = &mut self.by_name {
            if map.insert(name.clone(), small(self.rows.len())).is_some() {
                return None;
            }
        }
        Some(())
    }

    /// The tensor `text` names among the rows before `near`; `None` when it names a later
    /// layer, a call of a shared layer, or nothing.
    #[inline]
    fn resolve(&mut self, text: &str, near: usize) -> Option<Src> {
        let recent = near.saturating_sub(NEARBY).max(self.inputs)..near;
        // Nearly every reference is the name of a row just before, found by its text before
        // it is read: reading it costs more than the search. The text stands for that row
        // when it reads as itself, as every automatic name does; while no name is given (the
        // first given one maps them all), every row's name is an automatic one.
        let before = self.rows.get(recent.clone()).unwrap_or(&[]);
        match before.iter().rposition(|r| r.name == text) {
            Some(row) if self.by_name.is_none() || TensorRef::is_bare(text) => {
                Some(Src::all(recent.start + row))
            }
            _ => self.read(text, near, recent),
        }
    }

    /// [`Straight::resolve`] for the rest: the reference read, then looked for among the
    /// `recent` rows, the inputs and every name.
    #[inline(never)]
    fn read(&mut self, text: &str, near: usize, recent: Range<usize>) -> Option<Src> {
        let r = TensorRef::parse(text).ok()?;
        if r.call != 0 {
            return None;
        }
        let named = |row: &usize| self.rows[*row].name.as_str() == r.name;
        let found = match recent
            .rev()
            .find(named)
            .or_else(|| (0..self.inputs).find(named))
        {
            Some(row) => row,
            None => {
                if self.by_name.is_none() {
                    self.map_names();
                }
                let row = *self.by_name.as_ref()?.get(r.name)? as usize;
                (row < near).then_some(row)?
            }
        };
        Some(Src {
            node: small(found),
            tensor: r.index.map_or(NONE, small),
        })
    }

    /// The model's outputs: the references given, or the last row's output.
    fn outputs(&mut self) -> Option<Vec<Src>> {
        let graph = &self.design.graph;
        if graph.outputs.is_empty() {
            // The last layer's, or the first input's when there is none.
            let last = match self.design.layers.len() {
                0 => 0,
                _ => self.rows.len() - 1,
            };
            return Some(vec![Src {
                node: small(last),
                tensor: NONE,
            }]);
        }
        let near = self.rows.len();
        graph
            .outputs
            .iter()
            .map(|text| self.resolve(text, near))
            .collect()
    }
}

/// The ordering reads the rows' sources where they are: each row is one call.
impl Calls for Straight<'_> {
    fn count(&self) -> usize {
        self.rows.len()
    }
    fn op(&self, n: usize) -> usize {
        n
    }
    fn parent(&self, n: usize, i: usize) -> Option<usize> {
        let end = self.starts[n + 1] as usize;
        let at = self.starts[n] as usize + i;
        (at < end).then(|| self.sources[at].node())
    }
    fn tensors_in(&self, n: usize) -> usize {
        let from = self.starts[n] as usize..self.starts[n + 1] as usize;
        self.sources[from]
            .iter()
            .map(|s| match s.tensor() {
                Some(_) => 1,
                None => self.rows[s.node()].output.count(),
            })
            .sum()
    }
}
