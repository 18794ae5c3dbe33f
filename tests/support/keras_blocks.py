"""Writes tests/fixtures/keras_blocks/: the designer's ready blocks (residual, transformer
encoder and decoder, seq2seq encoder-decoder, inception) built in real Keras, each as a
functional model, in the layout of tests/fixtures/keras_graph/ (see its README), plus the
`recipe` the designer follows to build the same model: plain layers appended in a chain and
blocks with their sizes.

Each block is written here as a Keras user writes it, layer by layer, in the order the
designer inserts its layers (so automatic names agree).

Usage: KERAS_BACKEND=jax python keras_blocks.py [OUT_DIR]
"""

import json, math, os, sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras
from keras import layers as L

SKIPPED_CONFIG = {"name", "dtype", "trainable", "seed", "quantization_config"}

# Layer calls recorded while a model is built: (layer, entry) in call order.
CALLS = []


def ref(t):
    """A tensor's reference as the fixtures write it: name, name[i], name@k, name@k[i]."""
    op, node, index = t._keras_history
    text = op.name + (f"@{node}" if node else "")
    many = len(op._inbound_nodes[node].outputs) > 1 if hasattr(op, "_inbound_nodes") and op._inbound_nodes else False
    return text + (f"[{index}]" if many else "")


def plain(v):
    if isinstance(v, (tuple, list)):
        return [plain(x) for x in v]
    return v


def config_of(layer):
    config = layer.get_config()
    return {
        k: plain(v)
        for k, v in config.items()
        if k not in SKIPPED_CONFIG
        and not k.endswith("_initializer")
        and not k.endswith("_constraint")
        and not (k.endswith("_regularizer") and v is None)
    }


def call(layer, inputs, form="single", kwargs=None, options=None):
    """Calls `layer` and records the call as a fixture `layers` entry."""
    kwargs = kwargs or {}
    options = options or {}
    if form == "single":
        out = layer(inputs[0], **kwargs, **options)
    elif form == "list":
        out = layer(list(inputs), **kwargs, **options)
    else:
        out = layer(*inputs, **kwargs, **options)
    entry = {
        "name": layer.name,
        "class": layer.__class__.__name__,
        "config": config_of(layer),
        "inputs": [ref(t) for t in inputs],
        "inputs_form": form,
    }
    if kwargs:
        entry["call_kwargs"] = {k: [ref(t) for t in v] if isinstance(v, list) else ref(v) for k, v in kwargs.items()}
    if options:
        entry["call_options"] = options
    CALLS.append(entry)
    return out


def dropout(x, rate, names):
    if rate <= 0:
        return x
    # The designer names a block's Dropout as the next free `dropout` name; Keras would
    # count the Dropout MultiHeadAttention creates inside itself, so the name is given.
    name = "dropout" if names["dropout"] == 0 else f"dropout_{names['dropout']}"
    names["dropout"] += 1
    return call(L.Dropout(rate, name=name), [x])


def feed_forward(x, s, names):
    h = call(L.Dense(s["ff"], activation="relu"), [x])
    h = call(L.Dense(s["width"]), [h])
    h = dropout(h, s.get("dropout", 0), names)
    return call(L.LayerNormalization(), [call(L.Add(), [x, h], "list")])


def attention_block(x, s, names, tensors, decoder):
    if x.shape[-1] != s["width"]:
        x = call(L.Dense(s["width"]), [x])
    options = {"use_causal_mask": True} if decoder else None
    a = call(L.MultiHeadAttention(s["heads"], s["key_dim"]), [x, x], "args", options=options)
    a = dropout(a, s.get("dropout", 0), names)
    x = call(L.LayerNormalization(), [call(L.Add(), [x, a], "list")])
    if decoder:
        memory = tensors[s["memory"]]
        c = call(L.MultiHeadAttention(s["heads"], s["key_dim"]), [x, memory], "args")
        c = dropout(c, s.get("dropout", 0), names)
        x = call(L.LayerNormalization(), [call(L.Add(), [x, c], "list")])
    return feed_forward(x, s, names)


def conv(rank, filters, kernel, activation=None):
    cls = L.Conv2D if rank >= 3 else L.Conv1D
    return cls(filters, kernel, padding="same", activation=activation)


def residual(x, s, kind):
    rank = len(x.shape) - 1
    make = (lambda w, k, a=None: L.Dense(w, activation=a)) if kind == "dense" else (lambda w, k, a=None: conv(rank, w, k, a))
    h = call(make(s["width"], 3, "relu"), [x])
    h = call(make(s["width"], 3), [h])
    skip = x if x.shape[-1] == s["width"] else call(make(s["width"], 1), [x])
    return call(L.Add(), [skip, h], "list")


def seq2seq(x, s, cls, inputs):
    encoder = call(cls(s["width"], return_state=True), [x])
    decoder_input = keras.Input(tuple(x.shape[1:]), name=f"input_layer_{len(inputs)}")
    inputs.append(decoder_input)
    states = list(encoder[1:])
    decoded = call(cls(s["width"], return_sequences=True), [decoder_input], kwargs={"initial_state": states})
    return call(L.Dense(s["out"], activation="softmax"), [decoded])


def inception(x, s):
    rank = len(x.shape) - 1
    f = s["width"]
    one = call(conv(rank, f, 1, "relu"), [x])
    reduced = call(conv(rank, f, 1, "relu"), [x])
    three = call(conv(rank, f, 3, "relu"), [reduced])
    reduced = call(conv(rank, f, 1, "relu"), [x])
    five = call(conv(rank, f, 5, "relu"), [reduced])
    pool = L.MaxPooling2D(3, strides=1, padding="same") if rank >= 3 else L.MaxPooling1D(3, strides=1, padding="same")
    pooled = call(conv(rank, f, 1, "relu"), [call(pool, [x])])
    return call(L.Concatenate(), [one, three, five, pooled], "list")


def apply(step, x, names, tensors, inputs):
    block = step.get("block")
    s = step.get("sizes", {})
    if block is None:
        return call(getattr(L, step["class"])(**step.get("config", {})), [x])
    if block == "ResidualDense":
        return residual(x, s, "dense")
    if block == "ResidualConv":
        return residual(x, s, "conv")
    if block in ("Encoder", "Decoder"):
        return attention_block(x, s, names, tensors, block == "Decoder")
    if block == "Seq2SeqLstm":
        return seq2seq(x, s, L.LSTM, inputs)
    if block == "Seq2SeqGru":
        return seq2seq(x, s, L.GRU, inputs)
    if block == "Inception":
        return inception(x, s)
    raise ValueError(f"unknown block {block}")


def enc(width, heads, key_dim, ff, dropout=0.0):
    return {"block": "Encoder", "sizes": {"width": width, "heads": heads, "key_dim": key_dim, "ff": ff, "dropout": dropout}}


# Each model: a name, its input shape and its recipe (what the designer does, in order).
MODELS = [
    ("residual_dense_same_width", [16], [{"block": "ResidualDense", "sizes": {"width": 16}}]),
    ("residual_dense_projection", [12], [{"block": "ResidualDense", "sizes": {"width": 24}}]),
    ("residual_conv1d_projection", [20, 8], [{"block": "ResidualConv", "sizes": {"width": 16}}]),
    ("residual_conv2d_same_channels", [8, 8, 16], [{"block": "ResidualConv", "sizes": {"width": 16}}]),
    ("transformer_encoder", [10, 16], [enc(16, 2, 8, 64)]),
    ("transformer_encoder_dropout_projection", [10, 12], [enc(16, 4, 4, 32, 0.1)]),
    ("transformer_decoder_cross_attention", [10, 16], [
        enc(16, 2, 8, 32),
        {"block": "Decoder", "sizes": {"width": 16, "heads": 2, "key_dim": 8, "ff": 32, "memory": "input_layer"}},
    ]),
    ("seq2seq_lstm_block", [12, 8], [{"block": "Seq2SeqLstm", "sizes": {"width": 32, "out": 8}}]),
    ("seq2seq_gru_block", [12, 8], [{"block": "Seq2SeqGru", "sizes": {"width": 24, "out": 8}}]),
    ("inception_conv2d_block", [16, 16, 8], [{"block": "Inception", "sizes": {"width": 8}}]),
    ("inception_conv1d_block", [20, 8], [{"block": "Inception", "sizes": {"width": 4}}]),
    # What the designer's end-to-end test builds from `n`: the blocks at their defaults for
    # a (16, 32) input, then pooling and a softmax head.
    ("transformer_classifier_two_blocks", [16, 32], [
        enc(32, 2, 16, 128),
        enc(32, 2, 16, 128),
        {"class": "GlobalAveragePooling1D"},
        {"class": "Dense", "config": {"units": 4, "activation": "softmax"}},
    ]),
]


def size(weight):
    return int(math.prod(weight["shape"]))


def shape_of(output):
    if isinstance(output, (list, tuple)):
        return [list(t.shape) for t in output]
    return list(output.shape)


def connections(layer, relevant):
    out = []
    for node in layer._inbound_nodes:
        if node not in relevant:
            continue
        for t in node.input_tensors:
            op, node_index, tensor_index = t._keras_history
            out.append(f"{op.name}[{node_index}][{tensor_index}]")
    return out


def sequential_like(model):
    nodes = []
    for v in model._nodes_by_depth.values():
        if len(v) > 1 or (len(v) == 1 and len(keras.tree.flatten(v[0].input_tensors)) > 1):
            return False
        nodes += v
    for layer in model.layers:
        if sum(1 for n in layer._inbound_nodes if n in nodes) > 1:
            return False
    return True


def expected_of(model):
    trainable_ids = {id(v) for v in model.trainable_weights}
    graph = not sequential_like(model)
    relevant = [n for v in model._nodes_by_depth.values() for n in v]
    rows = []
    for layer in model._operations:
        # An operation Keras adds itself (the NotEqual of a mask) is no layer: it has no weights.
        implicit = not isinstance(layer, keras.layers.Layer)
        weights = [{"path": v.path, "shape": list(v.shape), "trainable": id(v) in trainable_ids} for v in getattr(layer, "weights", [])]
        rows.append({
            "name": layer.name,
            "class": layer.__class__.__name__,
            "output_shape": shape_of(layer.output),
            "params": 0 if implicit else layer.count_params(),
            "trainable": sum(size(w) for w in weights if w["trainable"]),
            "non_trainable": sum(size(w) for w in weights if not w["trainable"]),
            "weights": weights,
            "connected_to": connections(layer, relevant) if graph else None,
            **({"implicit_op": True} if implicit else {}),
        })
    t = sum(r["trainable"] for r in rows)
    n = sum(r["non_trainable"] for r in rows)
    return {
        "ok": True,
        "layout": "graph" if graph else "sequential_like",
        "rows": rows,
        "total": t + n,
        "trainable": t,
        "non_trainable": n,
    }


def summary_at(model, columns):
    os.environ["COLUMNS"] = str(columns)
    out = []
    try:
        model.summary(print_fn=lambda s, line_break=True: out.append(s + ("\n" if line_break else "")))
    finally:
        del os.environ["COLUMNS"]
    return "".join(out).rstrip("\n") + "\n"


def build(name, shape, recipe):
    keras.backend.clear_session()
    CALLS.clear()
    x = keras.Input(tuple(shape))
    inputs = [x]
    tensors = {x._keras_history[0].name: x}
    names = {"dropout": 0}
    for step in recipe:
        x = apply(step, x, names, tensors, inputs)
    model = keras.Model(inputs, x)
    return recorded(name, model, {
        "recipe": recipe,
        "inputs": [{"name": i._keras_history[0].name, "shape": list(i.shape[1:]), "dtype": i.dtype} for i in inputs],
        "outputs": [ref(x)],
        "layers": list(CALLS),
    })


def recorded(name, model, fields):
    """A fixture in the keras_graph layout: `fields`, then what Keras reports for `model`."""
    return {
        "name": name,
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "model_name": model.name,
        **fields,
        "expected": expected_of(model),
        "summary_text": summary_at(model, 80),
        "summary_text_wide": summary_at(model, 200),
        "keras_json": json.loads(model.to_json()),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "fixtures", "keras_blocks")
    os.makedirs(out, exist_ok=True)
    for name, shape, recipe in MODELS:
        fixture = build(name, shape, recipe)
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(fixture, f, indent=2, ensure_ascii=False)
            f.write("\n")
        print(name, fixture["expected"]["total"])


if __name__ == "__main__":
    main()
