#!/usr/bin/env bash
# Makes the PNG screenshots in screenshots/ from a real run of lstm-tui.
#
# Usage (from anywhere in the repository):   scripts/screenshots.sh [graphs]
# (`graphs` makes only the screenshots of graph designs.)
#
# Needs: cargo, tmux, python3 with rich (`pip install rich`), rsvg-convert
# (`apt-get install librsvg2-bin`) and a monospace font (`apt-get install fonts-dejavu-core`).
#
# How: builds the binary, runs it in a detached tmux session with a temporary config
# directory (your own designs and settings are never touched), types keys, waits until the
# screen shows what is expected (no fixed sleeps), captures the screen with its colours
# (`tmux capture-pane -e -p`), and renders it: ANSI -> SVG with rich -> PNG with rsvg-convert.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/screenshots"
cols="${COLS:-100}"
rows="${ROWS:-30}"
session="lstm-tui-shots-$$"
config="$(mktemp -d)"
work="$(mktemp -d)"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$config" "$work"' EXIT

for tool in tmux python3 rsvg-convert cargo; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is needed (see the top of this script)" >&2; exit 1; }
done
python3 -c 'import rich' 2>/dev/null || { echo "screenshots.sh: python3 -m pip install rich" >&2; exit 1; }

cargo build --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/debug/lstm-tui"
mkdir -p "$out"

start() { # start COLS ROWS: a fresh run on the built-in example
  # The last run must have ended (and written its recovery copy) before its folder goes.
  if tmux has-session -t "$session" 2>/dev/null; then drop; fi
  rm -rf "$config" && mkdir -p "$config"
  launch "$1" "$2"
}

launch() { # launch COLS ROWS: a run on the config directory as the last run left it
  tmux new-session -d -s "$session" -x "$1" -y "$2" \
    "env LSTM_TUI_CONFIG_DIR='$config' TERM=xterm-256color '$bin' --no-mouse"
}

open_model() { # open_model COLS ROWS FIXTURE: a fresh run opening a Keras graph fixture's model
  if tmux has-session -t "$session" 2>/dev/null; then drop; fi
  rm -rf "$config" && mkdir -p "$config"
  # The fixture holds Keras' own model.to_json() beside what Keras printed for it.
  python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["keras_json"]))' \
    "$root/tests/fixtures/keras_graph/$3.json" > "$work/$3.json"
  tmux new-session -d -s "$session" -x "$1" -y "$2" \
    "env LSTM_TUI_CONFIG_DIR='$config' TERM=xterm-256color '$bin' --no-mouse '$work/$3.json'"
}

drop() { # drop: close the terminal as a dropped connection does, and wait for the program to end
  local pid
  pid="$(tmux display -p -t "$session" '#{pane_pid}')"
  tmux kill-session -t "$session"
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  echo "screenshots.sh: lstm-tui did not end after its terminal closed" >&2
  exit 1
}

wait_for() { # wait_for TEXT: poll the screen until TEXT shows (10 s at most)
  for _ in $(seq 200); do
    tmux capture-pane -t "$session" -p | grep -qF -- "$1" && return 0
    sleep 0.05
  done
  echo "screenshots.sh: timed out waiting for '$1'" >&2
  tmux capture-pane -t "$session" -p >&2
  exit 1
}

keys() { for k in "$@"; do tmux send-keys -t "$session" "$k"; sleep 0.05; done; }

type_text() { # type_text TEXT: types TEXT as it is, one character at a time
  local i
  for ((i = 0; i < ${#1}; i++)); do tmux send-keys -t "$session" -l "${1:i:1}"; sleep 0.05; done
}

shot() { # shot NAME TITLE: capture with colours and render to screenshots/NAME.png
  tmux capture-pane -t "$session" -e -p > "$work/$1.ans"
  python3 - "$work/$1.ans" "$work/$1.svg" "$2" "$(tmux display -p -t "$session" '#{pane_width}')" <<'PY'
import sys
from rich.console import Console
from rich.terminal_theme import MONOKAI
from rich.text import Text
src, dst, title, width = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
console = Console(record=True, width=width, force_terminal=True, color_system="truecolor", file=open("/dev/null", "w"))
lines = open(src, encoding="utf-8").read().rstrip("\n").split("\n")
for line in lines:
    console.print(Text.from_ansi(line), no_wrap=True, overflow="crop")
console.save_svg(dst, title=title, theme=MONOKAI)
PY
  # rich names Fira Code; use the installed monospace font so box drawing lines up, and keep
  # the spaces that start a run of text (rsvg drops them otherwise, shifting columns).
  sed -i -e 's/font-family: Fira Code, monospace/font-family: DejaVu Sans Mono, monospace/g' \
    -e 's/<svg /<svg xml:space="preserve" /' "$work/$1.svg"
  rsvg-convert "$work/$1.svg" -o "$out/$1.png"
  echo "wrote screenshots/$1.png"
}

# Graph designs: the lanes beside the layer list, lit for the selected row.
open_model "$cols" "$rows" transformer_encoder_block
wait_for "270,850"
# From the first layer down to the residual add after the attention.
keys j j j j j
wait_for "add_1 (Add)"
shot graph-transformer "lstm-tui: a transformer encoder block, its residual adds drawn as lanes"

open_model 160 40 inception_block_conv2d
wait_for "148,650"
keys j j j j j j j
wait_for "concatenate (Concatenate)"
shot graph-inception "lstm-tui: an inception block, four branches joined by one Concatenate"

if [[ "${1:-}" == graphs ]]; then exit 0; fi

start "$cols" "$rows"
wait_for "59,910"
shot first-run "lstm-tui: the example, first LSTM selected"

keys a
wait_for "Add after"
shot picker "lstm-tui: adding a layer (type to filter)"

keys Escape
wait_for "Total params"
keys Enter
wait_for "Edit lstm"
# A field's value is selected when it gets the focus: typing replaces it.
keys 0
wait_for "got 0"
shot edit-form "lstm-tui: the edit form rejects 0 units"

keys Escape
wait_for "Total params"
keys Enter Down Down Down
wait_for "Space toggles"
type_text False
keys Enter
wait_for "does not build"
keys j j
wait_for "Fix"
shot shape-error "lstm-tui: a broken stack, marked in place with its fix"

keys u g
wait_for "59,910"
keys '?'
wait_for "Keys"
shot help "lstm-tui: every key, from the one keymap"

# A text classifier built from scratch, as tests/live/e2e_design.rs builds it: 100 token
# ids, Embedding, Bidirectional LSTM, Dense with a sigmoid.
start "$cols" "$rows"
wait_for "59,910"
keys n
wait_for "Edit the input"
type_text "(100,)"
keys Tab Space
wait_for "int32"
keys Enter
wait_for "no layers yet"
keys a
type_text emb
keys Enter
wait_for "embedding (Embedding)"
keys Enter
wait_for "input_dim"
type_text 5000
keys Tab
type_text 16
keys Enter
wait_for "80,000"
keys a
type_text bid
keys Enter
wait_for "(Bidirectional)"
keys a
type_text den
keys Enter
wait_for "dense (Dense)"
keys Enter
wait_for "units"
type_text 1
keys Tab
type_text sig
keys Enter
wait_for "(None, 1)"
shot new-design "lstm-tui: a text classifier designed from scratch with n"

start 200 50
wait_for "Weights"
keys b 6 0 k Enter j j j + +
wait_for "over"
shot wide "lstm-tui at 200x50 with a parameter budget"

start 200 50
wait_for "Weights"
keys b 6 0 0 0 0 Down 1 2 0 0 0 0 Down Right Down 5 M Enter
wait_for "MACs "
keys f
wait_for "Fit to budget"
shot fit "lstm-tui: three budgets and the largest first LSTM that fits them all"

start "$cols" "$rows"
wait_for "59,910"
keys j j j + +
wait_for "60,168"
drop
launch "$cols" "$rows"
wait_for "Unsaved work found"
shot recovery "lstm-tui: an edit from a dropped session, offered at the next start"
