//! Every file in tests/fixtures/keras and tests/fixtures/keras_layers (real Keras 3 output)
//! through the Keras JSON import and the summary. A new fixture file is a new case; all failures are reported together.

use std::fs;
use std::path::Path;

use crate::common;
use lstm_tui::interop::{ImportError, design_from_keras_json, keras_json, layer_from_keras};
use lstm_tui::model::design::VERSION;
use lstm_tui::model::{
    Budget, Convention, Design, Dtype, Input, Precision, Shape, Summary, Weights,
};
use lstm_tui::report::{json as summary_json, json_text_with, json_with, text};
use serde_json::Value;

/// The folders of real Keras output every check here runs over: the first release's kinds,
/// and every other architecture layer of Keras 3 (`keras_layers`, see its README).
const FOLDERS: [&str; 2] = ["tests/fixtures/keras", "tests/fixtures/keras_layers"];

/// Files of `tests/fixtures/keras_layers` whose layer kinds lstm-tui does not model yet. A
/// listed file must still fail somewhere (one that passes every check is reported, so the list
/// only shrinks); every other file must pass.
const PENDING: &[&str] = &[];

/// Runs `check` on every fixture and fails once, listing every file that failed and why.
fn each_fixture(check: impl Fn(&Value, &mut Vec<String>)) {
    let mut failures = Vec::new();
    for dir in FOLDERS {
        let ran = each_file(dir, &check, &mut failures);
        common::assert_ran_every_fixture(dir, "json", ran);
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Whether a file is listed in [`PENDING`].
pub(crate) fn pending(file: &str) -> bool {
    PENDING.contains(&file)
}

/// The pending files that still fail at least one check: listed and failing is the only
/// accepted state, so a kind that lands takes its files off the list.
#[test]
fn pending_files_still_fail() {
    let mut stale = Vec::new();
    for file in PENDING {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/keras_layers")
            .join(file);
        assert!(
            path.exists(),
            "PENDING names {file}, which is not a fixture"
        );
        let fixture: Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("readable")).expect("JSON");
        let mut problems = Vec::new();
        every_check(&fixture, &mut problems);
        if problems.is_empty() {
            stale.push(*file);
        }
    }
    assert!(
        stale.is_empty(),
        "these pass now; take them off PENDING: {stale:?}"
    );
}

/// Every per-file check of this test binary, for [`pending_files_still_fail`].
fn every_check(fixture: &Value, problems: &mut Vec<String>) {
    check_import(fixture, problems);
    check_summary_text(fixture, problems);
    check_layer_configs(fixture, problems);
    check_trainable_keys(fixture, problems);
    check_round_trip(fixture, problems);
}

/// Runs `check` on every `.json` file of `dir`, adding failures of files not [`pending`];
/// returns how many files it ran.
fn each_file(
    dir: &str,
    check: &impl Fn(&Value, &mut Vec<String>),
    failures: &mut Vec<String>,
) -> usize {
    let mut ran = 0;
    for path in common::fixture_files(dir, "json") {
        ran += 1;
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let fixture: Value = match fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{file}: unreadable: {e}"));
                continue;
            }
        };
        if pending(&file) {
            continue;
        }
        let mut problems = Vec::new();
        check(&fixture, &mut problems);
        failures.extend(problems.into_iter().map(|p| format!("{file}: {p}")));
    }
    ran
}

fn import(fixture: &Value) -> Result<Design, String> {
    if fixture["keras_json"].is_null() {
        return Err("no keras_json: Keras refused a layer's arguments".into());
    }
    let text = serde_json::to_string(&fixture["keras_json"]).map_err(|e| e.to_string())?;
    design_from_keras_json(&text).map_err(|e| e.to_string())
}

/// Compares a summary with the fixture's `expected`.
fn compare(design: &Design, expected: &Value, problems: &mut Vec<String>) {
    let summary = Summary::of(design, Convention::Keras);
    let got = summary_json(&summary);
    if expected["ok"] == Value::Bool(false) {
        if got["ok"] != Value::Bool(false) {
            problems.push("Keras rejects this model but the summary builds".into());
        } else if got["failing_layer_index"] != expected["failing_layer_index"] {
            problems.push(format!(
                "failing_layer_index {} (expected {}): {}",
                got["failing_layer_index"], expected["failing_layer_index"], got["error"]
            ));
        }
        return;
    }
    if got["ok"] != Value::Bool(true) {
        problems.push(format!("does not build: {}", got["error"]));
    }
    for key in ["total", "trainable", "non_trainable"] {
        if got[key] != expected[key] {
            problems.push(format!("{key} {} (expected {})", got[key], expected[key]));
        }
    }
    let want_rows = expected["rows"].as_array().cloned().unwrap_or_default();
    let got_rows = got["rows"].as_array().cloned().unwrap_or_default();
    if want_rows.len() != got_rows.len() {
        problems.push(format!(
            "{} rows (expected {})",
            got_rows.len(),
            want_rows.len()
        ));
    }
    for (i, (want, have)) in want_rows.iter().zip(&got_rows).enumerate() {
        for key in common::ROW_KEYS {
            if want[key] != have[key] {
                problems.push(format!(
                    "row {i} {key}: {} (expected {})",
                    have[key], want[key]
                ));
            }
        }
    }
    // Weight tensors: names (last path component), shapes, trainable, in Keras' order.
    for (i, (row, want)) in summary.rows.iter().zip(&want_rows).enumerate() {
        let layer = &design.layers[i];
        let frozen = layer.frozen();
        let mut got_weights = Vec::new();
        let result = layer.kind().weights(
            &row.input,
            Convention::Keras,
            &mut Weights::each(&mut |w| {
                got_weights.push((
                    w.name.to_string(),
                    w.shape().to_vec(),
                    w.trainable && !frozen,
                ))
            }),
        );
        if let Err(e) = result {
            problems.push(format!("row {i} weights: {e}"));
            continue;
        }
        let want_weights: Vec<(String, Vec<u64>, bool)> = want["weights"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|w| {
                let path = w["path"].as_str().unwrap_or("");
                let name = path.rsplit('/').next().unwrap_or("").to_string();
                let shape = w["shape"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Value::as_u64)
                    .collect();
                (name, shape, w["trainable"].as_bool().unwrap_or(true))
            })
            .collect();
        if got_weights != want_weights {
            problems.push(format!(
                "row {i} weights {got_weights:?} (expected {want_weights:?})"
            ));
        }
    }
}

#[test]
fn keras_json_import_matches_keras() {
    each_fixture(check_import);
}

/// A refusal Keras makes at construction has no JSON: the layer configs carry it instead.
fn refused_at_construction(fixture: &Value) -> bool {
    fixture["expected"]["error_stage"] == "constructor"
}

fn check_import(fixture: &Value, problems: &mut Vec<String>) {
    if refused_at_construction(fixture) {
        return;
    }
    match import(fixture) {
        Ok(design) => compare(&design, &fixture["expected"], problems),
        Err(e) => problems.push(format!("import failed: {e}")),
    }
}

#[test]
fn summary_text_is_byte_for_byte_keras() {
    each_fixture(check_summary_text);
}

fn check_summary_text(fixture: &Value, problems: &mut Vec<String>) {
    // Keras prints a summary for every model it builds, and none for one it refuses.
    let builds = fixture["expected"]["ok"].as_bool();
    let want = match (builds, fixture["summary_text"].as_str()) {
        (Some(true), Some(want)) => want,
        (Some(false), None) if fixture["summary_text"].is_null() => return,
        (ok, _) => {
            problems.push(format!(
                "`expected.ok` is {ok:?} and `summary_text` is {}: a fixture of a model Keras builds holds what it printed, one it refuses holds null",
                fixture["summary_text"]
            ));
            return;
        }
    };
    match import(fixture) {
        Ok(design) => {
            let got = text(&Summary::of(&design, Convention::Keras), "sequential");
            if got != want {
                problems.push(format!(
                    "summary text differs:\n--- got\n{got}--- expected\n{want}"
                ));
            }
        }
        Err(e) => problems.push(format!("import failed: {e}")),
    }
}

/// The fixtures' own short form (class + get_config keys) through `layer_from_keras`, the
/// entry point the Python-code importer uses.
#[test]
fn layer_from_keras_reads_fixture_configs() {
    each_fixture(check_layer_configs);
}

/// The config a fixture's `inner` stands for: the wrapped layer of a wrapper, the cell of an
/// `RNN` (a `StackedRNNCells` with its `cells`), as Keras' JSON nests them.
fn nested(class: &str, inner: &Value) -> (&'static str, Value) {
    let mut config = inner["config"].clone();
    if let Some(cells) = inner.get("cells").and_then(Value::as_array) {
        config["cells"] = cells
            .iter()
            .map(|c| serde_json::json!({"class_name": c["class"], "config": c["config"]}))
            .collect();
    }
    let key = if class == "RNN" { "cell" } else { "layer" };
    (
        key,
        serde_json::json!({"class_name": inner["class"], "config": config}),
    )
}

fn check_layer_configs(fixture: &Value, problems: &mut Vec<String>) {
    let mut layers = Vec::new();
    for (i, l) in fixture["layers"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let class = l["class"].as_str().unwrap_or("");
        let mut config = l["config"].clone();
        if let Some(inner) = l.get("inner") {
            let (key, value) = nested(class, inner);
            config[key] = value;
        }
        match layer_from_keras(class, &config) {
            Ok(layer) => layers.push(layer),
            // Refused for the reason Keras has, not because the class is unknown here.
            Err(e)
                if refused_at_construction(fixture)
                    && fixture["expected"]["failing_layer_index"] == i
                    && !e.to_string().contains("unknown layer class") =>
            {
                return;
            }
            Err(e) => {
                problems.push(format!("layers[{i}]: {e}"));
                return;
            }
        }
    }
    let shape: Shape = match serde_json::from_value(fixture["input_shape"].clone()) {
        Ok(s) => s,
        Err(e) => {
            problems.push(format!("input_shape: {e}"));
            return;
        }
    };
    let dtype = if fixture["input_dtype"] == "int32" {
        Dtype::Int32
    } else {
        Dtype::Float32
    };
    let design = Design {
        version: VERSION,
        name: "sequential".into(),
        input: Input { shape, dtype },
        layers,
        budget: Budget::default(),
        graph: Default::default(),
    };
    if refused_at_construction(fixture) {
        problems.push("Keras refuses a layer's arguments, but every layer was accepted".into());
        return;
    }
    compare(&design, &fixture["expected"], problems);
}

/// The exported JSON carries `trainable` exactly where Keras' own JSON does: Keras refuses
/// the argument on layers without it (SpatialDropout1D).
#[test]
fn exported_json_has_trainable_where_keras_has_it() {
    each_fixture(check_trainable_keys);
}

fn check_trainable_keys(fixture: &Value, problems: &mut Vec<String>) {
    if refused_at_construction(fixture) {
        return;
    }
    let Ok(design) = import(fixture) else {
        problems.push("import failed".into());
        return;
    };
    let ours = keras_json(&design);
    let layers = |v: &Value| {
        v["config"]["layers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    for (i, (want, have)) in layers(&fixture["keras_json"])
        .iter()
        .zip(&layers(&ours))
        .enumerate()
        .skip(1)
    {
        let has = |l: &Value| l["config"].get("trainable").is_some();
        if has(want) != has(have) {
            problems.push(format!(
                "layers[{i}] {}: trainable in Keras' JSON {}, in lstm-tui's {}",
                want["class_name"],
                has(want),
                has(have)
            ));
        }
    }
}

/// Export then import gives back the same design.
#[test]
fn keras_json_round_trips() {
    each_fixture(check_round_trip);
}

fn check_round_trip(fixture: &Value, problems: &mut Vec<String>) {
    if refused_at_construction(fixture) {
        return;
    }
    let Ok(design) = import(fixture) else {
        problems.push("import failed".into());
        return;
    };
    let exported = keras_json(&design).to_string();
    match design_from_keras_json(&exported) {
        Ok(back) if back == design => {}
        Ok(back) => problems.push(format!(
            "round trip changed the design:\n{design:?}\n{back:?}"
        )),
        Err(e) => problems.push(format!("re-import failed: {e}")),
    }
}

/// Each kind as the picker adds it, alone in a design, reads back from the Keras JSON
/// lstm-tui writes for it, to a layer that writes the same JSON (a pooling layer's open
/// strides come back as its pool size, which Keras means by them): every value is written as
/// its class's constructor takes it.
#[test]
fn every_catalogue_layer_round_trips_through_keras_json() {
    let mut problems = Vec::new();
    for layer in lstm_tui::model::Layer::catalogue() {
        let class = layer.kind().class();
        let design = lstm_tui::model::Design {
            layers: vec![layer.clone()],
            ..lstm_tui::model::Design::example()
        };
        let written = keras_json(&design);
        match design_from_keras_json(&written.to_string()) {
            Ok(back) if keras_json(&back) == written => {}
            Ok(back) => problems.push(format!(
                "{class}: {:?} came back as {:?}",
                layer, back.layers
            )),
            Err(e) => problems.push(format!("{class}: {e}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// tf.keras 2 JSON (tests/fixtures/tf_keras2) gives the rows of the same model's Keras 3
/// fixture.
#[test]
fn tf_keras2_json_matches_the_keras3_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in common::fixture_files("tests/fixtures/tf_keras2", "json") {
        ran += 1;
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let case: Value = serde_json::from_str(&fs::read_to_string(&path).expect("readable"))
            .expect("valid JSON");
        let same_as = case["same_as"].as_str().unwrap_or("");
        let keras3: Value = match fs::read_to_string(root.join(format!("keras/{same_as}.json")))
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{file}: same_as {same_as}: {e}"));
                continue;
            }
        };
        match design_from_keras_json(&case["model"].to_string()) {
            Ok(design) => {
                let mut problems = Vec::new();
                compare(&design, &keras3["expected"], &mut problems);
                failures.extend(problems.into_iter().map(|p| format!("{file}: {p}")));
            }
            Err(e) => failures.push(format!("{file}: import failed: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    common::assert_ran_every_fixture("tests/fixtures/tf_keras2", "json", ran);
}

/// Broken or unsupported input gives an error that says where and what, never a panic.
#[test]
fn bad_json_is_reported_with_position_or_reason() {
    let seed = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/keras/seed_lstm_classifier.json"),
    )
    .expect("readable");
    let model: Value = serde_json::from_str::<Value>(&seed).expect("valid")["keras_json"].clone();
    let text = serde_json::to_string_pretty(&model).expect("serializable");

    // Every truncation is a syntax error with a line and column, or (cut at a value boundary)
    // still a readable result; none panics.
    for cut in (0..text.len()).step_by(97) {
        if !text.is_char_boundary(cut) {
            continue;
        }
        if let Err(e) = design_from_keras_json(&text[..cut]) {
            assert!(!e.to_string().is_empty());
        }
    }
    let truncated = design_from_keras_json(&text[..text.len() / 2]).unwrap_err();
    let ImportError::At(at) = &truncated else {
        panic!("a syntax error has a position: {truncated}");
    };
    assert!(at.line > 1 && at.column > 0, "{truncated}");

    let mut unknown = model.clone();
    unknown["config"]["layers"][3]["class_name"] = Value::from("Foo");
    let e = design_from_keras_json(&unknown.to_string()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("unknown layer class `Foo` at layers[3]; lstm-tui supports: "),
        "{e}"
    );

    // A Sequential block called like a layer, as Keras writes it inside a functional model.
    let mut nested = model.clone();
    nested["config"]["layers"][3]["class_name"] = Value::from("Sequential");
    let e = design_from_keras_json(&nested.to_string()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("`Sequential` at layers[3] is a model nested in this one"),
        "{e}"
    );

    let mut negative = model.clone();
    negative["config"]["layers"][1]["config"]["units"] = Value::from(-64);
    let e = design_from_keras_json(&negative.to_string()).unwrap_err();
    assert!(e.to_string().contains("units"), "{e}");

    let mut zero_input = model;
    zero_input["config"]["layers"][0]["config"]["batch_shape"] = serde_json::json!([null, 0, 6]);
    assert!(design_from_keras_json(&zero_input.to_string()).is_err());

    assert!(matches!(
        design_from_keras_json("not json"),
        Err(ImportError::At(_))
    ));
    assert!(design_from_keras_json("{\"class_name\": \"Functional\"}").is_err());
}

/// Long names, wide characters, long shapes and counts (tests/fixtures/summary_text) wrap and
/// truncate as rich draws them in Keras' table.
#[test]
fn summary_text_wraps_like_rich() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in common::fixture_files("tests/fixtures/summary_text", "json") {
        ran += 1;
        let case: Value = serde_json::from_str(&fs::read_to_string(&path).expect("readable"))
            .expect("valid JSON");
        let want = case["summary_text"].as_str().unwrap_or("");
        match design_from_keras_json(&case["keras_json"].to_string()) {
            Ok(design) => {
                let got = text(&Summary::of(&design, Convention::Keras), "sequential");
                if got != want {
                    failures.push(format!(
                        "{}:\n--- got\n{got}--- expected\n{want}",
                        path.display()
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    common::assert_ran_every_fixture("tests/fixtures/summary_text", "json", ran);
}

/// The JSON text written straight from a summary is the JSON value's text, byte for byte, in
/// both conventions and two precisions: for stacks that build, that fail, and that have layers
/// without a PyTorch equivalent.
#[test]
fn json_text_is_the_json_value_text() {
    each_fixture(|fixture, problems| {
        let Ok(design) = import(fixture) else {
            return;
        };
        for convention in [Convention::Keras, Convention::PyTorch] {
            let s = Summary::of(&design, convention);
            for precision in [Precision::Fp32, Precision::Int8] {
                let direct = json_text_with(&s, precision);
                let value = json_with(&s, precision).to_string();
                if direct != value {
                    problems.push(format!("{convention:?}:\n{direct}\nis not\n{value}"));
                }
            }
        }
    });
}

/// An adapted Discretization's config holds the boundaries adapt() learned beside the
/// `num_bins` it was made with; Keras' `from_config` keeps both and sizes its bins by the
/// boundaries, so the import does too instead of refusing both as the constructor would.
#[test]
fn an_adapted_discretization_reads_its_bins_from_its_boundaries() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras/discretization_count_of_one_column.json");
    let fixture: Value =
        serde_json::from_str(&fs::read_to_string(path).expect("fixture")).expect("fixture json");
    let mut adapted = fixture["keras_json"].clone();
    let layers = adapted["config"]["layers"]
        .as_array_mut()
        .expect("a Sequential's layers");
    let config = &mut layers[1]["config"];
    assert_eq!(
        config["num_bins"],
        Value::Null,
        "the fixture gives boundaries"
    );
    config["num_bins"] = serde_json::json!(7);
    let design = design_from_keras_json(&adapted.to_string()).expect("Keras loads it");
    let summary = Summary::of(&design, Convention::Keras);
    assert!(summary.is_ok(), "{:?}", summary.error);
    let shape = summary.rows[0].output.single().expect("one tensor");
    let ours: Vec<Value> = std::iter::once(Value::Null)
        .chain(shape.0.iter().map(|d| d.map_or(Value::Null, Value::from)))
        .collect();
    assert_eq!(
        Value::from(ours),
        fixture["expected"]["rows"][0]["output_shape"]
    );
}
