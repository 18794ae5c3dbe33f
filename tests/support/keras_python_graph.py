"""Records what real Keras builds from each functional-model program in
tests/fixtures/keras_python_graph/: runs FILE.py in a fresh process (so automatic names start
from zero, as in a fresh session) and writes FILE.json beside it with the model's
`to_json()`, its `summary()` text and its parameter counts.

Usage: KERAS_BACKEND=jax python tests/support/keras_python_graph.py [FILE.py ...]
(no arguments: every program in the folder).
"""

import json
import os
import pathlib
import subprocess
import sys

FOLDER = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "keras_python_graph"

CHILD = r"""
import contextlib, io, json, runpy, sys
import keras
program = sys.argv[1]
with contextlib.redirect_stdout(io.StringIO()):
    scope = runpy.run_path(program, run_name="__main__")
model = scope["model"]
lines = []
model.summary(print_fn=lambda line, *a, **k: lines.append(line), line_length=120)
trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
non_trainable = sum(int(w.numpy().size) for w in model.non_trainable_weights)
json.dump({
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "to_json": json.loads(model.to_json()),
    "summary_text": "\n".join(lines),
    "total": trainable + non_trainable,
    "trainable": trainable,
    "non_trainable": non_trainable,
    "layer_count": len(model.layers),
}, sys.stdout)
"""


def record(program: pathlib.Path) -> None:
    env = dict(os.environ, KERAS_BACKEND=os.environ.get("KERAS_BACKEND", "jax"))
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(program)],
        check=True, capture_output=True, text=True, env=env,
    ).stdout
    record = json.loads(out)
    record = {"program": program.name, **record}
    target = program.with_suffix(".json")
    target.write_text(json.dumps(record, indent=1) + "\n")
    print(f"{target.name}: {record['total']} parameters, {record['layer_count']} layers")


def main() -> None:
    programs = [pathlib.Path(p) for p in sys.argv[1:]] or sorted(FOLDER.glob("*.py"))
    for program in programs:
        record(program)


if __name__ == "__main__":
    main()
