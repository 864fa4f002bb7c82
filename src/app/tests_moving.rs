//! Moving on: `n`/`N` carry on into the next or previous feed with unread items; `J`/`K` step
//! through articles from the article pane.

use crate::app::msg::{Command, Msg, Totals};
use crate::app::state::{Focus, State};
use crate::app::tests::{NOW, feed, headline, item};
use crate::app::text::parse;
use crate::app::update::update;
use crate::config::ReaderSettings;
use crate::config::keymap::{Key, Keymap};
use crate::config::theme::Theme;
use crate::model::{BodyKind, Headline, ItemQuery, View};

fn key(s: &mut State, name: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(name).expect("key name")))
}

/// Rows of feed `id`: `n` headlines, unread where `unread` says.
fn rows(id: i64, n: u64, unread: impl Fn(u64) -> bool) -> Vec<Headline> {
    (0..n)
        .map(|i| Headline {
            id: id * 1000 + i as i64,
            feed_id: id,
            feed_title: format!("Feed {id}"),
            read: !unread(i),
            ..headline(i)
        })
        .collect()
}

fn arrive(s: &mut State, view: View, rows: Vec<Headline>) -> Vec<Command> {
    let total = rows.len() as u64;
    let query = ItemQuery {
        view,
        ..s.list.query.clone()
    };
    update(
        s,
        Msg::HeadlinesLoaded {
            query,
            offset: 0,
            rows,
            total,
        },
    )
}

/// A reader on feed 2 of three, every item of feed 2 read; feeds 1 and 3 have unread items.
fn on_feed_two() -> State {
    let mut s = State::new(
        ReaderSettings::default(),
        Keymap::default_keys(),
        Theme::default(),
        NOW,
    );
    update(&mut s, Msg::Resize(160, 40));
    let feeds = vec![
        feed(1, "Feed 1", &[], 2, None),
        feed(2, "Feed 2", &[], 0, None),
        feed(3, "Feed 3", &[], 925, None),
    ];
    update(&mut s, Msg::FeedsLoaded(feeds, Totals::default()));
    s.list = crate::app::list::HeadlineList::new(ItemQuery::new(View::Feed(2)));
    s.list.pending = Some(0);
    arrive(&mut s, View::Feed(2), rows(2, 5, |_| false));
    s
}

#[test]
fn n_at_the_end_of_a_feed_goes_on_to_the_next_feed_with_unread_items() {
    let mut s = on_feed_two();
    let cmds = key(&mut s, "n");
    assert_eq!(s.list.query.view, View::Feed(3), "{cmds:?}");
    assert!(
        cmds.iter().any(
            |c| matches!(c, Command::LoadHeadlines { query, .. } if query.view == View::Feed(3))
        ),
        "{cmds:?}"
    );
    let notice = s.notice.clone().expect("the status line says so").text;
    assert!(notice.contains("Feed 3"), "{notice}");
    let cmds = arrive(&mut s, View::Feed(3), rows(3, 4, |i| i >= 1));
    assert!(
        cmds.contains(&Command::LoadArticle(3001)),
        "the first unread: {cmds:?}"
    );
    assert_eq!(s.focus, Focus::Article);
    assert!(s.notice.as_ref().is_some_and(|n| n.text.contains("Feed 3")));
}

#[test]
fn capital_n_at_the_top_of_a_feed_goes_back_to_the_previous_feed_with_unread_items() {
    let mut s = on_feed_two();
    let cmds = key(&mut s, "N");
    assert_eq!(s.list.query.view, View::Feed(1), "{cmds:?}");
    let cmds = arrive(&mut s, View::Feed(1), rows(1, 6, |i| i == 1 || i == 3));
    assert!(
        cmds.contains(&Command::LoadArticle(1003)),
        "its last unread: {cmds:?}"
    );
}

#[test]
fn with_nothing_unread_anywhere_n_says_so() {
    let mut s = on_feed_two();
    let feeds = vec![
        feed(1, "Feed 1", &[], 0, None),
        feed(2, "Feed 2", &[], 0, None),
    ];
    update(&mut s, Msg::FeedsLoaded(feeds, Totals::default()));
    let cmds = key(&mut s, "n");
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(s.list.query.view, View::Feed(2));
    assert!(s.notice.unwrap().text.contains("No more unread"));
}

#[test]
fn capital_j_and_k_step_to_the_next_and_previous_article() {
    let mut s = on_feed_two();
    key(&mut s, "Enter");
    let doc = parse(&item(2000).content, BodyKind::Html, None);
    update(
        &mut s,
        Msg::ArticleLoaded(Box::new(item(2000)), doc, Vec::new()),
    );
    assert_eq!(s.focus, Focus::Article);
    let cmds = key(&mut s, "J");
    assert!(cmds.contains(&Command::LoadArticle(2001)), "{cmds:?}");
    assert_eq!(s.list.selected, 1);
    assert_eq!(s.focus, Focus::Article);
    let cmds = key(&mut s, "K");
    assert!(cmds.contains(&Command::LoadArticle(2000)), "{cmds:?}");
    assert_eq!(s.list.selected, 0);
}
