//! The reader's query feeds, filter prompt and saved queries: the pure update function, then the
//! cache worker on a real cache file.

use crate::app::feeds::FeedEntry;
use crate::app::msg::{Command, Msg, Totals};
use crate::app::queries::QueryRow;
use crate::app::state::{Focus, Overlay, State};
use crate::app::tests::{NOW, feed};
use crate::app::update::update;
use crate::config::ReaderSettings;
use crate::config::keymap::{Action, Key, Keymap};
use crate::config::queries::Origin;
use crate::config::theme::Theme;
use crate::model::{ItemQuery, View};

fn config_query(name: &str, filter: &str) -> QueryRow {
    QueryRow {
        name: name.into(),
        filter: filter.into(),
        origin: Origin::Config,
        counts: None,
    }
}

/// A reader with two feeds and one query of the config.
fn reader() -> State {
    let mut s = State::new(
        ReaderSettings::default(),
        Keymap::default_keys(),
        Theme::default(),
        NOW,
    );
    s.width = 120;
    s.height = 30;
    s.queries = vec![config_query("Fresh", "unread and age < 2d")];
    update(
        &mut s,
        Msg::FeedsLoaded(
            vec![
                feed(1, "Harbour Gazette", &["news"], 3, None),
                feed(2, "North Post", &[], 1, None),
            ],
            Totals::default(),
        ),
    );
    s
}

fn typed(s: &mut State, text: &str) -> Vec<Command> {
    let mut cmds = Vec::new();
    for c in text.chars() {
        cmds.extend(update(s, Msg::Key(Key::parse(&c.to_string()).unwrap())));
    }
    cmds
}

fn key(s: &mut State, k: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(k).unwrap()))
}

fn loads(cmds: &[Command]) -> Vec<&ItemQuery> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::LoadHeadlines { query, .. } => Some(query),
            _ => None,
        })
        .collect()
}

#[test]
fn the_queries_have_their_section_after_the_virtual_feeds_and_open_as_views() {
    let mut s = reader();
    let cmds = crate::app::start(&mut s);
    assert!(
        cmds.contains(&Command::LoadQueries(vec![(
            "Fresh".into(),
            "unread and age < 2d".into()
        )])),
        "{cmds:?}"
    );
    let rows = vec![
        QueryRow {
            counts: Some((5, 2)),
            ..config_query("Fresh", "unread and age < 2d")
        },
        QueryRow {
            name: "Mine".into(),
            filter: "tag:news".into(),
            origin: Origin::Cache,
            counts: Some((3, 3)),
        },
    ];
    update(&mut s, Msg::QueriesLoaded(rows));
    let kinds: Vec<String> = s
        .entries
        .iter()
        .map(|e| match e {
            FeedEntry::Query { index, .. } => format!("query {}", s.queries[*index].name),
            FeedEntry::Feed { index, .. } => format!("feed {}", s.feeds[*index].title),
            FeedEntry::Tag { name, .. } => format!("tag {name}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "All",
            "Unread",
            "Starred",
            "query Fresh",
            "query Mine",
            "tag news",
            "feed Harbour Gazette",
            "feed North Post"
        ]
    );
    // A reload of the feeds keeps the section.
    update(
        &mut s,
        Msg::FeedsLoaded(
            vec![feed(1, "Harbour Gazette", &[], 3, None)],
            Totals::default(),
        ),
    );
    assert!(matches!(s.entries[4], FeedEntry::Query { index: 1, .. }));

    s.focus = Focus::Feeds;
    s.feed_selected = 4;
    let cmds = update(&mut s, Msg::Action(Action::Open));
    let want = View::Filter {
        base: Box::new(View::All),
        filter: "tag:news".into(),
    };
    assert_eq!(loads(&cmds)[0].view, want);
    assert_eq!(s.name_of(&want), "Mine");
}

#[test]
fn the_filter_prompt_narrows_the_current_view_and_a_bad_filter_keeps_it_open() {
    let mut s = reader();
    update(&mut s, Msg::Action(Action::Down));
    s.list.query.view = View::Feed(1);
    let cmds = key(&mut s, "F");
    assert!(cmds.is_empty());
    assert_eq!(
        s.overlay,
        Some(Overlay::Filter {
            input: String::new()
        })
    );
    typed(&mut s, "unread and titel:x");
    let cmds = key(&mut s, "Enter");
    assert!(cmds.is_empty());
    assert!(
        matches!(s.overlay, Some(Overlay::Filter { .. })),
        "kept open"
    );
    let notice = s.notice.clone().expect("an error notice");
    assert!(notice.error);
    assert!(
        notice.text.contains("titel") && notice.text.contains("column 12"),
        "{}",
        notice.text
    );

    for _ in 0.."titel:x".len() {
        key(&mut s, "Backspace");
    }
    typed(&mut s, "title:river");
    let cmds = key(&mut s, "Enter");
    assert_eq!(s.overlay, None);
    let narrowed = View::Filter {
        base: Box::new(View::Feed(1)),
        filter: "unread and title:river".into(),
    };
    assert_eq!(loads(&cmds)[0].view, narrowed);
    assert_eq!(
        s.name_of(&narrowed),
        "Harbour Gazette where unread and title:river"
    );

    // Again: the filters combine, over the same view.
    key(&mut s, "F");
    typed(&mut s, "starred");
    let cmds = key(&mut s, "Enter");
    assert_eq!(
        loads(&cmds)[0].view,
        View::Filter {
            base: Box::new(View::Feed(1)),
            filter: "(unread and title:river) and (starred)".into(),
        }
    );
    // Back returns to the view before the first filter.
    s.focus = Focus::Headlines;
    let cmds = update(&mut s, Msg::Action(Action::Back));
    assert_eq!(loads(&cmds)[0].view, View::Feed(1));
}

#[test]
fn a_narrowed_view_is_saved_as_a_query_and_the_configs_names_are_read_only() {
    let mut s = reader();
    let cmds = key(&mut s, "W");
    assert!(cmds.is_empty());
    assert!(s.overlay.is_none());
    assert!(
        s.notice.as_ref().unwrap().text.contains("F"),
        "narrow first"
    );

    s.list.query.view = View::Filter {
        base: Box::new(View::Feed(1)),
        filter: "title:river".into(),
    };
    key(&mut s, "W");
    typed(&mut s, "Fresh");
    let cmds = key(&mut s, "Enter");
    assert!(cmds.is_empty());
    assert!(s.notice.as_ref().unwrap().error);
    assert!(s.notice.as_ref().unwrap().text.contains("config"));
    for _ in 0..5 {
        key(&mut s, "Backspace");
    }
    typed(&mut s, "River news");
    let cmds = key(&mut s, "Enter");
    assert_eq!(
        cmds,
        [
            Command::SaveQuery {
                name: "River news".into(),
                filter: "feed=\"Harbour Gazette\" and (title:river)".into()
            },
            Command::LoadQueries(vec![("Fresh".into(), "unread and age < 2d".into())]),
        ]
    );
    // The saved filter parses and selects over every item what the view showed.
    assert!(crate::filter::parse("feed=\"Harbour Gazette\" and (title:river)").is_ok());
}

#[test]
fn the_worker_counts_queries_and_saves_them_in_a_real_cache() {
    use crate::session::worker::execute;
    use crate::store::{FeedUpdate, Store};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let id = store
        .add_feed(
            "https://example.test/f.xml",
            Some("Harbour Gazette"),
            &["news".into()],
        )
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let items = ["River market", "Old river", "Boats"]
        .iter()
        .enumerate()
        .map(|(i, t)| crate::model::ParsedItem {
            key: format!("k{i}"),
            guid: None,
            link: Some(format!("https://example.test/{i}")),
            title: t.to_string(),
            author: None,
            published: Some(now - if i == 1 { 10 * 86_400 } else { 3_600 }),
            content: "<p>x</p>".into(),
            content_kind: crate::model::BodyKind::Html,
            base: None,
            enclosures: Vec::new(),
        })
        .collect();
    store
        .store_feed_update(
            id,
            &FeedUpdate {
                fetched_at: now,
                items,
                ..FeedUpdate::default()
            },
        )
        .unwrap();
    let old = store
        .headlines(&ItemQuery::new(View::All), 0, 10)
        .unwrap()
        .into_iter()
        .find(|h| h.title == "Old river")
        .unwrap();
    store.set_read(old.id, true).unwrap();

    let save = Command::SaveQuery {
        name: "Rivers".into(),
        filter: "title:river".into(),
    };
    assert_eq!(execute(&store, save).unwrap(), None);
    let load = Command::LoadQueries(vec![("Fresh".into(), "age < 2d".into())]);
    let Some(Msg::QueriesLoaded(rows)) = execute(&store, load).unwrap() else {
        panic!("queries expected")
    };
    type Counted<'a> = (&'a str, Origin, Option<(u64, u64)>);
    let got: Vec<Counted> = rows
        .iter()
        .map(|r| (r.name.as_str(), r.origin, r.counts))
        .collect();
    assert_eq!(
        got,
        [
            ("Fresh", Origin::Config, Some((2, 2))),
            ("Rivers", Origin::Cache, Some((2, 1))),
        ]
    );
    // A query's view pages and counts through the store like any other.
    let q = ItemQuery::new(crate::app::queries::view_of("title:river"));
    let Some(Msg::HeadlinesLoaded { rows, total, .. }) = execute(
        &store,
        Command::LoadHeadlines {
            query: q,
            offset: 1,
            limit: 10,
        },
    )
    .unwrap() else {
        panic!("headlines expected")
    };
    assert_eq!(total, 2);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].title, "Old river");
}
