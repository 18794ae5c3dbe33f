//! The layer catalogue: one file per family. Each kind keeps its fields, output shape, weights
//! (per convention), formula steps and Keras facts together in its family file, so adding a
//! kind touches that file and one line of the `kinds!` list below, which writes [`Layer`].

/// The accessors every kind with `name` and `trainable` fields shares.
macro_rules! name_and_trainable {
    () => {
        fn name(&self) -> Option<&str> {
            self.name.as_deref()
        }
        fn set_name(&mut self, name: Option<String>) {
            self.name = name;
        }
        fn trainable(&self) -> bool {
            self.trainable
        }
    };
}

// First, so the family files below can use its `weightless!`.
#[macro_use]
mod weightless;

mod activation;
mod adaptive;
mod attention;
// Before the other augmentation families, which use its macros.
#[macro_use]
mod augment;
mod augment_pixels;
mod augment_policy;
mod augment_warp;
mod cells;
mod conv;
mod conv_depthwise;
mod conv_transpose;
mod dense;
mod dropout;
mod einsum;
mod embedding;
mod encoding;
mod image_size;
mod merge;
mod merge_agree;
mod noise;
mod norm;
mod padding;
mod passthrough;
mod pooling;
mod recurrent;
mod reshape;
mod resize;
mod spectrogram;
mod standardize;
mod wrappers;

pub use activation::{ACTIVATIONS, Activation, Elu, LeakyRelu, Prelu, Relu, Softmax};
pub use adaptive::{
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D,
};
pub use attention::{
    AdditiveAttention, Attention, GroupQueryAttention, MultiHeadAttention, ScoreMode, TorchTwin,
};
pub use augment::{
    CutMix, Factor, FillMode, FlipMode, MixUp, RandomBrightness, RandomColorDegeneration,
    RandomContrast, RandomFlip, RandomGrayscale, RandomHue, RandomInvert, RandomPosterization,
    RandomRotation, RandomSaturation, RandomSharpness, RandomTranslation, RandomZoom, Whole,
};
pub use augment_pixels::{
    AutoContrast, RandomColorJitter, RandomErasing, RandomGaussianBlur, Solarization,
};
pub use augment_policy::{AugMix, RandAugment};
pub use augment_warp::{RandomElasticTransform, RandomPerspective, RandomShear};
pub use cells::{CellLayer, CellOf, Rnn, RnnCell};
pub use conv::{Conv1D, Conv2D, Conv3D, ConvLstm1D, ConvLstm2D, ConvLstm3D};
pub use conv_depthwise::{DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D};
pub use conv_transpose::{Conv1DTranspose, Conv2DTranspose, Conv3DTranspose};
pub use dense::Dense;
pub use dropout::{Dropout, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D};
pub use einsum::{Einsum, EinsumDense};
pub use embedding::{Embedding, ReversibleEmbedding};
pub use encoding::{BinOutput, CategoryEncoding, Discretization, OutputMode};
pub use image_size::{CenterCrop, RandomCrop, Resizing};
pub use merge::{Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract};
pub use noise::{ActivityRegularization, AlphaDropout, GaussianDropout, GaussianNoise};
pub use norm::{
    BatchNormalization, GroupNormalization, LayerNormalization, RmsNormalization, UnitNormalization,
};
pub use padding::{
    Cropping1D, Cropping2D, Cropping3D, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D,
};
pub use passthrough::{Identity, Masking, Rescaling};
pub use pooling::{
    AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, MaxPooling2D,
};
pub use pooling::{
    AveragePooling2D, AveragePooling3D, GlobalAveragePooling2D, GlobalAveragePooling3D,
    GlobalMaxPooling2D, GlobalMaxPooling3D, MaxPooling3D,
};
pub use recurrent::{Gru, Lstm, SimpleRnn};
pub use reshape::{Flatten, Permute, RepeatVector, Reshape};
pub use resize::{Interpolation, UpSampling1D, UpSampling2D, UpSampling3D};
pub use spectrogram::{MelSpectrogram, Scaling, StftMode, StftSpectrogram, Window};
pub use standardize::{Normalization, Stat};
pub use wrappers::{Bidirectional, MergeMode, SpectralNormalization, TimeDistributed};

use serde::{Deserialize, Serialize};

use crate::model::compute::Tally;
use crate::model::error::LayerError;
use crate::model::explain::Explanation;
use crate::model::shape::{Dim, Dims, Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, Weights, sum_weights};

/// What every layer kind answers. Object safe, so [`Layer::kind`] can hand out one `&dyn`.
pub trait Kind: Catalogued {
    /// The base of Keras' automatic names, e.g. `lstm` (then `lstm_1`, `lstm_2`, ...).
    fn auto_name(&self) -> &'static str;
    /// The output shape for this input, or why Keras would refuse to build it.
    fn output(&self, input: &Shape) -> Result<Output, LayerError>;
    /// Reports every weight tensor, in the convention's order and spelling. Call only after
    /// [`Kind::output`] succeeded for the same input.
    fn weights(&self, input: &Shape, convention: Convention, sink: Sink) -> Result<(), LayerError>;
    /// The parameter count told step by step, with notes.
    fn explain(&self, input: &Shape, convention: Convention) -> Result<Explanation, LayerError>;
    /// Multiply-accumulates per sample for this input and output (see
    /// [`MACS_CONVENTION`](crate::model::compute::MACS_CONVENTION): weight products only; bias
    /// adds and element-wise gate operations are not counted; recurrent layers × timesteps).
    /// Every step goes to `tally`, which builds its words only when explaining. Call only after
    /// [`Kind::output`] succeeded for the same input.
    fn macs(&self, input: &Shape, output: &Output, tally: &mut Tally) -> Result<u64, LayerError>;
    /// One line with the key fields, as the layer list shows it: `LSTM 64 seq`.
    fn brief(&self) -> String;
    /// The size `+`/`-` nudge and the solver searches over, if the kind has one.
    fn knob(&self) -> Option<Knob>;
    /// Sets the knob's value (clamped to what the kind accepts).
    fn set_knob(&mut self, value: KnobValue);
    /// The user-given name, if any (Keras' `name=`).
    fn name(&self) -> Option<&str>;
    /// Gives the layer a name of its own, or `None` to take Keras' automatic one.
    fn set_name(&mut self, name: Option<String>);
    /// Keras' `trainable`: false freezes every weight.
    fn trainable(&self) -> bool;
    /// The wrapped layer, for wrappers (it takes an automatic name of its own, as in Keras).
    fn inner(&self) -> Option<&Layer> {
        None
    }
    /// The wrapped layer, to change it.
    fn inner_mut(&mut self) -> Option<&mut Layer> {
        None
    }
    /// Keras' `go_backwards` for a recurrent kind, the kinds `Bidirectional` wraps; `None` for
    /// every other kind.
    fn go_backwards(&self) -> Option<bool> {
        None
    }
    /// True for a recurrent layer that outputs only its last timestep: the usual fix when the
    /// next layer needs a sequence is to set `return_sequences=True` here.
    fn drops_time_axis(&self) -> bool {
        false
    }
    /// Whether `trainable=False` given to this kind's constructor freezes it in Keras. Keras
    /// 3.15.1 ignores it on layers whose weights live in sub-layers built later (wrappers,
    /// ConvLSTM): `summary()` counts them as trainable and `fit()` changes them.
    fn constructor_freezes(&self) -> bool {
        true
    }
    /// True when Keras treats every weight of this layer as non-trainable: `trainable=False`
    /// on a kind whose constructor honours it.
    fn frozen(&self) -> bool {
        !self.trainable() && self.constructor_freezes()
    }
    /// Whether the layer takes a list of tensors and applies itself to each (Keras' Dropout,
    /// Activation, ReLU, LeakyReLU, ELU, Softmax and most image augmentations do; the merges
    /// take a list as their inputs, and every other layer refuses one).
    fn maps_over_lists(&self) -> bool {
        false
    }
    /// The kind's answers for a call on several tensors, for kinds that take them (merges,
    /// attention); `None` for kinds called on one tensor.
    fn multi(&self) -> Option<&dyn MultiInput> {
        None
    }
    /// Automatic names the layer's own sub-layers take when it is first called, so later
    /// layers of those kinds are numbered after them (MultiHeadAttention creates a `softmax`
    /// and a `dropout`, so a Dropout made after it is `dropout_1`).
    fn sublayer_names(&self) -> &'static [&'static str] {
        &[]
    }
    /// The class as Keras' `summary()` prints it: the Python class's name, which differs from
    /// the registered name [`Catalogued::class`] for GroupQueryAttention (printed
    /// `GroupedQueryAttention`).
    fn summary_class(&self) -> &'static str {
        self.class()
    }
    /// What Keras' automatic naming reads of the layer, in one call: naming is a large share
    /// of a summary row, and four calls through the vtable cost more than the answers.
    fn naming(&self) -> Naming<'_> {
        Naming {
            given: self.name(),
            base: self.auto_name(),
            inner: self.inner(),
            sublayers: self.sublayer_names(),
        }
    }
}

/// What Keras' automatic naming reads of a layer: [`Kind::naming`].
pub struct Naming<'a> {
    /// [`Kind::name`].
    pub given: Option<&'a str>,
    /// [`Kind::auto_name`].
    pub base: &'static str,
    /// [`Kind::inner`].
    pub inner: Option<&'a Layer>,
    /// [`Kind::sublayer_names`].
    pub sublayers: &'static [&'static str],
}

/// What a kind called on several tensors answers (merges take a list, attention takes query,
/// value and key). [`Kind::output`] of such a kind is Keras' refusal of a single tensor.
pub trait MultiInput {
    /// The keyword names of the call's tensor slots in positional order (`query`, `value`,
    /// `key` for MultiHeadAttention); empty for a kind that takes one list (merges).
    fn slots(&self) -> &'static [&'static str];
    /// The least and the most tensors a call takes (`None`: no upper limit).
    fn arity(&self) -> (usize, Option<usize>);
    /// The output for these tensors (in slot or list order), or why Keras refuses them.
    fn output(&self, inputs: &[Shape], options: CallOptions) -> Result<Output, LayerError>;
    /// Reports every weight tensor, in the convention's order and spelling. Call only after
    /// [`MultiInput::output`] succeeded for the same inputs.
    fn weights(
        &self,
        inputs: &[Shape],
        convention: Convention,
        sink: Sink,
    ) -> Result<(), LayerError>;
    /// The parameter count told step by step, with notes.
    fn explain(&self, inputs: &[Shape], convention: Convention) -> Result<Explanation, LayerError>;
    /// Multiply-accumulates per sample, as [`Kind::macs`] counts them, including attention's
    /// score and weighted-sum products.
    fn macs(&self, inputs: &[Shape], output: &Output, tally: &mut Tally)
    -> Result<u64, LayerError>;
}

/// Keyword options of one call that change what it returns (Keras' `call(..., option=...)`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallOptions {
    /// Attention also returns its scores, as a second output.
    #[serde(default)]
    pub return_attention_scores: bool,
    /// Attention masks future positions; shapes and counts do not change.
    #[serde(default)]
    pub use_causal_mask: bool,
}

/// The main size of a layer kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knob {
    /// Keras field name: `units`, `filters`, `rate`, `output_dim`, ...
    pub field: &'static str,
    /// Its current value.
    pub value: KnobValue,
}

/// A knob's value: a whole count or a rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KnobValue {
    /// Units, filters, dimensions: whole numbers from 1.
    Count(u64),
    /// Dropout rates: 0 to 1, nudged in steps of 0.05.
    Rate(f64),
}

/// Writes, from one list of kinds, everything that names every kind: the [`Layer`] enum (each
/// variant's serde name is its Keras class), [`Catalogued`] (whose `class()` is that same
/// literal), the `each_kind!` dispatch, [`KINDS`] and [`Layer::catalogue`]. A kind without its
/// [`Keras`] facts, or without a trait some dispatch needs, does not compile.
macro_rules! kinds {
    ($d:tt $($(#[$doc:meta])* $variant:ident($ty:ident) = $class:literal;)+) => {
        /// One layer of a design, named and spelled as Keras 3 names its classes.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub enum Layer {
            $($(#[$doc])* #[serde(rename = $class)] $variant($ty),)+
        }

        /// Expands to a `match` that binds the kind behind every variant, so code outside the
        /// model (the PyTorch writer) can dispatch to a trait every kind must implement.
        macro_rules! each_kind {
            ($d layer:expr, $d l:ident => $d body:expr) => {
                match $d layer {
                    $(Layer::$variant($d l) => $d body,)+
                }
            };
        }

        $(impl Catalogued for $ty {
            fn class(&self) -> &'static str {
                $class
            }
            fn keras(&self) -> &'static KerasFacts {
                &<$ty as Keras>::FACTS
            }
        })+

        /// Every kind's Keras class and facts, in the catalogue's order.
        pub const KINDS: &[KindEntry] = &[$(KindEntry { class: $class, keras: &<$ty as Keras>::FACTS },)+];

        impl Layer {
            /// One default layer of every kind, in the order the add-layer picker lists them.
            pub fn catalogue() -> Vec<Layer> {
                vec![$(Layer::$variant($ty::default()),)+]
            }
        }
    };
}

kinds! { $
    /// Fully connected: `units` outputs from the last axis.
    Dense(Dense) = "Dense";
    /// A dense layer written as an einsum equation: any kernel shape.
    EinsumDense(EinsumDense) = "EinsumDense";
    /// Long short-term memory: 4 gates.
    Lstm(Lstm) = "LSTM";
    /// Gated recurrent unit: 3 gates.
    Gru(Gru) = "GRU";
    /// Plain recurrent layer: one gate.
    SimpleRnn(SimpleRnn) = "SimpleRNN";
    /// Loops a recurrent cell (or a stack of cells) over the timesteps.
    Rnn(Rnn) = "RNN";
    /// Zeroes a fraction of inputs while training; no weights.
    Dropout(Dropout) = "Dropout";
    /// Drops whole feature channels of a sequence; no weights.
    SpatialDropout1D(SpatialDropout1D) = "SpatialDropout1D";
    /// Drops whole feature maps of an image; no weights.
    SpatialDropout2D(SpatialDropout2D) = "SpatialDropout2D";
    /// Drops whole feature volumes; no weights.
    SpatialDropout3D(SpatialDropout3D) = "SpatialDropout3D";
    /// Adds Gaussian noise while training; no weights.
    GaussianNoise(GaussianNoise) = "GaussianNoise";
    /// Multiplies by Gaussian noise of mean 1 while training; no weights.
    GaussianDropout(GaussianDropout) = "GaussianDropout";
    /// Dropout that keeps SELU's mean and variance; no weights.
    AlphaDropout(AlphaDropout) = "AlphaDropout";
    /// Adds an L1/L2 penalty on its input to the loss; no weights.
    ActivityRegularization(ActivityRegularization) = "ActivityRegularization";
    /// Applies a function element-wise; no weights.
    Activation(Activation) = "Activation";
    /// max(x, 0), optionally capped, thresholded or leaky; no weights.
    Relu(Relu) = "ReLU";
    /// A fixed small slope below 0; no weights.
    LeakyRelu(LeakyRelu) = "LeakyReLU";
    /// Learned slopes below 0, one per position unless axes share one.
    Prelu(Prelu) = "PReLU";
    /// Exponential linear unit; no weights.
    Elu(Elu) = "ELU";
    /// Probabilities along one or more axes; no weights.
    Softmax(Softmax) = "Softmax";
    /// Runs a recurrent layer forwards and backwards and merges the two outputs.
    Bidirectional(Bidirectional) = "Bidirectional";
    /// Applies one layer to every timestep with shared weights.
    TimeDistributed(TimeDistributed) = "TimeDistributed";
    /// Rescales the wrapped layer's kernel by its largest singular value.
    SpectralNormalization(SpectralNormalization) = "SpectralNormalization";
    /// 1-D convolution over a sequence.
    Conv1D(Conv1D) = "Conv1D";
    /// 2-D convolution over an image.
    Conv2D(Conv2D) = "Conv2D";
    /// LSTM whose gates are 1-D convolutions.
    ConvLstm1D(ConvLstm1D) = "ConvLSTM1D";
    /// LSTM whose gates are 2-D convolutions.
    ConvLstm2D(ConvLstm2D) = "ConvLSTM2D";
    /// 3-D convolution over a volume or video.
    Conv3D(Conv3D) = "Conv3D";
    /// Transposed 1-D convolution: upsamples a sequence.
    Conv1DTranspose(Conv1DTranspose) = "Conv1DTranspose";
    /// Transposed 2-D convolution: upsamples an image.
    Conv2DTranspose(Conv2DTranspose) = "Conv2DTranspose";
    /// Transposed 3-D convolution: upsamples a volume.
    Conv3DTranspose(Conv3DTranspose) = "Conv3DTranspose";
    /// Filters each channel of a sequence on its own.
    DepthwiseConv1D(DepthwiseConv1D) = "DepthwiseConv1D";
    /// Filters each channel of an image on its own.
    DepthwiseConv2D(DepthwiseConv2D) = "DepthwiseConv2D";
    /// Depthwise 1-D convolution, then a pointwise one that mixes channels.
    SeparableConv1D(SeparableConv1D) = "SeparableConv1D";
    /// Depthwise 2-D convolution, then a pointwise one that mixes channels.
    SeparableConv2D(SeparableConv2D) = "SeparableConv2D";
    /// LSTM whose gates are 3-D convolutions.
    ConvLstm3D(ConvLstm3D) = "ConvLSTM3D";
    /// Maximum over sliding windows of a sequence; no weights.
    MaxPooling1D(MaxPooling1D) = "MaxPooling1D";
    /// Maximum over sliding windows of an image; no weights.
    MaxPooling2D(MaxPooling2D) = "MaxPooling2D";
    /// Mean over sliding windows of a sequence; no weights.
    AveragePooling1D(AveragePooling1D) = "AveragePooling1D";
    /// Maximum over the whole time axis; no weights.
    GlobalMaxPooling1D(GlobalMaxPooling1D) = "GlobalMaxPooling1D";
    /// Mean over the whole time axis; no weights.
    GlobalAveragePooling1D(GlobalAveragePooling1D) = "GlobalAveragePooling1D";
    /// Maximum over sliding windows of a volume; no weights.
    MaxPooling3D(MaxPooling3D) = "MaxPooling3D";
    /// Mean over sliding windows of an image; no weights.
    AveragePooling2D(AveragePooling2D) = "AveragePooling2D";
    /// Mean over sliding windows of a volume; no weights.
    AveragePooling3D(AveragePooling3D) = "AveragePooling3D";
    /// Maximum over the whole height and width; no weights.
    GlobalMaxPooling2D(GlobalMaxPooling2D) = "GlobalMaxPooling2D";
    /// Mean over the whole height and width; no weights.
    GlobalAveragePooling2D(GlobalAveragePooling2D) = "GlobalAveragePooling2D";
    /// Maximum over the whole volume; no weights.
    GlobalMaxPooling3D(GlobalMaxPooling3D) = "GlobalMaxPooling3D";
    /// Mean over the whole volume; no weights.
    GlobalAveragePooling3D(GlobalAveragePooling3D) = "GlobalAveragePooling3D";
    /// Mean over windows sized to give a chosen sequence length; no weights.
    AdaptiveAveragePooling1D(AdaptiveAveragePooling1D) = "AdaptiveAveragePooling1D";
    /// Mean over windows sized to give a chosen image size; no weights.
    AdaptiveAveragePooling2D(AdaptiveAveragePooling2D) = "AdaptiveAveragePooling2D";
    /// Mean over windows sized to give a chosen volume size; no weights.
    AdaptiveAveragePooling3D(AdaptiveAveragePooling3D) = "AdaptiveAveragePooling3D";
    /// Maximum over windows sized to give a chosen sequence length; no weights.
    AdaptiveMaxPooling1D(AdaptiveMaxPooling1D) = "AdaptiveMaxPooling1D";
    /// Maximum over windows sized to give a chosen image size; no weights.
    AdaptiveMaxPooling2D(AdaptiveMaxPooling2D) = "AdaptiveMaxPooling2D";
    /// Maximum over windows sized to give a chosen volume size; no weights.
    AdaptiveMaxPooling3D(AdaptiveMaxPooling3D) = "AdaptiveMaxPooling3D";
    /// Repeats each timestep; no weights.
    UpSampling1D(UpSampling1D) = "UpSampling1D";
    /// Repeats (or interpolates) each row and column of an image; no weights.
    UpSampling2D(UpSampling2D) = "UpSampling2D";
    /// Repeats each position of a volume; no weights.
    UpSampling3D(UpSampling3D) = "UpSampling3D";
    /// Zeros before and after the timesteps; no weights.
    ZeroPadding1D(ZeroPadding1D) = "ZeroPadding1D";
    /// Zeros around an image; no weights.
    ZeroPadding2D(ZeroPadding2D) = "ZeroPadding2D";
    /// Zeros around a volume; no weights.
    ZeroPadding3D(ZeroPadding3D) = "ZeroPadding3D";
    /// Cuts timesteps from both ends of a sequence; no weights.
    Cropping1D(Cropping1D) = "Cropping1D";
    /// Cuts rows and columns from an image's edges; no weights.
    Cropping2D(Cropping2D) = "Cropping2D";
    /// Cuts planes from a volume's faces; no weights.
    Cropping3D(Cropping3D) = "Cropping3D";
    /// Normalises each feature with batch statistics; keeps moving averages.
    BatchNormalization(BatchNormalization) = "BatchNormalization";
    /// Normalises each sample over its features.
    LayerNormalization(LayerNormalization) = "LayerNormalization";
    /// Normalises each sample per group of channels.
    GroupNormalization(GroupNormalization) = "GroupNormalization";
    /// Divides each sample by its root mean square, then scales.
    RmsNormalization(RmsNormalization) = "RMSNormalization";
    /// Scales each sample to unit L2 norm; no weights.
    UnitNormalization(UnitNormalization) = "UnitNormalization";
    /// Standardises features with a given or adapted mean and variance.
    Normalization(Normalization) = "Normalization";
    /// Looks up a learned vector for each integer token.
    Embedding(Embedding) = "Embedding";
    /// An Embedding that can also project vectors back to token logits.
    ReversibleEmbedding(ReversibleEmbedding) = "ReversibleEmbedding";
    /// Integer categories as one-hot, multi-hot or count vectors; no weights.
    CategoryEncoding(CategoryEncoding) = "CategoryEncoding";
    /// Puts each value in a bin between given (or adapted) boundaries; no weights.
    Discretization(Discretization) = "Discretization";
    /// Attention with learned query, key, value and output projections, split into heads.
    MultiHeadAttention(MultiHeadAttention) = "MultiHeadAttention";
    /// Multi-head attention whose query heads share fewer key and value heads.
    GroupQueryAttention(GroupQueryAttention) = "GroupQueryAttention";
    /// Dot-product attention of a query over a value, no projections.
    Attention(Attention) = "Attention";
    /// Additive (Bahdanau) attention of a query over a value, no projections.
    AdditiveAttention(AdditiveAttention) = "AdditiveAttention";
    /// Collapses every axis but the batch into one; no weights.
    Flatten(Flatten) = "Flatten";
    /// Repeats a vector `n` times into a sequence; no weights.
    RepeatVector(RepeatVector) = "RepeatVector";
    /// Changes the shape, keeping the element count; no weights.
    Reshape(Reshape) = "Reshape";
    /// Reorders the axes after the batch; no weights.
    Permute(Permute) = "Permute";
    /// Marks padded timesteps for the layers after it; no weights.
    Masking(Masking) = "Masking";
    /// Returns its input; no weights.
    Identity(Identity) = "Identity";
    /// x × scale + offset with fixed numbers; no weights.
    Rescaling(Rescaling) = "Rescaling";
    /// Mirrors images at random while training; no weights.
    RandomFlip(RandomFlip) = "RandomFlip";
    /// Turns images by a random angle while training; no weights.
    RandomRotation(RandomRotation) = "RandomRotation";
    /// Zooms images in or out at random while training; no weights.
    RandomZoom(RandomZoom) = "RandomZoom";
    /// Shifts images at random while training; no weights.
    RandomTranslation(RandomTranslation) = "RandomTranslation";
    /// Changes images' contrast at random while training; no weights.
    RandomContrast(RandomContrast) = "RandomContrast";
    /// Changes images' brightness at random while training; no weights.
    RandomBrightness(RandomBrightness) = "RandomBrightness";
    /// Turns images' hue at random while training; no weights.
    RandomHue(RandomHue) = "RandomHue";
    /// Changes images' saturation at random while training; no weights.
    RandomSaturation(RandomSaturation) = "RandomSaturation";
    /// Blurs or sharpens images at random while training; no weights.
    RandomSharpness(RandomSharpness) = "RandomSharpness";
    /// Inverts images' colours at random while training; no weights.
    RandomInvert(RandomInvert) = "RandomInvert";
    /// Keeps fewer bits of each colour at random while training; no weights.
    RandomPosterization(RandomPosterization) = "RandomPosterization";
    /// Dulls RGB images' colours at random while training; no weights.
    RandomColorDegeneration(RandomColorDegeneration) = "RandomColorDegeneration";
    /// Turns images grey at random while training; no weights.
    RandomGrayscale(RandomGrayscale) = "RandomGrayscale";
    /// Blends pairs of images (and labels) while training; no weights.
    MixUp(MixUp) = "MixUp";
    /// Pastes patches between images (and mixes labels) while training; no weights.
    CutMix(CutMix) = "CutMix";
    /// Slants images at random while training; no weights.
    RandomShear(RandomShear) = "RandomShear";
    /// Warps images' perspective at random while training; no weights.
    RandomPerspective(RandomPerspective) = "RandomPerspective";
    /// Bends images by a smooth random field while training; no weights.
    RandomElasticTransform(RandomElasticTransform) = "RandomElasticTransform";
    /// Blanks a random rectangle of images while training; no weights.
    RandomErasing(RandomErasing) = "RandomErasing";
    /// Blurs images at random while training; no weights.
    RandomGaussianBlur(RandomGaussianBlur) = "RandomGaussianBlur";
    /// Inverts bright pixels at random while training; no weights.
    Solarization(Solarization) = "Solarization";
    /// Changes brightness, contrast, saturation and hue at random while training; no weights.
    RandomColorJitter(RandomColorJitter) = "RandomColorJitter";
    /// Stretches each image's channels over the value range; no weights.
    AutoContrast(AutoContrast) = "AutoContrast";
    /// Applies a few random augmentations to each image while training; no weights.
    RandAugment(RandAugment) = "RandAugment";
    /// Blends images with chains of random augmentations while training; no weights.
    AugMix(AugMix) = "AugMix";
    /// Scales images to a fixed height and width; no weights.
    Resizing(Resizing) = "Resizing";
    /// Keeps the middle of images at a fixed height and width; no weights.
    CenterCrop(CenterCrop) = "CenterCrop";
    /// Cuts a random window of images while training (the middle at inference); no weights.
    RandomCrop(RandomCrop) = "RandomCrop";
    /// A signal's short-time Fourier transform, by two convolution kernels Keras trains.
    StftSpectrogram(StftSpectrogram) = "STFTSpectrogram";
    /// A signal's mel spectrogram in decibels, as (mel bins, frames); no weights.
    MelSpectrogram(MelSpectrogram) = "MelSpectrogram";
    /// Element-wise sum of several tensors; no weights.
    Add(Add) = "Add";
    /// The first tensor minus the second; no weights.
    Subtract(Subtract) = "Subtract";
    /// Element-wise product of several tensors; no weights.
    Multiply(Multiply) = "Multiply";
    /// Element-wise mean of several tensors; no weights.
    Average(Average) = "Average";
    /// Element-wise maximum of several tensors; no weights.
    Maximum(Maximum) = "Maximum";
    /// Element-wise minimum of several tensors; no weights.
    Minimum(Minimum) = "Minimum";
    /// Joins several tensors along one axis; no weights.
    Concatenate(Concatenate) = "Concatenate";
    /// Sums the products of two tensors along one axis of each; no weights.
    Dot(Dot) = "Dot";
}

pub(crate) use each_kind;

/// What the kinds list says about a kind: written by `kinds!` for every kind, never by hand.
pub trait Catalogued {
    /// The Keras class name, e.g. `LSTM`: also the kind's name in design files.
    fn class(&self) -> &'static str;
    /// How Keras spells, requires and calls the kind.
    fn keras(&self) -> &'static KerasFacts;
}

/// A kind's Keras facts, written next to the kind in its family file.
pub trait Keras {
    /// The facts.
    const FACTS: KerasFacts;
}

/// Adds a brief's activation, as ` relu`, unless it is Keras' default `linear`.
pub(crate) fn push_activation(brief: &mut String, activation: &str) {
    if activation != "linear" {
        brief.push(' ');
        brief.push_str(activation);
    }
}

/// What Keras knows about a kind besides its numbers: the importers and exporters read these
/// instead of keeping tables of class names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KerasFacts {
    /// Other class names Keras 3 or tf.keras 2 write for the kind (`Convolution1D`,
    /// `MaxPool1D`, `CuDNNLSTM`); read as the kind itself.
    pub aliases: &'static [&'static str],
    /// Constructor parameters Keras has no default for: an import without them is refused.
    pub required: &'static [&'static str],
    /// Constructor parameters in Keras 3's positional order: `Dense(64)` is `units=64`.
    pub positional: &'static [&'static str],
    /// How many of `positional` Keras code export writes without their keyword: the required
    /// ones, and a pooling window, which reads best first (`MaxPooling1D(2)`).
    pub leading: usize,
    /// Spatial axes the kind works over (2 for Conv2D), which is also how many sizes its
    /// per-axis fields (`kernel_size`, `strides`, `pool_size`, `dilation_rate`) hold; 0 for
    /// kinds that are not spatial.
    pub rank: usize,
    /// Reads integer token ids: a model that starts with it takes `int32` input.
    pub token_ids: bool,
    /// Keras' constructor accepts `trainable=` (SpatialDropout1D's does not).
    pub trainable_arg: bool,
    /// What its call does with the mask of the tensor it is called on (an
    /// `Embedding(mask_zero=True)`'s), as tests/fixtures/keras_masks records it.
    pub mask: MaskUse,
}

/// What a kind's call does with the mask its input carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskUse {
    /// Neither reads nor keeps it: Keras warns that the layer "destroys the mask".
    Drops,
    /// Keeps it on its output without reading it (Keras' `supports_masking`).
    Passes,
    /// Reads it (its call's `mask` argument) and keeps it on its output; a recurrent kind
    /// keeps it only while it returns sequences.
    TakesAndPasses,
    /// Reads it; its output carries none (GlobalAveragePooling1D).
    Takes,
    /// Makes one from its input's values, whatever that carries: a step is kept where any
    /// feature differs from the mask value (Masking; Keras adds a `NotEqual` and an `Any`).
    Makes,
    /// ORs its inputs' masks when every one carries a mask, else drops them (the element-wise
    /// merges; Keras adds a `LogicalOr` per input after the first).
    Ors,
    /// Joins its inputs' masks as it joins them, all-true for an input without one, when any
    /// carries one (Concatenate; Keras adds `ExpandDims`, `ZerosLike`, `LogicalOr` or
    /// `OnesLike` per input, then a `Concatenate` and an `Any`).
    Joins,
    /// Keeps its query's mask on its output (Attention, AdditiveAttention; Keras adds a
    /// `ConvertToTensor`).
    KeepsQuery,
}

impl MaskUse {
    /// Whether the call takes the mask as its `mask` argument.
    pub fn takes(self) -> bool {
        matches!(self, MaskUse::TakesAndPasses | MaskUse::Takes)
    }

    /// Whether the output carries the input's mask on.
    pub fn passes(self) -> bool {
        matches!(self, MaskUse::Passes | MaskUse::TakesAndPasses)
    }
}

impl KerasFacts {
    /// A kind without aliases, required or positional parameters or spatial axes, for the
    /// family files to start from (`..KerasFacts::PLAIN`).
    pub const PLAIN: KerasFacts = KerasFacts {
        aliases: &[],
        required: &[],
        positional: &[],
        leading: 0,
        rank: 0,
        token_ids: false,
        trainable_arg: true,
        mask: MaskUse::Drops,
    };
}

/// One line of the kinds list: a class and its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindEntry {
    /// The Keras class name.
    pub class: &'static str,
    /// Its facts.
    pub keras: &'static KerasFacts,
}

impl KindEntry {
    /// The kind Keras calls `class` (its own name or an alias), if the catalogue has it.
    pub fn named(class: &str) -> Option<&'static KindEntry> {
        KINDS
            .iter()
            .find(|k| k.class == class || k.keras.aliases.contains(&class))
    }
}

impl Layer {
    /// The kind behind the variant.
    pub fn kind(&self) -> &dyn Kind {
        each_kind!(self, l => l)
    }

    /// The kind behind the variant, to change it.
    pub fn kind_mut(&mut self) -> &mut dyn Kind {
        each_kind!(self, l => l)
    }

    /// True when Keras treats every weight of this layer as non-trainable: `trainable=False`
    /// on a kind whose constructor honours it.
    pub fn frozen(&self) -> bool {
        self.kind().frozen()
    }

    /// Every weight tensor in the convention's order, marked non-trainable when the layer is
    /// frozen: what the detail pane and `explain` list. Call only after [`Kind::output`]
    /// succeeded for the same input.
    pub fn counted_weights(
        &self,
        input: &Shape,
        convention: Convention,
    ) -> Result<Vec<Weight>, LayerError> {
        let mut weights = Vec::new();
        let mut list = |w| weights.push(w);
        let mut sink = Weights::each(&mut list);
        self.kind()
            .weights(input, convention, &mut sink.within(None, self.frozen()))?;
        Ok(weights)
    }

    /// The kind's explanation, plus what `trainable=False` does to the count. The detail pane
    /// and `explain` both render this one derivation.
    pub fn explain(
        &self,
        input: &Shape,
        convention: Convention,
    ) -> Result<Explanation, LayerError> {
        let kind = self.kind();
        let mut e = kind.explain(input, convention)?;
        let has_weights = e.steps.last().is_some_and(|s| s.value > 0);
        if self.frozen() && has_weights {
            e.note("trainable=False freezes this layer: all of its parameters count as non-trainable (they stay in the total, the optimiser leaves them alone).");
        } else if !kind.trainable() && has_weights {
            e.note(format!(
                "Keras ignores trainable=False given to the {} constructor: its weights belong to sub-layers built later, so summary() counts them as trainable and fit() changes them (lstm-tui counts them the same way). To freeze it for real, set the attribute after building: `layer.trainable = False` (or pass trainable=False to the wrapped layer).",
                kind.class()
            ));
        }
        Ok(e)
    }
}

/// Keras' regularizers: they add a penalty to the loss and no parameters. Factors are checked
/// as they are read, from any file or form: Keras refuses NaN, infinite and negative ones.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Factors")]
pub enum Regularizer {
    /// `l1(x)`: x × sum of absolute weights.
    L1(f64),
    /// `l2(x)`: x × sum of squared weights.
    L2(f64),
    /// `l1_l2(l1=a, l2=b)`: both.
    L1L2 {
        /// The L1 factor.
        l1: f64,
        /// The L2 factor.
        l2: f64,
    },
}

/// A regularizer as written, before its factors are checked.
#[derive(Deserialize)]
#[serde(rename = "Regularizer")]
enum Factors {
    /// `L1(x)`.
    L1(f64),
    /// `L2(x)`.
    L2(f64),
    /// `L1L2(l1: a, l2: b)`.
    L1L2 {
        /// The L1 factor.
        l1: f64,
        /// The L2 factor.
        l2: f64,
    },
}

impl TryFrom<Factors> for Regularizer {
    type Error = String;

    fn try_from(f: Factors) -> Result<Self, String> {
        Ok(match f {
            Factors::L1(x) => Regularizer::L1(checked_factor("l1", x)?),
            Factors::L2(x) => Regularizer::L2(checked_factor("l2", x)?),
            Factors::L1L2 { l1, l2 } => Regularizer::L1L2 {
                l1: checked_factor("l1", l1)?,
                l2: checked_factor("l2", l2)?,
            },
        })
    }
}

/// A regularizer factor as Keras accepts it: finite and not negative. The error names the
/// factor and says what to write instead.
pub fn checked_factor(name: &str, x: f64) -> Result<f64, String> {
    if x.is_finite() && x >= 0.0 {
        Ok(x)
    } else {
        Err(format!(
            "the regularizer factor {name} is {x}: Keras takes a finite number ≥ 0, such as 0.01"
        ))
    }
}

impl std::fmt::Display for Regularizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Regularizer::L1(x) => write!(f, "l1({x})"),
            Regularizer::L2(x) => write!(f, "l2({x})"),
            Regularizer::L1L2 { l1, l2 } => write!(f, "l1_l2(l1={l1}, l2={l2})"),
        }
    }
}

/// The note every regularized layer gets.
pub(crate) fn regularizer_notes(e: &mut Explanation, regs: &[(&str, Option<Regularizer>)]) {
    for (field, reg) in regs {
        if let Some(r) = reg {
            e.note(format!(
                "{field}={r} adds a penalty term to the training loss; it adds no parameters and does not change the count."
            ));
        }
    }
}

/// Serde default for `trainable`.
pub(crate) fn yes() -> bool {
    true
}

/// Serde skip test for flags that are off by default.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// Serde skip test for `trainable`.
pub(crate) fn is_true(b: &bool) -> bool {
    *b
}

/// The feature count a layer needs from the last axis, or the error saying it is open.
pub(crate) fn known_last(input: &Shape, who: &str) -> Result<u64, LayerError> {
    match input.last() {
        Some(Some(n)) => Ok(n),
        _ => Err(LayerError::shape(
            format!("a known last dimension (the features {who} reads)"),
            input,
            "give the input a fixed feature size",
        )),
    }
}

/// A count field must be at least 1.
pub(crate) fn positive(field: &'static str, v: u64) -> Result<u64, LayerError> {
    if v == 0 {
        Err(LayerError::field(field, "must be at least 1"))
    } else {
        Ok(v)
    }
}

/// The note that explains Keras' `None`.
pub(crate) const NONE_NOTE: &str = "None in the output shape is the batch size: Keras leaves it open so the same model takes any number of samples at once.";

/// How a convolution or pooling window treats the sequence's edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Padding {
    /// No padding: windows stay inside the input, so the output is shorter.
    #[default]
    Valid,
    /// Zero-padding on both sides: with stride 1 the output keeps the input's length.
    Same,
    /// Zero-padding at the start only (Conv1D): output step t never sees inputs after t.
    Causal,
}

impl Padding {
    /// Keras' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Padding::Valid => "valid",
            Padding::Same => "same",
            Padding::Causal => "causal",
        }
    }
}

/// Where the channel axis sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataFormat {
    /// `(batch, steps..., channels)`: Keras' default.
    #[default]
    ChannelsLast,
    /// `(batch, channels, steps...)`: PyTorch's layout.
    ChannelsFirst,
}

impl DataFormat {
    /// Keras' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DataFormat::ChannelsLast => "channels_last",
            DataFormat::ChannelsFirst => "channels_first",
        }
    }

    /// Splits a shape (without batch) into its spatial dimensions and its channel dimension.
    pub(crate) fn split(self, input: &Shape) -> (&[Dim], Dim) {
        match (self, input.0.split_last(), input.0.split_first()) {
            (DataFormat::ChannelsLast, Some((c, rest)), _) => (rest, *c),
            (DataFormat::ChannelsFirst, _, Some((c, rest))) => (rest, *c),
            _ => (&[], None),
        }
    }

    /// Puts spatial dimensions and channels back together.
    pub(crate) fn join(self, spatial: impl Into<Dims>, channels: Dim) -> Shape {
        let mut dims = spatial.into();
        match self {
            DataFormat::ChannelsLast => dims.push(channels),
            DataFormat::ChannelsFirst => dims.insert(0, channels),
        }
        Shape(dims)
    }
}

/// Total parameter count of a kind in a convention, checked.
pub(crate) fn total_of(
    kind: &dyn Kind,
    input: &Shape,
    convention: Convention,
) -> Result<u64, LayerError> {
    sum_weights(false, |sink| kind.weights(input, convention, sink))?.total()
}

/// Adds the note that tells what the other convention counts, and why it differs (or not).
pub(crate) fn other_convention_note(
    e: &mut Explanation,
    kind: &dyn Kind,
    input: &Shape,
    convention: Convention,
    why: &str,
) {
    let other = convention.other();
    if let Ok(n) = total_of(kind, input, other) {
        e.note(format!(
            "{} counts {}: {why}",
            other.label(),
            crate::model::explain::thousands(n)
        ));
    }
}

/// The size of the axis a normalization layer works on, counting axes as Keras does (0 is
/// the batch, -1 the last).
pub(crate) fn axis_dim(input: &Shape, axis: i64, field: &'static str) -> Result<u64, LayerError> {
    let rank = i64::try_from(input.ndim()).map_err(|_| LayerError::Overflow)?;
    let index = if axis < 0 { rank + axis } else { axis };
    if index <= 0 || index >= rank {
        return Err(LayerError::field(
            field,
            format!(
                "axis {axis} does not name a feature axis of {input} (use -1 for the last axis, or 1..{} counting the batch as 0)",
                rank - 1
            ),
        ));
    }
    match usize::try_from(index - 1).ok().and_then(|i| input.0.get(i)) {
        Some(Some(n)) => Ok(*n),
        _ => Err(LayerError::shape(
            format!("a known size on axis {axis}"),
            input,
            "give the input a fixed size on that axis",
        )),
    }
}

/// The note for layers without weights.
pub(crate) fn no_weights(e: &mut Explanation, class: &str, why: &str) {
    e.step(format!("{class} has no weights"), "0", 0);
    e.note(format!("{why} It learns nothing, so it has 0 parameters."));
    e.note(NONE_NOTE);
}
