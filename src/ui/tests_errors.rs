//! The error list: one entry per feed (its last error and when), replaced by each refresh; the
//! reader's own errors apart; a position; Enter goes to the feed, `r` retries it.

use crate::app::msg::{Command, Msg};
use crate::app::state::State;
use crate::app::tests::{NOW, loaded_state};
use crate::app::update::update;
use crate::config::keymap::{Action, Key};
use crate::model::View;
use crate::ui::tests::screen;

fn failed_refresh(s: &mut State, failed: &[(&str, &str)]) {
    update(s, Msg::Action(Action::RefreshAll));
    update(
        s,
        Msg::RefreshDone {
            at: NOW,
            new_items: 0,
            failed: failed
                .iter()
                .map(|(f, m)| (f.to_string(), m.to_string()))
                .collect(),
        },
    );
}

#[test]
fn one_entry_per_feed_replaced_by_each_refresh_and_reader_errors_apart() {
    let mut s = loaded_state(80, 24, 100);
    for _ in 0..5 {
        failed_refresh(&mut s, &[("Feed 2", "connection refused")]);
    }
    update(&mut s, Msg::Error("the cache is busy".into()));
    update(&mut s, Msg::Action(Action::ShowErrors));
    let text = screen(&s);
    assert_eq!(text.matches("connection refused").count(), 1, "{text}");
    assert!(text.contains("1/1"), "a position: {text}");
    let reader = text
        .lines()
        .position(|l| l.contains("Reader"))
        .unwrap_or_else(|| panic!("the reader's errors apart: {text}"));
    let busy = text
        .lines()
        .position(|l| l.contains("the cache is busy"))
        .unwrap();
    assert!(busy > reader, "{text}");
    let msg = text
        .lines()
        .find(|l| l.contains("connection refused"))
        .unwrap();
    assert!(
        !msg.contains("Feed 2"),
        "name and message apart at 80 columns: {msg}"
    );

    update(&mut s, Msg::Action(Action::ShowErrors));
    failed_refresh(&mut s, &[("Feed 3", "HTTP 404")]);
    update(&mut s, Msg::Action(Action::ShowErrors));
    let text = screen(&s);
    assert!(!text.contains("connection refused"), "replaced: {text}");
    assert!(text.contains("HTTP 404"), "{text}");
}

#[test]
fn enter_goes_to_the_feed_and_r_retries_it() {
    let mut s = loaded_state(160, 40, 100);
    failed_refresh(
        &mut s,
        &[("Feed 2", "connection refused"), ("Feed 3", "HTTP 404")],
    );
    update(&mut s, Msg::Action(Action::ShowErrors));
    update(&mut s, Msg::Key(Key::parse("j").unwrap()));
    assert!(screen(&s).contains("2/2"), "{}", screen(&s));
    let cmds = update(&mut s, Msg::Key(Key::parse("r").unwrap()));
    assert!(
        cmds.contains(&Command::Refresh(Some(3), crate::app::RefreshCause::Asked)),
        "{cmds:?}"
    );
    assert!(
        s.overlay.is_some(),
        "the list stays open while the feed is retried"
    );
    update(&mut s, Msg::Key(Key::parse("k").unwrap()));
    update(&mut s, Msg::Key(Key::parse("Enter").unwrap()));
    assert!(s.overlay.is_none());
    assert_eq!(s.list.query.view, View::Feed(2));
}
