"""Runs the exported Keras and PyTorch code of each design in a folder with the same weights
and prints the largest difference between their outputs: `name max-diff`.

Usage: python keras_vs_torch.py FOLDER  (FOLDER holds NAME_keras.py and NAME_torch.py pairs)
"""

import os, sys, glob, io, contextlib
os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np, torch, keras

def gru_reorder(w, h, axis):
    z, r, n = np.split(w, 3, axis=axis)
    return np.concatenate([r, z, n], axis=axis)

def rnn_weights(layer, mod, suffix):
    # A cell (LSTMCell, ...) holds the weights of the layer it is named after.
    ws = layer.get_weights()
    cls = layer.__class__.__name__.replace("Cell", "")
    k, rk = ws[0], ws[1]
    h = rk.shape[0]
    b = ws[2] if len(ws) > 2 else None
    if cls == "GRU":
        k, rk = gru_reorder(k, h, 1), gru_reorder(rk, h, 1)
        # reset_after=True keeps an input and a recurrent bias, False one bias.
        if b is not None and b.ndim == 2:
            b = np.stack([gru_reorder(b[0], h, 0), gru_reorder(b[1], h, 0)])
        elif b is not None:
            b = gru_reorder(b, h, 0)
    getattr(mod, "weight_ih_l0" + suffix).data = torch.tensor(k.T.copy())
    getattr(mod, "weight_hh_l0" + suffix).data = torch.tensor(rk.T.copy())
    if b is not None:
        if b.ndim == 2:
            bi, bh = b[0], b[1]
        else:
            bi, bh = b, np.zeros_like(b)
        getattr(mod, "bias_ih_l0" + suffix).data = torch.tensor(bi.copy())
        # KerasRNN's GRU without reset_after has no recurrent bias.
        if getattr(mod, "bias_hh_l0" + suffix, None) is not None:
            getattr(mod, "bias_hh_l0" + suffix).data = torch.tensor(bh.copy())

def depthwise(k):
    """Keras' depthwise kernel (kernel..., channels, multiplier) as PyTorch's grouped weight
    (channels × multiplier, 1, kernel...): output channel c × multiplier + j in both."""
    r = k.ndim - 2
    k = k.reshape(*k.shape[:r], -1)
    return k.transpose(r, *range(r))[:, None]

def copy(layer, mod):
    cls = layer.__class__.__name__
    if cls == "TimeDistributed":
        return copy(layer.layer, mod)
    ws = layer.get_weights()
    if cls in ("LSTM", "GRU", "SimpleRNN"):
        return rnn_weights(layer, mod, "")
    if cls == "RNN":
        cells = layer.cell.cells if hasattr(layer.cell, "cells") else [layer.cell]
        for c, m in zip(cells, mod):
            rnn_weights(c, m, "")
        return
    if cls == "SpectralNormalization":
        return copy(layer.layer, mod)
    if cls == "Bidirectional" and isinstance(mod, list):
        # A ConvLSTM runs as two modules, forward then backward.
        copy(layer.forward_layer, mod[0])
        copy(layer.backward_layer, mod[1])
        return
    if cls == "Bidirectional":
        rnn_weights(layer.forward_layer, mod, "")
        rnn_weights(layer.backward_layer, mod, "_reverse")
        return
    t = lambda a: torch.tensor(np.ascontiguousarray(a))
    if cls == "Dense":
        mod.weight.data = t(ws[0].T)
        if len(ws) > 1: mod.bias.data = t(ws[1])
    elif cls == "Conv1D":
        mod.weight.data = t(ws[0].transpose(2, 1, 0))
        if len(ws) > 1: mod.bias.data = t(ws[1])
    elif cls == "Conv2D":
        mod.weight.data = t(ws[0].transpose(3, 2, 0, 1))
        if len(ws) > 1: mod.bias.data = t(ws[1])
    elif cls in ("Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"):
        # Keras (kernel..., in, out) or, transposed, (kernel..., out, in): PyTorch puts the
        # last two first, in reverse order.
        r = ws[0].ndim - 2
        mod.weight.data = t(ws[0].transpose(r + 1, r, *range(r)))
        if len(ws) > 1: mod.bias.data = t(ws[1])
    elif cls in ("DepthwiseConv1D", "DepthwiseConv2D"):
        mod.weight.data = t(depthwise(ws[0]))
        if len(ws) > 1: mod.bias.data = t(ws[1])
    elif cls in ("SeparableConv1D", "SeparableConv2D"):
        r = ws[0].ndim - 2
        mod.depthwise.weight.data = t(depthwise(ws[0]))
        mod.pointwise.weight.data = t(ws[1].transpose(r + 1, r, *range(r)))
        if len(ws) > 2: mod.pointwise.bias.data = t(ws[2])
    elif cls in ("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"):
        r = ws[0].ndim - 2
        mod.input_conv.weight.data = t(ws[0].transpose(r + 1, r, *range(r)))
        mod.recurrent_conv.weight.data = t(ws[1].transpose(r + 1, r, *range(r)))
        if len(ws) > 2: mod.input_conv.bias.data = t(ws[2])
    elif cls == "Embedding":
        mod.weight.data = t(ws[0])
    elif cls == "BatchNormalization":
        i = 0
        if layer.scale: mod.weight.data = t(ws[i]); i += 1
        if layer.center: mod.bias.data = t(ws[i]); i += 1
        mod.running_mean.data = t(ws[i]); mod.running_var.data = t(ws[i + 1])
    elif cls == "LayerNormalization":
        i = 0
        if layer.scale: mod.weight.data = t(ws[i]); i += 1
        if layer.center: mod.bias.data = t(ws[i]); i += 1
    elif cls == "GroupNormalization" and isinstance(mod, torch.nn.ParameterDict):
        mod["gamma" if layer.scale else "beta"].data = t(ws[0])
    elif cls == "GroupNormalization":
        i = 0
        if layer.scale: mod.weight.data = t(ws[i]); i += 1
        if layer.center: mod.bias.data = t(ws[i]); i += 1
    elif cls == "RMSNormalization":
        mod.weight.data = t(ws[0])
    elif cls == "EinsumDense":
        mod["kernel"].data = t(ws[0])
        if len(ws) > 1: mod["bias"].data = t(ws[1])
    elif cls == "Normalization":
        mod.mean.data = t(ws[0]).reshape(mod.mean.shape)
        mod.variance.data = t(ws[1]).reshape(mod.variance.shape)
    elif cls == "ReversibleEmbedding":
        mod.weight.data = t(ws[0])
    elif cls == "PReLU":
        mod.alpha.data = t(ws[0])
    elif cls == "STFTSpectrogram":
        # Left as the module made them: the comparison then checks that they are the kernels
        # Keras' STFT initializer makes.
        pass
    else:
        raise SystemExit(f"no copy for {cls}")

def modules_for(layer):
    """How many PyTorch modules one Keras layer becomes: a stack of cells, one per cell."""
    if layer.__class__.__name__ == "RNN" and hasattr(layer.cell, "cells"):
        return len(layer.cell.cells)
    if layer.__class__.__name__ == "Bidirectional" and layer.forward_layer.__class__.__name__.startswith("ConvLSTM"):
        return 2
    return 1

def flat(y):
    """A model's outputs as one list, nested lists and tuples opened in order."""
    if isinstance(y, (list, tuple)):
        return [z for a in y for z in flat(a)]
    return [y]

def main(folder):
    """Compares every NAME_keras.py and NAME_torch.py pair in folder."""
    for kfile in sorted(glob.glob(os.path.join(folder, "*_keras.py"))):
        name = os.path.basename(kfile)[:-len("_keras.py")]
        tsrc = open(os.path.join(folder, f"{name}_torch.py")).read()
        g = {}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(open(kfile).read(), g)
        model = g["model"]
        tg = {"__name__": "exported"}
        exec(tsrc, tg)
        # The model is the last module class: helper modules (KerasPReLU, ...) come before it.
        cls = [v for k, v in tg.items() if isinstance(v, type) and issubclass(v, torch.nn.Module) and v.__module__ == "exported"][-1]
        tm = cls().eval()
        mods = [m for n, m in tm.named_children() if any(True for _ in m.parameters(recurse=True)) or any(True for _ in m.buffers())]
        klayers = [l for l in model.layers if l.weights]
        # Statistics away from 0 and 1, so inference-mode normalisation is really compared.
        for l in klayers:
            if l.__class__.__name__ == "BatchNormalization":
                ws = l.get_weights()
                l.set_weights([np.random.rand(*w.shape).astype("float32") + 0.5 for w in ws])
            # Keras starts PReLU's slopes at 0: random ones show each slope lands where it belongs.
            if l.__class__.__name__ == "PReLU":
                l.set_weights([np.random.rand(*w.shape).astype("float32") for w in l.get_weights()])
        wanted = sum(modules_for(l) for l in klayers)
        if len(mods) != wanted:
            raise SystemExit(f"{name}: {len(klayers)} Keras layers with weights make {wanted} PyTorch modules, found {len(mods)}")
        it = iter(mods)
        for l in klayers:
            n = modules_for(l)
            copy(l, next(it) if n == 1 and l.__class__.__name__ != "RNN" else [next(it) for _ in range(n)])
        shape = [2] + [d if d is not None else 7 for d in model.inputs[0].shape[1:]]
        if model.inputs[0].dtype.startswith("int"):
            # Token 0 is left out: under mask_zero=True Keras skips those steps, and the PyTorch
            # export says it passes no mask on, so only unmasked ids compare like for like.
            x = np.random.randint(1, 3, size=shape).astype("int32")
            xt = torch.tensor(x, dtype=torch.long)
        else:
            x = np.random.rand(*shape).astype("float32")
            xt = torch.tensor(x)
        y = model(x, training=False)
        with torch.no_grad():
            yt = tm(xt)
        # Keras nests a stacked RNN's states per cell ([h, c] for an LSTMCell); the export lists
        # them flat, as the summary does.
        ys, yts = flat(y), flat(yt)
        diff = max(float(np.max(np.abs(np.asarray(a) - b.numpy()))) for a, b in zip(ys, yts))
        print(f"max-diff {name} {diff:.3e}")


if __name__ == "__main__":
    main(sys.argv[1])
