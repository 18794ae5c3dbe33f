"""What real Keras prints for the recorded models at other terminal widths.

  python keras_widths.py FIXTURES_DIR OUT_DIR COLUMNS... [--only NAME,NAME...]

For every model Keras builds in FIXTURES_DIR/keras, FIXTURES_DIR/keras_layers and
FIXTURES_DIR/keras_graph, rebuilds it from its `keras_json` in a fresh session and prints
`model.summary()` with the environment variable COLUMNS set to each width, which is how Keras
learns the terminal's width (`shutil.get_terminal_size()`, read again on every call, and
rich's console, made anew on every call). Writes OUT_DIR/FOLDER/NAME.json, leaving out the
widths the fixture itself records (80, and 200 where it has `summary_text_wide`):

  {"fixture": "keras/NAME.json", "summaries": {"COLUMNS": text, ...},
   "refused": {"COLUMNS": first line of Keras' error, ...}}

A file already in OUT_DIR keeps the widths it records and gains the ones given; `--only`
limits the run to the fixtures of those names (without `.json`). Without `--only` it also
writes OUT_DIR/long_model_name.json, a model named wider than the terminal.

Before writing, each model's text at 80 columns (and at 200 where the fixture records it) is
compared with the fixture's own `summary_text` (and `summary_text_wide`): a rebuilt model that
prints anything else stops the script.
"""

import glob, json, os, sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras


def summary_at(model, columns):
    os.environ["COLUMNS"] = str(columns)
    out = []
    try:
        model.summary(print_fn=lambda s, line_break=True: out.append(s + ("\n" if line_break else "")))
    except ValueError as e:
        return None, str(e).splitlines()[0]
    finally:
        del os.environ["COLUMNS"]
    # As the fixtures: Keras ends with an empty line; one newline is kept.
    return "".join(out).rstrip("\n") + "\n", None


def long_name(out_dir, widths):
    """OUT_DIR/long_model_name.json: a model whose name is wider than the terminal, which
    rich folds across lines: {"model_name", "keras_json", "summaries": {COLUMNS: text}}."""
    keras.backend.clear_session()
    name = "a_model_with_a_rather_long_name_that_goes_on_and_on_past_the_terminal_edge_" + "x" * 30
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)], name=name)
    record = {"model_name": name, "keras_json": json.loads(model.to_json()), "summaries": {}}
    for columns in sorted(set(widths) | {80}):
        text, _ = summary_at(model, columns)
        if text is not None:
            record["summaries"][str(columns)] = text
    with open(os.path.join(out_dir, "long_model_name.json"), "w") as f:
        json.dump(record, f, indent=1, ensure_ascii=False)
        f.write("\n")


def main(fixtures_dir, out_dir, widths, only):
    for folder in ("keras", "keras_layers", "keras_graph"):
        os.makedirs(os.path.join(out_dir, folder), exist_ok=True)
        for path in sorted(glob.glob(os.path.join(fixtures_dir, folder, "*.json"))):
            name = os.path.basename(path)[: -len(".json")]
            if only is not None and name not in only:
                continue
            fixture = json.load(open(path))
            if not fixture.get("summary_text"):
                continue
            keras.backend.clear_session()
            model = keras.models.model_from_json(json.dumps(fixture["keras_json"]))
            for columns, key in ((80, "summary_text"), (200, "summary_text_wide")):
                if fixture.get(key) is not None and summary_at(model, columns)[0] != fixture[key]:
                    sys.exit(f"{path}: the rebuilt model does not print the fixture's {key}")
            out_path = os.path.join(out_dir, folder, os.path.basename(path))
            record = {"fixture": f"{folder}/{os.path.basename(path)}", "summaries": {}, "refused": {}}
            if os.path.exists(out_path):
                record = json.load(open(out_path))
            for columns in widths:
                # What the fixture records already is not repeated.
                if columns == 80 or (columns == 200 and fixture.get("summary_text_wide")):
                    continue
                text, error = summary_at(model, columns)
                if text is None:
                    record["refused"][str(columns)] = error
                else:
                    record["summaries"][str(columns)] = text
            for key in ("summaries", "refused"):
                record[key] = dict(sorted(record[key].items(), key=lambda kv: int(kv[0])))
            with open(out_path, "w") as f:
                json.dump(record, f, indent=1, ensure_ascii=False)
                f.write("\n")


if __name__ == "__main__":
    args = sys.argv[3:]
    only = None
    if "--only" in args:
        i = args.index("--only")
        only = set(args[i + 1].split(","))
        args = args[:i] + args[i + 2:]
    main(sys.argv[1], sys.argv[2], [int(w) for w in args], only)
    if only is None:
        long_name(sys.argv[2], [int(w) for w in args])
