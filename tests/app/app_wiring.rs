//! Wiring a graph design by keys: every edit keeps the graph's references true and is one
//! undo step. The designs are Keras' own functional models (tests/fixtures/keras_graph), and
//! the totals expected are the ones Keras printed for them.

use std::fs;

use crate::common::{example, press, render, screen};
use lstm_tui::app::{App, Mode};
use lstm_tui::interop::design_from_keras_json;
use lstm_tui::model::graph::Call;
use lstm_tui::model::{Convention, Design, Summary};
use serde_json::Value;

/// A functional model from tests/fixtures/keras_graph, as a design, and what Keras printed.
fn keras_graph(name: &str) -> (Design, Value) {
    let path = format!(
        "{}/tests/fixtures/keras_graph/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let fixture: Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("readable")).expect("JSON");
    let text = serde_json::to_string(&fixture["keras_json"]).expect("JSON");
    let design = design_from_keras_json(&text)
        .map(|mut d| {
            d.name = name.to_string();
            d
        })
        .expect("imports");
    (design, fixture)
}

/// Keras' total for a fixture, and the parameters of one of its rows.
fn keras_total(fixture: &Value) -> u64 {
    fixture["expected"]["total"].as_u64().expect("total")
}

fn keras_params(fixture: &Value, row: &str) -> u64 {
    fixture["expected"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == row)
        .and_then(|r| r["params"].as_u64())
        .expect("row")
}

/// The residual block `features → dense → dense_1 → Add(features, dense_1) → activation →
/// dense_2`, opened with `add` selected.
fn residual() -> (App, Design, Value) {
    let (design, fixture) = keras_graph("residual_dense_block");
    let mut app = App::new(design.clone(), Convention::Keras);
    assert_eq!(app.total(), Some(keras_total(&fixture)));
    press(&mut app, "j j");
    (app, design, fixture)
}

/// The positional references the layer at `at` is called on.
fn inputs(app: &App, at: usize) -> Vec<String> {
    app.design
        .graph
        .wiring
        .get(&at)
        .map(|c| c.inputs.clone())
        .unwrap_or_default()
}

/// Tabs from the form's current field to the field named `name` (after it).
fn tabs_to(app: &App, name: &str) -> String {
    let Mode::Form(form) = &app.mode else {
        panic!("a form is open: {:?}", app.mode);
    };
    let at = form
        .fields
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("the form has {name}"));
    vec!["<tab>"; at - form.index].join(" ")
}

#[test]
fn a_residual_connection_is_rewired_from_the_form_then_undone_and_redone() {
    let (mut app, design, fixture) = residual();
    press(&mut app, "<enter>");
    assert_eq!(
        tabs_to(&app, "inputs"),
        "",
        "a merge's form opens on its inputs"
    );
    press(&mut app, "dense, dense_1 <enter>");
    assert_eq!(app.mode, Mode::Normal, "applied");
    assert_eq!(inputs(&app, 2), ["dense", "dense_1"]);
    let row = app.summary.row_of(2).expect("add builds");
    let links: Vec<String> = app
        .summary
        .connected_to(row)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(links, ["dense[0][0]", "dense_1[0][0]"]);
    // Add has no weights: the total Keras printed does not move.
    assert_eq!(app.total(), Some(keras_total(&fixture)));
    press(&mut app, "u");
    assert_eq!(app.design, design, "one undo step takes the rewiring back");
    press(&mut app, "C-r");
    assert_eq!(inputs(&app, 2), ["dense", "dense_1"]);
}

#[test]
fn a_reference_to_no_tensor_before_the_layer_is_refused_in_the_form() {
    let (mut app, design, _) = residual();
    press(&mut app, "<enter>");
    let tabs = tabs_to(&app, "inputs");
    press(&mut app, &tabs);
    // `dense_2` comes after the Add: not in its scope.
    press(&mut app, "features, dense_2 <enter>");
    let Mode::Form(form) = &app.mode else {
        panic!("the form stays open: {:?}", app.mode);
    };
    let (_, why) = form.error.as_ref().expect("an error");
    assert!(
        why.contains("`dense_2`") && why.contains("dense_1"),
        "{why}"
    );
    press(&mut app, "<esc>");
    assert_eq!(app.design, design);
}

#[test]
fn deleting_a_layer_others_read_asks_and_reconnects_them_to_its_input_by_default() {
    let (mut app, design, fixture) = residual();
    press(&mut app, "k d");
    let Mode::Tensors(picker) = &app.mode else {
        panic!("d asks what to reconnect: {:?}", app.mode);
    };
    assert_eq!(picker.choices[0].reference.as_deref(), Some("dense"));
    assert!(picker.choices.last().is_some_and(|c| c.reference.is_none()));
    // d again takes the default, as Enter does.
    press(&mut app, "d");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.design.layers.len(), design.layers.len() - 1);
    assert_eq!(inputs(&app, 1), ["features", "dense"]);
    assert_eq!(
        app.total(),
        Some(keras_total(&fixture) - keras_params(&fixture, "dense_1"))
    );
    press(&mut app, "u");
    assert_eq!(app.design, design, "one undo step brings it back, wired");
}

#[test]
fn deleting_a_layer_can_hand_its_readers_another_tensor_or_nothing() {
    let (mut app, _, fixture) = residual();
    // Its input first, then the tensors before it: `features`.
    press(&mut app, "k d j <enter>");
    assert_eq!(inputs(&app, 1), ["features", "features"]);
    // `dense` then feeds no output, and Keras leaves it out of the model.
    assert_eq!(
        app.total(),
        Some(
            keras_total(&fixture)
                - keras_params(&fixture, "dense_1")
                - keras_params(&fixture, "dense")
        )
    );
    let (mut app, _, _) = residual();
    press(&mut app, "k d j j <enter>");
    assert_eq!(inputs(&app, 1), ["features"]);
    assert_eq!(
        app.total(),
        Some(
            keras_total(&fixture)
                - keras_params(&fixture, "dense_1")
                - keras_params(&fixture, "dense")
        )
    );
}

#[test]
fn a_chain_deletes_without_asking() {
    let mut app = example();
    let before = app.design.layers.len();
    press(&mut app, "d");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.design.layers.len(), before - 1);
    assert!(app.design.graph.is_chain());
}

#[test]
fn a_branch_starts_from_the_selection_and_merges_back_as_a_residual_connection() {
    let mut app = example();
    let total = app.total().expect("builds");
    // dense (64 units, row 4): a branch of one Dense 64 beside the trunk.
    press(&mut app, "j j j B");
    let text = screen(&render(&mut app, 100, 30));
    assert!(text.contains("Branch from dense"), "{text}");
    press(&mut app, "den <enter>");
    assert_eq!(app.design.graph.wiring.get(&4), Some(&Call::on(&["dense"])));
    assert_eq!(
        inputs(&app, 5),
        ["dense"],
        "the layer after keeps its input"
    );
    let text = screen(&render(&mut app, 160, 30));
    assert!(text.contains("feeds no output"), "{text}");
    press(&mut app, "<enter>");
    press(&mut app, "64 <enter>");
    press(&mut app, "m");
    let Mode::Tensors(picker) = &app.mode else {
        panic!("m asks what to merge with: {:?}", app.mode);
    };
    assert_eq!(
        picker.choices[picker.index].reference.as_deref(),
        Some("dense"),
        "the tensor the branch left from is offered first"
    );
    press(&mut app, "<enter>");
    assert_eq!(inputs(&app, 5), ["dense_3", "dense"]);
    assert_eq!(
        app.design.graph.wiring.get(&6),
        None,
        "the trunk reads the merge"
    );
    let text = screen(&render(&mut app, 160, 30));
    assert!(!text.contains("feeds no output"), "{text}");
    // One Dense(64) on 64 features more: 64·64 + 64, as Keras counts a Dense.
    assert_eq!(app.total(), Some(total + 64 * 64 + 64));
    press(&mut app, "u u u");
    assert_eq!(app.design, Design::example());
}

#[test]
fn a_branch_from_the_last_layer_merged_back_becomes_the_model_output() {
    // A new design of (32,) features and one Dense(32); a Dense(32) branch from it, merged
    // back by an Add: x → dense → dense_1 → Add(dense_1, dense), the Add the model's output.
    let mut app = example();
    press(
        &mut app,
        "n C-u (32,) <enter> a <enter> B <enter> m <enter>",
    );
    assert_eq!(inputs(&app, 2), ["dense_1", "dense"]);
    assert!(app.design.is_output(2), "{:?}", app.design.graph.outputs);
    assert!(!app.design.is_output(0), "{:?}", app.design.graph.outputs);
    let text = screen(&render(&mut app, 160, 30));
    assert!(!text.contains("feeds no output"), "{text}");
    // Both Dense(32) on 32 features count, 32·32 + 32 each, as Keras counts a Dense.
    assert_eq!(app.total(), Some(2 * (32 * 32 + 32)));
}

#[test]
fn merging_a_chain_back_highlights_a_tensor_that_fits_rather_than_the_input() {
    // A new design of (32,) features, Dense(64, relu) twice: the chain left from the input,
    // whose 32 features an Add with 64 refuses; the first Dense fits.
    let mut app = example();
    press(
        &mut app,
        "n C-u (32,) <enter> a <enter> <enter> C-u 64 <enter> y m",
    );
    let Mode::Tensors(picker) = &app.mode else {
        panic!("m asks what to merge with: {:?}", app.mode);
    };
    assert!(
        picker.choices[0].why_not.is_some(),
        "the input does not fit an Add: {:?}",
        picker.choices
    );
    assert_eq!(
        picker.choices[picker.index].reference.as_deref(),
        Some("dense")
    );
    press(&mut app, "<enter>");
    assert_eq!(inputs(&app, 2), ["dense_1", "dense"]);
    // Keras' Dense: 32·64 + 64 and 64·64 + 64; an Add has none.
    assert_eq!(app.total(), Some(32 * 64 + 64 + 64 * 64 + 64));
}

#[test]
fn the_tensor_picker_offers_only_the_keys_that_do_something() {
    // Merging a branch back: one tensor, several merge kinds; Space takes nothing.
    let mut app = example();
    press(&mut app, "j j j B den <enter> m");
    let text = screen(&render(&mut app, 160, 30));
    assert!(text.contains("→ kind"), "{text}");
    assert!(!text.contains("Space take"), "{text}");
    // A new Concatenate's inputs: taken one by one; there are no kinds to switch.
    let mut app = example();
    press(&mut app, "G a conc <enter>");
    assert!(matches!(app.mode, Mode::Tensors(_)), "{:?}", app.mode);
    let text = screen(&render(&mut app, 160, 30));
    assert!(text.contains("Space take"), "{text}");
    assert!(
        !text.contains("→ kind") && !text.contains("→/l kind"),
        "{text}"
    );
}

#[test]
fn a_long_tensor_list_scrolls_under_its_question_and_above_its_keys() {
    // 22 tensors in scope at 80×24: what the choice is for stays above the list and the keys
    // below it, whichever tensor is highlighted.
    let mut app = example();
    press(&mut app, "G");
    for _ in 0..16 {
        press(&mut app, "a dense <enter>");
    }
    press(&mut app, "a conc <enter>");
    assert!(matches!(app.mode, Mode::Tensors(_)), "{:?}", app.mode);
    for keys in [
        "",
        "<up> <up> <up> <up> <up> <up> <up> <up> <up> <up> <up> <up> <up> <up>",
    ] {
        press(&mut app, keys);
        let text = screen(&render(&mut app, 80, 24));
        let lines: Vec<&str> = text.lines().collect();
        let at = |needle: &str| lines.iter().position(|l| l.contains(needle));
        let Mode::Tensors(p) = &app.mode else {
            panic!("{:?}", app.mode)
        };
        let highlighted = p.choices[p.index].reference.clone().expect("a tensor");
        let how = at("takes each tensor").unwrap_or_else(|| panic!("no question\n{text}"));
        let row = lines
            .iter()
            .position(|l| l.contains(&format!(" {highlighted} ")))
            .unwrap_or_else(|| panic!("{highlighted} not in view\n{text}"));
        let keys = at("Esc").unwrap_or_else(|| panic!("no keys\n{text}"));
        assert!(how < row && row < keys, "{text}");
    }
}

#[test]
fn a_merge_added_after_two_inputs_takes_both_on_enter() {
    // Inputs of 20 and 5 features, then a Concatenate: the first input is taken already, so
    // Enter takes the second, rather than the same one again.
    let mut app = example();
    press(
        &mut app,
        "n C-u (20,) <enter> I C-u (5,) <enter> a conc <enter> <enter>",
    );
    assert_eq!(inputs(&app, 0), ["input_layer", "input_layer_1"]);
    let row = app.summary.row_of(0).expect("the Concatenate builds");
    assert_eq!(row.output.to_string(), "(None, 25)");
}

#[test]
fn merge_kinds_are_chosen_with_left_and_right() {
    let mut app = example();
    press(&mut app, "j j j B den <enter> m <right> <enter>");
    assert_eq!(app.design.layers[5].kind().class(), "Concatenate");
}

#[test]
fn adding_a_merge_asks_for_its_inputs_and_marks_the_ones_that_do_not_fit() {
    let mut app = example();
    // After dense_1 (row 5): the Add reads dense_1 and the tensor highlighted.
    press(&mut app, "j j j j a add");
    let Mode::Picker(kinds) = &app.mode else {
        panic!("the layer picker opens: {:?}", app.mode);
    };
    // `add` also matches ZeroPadding: go down to Add.
    let add = kinds
        .matches()
        .iter()
        .position(|l| l.kind().class() == "Add")
        .expect("Add matches");
    press(&mut app, &format!("{} <enter>", "<down> ".repeat(add)));
    let Mode::Tensors(picker) = &app.mode else {
        panic!(
            "the tensor picker opens: {:?} {:?}",
            app.mode, app.design.layers
        );
    };
    let input = &picker.choices[0];
    assert_eq!(input.reference.as_deref(), Some("input_layer"));
    assert!(
        input.why_not.is_some(),
        "(100, 6) does not add to (64,): {input:?}"
    );
    let dense = picker
        .choices
        .iter()
        .position(|c| c.reference.as_deref() == Some("dense"))
        .expect("dense is in scope");
    assert!(picker.choices[dense].why_not.is_none());
    press(
        &mut app,
        &format!("{} {}", "k ".repeat(10), "j ".repeat(dense)),
    );
    let text = screen(&render(&mut app, 100, 30));
    assert!(text.contains("Inputs of the new Add"), "{text}");
    press(&mut app, "<enter>");
    assert_eq!(inputs(&app, 5), ["dense_1", "dense"]);
    assert!(app.summary.is_ok(), "{:?}", app.summary.error);
    press(&mut app, "u");
    assert_eq!(app.design, Design::example());
}

#[test]
fn adding_attention_reads_the_selection_twice_on_enter() {
    let mut app = example();
    // After the Dropout (row 2), on its sequence.
    press(&mut app, "j a multihead <enter> <enter>");
    assert_eq!(app.design.layers[2].kind().class(), "MultiHeadAttention");
    assert_eq!(inputs(&app, 2), ["dropout", "dropout"]);
}

#[test]
fn a_layer_becomes_a_model_output_and_back_and_the_last_output_stays() {
    let (mut app, design, _) = residual();
    press(&mut app, "O");
    assert_eq!(app.design.graph.outputs, ["dense_2", "add"]);
    let text = screen(&render(&mut app, 120, 30));
    assert!(text.contains("→ output"), "{text}");
    press(&mut app, "O");
    assert_eq!(app.design.graph.outputs, ["dense_2"]);
    press(&mut app, "G O");
    assert_eq!(app.design.graph.outputs, ["dense_2"], "refused");
    assert!(
        app.status.as_ref().is_some_and(|s| s.error),
        "says why: {:?}",
        app.status
    );
    press(&mut app, "u u");
    assert_eq!(app.design, design);
}

#[test]
fn a_model_input_is_added_from_the_input_form() {
    let (mut app, design, _) = residual();
    press(&mut app, "I (8,) <tab> <tab> aux <enter>");
    let added = app.design.graph.inputs.last().expect("an input");
    assert_eq!(added.name.as_deref(), Some("aux"));
    assert_eq!(added.shape.python(), "(8,)");
    assert_eq!(app.design.input_names(), ["features", "aux"]);
    press(&mut app, "u");
    assert_eq!(app.design, design);
}

#[test]
fn duplicating_and_moving_in_a_graph_keep_its_wiring() {
    let (mut app, design, fixture) = residual();
    // dense (row 1) copied after itself: a chain step with a name of its own.
    press(&mut app, "k k y");
    assert!(app.summary.is_ok(), "{:?}", app.summary.error);
    assert_eq!(
        app.total(),
        Some(keras_total(&fixture) + keras_params(&fixture, "dense_1"))
    );
    assert_eq!(inputs(&app, 3), ["features", "dense_1"]);
    press(&mut app, "u");
    assert_eq!(app.design, design);
    // activation moved above add and back: every call goes with its layer.
    press(&mut app, "j j J K");
    assert_eq!(
        app.summary.rows,
        Summary::of(&design, Convention::Keras).rows
    );
}

#[test]
fn a_recurrent_layer_in_a_graph_takes_its_initial_state_from_the_form() {
    let (design, _) = keras_graph("seq2seq_lstm_encoder_decoder");
    let mut app = App::new(design.clone(), Convention::Keras);
    let names = lstm_tui::model::layer_names(&app.design.layers);
    let decoder = app
        .design
        .graph
        .wiring
        .iter()
        .find(|(_, c)| c.keywords.contains_key("initial_state"))
        .map(|(at, _)| *at)
        .expect("the decoder is called with the encoder's states");
    press(&mut app, &"j ".repeat(decoder));
    press(&mut app, "<enter>");
    let tabs = tabs_to(&app, "initial_state");
    press(&mut app, &tabs);
    // Without its initial state the decoder starts from zeros: same weights, same total.
    press(&mut app, "C-u <enter>");
    assert_eq!(app.mode, Mode::Normal, "{:?}", app.mode);
    let call = app.design.graph.wiring.get(&decoder).expect("still wired");
    assert!(!call.keywords.contains_key("initial_state"), "{call:?}");
    assert!(!call.inputs.is_empty());
    press(&mut app, "u");
    assert_eq!(app.design, design);
    assert!(names.len() > decoder);
}

#[test]
fn the_first_input_of_a_graph_is_renamed_from_its_form_with_every_reference() {
    let (mut app, design, fixture) = residual();
    press(&mut app, "g <enter>");
    let tabs = tabs_to(&app, "name");
    press(&mut app, &tabs);
    press(&mut app, "x <enter>");
    assert_eq!(app.design.input_names(), ["x"]);
    assert_eq!(inputs(&app, 0), ["x"]);
    assert_eq!(inputs(&app, 2), ["x", "dense_1"]);
    assert_eq!(app.total(), Some(keras_total(&fixture)));
    press(&mut app, "u");
    assert_eq!(app.design, design);
}

#[test]
fn each_output_of_a_layer_with_several_is_offered_with_its_shape() {
    let (design, fixture) = keras_graph("seq2seq_lstm_encoder_decoder");
    let mut app = App::new(design, Convention::Keras);
    // The decoder's Dense, last: merge it with any tensor before it.
    press(&mut app, "G m");
    let Mode::Tensors(picker) = &app.mode else {
        panic!("m opens the tensor picker: {:?}", app.mode);
    };
    let offered: Vec<(String, String)> = picker
        .choices
        .iter()
        .filter_map(|c| Some((c.reference.clone()?, c.shape.clone())))
        .collect();
    // Keras' rows: the encoder LSTM returns its sequence output and two states.
    let lstm = fixture["expected"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == "lstm")
        .expect("lstm row");
    let shapes = lstm["output_shape"].as_array().expect("several outputs");
    for (i, shape) in shapes.iter().enumerate() {
        let want = shape
            .as_array()
            .expect("a shape")
            .iter()
            .map(|d| d.as_u64().map_or("None".into(), |n| n.to_string()))
            .collect::<Vec<_>>()
            .join(", ");
        assert!(
            offered.contains(&(format!("lstm[{i}]"), format!("({want})"))),
            "lstm[{i}] ({want}) in {offered:?}"
        );
    }
    let text = screen(&render(&mut app, 100, 30));
    assert!(
        text.contains("lstm[2]") && text.contains("merge by ‹Add›"),
        "{text}"
    );
}

/// The further input `numeric` of Keras' two-input model: renamed and reshaped from its own
/// row's form, every reference following; removed with `d`, and back with `u`.
#[test]
fn a_further_input_is_edited_renamed_and_removed_from_its_row() {
    let (design, fixture) = keras_graph("multi_input_text_and_numeric");
    let mut app = App::new(design, Convention::Keras);
    // Row 0 is `text`, row 1 `numeric`.
    press(&mut app, "g j <enter>");
    let Mode::Form(form) = &app.mode else {
        panic!("Enter on the input opens its form: {:?}", app.mode);
    };
    assert!(
        form.fields.iter().any(|f| f.name == "name"),
        "the form has the input's name"
    );
    // Shape first: 12 features become 20; then the name.
    press(&mut app, "C-u [20] <down> <down> C-u features <enter>");
    assert_eq!(app.mode, Mode::Normal, "{:?}", app.status);
    let input = &app.design.graph.inputs[0];
    assert_eq!(input.name.as_deref(), Some("features"));
    assert_eq!(input.shape.0.to_vec(), vec![Some(20)]);
    let dense = lstm_tui::model::layer_names(&app.design.layers)
        .iter()
        .position(|n| n == "dense")
        .expect("dense");
    assert_eq!(inputs(&app, dense), vec!["features".to_string()]);
    // Only `dense` reads the input: its kernel gains 8 rows of units.
    let units = keras_params(&fixture, "dense") / 13;
    assert_eq!(
        app.total(),
        Some(keras_total(&fixture) + 8 * units),
        "{:?}",
        app.summary.error
    );

    press(&mut app, "d");
    assert!(app.design.graph.inputs.is_empty(), "d removes the input");
    assert!(inputs(&app, dense).is_empty(), "dense no longer reads it");
    let status = app.status.as_ref().expect("a status");
    assert!(status.text.contains("dense"), "{status:?}");
    press(&mut app, "u");
    assert_eq!(app.design.graph.inputs[0].name.as_deref(), Some("features"));
    assert_eq!(inputs(&app, dense), vec!["features".to_string()]);
}

/// A branch that feeds no output yet is not part of the Keras model: its detail says so and
/// how to bring it in, instead of an empty pane.
#[test]
fn a_branch_feeding_no_output_says_how_to_bring_it_in() {
    let mut app = example();
    press(&mut app, "G B dense <enter>");
    assert_eq!(app.design.layers.len(), 7, "the branch is added");
    let text = screen(&render(&mut app, 100, 30));
    assert!(
        text.contains("· feeds no output"),
        "the detail's title: {text}"
    );
    assert!(text.contains("Keras leaves it out"), "{text}");
}
