use crate::model::{ItemQuery, View};
use crate::store::testutil::{item, temp_store, update};
use crate::store::{FeedUpdate, StoreError};

fn tags(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn add_find_rename_tag_and_remove() {
    let (_d, mut s) = temp_store();
    let a = s
        .add_feed(
            "https://a.test/",
            None,
            &tags(&["news", " tech ", "news", ""]),
        )
        .unwrap();
    let b = s.add_feed("https://b.test/", Some("Beta"), &[]).unwrap();
    assert!(matches!(
        s.add_feed("https://a.test/", None, &[]),
        Err(StoreError::DuplicateFeed(u)) if u == "https://a.test/"
    ));
    let fa = s.feed(a).unwrap();
    assert_eq!(fa.title, "https://a.test/", "no title yet: the URL");
    assert_eq!(fa.tags, tags(&["news", "tech"]));

    let mut up = update(100, vec![item("1", "one", Some(50))]);
    up.title = Some("alpha".into());
    s.store_feed_update(a, &up).unwrap();
    up.title = Some("Feed's own".into());
    s.store_feed_update(b, &up).unwrap();
    assert_eq!(s.feed(a).unwrap().title, "alpha");
    assert_eq!(s.feed(b).unwrap().title, "Beta", "the user's title wins");
    let titles: Vec<String> = s.feeds().unwrap().into_iter().map(|f| f.title).collect();
    assert_eq!(titles, vec!["alpha", "Beta"], "sorted ignoring case");

    assert_eq!(s.find_feed(&a.to_string()).unwrap().unwrap().id, a);
    assert_eq!(s.find_feed("https://b.test/").unwrap().unwrap().id, b);
    assert_eq!(s.find_feed("alpha").unwrap().unwrap().id, a);
    assert!(s.find_feed("gamma").unwrap().is_none());

    s.set_feed_title(a, "Zed").unwrap();
    assert_eq!(s.feed(a).unwrap().title, "Zed");
    s.set_feed_tags(a, &tags(&["tech"])).unwrap();
    s.set_feed_tags(b, &tags(&["tech", "misc"])).unwrap();
    assert_eq!(
        s.tags().unwrap(),
        vec![("misc".into(), 1), ("tech".into(), 2)]
    );

    s.remove_feed(a).unwrap();
    assert!(matches!(s.feed(a), Err(StoreError::NoSuchFeed(_))));
    assert!(matches!(s.remove_feed(a), Err(StoreError::NoSuchFeed(_))));
    assert_eq!(s.item_total().unwrap(), 1);
    assert_eq!(s.feed_count().unwrap(), 1);
    assert_eq!(
        s.tags().unwrap(),
        vec![("misc".into(), 1), ("tech".into(), 1)]
    );
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn fetch_outcomes_are_recorded() {
    let (_d, mut s) = temp_store();
    let a = s.add_feed("https://a.test/", None, &[]).unwrap();
    let b = s.add_feed("https://b.test/", None, &[]).unwrap();
    let up = FeedUpdate {
        fetched_at: 10,
        etag: Some("\"e1\"".into()),
        last_modified: Some("Mon, 01 Jan 2024 00:00:00 GMT".into()),
        site_link: Some("https://a.test/site".into()),
        new_url: Some("https://a.test/moved".into()),
        items: vec![item("1", "one", None)],
        ..FeedUpdate::default()
    };
    s.store_feed_update(a, &up).unwrap();
    s.record_failure(a, 20, "timed out", Some(99)).unwrap();
    let f = s.feed(a).unwrap();
    assert_eq!(f.url, "https://a.test/moved");
    assert_eq!(f.site_link.as_deref(), Some("https://a.test/site"));
    assert_eq!(f.etag.as_deref(), Some("\"e1\""));
    assert_eq!((f.last_success, f.last_checked), (Some(10), Some(20)));
    assert_eq!(f.last_error.as_deref(), Some("timed out"));
    assert_eq!(f.retry_not_before, Some(99));
    assert_eq!(f.items, 1, "a failure keeps the items");

    s.record_not_modified(a, 30).unwrap();
    let f = s.feed(a).unwrap();
    assert_eq!(
        (f.last_success, f.last_checked, f.last_error),
        (Some(30), Some(30), None)
    );
    s.set_retry_not_before(a, None).unwrap();
    assert_eq!(s.feed(a).unwrap().retry_not_before, None);

    // Moving onto an address another feed has keeps the old address and stores the items.
    let clash = FeedUpdate {
        new_url: Some("https://a.test/moved".into()),
        ..update(40, vec![item("x", "x", None)])
    };
    assert_eq!(s.store_feed_update(b, &clash).unwrap().new_items, 1);
    assert_eq!(s.feed(b).unwrap().url, "https://b.test/");
    assert!(matches!(
        s.record_not_modified(999, 1),
        Err(StoreError::NoSuchFeed(999))
    ));
    assert!(matches!(
        s.store_feed_update(999, &up),
        Err(StoreError::NoSuchFeed(999))
    ));
}

#[test]
fn counters_follow_every_operation() {
    let (_d, mut s) = temp_store();
    let a = s.add_feed("https://a.test/", None, &tags(&["t"])).unwrap();
    let b = s
        .add_feed("https://b.test/", None, &tags(&["t", "u"]))
        .unwrap();
    let items = |n: usize| {
        (0..n)
            .map(|i| item(&i.to_string(), "x", Some(i as i64)))
            .collect()
    };
    s.store_feed_update(a, &update(100, items(5))).unwrap();
    s.store_feed_update(b, &update(100, items(3))).unwrap();
    let check = |s: &crate::store::Store, total: u64, unread: u64, starred: u64| {
        assert_eq!(s.item_total().unwrap(), total);
        assert_eq!(s.unread_total().unwrap(), unread);
        assert_eq!(s.starred_total().unwrap(), starred);
        let feeds = s.feeds().unwrap();
        assert_eq!(feeds.iter().map(|f| f.items).sum::<u64>(), total);
        assert_eq!(feeds.iter().map(|f| f.unread).sum::<u64>(), unread);
        // Counters agree with a plain count of the rows.
        let (rows, unread_rows): (i64, i64) = s
            .conn
            .query_row(
                "SELECT count(*), count(*) FILTER (WHERE read = 0) FROM items",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((rows as u64, unread_rows as u64), (total, unread));
    };
    check(&s, 8, 8, 0);
    let ids: Vec<i64> = s
        .headlines(&ItemQuery::new(View::Feed(a)), 0, 10)
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    s.set_read(ids[0], true).unwrap();
    s.set_read(ids[0], true).unwrap();
    check(&s, 8, 7, 0);
    s.set_starred(ids[1], true).unwrap();
    s.set_read_many(&ids[1..3], true).unwrap();
    check(&s, 8, 5, 1);
    s.set_read(ids[2], false).unwrap();
    check(&s, 8, 6, 1);
    assert_eq!(
        s.count(&ItemQuery {
            unread_only: true,
            ..ItemQuery::new(View::Feed(a))
        })
        .unwrap(),
        3
    );
    assert_eq!(s.count(&ItemQuery::new(View::Tag("u".into()))).unwrap(), 3);
    assert_eq!(
        s.count(&ItemQuery {
            unread_only: true,
            ..ItemQuery::new(View::Tag("t".into()))
        })
        .unwrap(),
        6
    );
    assert_eq!(
        s.count(&ItemQuery {
            unread_only: true,
            ..ItemQuery::new(View::Starred)
        })
        .unwrap(),
        0
    );
    let changed = s
        .mark_all_read(&ItemQuery::new(View::Tag("u".into())))
        .unwrap();
    assert_eq!(changed.len(), 3);
    check(&s, 8, 3, 1);
    let changed = s.mark_all_read(&ItemQuery::new(View::All)).unwrap();
    assert_eq!(changed.len(), 3);
    check(&s, 8, 0, 1);
    s.set_read_many(&changed, false).unwrap();
    check(&s, 8, 3, 1);
    s.remove_feed(b).unwrap();
    check(&s, 5, 3, 1);
    assert!(matches!(
        s.set_read(123_456, true),
        Err(StoreError::NoSuchItem(_))
    ));
}
