"""What real Keras reports for Sequential models, in the Keras fixtures' format.

Two uses, one Python process each:

  python keras_summary.py check MODELS.json
      MODELS.json is a list of {"name", "keras_json"} (a Sequential model's `to_json()`).
      Prints a JSON list with each model's `expected` block, as the fixtures hold it.

  python keras_summary.py fixtures SPECS.json FOLDER
      SPECS.json is a list of fixture specs: {"name", "input_shape", "input_dtype", "layers"}
      with layers in the fixtures' short form (class, config, inner). Writes FOLDER/NAME.json
      for each, in the format tests/fixtures/keras/README.md describes.

Each model is built in a fresh session (`clear_session`), so automatic names start over, and
layer by layer, so a refused model says which layer Keras refused.
"""

import glob, json, math, os, re, sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def shape_of(tensor):
    return keras.tree.map_structure(lambda t: list(t.shape), tensor)


def row_shape(output):
    if isinstance(output, (list, tuple)):
        return [list(t.shape) for t in output]
    return list(output.shape)


def error_lines(e):
    lines = [ANSI.sub("", l).strip() for l in str(e).splitlines()]
    lines = [l for l in lines if l]
    first = lines[0] if lines else ""
    detail = first
    if first.startswith("Exception encountered when calling") and len(lines) > 1:
        detail = lines[1]
    return first, detail


def build(input_layer, layers):
    """Adds `layers` one by one after `input_layer`; returns (model, None) or (None, expected).
    A layer may be given as a function that makes it: a layer whose constructor raises is then
    refused at its own index, as Keras refuses it when it is written in code."""
    model = keras.Sequential([input_layer], name="sequential")
    for i, layer in enumerate(layers):
        try:
            model.add(layer() if callable(layer) and not isinstance(layer, keras.layers.Layer) else layer)
        except Exception as e:  # Keras raises many types; the fixture records which.
            first, detail = error_lines(e)
            return None, {
                "ok": False,
                "failing_layer_index": i,
                "error_type": type(e).__name__,
                "error": first,
                "error_detail": detail,
            }
    return model, None


def size(weight):
    return int(math.prod(weight["shape"]))


def expected_of(model):
    # What `summary()` and `fit()` use: the model's trainable variables. For a layer frozen
    # through its constructor this can differ from `layer.trainable_weights` (Keras ignores
    # the flag on wrappers and ConvLSTM), and the summary is the number users see.
    trainable_ids = {id(v) for v in model.trainable_weights}
    rows = []
    for layer in model.layers:
        weights = []
        for v in layer.weights:
            weights.append({
                "path": v.path,
                "shape": list(v.shape),
                "trainable": id(v) in trainable_ids,
            })
        rows.append({
            "name": layer.name,
            "class": layer.__class__.__name__,
            "output_shape": row_shape(layer.output),
            "params": layer.count_params(),
            "trainable": sum(size(w) for w in weights if w["trainable"]),
            "non_trainable": sum(size(w) for w in weights if not w["trainable"]),
            "weights": weights,
        })
    t = sum(r["trainable"] for r in rows)
    n = sum(r["non_trainable"] for r in rows)
    return {"ok": True, "rows": rows, "total": t + n, "trainable": t, "non_trainable": n}


def summary_text(model):
    out = []
    model.summary(print_fn=lambda s, line_break=True: out.append(s + ("\n" if line_break else "")))
    # Keras ends with an empty line; the fixtures keep one newline at the end.
    return "".join(out).rstrip("\n") + "\n"


def input_of(model_json):
    first = model_json["config"]["layers"][0]["config"]
    shape = first["batch_shape"][1:]
    return keras.Input(shape=tuple(shape), dtype=first.get("dtype", "float32"), name=first.get("name", "input_layer"))


def check(path):
    results = []
    for item in json.load(open(path)):
        keras.backend.clear_session()
        model_json = item["keras_json"]
        try:
            inp = input_of(model_json)
            layers = [(lambda l=l: keras.layers.deserialize(l)) for l in model_json["config"]["layers"][1:]]
        except Exception as e:
            first, detail = error_lines(e)
            results.append({"name": item["name"], "expected": {"ok": False, "failing_layer_index": None, "error_type": type(e).__name__, "error": first, "error_detail": detail}})
            continue
        model, refused = build(inp, layers)
        results.append({"name": item["name"], "expected": refused or expected_of(model)})
    json.dump(results, sys.stdout)


def regularizer(v):
    if isinstance(v, dict) and set(v) <= {"l1", "l2"}:
        if set(v) == {"l1"}:
            return keras.regularizers.L1(v["l1"])
        if set(v) == {"l2"}:
            return keras.regularizers.L2(v["l2"])
        return keras.regularizers.L1L2(l1=v["l1"], l2=v["l2"])
    return v


def make(spec):
    config = {k: regularizer(v) for k, v in spec.get("config", {}).items()}
    if "inner" in spec:
        config["layer"] = make(spec["inner"])
    return getattr(keras.layers, spec["class"])(**config)


def plain(v):
    if isinstance(v, tuple):
        return [plain(x) for x in v]
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, dict) and v.get("class_name") in ("L1", "L2", "L1L2"):
        return {k: float(x) for k, x in v["config"].items() if x}
    return v


def short_form(spec, layer, known_keys):
    """The fixture's `layers` entry: the spec's keys plus the keys earlier fixtures list for
    the class, with Keras' values (defaults filled in)."""
    config = layer.get_config()
    keys = list(known_keys.get(spec["class"], []))
    keys += [k for k in spec.get("config", {}) if k not in keys]
    out = {"class": spec["class"], "config": {k: plain(config[k]) for k in keys if k in config and k != "layer"}}
    if "inner" in spec:
        inner = layer.forward_layer if spec["class"] == "Bidirectional" else layer.layer
        out["inner"] = short_form(spec["inner"], inner, known_keys)
    return out


def known_keys_from(folder):
    keys = {}
    def visit(entry):
        ks = keys.setdefault(entry["class"], [])
        for k, v in entry.get("config", {}).items():
            if k not in ks and k not in ("trainable", "name") and not k.endswith("regularizer"):
                ks.append(k)
        if "inner" in entry:
            visit(entry["inner"])
    for f in sorted(glob.glob(os.path.join(folder, "*.json"))):
        for entry in json.load(open(f)).get("layers", []):
            visit(entry)
    return keys


def fixtures(specs_path, folder):
    # The keys to list per class are the ones the fixtures already in the project list.
    known = known_keys_from(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "keras"))
    for spec in json.load(open(specs_path)):
        keras.backend.clear_session()
        dtype = spec.get("input_dtype", "float32")
        inp = keras.Input(shape=tuple(spec["input_shape"]), dtype=dtype)
        layers = [make(l) for l in spec["layers"]]
        entries = [short_form(s, l, known) for s, l in zip(spec["layers"], layers)]
        model, refused = build(inp, layers)
        if model is not None:
            model_json = json.loads(model.to_json())
            text = summary_text(model)
            expected = expected_of(model)
        else:
            # The unbuilt model cannot hold the layers Keras refused: write the input and
            # every layer's own serialisation, as `to_json()` would.
            inp = keras.Input(shape=tuple(spec["input_shape"]), dtype=dtype, name="input_layer")
            model_json = json.loads(keras.Sequential([inp], name="sequential").to_json())
            model_json.pop("build_config", None)
            model_json["config"]["layers"] += [keras.saving.serialize_keras_object(l) for l in layers]
            text = None
            expected = refused
        fixture = {
            "name": spec["name"],
            "keras_version": keras.__version__,
            "backend": keras.backend.backend(),
            "input_shape": spec["input_shape"],
            "input_dtype": dtype,
            "layers": entries,
            "expected": expected,
            "summary_text": text,
            "keras_json": model_json,
        }
        with open(os.path.join(folder, spec["name"] + ".json"), "w") as f:
            json.dump(fixture, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2])
    elif sys.argv[1] == "fixtures":
        fixtures(sys.argv[2], sys.argv[3])
