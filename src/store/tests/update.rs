use crate::model::{BodyKind, Enclosure, ItemQuery, View};
use crate::store::StoreError;
use crate::store::testutil::{item, temp_store, update};

#[test]
fn changed_item_is_updated_in_place_and_keeps_its_state() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    let stats = s
        .store_feed_update(
            f,
            &update(
                100,
                vec![item("k1", "first", Some(10)), item("k2", "two", None)],
            ),
        )
        .unwrap();
    assert_eq!((stats.new_items, stats.updated_items), (2, 0));
    let id = s.headlines(&ItemQuery::new(View::Feed(f)), 0, 10).unwrap()[1].id;
    assert_eq!(s.item(id).unwrap().key, "k1");
    s.set_read(id, true).unwrap();
    s.set_starred(id, true).unwrap();

    // Same content again: nothing written.
    let again = s
        .store_feed_update(
            f,
            &update(
                200,
                vec![item("k1", "first", Some(10)), item("k2", "two", None)],
            ),
        )
        .unwrap();
    assert_eq!((again.new_items, again.updated_items), (0, 0));

    let mut changed = item("k1", "first, corrected", Some(20));
    changed.content = "new body".into();
    changed.content_kind = BodyKind::Text;
    changed.enclosures = vec![Enclosure {
        url: "https://a.test/ep.mp3".into(),
        mime: Some("audio/mpeg".into()),
        length: Some(1234),
    }];
    let stats = s.store_feed_update(f, &update(300, vec![changed])).unwrap();
    assert_eq!((stats.new_items, stats.updated_items), (0, 1));
    let row = s.item(id).unwrap();
    assert_eq!(row.title, "first, corrected");
    assert_eq!(row.content, "new body");
    assert_eq!(row.content_kind, BodyKind::Text);
    assert_eq!(row.enclosures.len(), 1);
    assert_eq!(row.enclosures[0].length, Some(1234));
    assert_eq!(row.enclosures[0].mime.as_deref(), Some("audio/mpeg"));
    assert_eq!(
        (row.published, row.sort_time, row.first_seen),
        (Some(20), 20, 100)
    );
    assert!(row.read && row.starred, "state survives the update");
    // The item the feed dropped stays cached.
    assert_eq!(s.item_total().unwrap(), 2);
    assert_eq!(s.feed(f).unwrap().unread, 1);
}

#[test]
fn undated_items_sort_by_first_seen_in_feed_order() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    s.store_feed_update(
        f,
        &update(100, vec![item("a", "a", None), item("b", "b", None)]),
    )
    .unwrap();
    s.store_feed_update(
        f,
        &update(
            200,
            vec![
                item("new", "new", None),
                item("a", "a", None),
                item("b", "b", None),
            ],
        ),
    )
    .unwrap();
    s.store_feed_update(f, &update(300, vec![item("dated", "dated", Some(150))]))
        .unwrap();
    let titles: Vec<String> = s
        .headlines(&ItemQuery::new(View::Feed(f)), 0, 10)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    assert_eq!(titles, vec!["new", "dated", "a", "b"]);
    let oldest: Vec<String> = s
        .headlines(
            &ItemQuery {
                oldest_first: true,
                ..ItemQuery::new(View::All)
            },
            0,
            10,
        )
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    assert_eq!(oldest, vec!["b", "a", "dated", "new"]);
    let row = s
        .item(s.headlines(&ItemQuery::new(View::All), 0, 1).unwrap()[0].id)
        .unwrap();
    assert_eq!((row.published, row.sort_time), (None, 200));
}

#[test]
fn paging_and_views_agree() {
    let (_d, mut s) = temp_store();
    let feeds: Vec<i64> = (0..4)
        .map(|i| {
            let tag = if i % 2 == 0 { "even" } else { "odd" };
            s.add_feed(&format!("https://f{i}.test/"), None, &[tag.to_string()])
                .unwrap()
        })
        .collect();
    for (n, &f) in feeds.iter().enumerate() {
        // Interleaved times, with ties across feeds.
        let items = (0..25)
            .map(|i| {
                item(
                    &format!("{n}-{i}"),
                    &format!("{n}-{i}"),
                    Some(i * 3 + n as i64 % 2),
                )
            })
            .collect();
        s.store_feed_update(f, &update(1000, items)).unwrap();
    }
    for (i, id) in s
        .headlines(&ItemQuery::new(View::All), 0, 100)
        .unwrap()
        .iter()
        .enumerate()
    {
        if i % 3 == 0 {
            s.set_read(id.id, true).unwrap();
        }
    }
    for view in [
        View::All,
        View::Unread,
        View::Feed(feeds[1]),
        View::Tag("even".into()),
        View::Tag("odd".into()),
    ] {
        for unread_only in [false, true] {
            for oldest_first in [false, true] {
                let q = ItemQuery {
                    one_per_story: false,
                    view: view.clone(),
                    unread_only,
                    oldest_first,
                };
                let all = s.headlines(&q, 0, 1000).unwrap();
                assert_eq!(all.len() as u64, s.count(&q).unwrap(), "{q:?}");
                // Ordered, with no duplicates.
                for w in all.windows(2) {
                    let (a, b) = ((w[0].sort_time, w[0].id), (w[1].sort_time, w[1].id));
                    assert!(if oldest_first { a < b } else { a > b }, "{q:?}");
                }
                if unread_only || view == View::Unread {
                    assert!(all.iter().all(|h| !h.read));
                }
                // Offset pages and keyset pages give the same list.
                let mut paged = Vec::new();
                let mut keyset = Vec::new();
                let mut after = None;
                loop {
                    let page = s.headlines(&q, paged.len(), 7).unwrap();
                    let kpage = s.headlines_after(&q, after, 7).unwrap();
                    if page.is_empty() {
                        assert!(kpage.is_empty());
                        break;
                    }
                    after = kpage.last().map(|h| (h.sort_time, h.id));
                    paged.extend(page);
                    keyset.extend(kpage);
                }
                assert_eq!(paged, all, "{q:?}");
                assert_eq!(keyset, all, "{q:?}");
            }
        }
    }
    let tagged = s
        .headlines(&ItemQuery::new(View::Tag("odd".into())), 0, 1000)
        .unwrap();
    assert_eq!(tagged.len(), 50);
    assert!(
        tagged
            .iter()
            .all(|h| h.feed_id == feeds[1] || h.feed_id == feeds[3])
    );
    assert!(
        s.headlines(&ItemQuery::new(View::Tag("none".into())), 0, 10)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn items_of_feed_are_whole_and_newest_first() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    let items = (0..5)
        .map(|i| item(&i.to_string(), &format!("t{i}"), Some(i)))
        .collect();
    s.store_feed_update(f, &update(100, items)).unwrap();
    let rows = s.items_of_feed(f, 3).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(),
        ["t4", "t3", "t2"]
    );
    assert_eq!(rows[0].content, "<p>Body of <b>t4</b></p>");
    assert_eq!(rows[0].link.as_deref(), Some("https://example.test/4"));
}

#[test]
fn batched_updates_skip_a_feed_removed_meanwhile_and_store_the_others() {
    let (_d, mut s) = temp_store();
    let a = s.add_feed("https://a.test/", None, &[]).unwrap();
    let b = s.add_feed("https://b.test/", None, &[]).unwrap();
    let gone = s.add_feed("https://gone.test/", None, &[]).unwrap();
    s.remove_feed(gone).unwrap();
    let ua = update(
        100,
        vec![item("1", "a1", Some(1)), item("2", "a2", Some(2))],
    );
    let ub = update(100, vec![item("1", "b1", Some(3))]);
    let ug = update(100, vec![item("9", "g1", Some(4))]);
    // The removed feed sits between the others: it is skipped, they are stored.
    let stats = s
        .store_feed_updates(&[(a, &ua, None), (gone, &ug, None), (b, &ub, None)])
        .unwrap();
    assert_eq!(
        stats
            .iter()
            .map(|st| st.map(|st| st.new_items))
            .collect::<Vec<_>>(),
        [Some(2), None, Some(1)]
    );
    assert_eq!(s.item_total().unwrap(), 3);
    assert_eq!((s.feed(a).unwrap().items, s.feed(b).unwrap().items), (2, 1));
    assert_eq!(s.feed(b).unwrap().last_success, Some(100));
    assert!(matches!(s.feed(gone), Err(StoreError::NoSuchFeed(_))));
}

#[test]
fn an_insert_that_fails_loses_the_whole_batch_and_the_store_goes_on() {
    let (_d, mut s) = temp_store();
    let a = s.add_feed("https://a.test/", None, &[]).unwrap();
    let b = s.add_feed("https://b.test/", None, &[]).unwrap();
    // A constraint the code does not know of, so that storing `b`'s item fails midway, after
    // `a`'s items and their triggers' writes.
    s.conn
        .execute_batch("CREATE UNIQUE INDEX test_unique_title ON items(title)")
        .unwrap();
    let ua = update(
        100,
        vec![item("1", "a1", Some(1)), item("2", "shared", Some(2))],
    );
    let ub = update(100, vec![item("1", "shared", Some(3))]);
    let failed = s.store_feed_updates(&[(a, &ua, None), (b, &ub, None)]);
    assert!(
        failed.is_err(),
        "the second feed's insert fails: {failed:?}"
    );
    assert_eq!(s.item_total().unwrap(), 0, "none of the batch is kept");
    assert_eq!(s.feed(a).unwrap().items, 0, "nor its counts");
    // The connection is not left inside a dead transaction: the next store works.
    s.store_feed_update(a, &ua).unwrap();
    assert_eq!(s.item_total().unwrap(), 2);
    assert_eq!(s.feed(a).unwrap().items, 2);
    assert!(s.store_feed_update(b, &ub).is_err());
    assert_eq!(s.item_total().unwrap(), 2);
}
