//! Arranging views: `S` and `H` keep the selected item and are remembered per view in a real
//! cache file across restarts; the feed list folds tags (`z`), orders its feeds (`O`) and hides
//! the read ones (`V`); a change another process made to the cache reloads the views.

use std::collections::{HashMap, VecDeque};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::feeds::FeedEntry;
use crate::app::msg::{Command, Msg};
use crate::app::state::{Focus, State};
use crate::app::tests::{NOW, loaded_state, window};
use crate::app::update::update;
use crate::config::ReaderSettings;
use crate::config::keymap::{Key, Keymap};
use crate::config::theme::Theme;
use crate::model::{BodyKind, ItemQuery, ParsedItem, View};
use crate::session::worker::execute;
use crate::store::{FeedUpdate, Store, ViewSetting};

fn key(s: &mut State, name: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(name).expect("key name")))
}

/// Runs store commands against a real cache and feeds the answers back until none is left.
fn pump(store: &Store, state: &mut State, cmds: Vec<Command>) {
    let mut cmds: VecDeque<Command> = cmds.into();
    while let Some(cmd) = cmds.pop_front() {
        if matches!(cmd, Command::Refresh(..) | Command::Quit) {
            continue;
        }
        if let Some(msg) = execute(store, cmd).expect("store command") {
            cmds.extend(update(state, msg));
        }
    }
}

fn parsed(feed: &str, i: i64) -> ParsedItem {
    ParsedItem {
        key: format!("{feed}{i}"),
        guid: None,
        link: Some(format!("https://example.test/{feed}/{i}")),
        title: format!("{feed} story {i}"),
        author: None,
        published: Some(NOW - i * 60),
        content: format!("<p>Body {i}</p>"),
        content_kind: BodyKind::Html,
        base: None,
        enclosures: Vec::new(),
    }
}

/// A cache with feed "a" (60 items, every third one read) and feed "b" (3 items).
fn cache(dir: &std::path::Path) -> (Store, i64) {
    let mut store = Store::open(&dir.join("cache.db")).unwrap();
    let a = store
        .add_feed("https://example.test/a.xml", Some("Alpha"), &[])
        .unwrap();
    let b = store
        .add_feed("https://example.test/b.xml", Some("Beta"), &[])
        .unwrap();
    for (feed, id, n) in [("a", a, 60), ("b", b, 3)] {
        let items = (0..n).map(|i| parsed(feed, i)).collect();
        let up = FeedUpdate {
            fetched_at: NOW,
            items,
            ..FeedUpdate::default()
        };
        store.store_feed_update(id, &up).unwrap();
    }
    let rows = store
        .headlines(&ItemQuery::new(View::Feed(a)), 0, 100)
        .unwrap();
    for (i, r) in rows.iter().enumerate() {
        if i % 3 == 0 {
            store.set_read(r.id, true).unwrap();
        }
    }
    (store, b)
}

fn reader(store: &Store) -> State {
    let mut s = State::new(
        ReaderSettings::default(),
        Keymap::default_keys(),
        Theme::default(),
        NOW,
    );
    s.width = 160;
    s.height = 24;
    s.settings.refresh_on_start = false;
    let cmds = crate::app::start(&mut s);
    pump(store, &mut s, cmds);
    s
}

fn selected(s: &State) -> (String, u64) {
    let row = s.list.selected_row().expect("a selected row");
    (row.title.clone(), s.list.selected - s.list.scroll)
}

#[test]
fn sort_and_hide_keep_the_selected_item_on_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = cache(dir.path());
    let mut s = reader(&store);
    assert_eq!(s.list.total, 63);
    for _ in 0..30 {
        key(&mut s, "j");
    }
    key(&mut s, "k");
    let before = selected(&s);
    assert!(s.list.scroll > 0 && before.1 > 0, "{before:?}");
    let cmds = key(&mut s, "S");
    pump(&store, &mut s, cmds);
    assert!(s.list.query.oldest_first);
    assert_eq!(selected(&s), before, "same item, same screen row");
    assert_eq!(s.list.row(0).unwrap().title, "a story 59", "oldest first");

    // a3 is read: hiding read items moves the selection to the item that followed it (oldest
    // first: ... a4 a3 a2 b2 ...).
    while selected(&s).0 != "a story 3" {
        key(&mut s, "j");
    }
    let row = selected(&s).1;
    let cmds = key(&mut s, "H");
    pump(&store, &mut s, cmds);
    assert!(s.list.query.unread_only);
    assert_eq!(selected(&s), ("a story 2".to_string(), row));
    let cmds = key(&mut s, "H");
    pump(&store, &mut s, cmds);
    assert_eq!(
        selected(&s).0,
        "a story 2",
        "showing read items keeps it too"
    );
}

#[test]
fn sort_and_hide_are_remembered_per_view_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let (store, b) = cache(dir.path());
    let mut s = reader(&store);
    let cmds = [key(&mut s, "S"), key(&mut s, "H")].concat();
    pump(&store, &mut s, cmds);
    assert_eq!(s.list.total, 43, "63 items, 20 read");
    drop(s);
    drop(store);

    let store = Store::open(&dir.path().join("cache.db")).unwrap();
    let mut s = reader(&store);
    assert!(s.list.query.oldest_first && s.list.query.unread_only);
    assert_eq!(s.list.total, 43);
    assert_eq!(s.list.rows[0].title, "a story 59");

    // Another view has its own choices, the defaults until changed.
    let cmds = crate::app::views::show_query(&mut s, ItemQuery::new(View::Feed(b)));
    pump(&store, &mut s, cmds);
    assert!(!s.list.query.oldest_first && !s.list.query.unread_only);
    assert_eq!(s.list.rows[0].title, "b story 0");
    let cmds = crate::app::views::show_query(&mut s, ItemQuery::new(View::All));
    pump(&store, &mut s, cmds);
    assert!(s.list.query.oldest_first && s.list.query.unread_only);
}

#[test]
fn a_read_only_cache_does_not_remember_and_says_nothing() {
    let mut s = loaded_state(160, 40, 100);
    s.read_only = Some("read-only cache".into());
    key(&mut s, "j");
    let cmds = key(&mut s, "S");
    assert!(
        !cmds
            .iter()
            .any(|c| matches!(c, Command::SaveViewSetting { .. })),
        "{cmds:?}"
    );
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::LoadHeadlinesAt { .. })),
        "it still sorts: {cmds:?}"
    );
    let notice = s.notice.clone().expect("a notice");
    assert!(!notice.error, "{notice:?}");
    assert_eq!(notice.text, "Oldest first in All");
}

fn feed_pane(s: &State) -> String {
    let mut term = Terminal::new(TestBackend::new(s.width, s.height)).unwrap();
    term.draw(|f| crate::ui::render(s, f)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..28.min(buf.area.width) {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn feed_titles(s: &State) -> Vec<String> {
    s.entries
        .iter()
        .map(|e| match e {
            FeedEntry::All => "All".to_string(),
            FeedEntry::Unread => "Unread".to_string(),
            FeedEntry::Starred => "Starred".to_string(),
            FeedEntry::Tag { name, .. } => format!("[{name}]"),
            FeedEntry::Feed { index, .. } => s.feeds[*index].title.clone(),
            FeedEntry::Query { index, .. } => format!("» {}", s.queries[*index].name),
        })
        .collect()
}

#[test]
fn z_folds_and_unfolds_a_tag_and_its_mark_says_which() {
    let mut s = loaded_state(160, 30, 100);
    s.focus = Focus::Feeds;
    assert_eq!(
        feed_titles(&s),
        [
            "All", "Unread", "Starred", "[news]", "Feed 2", "[tech]", "Feed 1", "Feed 2", "Feed 3"
        ]
    );
    let pane = feed_pane(&s);
    assert!(pane.contains("- tech"), "{pane}");
    // On a feed inside the tag: z folds its tag and highlights it.
    s.feed_selected = 6;
    let cmds = key(&mut s, "z");
    assert_eq!(
        cmds,
        vec![Command::SaveViewSetting {
            view: "tag:tech".into(),
            setting: "collapsed".into(),
            value: "1".into()
        }]
    );
    assert_eq!(
        feed_titles(&s),
        [
            "All", "Unread", "Starred", "[news]", "Feed 2", "[tech]", "Feed 3"
        ]
    );
    assert_eq!(s.feed_selected, 5);
    let pane = feed_pane(&s);
    assert!(pane.contains("+ tech"), "{pane}");
    assert!(pane.contains("- news"), "{pane}");
    assert!(
        pane.contains("15"),
        "a folded tag still counts its unread: {pane}"
    );
    key(&mut s, "z");
    assert_eq!(feed_titles(&s).len(), 9);
    assert!(feed_pane(&s).contains("- tech"));
}

#[test]
fn the_feed_list_orders_its_feeds_and_hides_the_read_ones() {
    let mut s = loaded_state(160, 30, 100);
    s.focus = Focus::Feeds;
    let untagged = |s: &State| feed_titles(s)[6..].to_vec();
    // Unread counts: Feed 1 has 12, Feed 2 has 3, Feed 3 none. Tags: Feed 1 tech; Feed 2 tech,
    // news. So the tag "tech" lists Feed 1 then Feed 2 in both title and unread order.
    let cmds = key(&mut s, "O");
    assert_eq!(s.prefs.feed_list.order.name(), "unread");
    assert!(matches!(&cmds[0], Command::SaveViewSetting { value, .. } if value == "unread"));
    let cmds = key(&mut s, "O");
    assert!(cmds.contains(&Command::LoadFeedLatest), "{cmds:?}");
    let latest = HashMap::from([(1, NOW - 9_000), (2, NOW - 60), (3, NOW)]);
    update(&mut s, Msg::FeedLatestLoaded(latest));
    assert_eq!(
        untagged(&s),
        ["Feed 2", "Feed 1", "Feed 3"],
        "tech by latest"
    );
    assert_eq!(feed_titles(&s)[4], "Feed 2");
    key(&mut s, "O");
    assert_eq!(
        untagged(&s),
        ["Feed 1", "Feed 2", "Feed 3"],
        "by title again"
    );

    let cmds = key(&mut s, "V");
    assert_eq!(
        cmds,
        vec![Command::SaveViewSetting {
            view: "feed_list".into(),
            setting: "hide_read".into(),
            value: "1".into()
        }]
    );
    assert!(
        !feed_titles(&s).contains(&"Feed 3".to_string()),
        "no unread"
    );
    assert!(feed_pane(&s).contains("Feed 1"));
    key(&mut s, "V");
    assert!(feed_titles(&s).contains(&"Feed 3".to_string()));
}

#[test]
fn the_feed_list_settings_come_back_from_the_cache() {
    let mut s = loaded_state(160, 30, 100);
    let setting = |view: &str, setting: &str, value: &str| ViewSetting {
        view: view.into(),
        setting: setting.into(),
        value: value.into(),
    };
    let cmds = update(
        &mut s,
        Msg::ViewSettingsLoaded(vec![
            setting("feed_list", "order", "unread"),
            setting("feed_list", "hide_read", "1"),
            setting("tag:news", "collapsed", "1"),
            setting("all", "oldest_first", "1"),
        ]),
    );
    assert_eq!(
        feed_titles(&s),
        [
            "All", "Unread", "Starred", "[news]", "[tech]", "Feed 1", "Feed 2"
        ]
    );
    assert!(s.list.query.oldest_first, "the view shown follows");
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::LoadHeadlines { query, .. } if query.oldest_first)),
        "{cmds:?}"
    );
}

#[test]
fn a_change_by_another_process_reloads_and_keeps_the_selection() {
    let mut s = loaded_state(160, 40, 100);
    for _ in 0..5 {
        key(&mut s, "j");
    }
    let (id, row) = (
        s.list.selected_row().unwrap().id,
        s.list.selected - s.list.scroll,
    );
    let cmds = update(&mut s, Msg::CacheChanged);
    assert_eq!(cmds[0], Command::LoadFeeds);
    let Some(Command::LoadHeadlinesAt { query, anchor, .. }) = cmds.get(1).cloned() else {
        panic!("the list reloads around the selected item: {cmds:?}");
    };
    assert_eq!(anchor, id);
    // Two new items arrived on top: the selected item is now at index 7.
    let mut rows = window(0, 2);
    for r in &mut rows {
        r.id += 10;
    }
    rows.extend(window(0, 100));
    update(
        &mut s,
        Msg::HeadlinesPlaced {
            query,
            selected: 7,
            offset: 0,
            rows,
            total: 102,
        },
    );
    assert_eq!(s.list.selected_row().unwrap().id, id);
    assert_eq!(s.list.selected, 7);
    assert_eq!(
        s.list.selected - s.list.scroll,
        row,
        "on the same screen row"
    );

    // During the reader's own refresh, its end reloads instead.
    s.refresh.running = true;
    assert!(update(&mut s, Msg::CacheChanged).is_empty());
}

#[test]
fn n_goes_on_into_a_feed_of_a_folded_tag_and_highlights_the_tag() {
    let mut s = loaded_state(160, 30, 100);
    // Feed 3 (no tag, nothing unread) is shown; news holds Feed 2, tech Feed 1 and Feed 2, all
    // with unread items. Both tags are folded.
    let cmds = crate::app::views::show_query(&mut s, ItemQuery::new(View::Feed(3)));
    let Some(Command::LoadHeadlines { query, .. }) = cmds.first().cloned() else {
        panic!("{cmds:?}");
    };
    let mut rows = window(0, 3);
    for r in &mut rows {
        r.read = true;
    }
    update(
        &mut s,
        Msg::HeadlinesLoaded {
            query,
            offset: 0,
            rows,
            total: 3,
        },
    );
    s.focus = Focus::Feeds;
    s.feed_selected = 3;
    key(&mut s, "z");
    s.feed_selected = 4;
    key(&mut s, "z");
    assert_eq!(
        feed_titles(&s),
        ["All", "Unread", "Starred", "[news]", "[tech]", "Feed 3"]
    );
    key(&mut s, "Tab");
    key(&mut s, "n");
    assert_eq!(s.list.query.view, View::Feed(2), "on into a folded tag");
    assert_eq!(feed_titles(&s)[s.feed_selected], "[news]");
}
