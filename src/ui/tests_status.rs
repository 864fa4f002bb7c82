//! The status line keeps its help hint and counts things in good grammar; the help screen
//! explains the row marks and wraps its descriptions.

use crate::app::msg::Msg;
use crate::app::tests::loaded_state;
use crate::app::update::update;
use crate::config::keymap::{Action, Keymap};
use crate::ui::tests::screen;

fn status_line(text: &str) -> String {
    text.lines().last().unwrap_or_default().to_string()
}

#[test]
fn at_80_columns_the_help_hint_stays_beside_a_long_notice() {
    let mut s = loaded_state(80, 24, 1000);
    s.notify("A notice long enough to take the whole of the status line and then some more");
    let line = status_line(&screen(&s));
    assert!(line.contains("? help"), "{line}");
}

#[test]
fn one_of_a_thing_is_singular() {
    let mut s = loaded_state(120, 24, 1);
    let line = status_line(&screen(&s));
    assert!(line.contains("1 item,"), "{line}");
    update(
        &mut s,
        Msg::RefreshDone {
            at: 0,
            new_items: 1,
            failed: Vec::new(),
        },
    );
    assert_eq!(s.notice.clone().unwrap().text, "1 new item");
    update(
        &mut s,
        Msg::RefreshDone {
            at: 0,
            new_items: 0,
            failed: vec![("Feed 2".into(), "refused".into())],
        },
    );
    assert_eq!(
        s.notice.clone().unwrap().text,
        "1 feed failed; E lists the errors"
    );
}

#[test]
fn help_explains_the_row_marks_and_wraps_long_descriptions() {
    let mut s = loaded_state(80, 40, 10);
    let long = "Mark read everything in the highlighted feed or tag, or in the view shown when the headlines have the keyboard";
    let text = format!("[keys]\n\"A\" = {{ action = \"mark_all_read\", desc = \"{long}\" }}\n");
    let user = Keymap::from_toml_str(&text, std::path::Path::new("k.toml")).unwrap();
    s.keymap = Keymap::merge(Keymap::default_keys(), user);
    update(&mut s, Msg::Action(Action::Help));
    let mut all = String::new();
    for _ in 0..12 {
        let text = screen(&s);
        all.push_str(&text);
        update(&mut s, Msg::Action(Action::PageDown));
    }
    let words: String = all
        .lines()
        .filter_map(|l| l.split('│').nth(2))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains(long), "wrapped, not cut:\n{all}");
    let after = all.split("Marks on rows").last().unwrap_or_default();
    for (mark, meaning) in [
        ("N", "unread"),
        ("*", "starred"),
        ("+1", "one more feed"),
        ("!", "refresh failed"),
    ] {
        assert!(
            after
                .lines()
                .any(|l| l.contains(&format!(" {mark} ")) && l.contains(meaning)),
            "the legend explains {mark:?}:\n{all}"
        );
    }
}
