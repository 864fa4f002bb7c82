//! Two connections on one file, as when the reader is open while a cron `tidings fetch` runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crate::model::{ItemQuery, View};
use crate::store::Store;
use crate::store::testutil::{item, update};

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

    let writer_path = path.clone();
    let writer_feeds = feeds.clone();
    // The writer goes on until the reader has done some rounds of its own while it wrote.
    let reader_rounds = Arc::new(AtomicUsize::new(0));
    let seen = reader_rounds.clone();
    let writer = thread::spawn(move || {
        let mut s = Store::open(&writer_path).unwrap();
        let mut round = 0i64;
        while round < 40 || (seen.load(Ordering::SeqCst) < 20 && round < 5000) {
            round += 1;
            for &f in &writer_feeds {
                let items = (0..20)
                    .map(|i| {
                        item(
                            &format!("{f}-{}", round + i),
                            &format!("r{round} i{i}"),
                            Some(round * 100 + i),
                        )
                    })
                    .collect();
                s.store_feed_update(f, &update(round, items)).unwrap();
            }
            s.index_pending(200).unwrap();
        }
    });
    let mut reader = Store::open(&path).unwrap();
    let mut marked = 0;
    while !writer.is_finished() {
        let heads = reader
            .headlines(&ItemQuery::new(View::Unread), 0, 10)
            .unwrap();
        let ids: Vec<i64> = heads.iter().map(|h| h.id).collect();
        reader.set_read_many(&ids, true).unwrap();
        if let Some(h) = heads.first() {
            reader.set_starred(h.id, true).unwrap();
        }
        marked += ids.len();
        reader_rounds.fetch_add(1, Ordering::SeqCst);
        reader.feeds().unwrap();
        reader
            .apply_retention(
                &crate::store::RetentionPolicy {
                    max_items_per_feed: Some(30),
                    ..Default::default()
                },
                0,
            )
            .unwrap();
    }
    writer.join().unwrap();
    assert!(marked > 0, "the reader did work while the writer ran");
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
