//! Widths a graph ties together: the layers whose output widths must stay equal because a
//! merge (`Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`) or dot-product
//! attention combines them element by element, followed through the layers that keep a width
//! (Dropout, normalisations, activations, pooling) and through every call of a shared layer.
//! The solver moves a tied group as one size; a group that holds a model input's width (or
//! another width no single size sets) cannot move. `Concatenate` adds widths and ties nothing.
//! A chain has no merges, so it has no ties.
//!
//! Whether a layer sets, keeps or fixes a width is read from the layer itself: its output is
//! worked out again with its size one larger, and with its input one wider.

use std::collections::HashMap;

use crate::model::design::Design;
use crate::model::graph::{Call, TensorRef};
use crate::model::layers::{KnobValue, Layer};
use crate::model::shape::{Output, Shape};
use crate::model::summary::{Summary, layer_names};
use crate::model::weights::Convention;

/// The merges whose operands must have equal widths (or broadcast from width 1).
const ELEMENTWISE: [&str; 6] = [
    "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
];

/// The size fields that are a layer's output width, for a layer the design does not build far
/// enough to try.
const WIDTH_FIELDS: [&str; 3] = ["units", "filters", "output_dim"];

/// The tied widths of a design.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ties {
    /// Each layer's part, by its position in `Design::layers`.
    roles: Vec<Role>,
    /// The widths some layer's size sets.
    groups: Vec<Group>,
}

/// What a layer's size is to the ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The size is the layer's output width, shared by every layer of this group (an index
    /// into [`Ties::groups`]).
    Width(usize),
    /// The size changes no output width (attention's `key_dim`, `RepeatVector`'s `n`).
    Inner,
    /// The size changes the output width, but not one for one (a concatenating
    /// `Bidirectional`); `alone` when nothing else is tied to that width.
    Other {
        /// Nothing else is tied to the width it sets.
        alone: bool,
    },
    /// No whole-number size, or a chain (where every size moves alone).
    Free,
}

/// One width some layers' sizes set together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The layers whose size is this width, in design order.
    pub layers: Vec<usize>,
    /// What fixes the width when something does, as people say it: "the model input
    /// `features` (32 wide)".
    pub pinned: Option<String>,
    /// Whether the width is a model output's (kept when every hidden width is scaled).
    pub output: bool,
}

/// One size scaled with every hidden width: the layers it is the size of, all set to one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scaled {
    /// (layer index, field) of every size set to the value.
    pub targets: Vec<(usize, &'static str)>,
    /// The value now.
    pub old: u64,
}

impl Ties {
    /// The ties of a design, worked out from its summary in `convention`.
    pub fn for_design(design: &Design, convention: Convention) -> Ties {
        if design.graph.is_chain() {
            return Ties::default();
        }
        Ties::of(design, &Summary::of(design, convention))
    }

    /// The ties of a design whose summary is at hand (empty for a chain).
    pub fn of(design: &Design, summary: &Summary) -> Ties {
        if design.graph.is_chain() {
            return Ties::default();
        }
        Tracer::new(design, summary).run()
    }

    /// A layer's part (`Free` past the end and in a chain).
    pub fn role(&self, layer: usize) -> Role {
        self.roles.get(layer).copied().unwrap_or(Role::Free)
    }

    /// The groups of tied widths, one per width some layer's size sets.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The group whose width the layer's size is, if it is one.
    pub fn group_of(&self, layer: usize) -> Option<&Group> {
        match self.role(layer) {
            Role::Width(g) => self.groups.get(g),
            _ => None,
        }
    }

    /// The layers whose size moves with the layer's (itself first), or what pins it.
    pub fn moving_with(&self, layer: usize) -> Result<Vec<usize>, String> {
        let Some(group) = self.group_of(layer) else {
            return Ok(vec![layer]);
        };
        if let Some(pin) = &group.pinned {
            return Err(pin.clone());
        }
        let mut out = vec![layer];
        out.extend(group.layers.iter().copied().filter(|&l| l != layer));
        Ok(out)
    }

    /// The sizes scaling every hidden width moves: each free width once (every layer tied to it
    /// at one value), and every size that sets no tied width; never a model output's width,
    /// a pinned width, or a `RepeatVector`'s `n`. Attention scales `key_dim` and a set
    /// `value_dim` and keeps `num_heads`, so heads × key_dim stays a whole projection.
    pub fn scaled(&self, design: &Design) -> Vec<Scaled> {
        let count = |i: usize| match design.layers.get(i)?.kind().knob()? {
            k if k.field == "n" => None,
            k => match k.value {
                KnobValue::Count(v) => Some((k.field, v)),
                KnobValue::Rate(_) => None,
            },
        };
        let mut out = Vec::new();
        let mut done = vec![false; self.groups.len()];
        for i in 0..design.layers.len() {
            let Some((field, old)) = count(i) else {
                continue;
            };
            let take = match self.role(i) {
                Role::Width(g) => {
                    let group = &self.groups[g];
                    if done[g] || group.output || group.pinned.is_some() {
                        false
                    } else {
                        done[g] = true;
                        let targets: Vec<(usize, &'static str)> = group
                            .layers
                            .iter()
                            .filter_map(|&l| Some((l, count(l)?.0)))
                            .collect();
                        let old = group.layers.iter().filter_map(|&l| count(l)).map(|c| c.1);
                        out.push(Scaled {
                            targets,
                            old: old.max().unwrap_or(1),
                        });
                        false
                    }
                }
                Role::Inner | Role::Free => true,
                Role::Other { alone } => alone,
            };
            if take {
                out.push(Scaled {
                    targets: vec![(i, field)],
                    old,
                });
                if let Layer::MultiHeadAttention(m) = &design.layers[i]
                    && let Some(v) = m.value_dim
                {
                    out.push(Scaled {
                        targets: vec![(i, "value_dim")],
                        old: v,
                    });
                }
            }
        }
        out
    }
}

/// Sets one size a [`Scaled`] names: the layer's knob, or an attention layer's `value_dim`.
pub fn set_size(layer: &mut Layer, field: &'static str, value: u64) {
    match layer {
        Layer::MultiHeadAttention(m) if field == "value_dim" => m.value_dim = Some(value.max(1)),
        _ => layer.kind_mut().set_knob(KnobValue::Count(value)),
    }
}

/// What a node of the width graph stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    /// A model input's tensor.
    Input(usize),
    /// Output `tensor` of call `call` of the design layer `layer`.
    Out {
        layer: usize,
        call: usize,
        tensor: usize,
    },
    /// The width a layer's size sets, shared by all its calls.
    Size(usize),
}

/// What a set of nodes tied together holds.
#[derive(Debug, Clone, Default)]
struct Info {
    /// Layers whose size sets the width.
    sizes: Vec<usize>,
    /// What fixes it.
    pins: Vec<String>,
    /// A model output has this width.
    output: bool,
}

/// How a single-tensor layer's width relates to its size and its input.
#[derive(Debug, Clone, Default)]
struct Probe {
    /// Per output tensor: its width is the layer's size.
    sets: Vec<bool>,
    /// Per output tensor: its width is the input's.
    keeps: Vec<bool>,
    /// The size changes no output width.
    inner: bool,
}

/// One call of a layer: (layer, which call, how it is wired).
type Entry<'a> = (usize, usize, Option<&'a Call>);

/// The walk that ties widths together (a union–find over tensors).
struct Tracer<'a> {
    design: &'a Design,
    summary: &'a Summary,
    names: Vec<String>,
    input_names: Vec<String>,
    /// What each name stands for: a model input (`Key::Input`) or a design layer (`Key::Size`,
    /// by its position).
    by_name: HashMap<String, Key>,
    /// The node of each layer's size and of its first call's first output, by position: the
    /// usual keys, looked up without hashing.
    sizes: Vec<Option<usize>>,
    firsts: Vec<Option<usize>>,
    /// Every other node, by what it stands for.
    keys: HashMap<Key, usize>,
    parent: Vec<usize>,
    info: Vec<Info>,
    /// The first tensor each layer's first call received, for shared layers with weights.
    first_source: Vec<Option<usize>>,
    roles: Vec<Role>,
}

impl<'a> Tracer<'a> {
    fn new(design: &'a Design, summary: &'a Summary) -> Self {
        let input_names = summary.ends.as_ref().map_or_else(Vec::new, |e| {
            e.inputs.iter().map(ToString::to_string).collect()
        });
        let names = layer_names(&design.layers);
        let mut by_name = HashMap::with_capacity(names.len() + input_names.len());
        for (i, n) in names.iter().enumerate().rev() {
            by_name.insert(n.clone(), Key::Size(i));
        }
        for (k, n) in input_names.iter().enumerate() {
            by_name.insert(n.clone(), Key::Input(k));
        }
        Tracer {
            design,
            summary,
            names,
            input_names,
            by_name,
            sizes: vec![None; design.layers.len()],
            firsts: vec![None; design.layers.len()],
            keys: HashMap::new(),
            parent: Vec::new(),
            info: Vec::new(),
            first_source: vec![None; design.layers.len()],
            roles: vec![Role::Free; design.layers.len()],
        }
    }

    fn node(&mut self, key: Key) -> usize {
        let slot = match key {
            Key::Size(l) => self.sizes.get_mut(l),
            Key::Out {
                layer,
                call: 0,
                tensor: 0,
            } => self.firsts.get_mut(layer),
            _ => None,
        };
        if let Some(slot) = slot {
            if let Some(n) = *slot {
                return n;
            }
            let n = self.parent.len();
            *slot = Some(n);
            self.parent.push(n);
            self.info.push(Info::default());
            return n;
        }
        if let Some(&n) = self.keys.get(&key) {
            return n;
        }
        let n = self.parent.len();
        self.parent.push(n);
        self.info.push(Info::default());
        self.keys.insert(key, n);
        n
    }

    fn root(&mut self, mut n: usize) -> usize {
        while self.parent[n] != n {
            self.parent[n] = self.parent[self.parent[n]];
            n = self.parent[n];
        }
        n
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.root(a), self.root(b));
        if a == b {
            return;
        }
        // The larger set absorbs the smaller, so a long residual stack stays linear.
        let weight = |i: &Info| i.sizes.len() + i.pins.len();
        if weight(&self.info[a]) < weight(&self.info[b]) {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        let moved = std::mem::take(&mut self.info[b]);
        let into = &mut self.info[a];
        into.sizes.extend(moved.sizes);
        into.pins.extend(moved.pins);
        into.output |= moved.output;
    }

    fn pin(&mut self, n: usize, why: String) {
        let r = self.root(n);
        self.info[r].pins.push(why);
    }

    fn out(&mut self, layer: usize, call: usize, tensor: usize) -> usize {
        self.node(Key::Out {
            layer,
            call,
            tensor,
        })
    }

    fn run(mut self) -> Ties {
        for (k, shape) in self.input_shapes().into_iter().enumerate() {
            let n = self.node(Key::Input(k));
            let name = self.input_names.get(k).cloned().unwrap_or_default();
            let width = shape
                .last()
                .flatten()
                .map_or("open".to_string(), |w| w.to_string());
            self.pin(n, format!("the model input `{name}` ({width} wide)"));
        }
        let entries = self.entries();
        for e in 0..entries.len() {
            let sources = self.sources(&entries, e);
            self.tie(entries[e], &sources);
        }
        self.mark_outputs(&entries);
        self.finish()
    }

    fn input_shapes(&self) -> Vec<Shape> {
        std::iter::once(self.design.input.shape.clone())
            .chain(self.design.graph.inputs.iter().map(|i| i.shape.clone()))
            .collect()
    }

    /// Every call in order: each layer where it sits, each shared call after its layer.
    fn entries(&self) -> Vec<Entry<'a>> {
        let design = self.design;
        let layers = design.layers.len();
        let shared = design.graph.shared_order(layers);
        let mut calls = vec![1usize; layers];
        let mut out = Vec::with_capacity(layers + shared.len());
        let mut next = shared.into_iter().peekable();
        for index in 0..layers {
            out.push((index, 0, design.graph.wiring.get(&index)));
            while let Some((_, s)) = next.next_if(|&(after, _)| after == index) {
                let call = &design.graph.shared[s];
                if let Some(&Key::Size(l)) = self.by_name.get(&call.layer)
                    && l <= index
                {
                    out.push((l, calls[l], Some(&call.call)));
                    calls[l] += 1;
                }
            }
        }
        out
    }

    /// The node a reference names, if it names something.
    fn resolve(&mut self, text: &str) -> Option<usize> {
        let r = TensorRef::parse(text).ok()?;
        match *self.by_name.get(r.name)? {
            Key::Size(layer) => Some(self.out(layer, r.call, r.index.unwrap_or(0))),
            key => Some(self.node(key)),
        }
    }

    /// The tensors call `e` receives: positional ones, then keyword ones by keyword, each with
    /// its keyword (`None` for positional).
    fn sources(&mut self, entries: &[Entry<'a>], e: usize) -> Vec<(Option<&'a str>, usize)> {
        let (_, _, wiring) = entries[e];
        match wiring.filter(|c| !c.takes_previous()) {
            None => {
                let n = match e.checked_sub(1).map(|p| entries[p]) {
                    None => self.node(Key::Input(0)),
                    Some((l, c, _)) => self.out(l, c, 0),
                };
                vec![(None, n)]
            }
            Some(call) => {
                let mut out = Vec::new();
                for text in &call.inputs {
                    out.extend(self.resolve(text).map(|n| (None, n)));
                }
                for (key, refs) in &call.keywords {
                    for text in refs {
                        out.extend(self.resolve(text).map(|n| (Some(key.as_str()), n)));
                    }
                }
                out
            }
        }
    }

    /// Ties one call's output to what it receives, as its kind does.
    fn tie(&mut self, (layer, call, _): Entry<'a>, sources: &[(Option<&'a str>, usize)]) {
        let design = self.design;
        let kind = design.layers[layer].kind();
        let class = kind.class();
        let name = self.names[layer].clone();
        let own = self.out(layer, call, 0);
        if ELEMENTWISE.contains(&class) {
            let broadcast = self.broadcast(layer);
            for (i, &(_, s)) in sources.iter().enumerate() {
                if broadcast.get(i).copied().unwrap_or(false) {
                    self.pin(s, format!("`{name}`, where it broadcasts from width 1"));
                } else {
                    self.union(own, s);
                }
            }
        } else if matches!(class, "Attention" | "AdditiveAttention") {
            // Scores are query · key, so query, value and key share one width, as the output.
            for &(_, s) in sources {
                self.union(own, s);
            }
            self.pin_scores(layer, call, &name);
        } else if matches!(class, "MultiHeadAttention" | "GroupQueryAttention") {
            self.roles[layer] = Role::Inner;
            let query = sources
                .iter()
                .find(|(k, _)| k.is_none() || *k == Some("query"));
            let projected = matches!(&design.layers[layer], Layer::MultiHeadAttention(m) if m.output_shape.is_some());
            match query {
                Some(&(_, q)) if !projected => self.union(own, q),
                _ => self.pin(own, format!("`{name}`'s output_shape")),
            }
            self.pin_scores(layer, call, &name);
        } else if let Layer::Dot(dot) = &design.layers[layer] {
            // Multiplying along both last axes needs one width on both sides.
            if let [(_, a), (_, b)] = sources
                && self.dot_on_last_axes(layer, &dot.axes)
            {
                self.union(*a, *b);
            }
            self.pin(own, format!("`{name}` (Dot), whose width is not one size"));
        } else if kind.multi().is_some() {
            self.pin(
                own,
                format!("`{name}` ({class}), whose width is not one size"),
            );
        } else {
            self.tie_single(layer, call, sources.first().map(|s| s.1));
        }
    }

    /// Per operand of an element-wise merge: whether it broadcasts from width 1.
    fn broadcast(&self, layer: usize) -> Vec<bool> {
        let Some(row) = self.summary.row_of(layer) else {
            return Vec::new();
        };
        let wide = row
            .output
            .single()
            .and_then(Shape::last)
            .flatten()
            .is_some_and(|w| w > 1);
        self.summary
            .call_inputs(row)
            .iter()
            .map(|s| wide && s.last().flatten() == Some(1))
            .collect()
    }

    /// Whether a `Dot` multiplies along the last axis of both its inputs (axes count the batch
    /// as 0; one number serves both).
    fn dot_on_last_axes(&self, layer: usize, axes: &[i64]) -> bool {
        let Some(row) = self.summary.row_of(layer) else {
            return false;
        };
        self.summary
            .call_inputs(row)
            .iter()
            .enumerate()
            .all(|(j, shape)| {
                let axis = axes.get(j).or(axes.first()).copied();
                let rank = i64::try_from(shape.0.len()).unwrap_or(i64::MAX);
                axis == Some(-1) || axis == Some(rank)
            })
            && self.summary.call_inputs(row).len() == 2
    }

    fn pin_scores(&mut self, layer: usize, call: usize, name: &str) {
        let scores = self.out(layer, call, 1);
        self.pin(scores, format!("`{name}`'s attention scores"));
    }

    /// Ties a layer called on one tensor: its size's width, or its input's.
    fn tie_single(&mut self, layer: usize, call: usize, source: Option<usize>) {
        let probe = self.probe(layer);
        let name = self.names[layer].clone();
        let class = self.design.layers[layer].kind().class();
        let has_weights = self
            .summary
            .row_of(layer)
            .and_then(|r| r.params.total().ok())
            .is_some_and(|n| n > 0);
        if let Some(s) = source.filter(|_| has_weights) {
            // Every call of a shared layer feeds the same weights, so its inputs share a width.
            match self.first_source[layer] {
                Some(first) => self.union(first, s),
                None => self.first_source[layer] = Some(s),
            }
        }
        let sets_any = probe.sets.iter().any(|&b| b);
        if sets_any && self.sizes[layer].is_none() {
            let size = self.node(Key::Size(layer));
            self.info[size].sizes.push(layer);
        }
        for t in 0..probe.sets.len().max(1) {
            let n = self.out(layer, call, t);
            if probe.sets.get(t).copied().unwrap_or(false) {
                let size = self.node(Key::Size(layer));
                self.union(size, n);
            } else if let (true, Some(s)) = (probe.keeps.get(t).copied().unwrap_or(false), source) {
                self.union(n, s);
            } else {
                self.pin(
                    n,
                    format!("`{name}` ({class}), whose width no one size sets"),
                );
            }
        }
        let knob = self.design.layers[layer].kind().knob();
        if matches!(knob.map(|k| k.value), Some(KnobValue::Count(_))) && !sets_any {
            self.roles[layer] = if probe.inner {
                Role::Inner
            } else {
                Role::Other { alone: false }
            };
        }
    }

    /// Works out the layer's output again with its size one larger and with its input one
    /// wider, to see which output widths follow which.
    fn probe(&self, layer: usize) -> Probe {
        let l = &self.design.layers[layer];
        let knob = l.kind().knob().and_then(|k| match k.value {
            KnobValue::Count(v) => Some((k.field, v)),
            KnobValue::Rate(_) => None,
        });
        let Some(row) = self.summary.row_of(layer) else {
            // Not built: read the usual width fields as widths, and anything else as keeping
            // its input's width; the solver's check that the design builds has the last word.
            let sets = knob.is_some_and(|(f, _)| WIDTH_FIELDS.contains(&f));
            return Probe {
                sets: vec![sets],
                keeps: vec![!sets],
                inner: false,
            };
        };
        let widths = |o: &Output| -> Vec<Option<u64>> {
            match o {
                Output::One(s) => vec![s.last().flatten()],
                Output::Many(v) => v.iter().map(|s| s.last().flatten()).collect(),
            }
        };
        let Ok(now) = l.kind().output(&row.input).map(|o| widths(&o)) else {
            return Probe::default();
        };
        let mut probe = Probe {
            sets: vec![false; now.len()],
            keeps: vec![false; now.len()],
            inner: false,
        };
        if let Some((_, v)) = knob {
            let mut bigger = l.clone();
            bigger
                .kind_mut()
                .set_knob(KnobValue::Count(v.saturating_add(1)));
            if let Ok(next) = bigger.kind().output(&row.input).map(|o| widths(&o)) {
                probe.sets = follows(&now, &next, v);
                probe.inner = now == next;
            }
        }
        if let Some(Some(d)) = row.input.last() {
            let mut wider = row.input.clone();
            if let Some(last) = wider.0.last_mut() {
                *last = Some(d.saturating_add(1));
            }
            if let Ok(next) = l.kind().output(&wider).map(|o| widths(&o)) {
                probe.keeps = follows(&now, &next, d);
            }
        }
        probe
    }

    /// Marks the widths of the model's outputs.
    fn mark_outputs(&mut self, entries: &[Entry<'a>]) {
        let outputs = self.design.graph.outputs.clone();
        let nodes: Vec<usize> = if outputs.is_empty() {
            entries
                .last()
                .map(|&(l, c, _)| self.out(l, c, 0))
                .into_iter()
                .collect()
        } else {
            outputs.iter().filter_map(|o| self.resolve(o)).collect()
        };
        for n in nodes {
            let r = self.root(n);
            self.info[r].output = true;
        }
    }

    fn finish(mut self) -> Ties {
        let mut groups: Vec<Group> = Vec::new();
        let mut by_root: HashMap<usize, usize> = HashMap::new();
        for layer in 0..self.design.layers.len() {
            if let Some(n) = self.sizes[layer] {
                let r = self.root(n);
                let g = *by_root.entry(r).or_insert_with(|| {
                    let info = &self.info[r];
                    let mut layers = info.sizes.clone();
                    layers.sort_unstable();
                    layers.dedup();
                    groups.push(Group {
                        layers,
                        pinned: info.pins.first().cloned(),
                        output: info.output,
                    });
                    groups.len() - 1
                });
                self.roles[layer] = Role::Width(g);
            } else if let Role::Other { .. } = self.roles[layer] {
                let n = self.out(layer, 0, 0);
                let r = self.root(n);
                let info = &self.info[r];
                let alone = info.sizes.is_empty() && info.pins.len() <= 1 && !info.output;
                self.roles[layer] = Role::Other { alone };
            }
        }
        Ties {
            roles: self.roles,
            groups,
        }
    }
}

/// Per tensor: whether its width was `was` and became one more when the probe grew by one.
fn follows(now: &[Option<u64>], next: &[Option<u64>], was: u64) -> Vec<bool> {
    now.iter()
        .zip(next)
        .map(|(a, b)| *a == Some(was) && *b == Some(was.saturating_add(1)))
        .chain(std::iter::repeat(false))
        .take(now.len())
        .collect()
}
