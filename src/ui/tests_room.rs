//! Room for headlines: panes sized by what they hold, distinctive feed names, cuts marked.

use crate::app::msg::{Msg, Totals};
use crate::app::screen::panes;
use crate::app::state::{Focus, State};
use crate::app::tests::{feed, headline};
use crate::app::tests_shipped::shipped_state;
use crate::app::update::update;
use crate::config::keymap::Key;
use crate::model::{ItemQuery, View};
use crate::ui::tests::screen;

const TITLE: &str =
    "Coastal councils agree a joint plan for the harbour walls before the winter storms arrive";

/// A 120x35 reader on feeds that share a long prefix, with long titles.
fn bench_like(width: u16, height: u16) -> State {
    let mut s = shipped_state(width, height);
    update(&mut s, Msg::Resize(width, height));
    let feeds: Vec<_> = (1..=3)
        .map(|i| {
            feed(
                i,
                &format!("Bench Feed 0001{i}: Harbour and coast"),
                &[],
                5,
                None,
            )
        })
        .collect();
    update(&mut s, Msg::FeedsLoaded(feeds, Totals::default()));
    let rows = (0..3)
        .map(|i| {
            let mut h = headline(i);
            h.feed_id = i as i64 + 1;
            h.feed_title = format!("Bench Feed 0001{}: Harbour and coast", i + 1);
            h.title = format!("{TITLE} ({i})");
            h
        })
        .collect();
    s.list.pending = Some(0);
    update(
        &mut s,
        Msg::HeadlinesLoaded {
            query: ItemQuery::new(View::All),
            offset: 0,
            rows,
            total: 3,
        },
    );
    s
}

#[test]
fn at_120_columns_a_focused_headline_list_shows_45_characters_of_a_title() {
    let s = bench_like(120, 35);
    assert_eq!(s.focus, Focus::Headlines);
    let text = screen(&s);
    let row = text
        .lines()
        .find(|l| l.contains("Coastal"))
        .unwrap_or_else(|| panic!("no headline row: {text}"));
    assert!(
        row.contains(&TITLE[..45]),
        "45 characters of the title: {row}"
    );
    let p = panes(&s);
    assert!(p.feeds.unwrap().width <= 28, "{p:?}");
}

#[test]
fn the_feed_column_shows_a_distinctive_part_of_each_feed_name() {
    let s = bench_like(120, 35);
    let text = screen(&s);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("Coastal")).collect();
    assert_eq!(rows.len(), 3, "{text}");
    for (i, row) in rows.iter().enumerate() {
        assert!(
            row.contains(&format!("0001{}", i + 1)),
            "distinctive: {row}"
        );
    }
}

#[test]
fn every_cut_is_marked_with_an_ellipsis() {
    let s = bench_like(120, 35);
    let text = screen(&s);
    let row = text.lines().find(|l| l.contains("Coastal")).unwrap();
    assert!(row.contains('…'), "a cut title ends with …: {row}");
    let feeds_row = text
        .lines()
        .find(|l| l.contains("Bench Feed 00011"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        feeds_row.contains('…'),
        "a cut feed name ends with …: {feeds_row}"
    );
}

#[test]
fn the_article_pane_is_as_wide_as_its_text_while_reading_and_a_preview_otherwise() {
    let mut s = bench_like(160, 40);
    let p = panes(&s);
    let preview = p.article.map_or(0, |a| a.width);
    assert!(
        preview < 50,
        "headlines focused: the article narrows: {p:?}"
    );
    update(&mut s, Msg::Key(Key::parse("Enter").unwrap()));
    assert_eq!(s.focus, Focus::Article);
    let p = panes(&s);
    let a = p.article.unwrap();
    assert_eq!(a.width, 80 + 4, "max_width plus border and margins");
    assert!(p.feeds.is_none(), "hide_feeds_while_reading");
    assert_eq!(p.headlines.unwrap().width, 160 - 84);

    let mut s = bench_like(160, 40);
    s.settings.hide_feeds_while_reading = false;
    s.settings.feed_pane_width = 20;
    update(&mut s, Msg::Key(Key::parse("Enter").unwrap()));
    let p = panes(&s);
    assert_eq!(p.feeds.unwrap().width, 20);
    assert_eq!(p.article.unwrap().width, 84);
}
