//! Searching, drawn with `TestBackend`: the prompt names its scope and Tab switches it, the
//! status line counts the results view itself, and leaving the results finds the view left as it
//! was.

use crate::app::msg::{Command, Msg};
use crate::app::state::{Focus, Overlay};
use crate::app::tests::{loaded_state, window};
use crate::app::update::update;
use crate::config::keymap::Key;
use crate::model::{ItemQuery, SearchQuery, View};
use crate::ui::tests::screen;

fn key(s: &mut crate::app::State, name: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(name).expect("key name")))
}

fn type_text(s: &mut crate::app::State, text: &str) {
    for c in text.chars() {
        let name = if c == ' ' {
            "Space".to_string()
        } else {
            c.to_string()
        };
        key(s, &name);
    }
}

fn status_line(text: &str) -> String {
    text.lines().last().unwrap_or_default().to_string()
}

/// The query of the headline load among `cmds`.
fn loaded_query(cmds: &[Command]) -> ItemQuery {
    cmds.iter()
        .find_map(|c| match c {
            Command::LoadHeadlines { query, .. } => Some(query.clone()),
            _ => None,
        })
        .expect("a headline load")
}

#[test]
fn the_prompt_names_its_scope_and_tab_switches_it() {
    let mut s = loaded_state(120, 30, 1000);
    // Highlight an item of Feed 2; the prompt offers that feed and starts in all feeds.
    key(&mut s, "j");
    assert_eq!(s.list.selected_row().unwrap().feed_id, 2);
    key(&mut s, "/");
    type_text(&mut s, "coral");
    let text = screen(&s);
    assert!(
        text.contains("Search in all feeds (Tab: Feed 2 only)"),
        "{text}"
    );
    key(&mut s, "Tab");
    let text = screen(&s);
    assert!(text.contains("Search in Feed 2 (Tab: all feeds)"), "{text}");
    assert!(
        matches!(&s.overlay, Some(Overlay::Search { input, .. }) if input == "coral"),
        "Tab types nothing"
    );
    let cmds = key(&mut s, "Enter");
    assert_eq!(
        loaded_query(&cmds).view,
        View::Search(SearchQuery::new("coral", Some(2)))
    );
    assert!(screen(&s).contains("search \"coral\" in Feed 2"));

    // From a feed's own headlines the prompt starts in that feed; Tab widens it.
    let mut s = loaded_state(120, 30, 1000);
    s.list.query.view = View::Feed(3);
    key(&mut s, "/");
    type_text(&mut s, "coral reef");
    assert!(screen(&s).contains("Search in Feed 3 (Tab: all feeds)"));
    key(&mut s, "Tab");
    let cmds = key(&mut s, "Enter");
    assert_eq!(
        loaded_query(&cmds).view,
        View::Search(SearchQuery::new("coral reef", None))
    );
}

#[test]
fn the_status_line_counts_the_results_not_every_feed() {
    let mut s = loaded_state(120, 30, 1000);
    assert_eq!(s.totals.unread, 15);
    key(&mut s, "/");
    type_text(&mut s, "coral");
    let cmds = key(&mut s, "Enter");
    let query = loaded_query(&cmds);
    let mut rows = window(0, 2);
    rows[0].read = false;
    rows[1].read = true;
    let cmds = update(
        &mut s,
        Msg::HeadlinesLoaded {
            query: query.clone(),
            offset: 0,
            rows,
            total: 2,
        },
    );
    assert!(
        cmds.contains(&Command::CountUnread(query.clone())),
        "the results' own unread count is asked for: {cmds:?}"
    );
    update(&mut s, Msg::UnreadCounted { query, unread: 1 });
    let line = status_line(&screen(&s));
    assert!(
        line.contains("search \"coral\": 2 items, 1 unread"),
        "{line}"
    );

    // A feed's view counts that feed's unread items.
    let mut s = loaded_state(120, 30, 1000);
    s.focus = Focus::Feeds;
    s.feed_selected = s
        .entries
        .iter()
        .position(|e| e.view(&s.feeds) == Some(View::Feed(2)))
        .unwrap();
    key(&mut s, "Enter");
    let line = status_line(&screen(&s));
    assert!(
        line.contains("Feed 2: ") && line.contains(", 3 unread"),
        "{line}"
    );
}

#[test]
fn leaving_the_results_keeps_the_selection_of_the_view_left() {
    let mut s = loaded_state(120, 30, 1000);
    for _ in 0..40 {
        key(&mut s, "j");
    }
    let (selected, scroll) = (s.list.selected, s.list.scroll);
    let id = s.list.selected_row().unwrap().id;
    key(&mut s, "/");
    type_text(&mut s, "coral");
    key(&mut s, "Enter");
    assert_eq!(s.list.selected, 0, "the results start at their top");
    let cmds = key(&mut s, "Esc");
    assert_eq!(s.list.query.view, View::All);
    assert_eq!((s.list.selected, s.list.scroll), (selected, scroll));
    assert_eq!(s.list.selected_row().map(|h| h.id), Some(id));
    // The view is reloaded around the selection, which follows its item.
    let Some(Command::LoadHeadlines { query, offset, .. }) = cmds.first() else {
        panic!("a reload: {cmds:?}");
    };
    assert!(*offset <= selected);
    let mut rows = window(*offset, 200);
    rows.insert(0, crate::app::tests::headline(5000));
    update(
        &mut s,
        Msg::HeadlinesLoaded {
            query: query.clone(),
            offset: *offset,
            rows,
            total: 1001,
        },
    );
    assert_eq!(s.list.selected_row().map(|h| h.id), Some(id));
}

#[test]
fn a_narrow_prompt_keeps_its_scope_and_marks_the_cut() {
    let mut s = loaded_state(60, 20, 1000);
    s.list.query.view = View::Feed(2);
    s.feeds[1].title = "Lakeside Ledger via Aggregator, the long edition".into();
    key(&mut s, "/");
    let text = screen(&s);
    let title = text
        .lines()
        .find(|l| l.contains("Search in"))
        .unwrap_or_else(|| panic!("the prompt names its scope: {text}"));
    assert!(title.contains("Search in Lakeside Ledger"), "{title}");
    assert!(title.contains('…'), "the cut is marked: {title}");
    assert!(!title.contains("Enter searches"), "hints go first: {title}");
}

#[test]
fn the_prompt_takes_a_filter_expression_over_its_scope() {
    let mut s = loaded_state(120, 30, 1000);
    key(&mut s, "j");
    key(&mut s, "/");
    type_text(&mut s, "unread and title:coral");
    key(&mut s, "Tab");
    let cmds = key(&mut s, "Enter");
    assert_eq!(
        loaded_query(&cmds).view,
        View::Filter {
            base: Box::new(View::Feed(2)),
            filter: "unread and title:coral".into(),
        }
    );
    assert!(screen(&s).contains("where unread and title:coral"));

    // Words that are not a filter, and a lone flag, are searched for.
    for words in ["coral reef", "unread"] {
        let mut s = loaded_state(120, 30, 1000);
        key(&mut s, "/");
        type_text(&mut s, words);
        let cmds = key(&mut s, "Enter");
        assert_eq!(
            loaded_query(&cmds).view,
            View::Search(SearchQuery::new(words, None))
        );
    }
}
