//! The searchable text kept beside the index: written with the index entry, read back by the
//! `text` filter field and phrase searches, dropped when the item changes.

use crate::filter::parse;
use crate::filter::words::fold;
use crate::model::{ItemQuery, View};
use crate::store::testutil::{item, temp_store, update};
use crate::store::{IndexEntry, NewArticle, Store, search_text};

const NOW: i64 = 1_700_000_000;

/// The titles `src` selects among all items.
fn filtered(s: &Store, src: &str) -> Vec<String> {
    s.filter_headlines(&ItemQuery::new(View::All), &parse(src).unwrap(), NOW)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect()
}

/// How many items have their text kept.
fn kept_texts(s: &Store) -> i64 {
    s.conn
        .query_row("SELECT count(*) FROM item_text", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn indexing_keeps_the_text_and_a_change_drops_it_until_indexed_again() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    let mut a = item("a", "Harbour", Some(NOW - 10));
    a.content = "<p>The <b>harbour</b> festival opens &amp; closes</p>".into();
    s.store_feed_update(f, &update(NOW - 5, vec![a.clone()]))
        .unwrap();
    assert_eq!(kept_texts(&s), 0, "nothing indexed yet");
    assert_eq!(s.index_pending(100).unwrap(), 1);
    let id = s.headlines(&ItemQuery::new(View::All), 0, 10).unwrap()[0].id;
    let kept = super::super::search_text::read_folded(&s.conn, id).unwrap();
    assert_eq!(kept, fold(&search_text(&a.content, a.content_kind)));
    assert_eq!(kept, " the harbour festival opens closes ");
    assert_eq!(kept_texts(&s), 1);
    assert_eq!(filtered(&s, "text:\"harbour festival\""), ["Harbour"]);

    // The feed changes the body: the kept text goes with the old index entry, and the filter
    // reads the new body until the item is indexed again.
    a.content = "<p>The market moved to the station</p>".into();
    s.store_feed_update(f, &update(NOW - 1, vec![a])).unwrap();
    assert_eq!(kept_texts(&s), 0);
    assert!(filtered(&s, "text:\"harbour festival\"").is_empty());
    assert_eq!(filtered(&s, "text:\"market moved\""), ["Harbour"]);
    assert_eq!(s.index_pending(100).unwrap(), 1);
    assert_eq!(kept_texts(&s), 1);
    assert_eq!(filtered(&s, "text:\"market moved\""), ["Harbour"]);
    assert!(filtered(&s, "text:\"harbour festival\"").is_empty());

    s.remove_feed(f).unwrap();
    assert_eq!(kept_texts(&s), 0, "a deleted item's text goes with it");
}

#[test]
fn the_text_filter_and_phrase_search_read_the_article_when_there_is_one() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    let mut a = item("a", "Teaser", Some(NOW - 10));
    a.content = "<p>A short teaser about boats.</p>".into();
    s.store_feed_update(f, &update(NOW - 5, vec![a])).unwrap();
    let id = s.headlines(&ItemQuery::new(View::All), 0, 10).unwrap()[0].id;
    let article = NewArticle {
        url: "https://example.test/a".into(),
        html: "<p>The whole article: the river festival drew crowds to the harbour.</p>".into(),
        words: 11,
        title: None,
        author: None,
        published: None,
        parsed: None,
    };
    s.store_article(id, &article, NOW).unwrap();
    // Not indexed yet: the article is read and stripped for the filter.
    assert_eq!(filtered(&s, "text:\"river festival\""), ["Teaser"]);
    while s.index_pending(100).unwrap() > 0 {}
    assert_eq!(filtered(&s, "text:\"river festival\""), ["Teaser"]);
    assert!(filtered(&s, "text:\"short teaser\"").is_empty());
    let q = ItemQuery::new(View::Search("\"river festival\"".into()));
    let hits: Vec<String> = s
        .headlines(&q, 0, 10)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    assert_eq!(hits, ["Teaser"], "a phrase is checked against the article");
}

#[test]
fn the_writer_s_own_indexing_leaves_what_the_digest_pass_will_index() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    s.store_feed_update(f, &update(NOW, vec![item("a", "One", Some(NOW))]))
        .unwrap();
    assert_eq!(s.pending_index().unwrap(), 1);
    assert_eq!(s.index_pending_undigested(100).unwrap(), 0);
    assert_eq!(s.pending_index().unwrap(), 1, "the digest pass indexes it");
    s.conn.execute("DELETE FROM digest_pending", []).unwrap();
    assert_eq!(s.index_pending_undigested(100).unwrap(), 1);
    assert_eq!(s.pending_index().unwrap(), 0);
}

#[test]
fn an_entry_made_before_the_item_changed_is_not_written() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    s.store_feed_update(f, &update(NOW, vec![item("a", "One", Some(NOW))]))
        .unwrap();
    let id = s.headlines(&ItemQuery::new(View::All), 0, 10).unwrap()[0].id;
    let entry = |text: &str| IndexEntry::new("One".into(), text.into(), false);
    // Still waiting for its digest (changed again since the entry was made): left alone.
    s.index_entries(&[(id, entry("stale words"))]).unwrap();
    assert_eq!(s.pending_index().unwrap(), 1);
    s.conn.execute("DELETE FROM digest_pending", []).unwrap();
    s.index_entries(&[(id, entry("fresh words"))]).unwrap();
    assert_eq!(s.pending_index().unwrap(), 0);
    assert_eq!(filtered(&s, "text:\"fresh words\""), ["One"]);
    // Indexed already: an entry made for the unindexed item is not written twice.
    s.index_entries(&[(id, entry("stale words"))]).unwrap();
    assert!(filtered(&s, "text:\"stale words\"").is_empty());
}
