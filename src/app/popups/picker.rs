//! The add-layer picker: the catalogue filtered as you type, with a preview of the highlighted
//! kind: what it takes, whether inserting it here breaks the layer after it, and the fix when
//! there is an obvious one (an Embedding first on a float input wants int32 token ids). A
//! design's first layer opens on the kind its input obviously wants, when there is one.
//! After the kinds come the ready blocks (several layers wired together), filtered alike,
//! each with the output and parameter count it would have here at its default sizes. A filter
//! written as a Keras call (`Conv2D(32, 3, activation="relu")`, typed or pasted) is the one
//! layer it spells, fields and all.

use crate::app::action::{Action, Effect};
use crate::app::popups::block_form::BlockForm;
use crate::app::popups::confirm::Question;
use crate::app::popups::tensors::TensorPicker;
use crate::app::popups::{Popup, move_in};
use crate::app::state::{App, Mode};
use crate::app::text::{TextEdit, TextOp};
use crate::interop::python::layer_from_python;
use crate::model::graph::{Block, Call};
use crate::model::summary::count;
use crate::model::{Convention, Dtype, Layer, Shape, Summary};
use crate::report::lanes::Entry;

/// The add-layer picker.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Picker {
    /// Typed filter text, edited with the keys of every text field.
    pub filter: TextEdit,
    /// Highlighted entry among the matches.
    pub index: usize,
    /// What the highlighted kind takes and what inserting it here would do.
    pub preview: Option<Preview>,
    /// The tensor the new layer reads when it starts a branch (the layer after the selection
    /// then keeps its input); `None` adds it to the chain.
    pub branch: Option<String>,
    /// The blocks matching the filter, listed after the kinds, with what each gives here.
    pub blocks: Vec<BlockRow>,
    /// The filter read as a Keras call, once per edit: the layer it spells, or why it does
    /// not read; `None` when the filter is not a call.
    pub call: Option<Result<Layer, String>>,
}

/// A ready block as the picker lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockRow {
    /// The block.
    pub block: Block,
    /// What its default sizes give here: its output and parameter count, or why it does not
    /// build.
    pub here: Result<(String, u64), String>,
}

/// What the picker says about the highlighted kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// What input it takes, as a Keras user says it: `token ids (int32) of shape (seq_len,)`.
    pub expects: String,
    /// Why inserting it here would not build, or would break the next layer.
    pub warning: Option<String>,
    /// Whether choosing it asks to switch the input to int32 token ids.
    pub offers_token_ids: bool,
}

/// Kinds whose input is not told by its shape alone.
const TAKES: &[(&str, &str)] = &[
    ("Embedding", "token ids (int32) of shape (seq_len,)"),
    (
        "STFTSpectrogram",
        "a signal of shape (time, channels), at least frame_length samples long",
    ),
    ("MelSpectrogram", "a signal of shape (samples,)"),
    (
        "RandomColorDegeneration",
        "RGB images of shape (rows, cols, 3)",
    ),
];

/// How a Keras user names each dimension of an input of some rank.
const RANK_NAMES: [&str; 4] = [
    "(features,)",
    "(timesteps, features)",
    "(rows, cols, channels)",
    "(depth, rows, cols, channels)",
];

/// The shapes of the ranks a kind builds on (each size 8: small but above any default kernel).
fn takes(layer: &Layer) -> String {
    let class = layer.kind().class();
    if let Some((_, text)) = TAKES.iter().find(|(c, _)| *c == class) {
        return (*text).to_string();
    }
    if let Some(multi) = layer.kind().multi() {
        // Attention reads a query and a value, which a chain of single tensors cannot give.
        let call = match multi.slots() {
            [] => "a list [query, value] or [query, value, key]",
            _ => "query and value tensors (and optionally key)",
        };
        return format!("{call} of shape (timesteps, features), from a graph, not a chain");
    }
    let ranks: Vec<&str> = RANK_NAMES
        .iter()
        .enumerate()
        .filter(|(r, _)| {
            layer
                .kind()
                .output(&Shape(vec![Some(8); r + 1].into()))
                .is_ok()
        })
        .map(|(_, name)| *name)
        .collect();
    match ranks.as_slice() {
        [] => "an input no rank up to 4 builds".into(),
        [one] => format!("input of shape {one}"),
        _ if ranks.len() == RANK_NAMES.len() => "input of any shape".into(),
        many => format!("input of shape {}", many.join(" or ")),
    }
}

/// A class name's capitals and digits, in lower case, as people abbreviate it:
/// `MultiHeadAttention` is `mha`, `GlobalAveragePooling2D` is `gap2d`.
fn initials(class: &str) -> String {
    class
        .chars()
        .filter(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Picker {
    /// The picker as it opens, its preview made.
    pub fn open(app: &App) -> Picker {
        let mut p = Picker::default();
        if insertion(app) == 0 {
            p.index = first_layer(app, &p.matches()).unwrap_or(0);
        }
        p.refresh(app);
        p
    }

    /// The catalogue entries the filter finds, ignoring case, the best first: a class that
    /// starts with it, then one that contains it, then one whose initials begin with it
    /// (`mha`, `bn`, `gap`), then one whose description contains it; in catalogue order
    /// within each. `conc` finds Concatenate before the Bidirectional that concatenates.
    pub fn matches(&self) -> Vec<Layer> {
        self.ranked().into_iter().map(|(_, l)| l).collect()
    }

    /// [`Picker::matches`], each with its rank: 0 for a class that starts with the filter, up
    /// to 3 for a description that contains it.
    fn ranked(&self) -> Vec<(u8, Layer)> {
        if let Some(call) = &self.call {
            return call.iter().map(|l| (0, l.clone())).collect();
        }
        let f = self.filter.text().to_lowercase();
        let rank = |l: &Layer| {
            let k = l.kind();
            let class = k.class().to_lowercase();
            if class.starts_with(&f) {
                Some(0)
            } else if class.contains(&f) {
                Some(1)
            } else if initials(k.class()).starts_with(&f) {
                Some(2)
            } else {
                k.brief().to_lowercase().contains(&f).then_some(3)
            }
        };
        let mut found: Vec<(u8, Layer)> = Layer::catalogue()
            .into_iter()
            .filter_map(|l| Some((rank(&l)?, l)))
            .collect();
        found.sort_by_key(|(rank, _)| *rank);
        found
    }

    /// The blocks whose title contains the filter, ignoring case (their briefs name layer
    /// kinds, which would make every kind's filter list them too).
    pub fn block_matches(&self) -> Vec<Block> {
        let f = self.filter.text().to_lowercase();
        Block::ALL
            .into_iter()
            .filter(|b| b.title().to_lowercase().contains(&f))
            .collect()
    }

    /// The row of the first block whose title starts with the filter, when no class does: a
    /// block spelled from its start is a better match than a class that only contains the
    /// filter (`transf` is the Transformer encoder, not RandomElasticTransform).
    fn block_spelled(&self, ranked: &[(u8, Layer)]) -> Option<usize> {
        if ranked.first().is_some_and(|(rank, _)| *rank == 0) {
            return None;
        }
        let f = self.filter.text().to_lowercase();
        self.block_matches()
            .iter()
            .position(|b| b.title().to_lowercase().starts_with(&f))
            .map(|at| ranked.len() + at)
    }

    /// Remakes the preview for the highlighted entry and the blocks' rows.
    fn refresh(&mut self, app: &App) {
        let kinds = self.matches();
        self.blocks = self
            .block_matches()
            .into_iter()
            .map(|block| BlockRow {
                block,
                here: block_here(app, block),
            })
            .collect();
        self.preview = match self.index.checked_sub(kinds.len()) {
            None => kinds.get(self.index).map(|l| preview(app, l)),
            Some(b) => self.blocks.get(b).map(block_preview),
        };
    }
}

/// The layer a filter written as a Keras call spells (`layers.Dense(64, activation="relu")`),
/// or why it does not read and at which column; `None` for a filter that is not a call.
fn typed_call(filter: &str) -> Option<Result<Layer, String>> {
    filter.contains('(').then(|| {
        layer_from_python(filter.trim()).map_err(|e| format!("column {}: {}", e.column, e.message))
    })
}

/// The kind a design's first layer obviously is, when there is one: token ids go to an
/// Embedding, and an image `(rows, cols, channels)` or a volume to the first convolution over
/// as many axes that builds on it. Highlighted, Enter alone adds it.
fn first_layer(app: &App, kinds: &[Layer]) -> Option<usize> {
    let input = &app.design.input;
    if input.dtype == Dtype::Int32 {
        return kinds.iter().position(|l| l.kind().keras().token_ids);
    }
    let axes = input.shape.0.len().checked_sub(1).filter(|&a| a >= 2)?;
    kinds.iter().position(|l| {
        let kind = l.kind();
        kind.keras().rank == axes
            && kind.output(&input.shape).is_ok()
            && count(kind, &input.shape, Convention::Keras).is_ok_and(|p| p.trainable > 0)
    })
}

/// The first of the best-ranked matches that builds where it would go (`maxp` after a Conv2D
/// is MaxPooling2D, not the MaxPooling1D listed before it; a merge's tensors are asked for
/// next), or the first match when none does.
fn first_fitting(app: &App, ranked: &[(u8, Layer)]) -> usize {
    let (Some(input), Some((best, _))) = (app.input_of(insertion(app)), ranked.first()) else {
        return 0;
    };
    ranked
        .iter()
        .take_while(|(rank, _)| rank == best)
        .position(|(_, l)| l.kind().multi().is_some() || l.kind().output(&input).is_ok())
        .unwrap_or(0)
}

/// What `block` at its default sizes gives inserted after the selection: the output of its
/// last layer and the parameters it adds.
fn block_here(app: &App, block: Block) -> Result<(String, u64), String> {
    let at = insertion(app);
    let design = &app.design;
    let start = design
        .block_start(at)
        .ok_or("the tensor it would start from does not build")?;
    let sizes = block.defaults(&start, design.encoder_output(at));
    let mut after = design.clone();
    let last = after.insert_block(at, block, &sizes, &start);
    let summary = Summary::of(&after, Convention::Keras);
    if let Some(e) = summary
        .error
        .as_ref()
        .filter(|e| (at..=last).contains(&e.index))
    {
        return Err(e.to_string());
    }
    let names = crate::model::layer_names(&after.layers);
    let output = names
        .get(last)
        .and_then(|n| after.tensor_shape(n))
        .map_or_else(String::new, |s| s.to_string());
    let total = |s: &Summary| s.totals.total().unwrap_or(0);
    let before = Summary::of(design, Convention::Keras);
    Ok((output, total(&summary).saturating_sub(total(&before))))
}

/// The preview of a highlighted block: what it inserts, or why it does not fit here.
fn block_preview(row: &BlockRow) -> Preview {
    Preview {
        expects: format!("{} inserts {}", row.block.title(), row.block.brief()),
        warning: row
            .here
            .as_ref()
            .err()
            .map(|e| format!("does not build here: {e}")),
        offers_token_ids: false,
    }
}

/// Where an inserted layer goes: after the selected layer (or the layer a selected shared
/// call follows), first when an input is selected.
fn insertion(app: &App) -> usize {
    let at = match app.entry() {
        Some(Entry::Layer(i)) => i + 1,
        Some(Entry::Shared(s)) => app.design.graph.shared.get(s).map_or(0, |c| c.after + 1),
        Some(Entry::Input(_)) | None => 0,
    };
    at.min(app.design.layers.len())
}

fn preview(app: &App, layer: &Layer) -> Preview {
    let at = insertion(app);
    let offers_token_ids =
        at == 0 && layer.kind().class() == "Embedding" && app.design.input.dtype == Dtype::Float32;
    let input = app.input_of(at);
    let out = input.as_ref().map(|s| layer.kind().output(s));
    let warning = match (out, app.design.layers.get(at)) {
        _ if offers_token_ids => Some(
            "the input is float32; Embedding takes int32 token ids: Enter offers to switch it"
                .to_string(),
        ),
        (Some(Err(e)), _) => Some(format!("does not build here: {e}")),
        (Some(Ok(out)), Some(next)) => out.single().and_then(|s| {
            next.kind()
                .output(s)
                .err()
                .map(|e| format!("the {} after it would not build: {e}", next.kind().class()))
        }),
        _ => None,
    };
    Preview {
        expects: format!("{} takes {}", layer.kind().class(), takes(layer)),
        warning,
        offers_token_ids,
    }
}

impl Popup for Picker {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        let kinds = self.matches().len();
        let len = kinds + self.blocks.len();
        let before = self.filter.text().to_string();
        match action {
            Action::Insert(c) => self.filter.insert(c),
            Action::Backspace => self.filter.apply(TextOp::DeleteBack),
            Action::Text(op) => self.filter.apply(op),
            _ => {}
        }
        if self.filter.text() != before {
            self.call = typed_call(self.filter.text());
            let ranked = self.ranked();
            self.index = self
                .block_spelled(&ranked)
                .unwrap_or_else(|| first_fitting(app, &ranked));
        }
        let moved = move_in(&mut self.index, len, &action);
        if !moved
            && action == Action::Confirm
            && let Some(row) = self
                .index
                .checked_sub(kinds)
                .and_then(|b| self.blocks.get(b))
            && row.here.is_ok()
            && let Some(form) = BlockForm::new(&app.design, row.block, insertion(app))
        {
            return (Mode::Block(form), Vec::new());
        }
        if !moved
            && action == Action::Confirm
            && let Some(layer) = self.matches().into_iter().nth(self.index)
        {
            let at = insertion(app);
            if layer.kind().multi().is_some() {
                // A merge or attention reads several tensors: ask which.
                return (
                    Mode::Tensors(TensorPicker::for_add(app, at, layer)),
                    Vec::new(),
                );
            }
            let ask = preview(app, &layer).offers_token_ids;
            let call = self.branch.as_deref().map(|from| Call::on(&[from]));
            app.change(app.row_of_layer(at), |d| d.insert_layer(at, layer, call));
            if let Some(from) = &self.branch {
                app.status(
                    format!("a branch from {from}: it feeds no output yet · m merges it back, O makes it an output"),
                    false,
                );
            }
            if ask {
                return (Mode::Confirm(Question::TokenIds), Vec::new());
            }
            return (Mode::Normal, Vec::new());
        }
        self.refresh(app);
        (Mode::Picker(self), Vec::new())
    }
}
