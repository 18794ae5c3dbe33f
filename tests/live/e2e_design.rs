//! Designing from scratch with real keys in a real terminal (tmux): a text classifier from
//! `n` to a saved file, with every key counted, typed characters included. A Keras user
//! should get there without detours: this is the budget of keys it may take.

use crate::common::{dense, lstm};
use crate::{check, common};
use common::needs::Need;
use common::tmux::Session;
use libtest_mimic::Trial;
use lstm_tui::model::explain::thousands;

/// Most keys the job may take.
const KEY_BUDGET: usize = 60;

/// Keys sent to the designer, counted as a user would press them.
pub(crate) struct Keys<'a> {
    /// The designer they go to.
    pub(crate) session: &'a Session,
    /// How many keys so far.
    pub(crate) count: usize,
}

impl Keys<'_> {
    /// Presses named keys (`Enter`, `Tab`, `C-s`), one each.
    pub(crate) fn press(&mut self, keys: &[&str]) {
        self.session.keys(keys);
        self.count += keys.len();
    }

    /// Types text, one key per character.
    pub(crate) fn text(&mut self, text: &str) {
        self.session.keys(&["-l", text]);
        self.count += text.chars().count();
    }
}

/// Keras' count for Embedding(5000, 16) → Bidirectional(LSTM(u)) → Dense(1) on 100 token ids.
fn classifier_total(u: u64) -> u64 {
    5000 * 16 + 2 * lstm(u, 16) + dense(1, 2 * u)
}

fn a_text_classifier_from_n_to_saved_in_sixty_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Session::designer("classifier", dir.path(), 80, 24);
    s.wait_for(&["59,910"]);
    let mut k = Keys {
        session: &s,
        count: 0,
    };
    // The input: 100 token ids.
    k.press(&["n"]);
    s.wait_for(&["Edit the input", "shape"]);
    k.text("(100,)");
    k.press(&["Tab", "Space"]);
    s.wait_for(&["int32"]);
    k.press(&["Enter"]);
    s.wait_for(&["no layers yet"]);
    // Embedding(5000, 16): the picker highlights it after token ids.
    k.press(&["a"]);
    s.wait_for(&["Add after the input"]);
    k.press(&["Enter"]);
    s.wait_for(&["embedding (Embedding)"]);
    k.press(&["Enter"]);
    s.wait_for(&["input_dim"]);
    k.text("5000");
    k.press(&["Tab"]);
    k.text("16");
    k.press(&["Enter"]);
    s.wait_for(&["80,000"]);
    // Bidirectional(LSTM), as the catalogue offers it.
    k.press(&["a"]);
    k.text("bid");
    k.press(&["Enter"]);
    s.wait_for(&["(Bidirectional)"]);
    // Dense(1, sigmoid).
    k.press(&["a"]);
    k.text("den");
    k.press(&["Enter"]);
    s.wait_for(&["dense (Dense)"]);
    k.press(&["Enter"]);
    s.wait_for(&["units"]);
    k.text("1");
    k.press(&["Tab"]);
    k.text("sig");
    k.press(&["Enter"]);
    s.wait_for(&["(None, 1)"]);
    // A budget of 150k parameters, and the Bidirectional fitted to it.
    k.press(&["b"]);
    s.wait_for(&["Budgets"]);
    k.text("150k");
    k.press(&["Enter"]);
    k.press(&["k", "f"]);
    s.wait_for(&["Fit to budget"]);
    k.press(&["Enter"]);
    let units = (1..=4096)
        .take_while(|u| classifier_total(*u) <= 150_000)
        .last()
        .expect("some size fits");
    s.wait_for(&[&thousands(classifier_total(units))]);
    // Saved under a name of its own.
    k.press(&["C-s"]);
    s.wait_for(&["Save as"]);
    k.text("imdb");
    k.press(&["Enter"]);
    s.wait_for(&["saved imdb"]);
    assert!(
        k.count <= KEY_BUDGET,
        "the job took {} keys, more than {KEY_BUDGET}",
        k.count
    );
    let saved =
        std::fs::read_to_string(dir.path().join("designs/imdb.ron")).expect("the design is saved");
    for part in [
        "Int32",
        "Embedding",
        "input_dim: 5000",
        "output_dim: 16",
        "Bidirectional",
        &format!("units: {units}"),
        "\"sigmoid\"",
    ] {
        assert!(saved.contains(part), "{part} missing from:\n{saved}");
    }
    println!("the job took {} keys", k.count);
}

pub fn checks() -> Vec<Trial> {
    let tmux = Need::tmux();
    common::needs::listed(
        module_path!(),
        include_str!("e2e_design.rs"),
        vec![check!(
            tmux,
            a_text_classifier_from_n_to_saved_in_sixty_keys
        )],
    )
}
