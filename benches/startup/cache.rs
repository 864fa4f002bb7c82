//! Builds a cache of N items once, through the library's own `Store` API, and keeps it under
//! `target/startup-bench/home-N/` so that later runs start at once.
//!
//! The shape: 1,000 feeds (2,000 from 500,000 items up) in 20 tags, 50 to a few hundred items
//! each (uneven), interleaved in time so that every global list mixes feeds; a third of the
//! feeds read, about one item in a thousand starred; ~1.2 KB HTML bodies drawn from a small pool
//! (bodies play no part in start-up; the pool keeps generation fast). The search index is left
//! pending: the reader does not touch it unless a search is typed.
//!
//! A kept cache is reused only if its schema is the one this build creates (and the generator
//! version matches); otherwise it is rebuilt.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tidings::model::{BodyKind, ItemQuery, ParsedItem, View};
use tidings::store::{FeedUpdate, Store};

/// Bump when the generated data changes, so kept caches are rebuilt.
const GENERATOR: &str = "startup-bench v1";
/// "Now" of the generated data (Unix seconds): items are dated before it.
pub const NOW: i64 = 1_796_040_000;
/// The reader's settings for the measurement: no network on start, no timer.
const CONFIG: &str = "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\n";

/// How many feeds hold `n` items.
fn feed_count(n: usize) -> usize {
    if n >= 500_000 { 2_000 } else { 1_000 }.min(n.max(1))
}

/// Items per feed: uneven (pairs of feeds at the average minus and plus a spread), summing to `n`.
fn feed_sizes(feeds: usize, n: usize) -> Vec<usize> {
    let avg = n / feeds;
    let mut sizes: Vec<usize> = (0..feeds)
        .map(|f| {
            let spread = avg.saturating_sub(50) * ((f / 2 * 37) % 100) / 100;
            if f % 2 == 0 {
                avg - spread
            } else {
                avg + spread
            }
        })
        .collect();
    let sum: usize = sizes.iter().sum();
    if let Some(last) = sizes.last_mut() {
        *last += n - sum;
    }
    sizes
}

/// What the headline pane shows of the newest item of all (item 0 of feed 0), however narrow.
pub fn newest_marker() -> String {
    let t = title(0, 0);
    t[..t.find(':').expect("a colon") + 1].to_string()
}

/// The title of item `j` of feed `f`; item 0 of feed 0 is the newest of all.
fn title(f: usize, j: usize) -> String {
    format!(
        "Headline {f}-{j}: a story of moderate length about topic {}",
        (f * 7 + j) % 91
    )
}

fn body_pool() -> Vec<String> {
    const WORDS: &[&str] = &[
        "harbour",
        "council",
        "weather",
        "results",
        "market",
        "library",
        "station",
        "bridge",
        "festival",
        "report",
        "science",
        "river",
        "school",
        "energy",
        "transport",
        "museum",
    ];
    (0..32)
        .map(|b| {
            let mut s = String::with_capacity(1400);
            let mut k = b;
            while s.len() < 1200 {
                s.push_str("<p>");
                for _ in 0..24 {
                    k = (k * 1_103_515_245 + 12_345) % 2_147_483_648;
                    s.push_str(WORDS[k % WORDS.len()]);
                    s.push(' ');
                }
                s.push_str("</p>\n");
            }
            s
        })
        .collect()
}

/// The schema of `path` and the generator version, as one text.
fn fingerprint(path: &Path) -> rusqlite::Result<String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let sql: Option<String> = conn.query_row(
        "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name)",
        [],
        |r| r.get(0),
    )?;
    Ok(format!("{GENERATOR}\n{}", sql.unwrap_or_default()))
}

/// The fingerprint a freshly made cache has with this build.
fn expected_fingerprint(dir: &Path) -> String {
    let probe = dir.join("probe.db");
    let _ = std::fs::remove_file(&probe);
    drop(Store::open(&probe).expect("create a probe cache"));
    let f = fingerprint(&probe).expect("read the probe schema");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", probe.display()));
    }
    f
}

/// Returns the home directory holding a cache of `n` items, building it if needed.
pub fn home(root: &Path, n: usize) -> PathBuf {
    let home = root.join(format!("home-{n}"));
    let db = home.join("cache.db");
    let stamp = home.join("fingerprint.txt");
    std::fs::create_dir_all(root).expect("create the bench folder");
    let want = expected_fingerprint(root);
    let have = std::fs::read_to_string(&stamp).ok();
    if db.exists() && have.as_deref() == Some(want.as_str()) {
        std::fs::write(home.join("config.toml"), CONFIG).expect("write config.toml");
        return home;
    }
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).expect("create the bench home");
    std::fs::write(home.join("config.toml"), CONFIG).expect("write config.toml");
    let t = Instant::now();
    build(&db, n);
    let got = fingerprint(&db).expect("read the built schema");
    assert_eq!(got, want, "the built cache has an unexpected schema");
    std::fs::write(&stamp, got).expect("write the fingerprint");
    let mb = std::fs::metadata(&db).map_or(0, |m| m.len()) / 1_000_000;
    println!(
        "built a cache of {n} items in {:.1} s ({mb} MB): {}",
        t.elapsed().as_secs_f64(),
        db.display()
    );
    home
}

fn build(db: &Path, n: usize) {
    let mut store = Store::open(db).expect("create the cache");
    let feeds = feed_count(n);
    let pool = body_pool();
    let mut next_star = 0usize;
    let mut seen = 0usize;
    for (f, size) in feed_sizes(feeds, n).into_iter().enumerate() {
        let tags = vec![format!("tag{:02}", f % 20)];
        let id = store
            .add_feed(&format!("https://feeds.example.test/{f}.xml"), None, &tags)
            .expect("add a feed");
        let items = (0..size)
            .map(|j| {
                let key = format!("https://feeds.example.test/{f}/{j}");
                ParsedItem {
                    key: key.clone(),
                    guid: Some(key.clone()),
                    link: Some(key),
                    title: title(f, j),
                    author: Some(format!("Writer {}", j % 13)),
                    published: Some(NOW - (j * feeds + f) as i64 * 37),
                    content: pool[(f * 31 + j) % pool.len()].clone(),
                    content_kind: BodyKind::Html,
                    base: None,
                    enclosures: Vec::new(),
                }
            })
            .collect();
        let update = FeedUpdate {
            stories: Vec::new(),
            fetched_at: NOW,
            title: Some(format!("Feed number {f} of the bench")),
            site_link: Some(format!("https://site{f}.example.test/")),
            new_url: None,
            etag: None,
            last_modified: None,
            items,
        };
        store.store_feed_update(id, &update).expect("store a feed");
        if f % 3 == 0 {
            store
                .mark_all_read(&ItemQuery::new(View::Feed(id)))
                .expect("mark a feed read");
        }
        // Item ids are given in insertion order from 1: star about one in a thousand.
        seen += size;
        while next_star < seen {
            store
                .set_starred(next_star as i64 + 1, true)
                .expect("star an item");
            next_star += 997;
        }
    }
    store.checkpoint().expect("checkpoint");
}
