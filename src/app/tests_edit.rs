//! Renaming a feed and editing its tags from the feed list: the prompts through the pure update
//! function, then the cache worker saving the change in a real cache file.

use crate::app::edit::{FeedChange, FeedEdit, FeedField};
use crate::app::feeds::FeedEntry;
use crate::app::msg::{Command, Msg, Totals};
use crate::app::state::{Focus, Overlay, State};
use crate::app::tests::{NOW, feed};
use crate::app::update::update;
use crate::config::ReaderSettings;
use crate::config::keymap::{Action, Key, KeyCode, Keymap};
use crate::config::theme::Theme;
use crate::model::View;

/// A reader with two feeds, the feed list focused on "North Post" (id 2).
fn reader() -> State {
    let mut s = State::new(
        ReaderSettings::default(),
        Keymap::default_keys(),
        Theme::default(),
        NOW,
    );
    s.width = 120;
    s.height = 30;
    update(
        &mut s,
        Msg::FeedsLoaded(
            vec![
                feed(1, "Harbour Gazette", &["news"], 3, None),
                feed(2, "North Post", &["local", "long read"], 1, None),
            ],
            Totals::default(),
        ),
    );
    s.focus = Focus::Feeds;
    s.feed_selected = s
        .entries
        .iter()
        .position(|e| e.view(&s.feeds) == Some(View::Feed(2)))
        .expect("the feed is listed");
    s
}

fn key(s: &mut State, k: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(k).unwrap()))
}

fn typed(s: &mut State, text: &str) -> Vec<Command> {
    let mut cmds = Vec::new();
    for c in text.chars() {
        cmds.extend(update(s, Msg::Key(Key::plain(KeyCode::Char(c)))));
    }
    cmds
}

fn clear(s: &mut State) {
    key(s, "ctrl-u");
}

fn input(s: &State) -> Option<(FeedField, String)> {
    match &s.overlay {
        Some(Overlay::EditFeed { field, input, .. }) => Some((*field, input.clone())),
        _ => None,
    }
}

#[test]
fn c_opens_a_prompt_prefilled_with_the_title_and_enter_sends_the_new_one() {
    let mut s = reader();
    assert!(key(&mut s, "c").is_empty());
    assert_eq!(input(&s), Some((FeedField::Title, "North Post".into())));
    clear(&mut s);
    assert!(typed(&mut s, "The North").is_empty());
    let cmds = key(&mut s, "Enter");
    assert_eq!(
        cmds,
        [Command::EditFeed(FeedEdit {
            feed: 2,
            change: FeedChange::Title(Some("The North".into())),
        })]
    );
    assert_eq!(s.overlay, None);

    // The worker's answer reloads the feeds and the queries, and says what happened.
    let edit = FeedEdit {
        feed: 2,
        change: FeedChange::Title(Some("The North".into())),
    };
    let cmds = update(&mut s, Msg::FeedEdited(edit));
    assert!(cmds.contains(&Command::LoadFeeds), "{cmds:?}");
    assert!(
        cmds.iter().any(|c| matches!(c, Command::LoadQueries(_))),
        "{cmds:?}"
    );
    let notice = s.notice.clone().unwrap();
    assert!(
        !notice.error && notice.text.contains("The North"),
        "{notice:?}"
    );
}

#[test]
fn an_empty_title_gives_the_feed_its_own_title_back_and_an_unchanged_one_saves_nothing() {
    let mut s = reader();
    key(&mut s, "c");
    clear(&mut s);
    assert_eq!(
        key(&mut s, "Enter"),
        [Command::EditFeed(FeedEdit {
            feed: 2,
            change: FeedChange::Title(None),
        })]
    );
    key(&mut s, "c");
    assert!(
        key(&mut s, "Enter").is_empty(),
        "unchanged: nothing to save"
    );
    assert_eq!(s.overlay, None);
}

#[test]
fn esc_cancels_and_sends_nothing() {
    let mut s = reader();
    key(&mut s, "t");
    typed(&mut s, " more");
    assert!(key(&mut s, "Esc").is_empty());
    assert_eq!(s.overlay, None);
    assert_eq!(s.feeds[1].tags, ["local", "long read"]);
}

#[test]
fn t_edits_tags_comma_or_space_separated() {
    let mut s = reader();
    key(&mut s, "t");
    assert_eq!(
        input(&s),
        Some((FeedField::Tags, "local, long read".into()))
    );
    clear(&mut s);
    typed(&mut s, "tech news tech");
    assert_eq!(
        key(&mut s, "Enter"),
        [Command::EditFeed(FeedEdit {
            feed: 2,
            change: FeedChange::Tags(vec!["news".into(), "tech".into()]),
        })]
    );
    key(&mut s, "t");
    typed(&mut s, ", weekly digest");
    assert_eq!(
        key(&mut s, "Enter"),
        [Command::EditFeed(FeedEdit {
            feed: 2,
            change: FeedChange::Tags(vec![
                "local".into(),
                "long read".into(),
                "weekly digest".into()
            ]),
        })]
    );
}

#[test]
fn a_bad_tag_keeps_the_prompt_open_and_says_why() {
    let mut s = reader();
    key(&mut s, "t");
    clear(&mut s);
    typed(&mut s, &"x".repeat(70));
    assert!(key(&mut s, "Enter").is_empty());
    assert!(input(&s).is_some(), "the prompt stays open");
    let notice = s.notice.clone().unwrap();
    assert!(notice.error && notice.text.contains("64"), "{notice:?}");
}

#[test]
fn the_keys_edit_only_a_feed_of_the_feed_list() {
    let mut s = reader();
    s.feed_selected = s
        .entries
        .iter()
        .position(|e| matches!(e, FeedEntry::All))
        .unwrap();
    assert!(key(&mut s, "c").is_empty());
    assert_eq!(s.overlay, None);
    assert!(s.notice.clone().unwrap().text.contains("Highlight a feed"));
    s.focus = Focus::Headlines;
    assert!(key(&mut s, "t").is_empty());
    assert_eq!(s.overlay, None);
}

#[test]
fn a_read_only_cache_drops_the_edit() {
    let mut s = reader();
    s.read_only = Some("read-only".into());
    key(&mut s, "c");
    typed(&mut s, "x");
    assert!(key(&mut s, "Enter").is_empty());
    assert!(s.notice.clone().unwrap().error);
}

#[test]
fn the_help_lists_the_edit_keys_from_the_key_map() {
    let s = reader();
    let rows = s.keymap.help_rows();
    let row = |a: Action| rows.iter().find(|r| r.0 == a).cloned().unwrap();
    let (_, keys, desc) = row(Action::RenameFeed);
    assert_eq!(keys, [Key::parse("c").unwrap()]);
    assert!(desc.contains("Rename"), "{desc}");
    let (_, keys, desc) = row(Action::EditTags);
    assert_eq!(keys, [Key::parse("t").unwrap()]);
    assert!(desc.contains("tags"), "{desc}");
}

#[test]
fn the_worker_saves_the_title_and_tags_in_a_real_cache() {
    use crate::session::worker::execute;
    use crate::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cache.db")).unwrap();
    let id = store
        .add_feed("https://example.test/f.xml", None, &["old".into()])
        .unwrap();
    let own = store.feeds().unwrap()[0].title.clone();
    for change in [
        FeedChange::Title(Some("Mine".into())),
        FeedChange::Tags(vec!["a b".into(), "c".into()]),
    ] {
        let edit = FeedEdit { feed: id, change };
        assert_eq!(
            execute(&store, Command::EditFeed(edit.clone())).unwrap(),
            Some(Msg::FeedEdited(edit))
        );
    }
    let f = &store.feeds().unwrap()[0];
    assert_eq!(
        (f.title.as_str(), f.tags.clone()),
        ("Mine", vec!["a b".into(), "c".into()])
    );
    let edit = FeedEdit {
        feed: id,
        change: FeedChange::Title(None),
    };
    execute(&store, Command::EditFeed(edit)).unwrap();
    assert_eq!(store.feeds().unwrap()[0].title, own);
}

/// A reader whose config has a `[[feed]]` table for "North Post" (`feed2.xml`) that sets a title
/// and adds a tag.
fn reader_with_table() -> State {
    let config = crate::config::Config::from_user_text(
        "[reader]\n\n[[feed]]\nurl = \"https://example.org/feed2.xml\"\ntitle = \"The Post\"\ntags = [\"morning\"]\n",
        std::path::Path::new("c.toml"),
    )
    .expect("the config reads");
    let mut s = State::new(
        ReaderSettings::default(),
        Keymap::default_keys(),
        Theme::default(),
        NOW,
    );
    s.feed_rules = config.feeds;
    s.width = 120;
    s.height = 30;
    update(
        &mut s,
        Msg::FeedsLoaded(
            vec![
                feed(1, "Harbour Gazette", &["news"], 3, None),
                feed(2, "North Post", &["local"], 1, None),
            ],
            Totals::default(),
        ),
    );
    s.focus = Focus::Feeds;
    s.feed_selected = s
        .entries
        .iter()
        .position(|e| e.view(&s.feeds) == Some(View::Feed(2)))
        .expect("the feed is listed");
    s
}

#[test]
fn a_feed_table_title_and_tags_show_and_a_rename_it_overrides_says_where_to_edit() {
    let mut s = reader_with_table();
    let shown = s.feeds.iter().find(|f| f.id == 2).expect("feed 2");
    assert_eq!(shown.title, "The Post");
    assert_eq!(shown.tags, ["local", "morning"]);
    // Headlines, which the cache names by its own title, show the table's.
    let mut rows = crate::app::tests::window(0, 3);
    rows[0].feed_id = 2;
    rows[0].feed_title = "North Post".into();
    rows[1].also_in = vec!["North Post".into()];
    let query = s.list.query.clone();
    update(
        &mut s,
        Msg::HeadlinesLoaded {
            query,
            offset: 0,
            rows,
            total: 3,
        },
    );
    let shown = s.list.rows.iter().map(|h| h.feed_title.clone());
    assert!(shown.clone().any(|t| t == "The Post"), "{:?}", s.list.rows);
    assert!(
        shown.clone().all(|t| t != "North Post"),
        "{:?}",
        s.list.rows
    );
    assert_eq!(s.list.rows[1].also_in, ["The Post"]);
    // The prompt starts from what the cache keeps, not from the table's title.
    key(&mut s, "c");
    assert_eq!(input(&s), Some((FeedField::Title, "North Post".into())));
    key(&mut s, "Escape");
    let cmds = update(
        &mut s,
        Msg::FeedEdited(FeedEdit {
            feed: 2,
            change: FeedChange::Title(Some("The North".into())),
        }),
    );
    assert!(cmds.contains(&Command::LoadFeeds), "{cmds:?}");
    let notice = s.notice.clone().expect("a notice");
    assert!(
        notice.error && notice.text.contains("line 3") && notice.text.contains("[[feed]]"),
        "the status names the table's line: {notice:?}"
    );
    // A tag edit is not overridden: a table's tags add to the feed's own.
    let cmds = update(
        &mut s,
        Msg::FeedEdited(FeedEdit {
            feed: 2,
            change: FeedChange::Tags(vec!["x".into()]),
        }),
    );
    assert!(cmds.contains(&Command::LoadFeeds), "{cmds:?}");
    assert!(!s.notice.clone().expect("a notice").error);
}
