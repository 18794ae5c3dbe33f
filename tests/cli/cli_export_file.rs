//! `export -o FILE`: written atomically (a new file renamed into place), never over the
//! design being exported, to a bare file name in the current folder as to any path, and
//! into a folder under the name the export popup gives.

use std::fs;
use std::process::Output;

use crate::common::{Env, stderr};
use lstm_tui::model::Design;
use lstm_tui::store::Store;

#[test]
fn export_refuses_to_overwrite_the_design_it_exports() {
    let env = Env::new();
    let store = Store::at(env.config.path());
    store.save(&Design::example(), None).unwrap();
    let saved = store.design_path("example").unwrap();
    let before = fs::read(&saved).unwrap();

    // By name, by its path, and by another spelling of that path.
    let other_spelling = saved
        .parent()
        .unwrap()
        .join("..")
        .join("designs")
        .join("example.ron");
    for (design, output) in [
        ("example".to_string(), saved.clone()),
        (saved.display().to_string(), saved.clone()),
        (saved.display().to_string(), other_spelling),
    ] {
        let out = env.run(&[
            "export",
            &design,
            "--to",
            "keras",
            "-o",
            output.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{design} -o {}",
            output.display()
        );
        assert!(
            stderr(&out).contains("refusing to overwrite"),
            "{}",
            stderr(&out)
        );
        assert_eq!(
            fs::read(&saved).unwrap(),
            before,
            "the design was overwritten"
        );
    }
}

#[cfg(unix)]
#[test]
fn export_replaces_the_output_file_by_renaming_a_complete_new_one() {
    use std::os::unix::fs::MetadataExt;

    let env = Env::new();
    Store::at(env.config.path())
        .save(&Design::example(), None)
        .unwrap();
    let output = env.write("model.py", "# an older export\n");
    let before = fs::metadata(&output).unwrap().ino();
    let out = env.run(&[
        "export",
        "example",
        "--to",
        "keras",
        "-o",
        output.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Written in place, a reader could see half a file; renamed, it sees old or new whole.
    assert_ne!(fs::metadata(&output).unwrap().ino(), before);
    assert!(fs::read_to_string(&output).unwrap().contains("Sequential"));
    let leftovers: Vec<_> = fs::read_dir(env.files.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "model.py")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `lstm-tui ARGS` run from inside the input folder, as a user names files there.
fn run_in_files(env: &Env, args: &[&str]) -> Output {
    env.command(args)
        .current_dir(env.files.path())
        .output()
        .unwrap()
}

#[test]
fn export_writes_a_bare_file_name_in_the_current_folder() {
    // `-o model.py` names a file whose folder is the empty path: it must be written (and
    // replaced) in the current folder, with no error and no temp file left beside it.
    let env = Env::new();
    Store::at(env.config.path())
        .save(&Design::example(), None)
        .unwrap();
    for (to, file, marker) in [
        ("keras", "model.py", "Sequential"),
        ("keras", "model.py", "Sequential"),
        ("keras-json", "model.json", "\"class_name\""),
    ] {
        let out = run_in_files(&env, &["export", "example", "--to", to, "-o", file]);
        assert_eq!(out.status.code(), Some(0), "-o {file}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("to {file}")),
            "{}",
            stderr(&out)
        );
        let written = fs::read_to_string(env.files.path().join(file)).unwrap();
        assert!(written.contains(marker), "{written}");
    }
    let mut left: Vec<_> = fs::read_dir(env.files.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["model.json", "model.py"]);
}

#[test]
fn export_into_a_folder_names_the_file_after_the_design() {
    let env = Env::new();
    let keras_json = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/keras_masks/masking_lstm.json"),
    )
    .unwrap();
    let fixture: serde_json::Value = serde_json::from_str(&keras_json).unwrap();
    let model = env.write("model.json", &fixture["keras_json"].to_string());
    // A folder that does not exist yet, named with a trailing slash, and the current one.
    for (to, output, file) in [
        ("pytorch", "out/", "out/model_torch.py"),
        ("keras", ".", "model_keras.py"),
        ("markdown", "out", "out/model.md"),
    ] {
        let out = run_in_files(&env, &["export", "model.json", "--to", to, "-o", output]);
        assert_eq!(out.status.code(), Some(0), "-o {output}: {}", stderr(&out));
        assert!(stderr(&out).contains(file), "{}", stderr(&out));
        assert!(env.files.path().join(file).is_file(), "{file} not written");
    }
    // In its own folder, Keras JSON would be named as the file exported: refused, unchanged.
    let before = fs::read(&model).unwrap();
    let out = run_in_files(
        &env,
        &["export", "model.json", "--to", "keras-json", "-o", "."],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("refusing to overwrite"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read(&model).unwrap(), before);
}

#[test]
fn a_folder_named_like_a_design_is_reported_as_a_folder() {
    let env = Env::new();
    fs::create_dir(env.files.path().join("runs")).unwrap();
    let out = run_in_files(&env, &["summary", "runs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("it is a folder"), "{}", stderr(&out));
    // A saved design of that name is still what the name means.
    let mut design = Design::example();
    design.name = "runs".into();
    Store::at(env.config.path()).save(&design, None).unwrap();
    let out = run_in_files(&env, &["summary", "runs"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
