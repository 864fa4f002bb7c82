//! Two connections on one file, as when the reader is open while a cron `tidings fetch` runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crate::model::{ItemQuery, View};
use crate::store::testutil::{item, update};
use crate::store::{RetentionPolicy, Store};

#[test]
fn a_writer_and_a_reader_on_one_file_corrupt_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let setup = Store::open(&path).unwrap();
    let feeds: Vec<i64> = (0..5)
        .map(|i| {
            setup
                .add_feed(&format!("https://f{i}.test/"), None, &[])
                .unwrap()
        })
        .collect();
    drop(setup);

    // The writer goes on (40 rounds at least) until the reader has marked items in 20 of its
    // rounds: SQLite's busy handler is not fair, so either side may wait out many of the
    // other's transactions.
    let marking_rounds = Arc::new(AtomicUsize::new(0));
    let seen = marking_rounds.clone();
    let writer_path = path.clone();
    let writer = thread::spawn(move || {
        let mut s = Store::open(&writer_path).unwrap();
        let mut round = 0i64;
        while round < 40 || (seen.load(Ordering::SeqCst) < 20 && round < 3000) {
            round += 1;
            for &f in &feeds {
                let items = (0..20)
                    .map(|i| {
                        let key = format!("{f}-{}", round + i);
                        item(&key, &format!("r{round} i{i}"), Some(round * 100 + i))
                    })
                    .collect();
                s.store_feed_update(f, &update(round, items)).unwrap();
            }
            s.index_pending(200).unwrap();
        }
        round
    });
    let mut reader = Store::open(&path).unwrap();
    let keep_30 = RetentionPolicy {
        max_items_per_feed: Some(30),
        ..RetentionPolicy::default()
    };
    let mut marked = 0;
    let mut rounds = 0;
    while !writer.is_finished() {
        rounds += 1;
        let heads = reader
            .headlines(&ItemQuery::new(View::Unread), 0, 10)
            .unwrap();
        let ids: Vec<i64> = heads.iter().map(|h| h.id).collect();
        reader.set_read_many(&ids, true).unwrap();
        if let Some(h) = heads.first() {
            reader.set_starred(h.id, true).unwrap();
        }
        if !ids.is_empty() {
            marked += ids.len();
            marking_rounds.fetch_add(1, Ordering::SeqCst);
        }
        reader.feeds().unwrap();
        reader.apply_retention(&keep_30, 0).unwrap();
    }
    let writer_rounds = writer.join().unwrap();
    assert!(
        marked > 0,
        "the reader marked nothing in {rounds} rounds while the writer did {writer_rounds}"
    );
    assert_eq!(reader.integrity_check().unwrap(), "ok");
    // Counters still agree with the rows.
    let (rows, unread): (i64, i64) = reader
        .conn
        .query_row(
            "SELECT count(*), count(*) FILTER (WHERE read = 0) FROM items",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(reader.item_total().unwrap(), rows as u64);
    assert_eq!(reader.unread_total().unwrap(), unread as u64);
}
