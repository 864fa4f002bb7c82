use crate::model::{BodyKind, ItemQuery, View};
use crate::store::fts_query;
use crate::store::testutil::{item, temp_store, update};

fn search(s: &crate::store::Store, text: &str) -> Vec<String> {
    let q = ItemQuery::new(View::Search(text.into()));
    let hits: Vec<String> = s
        .headlines(&q, 0, 100)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    assert_eq!(
        hits.len() as u64,
        s.count(&q).unwrap(),
        "count agrees for {text:?}"
    );
    hits
}

#[test]
fn query_builder_quotes_every_word() {
    assert_eq!(fts_query("C++ (beta)").as_deref(), Some("\"C\" \"beta\"*"));
    assert_eq!(fts_query("foo\"bar ").as_deref(), Some("\"foo\" \"bar\""));
    assert_eq!(
        fts_query("AND OR NOT").as_deref(),
        Some("\"AND\" \"OR\" \"NOT\"*")
    );
    assert_eq!(fts_query("  ()\" * "), None);
}

#[test]
fn search_finds_words_in_titles_and_stripped_bodies() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    let mut a = item("a", "C++ (beta) released", Some(3));
    a.content = "<p>The <b>compiler</b> ships <script>hidden()</script> today.</p>".into();
    let mut b = item("b", "Quotes", Some(2));
    b.content = "He said foo\"bar &amp; left. AND OR NOT are words here.".into();
    b.content_kind = BodyKind::Text;
    let mut c = item("c", "Café news", Some(1));
    c.content = "<p>Nothing &lt;special&gt;</p>".into();
    s.store_feed_update(f, &update(100, vec![a, b, c])).unwrap();

    assert!(search(&s, "compiler").is_empty(), "not indexed yet");
    assert_eq!(s.pending_index().unwrap(), 3);
    assert_eq!(s.index_pending(2).unwrap(), 2);
    assert_eq!(s.index_pending(100).unwrap(), 1);
    assert_eq!(s.index_pending(100).unwrap(), 0);

    assert_eq!(search(&s, "compiler"), ["C++ (beta) released"]);
    assert_eq!(search(&s, "\"C++ (beta)\""), ["C++ (beta) released"]);
    assert_eq!(search(&s, "foo\"bar"), ["Quotes"]);
    assert_eq!(search(&s, "AND OR NOT"), ["Quotes"]);
    assert_eq!(search(&s, "cafe"), ["Café news"], "diacritics folded");
    assert_eq!(search(&s, "spec"), ["Café news"], "last word is a prefix");
    assert!(
        search(&s, "spec ").is_empty(),
        "a trailing space ends the word"
    );
    assert!(
        search(&s, "hidden").is_empty(),
        "script content is not indexed"
    );
    assert!(search(&s, "compiler quotes").is_empty(), "words are ANDed");
    assert!(search(&s, "()").is_empty());
    assert!(search(&s, "NEAR(a b)").is_empty());

    // A changed item is indexed again with its new text only.
    let mut a2 = item("a", "C++ (beta) released", Some(3));
    a2.content = "<p>Now an interpreter.</p>".into();
    s.store_feed_update(f, &update(200, vec![a2])).unwrap();
    assert_eq!(s.index_pending(100).unwrap(), 1);
    assert!(search(&s, "compiler").is_empty());
    assert_eq!(search(&s, "interpreter"), ["C++ (beta) released"]);

    // Unread-only search, and mark-all-read on a search.
    let q = ItemQuery {
        unread_only: true,
        ..ItemQuery::new(View::Search("released".into()))
    };
    assert_eq!(s.mark_all_read(&q).unwrap().len(), 1);
    assert!(s.headlines(&q, 0, 10).unwrap().is_empty());

    s.remove_feed(f).unwrap();
    assert!(search(&s, "interpreter").is_empty());
    assert_eq!(s.integrity_check().unwrap(), "ok");
}
