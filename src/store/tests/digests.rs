//! Recording digests: only for an item that still waits for one, in the feed it belongs to.

use crate::content::dedup::StoryInfo;
use crate::model::ItemId;
use crate::store::testutil::{item, temp_store, update};
use crate::store::{ItemDigests, Store};

const NOW: i64 = 1_700_000_000;

fn digest(id: ItemId) -> ItemDigests {
    ItemDigests {
        id,
        is_new: true,
        requeued: false,
        fingerprint: vec![11, 12, 13],
        story: StoryInfo::new(None, None, "A title", "A body of a few words."),
        search: None,
    }
}

/// How many items the feed's statistics count, and how many fingerprints are kept in all.
fn counted(s: &Store, feed: i64) -> (u32, i64) {
    let items = s.feed_stats(feed).unwrap().map_or(0, |st| st.items);
    let prints = s
        .conn
        .query_row("SELECT count(*) FROM item_fingerprints", [], |r| r.get(0))
        .unwrap();
    (items, prints)
}

#[test]
fn a_digest_counts_once_and_never_for_an_item_gone_or_of_another_feed() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    let g = s.add_feed("https://b.test/", None, &[]).unwrap();
    let items = vec![item("a", "One", Some(NOW)), item("b", "Two", Some(NOW))];
    s.store_feed_update(f, &update(NOW, items)).unwrap();
    let ids: Vec<ItemId> = s.pending_digests(f).unwrap().iter().map(|p| p.id).collect();
    let (a, b) = (ids[0], ids[1]);

    // Given as another feed's: not recorded, and still waiting.
    s.record_digests(g, &[digest(a)]).unwrap();
    assert_eq!(counted(&s, g), (0, 0));
    assert_eq!(s.pending_digests(f).unwrap().len(), 2);
    // Recorded once, however often it comes.
    s.record_digests(f, &[digest(a)]).unwrap();
    s.record_digests(f, &[digest(a)]).unwrap();
    assert_eq!(counted(&s, f), (1, 1));
    // Deleted before its digest came: nothing of it is kept.
    s.conn
        .execute("DELETE FROM items WHERE id = ?1", [b])
        .unwrap();
    s.record_digests(f, &[digest(b)]).unwrap();
    assert_eq!(counted(&s, f), (1, 1));
    assert!(s.pending_digests(f).unwrap().is_empty());
}
