//! Sync against a real Miniflux on loopback (see `tests/support/miniflux.rs`): the first sync of
//! 10,000 entries (10 feeds of 1,000 items of about 2 KB), until every item is stored, digested
//! and indexed, and a sync with nothing new. Targets: under 10 s and under 0.5 s.
//!
//! Run with `cargo bench --bench sync` after `scripts/sync-services`; without Miniflux or
//! PostgreSQL it prints SKIPPED. `SYNC_BENCH_FEEDS` and `SYNC_BENCH_ITEMS` (per feed) change the
//! size, `SYNC_BENCH_RUNS` the number of no-op syncs (default 9, the median is reported).

#[path = "../tests/support/miniflux.rs"]
mod miniflux;
#[path = "../tests/support/server.rs"]
mod server;

use std::time::{Duration, Instant};

use server::{Reply, TestServer};
use tidings::config::SyncSettings;
use tidings::sync::{Account, Server};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// An RSS document of `n` items with bodies of about 2 KB.
fn feed(f: usize, n: usize) -> String {
    let para = "The council met on Tuesday to discuss the harbour works, the ferry timetable and \
                the new cycle lanes along the river, and heard from residents at length. ";
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {f}</title><link>https://f{f}.example/</link>"
    );
    for i in 0..n {
        s.push_str(&format!(
            "<item><guid>f{f}-{i}</guid><title>Story {i} of feed {f}</title>\
             <link>https://f{f}.example/{i}</link><pubDate>Mon, 02 Nov 2026 10:{:02}:{:02} +0000</pubDate>\
             <description>&lt;p&gt;{}&lt;/p&gt;&lt;p&gt;Item {i}.&lt;/p&gt;</description></item>",
            (i / 60) % 60,
            i % 60,
            para.repeat(13)
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn main() {
    let Some(mf) = miniflux::Miniflux::start() else {
        return;
    };
    let (feeds, per_feed) = (
        env_usize("SYNC_BENCH_FEEDS", 10),
        env_usize("SYNC_BENCH_ITEMS", 1_000),
    );
    let runs = env_usize("SYNC_BENCH_RUNS", 9).max(1);
    let http = TestServer::start();
    for f in 0..feeds {
        let path = format!("/f{f}.xml");
        http.route(&path, Reply::ok(feed(f, per_feed)));
        mf.subscribe(&http.url(&path), "Bench");
    }
    let total = mf.get_json("/v1/entries?limit=1")["total"]
        .as_u64()
        .unwrap_or(0);
    println!("miniflux: {feeds} feeds, {total} entries");

    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join("cache.db");
    let settings = SyncSettings {
        server: "miniflux".into(),
        url: mf.url(),
        username: miniflux::USER.into(),
        // An API key: with a password, Miniflux checks a bcrypt hash on every request.
        password_command: Vec::new(),
        token_command: vec!["printf".into(), "%s".into(), mf.api_key()],
        ca_file: String::new(),
        days: 30,
    };
    let account = Account::from_settings(&settings).unwrap().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let sync = || {
        rt.block_on(async {
            let server = account.connect(Duration::from_secs(60)).unwrap();
            let _ = server.describe();
            tidings::sync::run(&server, &account.key(), &cache, account.days, &[], |_| {})
                .await
                .unwrap()
        })
    };

    let started = Instant::now();
    let first = sync();
    let first_secs = started.elapsed().as_secs_f64();
    let store = tidings::store::Store::open(&cache).unwrap();
    let q = tidings::model::ItemQuery::new(tidings::model::View::All);
    let readable = store.headlines(&q, 0, 1_000_000).unwrap().len();
    drop(store);
    println!(
        "first sync: stored (readable) after {:.2} s, digested after {:.2} s, indexed after {:.2} s",
        first.stored_secs, first.digested_secs, first.elapsed_secs
    );
    println!(
        "first sync: {first_secs:.2} s for {} entries ({} new, {} pages; {readable} readable) - target < 10 s: {}",
        first.items,
        first.new_items,
        first.pages,
        if first_secs < 10.0 { "met" } else { "MISSED" }
    );

    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let r = sync();
            assert_eq!(r.new_items, 0);
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "no-op sync: median {:.3} s, max {:.3} s over {runs} runs - target < 0.5 s: {}",
        median,
        times[times.len() - 1],
        if median < 0.5 { "met" } else { "MISSED" }
    );
}
