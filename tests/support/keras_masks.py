"""Writes tests/fixtures/keras_masks/: what each layer kind does with the mask of an
`Embedding(mask_zero=True)`, as real Keras records it in a functional model, in the layout of
tests/fixtures/keras_graph/ (see its README).

Each model is token ids -> Embedding(mask_zero=True) -> the layer -> a probe that takes a
mask (an LSTM on a sequence, BatchNormalization on anything else). Keras' "Connected to"
column then says both things: the layer lists `not_equal` when its call takes the mask, and
the probe lists it when the layer hands the mask on.

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


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "fixtures", "keras_masks")
    os.makedirs(out, exist_ok=True)
    for name, make in KINDS:
        fixture = build(name, make)
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(fixture, f, indent=2, ensure_ascii=False)
            f.write("\n")
        rows = fixture["expected"]["rows"]
        print(name, [(r["name"], r["connected_to"]) for r in rows[2:]])


if __name__ == "__main__":
    main()
