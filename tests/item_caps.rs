//! Memory in proportion: one download yields at most `max_items_per_download` items (the newest by
//! date, document order when undated), one run adds at most `max_new_items_per_run` new items to a
//! feed, and large bodies wait for room in the fetcher's byte budget. Figures for memory itself
//! come from `benches/memory.sh`; these tests check the counts.

mod support;

use std::path::Path;
use std::time::Duration;

use support::cli::{stderr, tidings};
use support::server::{Reply, TestServer};
use tidings::fetch::{FetchConfig, FetchOutcome, FetchRequest, Fetcher};

/// A home whose config sets `[fetch]` keys.
fn home_with(fetch: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!("[fetch]\n{fetch}\n"),
    )
    .unwrap();
    home
}

/// An RSS feed of `n` items `{prefix}{i}`; item `i` is dated `date(i)` (Unix seconds) when that
/// gives one. `date` is applied in document order.
fn rss(prefix: &str, n: usize, date: impl Fn(usize) -> Option<i64>) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Many</title>\
         <link>https://site.example/</link>\n",
    );
    for i in 0..n {
        let when = date(i)
            .map(|t| {
                let d = chrono::DateTime::from_timestamp(t, 0).unwrap();
                format!("<pubDate>{}</pubDate>", d.to_rfc2822())
            })
            .unwrap_or_default();
        s.push_str(&format!(
            "<item><guid>{prefix}{i}</guid><title>{prefix}{i}</title>{when}</item>\n"
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

/// The titles of a subscribed feed's stored items.
fn stored_titles(home: &Path) -> Vec<String> {
    let o = tidings(home, &["show", "1", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let mut titles: Vec<String> = items
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// A fixed, well-mixed order of dates: item `i` is `(i * 7919) % n` days after a base date, so
/// the newest items are scattered through the document.
fn scattered(n: usize) -> impl Fn(usize) -> Option<i64> {
    move |i| Some(1_500_000_000 + ((i * 7919) % n) as i64 * 86_400)
}

#[test]
fn one_download_yields_the_newest_items_only() {
    let n = 2_500; // more than one parsing chunk
    let home = home_with("max_items_per_download = 40");
    let file = home.path().join("many.xml");
    std::fs::write(&file, rss("d", n, scattered(n))).unwrap();
    let o = tidings(home.path(), &["add", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(": 40 items"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // The newest 40 are the items whose scattered day is n-1 down to n-40.
    let date = scattered(n);
    let mut by_date: Vec<usize> = (0..n).collect();
    by_date.sort_by_key(|&i| std::cmp::Reverse(date(i)));
    let newest = sorted(by_date[..40].iter().map(|i| format!("d{i}")).collect());
    assert_eq!(stored_titles(home.path()), newest);
}

#[test]
fn undated_items_are_kept_in_document_order() {
    let n = 1_500;
    let home = home_with("max_items_per_download = 25");
    let file = home.path().join("undated.xml");
    std::fs::write(&file, rss("u", n, |_| None)).unwrap();
    let o = tidings(home.path(), &["show", file.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    let first: Vec<String> = (0..25).map(|i| format!("u{i}")).collect();
    assert_eq!(titles, first);
}

#[test]
fn a_feed_that_invents_ids_grows_by_the_cap_per_run_newest_first() {
    let server = TestServer::start();
    let home = home_with("max_new_items_per_run = 30");
    let n = 100;
    // Dated so that the first items of the document are the newest.
    let dated = move |i: usize| Some(1_700_000_000 - i as i64 * 60);
    server.route("/feed", Reply::ok(rss("run0-", n, dated)));
    let o = tidings(home.path(), &["add", &server.url("/feed")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut expected: Vec<String> = (0..n).map(|i| format!("run0-{i}")).collect();
    for run in 1..=3 {
        server.route("/feed", Reply::ok(rss(&format!("run{run}-"), n, dated)));
        let o = tidings(home.path(), &["fetch", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(report["new_items"], 30, "run {run}: {report}");
        expected.extend((0..30).map(|i| format!("run{run}-{i}")));
    }
    assert_eq!(stored_titles(home.path()), sorted(expected));
}

#[test]
fn a_feeds_first_download_is_bounded_by_the_download_cap_alone() {
    let server = TestServer::start();
    let home = home_with("max_new_items_per_run = 30\nmax_items_per_download = 80");
    server.route("/feed", Reply::ok(rss("first-", 100, |_| None)));
    let list = home.path().join("urls");
    std::fs::write(&list, server.url("/feed") + "\n").unwrap();
    let o = tidings(home.path(), &["import", list.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = tidings(home.path(), &["fetch", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["new_items"], 80, "{report}");
    // The next run is growth: 30 at most.
    server.route("/feed", Reply::ok(rss("second-", 100, |_| None)));
    let o = tidings(home.path(), &["fetch", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["new_items"], 30, "{report}");
}

#[tokio::test]
async fn large_bodies_wait_for_room_in_the_byte_budget() {
    let server = TestServer::start();
    let big = rss("b", 1, |_| None) + &" ".repeat(3 << 20);
    let small = rss("s", 1, |_| None);
    for path in ["/a", "/b", "/c"] {
        server.route(path, Reply::ok(big.clone()));
    }
    server.route("/small", Reply::ok(small));
    let fetcher = Fetcher::new(FetchConfig {
        max_body: 4 << 20,
        body_budget: 8 << 20,
        ..FetchConfig::default()
    })
    .unwrap();
    let get = |path: &str| FetchRequest {
        url: server.url(path),
        ..FetchRequest::default()
    };
    let (a, hold_a) = fetcher.fetch_held(&get("/a")).await;
    let (b, hold_b) = fetcher.fetch_held(&get("/b")).await;
    assert!(matches!(a, FetchOutcome::Fetched { .. }) && hold_a.is_held());
    assert!(matches!(b, FetchOutcome::Fetched { .. }) && hold_b.is_held());
    // Two large bodies fill the budget: a third waits, a small one does not.
    let (small, hold_small) =
        tokio::time::timeout(Duration::from_secs(10), fetcher.fetch_held(&get("/small")))
            .await
            .expect("a small body needs no room");
    assert!(matches!(small, FetchOutcome::Fetched { .. }) && !hold_small.is_held());
    let req_c = get("/c");
    let third = fetcher.fetch_held(&req_c);
    tokio::pin!(third);
    assert!(
        tokio::time::timeout(Duration::from_millis(500), &mut third)
            .await
            .is_err(),
        "a third large body waits while two are held"
    );
    drop(hold_a);
    let (c, hold_c) = tokio::time::timeout(Duration::from_secs(10), third)
        .await
        .expect("room once a body is dropped");
    assert!(matches!(c, FetchOutcome::Fetched { .. }) && hold_c.is_held());
    drop(hold_b);
}

#[tokio::test]
async fn waiting_for_memory_does_not_count_against_the_time_limit() {
    let server = TestServer::start();
    let big = rss("b", 1, |_| None) + &" ".repeat(2 << 20);
    server.route("/a", Reply::ok(big.clone()));
    server.route("/b", Reply::ok(big));
    let fetcher = Fetcher::new(FetchConfig {
        max_body: 4 << 20,
        body_budget: 4 << 20,
        request_timeout: Duration::from_secs(1),
        ..FetchConfig::default()
    })
    .unwrap();
    let get = |path: &str| FetchRequest {
        url: server.url(path),
        ..FetchRequest::default()
    };
    let (a, hold_a) = fetcher.fetch_held(&get("/a")).await;
    assert!(matches!(a, FetchOutcome::Fetched { .. }) && hold_a.is_held());
    // The second body waits for the first one's room longer than the time limit.
    let release = async {
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        drop(hold_a);
    };
    let req_b = get("/b");
    let ((b, hold_b), ()) = tokio::join!(fetcher.fetch_held(&req_b), release);
    assert!(
        matches!(b, FetchOutcome::Fetched { .. }) && hold_b.is_held(),
        "{b:?}"
    );
}
