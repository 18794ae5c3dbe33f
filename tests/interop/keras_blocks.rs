//! The designer's ready blocks against real Keras: every file in tests/fixtures/keras_blocks
//! (written by tests/support/keras_blocks.py) holds a model Keras built from blocks and the
//! recipe the designer follows for it. The design the block builders make from that recipe
//! must print Keras' rows, shapes, "Connected to", weights and totals; the fixture's own
//! fields and its Keras JSON must too, as every functional-graph fixture does.

use std::path::Path;

use crate::common;
use crate::keras_graph::{compare, design_from_fields, read};
use lstm_tui::interop::{design_from_keras_json, layer_from_keras};
use lstm_tui::model::design::VERSION;
use lstm_tui::model::graph::{Block, Graph};
use lstm_tui::model::{Budget, Convention, Design, Dtype, Input, Shape, Summary};
use lstm_tui::report::json as summary_json;
use serde_json::Value;

const DIR: &str = "tests/fixtures/keras_blocks";

fn shape(v: &Value) -> Shape {
    Shape(
        v.as_array()
            .map(|a| a.iter().map(Value::as_u64).collect())
            .unwrap_or_default(),
    )
}

/// A new design on the fixture's first input, as `n` starts one.
fn new_design(fixture: &Value) -> Design {
    Design {
        version: VERSION,
        name: "functional".into(),
        input: Input {
            shape: shape(&fixture["inputs"][0]["shape"]),
            dtype: Dtype::Float32,
        },
        layers: Vec::new(),
        budget: Budget::default(),
        graph: Box::new(Graph::default()),
    }
}

/// Follows the recipe: plain layers appended as `a` appends them, blocks inserted at the end
/// with the sizes the recipe gives (the rest at the block's defaults).
fn design_from_recipe(fixture: &Value) -> Result<Design, String> {
    let mut design = new_design(fixture);
    for step in fixture["recipe"].as_array().ok_or("no recipe")? {
        let at = design.layers.len();
        let Some(name) = step["block"].as_str() else {
            let class = step["class"].as_str().ok_or("a step without class")?;
            let config = step.get("config").cloned().unwrap_or(Value::Null);
            let layer = layer_from_keras(class, &config).map_err(|e| e.to_string())?;
            design.insert_layer(at, layer, None);
            continue;
        };
        let block = Block::ALL
            .into_iter()
            .find(|b| format!("{b:?}") == name)
            .ok_or(format!("no block {name}"))?;
        let start = design
            .block_start(at)
            .ok_or(format!("{name}: the start tensor does not build"))?;
        let mut sizes = block.defaults(&start, design.encoder_output(at));
        let given = &step["sizes"];
        let number = |key: &str, default: u64| given[key].as_u64().unwrap_or(default);
        sizes.width = number("width", sizes.width);
        sizes.heads = number("heads", sizes.heads);
        sizes.key_dim = number("key_dim", sizes.key_dim);
        sizes.ff = number("ff", sizes.ff);
        sizes.out = number("out", sizes.out);
        sizes.dropout = given["dropout"].as_f64().unwrap_or(sizes.dropout);
        if let Some(memory) = given["memory"].as_str() {
            sizes.memory = memory.to_string();
        }
        let last = design.insert_block(at, block, &sizes, &start);
        if last + 1 != design.layers.len() {
            return Err(format!("{name}: the last layer is at {last}, not last"));
        }
    }
    Ok(design)
}

#[test]
fn blocks_build_what_keras_builds() {
    let mut problems = Vec::new();
    let mut ran = 0;
    for path in common::fixture_files(DIR, "json") {
        ran += 1;
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let fixture = read(&path);
        let mut found = Vec::new();
        match design_from_recipe(&fixture) {
            Ok(design) => compare(&design, &fixture["expected"], "blocks", &mut found),
            Err(e) => found.push(format!("blocks: {e}")),
        }
        match design_from_fields(&fixture) {
            Ok(design) => compare(&design, &fixture["expected"], "fields", &mut found),
            Err(e) => found.push(format!("fields: {e}")),
        }
        let text = serde_json::to_string(&fixture["keras_json"]).expect("JSON");
        match design_from_keras_json(&text) {
            Ok(design) => compare(&design, &fixture["expected"], "keras_json", &mut found),
            Err(e) => found.push(format!("keras_json: {e}")),
        }
        problems.extend(found.into_iter().map(|p| format!("{file}: {p}")));
    }
    common::assert_ran_every_fixture(DIR, "json", ran);
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_block_has_a_fixture() {
    let mut seen = Vec::new();
    for path in common::fixture_files(DIR, "json") {
        for step in read(&path)["recipe"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            if let Some(name) = step["block"].as_str() {
                seen.push(name.to_string());
            }
        }
    }
    for block in Block::ALL {
        let name = format!("{block:?}");
        assert!(seen.contains(&name), "no fixture builds {name}");
    }
}

#[test]
fn a_block_inserted_before_a_layer_hands_that_layer_its_output() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(DIR)
        .join("transformer_classifier_two_blocks.json");
    let fixture = read(&path);
    let built = design_from_recipe(&fixture).expect("builds");
    // The same model made another way: the pooling and the head first, then both blocks
    // inserted before them, at the input. Names differ (the head was named first); rows,
    // shapes and counts may not.
    let mut design = new_design(&fixture);
    for layer in built.layers[built.layers.len() - 2..].iter().cloned() {
        let at = design.layers.len();
        design.insert_layer(at, layer, None);
    }
    for _ in 0..2 {
        let at = design.layers.len() - 2;
        let start = design.block_start(at).expect("a start");
        let sizes = Block::Encoder.defaults(&start, None);
        design.insert_block(at, Block::Encoder, &sizes, &start);
    }
    let rows = |d: &Design| -> Vec<(String, Value, Value)> {
        let json = summary_json(&Summary::of(d, Convention::Keras));
        assert_eq!(json["ok"], Value::Bool(true), "{}", json["error"]);
        let mut rows: Vec<_> = json["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                (
                    r["class"].as_str().unwrap_or("").to_string(),
                    r["output_shape"].clone(),
                    r["params"].clone(),
                )
            })
            .collect();
        rows.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        rows
    };
    assert_eq!(rows(&design), rows(&built));
    let total = summary_json(&Summary::of(&design, Convention::Keras))["total"].clone();
    assert_eq!(total, fixture["expected"]["total"]);
    // The pooling reads the second block's last LayerNormalization, not the input.
    let pooling = design.layers.len() - 2;
    assert_eq!(
        design.previous_ref(pooling),
        lstm_tui::model::layer_names(&design.layers)[pooling - 1]
    );
    assert_eq!(
        design.layers[pooling - 1].kind().class(),
        "LayerNormalization"
    );
    assert!(
        design
            .graph
            .wiring
            .get(&pooling)
            .is_none_or(|c| c.takes_previous())
    );
}
