//! The headline queries must walk an index in list order: no full scan of `items`, no sort.
//! There is no ANALYZE here, so the plans hold without statistics.

use crate::model::{ItemQuery, View};
use crate::store::testutil::{item, temp_store, update};

#[test]
fn headline_queries_use_an_index_and_never_sort() {
    let (_d, mut s) = temp_store();
    let f = s
        .add_feed("https://a.test/", None, &["t".to_string()])
        .unwrap();
    let items = (0..200)
        .map(|i| item(&i.to_string(), "x", Some(i)))
        .collect();
    s.store_feed_update(f, &update(1000, items)).unwrap();
    let stat: i64 = s
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stat, 0, "plans must hold without ANALYZE");

    for view in [View::All, View::Unread, View::Starred, View::Feed(f)] {
        for (unread_only, oldest_first, one_per_story) in
            (0..8).map(|b| (b & 1 != 0, b & 2 != 0, b & 4 != 0))
        {
            {
                let q = ItemQuery {
                    one_per_story,
                    view: view.clone(),
                    unread_only,
                    oldest_first,
                };
                let plan = s.headline_plan(&q).unwrap();
                let text = plan.join(" | ");
                assert!(!text.contains("TEMP B-TREE"), "{q:?} sorts: {text}");
                let items_steps: Vec<&String> = plan
                    .iter()
                    .filter(|l| l.contains(" i ") || l.ends_with(" i"))
                    .collect();
                assert_eq!(items_steps.len(), 1, "{q:?}: {text}");
                assert!(
                    items_steps[0].contains("INDEX items_"),
                    "{q:?} does not use an index: {text}"
                );
                assert!(
                    text.contains("SEARCH x USING INTEGER PRIMARY KEY"),
                    "{q:?}: page rows must be read by id: {text}"
                );
                assert!(
                    !text.contains("SCAN x") && !text.contains("SCAN f"),
                    "{q:?}: {text}"
                );
            }
        }
    }
    // Each view picks the index made for it.
    let plan_of = |view: View, unread_only: bool| {
        s.headline_plan(&ItemQuery::new(view).unread_only(unread_only))
            .unwrap()
            .join(" | ")
    };
    let per_story = |view: View, unread_only: bool| {
        s.headline_plan(&ItemQuery {
            one_per_story: true,
            ..ItemQuery::new(view).unread_only(unread_only)
        })
        .unwrap()
        .join(" | ")
    };
    assert!(per_story(View::All, false).contains("items_lead_time"));
    assert!(per_story(View::All, true).contains("items_lead_read_time"));
    assert!(per_story(View::Unread, false).contains("items_lead_read_time"));
    assert!(plan_of(View::All, false).contains("items_time"));
    assert!(plan_of(View::Unread, false).contains("items_read_time"));
    assert!(plan_of(View::Starred, true).contains("items_starred_time"));
    assert!(plan_of(View::Feed(f), false).contains("items_feed_time"));
    assert!(plan_of(View::Feed(f), true).contains("items_feed_read_time"));
}

#[test]
fn counts_never_walk_the_items() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    let items = (0..200)
        .map(|i| item(&i.to_string(), "x", Some(i)))
        .collect();
    s.store_feed_update(f, &update(1000, items)).unwrap();
    for view in [View::All, View::Unread, View::Feed(f)] {
        for (unread_only, one_per_story) in
            [(false, false), (true, false), (false, true), (true, true)]
        {
            let q = ItemQuery {
                one_per_story,
                ..ItemQuery::new(view.clone()).unread_only(unread_only)
            };
            let plan = s.count_plan(&q).unwrap().join(" | ");
            assert!(!plan.contains("SCAN items"), "{q:?}: {plan}");
            // Copies of stories are counted from their own index, never from the unread one.
            if one_per_story && matches!(view, View::All | View::Unread) {
                assert!(plan.contains("items_story"), "{q:?}: {plan}");
                assert!(!plan.contains("items_read_time"), "{q:?}: {plan}");
            } else {
                assert!(
                    !plan.contains("items"),
                    "{q:?} reads the counters only: {plan}"
                );
            }
        }
    }
}
