//! Filters evaluated by the store (SQL where it can, Rust for the rest) select exactly the items
//! that the plain evaluator selects over whole items.

use crate::filter::{Field, Subject, matches, parse};
use crate::model::{BodyKind, ItemQuery, ItemRow, View};
use crate::store::Store;
use crate::store::testutil::{item, temp_store, update};

const NOW: i64 = 1_700_000_000;
const DAY: i64 = 86_400;

/// Two feeds with tags, and items with varied titles, bodies, authors, dates and flags.
fn fixture() -> (tempfile::TempDir, Store) {
    let (dir, mut s) = temp_store();
    let harbour = s
        .add_feed(
            "https://harbour.test/feed",
            Some("Harbour Gazette"),
            &["news".into(), "local".into()],
        )
        .unwrap();
    let north = s
        .add_feed(
            "https://north.test/feed",
            Some("North Post"),
            &["tech".into()],
        )
        .unwrap();
    let mut a = item("a", "River market reopens", Some(NOW - 3_600));
    a.content = "<p>The caf<b>é</b> by the river <em>reopened</em> today.</p>".into();
    a.author = Some("A. Writer".into());
    let mut b = item("b", "Sponsored: buy a boat", Some(NOW - 3 * DAY));
    b.content = "Boats for sale, cheap.".into();
    b.content_kind = BodyKind::Text;
    let c = item("c", "Harbour news", None);
    s.store_feed_update(harbour, &update(NOW - 5 * DAY, vec![a, b, c]))
        .unwrap();
    let mut d = item("d", "New compiler released", Some(NOW - 10 * DAY));
    d.content = "<p>A faster <script>river()</script> compiler.</p>".into();
    d.author = Some("B. Coder".into());
    let mut e = item("e", "Market news from the North", Some(NOW - DAY));
    e.content = "<p>Prices rose at the MARCHÉ &amp; the river market.</p>".into();
    s.store_feed_update(north, &update(NOW - 2 * DAY, vec![d, e]))
        .unwrap();
    let id = |title: &str| {
        s.headlines(&ItemQuery::new(View::All), 0, 100)
            .unwrap()
            .into_iter()
            .find(|h| h.title == title)
            .unwrap()
            .id
    };
    let (d, e) = (
        id("New compiler released"),
        id("Market news from the North"),
    );
    s.set_read(d, true).unwrap();
    s.set_starred(d, true).unwrap();
    s.set_starred(e, true).unwrap();
    (dir, s)
}

/// A whole stored item with its feed's title and tags, for the plain evaluator.
struct Whole(ItemRow, Vec<String>);

impl Subject for Whole {
    fn unread(&self) -> bool {
        !self.0.read
    }
    fn starred(&self) -> bool {
        self.0.starred
    }
    fn time(&self) -> i64 {
        self.0.sort_time
    }
    fn any_value(&self, field: Field, test: &mut dyn FnMut(&str) -> bool) -> bool {
        match field {
            Field::Title => test(&self.0.title),
            Field::Text => test(&match self.0.content_kind {
                BodyKind::Html => crate::content::strip::strip_html(&self.0.content),
                BodyKind::Text => self.0.content.clone(),
            }),
            Field::Author => self.0.author.as_deref().is_some_and(test),
            Field::Feed => test(&self.0.feed_title),
            Field::Url => self.0.link.as_deref().is_some_and(test),
            Field::Tag => self.1.iter().any(|t| test(t)),
        }
    }
}

/// The titles the store selects for `src` in `view`, and those the plain evaluator selects.
fn both(s: &Store, view: View, src: &str) -> (Vec<String>, Vec<String>) {
    let e = parse(src).unwrap();
    let q = ItemQuery::new(view);
    let by_store: Vec<String> = s
        .filter_headlines(&q, &e, NOW)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    let by_plain: Vec<String> = s
        .headlines(&q, 0, 1000)
        .unwrap()
        .into_iter()
        .map(|h| {
            let row = s.item(h.id).unwrap();
            let tags = s.feed(row.feed_id).unwrap().tags;
            Whole(row, tags)
        })
        .filter(|w| matches(&e, w, NOW))
        .map(|w| w.0.title)
        .collect();
    (by_store, by_plain)
}

fn titles(s: &Store, src: &str) -> Vec<String> {
    let (store, plain) = both(s, View::All, src);
    assert_eq!(store, plain, "store and plain evaluation disagree on {src}");
    store
}

#[test]
fn the_store_selects_what_the_plain_evaluator_selects() {
    let (_d, s) = fixture();
    for src in [
        "unread",
        "starred",
        "not unread or starred",
        "age < 2d",
        "age >= 3d",
        "age > 1w or age < 2h",
        "tag:news",
        "not tag:tech",
        "tag=local and unread",
        "feed:\"north post\"",
        "feed=\"North Post\"",
        "feed:~\"^Harb\"",
        "title:market",
        "not title:market",
        "title:~\"(?i)sponsored\"",
        "unread and tag:tech and not title:~\"(?i)sponsored\"",
        "feed:\"Harbour Gazette\" or author:\"A. Writer\"",
        "(title:\"river\" or title:\"market\") and not feed:\"North\"",
        "text:cafe",
        "text:\"river market\"",
        "text:river",
        "not text:river",
        "text:~\"cheap\\.$\"",
        "starred and text:marche",
        "url:~\"/e$\"",
        "url=\"https://example.test/a\"",
        "title=\"Harbour news\"",
        "author=\"B. Coder\" or not author:coder and unread",
    ] {
        titles(&s, src);
    }
}

#[test]
fn filters_select_the_expected_items() {
    let (_d, s) = fixture();
    assert_eq!(
        titles(&s, "text:cafe"),
        ["River market reopens"],
        "the body's text, tags stripped, diacritics ignored"
    );
    assert_eq!(
        titles(&s, "text:river"),
        ["River market reopens", "Market news from the North"],
        "a script's content is not text"
    );
    assert_eq!(
        titles(&s, "unread and tag:tech"),
        ["Market news from the North"]
    );
    assert_eq!(
        titles(&s, "age < 2d"),
        ["River market reopens", "Market news from the North"]
    );
    // Undated: its arrival (five days ago) is its age.
    assert_eq!(titles(&s, "age >= 5d and age < 6d"), ["Harbour news"]);
}

#[test]
fn a_filter_narrows_the_view_it_is_given() {
    let (_d, s) = fixture();
    let north = s.find_feed("North Post").unwrap().unwrap().id;
    for (view, src) in [
        (View::Feed(north), "title:market or starred"),
        (View::Tag("news".into()), "text:river"),
        (View::Starred, "not unread"),
        (View::Unread, "title:~\"e\""),
    ] {
        let (store, plain) = both(&s, view.clone(), src);
        assert_eq!(store, plain, "{view:?} {src}");
    }
    let e = parse("title:market").unwrap();
    let q = ItemQuery::new(View::Feed(north));
    assert_eq!(s.filter_counts(&q, &e, NOW).unwrap(), (1, 1));
    let q = ItemQuery::new(View::All).unread_only(true);
    assert_eq!(s.filter_counts(&q, &e, NOW).unwrap(), (2, 2));
}

#[test]
fn the_search_index_narrows_text_conditions_without_changing_results() {
    let (_d, mut s) = fixture();
    assert_eq!(s.index_pending(1_000).unwrap(), 5);
    for src in [
        "text:cafe",
        "text:\"river market\"",
        "text:river",
        "not text:river",
        "text:marche or title:harbour",
        "starred and text:\"the river\"",
        "text:compiler",
    ] {
        titles(&s, src);
    }
    assert_eq!(
        titles(&s, "text:river"),
        ["River market reopens", "Market news from the North"]
    );
    assert_eq!(titles(&s, "text:cafe"), ["River market reopens"]);
}
