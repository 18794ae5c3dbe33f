"""Runs Keras functional programs and their PyTorch exports with the same weights and prints
the largest difference between their outputs: `max-diff NAME DIFF`. One process for all of
them: starting Python with Keras costs seconds.

Usage: python keras_graph_vs_torch.py FOLDER  (FOLDER holds NAME_keras.py, a Keras program
that defines `model`, and NAME_torch.py, its PyTorch export)
"""

import os, sys, glob, io, contextlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np, torch
from keras_vs_torch import copy, flat

ATTENTION = ("MultiHeadAttention", "GroupedQueryAttention", "Attention", "AdditiveAttention")


def copy_attention(layer, mod):
    """Keras' attention weights into the exported module: by name into Keras' own einsum
    shapes, reshaped into the packed or separate layout of nn.MultiheadAttention."""
    named = {w.path.split("/", 1)[1].replace("/", "_"): np.asarray(w.numpy()) for w in layer.weights}
    t = lambda a: torch.tensor(np.array(a, dtype=np.float32))
    if not isinstance(mod, torch.nn.MultiheadAttention):
        for k, v in named.items():
            getattr(mod, k).data = t(v)
        return
    as_matrix = lambda a: a.reshape(a.shape[0], -1).T
    q, k, v = (named[p + "_kernel"] for p in ("query", "key", "value"))
    if mod.in_proj_weight is not None:
        mod.in_proj_weight.data = t(np.concatenate([as_matrix(q), as_matrix(k), as_matrix(v)]))
    else:
        mod.q_proj_weight.data = t(as_matrix(q))
        mod.k_proj_weight.data = t(as_matrix(k))
        mod.v_proj_weight.data = t(as_matrix(v))
    if "query_bias" in named:
        mod.in_proj_bias.data = t(np.concatenate([named[p + "_bias"].reshape(-1) for p in ("query", "key", "value")]))
        mod.out_proj.bias.data = t(named["attention_output_bias"])
    o = named["attention_output_kernel"]
    mod.out_proj.weight.data = t(o.reshape(-1, o.shape[-1]).T)


def compare(name, keras_source, torch_source):
    """The largest difference between the Keras model's outputs and the export's."""
    g = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(keras_source, g)
    model = g["model"]
    tg = {"__name__": "exported"}
    exec(torch_source, tg)
    # The model is the last module class: helper modules come before it.
    cls = [v for v in tg.values() if isinstance(v, type) and issubclass(v, torch.nn.Module) and v.__module__ == "exported"][-1]
    tm = cls().eval()
    mods = [m for _, m in tm.named_children() if any(True for _ in m.parameters()) or any(True for _ in m.buffers())]
    klayers = [l for l in model.layers if l.weights]
    if len(mods) != len(klayers):
        raise SystemExit(f"{name}: {len(klayers)} Keras layers with weights, {len(mods)} PyTorch modules")
    rng = np.random.default_rng(0)
    for l, m in zip(klayers, mods):
        # Random weights everywhere (Keras starts biases at 0), so each lands where it belongs;
        # scaled by fan-in so a softmax at the end does not saturate and hide differences.
        weights = [(rng.standard_normal(w.shape) / np.sqrt(np.prod(w.shape[:-1]) if w.ndim > 1 else 4)).astype("float32") for w in l.get_weights()]
        if l.__class__.__name__ == "BatchNormalization":
            weights[-1] = np.abs(weights[-1]) + 0.5  # a variance: positive
        l.set_weights(weights)
        (copy_attention if l.__class__.__name__ in ATTENTION else copy)(l, m)
    xs = []
    for t in model.inputs:
        shape = (2,) + tuple(d if d is not None else 7 for d in t.shape[1:])
        if t.dtype.startswith("int"):
            # Token ids 0 to 2: under mask_zero=True Keras masks the zeros, and so must the export.
            x = rng.integers(0, 3, size=shape).astype("int32")
        else:
            x = rng.random(shape).astype("float32")
            if x.ndim >= 3:
                # Some steps all zeros, as padding is: under Masking Keras skips them, and so
                # must the export.
                x[rng.random(shape[:2]) < 0.3] = 0.0
        xs.append(x)
    y = model(xs if len(xs) > 1 else xs[0], training=False)
    with torch.no_grad():
        yt = tm(*[torch.tensor(x, dtype=torch.long) if x.dtype == np.int32 else torch.tensor(x) for x in xs])
    ys, yts = flat(y), flat(yt)
    if [tuple(a.shape) for a in ys] != [tuple(b.shape) for b in yts]:
        raise SystemExit(f"{name}: Keras gives {[a.shape for a in ys]}, PyTorch {[b.shape for b in yts]}")
    return max(float(np.max(np.abs(np.asarray(a) - b.numpy()))) for a, b in zip(ys, yts))


def main(folder):
    """Compares every NAME_keras.py and NAME_torch.py pair in folder."""
    for kfile in sorted(glob.glob(os.path.join(folder, "*_keras.py"))):
        name = os.path.basename(kfile)[:-len("_keras.py")]
        tsrc = open(os.path.join(folder, f"{name}_torch.py")).read()
        print(f"max-diff {name} {compare(name, open(kfile).read(), tsrc):.3e}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
