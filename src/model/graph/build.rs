//! `Summary::of` for a graph design: every call placed and wired, refused when a reference
//! names nothing or the calls form a cycle, shapes inferred in an order derived from the
//! wiring, weights counted once per layer, and rows in Keras' order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::collections::hash_map::Entry;

use foldhash::{HashMap, HashMapExt};

use smallvec::SmallVec;

use super::masks::{self, passes_mask, takes_mask};
use super::order::{self, Calls, NONE};
use super::{Call, Graph, TensorRef, straight};
use crate::model::compute::Tally;
use crate::model::design::Design;
use crate::model::error::{LayerError, ShapeError};
use crate::model::layers::{Kind, Layer, MaskUse, MultiInput};
use crate::model::name::Name;
use crate::model::shape::{Output, Overflow, Shape};
use crate::model::summary::{
    Ends, INPUT_LAYER, LayerState, Layout, Link, Namer, PassedMask, Row, Source, Summary, Wired,
    Wiring, count, duplicate_name, map_over_list,
};
use crate::model::weights::{Convention, Params, sum_weights};

/// How many operations before a call [`Builder::op_named`] looks through before it maps every
/// name: a block's input is rarely further back than this.
pub(super) const NEARBY: usize = 16;

/// The tensors a call receives, held in place for the usual one or two.
type Shapes = SmallVec<[Shape; 2]>;

/// A `u32` field read as an index, `None` when it holds [`NONE`].
fn some(value: u32) -> Option<usize> {
    (value != NONE).then_some(value as usize)
}

/// The tensor a mask node computes.
fn mask_src(node: usize) -> Src {
    Src {
        node: small(node),
        tensor: 0,
    }
}

/// Where one input tensor of a call comes from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Src {
    /// The node (call) that produced it.
    pub(super) node: u32,
    /// Which of its outputs; [`NONE`]: all of them (a layer wired by default to the call
    /// before).
    pub(super) tensor: u32,
}

impl Src {
    /// All the outputs of node `node`.
    pub(super) fn all(node: usize) -> Self {
        Self {
            node: small(node),
            tensor: NONE,
        }
    }

    /// The node that produced it.
    pub(super) fn node(self) -> usize {
        self.node as usize
    }

    /// Which of its outputs; `None`: all of them.
    pub(super) fn tensor(self) -> Option<usize> {
        some(self.tensor)
    }
}

/// One call of an operation. Its indexes are `u32`s, its usual one or two sources are held in
/// place, and its output and keywords live elsewhere, so a node takes 64 bytes: the ordering
/// and the links walk every node, and a record of 232 bytes made them wait on memory.
struct Node<'a> {
    /// The operation (row) called.
    op: u32,
    /// Which call of it (Keras' node index).
    call: u32,
    /// Its position in the list of calls (`Design::layers` with the shared calls placed),
    /// as errors report it; [`NONE`] for inputs and implicit operations.
    entry: u32,
    /// How many tensors the output holds, as references and links count them.
    tensors: u32,
    /// Where its output is, once built: a first call's in its operation's row, a later
    /// call's at this place of [`Builder::later`].
    slot: u32,
    /// The mask the output carries: the node of the `NotEqual` computing it ([`NONE`]: none).
    mask: u32,
    /// Its keyword tensors: a place of [`Builder::keywords`], [`NONE`] when called without.
    keywords: u32,
    /// True once the call is built.
    built: bool,
    /// How it is called, as written (`None`: on the previous call's output).
    wiring: Option<&'a Call>,
    /// Positional tensors, then keyword ones (sorted by keyword); held in place for the usual
    /// one or two, so wiring a call allocates nothing.
    sources: SmallVec<[Src; 2]>,
}

// The size the record's documentation promises.
const _: () = assert!(std::mem::size_of::<Node<'static>>() <= 64);

impl Node<'_> {
    /// The operation (row) called.
    fn op(&self) -> usize {
        self.op as usize
    }

    /// Which call of it.
    fn call(&self) -> usize {
        self.call as usize
    }
}

/// The state of one summary computation.
struct Builder<'a> {
    design: &'a Design,
    graph: &'a Graph,
    convention: Convention,
    /// Each operation's row, by operation (inputs, then design layers, then implicit ones),
    /// filled as its calls are built; the summary's rows are these, moved into Keras' order.
    rows: Vec<Row>,
    /// Each operation's calls, in order (in place: most operations are called once).
    calls: Vec<SmallVec<[usize; 1]>>,
    nodes: Vec<Node<'a>>,
    /// The outputs of shared layers' later calls (a first call's output is written straight
    /// into its row, as nearly every operation is called once).
    later: Vec<Output>,
    /// The keywords of calls with keyword tensors, each with how many of the call's sources
    /// it holds (after the positional ones); few calls have any.
    keywords: Vec<Vec<(&'a str, usize)>>,
    /// The node of each entry of the list of calls.
    entries: Vec<usize>,
    /// Model input nodes, in order.
    input_nodes: Vec<usize>,
    /// Each input's and layer's operation, by name, once `named`.
    by_name: HashMap<Name, usize>,
    /// True once `by_name` holds every input and layer: from the start when a name is given
    /// (it must be checked against the others), else when a reference is not found nearby.
    named: bool,
    names: Namer,
    /// The lists the rows' wiring indexes.
    wired: Wired,
    /// What became of each node when a call's shapes were refused (`None` while none is).
    past: Option<Vec<Status>>,
    /// True when a layer starts a mask (`Embedding(mask_zero=True)`, `Masking`); without one
    /// no call has a mask to receive or hand on, and building skips asking.
    masks: bool,
}

/// What became of one node (call) in a graph whose shapes are refused somewhere.
#[derive(Debug, Clone, PartialEq)]
enum Status {
    /// Built before the refusal.
    Before,
    /// Built after it, not reading from it.
    After,
    /// Refused, for this reason.
    Refused(ShapeError),
    /// Not built: reads, directly or not, from the refused node given.
    Blocked(usize),
}

/// The summary of a graph design.
pub(crate) fn summarize(design: &Design, convention: Convention) -> Summary {
    if let Some(summary) = straight::summary(design, convention) {
        return summary;
    }
    // Anything past the usual case, a refusal included, is left to the passes, which report
    // it as Keras does.
    let mut b = Builder::new(design, convention);
    let result = b.run();
    b.finish(result)
}

impl<'a> Builder<'a> {
    /// A builder with nothing placed yet.
    fn new(design: &'a Design, convention: Convention) -> Self {
        // Sized up front: growing vectors of these large structs would copy them over and over.
        let inputs = 1 + design.graph.inputs.len();
        let calls = design.layers.len() + design.graph.shared.len();
        Builder {
            design,
            graph: &design.graph,
            convention,
            rows: Vec::with_capacity(inputs + design.layers.len()),
            calls: Vec::with_capacity(inputs + design.layers.len()),
            nodes: Vec::with_capacity(inputs + calls),
            later: Vec::new(),
            keywords: Vec::new(),
            entries: Vec::with_capacity(calls),
            input_nodes: Vec::with_capacity(inputs),
            by_name: HashMap::new(),
            named: false,
            names: Namer::default(),
            wired: Wired {
                links: Vec::with_capacity(2 * calls),
                // Calls on several tensors are the wired ones, most on two.
                inputs: Vec::with_capacity(
                    2 * (design.graph.wiring.len() + design.graph.shared.len()),
                ),
                ..Wired::default()
            },
            past: None,
            masks: design.layers.iter().any(masks::starts_mask),
        }
    }

    /// Places, wires and builds every call; the first refusal stops it.
    fn run(&mut self) -> Result<Vec<Src>, ShapeError> {
        self.add_inputs();
        self.add_layers()?;
        self.place_calls()?;
        for e in 0..self.entries.len() {
            self.wire(e)?;
        }
        let outputs = self.outputs()?;
        let order = self.build_order()?;
        for (i, &n) in order.iter().enumerate() {
            if let Err(e) = self.build(n) {
                self.build_past(n, &e, &order[i + 1..]);
                return Err(e);
            }
        }
        Ok(outputs)
    }

    /// After a refusal at node `failed`, builds the calls left in `rest` that do not read from
    /// it, so a designer can show every branch the refusal leaves alone; notes which do.
    fn build_past(&mut self, failed: usize, error: &ShapeError, rest: &[usize]) {
        let mut status: Vec<Status> = self
            .nodes
            .iter()
            .map(|n| match n.built {
                true => Status::Before,
                false => Status::Blocked(failed),
            })
            .collect();
        status[failed] = Status::Refused(error.clone());
        for &n in rest {
            let waits = self.nodes[n]
                .sources
                .iter()
                .find_map(|s| match status.get(s.node()) {
                    Some(Status::Refused(_)) => Some(s.node()),
                    Some(Status::Blocked(root)) => Some(*root),
                    _ => None,
                });
            status[n] = match waits {
                Some(root) => Status::Blocked(root),
                None => match self.build(n) {
                    Ok(()) => Status::After,
                    Err(e) => Status::Refused(e),
                },
            };
        }
        // Implicit operations added on the way (a mask's NotEqual) belong with what made them.
        status.resize(self.nodes.len(), Status::After);
        self.past = Some(status);
    }

    /// An operation, with its row still to fill.
    fn push_op(&mut self, name: Name, class: &'static str, source: Source) -> usize {
        self.rows.push(Row {
            name,
            class,
            input: Shape::default(),
            output: Output::One(Shape::default()),
            params: Params::default(),
            macs: Ok(0),
            source,
            wiring: self.wired.keep(Wiring::default()),
        });
        self.calls.push(SmallVec::new());
        self.rows.len() - 1
    }

    /// A node calling `op`, placed at `entry` of the list of calls.
    fn push_node(&mut self, op: usize, entry: Option<usize>, wiring: Option<&'a Call>) -> usize {
        let call = self.calls[op].len();
        self.nodes.push(Node {
            op: small(op),
            call: small(call),
            entry: entry.map_or(NONE, small),
            tensors: 0,
            slot: NONE,
            mask: NONE,
            keywords: NONE,
            built: false,
            wiring,
            sources: SmallVec::new(),
        });
        let n = self.nodes.len() - 1;
        self.calls[op].push(n);
        n
    }

    /// The model inputs: operations with one node each, already built.
    fn add_inputs(&mut self) {
        let first = (self.graph.input_name.as_deref(), &self.design.input.shape);
        let rest = self
            .graph
            .inputs
            .iter()
            .map(|i| (i.name.as_deref(), &i.shape));
        for (i, (name, shape)) in std::iter::once(first).chain(rest).enumerate() {
            let name = match name {
                Some(n) => Name::new(n),
                None => self.names.auto(INPUT_LAYER),
            };
            let op = self.push_op(name, "InputLayer", Source::Input(i));
            self.rows[op].input = shape.clone();
            let n = self.push_node(op, None, None);
            self.set_output(n, Output::One(shape.clone()));
            self.input_nodes.push(n);
        }
    }

    /// One operation per design layer, named as Keras names them; a name given twice is
    /// refused at its second holder.
    fn add_layers(&mut self) -> Result<(), ShapeError> {
        // Automatic names never meet each other (inputs and layers have different bases), so
        // names are checked, in a map of every name so far, only from the first given one.
        if self.graph.input_name.is_some() || self.graph.inputs.iter().any(|i| i.name.is_some()) {
            self.map_names();
        }
        for (index, layer) in self.design.layers.iter().enumerate() {
            let kind = layer.kind();
            let naming = kind.naming();
            let name = self.names.name(&naming);
            if !self.named && naming.given.is_some() {
                self.map_names();
            }
            if self.named {
                self.claim(index, &name, kind.class())?;
            }
            self.push_op(name, kind.summary_class(), Source::Layer(index));
        }
        Ok(())
    }

    /// Claims `name` for the design layer at `index`, whose class is `class`, in the map of
    /// names; refused when an earlier input or layer holds it.
    fn claim(&mut self, index: usize, name: &Name, class: &'static str) -> Result<(), ShapeError> {
        // One lookup both checks and claims the name.
        let holder = match self.by_name.entry(name.clone()) {
            Entry::Occupied(first) => *first.get(),
            Entry::Vacant(slot) => {
                slot.insert(self.rows.len());
                return Ok(());
            }
        };
        let error = match self.rows[holder].source {
            Source::Layer(i) => duplicate_name(name, Some(i)),
            Source::Input(_) | Source::Implicit(_) => LayerError::field(
                "name",
                format!(
                    "`{name}` is the name of a model input; Keras needs every name in a model to be unique: give this layer another name, or none to take an automatic one"
                ),
            ),
        };
        Err(self.refusal(index, name, class, error))
    }

    /// The operation of the design layer at `index`.
    fn layer_op(&self, index: usize) -> usize {
        self.input_nodes.len() + index
    }

    /// The list of calls: each layer's first call where it sits, each shared call after the
    /// layer it names as `after`.
    fn place_calls(&mut self) -> Result<(), ShapeError> {
        let layers = self.design.layers.len();
        let mut next_shared = self.graph.shared_order(layers).into_iter().peekable();
        let graph = self.graph;
        // Walked alongside the layers: a lookup per layer would cost a tree search each.
        let mut wiring = graph.wiring.iter().peekable();
        for index in 0..layers {
            let op = self.layer_op(index);
            let entry = self.entries.len();
            let call = wiring.next_if(|(at, _)| **at == index).map(|(_, c)| c);
            let n = self.push_node(op, Some(entry), call);
            self.entries.push(n);
            while let Some(&(_, s)) = next_shared.peek().filter(|(after, _)| *after == index) {
                next_shared.next();
                let call = &graph.shared[s];
                let entry = self.entries.len();
                let Some(op) = self.find_layer(&call.layer, self.layer_op(index) + 1) else {
                    let error = LayerError::field(
                        "layer",
                        format!(
                            "the shared call names `{}`, which is no layer placed before it: name a layer that comes earlier",
                            call.layer
                        ),
                    );
                    return Err(self.refusal(entry, &call.layer, "shared call", error));
                };
                let n = self.push_node(op, Some(entry), Some(&call.call));
                self.entries.push(n);
            }
        }
        Ok(())
    }

    /// Fills the map of names with every operation made so far (the inputs and layers).
    fn map_names(&mut self) {
        self.by_name.reserve(self.rows.len());
        for (op, row) in self.rows.iter().enumerate() {
            self.by_name.insert(row.name.clone(), op);
        }
        self.named = true;
    }

    /// The input's or layer's operation called `name`, looked for first among the few
    /// operations before `near` and the inputs, where nearly every reference points, and
    /// else in the map of all names (made the first time it is needed).
    fn op_named(&mut self, name: &str, near: usize) -> Option<usize> {
        if !self.named {
            let inputs = self.input_nodes.len();
            let near = near.min(self.rows.len());
            let named = |op: &usize| self.rows[*op].name.as_str() == name;
            let recent = near.saturating_sub(NEARBY).max(inputs)..near;
            if let Some(op) = recent.rev().find(named).or_else(|| (0..inputs).find(named)) {
                return Some(op);
            }
            self.map_names();
        }
        self.by_name.get(name).copied()
    }

    /// The design layer called `name` that already has a call.
    fn find_layer(&mut self, name: &str, near: usize) -> Option<usize> {
        let op = self.op_named(name, near)?;
        (matches!(self.rows[op].source, Source::Layer(_)) && !self.calls[op].is_empty())
            .then_some(op)
    }

    /// Resolves the references of the call at `entry`.
    fn wire(&mut self, entry: usize) -> Result<(), ShapeError> {
        let n = self.entries[entry];
        let wiring = self.nodes[n].wiring.filter(|c| !c.takes_previous());
        let Some(call) = wiring else {
            let previous = match entry {
                0 => self.input_nodes[0],
                e => self.entries[e - 1],
            };
            self.nodes[n].sources.push(Src::all(previous));
            return Ok(());
        };
        let near = self.nodes[n].op();
        let mut sources = SmallVec::with_capacity(call.inputs.len());
        for text in &call.inputs {
            let src = self.resolve(text, near);
            sources.push(src.map_err(|e| self.node_refusal(n, e))?);
        }
        let mut keywords = Vec::with_capacity(call.keywords.len());
        for (key, refs) in &call.keywords {
            for text in refs {
                let src = self.resolve(text, near);
                sources.push(src.map_err(|e| self.node_refusal(n, e))?);
            }
            keywords.push((key.as_str(), refs.len()));
        }
        self.nodes[n].sources = sources;
        if !keywords.is_empty() {
            self.set_keywords(n, keywords);
        }
        Ok(())
    }

    /// Gives node `n` these keywords.
    fn set_keywords(&mut self, n: usize, keywords: Vec<(&'a str, usize)>) {
        self.nodes[n].keywords = small(self.keywords.len());
        self.keywords.push(keywords);
    }

    /// Node `n`'s keywords, each with how many of its sources it holds.
    fn keywords(&self, n: usize) -> &[(&'a str, usize)] {
        match some(self.nodes[n].keywords) {
            Some(k) => &self.keywords[k],
            None => &[],
        }
    }

    /// The node and output a reference names, read for the operation `near` (see
    /// [`Self::op_named`]).
    fn resolve(&mut self, text: &str, near: usize) -> Result<Src, LayerError> {
        let r = TensorRef::parse(text).map_err(|e| LayerError::field("inputs", e))?;
        let Some(op) = self.op_named(r.name, near) else {
            return Err(LayerError::field(
                "inputs",
                format!(
                    "`{text}` names no input or layer of this design: use the name of an input or a layer ({})",
                    self.some_names()
                ),
            ));
        };
        let calls = &self.calls[op];
        match calls.get(r.call) {
            Some(&node) => Ok(Src {
                node: small(node),
                tensor: r.index.map_or(NONE, small),
            }),
            None => Err(LayerError::field(
                "inputs",
                format!(
                    "`{text}` names call {} of {}, which is called {} time(s): use {}@0 to {}@{}",
                    r.call,
                    r.name,
                    calls.len(),
                    r.name,
                    r.name,
                    calls.len().saturating_sub(1)
                ),
            )),
        }
    }

    /// A few names a reference could use, for error messages.
    fn some_names(&self) -> String {
        let names: Vec<&str> = self.rows.iter().take(8).map(|o| o.name.as_str()).collect();
        let more = if self.rows.len() > 8 { ", ..." } else { "" };
        format!("{}{more}", names.join(", "))
    }

    /// The model's outputs: the references given, or the last call's output.
    fn outputs(&mut self) -> Result<Vec<Src>, ShapeError> {
        if self.graph.outputs.is_empty() {
            let last = self.entries.last().copied().unwrap_or(self.input_nodes[0]);
            return Ok(vec![Src::all(last)]);
        }
        let mut out = Vec::with_capacity(self.graph.outputs.len());
        for text in &self.graph.outputs {
            match self.resolve(text, self.rows.len()) {
                Ok(src) => out.push(src),
                Err(e) => {
                    let last = self.entries.len().saturating_sub(1);
                    let error = LayerError::field(
                        "outputs",
                        e.to_string().trim_start_matches("inputs: ").to_string(),
                    );
                    return Err(self.refusal(last, "outputs", "model", error));
                }
            }
        }
        Ok(out)
    }

    /// The calls in an order where each comes after the calls it uses: the list of calls
    /// itself when it already is one (the usual case; it is taken, not copied), else the
    /// earliest ready call first. A cycle is refused at its first call in the list.
    fn build_order(&mut self) -> Result<Vec<usize>, ShapeError> {
        let forward = self
            .entries
            .iter()
            .any(|&n| self.nodes[n].sources.iter().any(|s| s.node() >= n));
        if !forward {
            return Ok(std::mem::take(&mut self.entries));
        }
        let mut waiting = vec![0usize; self.nodes.len()];
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for &n in &self.entries {
            for s in &self.nodes[n].sources {
                if self.nodes[s.node()].entry != NONE {
                    waiting[n] += 1;
                    users[s.node()].push(n);
                }
            }
        }
        let entry_of = |n: usize| some(self.nodes[n].entry).unwrap_or(0);
        let mut ready: BinaryHeap<Reverse<(usize, usize)>> = self
            .entries
            .iter()
            .filter(|&&n| waiting[n] == 0)
            .map(|&n| Reverse((entry_of(n), n)))
            .collect();
        let mut order = Vec::with_capacity(self.entries.len());
        while let Some(Reverse((_, n))) = ready.pop() {
            order.push(n);
            for &u in &users[n] {
                waiting[u] -= 1;
                if waiting[u] == 0 {
                    ready.push(Reverse((entry_of(u), u)));
                }
            }
        }
        if order.len() < self.entries.len() {
            let stuck = self
                .entries
                .iter()
                .copied()
                .find(|&n| waiting[n] > 0)
                .unwrap_or(self.entries[0]);
            let error = LayerError::field(
                "inputs",
                "its inputs depend on its own output (the calls form a cycle): point one of the references in the cycle at an earlier tensor",
            );
            return Err(self.node_refusal(stuck, error));
        }
        Ok(order)
    }

    /// The layer a node calls.
    fn layer(&self, n: usize) -> Option<(usize, &'a Layer)> {
        match self.rows[self.nodes[n].op()].source {
            Source::Layer(i) => Some((i, self.design.layers.get(i)?)),
            _ => None,
        }
    }

    /// The tensors a source stands for, read where they lie.
    fn tensors(&self, src: Src) -> Result<&[Shape], LayerError> {
        // The name is read only for an error: the row is not otherwise needed here.
        let name = || &self.rows[self.nodes[src.node()].op()].name;
        let Some(output) = self.output(src.node()) else {
            let name = name();
            return Err(LayerError::field(
                "inputs",
                format!("{name} is not built yet"),
            ));
        };
        if let Some(shapes) = output.tensors(src.tensor()) {
            return Ok(shapes);
        }
        // Only an index names a tensor an output lacks.
        let i = src.tensor().unwrap_or(0);
        let name = name();
        let n = output.count();
        Err(LayerError::field(
            "inputs",
            format!(
                "`{name}[{i}]` names output {i}, and {name} has {n} output(s) {output}: refer to {name}[0] to {name}[{}] (an RNN returns its states too only with return_state=True)",
                n.saturating_sub(1)
            ),
        ))
    }

    /// Builds one call: its output shape, and for a layer's first call its weights.
    fn build(&mut self, n: usize) -> Result<(), ShapeError> {
        let Some((index, layer)) = self.layer(n) else {
            return Ok(());
        };
        let kind = layer.kind();
        if self.masks {
            self.attach_mask(n, kind);
        }
        match kind.multi() {
            Some(multi) => self.build_multi(n, layer, multi)?,
            None => self.build_single(n, kind)?,
        }
        if self.masks {
            self.add_mask(n, index, layer, kind);
        }
        Ok(())
    }

    /// Builds a call of a kind that takes one tensor (or maps over a list).
    fn build_single(&mut self, n: usize, kind: &dyn Kind) -> Result<(), ShapeError> {
        let sources = &self.nodes[n].sources[..self.positional(n)];
        // The usual call, on one source, reads its tensors where they lie.
        let mut gathered = Shapes::new();
        let shapes = match sources {
            [one] => self.tensors(*one),
            list => {
                for &src in list {
                    let shapes = self.tensors(src).map_err(|e| self.node_refusal(n, e))?;
                    gathered.extend(shapes.iter().cloned());
                }
                Ok(gathered.as_slice())
            }
        };
        let built = shapes.and_then(|shapes| on_one(kind, shapes));
        let (input, output) = built.map_err(|e| self.node_refusal(n, e))?;
        let params = count(kind, input, self.convention);
        let macs = kind.macs(input, &output, &mut Tally::count());
        let input = input.clone();
        self.settle(n, input, output, params, macs, 0..0)
    }

    /// Builds a call on several tensors (a merge, attention): they are gathered straight into
    /// the summary's list of call inputs, and stay there for a layer's first call.
    fn build_multi(
        &mut self,
        n: usize,
        layer: &Layer,
        multi: &dyn MultiInput,
    ) -> Result<(), ShapeError> {
        let mut all = std::mem::take(&mut self.wired.inputs);
        let start = all.len();
        let built = self.gather(n, multi.slots(), &mut all).and_then(|()| {
            let inputs = &all[start..];
            let options = self.nodes[n].wiring.map(|c| c.options).unwrap_or_default();
            let output = multi
                .output(inputs, options)
                .map_err(|e| self.node_refusal(n, e))?;
            let params = count_multi(layer, multi, inputs, self.convention);
            let macs = multi.macs(inputs, &output, &mut Tally::count());
            Ok((
                inputs.first().cloned().unwrap_or_default(),
                output,
                params,
                macs,
            ))
        });
        let first_call = self.nodes[n].call == 0;
        if built.is_err() || !first_call {
            all.truncate(start);
        }
        let kept = span(start, all.len());
        self.wired.inputs = all;
        let (input, output, params, macs) = built?;
        self.settle(n, input, output, params, macs, kept)
    }

    /// Appends the tensors of a call on several to `out`, in slot order: the positional ones,
    /// then each keyword slot given by keyword (`query`, `value`, `key`).
    fn gather(&self, n: usize, slots: &[&str], out: &mut Vec<Shape>) -> Result<(), ShapeError> {
        let node = &self.nodes[n];
        let start = out.len();
        let positional = self.positional(n);
        for &src in &node.sources[..positional] {
            let shapes = self.tensors(src).map_err(|e| self.node_refusal(n, e))?;
            out.extend_from_slice(shapes);
        }
        let by_key = self.by_keyword(n);
        if by_key.is_empty() {
            return Ok(());
        }
        for slot in slots.iter().skip(out.len() - start) {
            if let Some(&(_, src)) = by_key.iter().find(|(k, _)| k == slot) {
                let shapes = self.tensors(src).map_err(|e| self.node_refusal(n, e))?;
                out.extend_from_slice(shapes);
            }
        }
        Ok(())
    }

    /// The tensors node `n` is given one to a keyword (`query=q`), with their keywords.
    fn by_keyword(&self, n: usize) -> SmallVec<[(&'a str, Src); 3]> {
        let node = &self.nodes[n];
        let mut at = self.positional(n);
        let mut by_key = SmallVec::new();
        for &(key, count) in self.keywords(n) {
            if count == 1 {
                by_key.push((key, node.sources[at]));
            }
            at += count;
        }
        by_key
    }

    /// Records a built call: a layer's first call fills its row; a later call of a shared
    /// layer must find weights of the same sizes, and adds its MACs.
    fn settle(
        &mut self,
        n: usize,
        input: Shape,
        output: Output,
        params: Result<Params, LayerError>,
        macs: Result<u64, LayerError>,
        inputs: std::ops::Range<u32>,
    ) -> Result<(), ShapeError> {
        let op = self.nodes[n].op();
        if self.nodes[n].call == 0 {
            let params = params.map_err(|e| self.node_refusal(n, e))?;
            let row = &mut self.rows[op];
            row.input = input;
            row.params = params;
            row.macs = macs;
            if let Some(wiring) = self.wired.at(row.wiring) {
                wiring.inputs = inputs;
            }
        } else if params.as_ref() != Ok(&self.rows[op].params) {
            let first = &self.rows[op].input;
            let error = LayerError::shape(
                format!("a tensor like its first call's, {first}, whose sizes built its weights"),
                &input,
                "call a shared layer on tensors of the same feature size",
            );
            return Err(self.node_refusal(n, error));
        } else {
            let row = &mut self.rows[op];
            row.macs = match (&row.macs, macs) {
                (Ok(a), Ok(b)) => a.checked_add(b).ok_or(Overflow).map_err(LayerError::from),
                (Err(e), _) => Err(e.clone()),
                (_, Err(e)) => Err(e),
            };
        }
        self.set_output(n, output);
        Ok(())
    }

    /// Marks node `n` built, with this output.
    fn set_output(&mut self, n: usize, output: Output) {
        let node = &mut self.nodes[n];
        node.tensors = small(output.count());
        node.built = true;
        if node.call == 0 {
            self.rows[node.op()].output = output;
        } else {
            node.slot = small(self.later.len());
            self.later.push(output);
        }
    }

    /// What node `n` produced, once built.
    fn output(&self, n: usize) -> Option<&Output> {
        let node = &self.nodes[n];
        match (node.built, node.call) {
            (false, _) => None,
            (true, 0) => Some(&self.rows[node.op()].output),
            (true, _) => self.later.get(node.slot as usize),
        }
    }

    /// How many of a node's sources are positional.
    fn positional(&self, n: usize) -> usize {
        let keyword_sources: usize = self.keywords(n).iter().map(|(_, c)| c).sum();
        self.nodes[n].sources.len() - keyword_sources
    }

    /// Keras passes a tensor's mask to the next layer whose call takes one: the layer is
    /// then connected to the `NotEqual` too, as its `mask` keyword.
    fn attach_mask(&mut self, n: usize, kind: &dyn Kind) {
        let node = &self.nodes[n];
        if node.keywords != NONE || node.sources.len() != 1 {
            return;
        }
        // Whether the tensor carries a mask first: asking the kind costs more.
        let mask = self.nodes[node.sources[0].node()].mask;
        if mask != NONE && takes_mask(kind) {
            self.nodes[n].sources.push(mask_src(mask as usize));
            self.set_keywords(n, vec![("mask", 1)]);
        }
    }

    /// The mask a built call's output carries, with the operations Keras adds to compute it
    /// (their rows come in Keras' order with the others): a `NotEqual` for
    /// `Embedding(mask_zero=True)`, its input's mask for layers that pass masks on, and each
    /// kind's own recipe where its [`MaskUse`] says it makes one. `index` is the layer's
    /// position in the design, which the operations record as their maker.
    fn add_mask(&mut self, n: usize, index: usize, layer: &Layer, kind: &dyn Kind) {
        let first_src = self.nodes[n].sources.first().copied();
        if let Layer::Embedding(e) = layer {
            if e.mask_zero {
                let ids = self.rows[self.nodes[n].op()].input.clone();
                let m = self.implicit(index, "not_equal", "NotEqual", first_src.as_slice(), ids);
                self.nodes[n].mask = small(m);
            }
            return;
        }
        // The masks of the tensors the call is made on, in order ([`NONE`]: none).
        let positional = self.positional(n);
        let mut tensors: SmallVec<[Src; 3]> = self.nodes[n].sources[..positional].into();
        if positional == 0
            && let Some(multi) = kind.multi()
        {
            // Called by keywords alone (`MultiHeadAttention(query=q, value=v)`), Keras reads
            // the masks of its tensors in the order its call takes them: the query's first.
            let by_key = self.by_keyword(n);
            let given = |slot: &&str| by_key.iter().find(|(k, _)| k == slot).map(|(_, s)| *s);
            tensors.extend(multi.slots().iter().filter_map(given));
        }
        let masks: SmallVec<[u32; 2]> = tensors
            .iter()
            .map(|src| self.nodes[src.node()].mask)
            .collect();
        let mask = match kind.keras().mask {
            MaskUse::Makes => self.made_mask(n, index, first_src),
            MaskUse::Ors => self.ored_masks(index, &masks),
            MaskUse::Joins => self.joined_masks(n, index, layer, &masks),
            MaskUse::KeepsQuery => match masks.first().copied().and_then(some) {
                Some(query) => {
                    let shape = self.mask_shape(query);
                    let src = [mask_src(query)];
                    let class = "ConvertToTensor";
                    Some(self.implicit(index, "convert_to_tensor", class, &src, shape))
                }
                None => None,
            },
            // The mask is the first positional tensor's: an LSTM given `initial_state` keeps
            // it on too, though its call does not take it.
            MaskUse::Drops | MaskUse::Passes | MaskUse::TakesAndPasses | MaskUse::Takes => masks
                .first()
                .copied()
                .and_then(some)
                .filter(|_| passes_mask(kind)),
        };
        self.nodes[n].mask = mask.map_or(NONE, small);
    }

    /// `Masking`'s mask: the steps where any feature differs from the mask value
    /// (`Any(NotEqual(x, mask_value), axis=-1)`).
    fn made_mask(&mut self, n: usize, index: usize, input: Option<Src>) -> Option<usize> {
        let values = self.rows[self.nodes[n].op()].input.clone();
        let steps = masks::reduced(&values);
        let differs = self.implicit(index, "not_equal", "NotEqual", input.as_slice(), values);
        Some(self.implicit(index, "any", "Any", &[mask_src(differs)], steps))
    }

    /// An element-wise merge's mask: the OR of its inputs' masks, one `LogicalOr` per input
    /// after the first; none unless every input carries one.
    fn ored_masks(&mut self, index: usize, masks: &[u32]) -> Option<usize> {
        let (&first, rest) = masks.split_first()?;
        let mut ored = some(first)?;
        if rest.contains(&NONE) {
            return None;
        }
        for &m in rest {
            let m = m as usize;
            let shape = masks::broadcast(&self.mask_shape(ored), &self.mask_shape(m));
            let sources = [mask_src(ored), mask_src(m)];
            ored = self.implicit(index, "logical_or", "LogicalOr", &sources, shape);
        }
        Some(ored)
    }

    /// `Concatenate`'s mask, as Keras computes it when any input carries one: each input's
    /// mask widened to the input's shape (all true for an input without one), joined on the
    /// layer's axis, and reduced over the last axis.
    fn joined_masks(
        &mut self,
        n: usize,
        index: usize,
        layer: &Layer,
        masks: &[u32],
    ) -> Option<usize> {
        let Layer::Concatenate(concatenate) = layer else {
            return None;
        };
        if masks.iter().all(|&m| m == NONE) {
            return None;
        }
        let sources: SmallVec<[Src; 2]> = self.nodes[n].sources[..masks.len()].into();
        let mut pieces: SmallVec<[usize; 2]> = SmallVec::new();
        for (&src, &mask) in sources.iter().zip(masks) {
            let input = self.tensors(src).ok()?.first()?.clone();
            let piece = match some(mask) {
                None => self.implicit(index, "ones_like", "OnesLike", &[src], input),
                Some(m) if self.mask_shape(m).ndim() < input.ndim() => {
                    let wider = masks::expanded(&self.mask_shape(m));
                    let expanded =
                        self.implicit(index, "expand_dims", "ExpandDims", &[mask_src(m)], wider);
                    let zeros = self.implicit(index, "zeros_like", "ZerosLike", &[src], input);
                    let shape =
                        masks::broadcast(&self.mask_shape(expanded), &self.mask_shape(zeros));
                    let sources = [mask_src(expanded), mask_src(zeros)];
                    self.implicit(index, "logical_or", "LogicalOr", &sources, shape)
                }
                Some(m) => m,
            };
            pieces.push(piece);
        }
        let shapes: Vec<Shape> = pieces.iter().map(|&p| self.mask_shape(p)).collect();
        let joined = concatenate.joined(&shapes).ok()?;
        let steps = masks::reduced(&joined);
        let sources: Vec<Src> = pieces.iter().map(|&p| mask_src(p)).collect();
        let all = self.implicit(index, "concatenate", "Concatenate", &sources, joined);
        Some(self.implicit(index, "any", "Any", &[mask_src(all)], steps))
    }

    /// The shape of the mask node `m` computes.
    fn mask_shape(&self, m: usize) -> Shape {
        self.output(m)
            .and_then(Output::single)
            .cloned()
            .unwrap_or_default()
    }

    /// An operation Keras adds to the graph itself for the design layer at `maker`, called
    /// once on `sources` and built with the output `shape`: its node. It takes the next
    /// automatic name of `base` that no input or layer holds (a layer named `concatenate` in a
    /// model read from JSON leaves the mask's `Concatenate` the next one, as Keras had named
    /// it).
    fn implicit(
        &mut self,
        maker: usize,
        base: &'static str,
        class: &'static str,
        sources: &[Src],
        shape: Shape,
    ) -> usize {
        let mut name = self.names.auto(base);
        while self.named && self.by_name.contains_key(name.as_str()) {
            name = self.names.auto(base);
        }
        let op = self.push_op(name, class, Source::Implicit(maker));
        let input = sources
            .first()
            .and_then(|&src| self.tensors(src).ok())
            .and_then(|shapes| shapes.first())
            .cloned()
            .unwrap_or_default();
        self.rows[op].input = input;
        let m = self.push_node(op, None, None);
        self.nodes[m].sources = sources.into();
        self.set_output(m, Output::One(shape));
        m
    }

    /// A refusal placed at a node's entry in the list of calls.
    fn node_refusal(&self, n: usize, error: LayerError) -> ShapeError {
        let node = &self.nodes[n];
        let op = &self.rows[node.op()];
        ShapeError {
            index: some(node.entry).unwrap_or(0),
            name: op.name.to_string(),
            class: op.class,
            error,
        }
    }

    /// A refusal at `index` of the list of calls.
    fn refusal(
        &self,
        index: usize,
        name: &str,
        class: &'static str,
        error: LayerError,
    ) -> ShapeError {
        ShapeError {
            index,
            name: name.to_string(),
            class,
            error,
        }
    }

    /// The summary: rows in Keras' order when everything builds, else the rows built so far.
    fn finish(mut self, result: Result<Vec<Src>, ShapeError>) -> Summary {
        let inputs: Vec<Name> = self
            .input_nodes
            .iter()
            .map(|&n| self.rows[self.nodes[n].op()].name.clone())
            .collect();
        let (error, outputs) = match result {
            Ok(o) => (None, o),
            Err(e) => (Some(e), Vec::new()),
        };
        let ordered = error.is_none().then(|| self.order(&outputs)).flatten();
        let (ops, in_model, layout) = match ordered {
            Some(o) => {
                let layout = if o.sequential_like {
                    Layout::SequentialLike
                } else {
                    Layout::Graph
                };
                (o.ops, o.in_model, layout)
            }
            None => {
                // What Keras reports: the calls built before the refusal.
                let before: Vec<bool> = match &self.past {
                    Some(past) => past.iter().map(|s| *s == Status::Before).collect(),
                    None => vec![true; self.nodes.len()],
                };
                let built = (0..self.rows.len())
                    .filter(|&op| {
                        self.calls[op]
                            .iter()
                            .any(|&n| before[n] && self.nodes[n].built)
                    })
                    .collect();
                (built, before, Layout::Graph)
            }
        };
        let mut summary = Summary {
            convention: self.convention,
            rows: Vec::new(),
            totals: Params::default(),
            macs: Ok(0),
            error,
            layout,
            ends: Some(Box::new(Ends {
                inputs,
                outputs: self.output_names(&outputs),
                ..Ends::default()
            })),
            wired: Wired::default(),
        };
        let mut kept = Vec::with_capacity(ops.len());
        let mut layer_rows = vec![None; self.design.layers.len()];
        for op in ops {
            if self.close_row(op, &in_model) {
                tally(&mut summary, &self.rows[op]);
                if let Source::Layer(l) = self.rows[op].source {
                    if let Some(slot) = layer_rows.get_mut(l) {
                        *slot = Some(kept.len());
                    }
                }
                kept.push(op);
            }
        }
        let (states, unaffected) = self.states();
        let (rows, unaffected) = self.take_rows(&kept, &unaffected);
        summary.rows = rows;
        summary.wired = std::mem::take(&mut self.wired);
        if let Some(ends) = &mut summary.ends {
            ends.layer_rows = layer_rows;
            ends.states = states;
            ends.unaffected = unaffected;
        }
        summary
    }

    /// Each design layer's state after a refusal, and the operations built past it (their
    /// rows kept out of the summary's rows and totals).
    fn states(&mut self) -> (Vec<LayerState>, Vec<usize>) {
        let Some(past) = self.past.take() else {
            return (Vec::new(), Vec::new());
        };
        let after: Vec<bool> = past.iter().map(|s| *s == Status::After).collect();
        let mut unaffected = Vec::new();
        let mut states = Vec::with_capacity(self.design.layers.len());
        for index in 0..self.design.layers.len() {
            let op = self.layer_op(index);
            let first = self.calls[op].first().and_then(|&n| past.get(n));
            let state = match first {
                Some(Status::Before) | None => LayerState::Built,
                Some(Status::After) if self.close_row(op, &after) => {
                    unaffected.push(op);
                    LayerState::Unaffected(unaffected.len() - 1)
                }
                Some(Status::After) => LayerState::Built,
                Some(Status::Refused(e)) => LayerState::Refused(e.clone()),
                Some(Status::Blocked(root)) => {
                    let root = &self.rows[self.nodes[*root].op()];
                    match root.source {
                        Source::Layer(i) => LayerState::Blocked(i),
                        Source::Input(_) | Source::Implicit(_) => LayerState::Built,
                    }
                }
            };
            states.push(state);
        }
        (states, unaffected)
    }

    /// Moves the finished rows out: those of `kept` in that order, then those of `extra`.
    /// When `kept` is every operation in the order they were made (a residual stack, say),
    /// the rows are already in place and nothing moves.
    fn take_rows(&mut self, kept: &[usize], extra: &[usize]) -> (Vec<Row>, Vec<Row>) {
        let rows = std::mem::take(&mut self.rows);
        let in_place = extra.is_empty()
            && kept.len() == rows.len()
            && kept.iter().enumerate().all(|(i, &op)| i == op);
        if in_place {
            return (rows, Vec::new());
        }
        let mut slots: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
        let mut pick =
            |ops: &[usize]| -> Vec<Row> { ops.iter().filter_map(|&op| slots[op].take()).collect() };
        let kept = pick(kept);
        (kept, pick(extra))
    }

    /// Keras' order of the rows.
    fn order(&self, outputs: &[Src]) -> Option<order::Ordered> {
        let outs: Vec<usize> = outputs.iter().map(|s| s.node()).collect();
        order::keras_order(self, self.rows.len(), &self.input_nodes, &outs)
    }

    /// The outputs as references: `name`, `name[i]`, `name@k`.
    fn output_names(&self, outputs: &[Src]) -> Vec<String> {
        outputs
            .iter()
            .map(|s| {
                let node = &self.nodes[s.node()];
                TensorRef {
                    name: &self.rows[node.op()].name,
                    call: node.call(),
                    index: s.tensor(),
                }
                .to_string()
            })
            .collect()
    }

    /// Finishes an operation's row in place: its output (the last call's, as Keras shows a
    /// shared layer), each call's output when there are several, and what it is connected
    /// to; false when the operation has no call in the model.
    fn close_row(&mut self, op: usize, in_model: &[bool]) -> bool {
        if let [n] = self.calls[op][..] {
            return self.close_single(op, n, in_model);
        }
        let nodes = &self.nodes;
        let built = |n: &&usize| in_model[**n] && nodes[**n].built;
        let calls = &self.calls[op];
        let Some(&last) = calls.iter().rfind(built) else {
            return false;
        };
        let links = &mut self.wired.links;
        let start = links.len();
        let masks_start = self.wired.masks.len();
        for &n in calls.iter().filter(built) {
            push_links(nodes, &self.rows, n, links);
            if let Some(mask) = passed_mask((nodes, &self.rows, &self.keywords), n, links) {
                self.wired.masks.push(mask);
            }
        }
        let connected_to = span(start, links.len());
        let masks = span(masks_start, self.wired.masks.len());
        let start = self.wired.per_call.len();
        if calls.iter().filter(built).nth(1).is_some() {
            let outputs: Vec<Output> = calls
                .iter()
                .filter(built)
                .filter_map(|&n| self.output(n).cloned())
                .collect();
            self.wired.per_call.extend(outputs);
        }
        // Keras shows a shared layer's last call's output.
        if nodes[last].call > 0 {
            if let Some(output) = self.output(last).cloned() {
                self.rows[op].output = output;
            }
        }
        let per_call = span(start, self.wired.per_call.len());
        if let Some(wiring) = self.wired.at(self.rows[op].wiring) {
            wiring.connected_to = connected_to;
            wiring.per_call = per_call;
            wiring.masks = masks;
        }
        true
    }

    /// [`Self::close_row`] for an operation called once, at node `n`: its output is in the
    /// row already.
    fn close_single(&mut self, op: usize, n: usize, in_model: &[bool]) -> bool {
        if !(in_model[n] && self.nodes[n].built) {
            return false;
        }
        let start = self.wired.links.len();
        push_links(&self.nodes, &self.rows, n, &mut self.wired.links);
        let connected_to = span(start, self.wired.links.len());
        if let Some(wiring) = self.wired.at(self.rows[op].wiring) {
            wiring.connected_to = connected_to;
        }
        let wires = (
            self.nodes.as_slice(),
            self.rows.as_slice(),
            self.keywords.as_slice(),
        );
        if let Some(mask) = passed_mask(wires, n, &self.wired.links) {
            let at = self.wired.masks.len();
            self.wired.masks.push(mask);
            if let Some(wiring) = self.wired.at(self.rows[op].wiring) {
                wiring.masks = span(at, at + 1);
            }
        }
        true
    }
}

/// The ordering reads the calls where they are.
impl Calls for Builder<'_> {
    fn count(&self) -> usize {
        self.nodes.len()
    }
    fn op(&self, n: usize) -> usize {
        self.nodes[n].op()
    }
    fn parent(&self, n: usize, i: usize) -> Option<usize> {
        self.nodes[n].sources.get(i).map(|s| s.node())
    }
    fn tensors_in(&self, n: usize) -> usize {
        let nodes = &self.nodes;
        let count = |s: &Src| s.tensor().map_or(nodes[s.node()].tensors as usize, |_| 1);
        nodes[n].sources.iter().map(count).sum()
    }
}

/// The mask Keras handed node `n` itself ([`Builder::attach_mask`]): its last source, an
/// operation Keras added, whose link ends `links`.
fn passed_mask(builder: Wires<'_, '_>, n: usize, links: &[Link]) -> Option<PassedMask> {
    let (nodes, rows, keywords) = builder;
    let node = &nodes[n];
    let given = keywords.get(some(node.keywords)?)?;
    let from = &rows[nodes[node.sources.last()?.node()].op()];
    match (given.as_slice(), from.source, links.last()) {
        ([("mask", 1)], Source::Implicit(_), Some(link)) => Some(PassedMask {
            call: node.call(),
            link: link.clone(),
        }),
        _ => None,
    }
}

/// What [`passed_mask`] reads of a builder while its links are being written: the nodes,
/// the rows and the keyword lists.
type Wires<'b, 'a> = (&'b [Node<'a>], &'b [Row], &'b [Vec<(&'a str, usize)>]);

/// The links of node `n`: each tensor it received, as Keras prints it.
fn push_links(nodes: &[Node<'_>], rows: &[Row], n: usize, out: &mut Vec<Link>) {
    for src in &nodes[n].sources {
        let from = &nodes[src.node()];
        let layer = &rows[from.op()].name;
        match src.tensor() {
            Some(tensor) => out.push(Link {
                layer: layer.clone(),
                node: from.call(),
                tensor,
            }),
            None => {
                for tensor in 0..from.tensors as usize {
                    out.push(Link {
                        layer: layer.clone(),
                        node: from.call(),
                        tensor,
                    });
                }
            }
        }
    }
}

/// Adds a row's counts to the summary's totals: the first MACs that cannot be counted give
/// the total's reason.
pub(super) fn tally(summary: &mut Summary, row: &Row) {
    match summary.totals.plus(&row.params) {
        Ok(t) => summary.totals = t,
        Err(e) => summary.macs = Err(e),
    }
    if let Ok(total) = &mut summary.macs {
        match &row.macs {
            Ok(m) => match total.checked_add(*m) {
                Some(t) => *total = t,
                None => summary.macs = Err(LayerError::Overflow),
            },
            Err(e) => summary.macs = Err(e.clone()),
        }
    }
}

/// The span from `start` to `end` of a list of the summary's [`Wired`] or the ordering's.
fn span(start: usize, end: usize) -> std::ops::Range<u32> {
    small(start)..small(end)
}

/// An index into a graph's lists as the summary and the ordering hold it: no graph that fits
/// in memory has `u32::MAX` calls.
pub(super) fn small(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// What a call of a kind that takes one tensor receives and returns, on `shapes`: one, or a
/// list it maps over (Dropout, Activation), as Keras does.
pub(super) fn on_one<'a>(
    kind: &dyn Kind,
    shapes: &'a [Shape],
) -> Result<(&'a Shape, Output), LayerError> {
    match shapes {
        [one] => Ok((one, kind.output(one)?)),
        [first, ..] if kind.maps_over_lists() => Ok((first, map_over_list(kind, shapes)?)),
        list => Err(LayerError::shape(
            "one input tensor",
            Output::Many(list.to_vec()),
            "call it on one tensor: refer to one output, e.g. `lstm[0]` (only merges and attention take several)",
        )),
    }
}

/// The parameters of a call on several tensors; frozen layers count as non-trainable.
pub(super) fn count_multi(
    layer: &Layer,
    multi: &dyn MultiInput,
    inputs: &[Shape],
    convention: Convention,
) -> Result<Params, LayerError> {
    sum_weights(layer.frozen(), |sink| {
        multi.weights(inputs, convention, sink)
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::graph::Call;
    use crate::model::layers::{Add, Concatenate, Dense, Lstm};
    use crate::model::shape::Shape;

    /// One generated layer: what it is, and which earlier tensors (or, past the end, a later
    /// layer) it is called on.
    #[derive(Debug, Clone)]
    enum Pick {
        /// `Dense(units)` on one tensor.
        Dense(u16, usize),
        /// `Add` of two tensors.
        Add(usize, usize),
        /// `Concatenate` of two tensors.
        Concatenate(usize, usize),
    }

    /// Names a generated Dense may be given instead of Keras' own: ones that read as a call
    /// (`a@1`) or an output (`b[0]`) when referred to, and ones an automatic name or the
    /// input has too.
    const GIVEN: [&str; 5] = ["a@1", "b[0]", "dense_1", "c", "input_layer"];

    /// A graph design of Dense, Add and Concatenate layers on a `(8,)` input, each called on
    /// the tensors its pick names by position (0: the input, `i`: the `i`-th layer), with
    /// Keras' automatic names written out by hand (or, for some Dense layers, one of
    /// [`GIVEN`]); and whether some layer is called on itself or a later one.
    fn design(picks: &[Pick]) -> (Design, bool) {
        let mut d = Design::example();
        d.input.shape = Shape::known(&[8]);
        d.layers.clear();
        let mut names = vec!["input_layer".to_string()];
        let mut seen = [0usize; 3];
        let mut forward = false;
        let mut name = |base: &str, which: usize| {
            let n = seen[which];
            seen[which] += 1;
            match n {
                0 => base.to_string(),
                n => format!("{base}_{n}"),
            }
        };
        for (i, pick) in picks.iter().enumerate() {
            let (layer, refs, own) = match *pick {
                Pick::Dense(units, a) => {
                    // One Dense in three or so is given a name.
                    let pick = (usize::from(units / 4) % 16).checked_sub(11);
                    let given = pick.and_then(|i| GIVEN.get(i)).copied();
                    (
                        Layer::Dense(Dense {
                            units: if units % 4 == 0 { 4 } else { 8 },
                            name: given.map(String::from),
                            ..Dense::default()
                        }),
                        vec![a],
                        given.map_or_else(|| name("dense", 0), String::from),
                    )
                }
                Pick::Add(a, b) => (Layer::Add(Add::default()), vec![a, b], name("add", 1)),
                Pick::Concatenate(a, b) => (
                    Layer::Concatenate(Concatenate::default()),
                    vec![a, b],
                    name("concatenate", 2),
                ),
            };
            d.layers.push(layer);
            names.push(own);
            // Known names for earlier tensors; a placeholder resolved below for later ones.
            // Mostly earlier tensors; one pick in ten names the layer itself or the next.
            let refs: Vec<usize> = refs
                .iter()
                .map(|&r| match r % 10 {
                    0 => i + 1 + r / 10 % 2,
                    _ => r / 10 % (i + 1),
                })
                .collect();
            forward |= refs.iter().any(|&r| r > i);
            let refs = refs.iter().map(|r| format!("#{r}")).collect();
            d.graph.wiring.insert(
                i,
                Call {
                    inputs: refs,
                    ..Call::default()
                },
            );
        }
        for call in d.graph.wiring.values_mut() {
            for r in &mut call.inputs {
                let at: usize = r[1..].parse().unwrap_or(0);
                *r = names.get(at).cloned().unwrap_or_else(|| "nowhere".into());
            }
        }
        (d, forward)
    }

    /// Whether the builder's passes build `d`, and the summary they make of it.
    fn by_passes(d: &Design, convention: Convention) -> (bool, Summary) {
        let mut passes = Builder::new(d, convention);
        let result = passes.run();
        (result.is_ok(), passes.finish(result))
    }

    /// True when the summary's rows are the input's, then each layer's in the design's
    /// order: the order the straight pass writes them in.
    fn in_place(summary: &Summary, layers: usize) -> bool {
        summary.rows.len() == layers + 1
            && summary
                .rows
                .iter()
                .enumerate()
                .all(|(i, r)| match r.source {
                    Source::Input(j) => j == i,
                    Source::Layer(l) => l + 1 == i,
                    Source::Implicit(_) => false,
                })
    }

    fn pick() -> impl Strategy<Value = Pick> {
        prop_oneof![
            (any::<u16>(), any::<usize>()).prop_map(|(u, a)| Pick::Dense(u, a)),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Pick::Add(a, b)),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Pick::Concatenate(a, b)),
        ]
    }

    #[test]
    fn a_residual_stack_takes_the_straight_pass_and_builds_what_the_passes_build() {
        // input → (Dense, Add of the block's input and the Dense) × 3, by Keras' names.
        let picks = [
            Pick::Dense(1, 1),
            Pick::Add(1, 11),
            Pick::Dense(1, 21),
            Pick::Add(21, 31),
            Pick::Dense(1, 41),
            Pick::Add(41, 51),
        ];
        let (d, forward) = design(&picks);
        assert!(!forward);
        let (built, by_passes) = by_passes(&d, Convention::Keras);
        assert!(built);
        assert_eq!(by_passes.rows.len(), 7);
        assert_eq!(straight::summary(&d, Convention::Keras), Some(by_passes));
    }

    #[test]
    fn a_keyword_call_is_left_to_the_passes() {
        // An LSTM returning its states, then one called on its sequence with the states as
        // `initial_state`: every call stays in place, but the keyword tensors are read only
        // by the passes, which list them in "Connected to".
        let mut d = Design::example();
        d.input.shape = Shape::known(&[5, 8]);
        let lstm = |return_state| {
            Layer::Lstm(Lstm {
                units: 4,
                return_sequences: return_state,
                return_state,
                ..Lstm::default()
            })
        };
        d.layers = vec![lstm(true), lstm(false)];
        let mut call = Call::on(&["lstm[0]"]);
        call.keywords.insert(
            "initial_state".into(),
            vec!["lstm[1]".into(), "lstm[2]".into()],
        );
        d.graph.wiring.insert(1, call);
        let (built, by_passes) = by_passes(&d, Convention::Keras);
        assert!(built);
        let last = by_passes
            .rows
            .last()
            .map(|r| by_passes.connected_to(r).len());
        assert_eq!(last, Some(3));
        assert_eq!(straight::summary(&d, Convention::Keras), None);
    }

    #[test]
    fn a_layer_named_like_a_reference_is_not_found_by_its_name() {
        // Dense named `a@1` (the GIVEN name 0), then a Dense called on `a@1`: call 1 of a
        // layer `a`, which the design does not have.
        let (d, _) = design(&[Pick::Dense(44, 1), Pick::Dense(1, 11)]);
        assert_eq!(d.graph.wiring[&1].inputs, ["a@1"]);
        let (built, _) = by_passes(&d, Convention::Keras);
        assert!(!built);
        assert_eq!(straight::summary(&d, Convention::Keras), None);
    }

    proptest! {
        /// Where the straight pass builds a graph, it builds what the passes build; where it
        /// gives up, a refusal or a reference forward is why. Some designs name an output,
        /// which may leave later layers out of the model.
        #[test]
        fn the_straight_pass_agrees_with_the_passes(
            picks in proptest::collection::vec(pick(), 1..10),
            output in proptest::option::of(any::<usize>()),
        ) {
            let (mut d, forward) = design(&picks);
            if let Some(o) = output {
                let names = crate::model::summary::layer_names(&d.layers);
                d.graph.outputs = vec![names[o % names.len()].clone()];
            }
            for convention in [Convention::Keras, Convention::PyTorch] {
                let (passes_ok, by_passes) = by_passes(&d, convention);
                match straight::summary(&d, convention) {
                    Some(summary) => prop_assert_eq!(summary, by_passes),
                    None => prop_assert!(
                        !passes_ok || forward || !in_place(&by_passes, d.layers.len()),
                        "{:?}",
                        by_passes.error
                    ),
                }
            }
        }
    }
}
