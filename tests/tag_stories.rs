//! A story syndicated to two feeds of one tag: the tag folder counts it once and its view lists it
//! once, as All does. The reader runs on a real cache file and draws into a test backend.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tidings::app::feeds::FeedEntry;
use tidings::app::{Command, Focus, Msg, State, start, update};
use tidings::config::ReaderSettings;
use tidings::config::keymap::{Action, Keymap};
use tidings::config::theme::Theme;
use tidings::content::dedup::StoryInfo;
use tidings::model::{BodyKind, ItemQuery, ParsedItem, View};
use tidings::session::worker::execute;
use tidings::store::{FeedUpdate, Store};

const NOW: i64 = 1_796_040_000;

fn item(feed: &str, i: i64, link: &str) -> ParsedItem {
    ParsedItem {
        key: format!("{feed}-{i}"),
        guid: Some(format!("{feed}-{i}")),
        link: Some(link.to_string()),
        title: format!("{feed} story {i}"),
        author: None,
        published: Some(NOW - i * 600),
        content: format!("<p>The {feed} tells story {i} in its own words.</p>"),
        content_kind: BodyKind::Html,
        base: None,
        enclosures: Vec::new(),
    }
}

/// Stores `items` in `feed` with their story digests, as a fetch does.
fn store(s: &mut Store, feed: i64, items: Vec<ParsedItem>) {
    let stories = items
        .iter()
        .map(|i| StoryInfo::new(i.link.as_deref(), i.guid.as_deref(), &i.title, &i.content))
        .collect();
    let up = FeedUpdate {
        fetched_at: NOW,
        items,
        stories,
        ..FeedUpdate::default()
    };
    s.store_feed_update(feed, &up).unwrap();
}

/// Runs store commands and feeds their results back into the reader until nothing is left.
fn pump(s: &Store, state: &mut State, cmds: Vec<Command>) {
    let mut cmds: std::collections::VecDeque<Command> = cmds.into();
    while let Some(cmd) = cmds.pop_front() {
        if matches!(cmd, Command::Refresh(..) | Command::Quit) {
            continue;
        }
        if let Some(msg) = execute(s, cmd).expect("store command") {
            cmds.extend(update(state, msg));
        }
    }
}

fn screen(state: &State) -> Vec<String> {
    let mut term = Terminal::new(TestBackend::new(160, 40)).unwrap();
    term.draw(|f| tidings::ui::render(state, f)).unwrap();
    let buf = term.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

#[test]
fn a_tag_folder_counts_and_lists_a_syndicated_story_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("cache.db")).unwrap();
    let news = ["news".to_string()];
    let harbour = s
        .add_feed("https://harbour.test/feed", Some("Harbour"), &news)
        .unwrap();
    let courier = s
        .add_feed("https://courier.test/feed", Some("Courier"), &news)
        .unwrap();
    // Six stories in the Harbour, five in the Courier; the Courier's first is the Harbour's
    // first, under the same link.
    let shared = "https://wire.test/ferry";
    store(
        &mut s,
        harbour,
        (0..6)
            .map(|i| {
                let link = if i == 0 {
                    shared.to_string()
                } else {
                    format!("https://harbour.test/{i}")
                };
                item("Harbour", i, &link)
            })
            .collect(),
    );
    store(
        &mut s,
        courier,
        (0..5)
            .map(|i| {
                let link = if i == 0 {
                    shared.to_string()
                } else {
                    format!("https://courier.test/{i}")
                };
                item("Courier", i, &link)
            })
            .collect(),
    );

    let mut state = State::new(
        ReaderSettings::default(),
        Keymap::default_keys(),
        Theme::default(),
        NOW,
    );
    let cmds = start(&mut state);
    pump(&s, &mut state, cmds);
    let cmds = update(&mut state, Msg::Resize(160, 40));
    pump(&s, &mut state, cmds);
    assert_eq!(state.totals.unread, 10, "All counts the story once");
    let tag = state
        .entries
        .iter()
        .position(|e| matches!(e, FeedEntry::Tag { name, .. } if name == "news"))
        .expect("the tag's folder");
    assert!(
        matches!(&state.entries[tag], FeedEntry::Tag { unread: 10, .. }),
        "{:?}",
        state.entries[tag]
    );
    let rows = screen(&state);
    let folder = rows
        .iter()
        .find(|r| r.contains("- news"))
        .expect("the folder's row");
    // The feed pane is the first box of the row.
    let cell = folder.split('│').nth(1).expect("the feed pane");
    assert_eq!(
        cell.split_whitespace().collect::<Vec<_>>(),
        vec!["-", "news", "10"],
        "{folder}"
    );

    // Open the folder: the story is listed once, and the status line counts ten.
    state.focus = Focus::Feeds;
    for _ in 0..tag {
        let cmds = update(&mut state, Msg::Action(Action::Down));
        pump(&s, &mut state, cmds);
    }
    assert_eq!(state.feed_selected, tag);
    let cmds = update(&mut state, Msg::Action(Action::Open));
    pump(&s, &mut state, cmds);
    assert_eq!(state.list.query, ItemQuery::new(View::Tag("news".into())));
    assert_eq!(state.list.total, 10);
    let titles: Vec<&str> = state.list.rows.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles.len(), 10, "{titles:?}");
    assert!(titles.contains(&"Harbour story 0"), "{titles:?}");
    assert!(!titles.contains(&"Courier story 0"), "{titles:?}");
    let shown = screen(&state).join("\n");
    assert_eq!(shown.matches("story 0").count(), 1, "{shown}");
}
