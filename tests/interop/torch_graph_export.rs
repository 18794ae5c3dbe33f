//! Graph designs exported as PyTorch code: one module whose `forward` takes the model's inputs
//! and wires the calls as the design's graph says. That PyTorch runs these modules with
//! lstm-tui's counts, and gives Keras' outputs, is checked in tests/live.

use std::fs;

use lstm_tui::interop::design_from_keras_json;
use lstm_tui::interop::torch::pytorch_export;
use lstm_tui::model::Design;
use serde_json::Value;

/// The design of a file in tests/fixtures/keras_graph, imported from its `keras_json`.
fn graph(file: &str) -> Design {
    let path = format!(
        "{}/tests/fixtures/keras_graph/{file}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let fixture: Value =
        serde_json::from_str(&fs::read_to_string(path).expect("fixture")).expect("fixture JSON");
    design_from_keras_json(&fixture["keras_json"].to_string())
        .map(|mut d| {
            d.name = file.to_string();
            d
        })
        .expect("imports")
}

/// The lines of the `forward` method, trimmed.
fn forward(code: &str) -> Vec<&str> {
    code.lines()
        .skip_while(|l| !l.trim_start().starts_with("def forward("))
        .take_while(|l| !l.is_empty())
        .map(str::trim)
        .collect()
}

#[test]
fn forward_takes_one_argument_per_input_and_returns_every_output() {
    let code = pytorch_export(&graph("multi_input_multi_output_ticket_router")).code;
    let lines = forward(&code);
    let names: Vec<&str> = lines[0]
        .trim_start_matches("def forward(self, ")
        .trim_end_matches("):")
        .split(", ")
        .collect();
    assert_eq!(names.len(), 3, "{}", lines[0]);
    let returned = lines
        .last()
        .expect("a return")
        .trim_start_matches("return ");
    assert_eq!(returned.split(", ").count(), 2, "{code}");
    assert!(code.contains("model(*inputs)"), "{code}");
}

#[test]
fn a_decoder_starts_from_the_encoders_states() {
    let code = pytorch_export(&graph("seq2seq_lstm_encoder_decoder")).code;
    let state = forward(&code)
        .into_iter()
        .find(|l| l.contains(".unsqueeze(0), "))
        .unwrap_or_else(|| panic!("no initial state passed: {code}"));
    assert!(
        state.contains("[1].unsqueeze(0), ") && state.contains("[2].unsqueeze(0))"),
        "{state}"
    );
}

#[test]
fn outputs_of_a_layer_with_several_are_indexed() {
    // The fixture concatenates the forward and the backward h (outputs 1 and 3).
    let code = pytorch_export(&graph("bidirectional_lstm_return_state_encoder")).code;
    assert!(
        forward(&code).contains(&"xs = [bidirectional[1], bidirectional[3]]"),
        "{code}"
    );
}

#[test]
fn a_shared_layer_is_made_once_and_called_again() {
    let code = pytorch_export(&graph("shared_dense_three_calls")).code;
    let made = code
        .lines()
        .filter(|l| l.contains("self.dense = nn.Linear"))
        .count();
    let called = code.lines().filter(|l| l.contains("self.dense(x)")).count();
    assert_eq!((made, called), (1, 3), "{code}");
}

#[test]
fn keyword_tensors_reach_attention_in_keras_slot_order() {
    let code = pytorch_export(&graph("mha_keyword_call_connections")).code;
    let lines = forward(&code);
    let args = lines
        .iter()
        .find(|l| l.starts_with("xs = ["))
        .expect("the call's tensors");
    let inputs: Vec<&str> = lines[0]
        .trim_start_matches("def forward(self, ")
        .trim_end_matches("):")
        .split(", ")
        .collect();
    // The fixture calls mha(query=q, value=v, key=k): query, value, key is the slot order.
    assert_eq!(
        *args,
        format!("xs = [{}, {}, {}]", inputs[0], inputs[1], inputs[2]),
        "{code}"
    );
}

#[test]
fn the_mask_of_token_zero_reaches_the_recurrent_layer() {
    let export = pytorch_export(&graph("masked_embedding_gru_with_numeric_branch"));
    assert!(export.unsupported.is_empty(), "{:?}", export.unsupported);
    assert!(
        export.code.contains(" != 0  # Keras' NotEqual"),
        "{}",
        export.code
    );
    assert!(
        export.code.contains("= keras_masked_rnn(self.gru, x, "),
        "{}",
        export.code
    );
    assert!(
        export.code.contains("def keras_masked_rnn("),
        "{}",
        export.code
    );
}

#[test]
fn attention_with_use_causal_mask_masks_later_keys() {
    let mut design = graph("mha_keyword_call_connections");
    for call in design.graph.wiring.values_mut() {
        call.options.use_causal_mask = true;
    }
    let export = pytorch_export(&design);
    assert!(export.unsupported.is_empty(), "{:?}", export.unsupported);
    assert!(
        export.code.contains("causal=True") || export.code.contains(".triu(1)"),
        "{}",
        export.code
    );
}

#[test]
fn chains_are_written_as_before() {
    // A chain has no graph: the module still takes one `x`.
    let code = pytorch_export(&Design::example()).code;
    assert!(code.contains("    def forward(self, x):\n"), "{code}");
    assert!(code.contains("    x = torch.rand("), "{code}");
}
