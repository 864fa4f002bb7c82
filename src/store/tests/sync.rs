use crate::model::{ItemQuery, View};
use crate::store::testutil::{item, temp_store};
use crate::store::{SyncChange, SyncedFeed, SyncedItem};

const ACCOUNT: &str = "miniflux http://127.0.0.1:1/ admin";

fn feed(remote: &str, url: &str, tags: &[&str]) -> SyncedFeed {
    SyncedFeed {
        remote_id: remote.to_string(),
        url: url.to_string(),
        title: format!("Feed {remote}"),
        site_link: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        error: None,
    }
}

fn synced(remote: &str, read: bool, starred: bool) -> SyncedItem {
    SyncedItem {
        remote_id: remote.to_string(),
        item: item(
            &format!("sync:{remote}"),
            &format!("Item {remote}"),
            Some(10),
        ),
        read,
        starred,
    }
}

#[test]
fn server_state_is_stored_without_queueing_and_local_marks_queue_for_the_account() {
    let (_d, mut s) = temp_store();
    let feeds = s
        .apply_synced_feeds(ACCOUNT, &[feed("7", "https://a.test/feed", &["News"])], 100)
        .unwrap();
    let f = feeds["7"];
    assert_eq!(s.feed(f).unwrap().tags, vec!["News".to_string()]);
    let page = vec![(f, synced("1", true, false)), (f, synced("2", false, true))];
    let stats = s
        .store_synced_page(ACCOUNT, &page, 100, &[("token", Some("2"))])
        .unwrap();
    assert_eq!(stats.new_items, 2);
    assert_eq!(
        s.queued_count(ACCOUNT).unwrap(),
        0,
        "the server's state is not a local change"
    );
    assert_eq!(
        s.sync_cursor(ACCOUNT, "token").unwrap().as_deref(),
        Some("2")
    );
    let rows = s.headlines(&ItemQuery::new(View::Feed(f)), 0, 10).unwrap();
    let by_title = |t: &str| rows.iter().find(|r| r.title == t).unwrap().clone();
    assert!(by_title("Item 1").read && !by_title("Item 1").starred);
    assert!(!by_title("Item 2").read && by_title("Item 2").starred);

    // Local marks queue, the last word per item and state winning.
    s.set_read(by_title("Item 2").id, true).unwrap();
    s.set_read(by_title("Item 1").id, false).unwrap();
    s.set_read(by_title("Item 1").id, true).unwrap();
    s.set_read(by_title("Item 1").id, false).unwrap();
    s.set_starred(by_title("Item 2").id, false).unwrap();
    let q = s.queued_changes(ACCOUNT).unwrap();
    assert_eq!(q.len(), 3, "{q:?}");
    let ids = |c: SyncChange| {
        q.by_change
            .iter()
            .find(|(k, _)| *k == c)
            .map(|(_, ids)| ids.clone())
            .unwrap_or_default()
    };
    assert_eq!(ids(SyncChange::Read), vec!["2".to_string()]);
    assert_eq!(ids(SyncChange::Unread), vec!["1".to_string()]);
    assert_eq!(ids(SyncChange::Unstarred), vec!["2".to_string()]);
    assert!(s.queued_changes("greader other").unwrap().is_empty());

    // While a change waits, the server's older state does not overwrite it.
    s.store_synced_page(ACCOUNT, &[(f, synced("1", true, false))], 200, &[])
        .unwrap();
    let rows = s.headlines(&ItemQuery::new(View::Feed(f)), 0, 10).unwrap();
    assert!(!rows.iter().find(|r| r.title == "Item 1").unwrap().read);

    s.drop_queued(ACCOUNT, q.up_to).unwrap();
    assert_eq!(s.queued_count(ACCOUNT).unwrap(), 0);
}

#[test]
fn a_feed_the_server_no_longer_lists_is_unsubscribed_and_a_local_one_is_adopted() {
    let (_d, s) = temp_store();
    let local = s.add_feed("https://b.test/feed", None, &[]).unwrap();
    let feeds = s
        .apply_synced_feeds(
            ACCOUNT,
            &[
                feed("1", "https://a.test/feed", &[]),
                feed("2", "https://b.test/feed", &["X"]),
            ],
            100,
        )
        .unwrap();
    assert_eq!(feeds["2"], local);
    assert_eq!(s.synced_feed_ids().unwrap().len(), 2);
    s.apply_synced_feeds(ACCOUNT, &[feed("2", "https://b.test/feed", &[])], 200)
        .unwrap();
    assert_eq!(s.feeds().unwrap().len(), 1);
    assert!(s.feed(feeds["1"]).is_err());
}

#[test]
fn mark_all_read_queues_the_items_it_marked_and_not_those_that_came_later() {
    let (_d, mut s) = temp_store();
    let f = s
        .apply_synced_feeds(ACCOUNT, &[feed("1", "https://a.test/feed", &[])], 100)
        .unwrap()["1"];
    let page = vec![
        (f, synced("10", false, false)),
        (f, synced("11", false, false)),
        (f, synced("12", true, false)),
    ];
    s.store_synced_page(ACCOUNT, &page, 100, &[]).unwrap();
    let marked = s.mark_all_read(&ItemQuery::new(View::All)).unwrap();
    assert_eq!(marked.len(), 2);
    // An item arriving after the user marked all read stays unread and is not sent.
    s.store_synced_page(ACCOUNT, &[(f, synced("13", false, false))], 200, &[])
        .unwrap();
    let q = s.queued_changes(ACCOUNT).unwrap();
    let mut read: Vec<String> = q
        .by_change
        .iter()
        .filter(|(c, _)| *c == SyncChange::Read)
        .flat_map(|(_, ids)| ids.clone())
        .collect();
    read.sort();
    assert_eq!(read, vec!["10".to_string(), "11".to_string()]);
    assert_eq!(q.len(), 2);
}
