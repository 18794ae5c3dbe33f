//! Ready blocks: several layers inserted at once, wired together as the usual architectures
//! wire them (a residual block, a transformer encoder or decoder block, a seq2seq
//! encoder–decoder, an inception branch set). Once inserted they are ordinary layers with
//! ordinary calls; nothing remembers they came as a block.
//!
//! A block starts from one tensor (a reference, with its shape), asks its sizes once
//! ([`Sizes`]), and each of its layers is called on named tensors, so the block reads the
//! same wherever it is inserted.

use super::{Call, NamedInput, TensorRef};
use crate::model::design::{Design, Dtype};
use crate::model::layers::{
    Add, CallOptions, Concatenate, Conv1D, Conv2D, Dense, Dropout, Gru, Layer, LayerNormalization,
    Lstm, MaxPooling1D, MaxPooling2D, MultiHeadAttention, Padding,
};
use crate::model::shape::{Output, Shape};
use crate::model::summary::{Source, Summary, layer_names};
use crate::model::weights::Convention;

/// A block the picker offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// Dense(width, relu) → Dense(width) → Add with the input (projected when widths differ).
    ResidualDense,
    /// Conv(filters, 3, same, relu) → Conv(filters, 3, same) → Add with the input (a 1×1
    /// convolution on the skip when channels differ); Conv1D on sequences, Conv2D on images.
    ResidualConv,
    /// Self-attention → Add → LayerNormalization → Dense(ff, relu) → Dense(width) → Add →
    /// LayerNormalization.
    Encoder,
    /// Causal self-attention → Add → LayerNormalization → cross-attention on an encoder
    /// tensor → Add → LayerNormalization → feed-forward → Add → LayerNormalization.
    Decoder,
    /// An LSTM encoder whose final states start an LSTM decoder on a new input, then Dense.
    Seq2SeqLstm,
    /// The same with GRUs (one state).
    Seq2SeqGru,
    /// 1×1, 1×1→3×3, 1×1→5×5 and pool→1×1 branches, concatenated.
    Inception,
}

/// A size a block asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// The block's width: units, filters or the model width.
    Width,
    /// Attention heads.
    Heads,
    /// Size of each head's query and key.
    KeyDim,
    /// The feed-forward layer's units.
    FeedForward,
    /// The output Dense's units (seq2seq).
    Out,
    /// The dropout rate; 0 leaves the Dropout layers out.
    Dropout,
    /// The encoder tensor cross-attention reads (decoder).
    Memory,
}

/// The sizes of a block, asked once. Fields a block does not use are ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizes {
    /// Units, filters or model width.
    pub width: u64,
    /// Attention heads.
    pub heads: u64,
    /// Size of each attention head.
    pub key_dim: u64,
    /// Feed-forward units.
    pub ff: u64,
    /// Output units of a seq2seq block.
    pub out: u64,
    /// Dropout rate, 0 to 1; 0 adds no Dropout.
    pub dropout: f64,
    /// The encoder tensor a decoder block attends to, as a reference.
    pub memory: String,
}

/// The tensor a block starts from.
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    /// Its reference (`dense`, `input_layer`, `lstm[0]`).
    pub reference: String,
    /// Its shape without the batch.
    pub shape: Shape,
}

impl Block {
    /// Every block, in the picker's order.
    pub const ALL: [Block; 7] = [
        Self::ResidualDense,
        Self::ResidualConv,
        Self::Encoder,
        Self::Decoder,
        Self::Seq2SeqLstm,
        Self::Seq2SeqGru,
        Self::Inception,
    ];

    /// The block's name in the picker (no longer than a layer class, so the list keeps its
    /// width).
    pub fn title(self) -> &'static str {
        match self {
            Self::ResidualDense => "Residual (Dense)",
            Self::ResidualConv => "Residual (conv)",
            Self::Encoder => "Transformer encoder",
            Self::Decoder => "Transformer decoder",
            Self::Seq2SeqLstm => "Seq2seq (LSTM)",
            Self::Seq2SeqGru => "Seq2seq (GRU)",
            Self::Inception => "Inception branches",
        }
    }

    /// What it inserts, in one line.
    pub fn brief(self) -> &'static str {
        match self {
            Self::ResidualDense => {
                "block: Dense → Dense → Add(skip), a projection when widths differ"
            }
            Self::ResidualConv => "block: Conv → Conv → Add(skip), a 1×1 conv when channels differ",
            Self::Encoder => {
                "block: MultiHeadAttention → Add → LayerNorm → Dense → Dense → Add → LayerNorm"
            }
            Self::Decoder => {
                "block: causal self-attention → Add → LayerNorm → cross-attention → Add → LayerNorm → FF → Add → LayerNorm"
            }
            Self::Seq2SeqLstm => {
                "encoder-decoder: LSTM(return_state) → LSTM(initial_state) on a new input → Dense"
            }
            Self::Seq2SeqGru => {
                "encoder-decoder: GRU(return_state) → GRU(initial_state) on a new input → Dense"
            }
            Self::Inception => "1×1, 1×1→3×3, 1×1→5×5, pool→1×1 → Concatenate",
        }
    }

    /// The sizes it asks for, in the form's order.
    pub fn sizes(self) -> &'static [Size] {
        use Size::{Dropout, FeedForward, Heads, KeyDim, Memory, Out, Width};
        match self {
            Self::ResidualDense | Self::ResidualConv | Self::Inception => &[Width],
            Self::Encoder => &[Width, Heads, KeyDim, FeedForward, Dropout],
            Self::Decoder => &[Width, Heads, KeyDim, FeedForward, Dropout, Memory],
            Self::Seq2SeqLstm | Self::Seq2SeqGru => &[Width, Out],
        }
    }

    /// How the form names a size of this block.
    pub fn label(self, size: Size) -> &'static str {
        match (self, size) {
            (Self::ResidualConv | Self::Inception, Size::Width) => "filters",
            (Self::Seq2SeqLstm | Self::Seq2SeqGru, Size::Width) => "units",
            (_, Size::Width) => "width",
            (_, Size::Heads) => "num_heads",
            (_, Size::KeyDim) => "key_dim",
            (_, Size::FeedForward) => "ff_units",
            (_, Size::Out) => "out_units",
            (_, Size::Dropout) => "dropout",
            (_, Size::Memory) => "encoder",
        }
    }

    /// The sizes it starts with for a tensor of this shape: the tensor's own width, two heads
    /// sharing it, a feed-forward four times as wide.
    pub fn defaults(self, start: &Start, memory: Option<String>) -> Sizes {
        let width = start.shape.last().flatten().unwrap_or(32).max(1);
        let heads = 2;
        Sizes {
            width,
            heads,
            key_dim: (width / heads).max(1),
            ff: width.saturating_mul(4),
            out: width,
            dropout: 0.0,
            memory: memory.unwrap_or_else(|| start.reference.clone()),
        }
    }
}

/// Inserts layers one after another at a position, each called on named tensors.
struct Builder<'a> {
    design: &'a mut Design,
    at: usize,
}

impl Builder<'_> {
    /// Inserts `layer` called on `call`; returns the name its output is referred to by.
    fn add(&mut self, layer: Layer, call: Call) -> String {
        self.design.insert_layer(self.at, layer, Some(call));
        let name = layer_names(&self.design.layers)
            .into_iter()
            .nth(self.at)
            .unwrap_or_default();
        self.at += 1;
        name
    }

    /// Inserts `layer` called on one tensor.
    fn on(&mut self, layer: Layer, input: &str) -> String {
        self.add(layer, Call::on(&[input]))
    }

    /// `Add()([a, b])`.
    fn add_of(&mut self, a: &str, b: &str) -> String {
        self.add(Layer::Add(Add::default()), Call::on(&[a, b]))
    }

    /// `Dropout(rate)` on `x` when the rate is above 0; otherwise `x` itself.
    fn dropout(&mut self, x: &str, rate: f64) -> String {
        if rate > 0.0 {
            let layer = Layer::Dropout(Dropout {
                rate,
                ..Dropout::default()
            });
            self.on(layer, x)
        } else {
            x.to_string()
        }
    }

    /// `LayerNormalization()` on `x`.
    fn norm(&mut self, x: &str) -> String {
        self.on(Layer::LayerNormalization(LayerNormalization::default()), x)
    }

    /// `MultiHeadAttention(heads, key_dim)(query, value)`, causal when asked.
    fn attention(&mut self, query: &str, value: &str, sizes: &Sizes, causal: bool) -> String {
        let layer = Layer::MultiHeadAttention(MultiHeadAttention {
            num_heads: sizes.heads,
            key_dim: sizes.key_dim,
            ..MultiHeadAttention::default()
        });
        let call = Call {
            options: CallOptions {
                use_causal_mask: causal,
                ..CallOptions::default()
            },
            ..Call::on(&[query, value])
        };
        self.add(layer, call)
    }

    /// Dense(ff, relu) → Dense(width) → [Dropout] → Add(x, ·) → LayerNormalization.
    fn feed_forward(&mut self, x: &str, sizes: &Sizes) -> String {
        let h = self.on(dense(sizes.ff, "relu"), x);
        let h = self.on(dense(sizes.width, "linear"), &h);
        let h = self.dropout(&h, sizes.dropout);
        let sum = self.add_of(x, &h);
        self.norm(&sum)
    }
}

/// `Dense(units, activation)`.
fn dense(units: u64, activation: &str) -> Layer {
    Layer::Dense(Dense {
        units,
        activation: activation.into(),
        ..Dense::default()
    })
}

/// A convolution of the tensor's rank (Conv1D on sequences, Conv2D on images) with "same"
/// padding, so every branch keeps the input's length and can be added or concatenated.
fn conv(rank: usize, filters: u64, kernel: u64, activation: &str) -> Layer {
    if rank >= 3 {
        Layer::Conv2D(Conv2D {
            filters,
            kernel_size: [kernel, kernel],
            padding: Padding::Same,
            activation: activation.into(),
            ..Conv2D::default()
        })
    } else {
        Layer::Conv1D(Conv1D {
            filters,
            kernel_size: kernel,
            padding: Padding::Same,
            activation: activation.into(),
            ..Conv1D::default()
        })
    }
}

/// A 3-wide max pooling with stride 1 and "same" padding, of the tensor's rank.
fn pool(rank: usize) -> Layer {
    if rank >= 3 {
        Layer::MaxPooling2D(MaxPooling2D {
            pool_size: [3, 3],
            strides: Some([1, 1]),
            padding: Padding::Same,
            ..MaxPooling2D::default()
        })
    } else {
        Layer::MaxPooling1D(MaxPooling1D {
            pool_size: 3,
            strides: Some(1),
            padding: Padding::Same,
            ..MaxPooling1D::default()
        })
    }
}

impl Design {
    /// Inserts `block` at position `at`, starting from `start`, and returns the position of
    /// its last layer. The layer that read the start tensor by default at `at` now reads the
    /// block's output; a block appended last becomes the model's output.
    pub fn insert_block(&mut self, at: usize, block: Block, sizes: &Sizes, start: &Start) -> usize {
        let at = at.min(self.layers.len());
        let follower = at < self.layers.len()
            && self.graph.wiring.get(&at).is_none_or(Call::takes_previous)
            && self.previous_ref(at) == start.reference;
        let outputs = self.graph.outputs.clone();
        let mut b = Builder { design: self, at };
        build(&mut b, block, sizes, start);
        let end = b.at;
        if follower {
            self.graph.wiring.remove(&end);
        }
        // Appending a call names the layer before it as an output; the block's last layer is
        // the output instead, as the last call of a design whose outputs are unnamed.
        self.graph.outputs = outputs;
        end.saturating_sub(1).max(at)
    }

    /// The tensor a block inserted at `at` starts from: what a layer there would read by
    /// default, with its shape; `None` when that tensor does not build.
    pub fn block_start(&self, at: usize) -> Option<Start> {
        let reference = self.previous_ref(at.min(self.layers.len()));
        let shape = self.tensor_shape(&reference)?;
        Some(Start { reference, shape })
    }

    /// The shape of the tensor a reference names, as the summary builds it.
    pub fn tensor_shape(&self, reference: &str) -> Option<Shape> {
        let r = TensorRef::parse(reference).ok()?;
        let inputs = self.input_names();
        if let Some(i) = inputs.iter().position(|n| n == r.name) {
            return match i.checked_sub(1) {
                None => Some(self.input.shape.clone()),
                Some(i) => self.graph.inputs.get(i).map(|n| n.shape.clone()),
            };
        }
        let summary = Summary::of(self, Convention::Keras);
        let row = summary
            .rows
            .iter()
            .find(|row| matches!(row.source, Source::Layer(_)) && row.name.as_str() == r.name)?;
        let output = match r.call {
            0 => &row.output,
            k => summary.per_call(row).get(k)?,
        };
        match (output, r.index) {
            (Output::One(s), None | Some(0)) => Some(s.clone()),
            (Output::Many(many), Some(i)) => many.get(i).cloned(),
            (Output::Many(many), None) => many.first().cloned(),
            (Output::One(_), Some(_)) => None,
        }
    }

    /// The tensor a decoder block inserted at `at` attends to unless told otherwise: the
    /// output of the last LayerNormalization before it (where an encoder block ends).
    pub fn encoder_output(&self, at: usize) -> Option<String> {
        let names = layer_names(&self.layers);
        (0..at.min(self.layers.len()))
            .rev()
            .find(|&i| self.layers[i].kind().class() == "LayerNormalization")
            .and_then(|i| names.get(i).cloned())
    }
}

/// Inserts the block's layers.
fn build(b: &mut Builder<'_>, block: Block, sizes: &Sizes, start: &Start) {
    let x = start.reference.as_str();
    let in_width = start.shape.last().flatten();
    // Axes without the batch: 2 for sequences (Conv1D), 3 for images (Conv2D).
    let rank = start.shape.0.len();
    match block {
        Block::ResidualDense | Block::ResidualConv => {
            let make = |w: u64, k: u64, act: &str| match block {
                Block::ResidualDense => dense(w, act),
                _ => conv(rank, w, k, act),
            };
            let h = b.on(make(sizes.width, 3, "relu"), x);
            let h = b.on(make(sizes.width, 3, "linear"), &h);
            let skip = if in_width == Some(sizes.width) {
                x.to_string()
            } else {
                b.on(make(sizes.width, 1, "linear"), x)
            };
            b.add_of(&skip, &h);
        }
        Block::Encoder | Block::Decoder => {
            let x = if in_width == Some(sizes.width) {
                x.to_string()
            } else {
                b.on(dense(sizes.width, "linear"), x)
            };
            let causal = block == Block::Decoder;
            let a = b.attention(&x, &x, sizes, causal);
            let a = b.dropout(&a, sizes.dropout);
            let sum = b.add_of(&x, &a);
            let mut x = b.norm(&sum);
            if causal {
                let c = b.attention(&x, &sizes.memory, sizes, false);
                let c = b.dropout(&c, sizes.dropout);
                let sum = b.add_of(&x, &c);
                x = b.norm(&sum);
            }
            b.feed_forward(&x, sizes);
        }
        Block::Seq2SeqLstm | Block::Seq2SeqGru => seq2seq(b, block, sizes, start),
        Block::Inception => {
            let f = sizes.width;
            let one = b.on(conv(rank, f, 1, "relu"), x);
            let r3 = b.on(conv(rank, f, 1, "relu"), x);
            let three = b.on(conv(rank, f, 3, "relu"), &r3);
            let r5 = b.on(conv(rank, f, 1, "relu"), x);
            let five = b.on(conv(rank, f, 5, "relu"), &r5);
            let p = b.on(pool(rank), x);
            let pooled = b.on(conv(rank, f, 1, "relu"), &p);
            let all = [one, three, five, pooled];
            let refs: Vec<&str> = all.iter().map(String::as_str).collect();
            b.add(Layer::Concatenate(Concatenate::default()), Call::on(&refs));
        }
    }
}

/// The encoder reads the start tensor and returns its final states; the decoder reads a new
/// input of the same shape, starting from those states, and a Dense reads every step.
fn seq2seq(b: &mut Builder<'_>, block: Block, sizes: &Sizes, start: &Start) {
    let lstm = block == Block::Seq2SeqLstm;
    let recurrent = |return_sequences: bool, return_state: bool| {
        if lstm {
            Layer::Lstm(Lstm {
                units: sizes.width,
                return_sequences,
                return_state,
                ..Lstm::default()
            })
        } else {
            Layer::Gru(Gru {
                units: sizes.width,
                return_sequences,
                return_state,
                ..Gru::default()
            })
        }
    };
    let encoder = b.on(recurrent(false, true), &start.reference);
    let decoder_input = b.design.add_input(NamedInput {
        name: None,
        shape: start.shape.clone(),
        dtype: Dtype::Float32,
    });
    let states: Vec<String> = (1..=if lstm { 2 } else { 1 })
        .map(|i| format!("{encoder}[{i}]"))
        .collect();
    let mut call = Call::on(&[&decoder_input]);
    call.keywords.insert("initial_state".into(), states);
    let decoded = b.add(recurrent(true, false), call);
    b.on(dense(sizes.out, "softmax"), &decoded);
}
