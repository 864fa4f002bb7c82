use crate::model::{ItemQuery, View};
use crate::store::RetentionPolicy;
use crate::store::testutil::{item, temp_store, update};

const DAY: i64 = 86_400;

#[test]
fn retention_leaves_tombstones_that_keep_items_away() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    let now = 100 * DAY;
    // Ten items, one a day, the newest yesterday.
    let items: Vec<_> = (0..10)
        .map(|i| {
            item(
                &format!("k{i}"),
                &format!("t{i}"),
                Some(now - (10 - i) * DAY),
            )
        })
        .collect();
    s.store_feed_update(f, &update(now, items.clone())).unwrap();
    s.index_pending(100).unwrap();
    let heads = s
        .headlines(
            &ItemQuery {
                oldest_first: true,
                ..ItemQuery::new(View::Feed(f))
            },
            0,
            10,
        )
        .unwrap();
    // t0 unread+starred, t1 read+starred, all others read.
    s.set_starred(heads[0].id, true).unwrap();
    s.set_starred(heads[1].id, true).unwrap();
    s.set_read_many(&heads[1..].iter().map(|h| h.id).collect::<Vec<_>>(), true)
        .unwrap();

    // Nothing to do under the default policy.
    assert_eq!(
        s.apply_retention(&RetentionPolicy::default(), now).unwrap(),
        0
    );

    // Older than 5 days: t0..t4 (days 10..6 ago), but t0 and t1 are protected.
    let by_age = RetentionPolicy {
        max_age_days: Some(5),
        ..RetentionPolicy::default()
    };
    assert_eq!(s.apply_retention(&by_age, now).unwrap(), 3);
    assert_eq!(s.item_total().unwrap(), 7);
    assert!(s.item(heads[2].id).is_err());

    // Keep the newest 3: t5, t6 go; t0 and t1 stay protected.
    let by_count = RetentionPolicy {
        max_items_per_feed: Some(3),
        ..RetentionPolicy::default()
    };
    assert_eq!(s.apply_retention(&by_count, now).unwrap(), 2);
    let left: Vec<String> = s
        .headlines(&ItemQuery::new(View::Feed(f)), 0, 10)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    assert_eq!(left, ["t9", "t8", "t7", "t1", "t0"]);

    // Unprotected: only the newest 3 stay.
    let strict = RetentionPolicy {
        max_items_per_feed: Some(3),
        max_age_days: None,
        keep_unread: false,
        keep_starred: false,
    };
    assert_eq!(s.apply_retention(&strict, now).unwrap(), 2);
    assert_eq!(s.feed(f).unwrap().items, 3);
    assert_eq!(s.feed(f).unwrap().unread, 0);
    assert_eq!(s.starred_total().unwrap(), 0);
    let tombstones: i64 = s
        .conn
        .query_row("SELECT count(*) FROM tombstones", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tombstones, 7);
    let bodies: i64 = s
        .conn
        .query_row("SELECT count(*) FROM item_bodies", [], |r| r.get(0))
        .unwrap();
    assert_eq!(bodies, 3, "removed items lose their bodies");

    // The feed still lists every item: none comes back, as unread or otherwise.
    let stats = s.store_feed_update(f, &update(now + 10, items)).unwrap();
    assert_eq!((stats.new_items, stats.updated_items), (0, 0));
    assert_eq!(s.feed(f).unwrap().items, 3);
    assert_eq!(s.unread_total().unwrap(), 0);
    // Nor does it show up in search.
    let q = ItemQuery::new(View::Search("t0".into()));
    assert_eq!(s.count(&q).unwrap(), 0);
    assert_eq!(s.integrity_check().unwrap(), "ok");
}
