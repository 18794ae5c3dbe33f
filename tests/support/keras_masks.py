"""Writes tests/fixtures/keras_masks/: what each layer kind does with the mask of an
`Embedding(mask_zero=True)`, as real Keras records it in a functional model, in the layout of
tests/fixtures/keras_graph/ (see its README).

Each model in KINDS is token ids -> Embedding(mask_zero=True) -> the layer -> a probe that
takes a mask (an LSTM on a sequence, BatchNormalization on anything else). Keras' "Connected
to" column then says both things: the layer lists `not_equal` when its call takes the mask,
and the probe lists it when the layer hands the mask on.

The models in GRAPHS are the layers that compute a mask of their own with operations Keras
lists as rows: `Masking` (`NotEqual`, `Any`), merges of masked tensors (`LogicalOr`),
`Concatenate` (`ExpandDims`, `ZerosLike`, `OnesLike`, `LogicalOr`, `Concatenate`, `Any`) and
`Attention` (`ConvertToTensor`).

Usage: KERAS_BACKEND=jax python keras_masks.py [OUT_DIR]
"""

import json, os, sys, warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras
from keras import layers as L

warnings.filterwarnings("ignore")  # "destroys the mask": the fixtures record that instead
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras_blocks import recorded  # noqa: E402

LSTM = lambda **kw: L.LSTM(8, **kw)

# (name, the layer under test): each is called on the (None, 6, 8) embedding.
KINDS = [
    ("dense", lambda: L.Dense(8)),
    ("einsum_dense", lambda: L.EinsumDense("abc,cd->abd", output_shape=(None, 8))),
    ("lstm_sequences", lambda: LSTM(return_sequences=True)),
    ("lstm_last_step", lambda: LSTM()),
    ("lstm_state", lambda: LSTM(return_sequences=True, return_state=True)),
    ("gru_sequences", lambda: L.GRU(8, return_sequences=True)),
    ("simple_rnn_sequences", lambda: L.SimpleRNN(8, return_sequences=True)),
    ("rnn_cell_sequences", lambda: L.RNN(L.LSTMCell(8), return_sequences=True)),
    ("bidirectional_sequences", lambda: L.Bidirectional(LSTM(return_sequences=True))),
    ("bidirectional_last_step", lambda: L.Bidirectional(LSTM())),
    ("time_distributed", lambda: L.TimeDistributed(L.Dense(8))),
    ("spectral_normalization", lambda: L.SpectralNormalization(L.Dense(8))),
    ("dropout", lambda: L.Dropout(0.1)),
    ("spatial_dropout1d", lambda: L.SpatialDropout1D(0.1)),
    ("gaussian_noise", lambda: L.GaussianNoise(0.1)),
    ("gaussian_dropout", lambda: L.GaussianDropout(0.1)),
    ("alpha_dropout", lambda: L.AlphaDropout(0.1)),
    ("activity_regularization", lambda: L.ActivityRegularization(l1=0.01)),
    ("activation", lambda: L.Activation("tanh")),
    ("relu", lambda: L.ReLU()),
    ("leaky_relu", lambda: L.LeakyReLU()),
    ("prelu", lambda: L.PReLU()),
    ("elu", lambda: L.ELU()),
    ("softmax", lambda: L.Softmax()),
    ("batch_normalization", lambda: L.BatchNormalization()),
    ("layer_normalization", lambda: L.LayerNormalization()),
    ("group_normalization", lambda: L.GroupNormalization(2)),
    ("rms_normalization", lambda: L.RMSNormalization()),
    ("unit_normalization", lambda: L.UnitNormalization()),
    ("identity", lambda: L.Identity()),
    ("rescaling", lambda: L.Rescaling(0.5)),
    ("discretization", lambda: L.Discretization([0.0], output_mode="one_hot")),
    ("random_flip", lambda: L.RandomFlip()),
    ("random_rotation", lambda: L.RandomRotation(0.1)),
    ("random_zoom", lambda: L.RandomZoom(0.1)),
    ("random_translation", lambda: L.RandomTranslation(0.1, 0.1)),
    ("random_contrast", lambda: L.RandomContrast(0.1)),
    ("random_brightness", lambda: L.RandomBrightness(0.1)),
    ("random_hue", lambda: L.RandomHue(0.1)),
    ("random_saturation", lambda: L.RandomSaturation(0.5)),
    ("random_sharpness", lambda: L.RandomSharpness(0.5)),
    ("random_invert", lambda: L.RandomInvert()),
    ("random_posterization", lambda: L.RandomPosterization(4)),
    ("random_grayscale", lambda: L.RandomGrayscale()),
    ("mix_up", lambda: L.MixUp()),
    ("cut_mix", lambda: L.CutMix()),
    ("random_shear", lambda: L.RandomShear((0.0, 0.1), (0.0, 0.1))),
    ("random_perspective", lambda: L.RandomPerspective()),
    ("random_elastic_transform", lambda: L.RandomElasticTransform()),
    ("random_erasing", lambda: L.RandomErasing()),
    ("random_gaussian_blur", lambda: L.RandomGaussianBlur()),
    ("solarization", lambda: L.Solarization(0.1, 0.1)),
    ("random_color_jitter", lambda: L.RandomColorJitter(brightness_factor=0.1)),
    ("rand_augment", lambda: L.RandAugment()),
    ("aug_mix", lambda: L.AugMix()),
    ("auto_contrast", lambda: L.AutoContrast()),
    ("stft_spectrogram", lambda: L.STFTSpectrogram(frame_length=4, frame_step=2)),
    ("conv1d", lambda: L.Conv1D(8, 3, padding="same")),
    ("conv1d_transpose", lambda: L.Conv1DTranspose(8, 3, padding="same")),
    ("separable_conv1d", lambda: L.SeparableConv1D(8, 3, padding="same")),
    ("depthwise_conv1d", lambda: L.DepthwiseConv1D(3, padding="same")),
    ("max_pooling1d", lambda: L.MaxPooling1D(2)),
    ("average_pooling1d", lambda: L.AveragePooling1D(2)),
    ("global_average_pooling1d", lambda: L.GlobalAveragePooling1D()),
    ("global_max_pooling1d", lambda: L.GlobalMaxPooling1D()),
    ("zero_padding1d", lambda: L.ZeroPadding1D(1)),
    ("cropping1d", lambda: L.Cropping1D(1)),
    ("up_sampling1d", lambda: L.UpSampling1D(2)),
    ("flatten", lambda: L.Flatten()),
    ("reshape", lambda: L.Reshape((12, 4))),
    ("permute", lambda: L.Permute((2, 1))),
    ("multi_head_attention_self", lambda: L.MultiHeadAttention(2, 4)),
]


def probe(x):
    """A layer that takes a mask, fitting `x`'s rank."""
    layer = L.LSTM(4) if len(x.shape) == 3 else L.BatchNormalization()
    return layer(x)


def build(name, make):
    keras.backend.clear_session()
    tokens = keras.Input((6,), dtype="int32")
    x = L.Embedding(50, 8, mask_zero=True)(tokens)
    layer = make()
    y = layer(x, x) if isinstance(layer, L.MultiHeadAttention) else layer(x)
    if isinstance(y, (list, tuple)):
        y = y[0]
    return recorded(name, keras.Model(tokens, probe(y)), {})


def tokens(length=6):
    """Token ids and their masked embedding."""
    ids = keras.Input((length,), dtype="int32")
    return ids, L.Embedding(50, 8, mask_zero=True)(ids)


def masking_lstm():
    x = keras.Input((6, 3))
    return keras.Model(x, L.LSTM(4)(L.Masking()(x)))


def masking_dense_lstm():
    x = keras.Input((6, 3))
    y = L.Dense(8)(L.Masking(mask_value=-1.0)(x))
    return keras.Model(x, L.LSTM(4)(y))


def masking_features():
    x = keras.Input((5,))
    return keras.Model(x, L.BatchNormalization()(L.Masking()(x)))


def masking_beside_embedding():
    ids, e = tokens()
    x = keras.Input((6, 3))
    m = L.Masking()(x)
    return keras.Model([ids, x], [L.LSTM(4)(e), L.GRU(4)(m)])


def merge_of_masked(merge, branches=2):
    def make():
        ids, e = tokens()
        parts = [L.Dense(8)(e) for _ in range(branches)]
        return keras.Model(ids, L.LSTM(4)(merge()(parts)))
    return make


def add_masked_and_plain():
    ids, e = tokens()
    x = keras.Input((6, 8))
    return keras.Model([ids, x], L.LSTM(4)(L.Add()([e, x])))


def concatenate_masked_and_plain():
    ids, e = tokens()
    x = keras.Input((6, 2))
    return keras.Model([ids, x], L.LSTM(4)(L.Concatenate()([e, x])))


def concatenate_masked_twice():
    ids, e = tokens()
    ids2, f = tokens()
    return keras.Model([ids, ids2], L.LSTM(4)(L.Concatenate()([e, f])))


def concatenate_on_time():
    ids, e = tokens()
    ids2, f = tokens(4)
    return keras.Model([ids, ids2], L.LSTM(4)(L.Concatenate(axis=1)([e, f])))


def concatenates_in_turn():
    ids, e = tokens()
    ids2, f = tokens()
    x = keras.Input((4,))
    # Each masked call's own `Concatenate` operation is numbered before the next layer is made.
    joined = L.Concatenate()([e, f])
    doubled = L.Concatenate()([e, e])
    a, b = L.LSTM(4)(joined), L.LSTM(4)(doubled)
    last = L.Concatenate()([a, b, x])
    return keras.Model([ids, ids2, x], last)


def attention_of(layer, masked_query=True):
    def make():
        ids, e = tokens()
        q = e if masked_query else keras.Input((6, 8))
        inputs = [ids] if masked_query else [ids, q]
        return keras.Model(inputs, L.LSTM(4)(layer()([q, e])))
    return make


def merge_then_dense():
    ids, e = tokens()
    s = L.Add()([L.Dense(8)(e), e])
    return keras.Model(ids, L.LSTM(4)(L.Dense(8)(s)))


def multi_head_attention_of(cross=True, keywords=False, **call):
    # Keras masks the attention pairs of masked query and value steps; without dropout or
    # scores to return it computes them with dot_product_attention, otherwise with its
    # Softmax layer, which treats a fully masked query step differently. Called with
    # `query=` and `value=`, it reads the same masks and keeps the query's on its output.
    def make():
        ids, e = tokens()
        inputs, value = [ids], e
        if cross:
            ids2, value = tokens(4)
            inputs.append(ids2)
        attention = L.MultiHeadAttention(2, 4)
        if keywords:
            out = attention(query=e, value=value, **call)
        else:
            out = attention(e, value, **call)
        # The attention's own output too: the LSTM skips the masked query steps.
        if call.get("return_attention_scores"):
            out, scores = out
            return keras.Model(inputs, [L.LSTM(4)(out), out, scores])
        return keras.Model(inputs, [L.LSTM(4)(out), out])
    return make


# (name, a function that builds the model), each in a fresh session.
GRAPHS = [
    ("masking_lstm", masking_lstm),
    ("masking_dense_lstm", masking_dense_lstm),
    ("masking_features", masking_features),
    ("masking_beside_embedding", masking_beside_embedding),
    ("add_masked", merge_of_masked(L.Add)),
    ("subtract_masked", merge_of_masked(L.Subtract)),
    ("multiply_masked", merge_of_masked(L.Multiply)),
    ("average_masked_three", merge_of_masked(L.Average, 3)),
    ("maximum_masked", merge_of_masked(L.Maximum)),
    ("minimum_masked_three", merge_of_masked(L.Minimum, 3)),
    ("add_masked_and_plain", add_masked_and_plain),
    ("add_then_dense", merge_then_dense),
    ("concatenate_masked_and_plain", concatenate_masked_and_plain),
    ("concatenate_masked_twice", concatenate_masked_twice),
    ("concatenate_on_time", concatenate_on_time),
    ("concatenates_in_turn", concatenates_in_turn),
    ("attention_masked", attention_of(L.Attention)),
    ("attention_plain_query", attention_of(L.Attention, masked_query=False)),
    ("additive_attention_masked", attention_of(L.AdditiveAttention)),
    ("multi_head_attention_cross", multi_head_attention_of()),
    ("multi_head_attention_scores", multi_head_attention_of(return_attention_scores=True)),
    ("multi_head_attention_causal", multi_head_attention_of(cross=False, use_causal_mask=True)),
    ("multi_head_attention_keywords", multi_head_attention_of(keywords=True)),
]


def graph(name, make):
    keras.backend.clear_session()
    return recorded(name, make(), {})


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "fixtures", "keras_masks")
    os.makedirs(out, exist_ok=True)
    jobs = [(build, name, make) for name, make in KINDS]
    jobs += [(graph, name, make) for name, make in GRAPHS]
    for record, name, make in jobs:
        fixture = record(name, make)
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(fixture, f, indent=2, ensure_ascii=False)
            f.write("\n")
        rows = fixture["expected"]["rows"]
        print(name, [(r["name"], r["connected_to"]) for r in rows[2:]])


if __name__ == "__main__":
    main()
