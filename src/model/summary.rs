//! `Summary::of`: every view's numbers, computed in one pass over the design.

use std::collections::hash_map::Entry;

use std::ops::Range;

use foldhash::{HashMap, HashMapExt};

use crate::model::compute::Tally;
use crate::model::design::Design;
use crate::model::error::{LayerError, ShapeError};
use crate::model::layers::{CallOptions, Kind, Layer, MultiInput, Naming};
use crate::model::name::{Name, Sequence};
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Params, sum_weights};

/// One built layer, as a row of Keras' summary table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Keras' name: the user's, or the automatic `lstm`, `lstm_1`, ...
    pub name: Name,
    /// Keras class name.
    pub class: &'static str,
    /// What the layer receives: the tensor its weights are sized by (the first one, when a
    /// Dropout or Activation receives a list).
    pub input: Shape,
    /// What it produces.
    pub output: Output,
    /// Its parameters, as the convention counts them.
    pub params: Params,
    /// Multiply-accumulates per sample (see [`MACS_CONVENTION`](crate::model::MACS_CONVENTION)),
    /// or why they cannot be counted (an open sequence length, say).
    pub macs: Result<u64, LayerError>,
    /// What the row is: a design layer, a model input or an operation Keras adds itself.
    pub source: Source,
    /// Where a graph row's wiring is in its summary's [`Wired::spans`] (`None` in a chain,
    /// whose rows have none); read it through [`Summary::connected_to`],
    /// [`Summary::call_inputs`] and [`Summary::per_call`].
    pub wiring: Option<u32>,
}

// Every summary is a list of rows, copied into place as each is made: a row kept within
// 256 bytes is copied in a few moves, and a chain's rows have no wiring to hold.
const _: () = assert!(std::mem::size_of::<Row>() <= 256);

/// Where one graph row's wiring sits in its summary's [`Wired`] lists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Wiring {
    /// Its span of [`Wired::inputs`].
    pub inputs: Range<u32>,
    /// Its span of [`Wired::per_call`].
    pub per_call: Range<u32>,
    /// Its span of [`Wired::links`].
    pub connected_to: Range<u32>,
    /// Its span of [`Wired::masks`].
    pub masks: Range<u32>,
}

/// What a graph's rows add to a chain's, one list each for all rows, which index them by
/// their [`Wiring`]: a graph of any size costs a few allocations here, not one per row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Wired {
    /// Each graph row's spans of the lists below, at its [`Row::wiring`].
    pub spans: Vec<Wiring>,
    /// Every tensor a call on several receives, in slot order (none for one-tensor calls).
    pub inputs: Vec<Shape>,
    /// The output of each call of a shared layer (none unless called more than once; the
    /// row's `output` is the last call's, as Keras shows it).
    pub per_call: Vec<Output>,
    /// Keras' "Connected to" column: the tensors each call received.
    pub links: Vec<Link>,
    /// The masks Keras hands calls itself, as their `mask` keyword (each also the last of
    /// its call's links).
    pub masks: Vec<PassedMask>,
}

/// A mask Keras hands a call by itself: a tensor carrying one reaches a layer whose call
/// takes a `mask`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassedMask {
    /// Which call of the row's layer receives it (Keras' node index).
    pub call: usize,
    /// The operation's output that computes it.
    pub link: Link,
}

impl Wired {
    /// Keeps a new row's wiring, and says where: the row's [`Row::wiring`].
    pub(crate) fn keep(&mut self, wiring: Wiring) -> Option<u32> {
        self.spans.push(wiring);
        u32::try_from(self.spans.len() - 1).ok()
    }

    /// The wiring kept at `at` (a row's [`Row::wiring`]), to fill in.
    pub(crate) fn at(&mut self, at: Option<u32>) -> Option<&mut Wiring> {
        self.spans.get_mut(at? as usize)
    }

    /// The items of `list` in the span `pick` chooses of `row`'s wiring; none for a row
    /// without wiring, or a span outside the list.
    fn spanned<'a, T>(
        &self,
        row: &Row,
        list: &'a [T],
        pick: fn(&Wiring) -> &Range<u32>,
    ) -> &'a [T] {
        let Some(span) = row
            .wiring
            .and_then(|at| self.spans.get(at as usize))
            .map(pick)
        else {
            return &[];
        };
        let (start, end) = (span.start as usize, span.end as usize);
        list.get(start..end).unwrap_or(&[])
    }
}

/// What a summary row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The design layer at this position of `Design::layers`.
    Layer(usize),
    /// A model input of a graph design (0: `Design::input`, then the graph's further inputs).
    Input(usize),
    /// An operation Keras adds to the graph itself to compute the mask of the design layer at
    /// this position of `Design::layers`: the `NotEqual` of an `Embedding(mask_zero=True)`,
    /// the joined masks of a `Concatenate`.
    Implicit(usize),
}

/// One entry of Keras' "Connected to" column: `lstm[0][1]` is output 1 of lstm's first call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// The layer or input the tensor comes from.
    pub layer: Name,
    /// Which call of it (Keras' node index).
    pub node: usize,
    /// Which of that call's outputs.
    pub tensor: usize,
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}][{}]", self.layer, self.node, self.tensor)
    }
}

/// How Keras lays the summary out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// A chain design: Keras' Sequential model, no input row, no "Connected to" column.
    #[default]
    Sequential,
    /// A graph Keras prints like a Sequential model (one call per depth, one tensor each),
    /// with its input rows and without the "Connected to" column.
    SequentialLike,
    /// A graph with the "Connected to" column.
    Graph,
}

impl Layout {
    /// The name the JSON summary writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Sequential => "sequential",
            Layout::SequentialLike => "sequential_like",
            Layout::Graph => "graph",
        }
    }
}

/// The whole table: rows for the layers that build, totals, and the first failure.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Whose counting rules were used.
    pub convention: Convention,
    /// One row per built layer, in order; stops before the failing layer.
    pub rows: Vec<Row>,
    /// Sum over rows.
    pub totals: Params,
    /// MACs per sample over every row, checked; the first row whose MACs cannot be counted
    /// gives its reason instead.
    pub macs: Result<u64, LayerError>,
    /// The first layer Keras would refuse to build, if any.
    pub error: Option<ShapeError>,
    /// How Keras prints it.
    pub layout: Layout,
    /// A graph design's inputs and outputs; `None` for a chain.
    pub ends: Option<Box<Ends>>,
    /// The lists a graph's rows index for their wiring (empty for a chain).
    pub wired: Wired,
}

/// A graph's inputs and outputs, as the JSON summary lists them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ends {
    /// The input names, in order.
    pub inputs: Vec<Name>,
    /// The outputs as tensor references (`dense`, `lstm[1]`).
    pub outputs: Vec<String>,
    /// The row of each design layer, by the layer's position (`None`: no row, as for a layer
    /// no output depends on).
    pub layer_rows: Vec<Option<usize>>,
    /// When a call's shapes are refused: what became of each design layer, by its position
    /// (empty when the graph builds, or when it is refused before any shape is inferred).
    pub states: Vec<LayerState>,
    /// The rows of the layers built after the refusal because they do not read from it. They
    /// stay out of `Summary::rows` and its totals, which hold what Keras reports: the rows
    /// built before it refuses.
    pub unaffected: Vec<Row>,
}

/// What became of a design layer in a graph whose shapes are refused somewhere.
#[derive(Debug, Clone, PartialEq)]
pub enum LayerState {
    /// Built before the refusal: its row is in `Summary::rows`.
    Built,
    /// Built after the refusal, which it does not read from: its row is `Ends::unaffected[i]`.
    Unaffected(usize),
    /// Its call is refused, for this reason (the first refusal is `Summary::error`).
    Refused(ShapeError),
    /// Not built: it reads, directly or through other layers, from the refused layer at this
    /// position of `Design::layers`.
    Blocked(usize),
}

impl Summary {
    /// Every tensor a row's call on several receives, in slot order (empty for a call on
    /// one).
    pub fn call_inputs(&self, row: &Row) -> &[Shape] {
        self.wired.spanned(row, &self.wired.inputs, |w| &w.inputs)
    }

    /// The output of each call of a shared layer's row (empty unless called more than once).
    pub fn per_call(&self, row: &Row) -> &[Output] {
        self.wired
            .spanned(row, &self.wired.per_call, |w| &w.per_call)
    }

    /// A row's Keras "Connected to" entries (empty in a chain).
    pub fn connected_to(&self, row: &Row) -> &[Link] {
        self.wired
            .spanned(row, &self.wired.links, |w| &w.connected_to)
    }

    /// The masks Keras hands a row's calls itself (empty in a chain).
    pub fn passed_masks(&self, row: &Row) -> &[PassedMask] {
        self.wired.spanned(row, &self.wired.masks, |w| &w.masks)
    }

    /// Computes the summary of `design` in `convention`.
    pub fn of(design: &Design, convention: Convention) -> Summary {
        if design.graph.is_chain() {
            Self::of_chain(design, convention)
        } else {
            crate::model::graph::summarize(design, convention)
        }
    }

    /// The summary of a chain: each layer on the previous one's output, in one pass.
    fn of_chain(design: &Design, convention: Convention) -> Summary {
        let mut names = Namer::default();
        let mut rows = Vec::with_capacity(design.layers.len());
        let mut totals = Params::default();
        let mut macs_total = Ok(0u64);
        let mut error = None;
        // Keras refuses a layer whose name an earlier layer (or the input layer) already has.
        // Automatic names never collide with each other, so the map of taken names is made
        // at the first given name, from the rows before it: a design without one is checked
        // without a map, and without a pass over its layers ahead of the summary.
        let mut taken: Option<HashMap<Name, Option<usize>>> = None;
        let input_output = Output::One(design.input.shape.clone());
        for (index, layer) in design.layers.iter().enumerate() {
            let kind = layer.kind();
            let naming = kind.naming();
            let name = names.name(&naming);
            let fail = |error: LayerError| ShapeError {
                index,
                name: name.to_string(),
                class: kind.summary_class(),
                error,
            };
            if taken.is_none() && naming.given.is_some() {
                taken = Some(taken_names(&rows));
            }
            if let Some(taken) = &mut taken {
                match taken.entry(name.clone()) {
                    Entry::Occupied(first) => {
                        error = Some(fail(duplicate_name(&name, *first.get())));
                        break;
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(Some(index));
                    }
                }
            }
            // The previous row's output: read in place, and copied once, into the new row.
            let current = match rows.last() {
                Some(Row { output, .. }) => output,
                None => &input_output,
            };
            let (input, output) = match chain_call(kind, current, &design.layers[..index], &rows) {
                Ok(built) => built,
                Err(e) => {
                    error = Some(fail(e));
                    break;
                }
            };
            let params = match count(kind, input, convention) {
                Ok(params) => params,
                Err(e) => {
                    error = Some(fail(e));
                    break;
                }
            };
            match totals.plus(&params) {
                Ok(t) => totals = t,
                Err(e) => {
                    error = Some(fail(e));
                    break;
                }
            }
            let macs = chain_macs(kind, current, input, &output);
            // Updated in place: moving the Result through a match each row costs a drop call.
            if let Ok(t) = &mut macs_total {
                match (&macs, t.checked_add(*macs.as_ref().unwrap_or(&0))) {
                    (Ok(_), Some(sum)) => *t = sum,
                    (Ok(_), None) => macs_total = Err(LayerError::Overflow),
                    (Err(e), _) => macs_total = Err(e.clone()),
                }
            }
            rows.push(Row {
                name,
                class: kind.summary_class(),
                input: input.clone(),
                output,
                params,
                macs,
                source: Source::Layer(index),
                wiring: None,
            });
        }
        Summary {
            convention,
            rows,
            totals,
            macs: macs_total,
            error,
            layout: Layout::Sequential,
            ends: None,
            wired: Wired::default(),
        }
    }

    /// True when every layer builds.
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }

    /// The row of the design layer at `index`: the same position in a chain; in a graph, whose
    /// rows follow Keras' order and include the inputs, the row made from that layer.
    pub fn row_of(&self, index: usize) -> Option<&Row> {
        match self.layout {
            Layout::Sequential => self.rows.get(index),
            Layout::SequentialLike | Layout::Graph => {
                let ends = self.ends.as_ref()?;
                match ends.layer_rows.get(index).copied().flatten() {
                    Some(row) => self.rows.get(row),
                    None => match ends.states.get(index)? {
                        LayerState::Unaffected(i) => ends.unaffected.get(*i),
                        _ => None,
                    },
                }
            }
        }
    }

    /// Why the layer at `index` is refused, when it is: the first refusal, or in a graph
    /// another layer's that does not read from it.
    pub fn refusal(&self, index: usize) -> Option<&ShapeError> {
        let state = self.ends.as_ref().and_then(|e| e.states.get(index));
        match (state, &self.error) {
            (Some(LayerState::Refused(e)), _) => Some(e),
            (Some(_), _) | (None, None) => None,
            (None, Some(e)) => (e.index == index).then_some(e),
        }
    }

    /// The refused layer the layer at `index` waits for, when it is not built because of it:
    /// in a chain every layer after the refused one; in a graph only the layers that read
    /// from it, directly or through others.
    pub fn blocked_by(&self, index: usize) -> Option<usize> {
        let state = self.ends.as_ref().and_then(|e| e.states.get(index));
        match (state, &self.error) {
            (Some(LayerState::Blocked(f)), _) => Some(*f),
            (Some(_), _) | (None, None) => None,
            (None, Some(e)) => (index > e.index).then_some(e.index),
        }
    }
}

/// A layer's parameters in a convention; frozen layers count as non-trainable.
pub fn count(kind: &dyn Kind, input: &Shape, convention: Convention) -> Result<Params, LayerError> {
    sum_weights(kind.frozen(), |sink| kind.weights(input, convention, sink))
}

/// The names the input layer and the rows `rows` of a chain hold, each with its layer.
fn taken_names(rows: &[Row]) -> HashMap<Name, Option<usize>> {
    let mut taken = HashMap::with_capacity(rows.len() + 1);
    taken.insert(Name::new(INPUT_LAYER), None);
    for (index, row) in rows.iter().enumerate() {
        taken.insert(row.name.clone(), Some(index));
    }
    taken
}

/// The name of the model's input layer in a fresh Keras session.
pub(crate) const INPUT_LAYER: &str = "input_layer";

/// Why a name Keras already gave out is refused, and what to do.
pub(crate) fn duplicate_name(name: &str, first: Option<usize>) -> LayerError {
    let holder = match first {
        Some(i) => format!("layer {} is already named `{name}`", i + 1),
        None => format!("`{name}` is the name of the model's input layer"),
    };
    LayerError::field(
        "name",
        format!(
            "{holder}; Keras needs every layer name in a model to be unique: give this layer another name, or none to take an automatic one"
        ),
    )
}

/// What a chain's layer `kind` receives of `current`, the output of the layers `before`
/// (whose rows are `rows`), and makes of it: the tensor its weights are sized by (the first,
/// when it maps over a list) and its output; or why Keras refuses it, with the fix that names
/// the layer to change.
#[inline]
fn chain_call<'a>(
    kind: &dyn Kind,
    current: &'a Output,
    before: &[Layer],
    rows: &[Row],
) -> Result<(&'a Shape, Output), LayerError> {
    match current {
        Output::One(s) => Ok((s, kind.output(s).map_err(|e| refine_fix(e, before, rows))?)),
        Output::Many(list) => match (list.as_slice(), merges(kind)) {
            ([first, ..], Some(merge)) => Ok((first, merge.output(list, CallOptions::default())?)),
            ([first, ..], None) if kind.maps_over_lists() => {
                Ok((first, map_over_list(kind, list)?))
            }
            _ => Err(LayerError::shape(
                "one input tensor",
                current,
                several_outputs_fix(before, rows),
            )),
        },
    }
}

/// The answers of a merge (Add, Concatenate, Dot, ...), which a Sequential model calls on the
/// list a layer before it returns; `None` for other kinds, attention included (its tensors
/// have roles a list does not give).
fn merges(kind: &dyn Kind) -> Option<&dyn MultiInput> {
    kind.multi().filter(|m| m.slots().is_empty())
}

/// The MACs of a chain's call: a merge's over the list it received, any other kind's over the
/// tensor its weights are sized by.
fn chain_macs(
    kind: &dyn Kind,
    current: &Output,
    input: &Shape,
    output: &Output,
) -> Result<u64, LayerError> {
    // The kind is asked whether it merges only when it received a list: most rows do not.
    if let Output::Many(list) = current
        && let Some(merge) = merges(kind)
    {
        return merge.macs(list, output, &mut Tally::count());
    }
    kind.macs(input, output, &mut Tally::count())
}

/// A layer that takes a list (Dropout, Activation) applied to each tensor of it, as Keras does.
pub(crate) fn map_over_list(kind: &dyn Kind, list: &[Shape]) -> Result<Output, LayerError> {
    let mut outputs = Vec::with_capacity(list.len());
    for shape in list {
        match kind.output(shape)? {
            Output::One(o) => outputs.push(o),
            many @ Output::Many(_) => {
                return Err(LayerError::shape(
                    "one output per tensor",
                    many,
                    "use one tensor",
                ));
            }
        }
    }
    Ok(Output::Many(outputs))
}

/// The layers a Sequential model may hand a list, as the refusal names them.
const TAKE_A_LIST: &str = "the merges and the layers applied to each tensor (Dropout, the noise layers, Activation, ReLU, LeakyReLU, ELU, Softmax, Identity, Rescaling, UnitNormalization, ActivityRegularization, the image augmentations but RandomGrayscale and RandomColorDegeneration)";

/// The fix when a layer receives a list: change the layer that made it (the last one before
/// that does not just map over the list).
fn several_outputs_fix(before: &[Layer], rows: &[Row]) -> String {
    let origin = before
        .iter()
        .zip(rows)
        .rev()
        .find(|(layer, _)| !layer.kind().maps_over_lists());
    match origin {
        Some((Layer::Bidirectional(b), row)) if b.merge_mode.is_none() => format!(
            "{} returns several tensors and a Sequential model hands the next layer that list, which only {TAKE_A_LIST} take: set merge_mode on {} (e.g. \"concat\")",
            row.name, row.name
        ),
        Some((Layer::Bidirectional(_), row)) => format!(
            "{} returns several tensors (its wrapped layer has return_state=True) and a Sequential model hands the next layer that list, which only {TAKE_A_LIST} take: set return_state=False on the layer {} wraps",
            row.name, row.name
        ),
        Some((_, row)) => format!(
            "{} returns several tensors (return_state=True) and a Sequential model hands the next layer that list, which only {TAKE_A_LIST} take: set return_state=False on {}",
            row.name, row.name
        ),
        None => "give this layer one tensor".into(),
    }
}

/// Replaces a generic "needs a sequence" fix with the specific one when the time axis was
/// dropped by a recurrent layer before, possibly behind layers that keep the shape (Dropout,
/// Activation, normalization).
fn refine_fix(e: LayerError, before: &[Layer], rows: &[Row]) -> LayerError {
    let LayerError::Shape(mut m) = e else {
        return e;
    };
    if m.needs.starts_with("3-D") {
        for (layer, row) in before.iter().zip(rows).rev() {
            if layer.kind().drops_time_axis() {
                m.fix = format!("set return_sequences=True on {}", row.name);
                break;
            }
            if row.output.single() != Some(&row.input) {
                break;
            }
        }
    }
    LayerError::Shape(m)
}

/// Every layer's name as Keras would give it (the user's, or the automatic one), for all layers
/// whether or not the stack builds.
pub fn layer_names(layers: &[Layer]) -> Vec<String> {
    let mut names = Namer::default();
    layers
        .iter()
        .map(|l| names.name(&l.kind().naming()).to_string())
        .collect()
}

/// Hands out Keras' automatic names: `lstm`, `lstm_1`, `lstm_2`, ... per class, wrapped layers
/// included (Keras names the inner layer too).
#[derive(Debug)]
pub(crate) struct Namer {
    /// Each class's base name and its names.
    counters: Vec<(&'static str, Sequence)>,
    /// Where each base's counter is, by a hash of the base's address: a kind hands out the
    /// same literal each time, so this finds its counter without a search. Each place holds
    /// the base it answers for and the counter's position.
    recent: [(Option<&'static str>, u8); RECENT],
}

/// Places in [`Namer::recent`]: several for each of the dozen or so classes of a design, so
/// the first place looked at nearly always answers.
const RECENT: usize = 64;

// The hash keeps a power of two's worth of bits, and the search's order visits each place once
// only when the places are one.
const _: () = assert!(RECENT.is_power_of_two());

impl Default for Namer {
    fn default() -> Self {
        Self {
            counters: Vec::new(),
            recent: [(None, 0); RECENT],
        }
    }
}

impl Namer {
    /// The name a layer gets, from what its kind tells of it ([`Kind::naming`]), advancing
    /// the per-class counters as Keras does.
    #[inline]
    pub(crate) fn name(&mut self, naming: &Naming) -> Name {
        // Most layers neither wrap one, nor make sub-layers, nor have a name of their own.
        if let (None, None, []) = (naming.given, naming.inner, naming.sublayers) {
            return self.auto(naming.base);
        }
        self.name_with_parts(naming)
    }

    /// [`Namer::name`] for a layer that wraps one, makes sub-layers or has a name of its own.
    fn name_with_parts(&mut self, naming: &Naming) -> Name {
        // Keras names every wrapped layer too, however deep.
        let mut inner = naming.inner;
        while let Some(layer) = inner {
            let wrapped = layer.kind().naming();
            self.next(wrapped.base);
            inner = wrapped.inner;
        }
        let name = match naming.given {
            Some(n) => Name::new(n),
            None => self.auto(naming.base),
        };
        // Sub-layers a kind creates on its first call take the next names of their kinds.
        for base in naming.sublayers {
            self.next(base);
        }
        name
    }

    /// The next automatic name for `base` (input layers, implicit operations).
    #[inline]
    pub(crate) fn auto(&mut self, base: &'static str) -> Name {
        let at = self.slot(base);
        self.counters[at].1.take(base)
    }

    /// The automatic name `layer` would get next if it had no name of its own.
    pub(crate) fn preview(&self, layer: &Layer) -> Name {
        let base = layer.kind().auto_name();
        let n = self
            .counters
            .iter()
            .find(|(b, _)| *b == base)
            .map_or(0, |(_, names)| names.taken());
        Name::auto(base, n)
    }

    /// Takes the next number for `base` without a name: a wrapped or sub-layer has it.
    fn next(&mut self, base: &'static str) {
        let at = self.slot(base);
        self.counters[at].1.skip();
    }

    /// Where `base`'s counter is, made when new.
    #[inline]
    fn slot(&mut self, base: &'static str) -> usize {
        // Fibonacci hashing of the address picks the first place to look; the second is its
        // neighbour, so two bases that share a first place both stay found without a search.
        let address = base.as_ptr() as usize;
        let home = address.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (usize::BITS - RECENT.ilog2());
        for place in [home, home ^ 1] {
            if let (Some(held), at) = self.recent[place] {
                if std::ptr::eq(held, base) {
                    return usize::from(at);
                }
            }
        }
        self.probe(base, home)
    }

    /// [`Namer::slot`] when neither of the first two places answers: the search goes on
    /// through the others, in the same order (`home ^ 0`, `home ^ 1`, `home ^ 2`, ...,
    /// which visits each place once).
    #[cold]
    fn probe(&mut self, base: &'static str, home: usize) -> usize {
        for probe in 0..RECENT {
            let place = home ^ probe;
            match self.recent[place] {
                (Some(held), at) if std::ptr::eq(held, base) => return usize::from(at),
                (Some(_), _) => {}
                (None, _) => return self.find(base, Some(place)),
            }
        }
        self.find(base, None)
    }

    /// [`Namer::slot`] for a base no place holds: its counter searched for, or made, and
    /// kept in `place`.
    fn find(&mut self, base: &'static str, place: Option<usize>) -> usize {
        // The same text at another address is the same class.
        let at = (self.counters.iter().position(|(b, _)| *b == base)).unwrap_or_else(|| {
            self.counters.push((base, Sequence::default()));
            self.counters.len() - 1
        });
        if let (Some(place), Ok(short)) = (place, u8::try_from(at)) {
            self.recent[place] = (Some(base), short);
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::Namer;
    use crate::model::name::Name;

    #[test]
    fn every_base_keeps_its_own_count_however_many_share_a_place() {
        // More bases than places and than a place can point to, each text at two addresses,
        // named in turns: a lookup that answered with another base's counter, or lost one,
        // would number some name wrongly.
        let texts: Vec<String> = (0..300).map(|i| format!("kind{i}")).collect();
        let twice: Vec<[&'static str; 2]> = texts
            .iter()
            .map(|t| [t.clone().leak() as &str, t.clone().leak()])
            .collect();
        let mut names = Namer::default();
        for round in 0..4u64 {
            for (i, bases) in twice.iter().enumerate() {
                let base = bases[(i + round as usize) % 2];
                let expected = Name::auto(&texts[i], round);
                assert_eq!(names.auto(base), expected, "{base} in round {round}");
            }
        }
    }
}
