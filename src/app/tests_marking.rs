//! `A` marks what is highlighted: the feed or tag under the cursor on the feed list, else the
//! view shown; All, Unread and tags ask first; the status line names what was marked.

use crate::app::msg::{Command, Msg};
use crate::app::state::{Focus, State};
use crate::app::tests::loaded_state;
use crate::app::update::update;
use crate::config::keymap::Key;
use crate::model::{ItemQuery, View};

fn key(s: &mut State, name: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(name).expect("key name")))
}

/// The feed-pane row that opens `view`.
fn select_entry(s: &mut State, view: &View) {
    s.focus = Focus::Feeds;
    s.feed_selected = s
        .entries
        .iter()
        .position(|e| e.view(&s.feeds).as_ref() == Some(view))
        .expect("a row for the view");
}

#[test]
fn on_the_feed_list_a_marks_the_highlighted_feed_and_names_it() {
    let mut s = loaded_state(160, 40, 1000);
    select_entry(&mut s, &View::Feed(3));
    let cmds = key(&mut s, "A");
    assert_eq!(
        cmds.first(),
        Some(&Command::MarkAllRead(ItemQuery::new(View::Feed(3)))),
        "the highlighted feed, not the open view (All): {cmds:?}"
    );
    assert!(s.list.rows.iter().any(|r| !r.read), "All is not marked");
    update(&mut s, Msg::MarkedAllRead(vec![1, 2, 3]));
    let notice = s.notice.clone().unwrap().text;
    assert_eq!(notice, "Marked 3 in Feed 3 read; U undoes");
}

#[test]
fn all_unread_and_tags_ask_first() {
    for view in [View::All, View::Unread, View::Tag("tech".into())] {
        let mut s = loaded_state(160, 40, 1000);
        select_entry(&mut s, &view);
        let cmds = key(&mut s, "A");
        assert!(cmds.is_empty(), "{view:?} asks first: {cmds:?}");
        let ask = s.notice.clone().map(|n| n.text).unwrap_or_default();
        assert!(ask.contains("y/n"), "{ask}");
        assert!(key(&mut s, "n").is_empty(), "n answers no");
        assert!(s.notice.clone().unwrap().text.contains("Nothing marked"));
        key(&mut s, "A");
        let cmds = key(&mut s, "y");
        assert_eq!(
            cmds.first(),
            Some(&Command::MarkAllRead(ItemQuery::new(view.clone())))
        );
    }
}

#[test]
fn from_the_headlines_a_marks_the_view_shown() {
    let mut s = loaded_state(160, 40, 1000);
    s.list.query.view = View::Feed(2);
    let cmds = key(&mut s, "A");
    assert!(
        matches!(cmds.first(), Some(Command::MarkAllRead(q)) if q.view == View::Feed(2)),
        "a feed's view is marked at once: {cmds:?}"
    );
    assert!(s.list.rows.iter().all(|r| r.read));
    update(&mut s, Msg::MarkedAllRead(vec![7; 30]));
    assert_eq!(s.notice.unwrap().text, "Marked 30 in Feed 2 read; U undoes");
}
