//! Benchmarks of the SQLite cache: storing a full refresh (500 feeds x 50 items of ~5 KB HTML),
//! indexing it for search, stripping HTML, and the headline queries on a 100,000-item cache.
//!
//! Run with `cargo bench --bench store`; each figure is printed as time and throughput.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tidings::content::strip::strip_html;
use tidings::model::{BodyKind, ItemQuery, ParsedItem, View};
use tidings::store::{BatchEntry, FeedUpdate, Store};

const FEEDS: usize = 500;
const PER_FEED: usize = 50;

/// A small deterministic generator, so every run stores the same bytes.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A word of news prose: common words, now and then a number, so bodies compress like real
/// article HTML (about 2x with LZ4) and the search index sees a realistic vocabulary.
fn word(rng: &mut Rng) -> String {
    const WORDS: &[&str] = &[
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "that",
        "for",
        "it",
        "as",
        "was",
        "with",
        "be",
        "by",
        "on",
        "not",
        "he",
        "this",
        "are",
        "or",
        "his",
        "from",
        "at",
        "which",
        "but",
        "have",
        "an",
        "had",
        "they",
        "you",
        "were",
        "their",
        "one",
        "all",
        "we",
        "can",
        "her",
        "has",
        "there",
        "been",
        "if",
        "more",
        "when",
        "will",
        "would",
        "who",
        "so",
        "no",
        "government",
        "market",
        "people",
        "report",
        "company",
        "system",
        "policy",
        "research",
        "energy",
        "network",
        "release",
        "version",
        "security",
        "country",
        "minister",
        "election",
        "climate",
        "season",
        "team",
        "player",
        "court",
        "council",
        "school",
        "health",
        "hospital",
        "price",
        "growth",
        "industry",
        "software",
        "developer",
        "project",
        "community",
        "science",
        "museum",
        "river",
        "weather",
        "storm",
        "village",
        "budget",
        "program",
        "agreement",
        "statement",
        "official",
        "analysis",
        "economy",
        "investment",
        "technology",
        "platform",
        "service",
        "customer",
        "product",
        "launch",
        "announced",
        "reported",
        "according",
        "between",
        "during",
        "against",
        "however",
        "although",
        "several",
        "another",
        "because",
        "through",
        "including",
        "million",
        "percent",
        "yesterday",
        "morning",
        "evening",
        "weekend",
        "northern",
        "southern",
        "local",
    ];
    let w = WORDS[(rng.next() % WORDS.len() as u64) as usize];
    if rng.next().is_multiple_of(50) {
        format!("{w}{}", rng.next() % 1000)
    } else {
        w.to_string()
    }
}

/// About 5 KB of article HTML: paragraphs, links, emphasis, an entity or two, an image.
fn body(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(5500);
    while s.len() < 5000 {
        s.push_str("<p>");
        for i in 0..40 {
            let w = word(rng);
            match rng.next() % 20 {
                0 => s.push_str(&format!(
                    "<a href=\"https://example.test/{w}?q={i}\">{w}</a>"
                )),
                1 => s.push_str(&format!("<em>{w}</em>")),
                2 => s.push_str(&format!("{w} &amp;")),
                _ => s.push_str(&w),
            }
            s.push(' ');
        }
        s.push_str("</p>\n");
        if rng.next().is_multiple_of(4) {
            s.push_str("<figure><img src=\"/img/x.png\" alt=\"pic\"><figcaption>A figure</figcaption></figure>\n");
        }
    }
    s
}

fn feed_update(rng: &mut Rng, feed: usize, per_feed: usize, at: i64) -> FeedUpdate {
    let items = (0..per_feed)
        .map(|i| {
            let title: Vec<String> = (0..6).map(|_| word(rng)).collect();
            ParsedItem {
                key: format!("https://f{feed}.example.test/post/{i}"),
                guid: Some(format!("https://f{feed}.example.test/post/{i}")),
                link: Some(format!("https://f{feed}.example.test/post/{i}")),
                title: title.join(" "),
                author: Some("A. Writer".into()),
                published: Some(at - (rng.next() % 5_000_000) as i64),
                content: body(rng),
                content_kind: BodyKind::Html,
                base: None,
                enclosures: Vec::new(),
            }
        })
        .collect();
    FeedUpdate {
        fetched_at: at,
        title: Some(format!("Feed {feed}")),
        items,
        ..FeedUpdate::default()
    }
}

fn updates(feeds: usize, per_feed: usize) -> Vec<FeedUpdate> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..feeds)
        .map(|f| feed_update(&mut rng, f, per_feed, 1_800_000_000))
        .collect()
}

/// A cache file with `feeds` subscribed (every tenth tagged "ten") and nothing stored yet.
fn empty_store(dir: &tempfile::TempDir, feeds: usize) -> (Store, Vec<i64>) {
    let store = Store::open(&dir.path().join("bench.db")).unwrap();
    let ids = (0..feeds)
        .map(|f| {
            let tags = if f % 10 == 0 {
                vec!["ten".to_string()]
            } else {
                vec![]
            };
            store
                .add_feed(&format!("https://f{f}.example.test/feed"), None, &tags)
                .unwrap()
        })
        .collect();
    (store, ids)
}

/// The deduplication fingerprints a fetch's digest pass computes for `update`'s items.
fn fingerprints_of(update: &FeedUpdate) -> Vec<Vec<u64>> {
    let pending: Vec<tidings::store::PendingItem> = update
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| tidings::store::PendingItem {
            id: n as i64,
            is_new: true,
            requeued: false,
            title: i.title.clone(),
            link: i.link.clone(),
            guid: i.guid.clone(),
            content: i.content.as_str().into(),
            kind: i.content_kind,
            base: i.base.clone(),
            to_index: false,
            indexed: false,
        })
        .collect();
    tidings::digests::digest_items(&pending)
        .into_iter()
        .map(|d| d.fingerprint)
        .collect()
}

fn bench_storing(c: &mut Criterion) {
    let ups = updates(FEEDS, PER_FEED);
    let bytes: usize = ups
        .iter()
        .flat_map(|u| &u.items)
        .map(|i| i.content.len())
        .sum();
    println!(
        "refresh: {} items, {:.1} MB of HTML",
        FEEDS * PER_FEED,
        bytes as f64 / 1e6
    );
    let mut g = c.benchmark_group("store");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements((FEEDS * PER_FEED) as u64));

    g.bench_function("store_25k_items_new", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = tempfile::tempdir().unwrap();
                let (mut store, ids) = empty_store(&dir, FEEDS);
                let start = Instant::now();
                for (id, up) in ids.iter().zip(&ups) {
                    store.store_feed_update(*id, up).unwrap();
                }
                total += start.elapsed();
            }
            total
        })
    });

    g.bench_function("store_25k_items_new_batches_of_50_feeds", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = tempfile::tempdir().unwrap();
                let (mut store, ids) = empty_store(&dir, FEEDS);
                let pairs: Vec<BatchEntry<'_>> =
                    ids.iter().zip(&ups).map(|(id, u)| (*id, u, None)).collect();
                let start = Instant::now();
                for batch in pairs.chunks(50) {
                    store.store_feed_updates(batch).unwrap();
                }
                total += start.elapsed();
            }
            total
        })
    });

    // The same two runs keeping the feeds' deduplication statistics: the fingerprints are
    // computed on the parsing pool during a fetch, so only their storing is timed here. The
    // budget is 30% over the runs above.
    let fps: Vec<Vec<Vec<u64>>> = ups.iter().map(fingerprints_of).collect();
    g.bench_function("store_25k_items_new_with_dedup_stats", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = tempfile::tempdir().unwrap();
                let (mut store, ids) = empty_store(&dir, FEEDS);
                let start = Instant::now();
                for ((id, up), fp) in ids.iter().zip(&ups).zip(&fps) {
                    store.store_feed_update_with(*id, up, Some(fp)).unwrap();
                }
                total += start.elapsed();
            }
            total
        })
    });
    g.bench_function(
        "store_25k_items_new_batches_of_50_feeds_with_dedup_stats",
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let dir = tempfile::tempdir().unwrap();
                    let (mut store, ids) = empty_store(&dir, FEEDS);
                    let pairs: Vec<BatchEntry<'_>> = ids
                        .iter()
                        .zip(&ups)
                        .zip(&fps)
                        .map(|((id, u), f)| (*id, u, Some(f.as_slice())))
                        .collect();
                    let start = Instant::now();
                    for batch in pairs.chunks(50) {
                        store.store_feed_updates(batch).unwrap();
                    }
                    total += start.elapsed();
                }
                total
            })
        },
    );

    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = empty_store(&dir, FEEDS);
    for (id, up) in ids.iter().zip(&ups) {
        store.store_feed_update(*id, up).unwrap();
    }
    g.bench_function("store_25k_items_unchanged", |b| {
        b.iter(|| {
            for (id, up) in ids.iter().zip(&ups) {
                black_box(store.store_feed_update(*id, up).unwrap());
            }
        })
    });

    g.bench_function("index_pending_25k_items", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = tempfile::tempdir().unwrap();
                let (mut store, ids) = empty_store(&dir, FEEDS);
                for (id, up) in ids.iter().zip(&ups) {
                    store.store_feed_update(*id, up).unwrap();
                }
                let start = Instant::now();
                while store.index_pending(5000).unwrap() > 0 {}
                total += start.elapsed();
            }
            total
        })
    });
    g.finish();

    let mut g = c.benchmark_group("text");
    let html: String = ups[0].items.iter().map(|i| i.content.as_str()).collect();
    g.throughput(Throughput::Bytes(html.len() as u64));
    g.bench_function("strip_html", |b| {
        b.iter(|| black_box(strip_html(black_box(&html))))
    });
    g.finish();
}

fn bench_queries(c: &mut Criterion) {
    // 100,000 items: 500 feeds x 200 items (four refreshes' worth of 50 new items each).
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = empty_store(&dir, FEEDS);
    let mut rng = Rng(42);
    let start = Instant::now();
    for round in 0..4 {
        for (f, id) in ids.iter().enumerate() {
            let mut up = feed_update(&mut rng, f, PER_FEED, 1_800_000_000 + round);
            for it in &mut up.items {
                it.key.push_str(&format!("#{round}"));
            }
            store.store_feed_update(*id, &up).unwrap();
        }
    }
    println!("built a 100k-item cache in {:.1?}", start.elapsed());
    // Read two thirds of the items, star a few.
    let all = store
        .headlines(&ItemQuery::new(View::All), 0, 100_000)
        .unwrap();
    let read: Vec<i64> = all.iter().map(|h| h.id).filter(|id| id % 3 != 0).collect();
    store.set_read_many(&read, true).unwrap();
    for h in all.iter().step_by(97) {
        store.set_starred(h.id, true).unwrap();
    }
    let idx = Instant::now();
    while store.index_pending(2000).unwrap() > 0 {}
    println!("indexed 100k items in {:.1?}", idx.elapsed());

    let mut g = c.benchmark_group("query_100k");
    let q = |view| ItemQuery::new(view);
    let cases: Vec<(&str, ItemQuery, usize)> = vec![
        ("headlines_all_offset_0", q(View::All), 0),
        ("headlines_all_offset_99000", q(View::All), 99_000),
        ("headlines_unread_offset_0", q(View::Unread), 0),
        ("headlines_starred_offset_0", q(View::Starred), 0),
        ("headlines_feed_offset_0", q(View::Feed(ids[7])), 0),
        (
            "headlines_tag_50_feeds_offset_0",
            q(View::Tag("ten".into())),
            0,
        ),
        (
            "headlines_tag_50_feeds_offset_9000",
            q(View::Tag("ten".into())),
            9_000,
        ),
        (
            "headlines_search_offset_0",
            q(View::Search("storm budget".into())),
            0,
        ),
        (
            "headlines_search_rare_word_offset_0",
            q(View::Search("storm417".into())),
            0,
        ),
    ];
    for (name, query, offset) in &cases {
        g.bench_function(*name, |b| {
            b.iter(|| black_box(store.headlines(query, *offset, 50).unwrap()))
        });
    }
    // A search's ranked results are kept until the cache changes, so the cases above measure
    // paging through them. These compute them afresh: each step runs two different searches
    // (the second one replaces the first in the cache), so a step is two fresh searches.
    let fresh = |a: &str, b: &str| {
        (
            q(View::Search(a.into())),
            ItemQuery {
                one_per_story: true,
                ..q(View::Search(b.into()))
            },
        )
    };
    for (name, (a, b)) in [
        ("search_fresh_x2_one_word", fresh("storm", "budget")),
        (
            "search_fresh_x2_two_words",
            fresh("storm budget", "budget storm"),
        ),
        (
            "search_fresh_x2_quoted_phrase",
            fresh("\"storm budget\"", "\"budget storm\""),
        ),
        ("search_fresh_x2_rare_word", fresh("storm417", "storm418")),
    ] {
        println!(
            "{name}: {} and {} results",
            store.count(&a).unwrap(),
            store.count(&b).unwrap()
        );
        g.bench_function(name, |bch| {
            bch.iter(|| {
                black_box(store.headlines(&a, 0, 50).unwrap());
                black_box(store.headlines(&b, 0, 50).unwrap());
            })
        });
    }
    let deep = all[98_999].clone();
    g.bench_function("headlines_after_99000", |b| {
        b.iter(|| {
            black_box(
                store
                    .headlines_after(&q(View::All), Some((deep.sort_time, deep.id)), 50)
                    .unwrap(),
            )
        })
    });
    for (name, query) in [
        ("count_all", q(View::All)),
        ("count_unread", q(View::Unread)),
        ("count_tag", q(View::Tag("ten".into()))),
        ("count_search", q(View::Search("storm budget".into()))),
    ] {
        g.bench_function(name, |b| b.iter(|| black_box(store.count(&query).unwrap())));
    }
    g.bench_function("feeds_500", |b| {
        b.iter(|| black_box(store.feeds().unwrap()))
    });
    // Keeping the selection through S and H: where an item deep in a view sits.
    let middle = all[50_000].id;
    for (name, query) in [
        ("position_all_50000", q(View::All)),
        (
            "position_all_unread_only_50000",
            q(View::All).unread_only(true),
        ),
        ("position_tag_50_feeds", q(View::Tag("ten".into()))),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| black_box(store.position(&query, middle).unwrap()))
        });
    }
    g.bench_function("feed_latest_500", |b| {
        b.iter(|| black_box(store.feed_latest().unwrap()))
    });
    g.bench_function("data_version", |b| {
        b.iter(|| black_box(store.data_version().unwrap()))
    });
    g.bench_function("mark_read_toggle", |b| {
        b.iter(|| {
            store.set_read(all[10].id, false).unwrap();
            store.set_read(all[10].id, true).unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, bench_storing, bench_queries);
criterion_main!(benches);
