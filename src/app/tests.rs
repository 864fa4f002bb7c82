//! Tests of the pure update function: no terminal, no I/O.

use crate::app::list::WINDOW;
use crate::app::msg::{Command, MouseKind, Msg, RefreshCause, Totals};
use crate::app::state::{Focus, Overlay, State};
use crate::app::text::{Document, parse};
use crate::app::update::update;
use crate::config::ReaderSettings;
use crate::config::keymap::{Action, Key, Keymap};
use crate::config::theme::Theme;
use crate::model::{BodyKind, Enclosure, FeedRow, Headline, ItemId, ItemQuery, ItemRow, View};

/// 2026-11-30 12:00 UTC.
pub const NOW: i64 = 1_796_040_000;

/// A headline at index `i` of a newest-first view; ids fall as the index grows.
pub fn headline(i: u64) -> Headline {
    Headline {
        also_in: Vec::new(),
        id: 1_000_000 - i as i64,
        feed_id: (i % 3) as i64 + 1,
        feed_title: format!("Feed {}", i % 3 + 1),
        title: format!("Headline number {i}"),
        link: Some(format!("https://example.org/{i}")),
        sort_time: NOW - i as i64 * 3_600,
        read: i.is_multiple_of(4),
        starred: i.is_multiple_of(7),
    }
}

/// A window of `n` headlines starting at index `offset`.
pub fn window(offset: u64, n: usize) -> Vec<Headline> {
    (offset..offset + n as u64).map(headline).collect()
}

/// A feed row.
pub fn feed(id: i64, title: &str, tags: &[&str], unread: u64, error: Option<&str>) -> FeedRow {
    FeedRow {
        id,
        url: format!("https://example.org/feed{id}.xml"),
        title: title.to_string(),
        site_link: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        items: unread * 2,
        unread,
        last_success: Some(NOW - 600),
        last_checked: Some(NOW - 600),
        last_error: error.map(String::from),
        etag: None,
        last_modified: None,
        retry_not_before: None,
    }
}

/// An item row for the article pane.
pub fn item(id: i64) -> ItemRow {
    ItemRow { also_in: Vec::new(), full_text: None,
        id,
        feed_id: 1,
        feed_title: "Feed 1".into(),
        key: format!("k{id}"),
        guid: None,
        link: Some("https://example.org/article".into()),
        title: "An article about terminals".into(),
        author: Some("A. Writer".into()),
        published: Some(NOW - 7_200),
        first_seen: NOW - 7_000,
        sort_time: NOW - 7_200,
        content: "<p>First paragraph with a <a href=\"https://example.org/one\">link</a>.</p><p>Second paragraph, longer, so that it has to wrap across more than one line of the pane when it is drawn narrow.</p>".into(),
        content_kind: BodyKind::Html,
        base: None,
        enclosures: vec![Enclosure {
            url: "https://example.org/ep.mp3".into(),
            mime: Some("audio/mpeg".into()),
            length: Some(12_345_678),
        }],
        read: false,
        starred: false,
    }
}

/// A state of the given size, with the shipped settings, and with feeds and a first window of a
/// `total`-item view loaded.
pub fn loaded_state(width: u16, height: u16, total: u64) -> State {
    let mut s = crate::app::tests_shipped::shipped_state(width, height);
    let feeds = vec![
        feed(1, "Feed 1", &["tech"], 12, None),
        feed(
            2,
            "Feed 2",
            &["tech", "news"],
            3,
            Some("HTTP 500 from server"),
        ),
        feed(3, "Feed 3", &[], 0, None),
    ];
    update(
        &mut s,
        Msg::FeedsLoaded(
            feeds,
            Totals {
                all: total,
                unread: 15,
                starred: 4,
                ..Totals::default()
            },
        ),
    );
    s.list.pending = Some(0);
    let n = (total as usize).min(WINDOW);
    update(
        &mut s,
        Msg::HeadlinesLoaded {
            query: ItemQuery::new(View::All),
            offset: 0,
            rows: window(0, n),
            total,
        },
    );
    s
}

fn key(s: &mut State, name: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(name).expect("key name")))
}

fn open_article(s: &mut State) -> Vec<Command> {
    let cmds = key(s, "Enter");
    let id = s.list.selected_row().unwrap().id;
    let doc: Document = parse(&item(id).content, BodyKind::Html, None);
    update(s, Msg::ArticleLoaded(Box::new(item(id)), doc, Vec::new()));
    cmds
}

#[test]
fn start_loads_the_cache_first_then_refreshes() {
    let mut s = State::new(
        ReaderSettings::default(),
        Keymap::default_keys(),
        Theme::default(),
        NOW,
    );
    let cmds = crate::app::start(&mut s);
    assert_eq!(cmds[0], Command::LoadViewSettings);
    assert_eq!(cmds[1], Command::LoadFeeds);
    assert!(matches!(cmds[2], Command::LoadHeadlines { offset: 0, .. }));
    assert_eq!(cmds[3], Command::Refresh(None, RefreshCause::Automatic));
}

#[test]
fn j_and_down_move_and_the_ends_clamp() {
    let mut s = loaded_state(160, 40, 1000);
    key(&mut s, "j");
    key(&mut s, "Down");
    assert_eq!(s.list.selected, 2);
    key(&mut s, "k");
    assert_eq!(s.list.selected, 1);
    key(&mut s, "g");
    key(&mut s, "Up");
    assert_eq!(s.list.selected, 0);
    let cmds = key(&mut s, "G");
    assert_eq!(s.list.selected, 999);
    assert!(
        s.list.scroll + 38 > 999 && s.list.scroll <= 999,
        "{}",
        s.list.scroll
    );
    assert!(
        matches!(
            &cmds[..],
            [Command::LoadHeadlines {
                offset: 899,
                limit: WINDOW,
                ..
            }]
        ),
        "{cmds:?}"
    );
}

#[test]
fn the_next_window_is_asked_for_once_near_the_edge() {
    let mut s = loaded_state(160, 40, 100_000);
    let mut asked = Vec::new();
    for _ in 0..160 {
        asked.extend(key(&mut s, "j"));
    }
    assert_eq!(asked.len(), 1, "{asked:?}");
    let Command::LoadHeadlines { offset, query, .. } = asked[0].clone() else {
        panic!("{asked:?}")
    };
    assert_eq!(offset, 150 - WINDOW as u64 / 2);
    update(
        &mut s,
        Msg::HeadlinesLoaded {
            query,
            offset,
            rows: window(offset, WINDOW),
            total: 100_000,
        },
    );
    assert_eq!(s.list.selected, 160);
    assert_eq!(s.list.selected_row().unwrap().id, headline(160).id);
    assert!(s.list.pending.is_none());
}

/// A refresh that brought five new items ends with the tenth row selected: returns the
/// reload it asks for (the query, and the item the window is placed around).
fn refresh_done_on_row_ten(s: &mut State) -> (ItemQuery, ItemId) {
    for _ in 0..10 {
        key(s, "j");
    }
    let cmds = update(
        s,
        Msg::RefreshDone {
            at: NOW,
            new_items: 5,
            failed: vec![],
        },
    );
    let Some(Command::LoadHeadlinesAt { query, anchor, .. }) = cmds.get(1).cloned() else {
        panic!("{cmds:?}")
    };
    (query, anchor)
}

/// The answer to that reload: five new items arrived on top, so every old item moved down by
/// five, and the item placed around (the old tenth) is now the fifteenth.
fn placed_with_five_new_on_top(query: ItemQuery) -> Msg {
    let mut rows: Vec<Headline> = (0..5)
        .map(|i| Headline {
            id: 2_000_000 + i,
            ..headline(0)
        })
        .collect();
    rows.extend(window(0, WINDOW - 5));
    Msg::HeadlinesPlaced {
        query,
        selected: 15,
        offset: 0,
        rows,
        total: 1005,
    }
}

#[test]
fn a_reload_with_new_items_keeps_the_selected_item_and_its_screen_row() {
    let mut s = loaded_state(160, 40, 1000);
    let (query, anchor) = refresh_done_on_row_ten(&mut s);
    let screen_row = s.list.selected - s.list.scroll;
    // The reload is placed around the selected item, wherever it now is.
    assert_eq!(anchor, headline(10).id);
    update(&mut s, placed_with_five_new_on_top(query));
    assert_eq!(s.list.selected_row().unwrap().id, anchor);
    assert_eq!(s.list.selected, 15);
    assert_eq!(s.list.selected - s.list.scroll, screen_row);
}

#[test]
fn a_move_made_while_a_reload_is_on_its_way_is_kept() {
    let mut s = loaded_state(160, 40, 1000);
    let (query, anchor) = refresh_done_on_row_ten(&mut s);
    assert_eq!(anchor, headline(10).id);
    // The user goes on down two rows before the answer arrives.
    key(&mut s, "j");
    key(&mut s, "j");
    let moved_to = s.list.selected_row().unwrap().id;
    assert_eq!(moved_to, headline(12).id);
    let screen_row = s.list.selected - s.list.scroll;
    update(&mut s, placed_with_five_new_on_top(query));
    // The answer was placed around the item selected when it was asked for; the selection
    // stays where the user has since moved it, on the same screen row.
    assert_eq!(s.list.selected_row().unwrap().id, moved_to);
    assert_eq!(s.list.selected, 17);
    assert_eq!(s.list.selected - s.list.scroll, screen_row);
}

#[test]
fn stale_answers_for_another_view_are_ignored() {
    let mut s = loaded_state(160, 40, 1000);
    update(
        &mut s,
        Msg::HeadlinesLoaded {
            query: ItemQuery::new(View::Starred),
            offset: 0,
            rows: window(500, 3),
            total: 3,
        },
    );
    assert_eq!(s.list.total, 1000);
    assert_eq!(s.list.rows[0].id, headline(0).id);
}

#[test]
fn narrow_layout_enter_goes_in_and_q_comes_back_out() {
    let mut s = loaded_state(80, 24, 50);
    assert_eq!(s.focus, Focus::Headlines);
    key(&mut s, "j");
    let cmds = open_article(&mut s);
    let id = headline(1).id;
    let set = cmds.iter().position(|c| *c == Command::SetRead(id, true));
    let load = cmds.iter().position(|c| *c == Command::LoadArticle(id));
    assert!(set.unwrap() < load.unwrap(), "{cmds:?}");
    assert!(s.list.selected_row().unwrap().read);
    assert_eq!(s.focus, Focus::Article);
    assert!(s.article.is_some());
    let p = crate::app::screen::panes(&s);
    assert!(p.feeds.is_none() && p.headlines.is_none() && p.article.is_some());
    key(&mut s, "q");
    assert_eq!(s.focus, Focus::Headlines);
    key(&mut s, "Esc");
    assert_eq!(s.focus, Focus::Feeds);
    assert!(key(&mut s, "h").is_empty(), "h never quits");
    assert_eq!(key(&mut s, "q"), vec![Command::Quit]);
    assert!(s.quit);
}

#[test]
fn wide_layout_shows_three_panes_and_resizing_keeps_the_selection() {
    let mut s = loaded_state(160, 40, 1000);
    let p = crate::app::screen::panes(&s);
    assert!(p.feeds.is_some() && p.headlines.is_some() && p.article.is_some());
    for _ in 0..30 {
        key(&mut s, "j");
    }
    update(&mut s, Msg::Resize(80, 12));
    assert_eq!(s.list.selected, 30);
    assert!(
        s.list.scroll <= 30 && 30 < s.list.scroll + 10,
        "{}",
        s.list.scroll
    );
    update(&mut s, Msg::Resize(160, 40));
    assert_eq!(s.list.selected, 30);
}

#[test]
fn opening_a_feed_loads_its_view() {
    let mut s = loaded_state(160, 40, 1000);
    key(&mut s, "q");
    assert_eq!(s.focus, Focus::Feeds);
    // All, Unread, Starred, tag news, Feed 2, tag tech, Feed 1, Feed 2, Feed 3
    for _ in 0..4 {
        key(&mut s, "j");
    }
    let cmds = key(&mut s, "Enter");
    assert_eq!(s.focus, Focus::Headlines);
    assert!(
        matches!(&cmds[..], [Command::LoadHeadlines { query, offset: 0, .. }] if query.view == View::Feed(2)),
        "{cmds:?}"
    );
    assert_eq!(s.list.total, 0);
}

#[test]
fn mark_all_read_then_undo() {
    let mut s = loaded_state(160, 40, 100);
    assert!(key(&mut s, "A").is_empty(), "All asks first");
    let cmds = key(&mut s, "y");
    assert_eq!(cmds, vec![Command::MarkAllRead(ItemQuery::new(View::All))]);
    assert!(s.list.rows.iter().all(|h| h.read));
    let changed: Vec<i64> = (0..100)
        .filter(|i| i % 4 != 0)
        .map(|i| headline(i).id)
        .collect();
    update(&mut s, Msg::MarkedAllRead(changed.clone()));
    let cmds = key(&mut s, "U");
    assert_eq!(cmds[0], Command::UndoMarkAll(changed));
    assert!(!s.list.row(1).unwrap().read);
    assert!(s.list.row(4).unwrap().read);
    assert_eq!(
        key(&mut s, "U"),
        vec![Command::UndoRules],
        "a second undo has no mark-all left: it asks the cache to undo the rules instead"
    );
}

#[test]
fn search_prompt_makes_a_view_and_esc_leaves_it() {
    let mut s = loaded_state(160, 40, 100);
    key(&mut s, "/");
    assert!(matches!(s.overlay, Some(Overlay::Search { .. })));
    for c in ["r", "u", "s", "t", "x", "Backspace"] {
        key(&mut s, c);
    }
    let cmds = key(&mut s, "Enter");
    assert!(s.overlay.is_none());
    assert!(
        matches!(&cmds[..], [Command::LoadHeadlines { query, .. }] if query.view == View::Search("rust".into())),
        "{cmds:?}"
    );
    let cmds = key(&mut s, "Esc");
    assert_eq!(s.focus, Focus::Headlines);
    assert!(
        matches!(&cmds[..], [Command::LoadHeadlines { query, .. }] if query.view == View::All),
        "{cmds:?}"
    );
}

#[test]
fn links_open_only_when_http() {
    let mut s = loaded_state(160, 40, 10);
    open_article(&mut s);
    assert_eq!(
        key(&mut s, "o"),
        vec![Command::OpenUrl("https://example.org/article".into())]
    );
    key(&mut s, "L");
    key(&mut s, "1");
    assert_eq!(
        key(&mut s, "Enter"),
        vec![Command::OpenUrl("https://example.org/one".into())]
    );
    s.article.as_mut().unwrap().item.link = Some("javascript:alert(1)".into());
    assert!(key(&mut s, "o").is_empty());
    assert!(s.notice.as_ref().unwrap().error);
}

#[test]
fn star_toggle_and_read_toggle() {
    let mut s = loaded_state(160, 40, 10);
    key(&mut s, "j");
    let id = headline(1).id;
    assert_eq!(key(&mut s, "s")[0], Command::SetStarred(id, true));
    assert_eq!(key(&mut s, "m")[0], Command::SetRead(id, true));
    assert_eq!(key(&mut s, "m")[0], Command::SetRead(id, false));
}

#[test]
fn next_unread_skips_read_items() {
    let mut s = loaded_state(160, 40, 10);
    // Item 4 is read, items 1..3 and 5.. unread.
    for _ in 0..3 {
        key(&mut s, "j");
    }
    let cmds = key(&mut s, "n");
    assert!(
        cmds.contains(&Command::LoadArticle(headline(5).id)),
        "{cmds:?}"
    );
    assert_eq!(s.list.selected, 5);
}

#[test]
fn mouse_click_selects_and_can_be_turned_off() {
    let mut s = loaded_state(160, 40, 100);
    let area = crate::app::screen::panes(&s).headlines.unwrap();
    let click = Msg::Mouse {
        kind: MouseKind::Click,
        column: area.x + 5,
        row: area.y + 1 + 7,
    };
    update(&mut s, click.clone());
    assert_eq!(s.list.selected, 7);
    update(
        &mut s,
        Msg::Mouse {
            kind: MouseKind::WheelDown,
            column: area.x + 5,
            row: area.y + 3,
        },
    );
    assert_eq!(s.list.selected, 10);
    s.settings.mouse = false;
    key(&mut s, "g");
    update(&mut s, click);
    assert_eq!(s.list.selected, 0);
}

#[test]
fn a_refresh_key_is_asked_for_and_a_timer_refresh_is_automatic() {
    let mut s = loaded_state(160, 40, 10);
    assert_eq!(
        key(&mut s, "R"),
        vec![Command::Refresh(None, RefreshCause::Asked)]
    );
    let mut s = loaded_state(160, 40, 10);
    s.settings.refresh_interval_minutes = 10;
    assert!(matches!(
        update(&mut s, Msg::Tick(NOW))[..],
        [Command::Refresh(None, RefreshCause::Automatic)]
    ));
}

#[test]
fn periodic_refresh_on_tick_and_progress_in_state() {
    let mut s = loaded_state(160, 40, 10);
    s.settings.refresh_interval_minutes = 10;
    assert_eq!(
        update(&mut s, Msg::Tick(NOW)),
        vec![Command::Refresh(None, RefreshCause::Automatic)]
    );
    assert!(
        update(&mut s, Msg::Tick(NOW + 700)).is_empty(),
        "already running"
    );
    update(
        &mut s,
        Msg::RefreshProgress {
            done: 37,
            total: 120,
            failed: 2,
        },
    );
    assert_eq!((s.refresh.done, s.refresh.failed), (37, 2));
    update(
        &mut s,
        Msg::RefreshDone {
            at: NOW + 60,
            new_items: 0,
            failed: vec![("Feed 2".into(), "timed out".into())],
        },
    );
    assert!(!s.refresh.running);
    assert_eq!(s.errors.len(), 1);
    assert!(update(&mut s, Msg::Tick(NOW + 300)).is_empty());
    assert_eq!(
        update(&mut s, Msg::Tick(NOW + 601)),
        vec![Command::Refresh(None, RefreshCause::Automatic)]
    );
}

#[test]
fn help_overlay_opens_and_closes_and_raw_toggles() {
    let mut s = loaded_state(160, 40, 10);
    update(&mut s, Msg::Action(Action::Help));
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    key(&mut s, "j");
    assert!(matches!(s.overlay, Some(Overlay::Help { scroll: 1 })));
    assert_eq!(s.list.selected, 0, "keys go to the overlay");
    key(&mut s, "Esc");
    assert!(s.overlay.is_none());
    open_article(&mut s);
    key(&mut s, "u");
    assert!(s.article.as_ref().unwrap().raw);
}

#[test]
fn settings_read_from_a_reader_table_keep_defaults_for_the_rest() {
    let c = crate::config::Config::from_user_text(
        "[reader]\nmark_read_on_open = false\nmax_width = 100\n",
        std::path::Path::new("c.toml"),
    )
    .unwrap();
    assert!(!c.reader.mark_read_on_open);
    assert_eq!(c.reader.text_width(), Some(100));
    assert_eq!(
        c.reader.side_by_side_min_width,
        ReaderSettings::default().side_by_side_min_width
    );
    assert!(
        crate::config::Config::from_user_text(
            "[reader]\nmax_widht = 1\n",
            std::path::Path::new("c.toml")
        )
        .is_err()
    );
}

#[test]
fn mark_read_on_open_can_be_turned_off() {
    let mut s = loaded_state(160, 40, 10);
    s.settings.mark_read_on_open = false;
    key(&mut s, "j");
    let cmds = key(&mut s, "Enter");
    assert_eq!(cmds, vec![Command::LoadArticle(headline(1).id)]);
    assert!(!s.list.selected_row().unwrap().read);
}

#[test]
fn next_unread_walks_past_the_loaded_window() {
    let mut s = loaded_state(160, 40, 1000);
    let all_read = |offset: u64, n: usize| -> Vec<Headline> {
        window(offset, n)
            .into_iter()
            .map(|h| Headline {
                read: h.id != headline(250).id,
                ..h
            })
            .collect()
    };
    let query = s.list.query.clone();
    update(
        &mut s,
        Msg::HeadlinesLoaded {
            query: query.clone(),
            offset: 0,
            rows: all_read(0, WINDOW),
            total: 1000,
        },
    );
    let cmds = key(&mut s, "n");
    let [Command::LoadHeadlines { offset, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(s.list.selected, WINDOW as u64 - 1);
    let cmds = update(
        &mut s,
        Msg::HeadlinesLoaded {
            query,
            offset,
            rows: all_read(offset, WINDOW),
            total: 1000,
        },
    );
    assert!(
        cmds.contains(&Command::LoadArticle(headline(250).id)),
        "{cmds:?}"
    );
    assert_eq!(s.list.selected, 250);
    assert_eq!(s.seek_unread, None);
}

#[test]
fn a_read_only_cache_gets_no_write_and_no_refresh_and_says_so() {
    let mut s = State::new(
        ReaderSettings::default(),
        Keymap::default_keys(),
        Theme::default(),
        NOW,
    );
    s.read_only = Some("read-only cache".into());
    let cmds = crate::app::start(&mut s);
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::Refresh(..))),
        "{cmds:?}"
    );
    assert!(!s.refresh.running);

    let mut s = loaded_state(160, 40, 10);
    s.read_only = Some("read-only cache".into());
    key(&mut s, "j");
    for k in ["s", "m", "A", "r", "R"] {
        let cmds = key(&mut s, k);
        assert!(
            !cmds.iter().any(|c| matches!(
                c,
                Command::SetRead(..)
                    | Command::SetStarred(..)
                    | Command::MarkAllRead(_)
                    | Command::UndoMarkAll(_)
                    | Command::Refresh(..)
            )),
            "{k}: {cmds:?}"
        );
    }
    assert!(!s.refresh.running);
    assert!(s.notice.as_ref().unwrap().text.contains("read-only cache"));
    let cmds = open_article(&mut s);
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::SetRead(..))),
        "{cmds:?}"
    );

    // Damage found while reading turns a writable reader read-only.
    let mut s = loaded_state(160, 40, 10);
    update(
        &mut s,
        Msg::CacheDamaged("the cache /h/cache.db is damaged".into()),
    );
    assert!(s.read_only.as_ref().unwrap().contains("tidings repair"));
    key(&mut s, "j");
    let cmds = key(&mut s, "s");
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::SetStarred(..))),
        "{cmds:?}"
    );
}

#[test]
fn the_reader_starts_with_the_shipped_reader_settings() {
    // One type from the config file to the reader: its defaults are `config/default.toml`'s.
    let shipped = crate::config::Config::defaults().reader;
    let s = loaded_state(160, 40, 10);
    assert_eq!(s.settings, shipped);
    assert!(s.settings.center, "the shipped default centres the article");
    assert_eq!(s.settings.text_width(), Some(80));
    assert_eq!(s.settings.refresh_every(), Some(30 * 60));
}

#[test]
fn back_keys_never_quit_from_the_feed_list_q_does_and_capital_q_quits_anywhere() {
    for name in ["Esc", "h", "Left"] {
        let mut s = loaded_state(160, 40, 10);
        s.focus = Focus::Feeds;
        let cmds = key(&mut s, name);
        assert!(!s.quit, "{name} must not quit from the feed list");
        assert!(!cmds.contains(&Command::Quit), "{name}: {cmds:?}");
        assert_eq!(s.focus, Focus::Feeds, "{name} stays on the feed list");
    }
    let mut s = loaded_state(160, 40, 10);
    key(&mut s, "h");
    assert_eq!(s.focus, Focus::Feeds, "back still goes back a pane");
    assert!(!s.quit);
    assert_eq!(
        key(&mut s, "q"),
        vec![Command::Quit],
        "q quits from the feed list"
    );
    let mut s = loaded_state(160, 40, 10);
    open_article(&mut s);
    key(&mut s, "q");
    assert_eq!(s.focus, Focus::Headlines, "q goes back from the article");
    assert!(!s.quit);
    open_article(&mut s);
    assert_eq!(key(&mut s, "Q"), vec![Command::Quit], "Q quits anywhere");
}

#[test]
fn a_user_key_map_binding_back_keeps_working_and_never_quits() {
    let text = "[keys]\n\"x\" = { action = \"back\", desc = \"Back\" }\n";
    let c = crate::config::Config::from_user_text(text, std::path::Path::new("k.toml")).unwrap();
    let mut s = loaded_state(160, 40, 10);
    s.keymap = c.keymap.unwrap();
    key(&mut s, "x");
    assert_eq!(s.focus, Focus::Feeds);
    key(&mut s, "x");
    assert!(!s.quit, "a user's back never quits");
}
