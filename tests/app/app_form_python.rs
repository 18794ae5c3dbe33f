//! The edit form speaks Python as Keras is written: the input's shape as a tuple, `True`,
//! `None`, `l2(0.001)`, choices cycled with Space, wrapped layers edited in place, and
//! readline keys in every text field. Driven by keys through the real keymap.

use crate::common::{example, press, render, screen};
use lstm_tui::app::form::{Form, Value as FormValue};
use lstm_tui::app::{App, Mode};
use lstm_tui::model::layers::{Attention, MultiHeadAttention, ScoreMode};
use lstm_tui::model::{Design, Dtype, Layer, Shape};
use serde_json::Value;

fn form(app: &App) -> &Form {
    match &app.mode {
        Mode::Form(f) => f,
        other => panic!("no form: {other:?}"),
    }
}

fn focused(app: &App) -> (String, String) {
    let f = form(app);
    let field = &f.fields[f.index];
    (field.name.clone(), field.text.text().to_string())
}

fn set(form: &mut Form, name: &str, text: &str) {
    let at = form
        .fields
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}"));
    form.fields[at].text.set(text);
}

fn new_design() -> App {
    let mut app = example();
    press(&mut app, "n");
    app
}

#[test]
fn n_asks_for_the_input_shape_first_and_takes_python_spellings() {
    for (typed, dims) in [
        ("(100,)", vec![Some(100)]),
        ("(28, 28, 1)", vec![Some(28), Some(28), Some(1)]),
        ("(None, 6)", vec![None, Some(6)]),
        ("100, 6", vec![Some(100), Some(6)]),
        ("[100, 6]", vec![Some(100), Some(6)]),
    ] {
        let mut app = new_design();
        assert_eq!(focused(&app).0, "shape", "the shape field has the cursor");
        for c in typed.chars() {
            press(&mut app, &c.to_string().replace(' ', "<space>"));
        }
        press(&mut app, "<enter>");
        assert_eq!(app.mode, Mode::Normal, "{typed}");
        assert_eq!(app.design.input.shape, Shape(dims.into()), "{typed}");
    }
}

#[test]
fn the_input_dtype_is_a_choice_cycled_with_space_or_typed() {
    let mut app = new_design();
    press(&mut app, "(100,) <tab>");
    assert_eq!(focused(&app), ("dtype".into(), "float32".into()));
    press(&mut app, "<space> <enter>");
    assert_eq!(app.design.input.dtype, Dtype::Int32);
    // The list spells the input as it was typed: a 1-tuple keeps its comma.
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("Input (100,) int32 ids"), "{text}");
    press(&mut app, "<enter> <tab> f <enter>");
    assert_eq!(
        app.design.input.dtype,
        Dtype::Float32,
        "typing f filters to float32"
    );
}

#[test]
fn an_image_input_lets_conv2d_build() {
    let mut app = new_design();
    press(&mut app, "(28,28,1) <enter> a conv2d <enter>");
    assert!(matches!(app.design.layers[0], Layer::Conv2D(_)));
    assert!(app.summary.error.is_none(), "{:?}", app.summary.error);
}

#[test]
fn fields_show_python_spelling() {
    let design = Design::example();
    let f = Form::for_layer(0, &design.layers[0]).expect("the LSTM's form");
    let text = |name: &str| {
        f.fields
            .iter()
            .find(|x| x.name == name)
            .map(|x| x.text.text().to_string())
            .unwrap_or_else(|| panic!("no {name}: {:?}", f.fields))
    };
    assert_eq!(text("return_sequences"), "True");
    assert_eq!(text("activation"), "tanh");
    assert_eq!(text("return_state"), "False", "return_state can be set");
    assert!(
        text("recurrent_regularizer").starts_with("l2("),
        "{}",
        text("recurrent_regularizer")
    );
    assert_eq!(text("kernel_regularizer"), "None");
}

#[test]
fn fields_accept_python_spelling() {
    let design = Design::example();
    let mut f = Form::for_layer(0, &design.layers[0]).expect("the LSTM's form");
    set(&mut f, "units", "32");
    set(&mut f, "return_sequences", "False");
    set(&mut f, "kernel_regularizer", "l2(0.001)");
    set(&mut f, "bias_regularizer", "l1_l2(l1=0.01, l2=0.02)");
    set(&mut f, "activation", "'relu'");
    set(&mut f, "name", "encoder");
    let Ok(FormValue::Layer(layer)) = f.read(None) else {
        panic!("refused: {:?}", f.read(None))
    };
    let Layer::Lstm(l) = *layer else {
        panic!("not an LSTM: {layer:?}")
    };
    let json = serde_json::to_value(&l).expect("json");
    assert_eq!(json["units"], 32);
    assert_ne!(json.get("return_sequences"), Some(&Value::Bool(true)));
    assert_eq!(json["kernel_regularizer"], serde_json::json!({"L2": 0.001}));
    assert_eq!(
        json["bias_regularizer"],
        serde_json::json!({"L1L2": {"l1": 0.01, "l2": 0.02}})
    );
    assert_eq!(json["activation"], "relu");
    assert_eq!(json["name"], "encoder");
}

#[test]
fn an_unknown_activation_is_refused_with_keras_names() {
    let names: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/keras_names/activations.json"),
        )
        .expect("fixture"),
    )
    .expect("json");
    let design = Design::example();
    let mut f = Form::for_layer(0, &design.layers[0]).expect("the LSTM's form");
    set(&mut f, "activation", "sigmod");
    let (at, why) = f.read(None).expect_err("sigmod is refused");
    assert_eq!(f.fields[at].name, "activation");
    assert!(why.contains("not a Keras activation"), "{why}");
    for name in names["names"].as_array().expect("names") {
        let name = name.as_str().expect("a name");
        assert!(why.contains(name), "{name} missing from: {why}");
    }
}

#[test]
fn space_toggles_a_boolean_and_cycles_a_choice() {
    let mut app = example();
    press(&mut app, "<enter>");
    while focused(&app).0 != "return_sequences" {
        press(&mut app, "<down>");
    }
    press(&mut app, "<space>");
    assert_eq!(focused(&app).1, "False");
    press(&mut app, "<up>");
    while focused(&app).0 != "activation" {
        press(&mut app, "<up>");
    }
    let before = focused(&app).1;
    press(&mut app, "<right>");
    assert_ne!(focused(&app).1, before);
    press(&mut app, "<left>");
    assert_eq!(focused(&app).1, before);
}

#[test]
fn typing_after_cycling_a_choice_replaces_the_choice_shown() {
    // Conv2D's activation starts at linear; a user cycles once, then types the one wanted.
    let mut app = new_design();
    press(&mut app, "<enter>");
    press(&mut app, "a");
    for key in ["C", "o", "n", "v", "2", "D", "<enter>", "<enter>"] {
        press(&mut app, key);
    }
    while focused(&app).0 != "activation" {
        press(&mut app, "<down>");
    }
    press(&mut app, "<right>");
    assert_ne!(focused(&app).1, "linear");
    for key in ["r", "e", "l", "u"] {
        press(&mut app, key);
    }
    assert_eq!(focused(&app).1, "relu");
    // Typing on goes on from what was typed: relu6 is a choice of its own.
    press(&mut app, "6");
    assert_eq!(focused(&app).1, "relu6");
    press(&mut app, "<enter>");
    assert_eq!(app.mode, Mode::Normal);
    let Layer::Conv2D(c) = &app.design.layers[0] else {
        panic!("{:?}", app.design.layers[0])
    };
    assert_eq!(c.activation, "relu6");
}

/// The first LSTM's `return_sequences` after typing `typed` over it and pressing Enter, and
/// what the form said it read.
fn typed_boolean(typed: &str) -> (bool, String) {
    let mut app = example();
    press(&mut app, "<enter>");
    while focused(&app).0 != "return_sequences" {
        press(&mut app, "<down>");
    }
    press(&mut app, typed);
    let shown = screen(&render(&mut app, 80, 24));
    let said = shown
        .lines()
        .find(|l| l.contains("return_sequences"))
        .unwrap_or_default()
        .to_string();
    press(&mut app, "<enter>");
    assert_eq!(app.mode, Mode::Normal, "{typed} is refused: {shown}");
    let Layer::Lstm(l) = &app.design.layers[0] else {
        panic!("{:?}", app.design.layers[0])
    };
    (l.return_sequences, said)
}

#[test]
fn a_boolean_takes_lower_case_short_and_numeric_spellings_and_says_what_it_read() {
    for (typed, value, read) in [
        ("false", false, "→ False"),
        ("f", false, "→ False"),
        ("0", false, "→ False"),
        ("FALSE", false, "→ False"),
        ("False", false, "Space toggles"),
    ] {
        let (got, said) = typed_boolean(typed);
        assert_eq!(got, value, "{typed}");
        assert!(said.contains(read), "{typed}: {said}");
    }
    // Typed over the LSTM's True: still True, said as read.
    let (got, said) = typed_boolean("t");
    assert!(got, "t is True");
    assert!(said.contains("→ True"), "{said}");
    let (got, said) = typed_boolean("1");
    assert!(got, "1 is True");
    assert!(said.contains("→ True"), "{said}");
    // Anything else is refused with how to set it.
    let mut app = example();
    press(&mut app, "<enter>");
    while focused(&app).0 != "return_sequences" {
        press(&mut app, "<down>");
    }
    press(&mut app, "yes <enter>");
    let (at, why) = form(&app).error.clone().expect("yes is refused");
    assert_eq!(form(&app).fields[at].name, "return_sequences");
    assert!(why.contains("True or False"), "{why}");
}

#[test]
fn the_bidirectional_form_shows_its_lstm_inline() {
    let mut app = new_design();
    press(&mut app, "<enter> a bid <enter> <enter>");
    let f = form(&app);
    let names: Vec<&str> = f.fields.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names[0], "layer.units", "{names:?}");
    assert!(names.contains(&"layer.return_sequences"), "{names:?}");
    assert!(names.contains(&"merge_mode"), "{names:?}");
    press(&mut app, "24 <enter>");
    assert_eq!(app.mode, Mode::Normal);
    let Layer::Bidirectional(b) = &app.design.layers[0] else {
        panic!("{:?}", app.design.layers[0])
    };
    let Layer::Lstm(l) = &*b.layer else {
        panic!("{:?}", b.layer)
    };
    assert_eq!(l.units, 24);
    press(&mut app, "+");
    let Layer::Bidirectional(b) = &app.design.layers[0] else {
        panic!()
    };
    assert!(
        matches!(&*b.layer, Layer::Lstm(l) if l.units > 24),
        "+ grows the inner LSTM"
    );
}

#[test]
fn every_catalogue_layer_reads_back_unchanged_from_its_form() {
    for layer in Layer::catalogue() {
        let f = Form::for_layer(0, &layer).expect("a form");
        assert_eq!(
            f.read(None),
            Ok(FormValue::Layer(Box::new(layer.clone()))),
            "{layer:?}"
        );
    }
}

#[test]
fn typing_replaces_a_prefilled_value_and_readline_keys_edit() {
    let mut app = example();
    press(&mut app, "<enter> 3");
    assert_eq!(focused(&app).1, "3", "the selected 64 is replaced");
    press(&mut app, "2 <home> 1 <end> 8");
    assert_eq!(focused(&app).1, "1328");
    press(&mut app, "C-a <del> C-e <bs>");
    assert_eq!(focused(&app).1, "32");
    press(&mut app, "<left> C-k");
    assert_eq!(focused(&app).1, "3");
    press(&mut app, "C-u");
    assert_eq!(focused(&app).1, "");
}

#[test]
fn the_save_prompt_and_budgets_edit_like_readline() {
    let mut app = example();
    press(&mut app, "S mine");
    let Mode::Prompt(p) = &app.mode else {
        panic!("{:?}", app.mode)
    };
    assert_eq!(p.text.text(), "mine", "the pre-filled name is replaced");
    press(&mut app, "<space> model C-w <home> my_");
    let Mode::Prompt(p) = &app.mode else {
        panic!("{:?}", app.mode)
    };
    assert_eq!(p.text.text(), "my_mine ");
    press(&mut app, "<esc> b 60k <left> <left> 5 <enter>");
    assert_eq!(app.design.budget.params, Some(650_000));
}

fn picker_filter(app: &App) -> String {
    match &app.mode {
        Mode::Picker(p) => p.filter.text().to_string(),
        other => panic!("no picker: {other:?}"),
    }
}

#[test]
fn the_pickers_filter_edits_like_readline() {
    let mut app = example();
    press(&mut app, "a dnse <home> <right> e");
    assert_eq!(picker_filter(&app), "dense");
    let shown = screen(&render(&mut app, 80, 24));
    assert!(
        shown.contains("› de▏nse"),
        "the cursor shows where it is:\n{shown}"
    );
    press(&mut app, "C-w");
    assert_eq!(picker_filter(&app), "nse");
    press(&mut app, "C-e <left> <left> <del>");
    assert_eq!(picker_filter(&app), "ne");
    press(&mut app, "C-k");
    assert_eq!(picker_filter(&app), "n");
    press(&mut app, "<end> gru C-u");
    assert_eq!(picker_filter(&app), "");
    press(&mut app, "C-a gru <enter>");
    assert_eq!(app.mode, Mode::Normal);
    assert!(
        app.design.layers.iter().any(|l| matches!(l, Layer::Gru(_))),
        "{:?}",
        app.design.layers
    );
}

#[test]
fn the_import_box_takes_enter_as_a_new_line_and_alt_enter_imports() {
    let mut app = example();
    press(&mut app, "i");
    for line in ["model = Sequential([", "Input(shape=(10,)),", "Dense(4)])"] {
        for c in line.chars() {
            press(&mut app, &c.to_string().replace(' ', "<space>"));
        }
        press(&mut app, "<enter>");
    }
    let Mode::Import(b) = &app.mode else {
        panic!("{:?}", app.mode)
    };
    assert_eq!(b.text.text().lines().count(), 3);
    press(&mut app, "M-<enter>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.design.layers.len(), 1);
}

#[test]
fn embedding_first_on_features_offers_int32_token_ids() {
    let mut app = new_design();
    press(&mut app, "<esc> a emb");
    let Mode::Picker(p) = &app.mode else {
        panic!("{:?}", app.mode)
    };
    let preview = p.preview.as_ref().expect("a preview");
    assert!(preview.expects.contains("token ids"), "{preview:?}");
    assert!(preview.offers_token_ids);
    press(&mut app, "<enter>");
    assert!(matches!(app.mode, Mode::Confirm(_)), "{:?}", app.mode);
    press(&mut app, "y");
    assert_eq!(app.design.input.shape, Shape(vec![Some(100)].into()));
    assert_eq!(app.design.input.dtype, Dtype::Int32);
    assert!(app.summary.error.is_none(), "{:?}", app.summary.error);
}

#[test]
fn token_ids_highlight_embedding_in_the_picker() {
    // A new design whose input is set to 200 int32 token ids: `a` then Enter adds an
    // Embedding, the layer token ids go to, not the first kind of the catalogue.
    let mut app = new_design();
    press(&mut app, "C-u (200,) <down> <right> <enter>");
    assert_eq!(app.design.input.dtype, Dtype::Int32);
    press(&mut app, "a <enter>");
    assert_eq!(app.design.layers.len(), 1);
    assert_eq!(app.design.layers[0].kind().class(), "Embedding");
    assert!(app.summary.error.is_none(), "{:?}", app.summary.error);
    // After the Embedding, features: the catalogue's first kind is highlighted again.
    press(&mut app, "a <enter>");
    assert_eq!(app.design.layers[1].kind().class(), "Dense");
}

#[test]
fn an_image_or_a_volume_highlights_its_convolution_in_the_picker() {
    // After an image input, `a` then Enter adds the Conv2D a CNN starts with (not the
    // SpatialDropout2D before it in the catalogue, which has no weights); after a volume, the
    // Conv3D; features keep the catalogue's order.
    for (shape, first) in [
        ("(28, 28, 1)", "Conv2D"),
        ("(16, 64, 64, 3)", "Conv3D"),
        ("(100, 6)", "Dense"),
        ("(784,)", "Dense"),
    ] {
        let mut app = new_design();
        press(&mut app, &format!("C-u {} <enter>", shape.replace(' ', "")));
        press(&mut app, "a <enter>");
        assert_eq!(app.design.layers.len(), 1, "{shape}");
        assert_eq!(app.design.layers[0].kind().class(), first, "{shape}");
        assert!(
            app.summary.error.is_none(),
            "{shape}: {:?}",
            app.summary.error
        );
        // After the first layer, the catalogue's first kind is highlighted again.
        press(&mut app, "a <enter>");
        assert_eq!(app.design.layers[1].kind().class(), "Dense", "{shape}");
    }
}

#[test]
fn a_filter_highlights_the_best_match_that_fits_here() {
    // `maxp` finds MaxPooling1D, 2D and 3D, in that order; after an image's Conv2D only the
    // 2-D one builds, so Enter adds it. After a sequence the 1-D one does.
    for (shape, typed, added) in [
        ("(28,28,1)", "maxp", "MaxPooling2D"),
        ("(28,28,1)", "gap", "GlobalAveragePooling2D"),
        ("(16,64,64,3)", "upsam", "UpSampling3D"),
        ("(100,6)", "maxp", "MaxPooling1D"),
        // Nothing called `lstm` builds on an image: the first match stays highlighted.
        ("(28,28,1)", "lstm", "LSTM"),
    ] {
        let mut app = new_design();
        press(&mut app, &format!("C-u {shape} <enter>"));
        if shape.starts_with("(100") {
            press(&mut app, "a conv1d <enter>");
        } else {
            press(&mut app, "a <enter>");
        }
        press(&mut app, &format!("a {typed} <enter>"));
        let classes: Vec<&str> = app.design.layers.iter().map(|l| l.kind().class()).collect();
        assert_eq!(classes.get(1), Some(&added), "{shape} {typed}: {classes:?}");
    }
}

#[test]
fn a_keras_call_in_the_picker_adds_the_layer_it_spells() {
    // Written as Keras code, typed or pasted, the filter is one layer with its fields; the
    // row shows what it gives here before Enter adds it.
    let mut app = new_design();
    press(&mut app, "C-u (28,28,1) <enter> a");
    press(
        &mut app,
        r#"layers.Conv2D(64,5,padding="same",activation="relu")"#,
    );
    // Keras: a 5×5 window over 1 channel for each of 64 filters, plus their biases.
    let weights = 5 * 5 * 64 + 64;
    // At 50 columns the call wraps onto two rows; the column names stay above its row.
    for (w, h) in [(80, 24), (50, 12)] {
        let text = screen(&render(&mut app, w, h));
        let lines: Vec<&str> = text.lines().collect();
        let header = lines.iter().position(|l| l.contains("Kind"));
        let row = lines.iter().position(|l| l.contains("(None, 28, 28, 64)"));
        assert!(header.is_some() && header < row, "{w}x{h}\n{text}");
        assert!(lines[row.unwrap_or(0)].contains("1,664"), "{w}x{h}\n{text}");
    }
    press(&mut app, "<enter>");
    assert_eq!(app.mode, Mode::Normal);
    let Layer::Conv2D(c) = &app.design.layers[0] else {
        panic!("{:?}", app.design.layers)
    };
    assert_eq!((c.filters, c.activation.as_str()), (64, "relu"));
    assert_eq!(app.summary.totals.total(), Ok(weights));
    // A call that does not read says why and where, and Enter adds nothing.
    press(&mut app, "a Dense(units=) <enter>");
    assert!(matches!(app.mode, Mode::Picker(_)), "{:?}", app.mode);
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("✗ column"), "{text}");
    assert_eq!(app.design.layers.len(), 1);
}

#[test]
fn an_error_in_one_field_is_blamed_on_that_field() {
    let design = Design::example();
    for (name, bad) in [
        ("recurrent_regularizer", "l2(0.1"),
        ("recurrent_regularizer", "l3(0.1)"),
        ("units", "abc"),
        ("return_sequences", "yes"),
    ] {
        let mut f = Form::for_layer(0, &design.layers[0]).expect("the LSTM's form");
        set(&mut f, name, bad);
        let (at, why) = f.read(None).expect_err(bad);
        assert_eq!(f.fields[at].name, name, "{bad}: {why}");
        assert!(!why.contains("snippet"), "{bad}: {why}");
    }
    let mut app = new_design();
    press(&mut app, "<enter> a bid <enter> <enter> 0");
    let f = form(&app);
    let (at, _) = f.error.as_ref().expect("0 units is refused");
    assert_eq!(f.fields[*at].name, "layer.units");
}

#[test]
fn attention_in_the_picker_says_it_takes_a_query_and_a_value() {
    let mut app = new_design();
    press(&mut app, "<esc> a multihead");
    let Mode::Picker(p) = &app.mode else {
        panic!("{:?}", app.mode)
    };
    let preview = p.preview.as_ref().expect("a preview");
    assert!(preview.expects.contains("query and value"), "{preview:?}");
    assert!(preview.warning.is_some(), "{preview:?}");
}

#[test]
fn the_attention_forms_take_python_tuples_and_choices() {
    let mha = Layer::MultiHeadAttention(MultiHeadAttention::default());
    let mut f = Form::for_layer(0, &mha).expect("a form");
    set(&mut f, "output_shape", "(7,)");
    set(&mut f, "attention_axes", "(-2,)");
    set(&mut f, "value_dim", "10");
    let Ok(FormValue::Layer(read)) = f.read(None) else {
        panic!("{:?}", f.read(None))
    };
    let Layer::MultiHeadAttention(m) = *read else {
        panic!("{read:?}")
    };
    assert_eq!(m.output_shape, Some(vec![7]));
    assert_eq!(m.attention_axes, Some(vec![-2]));
    assert_eq!(m.value_dim, Some(10));
    let attention = Layer::Attention(Attention::default());
    let mut f = Form::for_layer(0, &attention).expect("a form");
    set(&mut f, "score_mode", "concat");
    let Ok(FormValue::Layer(read)) = f.read(None) else {
        panic!("{:?}", f.read(None))
    };
    assert!(matches!(*read, Layer::Attention(a) if a.score_mode == ScoreMode::Concat));
}
