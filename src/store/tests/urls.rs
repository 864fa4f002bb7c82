//! One subscription per feed: spellings of one address are one feed, the title never shows a
//! password, and the migration merges the duplicates older builds stored.

use crate::store::testutil::{item, temp_store, update};
use crate::store::{Store, StoreError};

#[test]
fn spellings_of_one_address_are_one_subscription() {
    let (_d, s) = temp_store();
    let a = s.add_feed("http://h.test/x?p=1", None, &[]).unwrap();
    for other in [
        "HTTP://H.TEST:80/x?p=1#frag",
        "http:/h.test/x?p=1",
        "http:h.test/x?p=1",
        "http://alice:secret@h.test/x?p=1",
    ] {
        assert!(
            matches!(
                s.add_feed(other, None, &[]),
                Err(StoreError::DuplicateFeed(_))
            ),
            "{other} subscribed twice"
        );
        assert_eq!(
            s.find_feed(other).unwrap().map(|f| f.id),
            Some(a),
            "{other}"
        );
    }
    assert_eq!(s.feed(a).unwrap().url, "http://h.test/x?p=1");
    let idn = s
        .add_feed("http://bücher.example/f#top", None, &[])
        .unwrap();
    assert_eq!(s.feed(idn).unwrap().url, "http://xn--bcher-kva.example/f");
    assert!(matches!(
        s.add_feed("http://xn--bcher-kva.example/f", None, &[]),
        Err(StoreError::DuplicateFeed(_))
    ));
    assert_eq!(s.feed_count().unwrap(), 2);
    assert_eq!(s.feed(idn).unwrap().title, "http://bücher.example/f");
    // Cyrillic "а" among Latin letters: a look-alike, named in punycode.
    let lookalike = s
        .add_feed("http://\u{430}pple.example/", None, &[])
        .unwrap();
    let title = s.feed(lookalike).unwrap().title;
    assert!(title.starts_with("http://xn--"), "{title}");
}

#[test]
fn an_untitled_feed_is_named_without_its_password() {
    let (_d, s) = temp_store();
    let id = s
        .add_feed("http://alice:secret@h.test/feed", None, &[])
        .unwrap();
    let feed = s.feed(id).unwrap();
    assert_eq!(
        feed.url, "http://alice:secret@h.test/feed",
        "kept to fetch with"
    );
    assert!(!feed.title.contains("secret"), "{}", feed.title);
    assert!(
        s.feeds()
            .unwrap()
            .iter()
            .all(|f| !f.title.contains("secret"))
    );
}

/// `(key, read, starred)` of a feed's items, by key.
fn item_states(s: &Store, feed: i64) -> Vec<(String, bool, bool)> {
    s.conn
        .prepare("SELECT key, read, starred FROM items WHERE feed_id = ?1 ORDER BY key")
        .unwrap()
        .query_map([feed], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn id_of(s: &Store, feed: i64, key: &str) -> i64 {
    s.conn
        .query_row(
            "SELECT id FROM items WHERE feed_id = ?1 AND key = ?2",
            rusqlite::params![feed, key],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn the_migration_merges_duplicates_keeping_items_read_and_starred_state() {
    let (dir, mut s) = temp_store();
    let path = dir.path().join("cache.db");
    let a = s.add_feed("http://h.test/x", None, &[]).unwrap();
    let other = s.add_feed("https://other.test/y", None, &[]).unwrap();
    // Duplicates as an older build stored them: raw spellings, compared as strings.
    let dup = |url: &str| {
        s.conn
            .execute("INSERT INTO feeds (url, url_key) VALUES (?1, ?1)", [url])
            .unwrap();
        s.conn.last_insert_rowid()
    };
    let b = dup("HTTP://h.test/x#top");
    let d = dup("http://alice:pw@h.test:80/x");
    s.store_feed_update(
        a,
        &update(
            10,
            vec![item("k1", "one", Some(1)), item("k2", "two", Some(2))],
        ),
    )
    .unwrap();
    s.store_feed_update(
        b,
        &update(
            10,
            vec![item("k2", "two", Some(2)), item("k3", "three", Some(3))],
        ),
    )
    .unwrap();
    s.store_feed_update(d, &update(10, vec![item("k4", "four", Some(4))]))
        .unwrap();
    s.store_feed_update(other, &update(10, vec![item("o1", "o", Some(1))]))
        .unwrap();
    let (a_k1, b_k2, d_k4) = (id_of(&s, a, "k1"), id_of(&s, b, "k2"), id_of(&s, d, "k4"));
    s.set_read(a_k1, true).unwrap();
    s.set_read(b_k2, true).unwrap();
    s.set_starred(b_k2, true).unwrap();
    s.set_starred(d_k4, true).unwrap();
    s.set_feed_tags(b, &["news".to_string()]).unwrap();
    s.set_feed_title(b, "Mine").unwrap();
    s.conn
        .execute_batch(&format!(
            "DROP INDEX feeds_url_key; ALTER TABLE feeds DROP COLUMN url_key; \
             DROP TABLE view_settings; PRAGMA user_version = {};",
            // The version before `url_key` (version 5) came.
            4
        ))
        .unwrap();
    drop(s);

    let s = Store::open(&path).unwrap();
    assert_eq!(
        s.feed_count().unwrap(),
        2,
        "three spellings became one feed"
    );
    let merged = s.feed(a).unwrap();
    assert_eq!(merged.url, "http://alice:pw@h.test/x", "credentials kept");
    assert_eq!(merged.title, "Mine");
    assert_eq!(merged.tags, vec!["news".to_string()]);
    assert_eq!(
        item_states(&s, a),
        vec![
            ("k1".to_string(), true, false),
            ("k2".to_string(), true, true),
            ("k3".to_string(), false, false),
            ("k4".to_string(), false, true),
        ]
    );
    assert_eq!((merged.items, merged.unread), (4, 2), "counters recounted");
    assert_eq!(id_of(&s, a, "k4"), d_k4, "moved items keep their ids");
    assert_eq!(s.feed(other).unwrap().items, 1);
    assert_eq!(
        s.find_feed("http://h.test/x#again").unwrap().map(|f| f.id),
        Some(a)
    );
    assert_eq!(s.integrity_check().unwrap(), "ok");
}
