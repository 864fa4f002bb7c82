//! What the cache keeps about an item goes with the item: its story keys, search row and digests
//! are deleted with it, its id is never given to another item, orphans left by older versions are
//! cleaned by the migration, tombstones expire once the feed stops listing them, and digests of
//! an older format are recomputed.

use rusqlite::Connection;

use crate::content::dedup::StoryInfo;
use crate::model::{ItemQuery, ParsedItem, View};
use crate::store::testutil::{item, temp_store, update};
use crate::store::{FeedUpdate, RetentionPolicy, Store};

const DAY: i64 = 86_400;

fn with_link(key: &str, title: &str, link: &str, published: i64) -> ParsedItem {
    ParsedItem {
        link: Some(link.to_string()),
        guid: None,
        ..item(key, title, Some(published))
    }
}

/// Stores `items` in `feed` with their story digests, as `tidings add` does.
fn store(s: &mut Store, feed: i64, at: i64, items: Vec<ParsedItem>) {
    let stories = items
        .iter()
        .map(|i| StoryInfo::new(i.link.as_deref(), i.guid.as_deref(), &i.title, &i.content))
        .collect();
    let up = FeedUpdate {
        stories,
        ..update(at, items)
    };
    s.store_feed_update(feed, &up).unwrap();
}

/// A cache file as schema `version` left it, holding feed 1 and what `sql` adds (run at that
/// version); the tests open it with [`Store::open`], which migrates it.
fn cache_at(version: i64, sql: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let mut conn = Connection::open(&path).unwrap();
    crate::store::schema::migrate_to(&mut conn, version)
        .unwrap()
        .unwrap();
    conn.execute_batch("INSERT INTO feeds (id, url) VALUES (1, 'https://a.test/');")
        .unwrap();
    conn.execute_batch(sql).unwrap();
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(found, version);
    (dir, path)
}

fn count(s: &Store, sql: &str) -> i64 {
    s.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn all_titles(s: &Store) -> Vec<String> {
    let q = ItemQuery {
        one_per_story: true,
        ..ItemQuery::new(View::All)
    };
    let mut t: Vec<String> = s
        .headlines(&q, 0, 50)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    t.sort();
    t
}

/// Drops every item older than a month, read or not.
fn drop_old() -> RetentionPolicy {
    RetentionPolicy {
        max_age_days: Some(30),
        keep_unread: false,
        ..RetentionPolicy::default()
    }
}

#[test]
fn a_new_item_never_joins_the_story_of_a_deleted_item() {
    let (_d, mut s) = temp_store();
    let a = s.add_feed("https://a.test/", Some("A"), &[]).unwrap();
    let b = s.add_feed("https://b.test/", Some("B"), &[]).unwrap();
    let c = s.add_feed("https://c.test/", Some("C"), &[]).unwrap();
    let now = 1_000 * DAY;
    store(
        &mut s,
        a,
        now - 100 * DAY,
        vec![with_link(
            "old",
            "Old story",
            "https://news.test/old",
            now - 100 * DAY,
        )],
    );
    let old_id = s.headlines(&ItemQuery::new(View::All), 0, 1).unwrap()[0].id;
    let keys = format!("SELECT count(*) FROM story_keys WHERE item_id = {old_id}");
    let list = format!("SELECT count(*) FROM story_key_lists WHERE item_id = {old_id}");
    assert!(count(&s, &keys) > 0);
    assert_eq!(count(&s, &list), 1);
    assert_eq!(s.apply_retention(&drop_old(), now).unwrap(), 1);
    assert_eq!(
        count(&s, &keys),
        0,
        "the deleted item's story keys went with it"
    );
    assert_eq!(count(&s, &list), 0, "and so did their list");

    store(
        &mut s,
        b,
        now,
        vec![with_link(
            "new",
            "Unrelated news",
            "https://news.test/new",
            now,
        )],
    );
    let new_id = s.headlines(&ItemQuery::new(View::All), 0, 1).unwrap()[0].id;
    assert!(new_id > old_id, "id {old_id} was given again");

    // A third feed carries the deleted item's link: nothing of the old story is left to join.
    store(
        &mut s,
        c,
        now,
        vec![with_link(
            "rep",
            "Old story again",
            "https://news.test/old",
            now,
        )],
    );
    assert_eq!(all_titles(&s), vec!["Old story again", "Unrelated news"]);
}

#[test]
fn removing_a_feed_deletes_its_story_keys_and_search_rows() {
    let (_d, mut s) = temp_store();
    let a = s.add_feed("https://a.test/", Some("A"), &[]).unwrap();
    store(
        &mut s,
        a,
        DAY,
        vec![with_link(
            "x",
            "Railway reopens",
            "https://news.test/x",
            DAY,
        )],
    );
    s.index_pending(100).unwrap();
    assert!(count(&s, "SELECT count(*) FROM story_keys") > 0);
    s.remove_feed(a).unwrap();
    assert_eq!(count(&s, "SELECT count(*) FROM story_keys"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM story_sigs"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM item_fingerprints"), 0);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM item_fts WHERE item_fts MATCH 'railway'"
        ),
        0
    );
}

#[test]
fn the_migration_cleans_orphans_and_remembers_the_highest_id() {
    let (_dir, path) = cache_at(
        3,
        "INSERT INTO items (id, feed_id, key, hash, sort_time, first_seen, title)
             VALUES (1, 1, 'k1', 0, 10, 10, 'kept'), (2, 1, 'k2', 0, 20, 20, 'gone');
         UPDATE items SET indexed = 1 WHERE id = 2;
         INSERT INTO item_fts (rowid, title, body) VALUES (2, 'gone', 'railway');
         INSERT INTO story_keys (key, item_id) VALUES (7, 1), (8, 2), (9, 5);
         INSERT INTO item_fingerprints (item_id, feed_id, in_stats, hashes)
             VALUES (2, 1, 0, x''), (5, 1, 0, x'');
         INSERT INTO tombstones (feed_id, key) VALUES (1, 'k0');
         DELETE FROM items WHERE id = 2;",
    );
    let mut s = Store::open(&path).unwrap();
    assert_eq!(count(&s, "SELECT count(*) FROM story_keys"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM item_fingerprints"), 0);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM item_fts WHERE item_fts MATCH 'railway'"
        ),
        0
    );
    assert_eq!(
        count(&s, "SELECT count(*) FROM tombstones WHERE seen > 0"),
        1,
        "existing tombstones are dated at the migration"
    );
    s.store_feed_update(1, &update(30, vec![item("k3", "fresh", Some(30))]))
        .unwrap();
    let fresh: i64 = s
        .conn
        .query_row("SELECT id FROM items WHERE key = 'k3'", [], |r| r.get(0))
        .unwrap();
    assert!(fresh > 5, "id {fresh} was held by an orphan");
}

#[test]
fn tombstones_the_feed_no_longer_lists_expire() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    let keep_one = RetentionPolicy {
        max_items_per_feed: Some(1),
        keep_unread: false,
        ..RetentionPolicy::default()
    };
    let t0 = 1_000 * DAY;
    let listed = vec![
        item("a", "a", Some(t0 - 3)),
        item("b", "b", Some(t0 - 2)),
        item("c", "c", Some(t0 - 1)),
    ];
    s.store_feed_update(f, &update(t0, listed.clone())).unwrap();
    assert_eq!(s.apply_retention(&keep_one, t0).unwrap(), 2);
    assert_eq!(count(&s, "SELECT count(*) FROM tombstones"), 2);

    // Fifty days on the feed still lists `a` but no longer `b`.
    let t1 = t0 + 50 * DAY;
    s.store_feed_update(f, &update(t1, vec![listed[0].clone(), listed[2].clone()]))
        .unwrap();
    s.apply_retention(&keep_one, t1).unwrap();
    assert_eq!(count(&s, "SELECT count(*) FROM tombstones"), 2, "too early");

    // 91 days after `b` was last listed (no age limit set: 90 days), its tombstone goes; `a`'s
    // stays, listed 41 days ago, so `a` does not come back as unread.
    let t2 = t0 + 91 * DAY;
    s.apply_retention(&keep_one, t2).unwrap();
    let keys: Vec<String> = s
        .conn
        .prepare("SELECT key FROM tombstones")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(keys, vec!["a"]);
    let back = s.store_feed_update(f, &update(t2, listed.clone())).unwrap();
    assert_eq!(
        back.new_items, 1,
        "only `b`, whose tombstone expired, is stored again"
    );

    // With an age limit, tombstones last that long.
    let t3 = t2 + 11 * DAY;
    let ten_days = RetentionPolicy {
        max_age_days: Some(10),
        ..keep_one
    };
    s.apply_retention(&ten_days, t3).unwrap();
    assert_eq!(
        count(&s, "SELECT count(*) FROM tombstones WHERE key = 'a'"),
        0
    );
}

#[test]
fn digests_of_an_older_format_are_recomputed_keeping_read_state() {
    let (_d, mut s) = temp_store();
    let a = s.add_feed("https://a.test/", Some("A"), &[]).unwrap();
    let b = s.add_feed("https://b.test/", Some("B"), &[]).unwrap();
    store(
        &mut s,
        a,
        DAY,
        vec![with_link("a", "Railway A", "https://news.test/rail", DAY)],
    );
    store(
        &mut s,
        b,
        DAY,
        vec![with_link("b", "Railway B", "https://news.test/rail", DAY)],
    );
    assert_eq!(all_titles(&s), vec!["Railway A"]);

    // What an older format left: no story, and the older version number.
    s.conn
        .execute_batch(
            "UPDATE items SET story = NULL; DELETE FROM story_keys; \
             UPDATE store_meta SET value = 0 WHERE key = 'digest_version';",
        )
        .unwrap();
    let copy = s
        .conn
        .query_row("SELECT id FROM items WHERE key = 'b'", [], |r| r.get(0))
        .unwrap();
    s.set_read_many(&[copy], true).unwrap();
    // The leader waits as a changed item: it must find its story again all the same.
    let lead: i64 = s
        .conn
        .query_row("SELECT id FROM items WHERE key = 'a'", [], |r| r.get(0))
        .unwrap();
    s.conn
        .execute(
            "INSERT INTO digest_pending (item_id, is_new) VALUES (?1, 0)",
            [lead],
        )
        .unwrap();

    // The pass finds the old version, queues every item again, and the cache stays readable
    // until it has caught up.
    assert!(s.requeue_stale_digests().unwrap());
    assert_eq!(all_titles(&s), vec!["Railway A", "Railway B"]);
    assert_eq!(count(&s, "SELECT count(*) FROM digest_pending"), 2);
    assert_eq!(
        count(&s, "SELECT count(*) FROM digest_pending WHERE is_new = 0"),
        0,
        "no item waits as merely changed"
    );
    assert!(!s.requeue_stale_digests().unwrap(), "queued once");
    assert_eq!(
        crate::digests::digest_pending(&mut s, 2, |_| Ok(false)).unwrap(),
        2
    );
    assert_eq!(all_titles(&s), vec!["Railway A"]);
    let read: bool = s
        .conn
        .query_row("SELECT read FROM items WHERE id = ?1", [copy], |r| r.get(0))
        .unwrap();
    assert!(read, "recomputing a digest does not change what was read");
    assert_eq!(
        count(
            &s,
            "SELECT value FROM store_meta WHERE key = 'digest_version'"
        ),
        i64::from(crate::content::dedup::DIGEST_VERSION)
    );
}

#[test]
fn schema_17_lists_the_keys_an_older_cache_holds_and_deletes_find_them_there() {
    let (_dir, path) = cache_at(
        16,
        "INSERT INTO items (id, feed_id, key, hash, sort_time, first_seen, title)
             VALUES (1, 1, 'k1', 0, 10, 10, 'one'), (2, 1, 'k2', 0, 20, 20, 'two');
         INSERT INTO story_keys (key, item_id) VALUES
             (-9223372036854775808, 1), (7, 1), (7, 2), (9223372036854775807, 2);",
    );
    let s = Store::open(&path).unwrap();
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM sqlite_master WHERE name = 'story_keys_item'"
        ),
        0,
        "the second index is gone"
    );
    assert_eq!(count(&s, "SELECT count(*) FROM story_key_lists"), 2);
    s.conn
        .execute("DELETE FROM items WHERE id = 1", [])
        .unwrap();
    let left: Vec<(i64, i64)> = s
        .conn
        .prepare("SELECT key, item_id FROM story_keys ORDER BY key")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(left, vec![(7, 2), (i64::MAX, 2)]);
    assert_eq!(count(&s, "SELECT count(*) FROM story_key_lists"), 1);
}
