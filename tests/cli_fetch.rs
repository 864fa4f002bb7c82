//! `tidings add` and `tidings fetch` against a real HTTP server on 127.0.0.1, checking what the cache
//! holds after each answer.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use support::server::{Reply, TestServer};

fn tidings(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TIDINGS_HOME")
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An RSS 2.0 document with items `(guid, title)`, each with a one-paragraph body.
fn rss<S: std::fmt::Display>(title: &str, items: &[(S, S)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://site.example/</link>"
    );
    for (i, (guid, t)) in items.iter().enumerate() {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{t}</title><link>https://site.example/{guid}</link>\
             <pubDate>Mon, {:02} Nov 2026 10:00:00 +0000</pubDate><description>&lt;p&gt;Body of {t}.&lt;/p&gt;</description></item>",
            (i % 27) + 1
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// `tidings fetch --quiet` on `home`, started and left running.
fn spawn_fetch(home: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home)
        .args(["fetch", "--quiet"])
        .spawn()
        .unwrap()
}

fn feeds(home: &Path) -> Vec<serde_json::Value> {
    let o = tidings(home, &["feeds", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn titles(home: &Path, feed: &str) -> Vec<String> {
    let o = tidings(home, &["show", feed, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    items
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

fn fetch_json(home: &Path) -> serde_json::Value {
    let o = tidings(home, &["fetch", "--json"]);
    assert!(
        o.status.success(),
        "fetch exits 0 when the run completed: {}",
        stderr(&o)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn a_second_fetch_is_conditional_and_a_304_changes_no_item() {
    let server = TestServer::start();
    let body = rss("Cond", &[("a1", "First"), ("a2", "Second")]);
    server.route(
        "/a.xml",
        Reply::ok(body)
            .etag("\"v1\"")
            .content_type("application/rss+xml"),
    );
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["add", &server.url("/a.xml")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = titles(home.path(), "Cond");
    assert_eq!(before.len(), 2);

    let report = fetch_json(home.path());
    assert_eq!(report["not_modified"], 1, "{report}");
    assert_eq!(report["new_items"], 0);
    let reqs = server.requests_to("/a.xml");
    assert_eq!(reqs.last().unwrap().header("if-none-match"), Some("\"v1\""));
    assert!(
        reqs[0]
            .header("user-agent")
            .unwrap()
            .starts_with("tidings/")
    );
    assert_eq!(titles(home.path(), "Cond"), before);
    assert!(feeds(home.path())[0]["last_error"].is_null());
}

#[test]
fn a_failed_fetch_keeps_the_cache_and_records_the_error() {
    let server = TestServer::start();
    server.route("/b.xml", Reply::ok(rss("Kept", &[("b1", "Stays")])));
    let home = tempfile::tempdir().unwrap();
    assert!(
        tidings(home.path(), &["add", &server.url("/b.xml")])
            .status
            .success()
    );

    for (reply, message) in [
        (Reply::status(404), "HTTP 404"),
        (
            Reply::ok("<html><body>moved</body></html>").content_type("text/html"),
            "not a feed",
        ),
        (
            Reply::ok("<rss version=\"2.0\"><channel><title>x</title><item>"),
            "invalid XML",
        ),
    ] {
        server.route("/b.xml", reply);
        let o = tidings(home.path(), &["fetch"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains(message), "{message}: {}", stderr(&o));
        let f = &feeds(home.path())[0];
        assert!(f["last_error"].as_str().unwrap().contains(message), "{f}");
        assert_eq!(f["items"], 1);
        assert_eq!(titles(home.path(), "Kept"), ["Stays"]);
    }
}

#[test]
fn only_permanent_redirects_change_the_stored_url() {
    let server = TestServer::start();
    let body = rss("Moving", &[("m1", "One")]);
    server.route("/old.xml", Reply::ok(body.clone()));
    let home = tempfile::tempdir().unwrap();
    assert!(
        tidings(home.path(), &["add", &server.url("/old.xml")])
            .status
            .success()
    );

    server.route("/old.xml", Reply::redirect(302, "/temp.xml"));
    server.route("/temp.xml", Reply::ok(body.clone()));
    fetch_json(home.path());
    assert_eq!(feeds(home.path())[0]["url"], server.url("/old.xml"));

    server.route("/old.xml", Reply::redirect(301, "/new.xml"));
    server.route("/new.xml", Reply::ok(body));
    fetch_json(home.path());
    assert_eq!(feeds(home.path())[0]["url"], server.url("/new.xml"));
    assert!(!server.requests_to("/new.xml").is_empty());
}

#[test]
fn retry_after_defers_the_next_fetch_of_that_feed() {
    let server = TestServer::start();
    server.route("/r.xml", Reply::ok(rss("Busy", &[("r1", "One")])));
    let home = tempfile::tempdir().unwrap();
    assert!(
        tidings(home.path(), &["add", &server.url("/r.xml")])
            .status
            .success()
    );
    server.route("/r.xml", Reply::status(429).header("Retry-After", "3600"));
    let report = fetch_json(home.path());
    assert_eq!(report["failed"].as_array().unwrap().len(), 1, "{report}");
    let asked = server.requests_to("/r.xml").len();
    let report = fetch_json(home.path());
    assert_eq!(report["deferred"], 1, "{report}");
    assert_eq!(
        server.requests_to("/r.xml").len(),
        asked,
        "no request while deferred"
    );
    assert_eq!(titles(home.path(), "Busy"), ["One"]);
}

#[test]
fn add_finds_the_feed_a_web_page_links_to() {
    let server = TestServer::start();
    server.route("/feed.xml", Reply::ok(rss("Linked", &[("l1", "Found")])));
    server.route(
        "/page.html",
        Reply::ok(
            "<!doctype html><html><head><title>Site</title>\
             <link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed.xml\"></head><body>hi</body></html>",
        )
        .content_type("text/html; charset=utf-8"),
    );
    server.route(
        "/plain.html",
        Reply::ok("<!doctype html><html><head><title>No feed</title></head><body>hi</body></html>")
            .content_type("text/html"),
    );
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["add", &server.url("/page.html")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(feeds(home.path())[0]["url"], server.url("/feed.xml"));

    let o = tidings(home.path(), &["add", &server.url("/plain.html")]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("not a feed (an HTML page with no feed link)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(feeds(home.path()).len(), 1);
}

#[test]
fn a_dead_server_is_reported_and_the_run_still_succeeds() {
    let server = TestServer::start();
    server.route("/ok.xml", Reply::ok(rss("Alive", &[("o1", "Alive item")])));
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/gone.xml", dead.local_addr().unwrap());
    drop(dead);
    let home = tempfile::tempdir().unwrap();
    let urls = home.path().join("urls");
    std::fs::write(&urls, format!("{}\n{dead_url}\n", server.url("/ok.xml"))).unwrap();
    assert!(
        tidings(home.path(), &["import", urls.to_str().unwrap()])
            .status
            .success()
    );
    let o = tidings(home.path(), &["fetch"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("1 updated") && err.contains("1 failed"),
        "{err}"
    );
    assert!(err.contains("connection refused"), "{err}");
    assert_eq!(titles(home.path(), "Alive"), ["Alive item"]);
}

/// Feed `n`'s document at version `v`: v1 has 10 items, v2 renames them and adds 5 more.
fn versioned(n: usize, v: u8) -> String {
    let count = if v == 1 { 10 } else { 15 };
    let items: Vec<(String, String)> = (0..count)
        .map(|i| (format!("f{n}-i{i}"), format!("v{v} feed {n} item {i}")))
        .collect();
    rss(&format!("Feed {n}"), &items)
}

#[test]
fn kill_9_during_a_fetch_leaves_every_feed_old_or_new() {
    let server = TestServer::start();
    let home = tempfile::tempdir().unwrap();
    // Every feed's request at once, so that the held ones never keep the others waiting for a
    // slot (the order in which a run asks for its feeds is not fixed).
    std::fs::write(
        home.path().join("config.toml"),
        "[fetch]\nper_host = 32\nmax_in_flight = 32\n",
    )
    .unwrap();
    let n = 30;
    let mut urls = String::new();
    for i in 0..n {
        server.route(&format!("/f{i}.xml"), Reply::ok(versioned(i, 1)));
        urls.push_str(&server.url(&format!("/f{i}.xml")));
        urls.push('\n');
    }
    std::fs::write(home.path().join("urls"), urls).unwrap();
    assert!(
        tidings(
            home.path(),
            &["import", home.path().join("urls").to_str().unwrap()]
        )
        .status
        .success()
    );
    assert_eq!(fetch_json(home.path())["updated"], n);
    // The second round: the earlier feeds answer at once with version 2, the later ones are held
    // (the server reads the request and never answers), so the run cannot end before the kill.
    let held = 10;
    for i in 0..n {
        let reply = Reply::ok(versioned(i, 2));
        let reply = if i >= n - held { reply.stall() } else { reply };
        server.route(&format!("/f{i}.xml"), reply);
    }
    let mut child = spawn_fetch(home.path());
    // Kill once some version-2 feeds are stored (version 2 has 5 more items per feed) and a held
    // request is pending, with the fetch still running.
    let store = tidings::store::Store::open(&home.path().join("cache.db")).unwrap();
    let v1_total = u64::try_from(n * 10).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let stored_new = store.item_total().unwrap() > v1_total;
        let held_asked = (n - held..n).any(|i| server.requests_to(&format!("/f{i}.xml")).len() > 1);
        if stored_new && held_asked {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the fetch ended although {held} feeds were held"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "no version-2 feed was stored within 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the fetch is still running when it is killed"
    );
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, not finished: {status:?}");
    drop(store);

    let store = tidings::store::Store::open(&home.path().join("cache.db")).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let (mut old, mut new) = (0, 0);
    for i in 0..n {
        let t = titles(home.path(), &format!("Feed {i}"));
        let v1 = t.len() == 10 && t.iter().all(|x| x.starts_with("v1 "));
        let v2 = t.len() == 15 && t.iter().all(|x| x.starts_with("v2 "));
        assert!(v1 || v2, "feed {i} is half written: {t:?}");
        assert!(!(v2 && i >= n - held), "held feed {i} cannot be new");
        if v1 { old += 1 } else { new += 1 }
    }
    assert!(
        new > 0 && old >= held,
        "some but not all feeds stored: {old} old, {new} new"
    );
}

#[test]
fn two_fetches_and_a_reader_at_once_corrupt_nothing() {
    let server = TestServer::start();
    let home = tempfile::tempdir().unwrap();
    let mut urls = String::new();
    for i in 0..12 {
        server.route(
            &format!("/p{i}.xml"),
            Reply::ok(versioned(i, 1)).delay(Duration::from_millis(30)),
        );
        urls.push_str(&server.url(&format!("/p{i}.xml")));
        urls.push('\n');
    }
    std::fs::write(home.path().join("urls"), urls).unwrap();
    assert!(
        tidings(
            home.path(),
            &["import", home.path().join("urls").to_str().unwrap()]
        )
        .status
        .success()
    );
    let spawn = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tidings"))
            .arg("--home")
            .arg(home.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn(&["fetch", "--json"]);
    let b = spawn(&["fetch", "--json"]);
    let reader = tidings::store::Store::open(&home.path().join("cache.db")).unwrap();
    for _ in 0..20 {
        let _ = reader.unread_total().unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(reader.integrity_check().unwrap(), "ok");
    assert_eq!(reader.item_total().unwrap(), 120);
    assert!(feeds(home.path()).iter().all(|f| f["last_error"].is_null()));
}

#[test]
fn show_url_fetches_without_subscribing() {
    let server = TestServer::start();
    // rss() dates the first item 1 Nov and the second 2 Nov.
    server.route(
        "/s.xml",
        Reply::ok(rss(
            "Shown",
            &[("s1", "Dated 1 Nov"), ("s2", "Dated 2 Nov")],
        )),
    );
    let home = tempfile::tempdir().unwrap();
    let o = tidings(
        home.path(),
        &["show", &server.url("/s.xml"), "--json", "--item", "2"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(items.len(), 1);
    // Newest first: --item 2 is the one dated 1 Nov.
    assert_eq!(items[0]["title"], "Dated 1 Nov");
    assert_eq!(items[0]["feed"], "Shown");
    assert_eq!(server.requests_to("/s.xml").len(), 1);
    assert!(
        !home.path().join("cache.db").exists(),
        "show URL subscribes nothing"
    );
}

#[test]
fn stalls_oversized_bodies_and_gzip_bombs_fail_cleanly_and_keep_the_cache() {
    let server = TestServer::start();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[fetch]\nrequest_timeout_secs = 2\nmax_body_mib = 1\n",
    )
    .unwrap();
    server.route("/x.xml", Reply::ok(rss("Guarded", &[("g1", "Kept item")])));
    assert!(
        tidings(home.path(), &["add", &server.url("/x.xml")])
            .status
            .success()
    );

    let big = format!(
        "<rss version=\"2.0\"><channel><title>big</title><description>{}</description></channel></rss>",
        "x".repeat(2 << 20)
    );
    for (reply, message) in [
        (Reply::ok(Vec::new()).stall(), "timed out after 2 s"),
        (Reply::ok(big), "body larger than 1 MiB"),
        (Reply::gzip_bomb(1 << 30), "body larger than 1 MiB"),
    ] {
        server.route("/x.xml", reply);
        let o = tidings(home.path(), &["fetch"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains(message), "{message}: {}", stderr(&o));
        let f = &feeds(home.path())[0];
        assert!(f["last_error"].as_str().unwrap().contains(message), "{f}");
        assert_eq!(titles(home.path(), "Guarded"), ["Kept item"]);
    }
}

/// A feed stored early is digested (its statistics recorded, its items leave the digest queue)
/// while another feed is still downloading: the digests do not wait for the last download.
#[test]
fn a_stored_feed_is_digested_while_another_still_downloads() {
    let server = TestServer::start();
    let home = tempfile::tempdir().unwrap();
    let items: Vec<(String, String)> = (0..8)
        .map(|i| (format!("q{i}"), format!("Quick story {i}")))
        .collect();
    server.route("/quick.xml", Reply::ok(rss("Quick", &items)));
    let slow = Duration::from_secs(6);
    server.route(
        "/slow.xml",
        Reply::ok(rss("Slow", &[("s1", "Slow story")])).delay(slow),
    );
    // Short bodies with links look like teasers, whose digests wait for their articles: this
    // run fetches no articles.
    std::fs::write(
        home.path().join("config.toml"),
        "[full_text]\nmax_pages_per_feed = 0\n",
    )
    .unwrap();
    let urls = format!(
        "{}\n{}\n",
        server.url("/quick.xml"),
        server.url("/slow.xml")
    );
    std::fs::write(home.path().join("urls"), urls).unwrap();
    let list = home.path().join("urls");
    assert!(
        tidings(home.path(), &["import", list.to_str().unwrap()])
            .status
            .success()
    );
    let store = tidings::store::Store::open(&home.path().join("cache.db")).unwrap();
    let feed_id = |url: &str| {
        store
            .feeds()
            .unwrap()
            .into_iter()
            .find(|f| f.url == url)
            .unwrap()
            .id
    };
    let (quick, slow_feed) = (
        feed_id(&server.url("/quick.xml")),
        feed_id(&server.url("/slow.xml")),
    );
    let started = std::time::Instant::now();
    let mut child = spawn_fetch(home.path());
    let mut digested_early = false;
    while started.elapsed() < slow {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        let pending = store.feeds_pending_digests().unwrap();
        if store.feed_stats(quick).unwrap().is_some() && !pending.contains(&quick) {
            digested_early = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(
        digested_early,
        "the quick feed was digested only after the slow one came in"
    );
    assert!(store.feed_stats(slow_feed).unwrap().is_some());
    assert!(store.feeds_pending_digests().unwrap().is_empty());
}
