//! `export -o FILE`: written atomically (a new file renamed into place), and never over the
//! design being exported.

use std::fs;

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
