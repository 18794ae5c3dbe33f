"""Writes tests/fixtures/keras_attention/calls.json: attention calls the functional-graph
fixtures do not hold (scores of GroupQueryAttention, Attention and AdditiveAttention, key
lengths that differ from the query's, a gate, a 2-D grid, an output_shape of two axes), each
with the output shapes real Keras gives and its weights.

Usage: KERAS_BACKEND=jax python keras_attention_fixtures.py
"""

import json, os
os.environ.setdefault("KERAS_BACKEND", "jax")
import keras

CASES = [
    ("gqa_cross_scores", "GroupQueryAttention",
     {"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2}, [[5, 16], [7, 16]], True),
    ("gqa_key_width_gate", "GroupQueryAttention",
     {"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2, "use_gate": True},
     [[5, 16], [7, 16], [7, 8]], True),
    ("mha_gate_value_dim", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 4, "value_dim": 3, "use_gate": True}, [[5, 16], [5, 16]], False),
    ("mha_output_shape_two_axes", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 4, "output_shape": [3, 4]}, [[5, 16], [5, 16]], False),
    ("mha_grid_scores", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 4, "attention_axes": [2]}, [[5, 6, 16], [5, 6, 16]], True),
    ("mha_cross_length_scores", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 4}, [[5, 8], [9, 8]], True),
    ("attention_scores_key_length", "Attention",
     {"use_scale": True}, [[5, 8], [6, 4], [6, 8]], True),
    ("attention_rank4_scores", "Attention", {}, [[3, 5, 8], [3, 6, 8]], True),
    ("additive_attention_scores", "AdditiveAttention", {}, [[5, 8], [6, 4], [6, 8]], True),
]

def main():
    out = []
    for name, cls, config, shapes, scores in CASES:
        layer = getattr(keras.layers, cls)(**config)
        xs = [keras.Input(tuple(s)) for s in shapes]
        if cls in ("Attention", "AdditiveAttention"):
            y = layer(xs, return_attention_scores=scores)
        else:
            y = layer(*xs, return_attention_scores=scores)
        ys = list(y) if isinstance(y, (tuple, list)) else [y]
        out.append({
            "name": name,
            "class": cls,
            "config": config,
            "inputs": shapes,
            "return_attention_scores": scores,
            "output_shapes": [list(t.shape) for t in ys],
            "weights": [{"path": w.path.split("/", 1)[1], "shape": list(w.shape)} for w in layer.weights],
        })
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "fixtures", "keras_attention", "calls.json")
    with open(path, "w") as f:
        json.dump({"keras_version": keras.__version__, "backend": keras.backend.backend(), "calls": out}, f, indent=1)
        f.write("\n")

main()
