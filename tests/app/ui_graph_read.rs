//! Reading a graph in the summary pane: Keras' "Connected to" column when the pane is wide
//! enough, Keras' order or the design's on a key, and a refused branch marked in place with
//! only the layers that read from it greyed.

use crate::common::{press, render};
use lstm_tui::app::App;
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::{Convention, Design, Layer, layer_names};
use lstm_tui::ui::layout::for_app;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

/// A Keras functional fixture: its `model.to_json()` read as a design, and what Keras reported.
fn fixture(file: &str) -> (Design, Value) {
    let path = format!(
        "{}/tests/fixtures/keras_graph/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let design = design_from_keras_json(&value["keras_json"].to_string())
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    (design, value)
}

/// Keras' rows of a fixture, in Keras' order.
fn keras_rows(keras: &Value) -> Vec<Value> {
    keras["expected"]["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The summary pane's lines, each after a mark for the colour of its first cell: `E` the
/// error colour, `M` muted (greyed), `T` anything else, `.` when that cell is blank or a border.
fn summary_pane(app: &App, terminal: &Terminal<TestBackend>) -> String {
    let area = for_app(app).expect("big enough").summary;
    let buf = terminal.backend().buffer();
    let t = &app.theme;
    let mut out = String::new();
    for y in area.y..area.y + area.height {
        let cells: Vec<_> = (area.x..area.x + area.width)
            .map(|x| &buf[(x, y)])
            .collect();
        let first = cells[1];
        let blank = first.symbol().trim().is_empty() || first.symbol() == "─";
        let mark = match first.fg {
            _ if blank || y == area.y + 1 => '.',
            fg if Some(fg) == t.error.style().fg => 'E',
            fg if Some(fg) == t.muted.style().fg => 'M',
            _ => 'T',
        };
        out.push(mark);
        out.push(' ');
        let line: String = cells.iter().map(|c| c.symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The line of `text` whose row starts with `name` (its type after it, or on the next line).
fn line_of(text: &str, name: &str) -> Option<usize> {
    let cell = format!("│{name} ");
    text.lines().position(|l| l.contains(&cell))
}

/// A row's lines: the one at `at` and those continuing it (its wrapped type and links).
fn row_text(pane: &str, at: usize) -> String {
    let lines: Vec<&str> = pane.lines().collect();
    let more = lines[at + 1..]
        .iter()
        .take_while(|l| l.starts_with(". │ ") || l.contains("│("))
        .count();
    lines[at..=at + more].join("\n")
}

#[test]
fn a_wide_summary_pane_shows_keras_connected_to_column() {
    let (design, keras) = fixture("residual_dense_block.json");
    let mut app = App::new(design, Convention::Keras);
    let narrow = render(&mut app, 80, 24);
    assert!(
        !summary_pane(&app, &narrow).contains("Connected to"),
        "no room at 80 columns"
    );
    let wide = render(&mut app, 160, 50);
    let pane = summary_pane(&app, &wide);
    insta::assert_snapshot!("graph_summary_connected_160x50", pane);
    assert!(pane.contains("Connected to"), "{pane}");
    for row in keras_rows(&keras) {
        let Some(name) = row["name"].as_str() else {
            continue;
        };
        if row["class"] == "InputLayer" {
            continue;
        }
        let at = line_of(&pane, name).unwrap_or_else(|| panic!("{name} has a row:\n{pane}"));
        let line = row_text(&pane, at);
        for entry in row["connected_to"].as_array().into_iter().flatten() {
            let entry = entry.as_str().unwrap_or_default();
            assert!(
                line.contains(entry),
                "{name} is connected to {entry}:\n{pane}"
            );
        }
    }
}

#[test]
fn r_switches_between_keras_order_and_the_designs_keeping_the_selection() {
    let (design, keras) = fixture("inception_block_conv2d.json");
    let names = layer_names(&design.layers);
    let mut app = App::new(design, Convention::Keras);
    // The third layer, which Keras lists elsewhere.
    press(&mut app, "j j");
    let selected = app.selected;
    let chosen = names[selected - 1].clone();
    let terminal = render(&mut app, 200, 60);
    let design_order = summary_pane(&app, &terminal);
    let at: Vec<usize> = names
        .iter()
        .map(|n| line_of(&design_order, n).unwrap_or_else(|| panic!("{n}:\n{design_order}")))
        .collect();
    assert!(at.is_sorted(), "the design's order:\n{design_order}");
    press(&mut app, "r");
    assert_eq!(app.selected, selected, "the selection stays on {chosen}");
    let terminal = render(&mut app, 200, 60);
    let keras_order = summary_pane(&app, &terminal);
    let rows: Vec<String> = keras_rows(&keras)
        .iter()
        .filter_map(|r| r["name"].as_str().map(String::from))
        .collect();
    let at: Vec<usize> = rows
        .iter()
        .map(|n| line_of(&keras_order, n).unwrap_or_else(|| panic!("{n}:\n{keras_order}")))
        .collect();
    assert!(at.is_sorted(), "Keras' order {rows:?}:\n{keras_order}");
    // The highlighted line is still the chosen layer's.
    let area = for_app(&app).expect("big enough").summary;
    let line = line_of(&keras_order, &chosen).expect("chosen layer shown");
    let y = area.y + u16::try_from(line).expect("small");
    let cell = &terminal.backend().buffer()[(area.x + 2, y)];
    assert_eq!(
        Some(cell.bg),
        app.theme.selection.style().bg,
        "{chosen} is highlighted:\n{keras_order}"
    );
    press(&mut app, "r");
    let terminal = render(&mut app, 200, 60);
    let back = summary_pane(&app, &terminal);
    assert_eq!(back, design_order);
}

#[test]
fn a_refused_branch_is_marked_in_place_and_only_its_readers_are_greyed() {
    let (mut design, keras) = fixture("multi_input_text_and_numeric.json");
    let names = layer_names(&design.layers);
    let lstm = names.iter().position(|n| n == "lstm").expect("an LSTM");
    // The text branch's LSTM called on the 2-D numeric input instead of the embedded text.
    design.graph.wiring.entry(lstm).or_default().inputs = vec!["numeric".into()];
    let mut app = App::new(design, Convention::Keras);
    let terminal = render(&mut app, 120, 40);
    let pane = summary_pane(&app, &terminal);
    insta::assert_snapshot!("graph_summary_refused_branch_120x40", pane);
    let mark = |needle: &str| {
        pane.lines()
            .find(|l| l.contains(needle))
            .and_then(|l| l.chars().next())
            .unwrap_or_else(|| panic!("{needle}:\n{pane}"))
    };
    assert_eq!(mark("✗ lstm (LSTM)"), 'E', "{pane}");
    // The numeric branch reads nothing from the LSTM: built, with Keras' own count.
    let dense = keras_rows(&keras)
        .into_iter()
        .find(|r| r["name"] == "dense")
        .expect("Keras' dense row");
    let count = lstm_tui::report::numbers::thousands(dense["params"].as_u64().expect("params"));
    let line = pane
        .lines()
        .find(|l| l.contains("dense (Dense)"))
        .unwrap_or_default();
    assert!(line.starts_with('T') && line.contains(&count), "{pane}");
    for waits in ["(Concatenate)", "· (Dense)"] {
        assert_eq!(mark(waits), 'M', "{waits} waits:\n{pane}");
    }
}

/// The detail pane's text, its wrapped lines joined with spaces.
fn detail_text(app: &App, terminal: &Terminal<TestBackend>) -> String {
    let area = for_app(app).expect("big enough").detail;
    let buf = terminal.backend().buffer();
    let mut words = Vec::new();
    for y in area.y + 1..area.y + area.height - 1 {
        let line: String = (area.x + 1..area.x + area.width - 1)
            .map(|x| buf[(x, y)].symbol())
            .collect();
        words.extend(line.split_whitespace().map(String::from));
    }
    words.join(" ")
}

/// A fixture's shape as Keras prints it: `[null, 6, 1]` → `(None, 6, 1)`.
fn keras_shape(v: &Value) -> String {
    let dims: Vec<String> = v
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d.as_u64().map_or("None".into(), |n| n.to_string()))
        .collect();
    format!("({})", dims.join(", "))
}

#[test]
fn the_detail_of_a_merge_says_why_its_real_shapes_agree() {
    let (design, keras) = fixture("add_broadcasts_size_one_axis.json");
    let rows = keras_rows(&keras);
    let shape_of = |name: &str| {
        rows.iter()
            .find(|r| r["name"] == name)
            .map(|r| r["output_shape"].clone())
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    let mut app = App::new(design, Convention::Keras);
    // The first layer, Add, is selected: scale (a size of 1 on one axis) + values.
    let terminal = render(&mut app, 200, 60);
    let text = detail_text(&app, &terminal);
    let (scale, values) = (shape_of("scale"), shape_of("values"));
    let axis = (0..)
        .zip(scale.as_array().expect("dims"))
        .find(|(_, d)| d.as_u64() == Some(1))
        .map(|(i, _)| i)
        .expect("an axis of size 1");
    let stretched = values[axis].as_u64().expect("known");
    let want = format!(
        "{} + {}: axis {axis} broadcasts 1 → {stretched}",
        keras_shape(&scale),
        keras_shape(&values)
    );
    assert!(text.contains(&want), "{want}:\n{text}");
    // Concatenate joins Add's and Multiply's outputs on the last axis: the sizes add up.
    press(&mut app, "j j");
    let terminal = render(&mut app, 200, 60);
    let text = detail_text(&app, &terminal);
    let last = |v: &Value| v.as_array().and_then(|a| a.last()).and_then(Value::as_u64);
    let (a, m, c) = (
        shape_of("add"),
        shape_of("multiply"),
        shape_of("concatenate"),
    );
    let want = format!(
        "{} + {} = {}",
        last(&a).expect("known"),
        last(&m).expect("known"),
        last(&c).expect("known")
    );
    assert!(text.contains(&want), "{want}:\n{text}");
}

#[test]
fn the_detail_of_a_refused_merge_names_the_axis_that_differs() {
    // features → dense → dense_1, and Add(features, dense_1): a residual of width 32.
    let (design, keras) = fixture("residual_dense_block.json");
    let width = keras["inputs"][0]["shape"][0].as_u64().expect("a width");
    let mut app = App::new(design, Convention::Keras);
    // dense_1 one size wider: the residual Add no longer lines up.
    press(&mut app, "j +");
    let Some(Layer::Dense(d)) = app.design.layers.get(1) else {
        panic!("the second layer is a Dense");
    };
    let wider = d.units;
    assert_ne!(wider, width);
    press(&mut app, "j");
    let terminal = render(&mut app, 200, 60);
    let text = detail_text(&app, &terminal);
    let want = format!("axis 1 has {width} and {wider}, and neither is 1");
    assert!(text.contains(&want), "{want}:\n{text}");
}

#[test]
fn cross_attention_is_derived_from_the_query_and_the_context_real_sizes() {
    let (design, keras) = fixture("mha_cross_attention_different_widths.json");
    let dims = |i: usize| -> Vec<u64> {
        keras["inputs"][i]["shape"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .collect()
    };
    let (query, context) = (dims(0), dims(1));
    let config = &keras["layers"][0]["config"];
    let heads = config["num_heads"].as_u64().expect("heads");
    let key_dim = config["key_dim"].as_u64().expect("key_dim");
    let params = keras_rows(&keras)
        .iter()
        .find(|r| r["class"] == "MultiHeadAttention")
        .and_then(|r| r["params"].as_u64())
        .expect("Keras' count");
    let mut app = App::new(design, Convention::Keras);
    let terminal = render(&mut app, 200, 60);
    let text = detail_text(&app, &terminal);
    for want in [
        format!(
            "query projection: {} features to {heads} heads × {key_dim}",
            query[1]
        ),
        format!(
            "key projection: {} features to {heads} heads × {key_dim}",
            context[1]
        ),
        format!("{} × {} × {heads} × {key_dim}", query[0], context[0]),
        lstm_tui::report::numbers::thousands(params),
    ] {
        assert!(text.contains(&want), "{want}:\n{text}");
    }
}

#[test]
fn the_detail_of_a_branch_beside_a_refusal_is_derived_and_a_reader_says_what_it_waits_for() {
    let (mut design, keras) = fixture("multi_input_text_and_numeric.json");
    let names = layer_names(&design.layers);
    let at = |name: &str| names.iter().position(|n| n == name).expect(name);
    let lstm = at("lstm");
    design.graph.wiring.entry(lstm).or_default().inputs = vec!["numeric".into()];
    let params = keras_rows(&keras)
        .iter()
        .find(|r| r["name"] == "dense")
        .and_then(|r| r["params"].as_u64())
        .expect("Keras' dense count");
    let mut app = App::new(design, Convention::Keras);
    // The layer list's rows count from 1 after the input.
    press(&mut app, &"j ".repeat(at("dense")));
    let terminal = render(&mut app, 160, 50);
    let text = detail_text(&app, &terminal);
    let count = lstm_tui::report::numbers::thousands(params);
    assert!(text.contains(&format!("= {count}")), "{count}:\n{text}");
    press(&mut app, "j");
    let terminal = render(&mut app, 160, 50);
    let text = detail_text(&app, &terminal);
    let want = format!("depends on lstm (row {})", lstm + 1);
    assert!(text.contains(&want), "{want}:\n{text}");
}

/// Layers returning their states have a list of shapes wider than an 80-column summary pane:
/// the list is cut, never the counts.
#[test]
fn state_lists_give_way_to_the_counts_at_80_columns() {
    let (design, keras) = fixture("seq2seq_lstm_encoder_decoder.json");
    let mut app = App::new(design, Convention::Keras);
    let terminal = render(&mut app, 80, 24);
    let pane = summary_pane(&app, &terminal);
    let mut checked = 0;
    for row in keras_rows(&keras) {
        let params = row["params"].as_u64().expect("params");
        if params == 0 {
            continue;
        }
        let count = lstm_tui::report::numbers::thousands(params);
        assert!(
            pane.contains(&count),
            "{} shows {count}:\n{pane}",
            row["name"]
        );
        checked += 1;
    }
    assert!(checked >= 3, "{checked} counts checked");
}
