//! A graph design as one PyTorch `nn.Module`. `__init__` makes one module per layer (a shared
//! layer's once), in Keras' row order, so weights copy over layer by layer as they do for a
//! chain; `forward` takes one argument per model input and makes the calls as the design's
//! graph wires them: positional and keyword tensors, one output of a layer with several,
//! shared layers called again, merges, attention, and the masks Keras computes (from
//! `Embedding(mask_zero=True)` and `Masking`, through merges and `Concatenate`) for the layers
//! that take one; it returns the outputs, a tuple when there are several. A chain whose layers
//! start a mask is written this way too.
//!
//! Each call is written by its kind's `TorchKind` on `x` (or the list `xs`), as in a chain;
//! this file hands the call its tensors and names its output.

use std::collections::HashMap;

use super::{
    DEMO_LENGTHS, PyTorchExport, Writer, attention_code, class_name, label, module_head, py_float,
    torch,
};
use crate::interop::export_keras::python_str;
use crate::model::graph::{Call, TensorRef, passes_mask, starts_mask, takes_mask};
use crate::model::layers::{CallOptions, DataFormat, Layer, MaskUse};
use crate::model::summary::INPUT_LAYER;
use crate::model::{Convention, Design, Dtype, Output, Row, Shape, Source, Summary, layer_names};

/// Where a tensor comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum From {
    /// The model input at this position.
    Input(usize),
    /// The call at this position of the list of calls.
    Call(usize),
}

/// A tensor a call receives: its producer and, for a producer with several outputs, which
/// one (`None`: all of them, as a tuple).
#[derive(Debug, Clone, Copy)]
struct Tensor {
    from: From,
    index: Option<usize>,
}

/// One call of a design layer, in the order of the design's list of calls.
struct Site<'a> {
    /// The layer's position in `Design::layers`.
    layer: usize,
    /// Which call of the layer it is (0: the first).
    call: usize,
    /// The options it is called with.
    options: CallOptions,
    /// Tensors passed positionally.
    positional: Vec<Tensor>,
    /// Tensors passed by keyword, sorted by keyword.
    keywords: Vec<(&'a str, Vec<Tensor>)>,
}

/// The graph as the writer walks it.
struct Wired<'a> {
    design: &'a Design,
    summary: &'a Summary,
    sites: Vec<Site<'a>>,
    /// Each layer's calls, as positions in `sites`.
    calls_of: Vec<Vec<usize>>,
    /// The model outputs.
    outputs: Vec<Tensor>,
    /// Whether the model uses the call (the calls no output depends on are left out, as in
    /// Keras' model).
    used: Vec<bool>,
    /// The Python name of each model input.
    input_vars: Vec<String>,
    /// The Python name of each used call's output.
    vars: Vec<String>,
    /// The Python name of the mask each used call's output carries.
    masks: Vec<Option<String>>,
    /// The attribute names each layer's modules took, by the layer's position.
    attrs: HashMap<usize, Vec<String>>,
}

/// [`super::pytorch_export`] for a design whose `graph` is not a chain, or whose layers start
/// a mask.
pub(super) fn graph_export(design: &Design) -> PyTorchExport {
    let summary = Summary::of(design, Convention::PyTorch);
    let mut w = Writer::default();
    let class = class_name(&design.name);
    let inputs = input_names(&summary);
    let mut locals = Locals::default();
    let input_vars: Vec<String> = inputs.iter().map(|n| locals.name(n)).collect();
    let mut outputs = Vec::new();
    let wired = match &summary.error {
        Some(err) => Err(format!(
            "layer {} ({} {}) does not build: {}",
            err.index + 1,
            err.name,
            err.class,
            err.error
        )),
        None => Wired::new(design, &summary, input_vars.clone()),
    };
    match wired {
        Ok(mut g) => {
            g.name_calls(&mut locals);
            g.write_modules(&mut w);
            let mut held = None;
            for s in g.order() {
                g.write_call(&mut w, s, &mut held);
            }
            outputs = g.outputs.iter().map(|t| g.expr(*t)).collect();
        }
        Err(why) => {
            let raise = format!("raise ValueError({})", python_str(&why));
            w.init.push(raise.clone());
            w.forward.push(raise);
        }
    }
    let mut code = module_head(design, &summary, &w, &class);
    code.push_str(&format!(
        "\n    def forward(self, {}):\n",
        input_vars.join(", ")
    ));
    for line in &w.forward {
        code.push_str(&format!("        {line}\n"));
    }
    if !outputs.is_empty() {
        code.push_str(&format!("        return {}\n", outputs.join(", ")));
    }
    code.push_str("\n\n");
    code.push_str(&main_block(design, &class));
    PyTorchExport {
        code,
        unsupported: w.unsupported,
    }
}

/// The model inputs' names, as the summary gives them (a chain's is Keras' `input_layer`).
fn input_names(summary: &Summary) -> Vec<String> {
    summary.ends.as_ref().map_or_else(
        || vec![INPUT_LAYER.to_string()],
        |e| e.inputs.iter().map(ToString::to_string).collect(),
    )
}

/// Python names for the forward pass's tensors: each unique, none a keyword or a name the
/// written code uses itself.
#[derive(Default)]
struct Locals(Writer);

/// Names the forward pass and the file's helpers use themselves.
const TAKEN: [&str; 32] = [
    "x",
    "xs",
    "m",
    "_",
    "self",
    "torch",
    "nn",
    "F",
    "each",
    "fwd",
    "bwd",
    "out",
    "h_n",
    "c_n",
    "keras_masked_rnn",
    "keras_masked_birnn",
    "keras_same_pad",
    "keras_spectral_normalize",
    "keras_resize",
    "keras_smart_resize",
    "keras_window",
    "keras_mel_spectrogram",
    "keras_auto_contrast",
    "KerasSTFTSpectrogram",
    "keras_sparsemax",
    "KerasMultiHeadAttention",
    "KerasGroupQueryAttention",
    "KerasAttention",
    "KerasPReLU",
    "KerasRNN",
    "ConvLSTM",
    "SeparableConv",
];

impl Locals {
    /// A Python name for the tensor Keras calls `keras_name`.
    fn name(&mut self, keras_name: &str) -> String {
        if self.0.attrs.is_empty() {
            for taken in TAKEN {
                self.0.attrs.insert(taken.to_string());
            }
        }
        self.0.attr(keras_name)
    }
}

impl<'a> Wired<'a> {
    /// The design's calls, wired; or why a reference names nothing (the summary refuses such
    /// a design first).
    fn new(
        design: &'a Design,
        summary: &'a Summary,
        input_vars: Vec<String>,
    ) -> Result<Self, String> {
        let graph = &design.graph;
        let layers = design.layers.len();
        let names = layer_names(&design.layers);
        let mut by_name: HashMap<String, From> = HashMap::new();
        for (i, name) in input_names(summary).into_iter().enumerate() {
            by_name.insert(name, From::Input(i));
        }
        let mut layer_of: HashMap<&str, usize> = HashMap::new();
        for (l, name) in names.iter().enumerate() {
            layer_of.entry(name.as_str()).or_insert(l);
        }
        // The list of calls: each layer where it sits, each shared call after the layer it
        // names as `after`, as the summary places them.
        let mut next = graph.shared_order(layers).into_iter().peekable();
        let mut placed: Vec<(usize, Option<&'a Call>)> = Vec::with_capacity(layers);
        let mut calls_of = vec![Vec::new(); layers];
        for l in 0..layers {
            by_name.insert(names[l].clone(), From::Call(placed.len()));
            calls_of[l].push(placed.len());
            placed.push((l, graph.wiring.get(&l)));
            while let Some((_, s)) = next.next_if(|(after, _)| *after == l) {
                let call = &graph.shared[s];
                let layer = *layer_of.get(call.layer.as_str()).ok_or_else(|| {
                    format!("the shared call names `{}`, which is no layer", call.layer)
                })?;
                calls_of[layer].push(placed.len());
                placed.push((layer, Some(&call.call)));
            }
        }
        let resolve_all = |refs: &[String]| -> Result<Vec<Tensor>, String> {
            refs.iter()
                .map(|r| resolve(r, &by_name, &calls_of, &placed))
                .collect()
        };
        let mut sites = Vec::with_capacity(placed.len());
        for (entry, &(layer, wiring)) in placed.iter().enumerate() {
            let call = calls_of[layer]
                .iter()
                .position(|&c| c == entry)
                .unwrap_or(0);
            let options = wiring.map(|c| c.options).unwrap_or_default();
            let Some(on) = wiring.filter(|c| !c.takes_previous()) else {
                let from = entry.checked_sub(1).map_or(From::Input(0), From::Call);
                sites.push(Site {
                    layer,
                    call,
                    options,
                    positional: vec![Tensor { from, index: None }],
                    keywords: Vec::new(),
                });
                continue;
            };
            let mut keywords = Vec::with_capacity(on.keywords.len());
            for (key, refs) in &on.keywords {
                keywords.push((key.as_str(), resolve_all(refs)?));
            }
            sites.push(Site {
                layer,
                call,
                options,
                positional: resolve_all(&on.inputs)?,
                keywords,
            });
        }
        let mut outputs = resolve_all(&graph.outputs)?;
        if outputs.is_empty() {
            let from = sites
                .len()
                .checked_sub(1)
                .map_or(From::Input(0), From::Call);
            outputs.push(Tensor { from, index: None });
        }
        let n = sites.len();
        let mut g = Self {
            design,
            summary,
            sites,
            calls_of,
            outputs,
            used: vec![false; n],
            input_vars,
            vars: vec![String::new(); n],
            masks: vec![None; n],
            attrs: HashMap::new(),
        };
        g.mark_used();
        Ok(g)
    }
}

/// The tensor a reference names.
fn resolve(
    text: &str,
    by_name: &HashMap<String, From>,
    calls_of: &[Vec<usize>],
    placed: &[(usize, Option<&Call>)],
) -> Result<Tensor, String> {
    let r = TensorRef::parse(text)?;
    let missing = || format!("`{text}` names no input or call of this design");
    let from = match by_name.get(r.name).ok_or_else(missing)? {
        From::Input(i) => From::Input(*i),
        From::Call(first) => {
            let layer = placed.get(*first).ok_or_else(missing)?.0;
            From::Call(*calls_of[layer].get(r.call).ok_or_else(missing)?)
        }
    };
    Ok(Tensor {
        from,
        index: r.index,
    })
}

impl Wired<'_> {
    /// Marks the calls some output depends on.
    fn mark_used(&mut self) {
        let mut stack: Vec<usize> = self.outputs.iter().filter_map(|t| call_of(*t)).collect();
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut self.used[s], true) {
                continue;
            }
            let site = &self.sites[s];
            stack.extend(self.tensors(site).filter_map(call_of));
            if let Some(src) = self.mask_source(s) {
                stack.push(src);
            }
        }
    }

    /// Every tensor a call receives: positional, then by keyword.
    fn tensors<'s>(&'s self, site: &'s Site) -> impl Iterator<Item = Tensor> + 's {
        site.positional
            .iter()
            .chain(site.keywords.iter().flat_map(|(_, t)| t))
            .copied()
    }

    /// The used calls in an order where each comes after the calls it uses: the list's own
    /// order unless a call names a later one.
    fn order(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.sites.len());
        let mut state = vec![0u8; self.sites.len()];
        for root in 0..self.sites.len() {
            if !self.used[root] || state[root] != 0 {
                continue;
            }
            // Depth-first, without recursion: a residual chain of 10,000 calls stays flat.
            let mut stack = vec![(root, false)];
            while let Some((s, done)) = stack.pop() {
                if done {
                    state[s] = 2;
                    order.push(s);
                    continue;
                }
                if state[s] != 0 {
                    continue;
                }
                state[s] = 1;
                stack.push((s, true));
                let deps = self.tensors(&self.sites[s]).filter_map(call_of);
                for d in deps.collect::<Vec<_>>().into_iter().rev() {
                    if state[d] == 0 {
                        stack.push((d, false));
                    }
                }
            }
        }
        order
    }

    /// A Python name for each used call's output (and mask), in the order of the calls.
    fn name_calls(&mut self, locals: &mut Locals) {
        let names = layer_names(&self.design.layers);
        for s in 0..self.sites.len() {
            if !self.used[s] {
                continue;
            }
            let site = &self.sites[s];
            let name = &names[site.layer];
            self.vars[s] = match site.call {
                0 => locals.name(name),
                k => locals.name(&format!("{name}_call{k}")),
            };
            if starts_mask(&self.design.layers[site.layer]) {
                self.masks[s] = Some(locals.name(&format!("{name}_mask")));
            }
        }
        for s in self.order() {
            if self.masks[s].is_some() {
                continue;
            }
            let site = &self.sites[s];
            let inputs = self.call_masks(s);
            let own = || format!("{}_mask", names[site.layer]);
            let kind = self.design.layers[site.layer].kind();
            self.masks[s] = match kind.keras().mask {
                MaskUse::Ors if !inputs.is_empty() && inputs.iter().all(Option::is_some) => {
                    Some(locals.name(&own()))
                }
                MaskUse::Joins if inputs.iter().any(Option::is_some) => Some(locals.name(&own())),
                MaskUse::KeepsQuery => inputs.first().copied().flatten().cloned(),
                // The mask of the first tensor (the query, given by keyword too).
                _ if passes_mask(kind) => inputs.first().copied().flatten().cloned(),
                _ => None,
            };
        }
    }

    /// The mask each of call `s`'s tensors carries: its positional ones, or for a call by
    /// keywords alone (`MultiHeadAttention(query=q, value=v)`) those in the order the kind
    /// takes them, as Keras reads them.
    fn call_masks(&self, s: usize) -> Vec<Option<&String>> {
        let site = &self.sites[s];
        let kind = self.design.layers[site.layer].kind();
        let slots = kind.multi().map_or(&[][..], |m| m.slots());
        let by_keyword = |slot: &&str| {
            let given = site.keywords.iter().find(|(k, _)| k == slot);
            given.and_then(|(_, tensors)| tensors.first())
        };
        let tensors: Vec<&Tensor> = match site.positional.as_slice() {
            [] => slots.iter().filter_map(by_keyword).collect(),
            positional => positional.iter().collect(),
        };
        tensors
            .iter()
            .map(|t| call_of(**t).and_then(|c| self.masks[c].as_ref()))
            .collect()
    }

    /// The masks call `s`'s tensors carry ([`Self::call_masks`]), as a Python list (`None`
    /// for a tensor without one); `None` when none carries one.
    fn input_masks(&self, s: usize) -> Option<String> {
        let masks = self.call_masks(s);
        masks.iter().any(Option::is_some).then(|| {
            let items: Vec<&str> = masks.iter().map(|m| m.map_or("None", |m| m)).collect();
            format!("[{}]", items.join(", "))
        })
    }

    /// The line computing the mask call `s`'s output carries, when the call makes one (a
    /// mask handed on keeps its source's name).
    fn mask_line(&self, s: usize) -> Option<String> {
        let site = &self.sites[s];
        let mask = self.masks[s].as_ref()?;
        let first = self.expr(*site.positional.first()?);
        let layer = &self.design.layers[site.layer];
        let line = match layer {
            Layer::Embedding(e) if e.mask_zero => format!(
                "{mask} = {first} != 0  # Keras' NotEqual: mask_zero=True masks token 0 in the layers that take a mask"
            ),
            Layer::Masking(m) => format!(
                "{mask} = ({first} != {}).any(dim=-1)  # Keras' NotEqual and Any: the steps where some feature is not mask_value",
                py_float(m.mask_value)
            ),
            Layer::Concatenate(c) => {
                // Keras widens each input's mask to its features (all true for an input
                // without one), joins them as the layer joins the inputs, and keeps a step
                // where any is true.
                let pieces: Vec<String> = site
                    .positional
                    .iter()
                    .zip(self.call_masks(s))
                    .map(|(&t, mask)| match mask {
                        Some(m) => m.clone(),
                        None => {
                            let x = self.expr(t);
                            format!(
                                "torch.ones({x}.shape[:-1], dtype=torch.bool, device={x}.device)"
                            )
                        }
                    })
                    .collect();
                let rank = self.row(s).map_or(0, |r| r.input.ndim());
                let axis = if c.axis < 0 {
                    c.axis + rank as i64
                } else {
                    c.axis
                };
                if axis + 1 >= rank as i64 {
                    format!(
                        "{mask} = {}  # Keras' mask of a Concatenate on the features",
                        pieces.join(" | ")
                    )
                } else {
                    format!(
                        "{mask} = torch.cat([{}], dim={axis})  # Keras' mask of a Concatenate on axis {axis}",
                        pieces.join(", ")
                    )
                }
            }
            _ if layer.kind().keras().mask == MaskUse::Ors => {
                let masks: Vec<&str> = self
                    .call_masks(s)
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                format!(
                    "{mask} = {}  # Keras' LogicalOr of the inputs' masks",
                    masks.join(" | ")
                )
            }
            _ => return None,
        };
        Some(line)
    }

    /// The call whose output's mask Keras passes to call `s` as its `mask`, when it does.
    fn mask_source(&self, s: usize) -> Option<usize> {
        let site = &self.sites[s];
        let kind = self.design.layers[site.layer].kind();
        (takes_mask(kind) && site.keywords.is_empty() && site.positional.len() == 1)
            .then(|| call_of(site.positional[0]))
            .flatten()
    }

    /// The row of the layer, with the output of call `s`.
    fn row(&self, s: usize) -> Option<Row> {
        let site = &self.sites[s];
        let mut row = self.summary.row_of(site.layer)?.clone();
        let used: Vec<usize> = self.calls_of[site.layer]
            .iter()
            .copied()
            .filter(|&c| self.used[c])
            .collect();
        let nth = used.iter().position(|&c| c == s);
        if let Some(out) = nth.and_then(|i| self.summary.per_call(&row).get(i)) {
            row.output = out.clone();
        }
        Some(row)
    }

    /// How many tensors call `s` outputs (1 for one).
    fn outputs_of(&self, s: usize) -> usize {
        match self.row(s).map(|r| r.output) {
            Some(Output::Many(list)) => list.len(),
            _ => 1,
        }
    }

    /// The Python expression of a tensor.
    fn expr(&self, t: Tensor) -> String {
        let var = match t.from {
            From::Input(i) => self.input_vars.get(i).cloned().unwrap_or_default(),
            From::Call(s) => self.vars[s].clone(),
        };
        match t.index {
            Some(i) => format!("{var}[{i}]"),
            None => var,
        }
    }

    /// The expressions of a list of tensors, a tuple of several outputs opened into its items.
    fn exprs(&self, tensors: &[Tensor]) -> Vec<String> {
        let mut out = Vec::new();
        for &t in tensors {
            match (t.from, t.index) {
                (From::Call(s), None) if self.outputs_of(s) > 1 => {
                    out.extend((0..self.outputs_of(s)).map(|i| format!("{}[{i}]", self.vars[s])));
                }
                _ => out.push(self.expr(t)),
            }
        }
        out
    }

    /// Every layer's modules, in Keras' row order, each written by its first used call.
    fn write_modules(&mut self, w: &mut Writer) {
        for row in &self.summary.rows {
            let Source::Layer(l) = row.source else {
                continue;
            };
            let Some(&first) = self.calls_of[l].iter().find(|&&c| self.used[c]) else {
                continue;
            };
            let start = w.attr_log.len();
            let forward = w.forward.len();
            self.write_layer(w, first);
            w.forward.truncate(forward);
            self.attrs.insert(l, w.attr_log[start..].to_vec());
        }
    }

    /// The forward lines of call `s`: its tensors into `x` (or the list `xs`), the layer's
    /// own lines on the modules its first call made, and its output named. `held` is the
    /// name `x` already holds, so a chain of calls does not reload it.
    fn write_call(&self, w: &mut Writer, s: usize, held: &mut Option<String>) {
        let site = &self.sites[s];
        let layer = &self.design.layers[site.layer];
        if layer.kind().multi().is_some() {
            w.forward
                .push(format!("xs = [{}]", self.multi_args(s).join(", ")));
        } else {
            let items = self.exprs(&site.positional);
            let mut value = match items.as_slice() {
                [one] => one.clone(),
                _ => format!("({},)", items.join(", ")),
            };
            let from_ints = match site.positional.as_slice() {
                [
                    Tensor {
                        from: From::Input(i),
                        ..
                    },
                ] => self.input_dtype(*i) == Dtype::Int32,
                _ => false,
            };
            if from_ints && !layer.kind().keras().token_ids {
                value.push_str(".float()  # integer input, as Keras promotes it");
            }
            if held.as_deref() != Some(value.as_str()) {
                w.forward.push(format!("x = {value}"));
            }
        }
        w.replay = self
            .attrs
            .get(&site.layer)
            .cloned()
            .unwrap_or_default()
            .into();
        let (init, unsupported) = (w.init.len(), w.unsupported.len());
        self.write_layer(w, s);
        w.replay.clear();
        w.init.truncate(init);
        // A refusal only this call meets (its state or mask) still stops the module.
        for text in w.unsupported.split_off(unsupported) {
            if !w.unsupported.contains(&text) {
                w.init
                    .push(format!("raise NotImplementedError({})", python_str(&text)));
                w.unsupported.push(text);
            }
        }
        w.forward.push(format!("{} = x", self.vars[s]));
        *held = Some(self.vars[s].clone());
        w.forward.extend(self.mask_line(s));
    }

    /// The element type of model input `i`.
    fn input_dtype(&self, i: usize) -> Dtype {
        match i.checked_sub(1) {
            None => self.design.input.dtype,
            Some(j) => self
                .design
                .graph
                .inputs
                .get(j)
                .map_or(Dtype::Float32, |n| n.dtype),
        }
    }

    /// The tensors of a call on several, in the layer's slot order: the positional ones, then
    /// each further slot (`query`, `value`, `key`) given by keyword.
    fn multi_args(&self, s: usize) -> Vec<String> {
        let site = &self.sites[s];
        let mut args = self.exprs(&site.positional);
        let kind = self.design.layers[site.layer].kind();
        let slots = kind.multi().map_or(&[][..], |m| m.slots());
        for slot in slots.iter().skip(args.len()) {
            if let Some((_, t)) = site.keywords.iter().find(|(k, _)| k == slot) {
                args.extend(self.exprs(t));
            }
        }
        args
    }

    /// Writes call `s` of its layer: its modules into `w.init`, its steps into `w.forward`,
    /// with the call's initial state and mask in reach of the recurrent writer.
    fn write_layer(&self, w: &mut Writer, s: usize) {
        let site = &self.sites[s];
        let layer = &self.design.layers[site.layer];
        let Some(row) = self.row(s) else {
            return;
        };
        let keyword = |key: &str| {
            site.keywords
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, t)| self.exprs(t))
        };
        w.initial_state = keyword("initial_state");
        w.mask = keyword("mask")
            .and_then(|m| m.into_iter().next())
            .or_else(|| self.mask_source(s).and_then(|src| self.masks[src].clone()));
        w.at_input = matches!(
            site.positional.as_slice(),
            [Tensor {
                from: From::Input(_),
                ..
            }]
        );
        match layer {
            Layer::MultiHeadAttention(_)
            | Layer::GroupQueryAttention(_)
            | Layer::Attention(_)
            | Layer::AdditiveAttention(_) => {
                let inputs = self.summary.call_inputs(&row);
                let masks = self.input_masks(s);
                attention(w, &row, inputs, layer, site.options, masks.as_deref());
            }
            Layer::GlobalAveragePooling1D(p) if w.mask.is_some() => {
                let m = w.mask.clone().unwrap_or_default();
                let (steps, features) = match p.data_format {
                    DataFormat::ChannelsLast => (1, -1),
                    DataFormat::ChannelsFirst => (2, 1),
                };
                let keep = if p.keepdims { ", keepdim=True" } else { "" };
                w.forward.push(format!(
                    "m = {m}.unsqueeze({features}).to(x.dtype)  # {}: Keras leaves the masked steps out of the mean",
                    row.name.escape_debug()
                ));
                w.forward.push(format!(
                    "x = (x * m).sum(dim={steps}{keep}) / m.sum(dim={steps}{keep})"
                ));
            }
            _ => torch(layer).write(w, &row),
        }
        w.initial_state = None;
        w.mask = None;
    }
}

/// An attention layer's module and its call on the list `xs` (whose shapes are `inputs`) with
/// the masks its inputs carry (a Python list), or why PyTorch has none.
fn attention(
    w: &mut Writer,
    row: &Row,
    inputs: &[Shape],
    layer: &Layer,
    options: CallOptions,
    masks: Option<&str>,
) {
    let a = w.attr(&row.name);
    let args: Vec<String> = (0..inputs.len()).map(|i| format!("xs[{i}]")).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match attention_code(layer, inputs, options, &a, &args, masks) {
        Ok(code) => {
            if !code.helper.is_empty() && !w.helpers.attention.contains(&code.helper) {
                w.helpers.attention.push(code.helper);
            }
            w.init.push(format!("self.{a} = {}", code.module));
            w.freeze(&a, !layer.frozen());
            w.forward.push(format!("x = {}", code.call));
        }
        Err(why) => w.no_equivalent(&label(row), &why),
    }
}

/// The demo run: each input random (token ids 0 for integer inputs), the module called on
/// them, and the counts and output shapes printed.
fn main_block(design: &Design, class: &str) -> String {
    let tensors: Vec<String> = demo_inputs(design)
        .into_iter()
        .map(|(shape, dtype)| {
            let mut dims = vec!["2".to_string()];
            dims.extend(
                shape
                    .0
                    .iter()
                    .map(|d| d.unwrap_or(DEMO_LENGTHS[0]).to_string()),
            );
            match dtype {
                Dtype::Float32 => format!("torch.rand({})", dims.join(", ")),
                Dtype::Int32 => format!("torch.zeros({}, dtype=torch.long)", dims.join(", ")),
            }
        })
        .collect();
    format!(
        "if __name__ == \"__main__\":\n    model = {class}()\n    print(model)\n    total = sum(p.numel() for p in model.parameters())\n    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)\n    print(f\"Total params: {{total:,}}\")\n    print(f\"Trainable params: {{trainable:,}}\")\n    print(f\"Non-trainable params: {{total - trainable:,}}\")\n    inputs = ({},)\n    y = model(*inputs)\n    shapes = [tuple(t.shape) for t in y] if isinstance(y, tuple) else tuple(y.shape)\n    print(\"Output shape:\", shapes)\n",
        tensors.join(", ")
    )
}

/// Each model input's shape and element type for the demo run: open axes get the first
/// length of [`DEMO_LENGTHS`] (or of the inputs' fixed sizes) the whole model builds with.
fn demo_inputs(design: &Design) -> Vec<(Shape, Dtype)> {
    let with = |n: Option<u64>| {
        let fill = |s: &Shape| match n {
            Some(n) => Shape(s.0.iter().map(|d| Some(d.unwrap_or(n))).collect()),
            None => s.clone(),
        };
        let mut d = design.clone();
        d.input.shape = fill(&d.input.shape);
        for i in &mut d.graph.inputs {
            i.shape = fill(&i.shape);
        }
        d
    };
    let open = std::iter::once(&design.input.shape)
        .chain(design.graph.inputs.iter().map(|i| &i.shape))
        .any(|s| s.0.iter().any(Option::is_none));
    // An open axis merged with a fixed one (an Add of a variable and a 10-step sequence)
    // builds only at that length: the inputs' own sizes are tried after the usual ones.
    let known = std::iter::once(&design.input.shape)
        .chain(design.graph.inputs.iter().map(|i| &i.shape))
        .flat_map(|s| s.0.iter().flatten().copied());
    let chosen = if open {
        DEMO_LENGTHS
            .iter()
            .copied()
            .chain(known)
            .map(|n| with(Some(n)))
            .find(|d| Summary::of(d, Convention::PyTorch).is_ok())
            .unwrap_or_else(|| with(Some(DEMO_LENGTHS[0])))
    } else {
        with(None)
    };
    std::iter::once((chosen.input.shape.clone(), chosen.input.dtype))
        .chain(
            chosen
                .graph
                .inputs
                .iter()
                .map(|i| (i.shape.clone(), i.dtype)),
        )
        .collect()
}

/// The call a tensor comes from, if it comes from one.
fn call_of(t: Tensor) -> Option<usize> {
    match t.from {
        From::Call(s) => Some(s),
        From::Input(_) => None,
    }
}
