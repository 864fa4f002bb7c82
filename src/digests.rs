//! The deduplication digests: what each item's body contributes to its feed's statistics, the
//! story it belongs to, and its search text, all from one parse of the body. Items are stored
//! first (so they are readable at once) and digested after, feed by feed, on one thread per core
//! (at most three: see [`worker_count`]) while the writer records the results ([`DigestPass`]); a
//! fetch digests each feed as soon as it is stored, while other feeds still download.

mod pass;
pub mod priority;

pub use pass::{DigestPass, digest_pending, digest_pending_with, worker_count};

use crate::content::dedup::{DigestInput, ItemDigest, Piece, PieceKind, StoryInfo, digest_feed};
use crate::content::{self, fold};
use crate::model::{BodyKind, ParsedFeed};
use crate::store::{IndexEntry, ItemDigests, ParsedBody, PendingItem, STATS_WINDOW};

/// One body to digest, borrowed from a stored item or a fresh download.
struct Body<'a> {
    title: &'a str,
    link: Option<&'a str>,
    guid: Option<&'a str>,
    content: &'a str,
    kind: BodyKind,
    base: Option<&'a str>,
    /// Whether its searchable text is wanted too.
    searched: bool,
    /// What a parse of it gave already (an article the page fetcher extracted), if known.
    parsed: Option<&'a ParsedBody>,
}

/// What one parse of a body gives: the text and kind of each block, and the searchable text
/// when it was wanted.
type Parsed = (Vec<(String, PieceKind)>, Option<String>);

/// The blocks and searchable text of one body: from its parse already made when there is one,
/// else from parsing it now.
fn parse_for_digest(b: &Body<'_>) -> Parsed {
    if let Some(p) = b.parsed {
        return (p.pieces.clone(), b.searched.then(|| p.search_text.clone()));
    }
    let doc = parse_body(b);
    let search = b
        .searched
        .then(|| content::link_refs::searchable_text(&doc));
    (fold::block_texts(&doc), search)
}

/// Digests of one feed's bodies, in order, each with the body's searchable text when the body
/// asked for it: each body parsed once, its blocks giving both (see
/// [`content::link_refs::searchable_text`]); statistics over these bodies themselves decide
/// which lines recur (see [`digest_feed`]). A body whose parse panics gets `None` for both (the
/// panic is caught quietly and logged) and the others go on without it; if the digest of the
/// whole feed panics, every body gets no digest (their searchable texts stay).
fn digest_bodies(bodies: &[Body<'_>]) -> Vec<(Option<ItemDigest>, Option<String>)> {
    let mut parsed: Vec<Option<Parsed>> = bodies
        .iter()
        .map(|b| crate::feed::catch_quietly(|| parse_for_digest(b)))
        .collect();
    let (kept, inputs): (Vec<usize>, Vec<DigestInput>) = bodies
        .iter()
        .zip(&parsed)
        .enumerate()
        .filter_map(|(at, (b, parsed))| {
            let (blocks, _) = parsed.as_ref()?;
            Some((
                at,
                DigestInput {
                    pieces: blocks.iter().map(|(t, k)| Piece::new(t, *k)).collect(),
                    link: b.link,
                    guid: b.guid,
                    title: b.title,
                },
            ))
        })
        .unzip();
    let digests = crate::feed::catch_quietly(|| digest_feed(&inputs, STATS_WINDOW));
    drop(inputs);
    let mut out: Vec<(Option<ItemDigest>, Option<String>)> = parsed
        .iter_mut()
        .map(|p| (None, p.as_mut().and_then(|(_, search)| search.take())))
        .collect();
    if let Some(digests) = digests {
        for (at, d) in kept.into_iter().zip(digests) {
            out[at].0 = Some(d);
        }
    }
    out
}

/// Parses one body for its digest.
fn parse_body(b: &Body<'_>) -> content::Document {
    #[cfg(test)]
    if b.content.contains(tests::PANIC_BODY) {
        panic!("a body the digest cannot take (test)");
    }
    content::parse(b.content, b.kind, b.base)
}

/// What is recorded for an item whose digest failed: no fingerprint and no story keys, so it
/// leaves the queue (it is not tried again at every refresh), adds nothing to its feed's
/// statistics and joins no story. Also the story of an item of a feed set to `dedup = false`.
pub fn failed_story() -> StoryInfo {
    StoryInfo {
        link_key: None,
        guid_key: None,
        title_words: Vec::new(),
        signature: None,
    }
}

/// Digests of a feed's items waiting in the cache (newest first), ready to record; an item whose
/// digest failed is recorded empty (see [`failed_story`]) and named in the log. An item that
/// also waits for the search index gets its searchable text too, made from the same parse of
/// the body (the index is written with the digest, and the body is not read again for it).
pub fn digest_items(items: &[PendingItem]) -> Vec<ItemDigests> {
    digest_items_parsed(items, &[])
}

/// [`digest_items`], with what a parse of some of the bodies gave already (`parsed[k]` for
/// `items[k]`; missing or `None`: the body is parsed here).
pub fn digest_items_parsed(
    items: &[PendingItem],
    parsed: &[Option<ParsedBody>],
) -> Vec<ItemDigests> {
    let bodies: Vec<Body> = items
        .iter()
        .enumerate()
        .map(|(k, i)| Body {
            title: &i.title,
            link: i.link.as_deref(),
            guid: i.guid.as_deref(),
            content: i.content.as_str(),
            kind: i.kind,
            base: i.base.as_deref(),
            searched: i.to_index,
            parsed: parsed.get(k).and_then(Option::as_ref),
        })
        .collect();
    items
        .iter()
        .zip(digest_bodies(&bodies))
        .map(|(item, (d, text))| {
            // Without its text (the parse panicked) the item stays queued for the index, which
            // `Store::index_pending` tries again.
            let search = text.map(|text| IndexEntry::new(item.title.clone(), text, item.indexed));
            match d {
                Some(d) => ItemDigests {
                    id: item.id,
                    is_new: item.is_new,
                    requeued: item.requeued,
                    fingerprint: d.fingerprint.hashes().to_vec(),
                    story: d.story,
                    search,
                },
                None => {
                    tracing::error!(item = item.id, "digest failed; recorded without one");
                    ItemDigests {
                        id: item.id,
                        is_new: item.is_new,
                        requeued: item.requeued,
                        fingerprint: Vec::new(),
                        story: failed_story(),
                        search,
                    }
                }
            }
        })
        .collect()
}

/// What deduplication keeps of each item of a parsed download, in the feed's order: for storing a
/// feed together with its digests (`tidings add`), see [`Store::store_feed_update_with`].
#[derive(Debug, Default)]
pub struct Digests {
    /// What each item contributes to its feed's statistics.
    pub fingerprints: Vec<Vec<u64>>,
    /// What matches each item with the same story in other feeds.
    pub stories: Vec<StoryInfo>,
}

/// The digests of every item of a parsed download.
pub fn digest_parsed(parsed: &ParsedFeed) -> Digests {
    let bodies: Vec<Body> = parsed
        .items
        .iter()
        .map(|i| Body {
            title: &i.title,
            link: i.link.as_deref(),
            guid: i.guid.as_deref(),
            content: &i.content,
            kind: i.content_kind,
            base: i.base.as_deref(),
            searched: false,
            parsed: None,
        })
        .collect();
    let mut out = Digests::default();
    for ((d, _), item) in digest_bodies(&bodies).into_iter().zip(&parsed.items) {
        match d {
            Some(d) => {
                out.fingerprints.push(d.fingerprint.hashes().to_vec());
                out.stories.push(d.story);
            }
            None => {
                tracing::error!(key = %item.key, "digest failed; stored without one");
                out.fingerprints.push(Vec::new());
                out.stories.push(failed_story());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BodyKind, FeedId, ItemQuery, ParsedItem, View};
    use crate::store::FeedUpdate;
    use crate::store::Store;

    const STORY: &str = "<p>The regional parliament approved a plan on Thursday to reopen the old \
                         branch railway line to passenger trains within five years.</p><p>New \
                         stations will serve the mill village and the hospital, at a cost of forty \
                         million, after a campaign that lasted more than a decade.</p>";
    const SHARE: &str = "<p>Share this story with your friends and family today</p>";
    /// A body containing this makes the digest panic (test builds only).
    pub(super) const PANIC_BODY: &str = "<!-- tidings test: the digest panics here -->";

    fn item(key: &str, link: &str, body: &str) -> ParsedItem {
        ParsedItem {
            key: key.into(),
            guid: None,
            link: Some(link.into()),
            title: format!("Item {key}"),
            author: None,
            published: Some(1_000 + key.len() as i64),
            content: body.into(),
            content_kind: BodyKind::Html,
            base: None,
            enclosures: Vec::new(),
        }
    }

    #[test]
    fn the_search_text_comes_from_the_blocks_of_the_digest_parse() {
        let item = |to_index| PendingItem {
            id: 1,
            is_new: true,
            requeued: false,
            title: "Rail".into(),
            link: None,
            guid: None,
            content: "<p>Read <a href=\"https://a.test/x\">the report</a> today.</p>\
                      <script>var hidden = 1;</script><ul><li>One</li><li>Two</li></ul>"
                .into(),
            kind: BodyKind::Html,
            base: None,
            to_index,
            indexed: false,
        };
        let digests = digest_items(&[item(true)]);
        let entry = digests[0].search.as_ref().expect("an index entry");
        // The link's reference ("[1]") and the script are not words of the item.
        assert_eq!(entry.words, "read the report today one two");
        assert!(!digests[0].fingerprint.is_empty());
        assert!(digest_items(&[item(false)])[0].search.is_none());
    }

    #[test]
    fn a_body_parsed_already_is_not_parsed_again() {
        let item = PendingItem {
            id: 1,
            is_new: true,
            requeued: false,
            title: "Quay".into(),
            link: None,
            guid: None,
            content: "<p>The stored article's HTML.</p>".into(),
            kind: BodyKind::Html,
            base: None,
            to_index: true,
            indexed: false,
        };
        // What the page fetcher's walk gave: taken as it is, the HTML left unparsed.
        let parsed = ParsedBody {
            pieces: vec![("From the walk of the page.".into(), PieceKind::Paragraph)],
            search_text: "From the walk of the page.".into(),
        };
        let with = digest_items_parsed(std::slice::from_ref(&item), &[Some(parsed)]);
        assert_eq!(
            with[0].search.as_ref().unwrap().words,
            "from the walk of page"
        );
        let without = digest_items(&[item]);
        assert_eq!(
            without[0].search.as_ref().unwrap().words,
            "the stored article s html"
        );
        assert_ne!(with[0].fingerprint, without[0].fingerprint);
    }

    #[test]
    fn stored_items_are_digested_after_the_fact_into_statistics_and_stories() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let a = store.add_feed("https://a.test/", Some("A"), &[]).unwrap();
        let b = store.add_feed("https://b.test/", Some("B"), &[]).unwrap();
        // Feed A decorates every item with a share line; B carries A's first story plainly,
        // under its own address.
        let a_items: Vec<ParsedItem> = (0..4)
            .map(|i| {
                let body = if i == 0 {
                    format!("{STORY}{SHARE}")
                } else {
                    format!("<p>Local note {i} about the fair and the gardens in bloom.</p>{SHARE}")
                };
                item(&format!("a{i}"), &format!("https://a.test/{i}"), &body)
            })
            .collect();
        let up = |items| FeedUpdate {
            fetched_at: 2_000,
            items,
            ..FeedUpdate::default()
        };
        store.store_feed_update(a, &up(a_items)).unwrap();
        store
            .store_feed_update(b, &up(vec![item("b0", "https://b.test/rail", STORY)]))
            .unwrap();
        assert_eq!(store.feeds_pending_digests().unwrap(), vec![a, b]);
        assert!(
            store.feed_stats(a).unwrap().is_none(),
            "nothing digested yet"
        );

        assert_eq!(digest_pending(&mut store, 2, |_| Ok(false)).unwrap(), 5);
        assert!(store.feeds_pending_digests().unwrap().is_empty());
        assert_eq!(
            digest_pending(&mut store, 2, |_| Ok(false)).unwrap(),
            0,
            "the queue is empty"
        );
        assert_eq!(store.feed_stats(a).unwrap().unwrap().items, 4);
        let q = ItemQuery {
            one_per_story: true,
            ..ItemQuery::new(View::All)
        };
        let rows = store.headlines(&q, 0, 10).unwrap();
        assert_eq!(rows.len(), 4, "B's copy is listed under A's item");
        let lead = rows.iter().find(|h| h.title == "Item a0").unwrap();
        assert_eq!(lead.also_in, vec!["B"]);
    }

    /// Feed A: a story and a body that panics the digest; feed B: the same story.
    fn store_with_a_panicking_body(dir: &std::path::Path) -> (Store, FeedId) {
        let mut store = Store::open(&dir.join("cache.db")).unwrap();
        let a = store.add_feed("https://a.test/", Some("A"), &[]).unwrap();
        let b = store.add_feed("https://b.test/", Some("B"), &[]).unwrap();
        let up = |items| FeedUpdate {
            fetched_at: 2_000,
            items,
            ..FeedUpdate::default()
        };
        let bad = format!("<p>Broken</p>{PANIC_BODY}");
        let a_items = vec![
            item("a0", "https://a.test/0", STORY),
            item("a11", "https://a.test/1", &bad),
        ];
        store.store_feed_update(a, &up(a_items)).unwrap();
        store
            .store_feed_update(b, &up(vec![item("b0", "https://b.test/rail", STORY)]))
            .unwrap();
        (store, a)
    }

    #[test]
    fn a_panicking_body_is_recorded_as_failed_and_the_rest_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, a) = store_with_a_panicking_body(dir.path());
        assert_eq!(digest_pending(&mut store, 2, |_| Ok(false)).unwrap(), 3);
        assert!(
            store.feeds_pending_digests().unwrap().is_empty(),
            "the failed item left the queue"
        );
        assert_eq!(
            digest_pending(&mut store, 2, |_| Ok(false)).unwrap(),
            0,
            "nothing is tried again at the next refresh"
        );
        assert!(store.feed_stats(a).unwrap().is_some());
        let q = ItemQuery {
            one_per_story: true,
            ..ItemQuery::new(View::All)
        };
        let rows = store.headlines(&q, 0, 10).unwrap();
        let lead = rows.iter().find(|h| h.title == "Item a0").unwrap();
        assert_eq!(lead.also_in, vec!["B"], "the other items were digested");
        assert!(rows.iter().any(|h| h.title == "Item a11"));
    }

    #[test]
    fn the_digest_pass_indexes_what_it_digests_from_the_body_it_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let a = store.add_feed("https://a.test/", Some("A"), &[]).unwrap();
        let items = vec![
            item("a0", "https://a.test/0", STORY),
            item(
                "a1",
                "https://a.test/1",
                "<p>The <b>lighthouse</b> keeper retired.</p>",
            ),
        ];
        let up = FeedUpdate {
            fetched_at: 2_000,
            items,
            ..FeedUpdate::default()
        };
        store.store_feed_update(a, &up).unwrap();
        assert_eq!(store.pending_index().unwrap(), 2);
        // No idle work: whatever gets indexed, the digest pass indexed.
        assert_eq!(digest_pending(&mut store, 2, |_| Ok(false)).unwrap(), 2);
        assert_eq!(
            store.pending_index().unwrap(),
            0,
            "indexed with the digests"
        );
        let q = ItemQuery::new(View::Search("\"lighthouse keeper\"".into()));
        let hits: Vec<String> = store
            .headlines(&q, 0, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.title)
            .collect();
        assert_eq!(hits, ["Item a1"]);
    }

    #[test]
    fn a_panicking_body_in_a_download_gets_an_empty_digest() {
        let feed = ParsedFeed {
            items: vec![
                item("a0", "https://a.test/0", STORY),
                item("a1", "https://a.test/1", PANIC_BODY),
            ],
            ..ParsedFeed::default()
        };
        let d = digest_parsed(&feed);
        assert_eq!(d.fingerprints.len(), 2);
        assert!(!d.fingerprints[0].is_empty() && d.fingerprints[1].is_empty());
        assert_eq!(d.stories[1], failed_story());
    }

    /// Run by `a_caught_digest_panic_prints_nothing` in a process of its own.
    #[test]
    #[ignore = "run in a child process by a_caught_digest_panic_prints_nothing"]
    fn child_digests_a_panicking_body() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = store_with_a_panicking_body(dir.path());
        assert_eq!(digest_pending(&mut store, 2, |_| Ok(false)).unwrap(), 3);
        println!("child done");
    }

    #[test]
    fn a_caught_digest_panic_prints_nothing() {
        // The panic hook is the process's: run the digest in a child test process whose output
        // is not captured, and read what it wrote.
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "digests::tests::child_digests_a_panicking_body",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "child failed: {stdout}\n{stderr}");
        assert!(stdout.contains("child done"), "the child ran: {stdout}");
        assert!(
            !stderr.contains("panicked") && !stdout.contains("panicked"),
            "panic text reached the screen: {stderr}"
        );
    }
}
