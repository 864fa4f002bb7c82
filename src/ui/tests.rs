//! Whole-screen snapshots of the reader drawn into a test backend, wide (160x40) and narrow
//! (80x24), with fixed data and a fixed "now" so that dates are deterministic.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::msg::{Msg, Totals};
use crate::app::state::{Focus, Overlay, State};
use crate::app::tests::{NOW, feed, item, loaded_state};
use crate::app::text::parse;
use crate::app::update;
use crate::config::keymap::{Action, Key};
use crate::config::theme::Theme;
use crate::model::BodyKind;
use crate::ui::render;

pub(crate) fn draw(state: &State) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    term.draw(|f| render(state, f)).unwrap();
    term
}

pub(crate) fn screen(state: &State) -> String {
    draw(state).backend().to_string()
}

fn key(s: &mut State, name: &str) {
    update(s, Msg::Key(Key::parse(name).unwrap()));
}

fn with_article(mut s: State) -> State {
    key(&mut s, "j");
    key(&mut s, "Enter");
    let id = s.list.selected_row().unwrap().id;
    let it = item(id);
    let doc = parse(&it.content, BodyKind::Html, None);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()));
    s
}

#[test]
fn wide_three_panes_with_an_article() {
    let mut s = with_article(loaded_state(160, 40, 1000));
    update(
        &mut s,
        Msg::RefreshProgress {
            done: 37,
            total: 120,
            failed: 2,
        },
    );
    s.notice = None;
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn wide_feed_pane_focused_on_a_failing_feed() {
    let mut s = loaded_state(160, 40, 1000);
    key(&mut s, "q");
    for _ in 0..4 {
        key(&mut s, "j");
    }
    assert_eq!(s.focus, Focus::Feeds);
    let text = screen(&s);
    assert!(text.contains("HTTP 500 from server"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn narrow_headlines() {
    let mut s = loaded_state(80, 24, 1000);
    s.refresh.last_done = Some(NOW - 120);
    for _ in 0..30 {
        key(&mut s, "j");
    }
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn narrow_feeds() {
    let mut s = loaded_state(80, 24, 1000);
    key(&mut s, "q");
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn narrow_article() {
    let s = with_article(loaded_state(80, 24, 1000));
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn narrow_help_overlay() {
    let mut s = loaded_state(80, 24, 1000);
    update(&mut s, Msg::Action(Action::Help));
    let text = screen(&s);
    assert!(text.contains("Move down"), "{text}");
    assert!(!text.contains("Show refresh errors"), "{text}");
    insta::assert_snapshot!(text);
    key(&mut s, "G");
    let text = screen(&s);
    assert!(
        text.contains("Show refresh errors"),
        "scrolled to the end: {text}"
    );
}

#[test]
fn narrow_search_prompt() {
    let mut s = loaded_state(80, 24, 1000);
    key(&mut s, "/");
    for c in ["t", "e", "r", "m"] {
        key(&mut s, c);
    }
    assert!(matches!(s.overlay, Some(Overlay::Search { .. })));
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn wide_link_list_and_error_list() {
    let mut s = with_article(loaded_state(160, 40, 1000));
    key(&mut s, "L");
    insta::assert_snapshot!("wide_link_list", screen(&s));
    key(&mut s, "Esc");
    update(
        &mut s,
        Msg::RefreshDone {
            at: NOW,
            new_items: 0,
            failed: vec![("Feed 2".into(), "connection refused".into())],
        },
    );
    key(&mut s, "E");
    insta::assert_snapshot!("wide_error_list", screen(&s));
}

#[test]
fn monochrome_theme_draws_no_colour() {
    let mut s = with_article(loaded_state(160, 40, 1000));
    s.theme = Theme::monochrome();
    let term = draw(&s);
    for cell in term.backend().buffer().content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "{cell:?}");
    }
}

#[test]
fn escape_sequences_from_a_feed_never_reach_a_cell() {
    let evil = "Evil \u{1b}[31mred\u{1b}]52;c;aGVsbG8=\u{7} \u{9b}31m \u{202e}reversed\u{7f}";
    let mut s = loaded_state(160, 40, 10);
    let mut feeds = vec![feed(1, evil, &[evil], 3, Some(evil))];
    feeds[0].title = evil.to_string();
    update(&mut s, Msg::FeedsLoaded(feeds, Totals::default()));
    for row in &mut s.list.rows {
        row.title = evil.to_string();
        row.feed_title = evil.to_string();
    }
    s.list.query.view = crate::model::View::Feed(1);
    let mut it = item(s.list.rows[1].id);
    it.title = evil.into();
    it.feed_title = evil.into();
    it.author = Some(evil.into());
    it.content = format!("<p>{evil}</p>");
    key(&mut s, "j");
    key(&mut s, "Enter");
    let doc = parse(&it.content, BodyKind::Html, None);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()));
    s.errors.push(crate::app::state::ErrorEntry {
        at: NOW,
        source: evil.into(),
        message: evil.into(),
    });
    let forbidden = |c: char| {
        let u = c as u32;
        u < 0x20 || (0x7f..=0x9f).contains(&u) || (0x202a..=0x202e).contains(&u)
    };
    let check = |s: &State| {
        let term = draw(s);
        let mut seen = String::new();
        for cell in term.backend().buffer().content() {
            let sym = cell.symbol();
            assert!(!sym.chars().any(forbidden), "cell holds {sym:?}");
            seen.push_str(sym);
        }
        assert!(seen.contains("Evil"), "the title is drawn at all");
    };
    check(&s);
    s.focus = Focus::Feeds;
    check(&s);
    update(&mut s, Msg::Action(Action::ShowErrors));
    check(&s);
    s.overlay = None;
    s.width = 80;
    s.height = 24;
    check(&s);
}

#[test]
fn a_flood_of_combining_marks_keeps_eight_in_every_cell() {
    let flood = format!("Zalgo{}", "\u{301}".repeat(10_000));
    let mut s = loaded_state(160, 40, 10);
    let feeds = vec![feed(1, &flood, &[flood.as_str()], 3, Some(&flood))];
    update(&mut s, Msg::FeedsLoaded(feeds, Totals::default()));
    for row in &mut s.list.rows {
        row.title = flood.clone();
        row.feed_title = flood.clone();
    }
    let mut it = item(s.list.rows[1].id);
    it.title = flood.clone();
    it.author = Some(flood.clone());
    it.content = format!("<p>{flood} and {flood}</p>");
    key(&mut s, "j");
    key(&mut s, "Enter");
    let doc = parse(&it.content, BodyKind::Html, None);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()));
    let check = |s: &State| {
        let term = draw(s);
        let mut most = 0;
        for cell in term.backend().buffer().content() {
            let marks = cell
                .symbol()
                .chars()
                .filter(|&c| unicode_normalization::char::is_combining_mark(c))
                .count();
            most = most.max(marks);
        }
        assert!(most > 0, "the marks are drawn at all");
        assert!(most <= 8, "a cell holds {most} combining marks");
    };
    check(&s);
    s.focus = Focus::Feeds;
    check(&s);
}

#[test]
fn tiny_and_odd_terminal_sizes_draw_without_panicking() {
    let base = with_article(loaded_state(160, 40, 1000));
    let overlays = [
        None,
        Some(Overlay::Help { scroll: 3 }),
        Some(Overlay::Search {
            input: "x".repeat(300),
            feed: Some(1),
            in_feed: true,
        }),
        Some(Overlay::Links {
            selected: 0,
            typed: "1".into(),
        }),
        Some(Overlay::Errors { selected: 9 }),
    ];
    for (w, h) in [(1, 1), (5, 2), (20, 4), (119, 10), (120, 10), (300, 3)] {
        for overlay in &overlays {
            for focus in [Focus::Feeds, Focus::Headlines, Focus::Article] {
                let mut s = base.clone();
                s.focus = focus;
                update(&mut s, Msg::Resize(w, h));
                s.overlay = overlay.clone();
                let term = draw(&s);
                assert_eq!(term.backend().buffer().area.width, w);
            }
        }
    }
}

#[test]
fn folded_blocks_give_way_to_one_line_and_u_shows_them() {
    let mut s = loaded_state(100, 40, 1000);
    key(&mut s, "j");
    key(&mut s, "Enter");
    let id = s.list.selected_row().unwrap().id;
    let mut it = item(id);
    let long = "The harbour wall will be rebuilt before the winter storms, the council decided \
                on Tuesday, after engineers found that its stones had shifted by almost a metre.";
    it.content = format!("<p>{long}</p><p>Short note.</p><p>{long}</p>");
    let doc = parse(&it.content, BodyKind::Html, None);
    let hidden = crate::content::fold::fold_document(
        &doc,
        None,
        &crate::content::dedup::DedupOptions::default(),
    );
    assert_eq!(hidden, vec![false, false, true]);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, hidden));
    let folded = screen(&s);
    assert!(folded.contains("1 repeated paragraph hidden"), "{folded}");
    assert!(folded.contains("1 folded"), "{folded}");
    assert_eq!(folded.matches("The harbour wall").count(), 1, "{folded}");

    key(&mut s, "u");
    let raw = screen(&s);
    assert!(!raw.contains("repeated paragraph hidden"), "{raw}");
    assert_eq!(raw.matches("The harbour wall").count(), 2, "{raw}");
    assert!(raw.contains('▌'), "the folded block is marked: {raw}");
    assert!(raw.contains(", raw"), "{raw}");

    key(&mut s, "u");
    assert_eq!(screen(&s), folded);
}

#[test]
fn a_story_from_several_feeds_names_them_in_its_row_and_header() {
    // Narrow: the headline list has the whole width.
    let mut s = loaded_state(110, 30, 3);
    s.list.pending = Some(0);
    let mut rows = crate::app::tests::window(0, 3);
    rows[0].also_in = vec!["Wire Desk".into(), "Coast Post".into()];
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
    let text = screen(&s);
    let row = text
        .lines()
        .find(|l| l.contains("+2 "))
        .unwrap_or_else(|| panic!("no story marker: {text}"));
    assert!(row.contains("also in Wire Desk, Coast Post"), "{row}");
    assert_eq!(text.matches("+2 ").count(), 1, "{text}");

    key(&mut s, "Enter");
    let id = s.list.selected_row().unwrap().id;
    let mut it = item(id);
    it.also_in = vec!["Wire Desk".into(), "Coast Post".into()];
    let doc = parse(&it.content, BodyKind::Html, None);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()));
    assert!(
        screen(&s).contains("Also in: Wire Desk, Coast Post"),
        "{}",
        screen(&s)
    );
}

#[test]
fn a_read_only_cache_is_named_in_the_status_line() {
    let mut s = loaded_state(160, 40, 10);
    assert!(!screen(&s).contains("read-only cache"));
    s.read_only = Some("read-only cache".into());
    assert!(screen(&s).contains("read-only cache"), "{}", screen(&s));
}

/// Answers every connection on 127.0.0.1 with a 500, from a thread, and gives the port.
fn failing_server() -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(
                b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    port
}

#[test]
fn the_feed_list_status_line_and_error_list_never_show_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let store = crate::store::Store::open(&path).unwrap();
    let port = failing_server();
    let url = format!("http://alice:secret@127.0.0.1:{port}/feed.xml");
    store.add_feed(&url, None, &[]).unwrap();
    let feeds = store.feeds().unwrap();
    let opts = crate::refresh::RefreshOptions {
        fetch: crate::fetch::FetchConfig::default(),
        retention: crate::store::RetentionPolicy::default(),
        pages: crate::content::fulltext::PageLimits::default(),
        plans: Default::default(),
        rules: Vec::new(),
        images: None,
    };
    let report = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(crate::refresh::run(&path, feeds, &opts, |_| {}))
        .unwrap();
    assert_eq!(report.failed.len(), 1);
    let mut s = loaded_state(160, 40, 10);
    let feeds = store.feeds().unwrap();
    assert!(feeds[0].last_error.is_some());
    update(&mut s, Msg::FeedsLoaded(feeds, Totals::default()));
    update(
        &mut s,
        Msg::RefreshDone {
            at: NOW,
            new_items: 0,
            failed: report
                .failed
                .into_iter()
                .map(|f| (f.title, format!("{} ({})", f.error, f.url)))
                .collect(),
        },
    );
    s.notice = None;
    key(&mut s, "q");
    for _ in 0..3 {
        key(&mut s, "j");
    }
    let feed_pane = screen(&s);
    assert!(feed_pane.contains("127.0.0.1"), "{feed_pane}");
    assert!(feed_pane.contains("HTTP 500"), "{feed_pane}");
    key(&mut s, "E");
    let errors = screen(&s);
    assert!(errors.contains("alice:***@"), "{errors}");
    for text in [&feed_pane, &errors] {
        assert!(!text.contains("secret"), "{text}");
    }
}
