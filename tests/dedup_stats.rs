//! Feed statistics kept by the cache as items are stored, on a real SQLite file: lines that the
//! stored items share become boilerplate for the next item, and the reader's worker folds them.

use tidings::content::dedup::{DedupOptions, FeedStats, FoldReason};
use tidings::content::{self, fold};
use tidings::model::{BodyKind, ParsedFeed, ParsedItem};
use tidings::store::{FeedUpdate, Store};

const SHARE: &str = "Share this on Mastodon or by email";
const PROMO: &str = "Support local news: become a member of the Gazette today";

const NEWS: [&str; 6] = [
    "The bakery on Quay Street reopened after a fire last winter destroyed its ovens and most of the shop.",
    "Tide tables for the coming month are posted at the lifeboat station, which also offers free tours.",
    "A rare orchid flowered in the churchyard, drawing visitors from three counties with their cameras.",
    "Road works on the coast road finish on Friday, two weeks later than planned because of the rain.",
    "The choir won its first regional prize with a programme of sea shanties and two new songs.",
    "Fishermen landed the season's first mackerel on Saturday, and prices at the market fell by half.",
];

fn item(i: usize) -> ParsedItem {
    ParsedItem {
        key: format!("k{i}"),
        guid: Some(format!("k{i}")),
        link: Some(format!("https://gazette.example/{i}")),
        title: format!("Story {i}"),
        author: None,
        published: Some(1_000 + i as i64),
        content: format!("<p>{SHARE}</p><p>{}</p><p>{PROMO}</p>", NEWS[i]),
        content_kind: BodyKind::Html,
        base: None,
        enclosures: Vec::new(),
    }
}

fn stored_stats(store: &Store, feed: i64) -> Option<FeedStats> {
    store
        .feed_stats(feed)
        .unwrap()
        .map(|s| FeedStats::from_counts(s.items, s.counts))
}

#[test]
fn five_stored_items_make_their_shared_lines_boilerplate_for_the_sixth() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let mut store = Store::open(&path).unwrap();
    let feed = store
        .add_feed("https://gazette.example/feed", None, &[])
        .unwrap();
    let parsed = ParsedFeed {
        items: (0..5).map(item).collect(),
        ..ParsedFeed::default()
    };
    let fingerprints = tidings::digests::digest_parsed(&parsed).fingerprints;
    let update = FeedUpdate {
        fetched_at: 2_000,
        items: parsed.items,
        ..FeedUpdate::default()
    };
    store
        .store_feed_update_with(feed, &update, Some(&fingerprints))
        .unwrap();
    drop(store);

    // A new connection reads what the update kept.
    let store = Store::open(&path).unwrap();
    let stats = stored_stats(&store, feed).expect("statistics kept");
    assert_eq!(stats.items(), 5);
    let sixth = item(5);
    let doc = content::parse(&sixth.content, BodyKind::Html, None);
    let reasons = fold::fold_reasons(&doc, Some(&stats), &DedupOptions::default());
    assert_eq!(
        reasons,
        vec![
            Some(FoldReason::Boilerplate),
            None,
            Some(FoldReason::Boilerplate)
        ]
    );
    // Without the statistics nothing is boilerplate.
    assert_eq!(
        fold::fold_document(&doc, None, &DedupOptions::default()),
        vec![false; 3]
    );
}

#[test]
fn items_stored_without_fingerprints_leave_no_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let feed = store
        .add_feed("https://gazette.example/feed", None, &[])
        .unwrap();
    let update = FeedUpdate {
        fetched_at: 2_000,
        items: (0..5).map(item).collect(),
        ..FeedUpdate::default()
    };
    store.store_feed_update(feed, &update).unwrap();
    assert!(stored_stats(&store, feed).is_none());
}

#[test]
fn the_reader_worker_folds_an_opened_article_as_the_settings_say() {
    use tidings::app::msg::{Command, Msg};
    use tidings::session::worker::execute_with;

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let feed = store
        .add_feed("https://gazette.example/feed", None, &[])
        .unwrap();
    let parsed = ParsedFeed {
        items: (0..6).map(item).collect(),
        ..ParsedFeed::default()
    };
    let fingerprints = tidings::digests::digest_parsed(&parsed).fingerprints;
    let update = FeedUpdate {
        fetched_at: 2_000,
        items: parsed.items,
        ..FeedUpdate::default()
    };
    store
        .store_feed_update_with(feed, &update, Some(&fingerprints))
        .unwrap();
    let id = store.feeds().unwrap()[0].id;
    assert_eq!(id, feed);
    let newest: i64 = store
        .headlines(
            &tidings::model::ItemQuery::new(tidings::model::View::Feed(feed)),
            0,
            1,
        )
        .unwrap()[0]
        .id;
    let open = |opts: &DedupOptions| match execute_with(&store, Command::LoadArticle(newest), opts)
        .unwrap()
    {
        Some(Msg::ArticleLoaded(_, _, hidden)) => hidden,
        other => panic!("unexpected answer {other:?}"),
    };
    assert_eq!(open(&DedupOptions::default()), vec![true, false, true]);
    let off = DedupOptions {
        stories: true,
        within_article: true,
        boilerplate: false,
    };
    assert_eq!(open(&off), vec![false; 3]);
}
