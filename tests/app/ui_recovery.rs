//! The recovery list as drawn: each copy with its design, time and total, the highlighted one
//! marked, an unreadable one with its reason, and the keys that answer one copy at a time.

use crate::common::{example, press, render, screen};
use lstm_tui::app::{Action, Leftover};
use lstm_tui::model::explain::thousands;

fn leftover(path: &str, name: &str, changed: &str, total: Option<u64>) -> Leftover {
    Leftover {
        path: path.into(),
        name: name.into(),
        changed: changed.into(),
        total,
        layers: Some(5),
        error: None,
    }
}

#[test]
fn the_list_shows_every_copy_with_its_design_time_and_total() {
    let mut app = example();
    let mut broken = leftover("r/broken-9.ron", "broken-9", "2026-11-30 08:00", None);
    broken.error = Some("r/broken-9.ron:1:13: unexpected end of file".into());
    app.update(Action::OfferRecovery(vec![
        leftover(
            "r/lstm-64-41.ron",
            "lstm-64",
            "2026-12-01 09:12",
            Some(59_910),
        ),
        leftover("r/wide-42.ron", "wide", "2026-12-01 09:11", Some(1_234_567)),
        broken,
    ]));
    for (w, h) in [(80, 24), (120, 40)] {
        let text = screen(&render(&mut app, w, h));
        assert!(text.contains("Unsaved work found"), "{text}");
        for (name, when, total) in [
            ("lstm-64", "2026-12-01 09:12", thousands(59_910)),
            ("wide", "2026-12-01 09:11", thousands(1_234_567)),
            ("broken-9", "2026-11-30 08:00", "unreadable".to_string()),
        ] {
            let row = text
                .lines()
                .find(|l| l.contains(name) && l.contains(when))
                .unwrap_or_else(|| panic!("no row for {name} at {w}x{h}:\n{text}"));
            assert!(row.contains(&total), "{row}");
        }
        for key in ["restore", "later", "discard", "close"] {
            assert!(text.contains(key), "no {key} hint at {w}x{h}:\n{text}");
        }
    }
    // The unreadable copy's reason shows when it is highlighted.
    press(&mut app, "j j");
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("unexpected end of file"), "{text}");
}

#[test]
fn the_keys_that_answer_show_inside_the_list_at_80x24() {
    let mut app = example();
    app.update(Action::OfferRecovery(vec![leftover(
        "r/a-1.ron",
        "a",
        "2026-12-01 09:12",
        Some(1),
    )]));
    let text = screen(&render(&mut app, 80, 24));
    // Inside the popup's border, not only in the footer.
    let inside = text
        .lines()
        .find(|l| l.contains("restore") && l.contains('│'))
        .unwrap_or_else(|| panic!("no key hints inside the list:\n{text}"));
    assert!(inside.contains("discard"), "{inside}");
}
