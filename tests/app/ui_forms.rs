//! The edit forms and the picker's preview as drawn, at 80×24 and at the smallest size the
//! designer draws (50×12), where a form must scroll to keep the field with the cursor and its
//! error in view.

use crate::common::{example, press, render, screen};
use lstm_tui::app::{App, Mode};

const SIZES: [(u16, u16); 2] = [(80, 24), (50, 12)];

fn snap(name: &str, mut app: App) {
    for (w, h) in SIZES {
        let terminal = render(&mut app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&terminal));
    }
}

#[test]
fn the_input_form_asks_for_a_shape_and_a_dtype() {
    let mut app = example();
    press(&mut app, "n");
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("shape  (100, 6)"), "{text}");
    assert!(text.contains("dtype  float32"), "{text}");
    assert!(
        text.contains("int32 token ids"),
        "starting points are offered:\n{text}"
    );
    snap("input_form", app);
}

#[test]
fn the_bidirectional_form_shows_its_layer_inline() {
    let mut app = example();
    press(&mut app, "n <esc> a bid <enter> <enter>");
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("layer.units"), "{text}");
    assert!(text.contains("merge_mode"), "{text}");
    assert!(!text.contains("Lstm(("), "no RON blob:\n{text}");
    snap("bidirectional_form", app);
}

#[test]
fn a_form_at_50x12_keeps_the_field_and_its_error_in_view() {
    let mut app = example();
    press(&mut app, "<enter>");
    let focused = |app: &App| match &app.mode {
        Mode::Form(f) => f.fields[f.index].name.clone(),
        other => panic!("{other:?}"),
    };
    while focused(&app) != "bias_regularizer" {
        press(&mut app, "<down>");
    }
    press(&mut app, "l2(-1)");
    let text = screen(&render(&mut app, 50, 12));
    assert!(
        text.contains("bias_regularizer") && text.contains("l2(-1)▏"),
        "{text}"
    );
    assert!(text.contains("finite number"), "the error shows:\n{text}");
    assert!(
        !text.contains(" units "),
        "scrolled past the first field:\n{text}"
    );
    insta::assert_snapshot!("form_error_50x12", text);
}

#[test]
fn the_picker_says_what_embedding_takes_and_offers_token_ids() {
    let mut app = example();
    press(&mut app, "n <esc> a emb");
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("token ids (int32)"), "{text}");
    assert!(text.contains("(seq_len,)"), "{text}");
    snap("picker_embedding", app);
}

#[test]
fn the_picker_keeps_its_filter_and_preview_in_view_however_far_down_the_highlight_is() {
    // After an image input the picker opens on Conv2D, far down the catalogue; further down
    // still by keys. The filter being typed into, what the highlighted kind takes and the
    // column names stay on screen above the scrolled list.
    let mut app = example();
    press(&mut app, "n C-u (28,28,1) <enter> a");
    for keys in ["", &["<down>"; 12].join(" ")] {
        press(&mut app, keys);
        let Mode::Picker(p) = &app.mode else {
            panic!("no picker: {:?}", app.mode)
        };
        let kind = p.matches()[p.index].kind().class();
        if keys.is_empty() {
            assert_eq!(kind, "Conv2D");
        }
        for (w, h) in SIZES {
            let text = screen(&render(&mut app, w, h));
            let lines: Vec<&str> = text.lines().collect();
            let at = |needle: &str| lines.iter().position(|l| l.contains(needle));
            let filter = at("›").unwrap_or_else(|| panic!("{w}x{h}: no filter\n{text}"));
            let takes = format!("{kind} takes");
            let preview = at(&takes).unwrap_or_else(|| panic!("{w}x{h}: no {takes}\n{text}"));
            let row = lines
                .iter()
                .rposition(|l| l.contains(&format!(" {kind} ")))
                .unwrap_or_else(|| panic!("{w}x{h}: no {kind} row\n{text}"));
            assert!(filter < preview && preview < row, "{w}x{h}\n{text}");
        }
    }
}

#[test]
fn a_choice_typed_in_part_lists_the_matches_that_fit_on_its_line() {
    // `s` begins a dozen activations: the ones named after the value fit on the field's line,
    // which would otherwise wrap into the box's border column.
    let mut app = example();
    press(&mut app, "<enter>");
    let focused = |app: &App| match &app.mode {
        Mode::Form(f) => f.fields[f.index].name.clone(),
        other => panic!("no form: {other:?}"),
    };
    while focused(&app) != "activation" {
        press(&mut app, "<down>");
    }
    press(&mut app, "C-u s");
    for (w, h) in SIZES {
        let text = screen(&render(&mut app, w, h));
        let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
        let top = lines
            .iter()
            .position(|l| l.iter().collect::<String>().contains("┌ Edit"))
            .unwrap_or_else(|| panic!("{w}x{h}: no form\n{text}"));
        let left = lines[top].iter().position(|&c| c == '┌').unwrap_or(0);
        let field = text
            .lines()
            .find(|l| l.contains("activation ") && l.contains('▏'))
            .unwrap_or_else(|| panic!("{w}x{h}: no activation field\n{text}"));
        assert!(field.contains("selu"), "{w}x{h}: no match listed\n{text}");
        // Inside the box every line starts with a space: a field, an error, or a blank.
        for line in &lines[top + 1..] {
            match (line.get(left), line.get(left + 1)) {
                (Some('└'), _) => break,
                (Some('│'), Some(c)) => assert_eq!(*c, ' ', "{w}x{h}: a wrapped line\n{text}"),
                _ => {}
            }
        }
    }
}

#[test]
fn the_picker_warns_when_the_next_layer_would_break() {
    let mut app = example();
    press(&mut app, "g a flatten");
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("the LSTM after it would not build"), "{text}");
}
