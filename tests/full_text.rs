//! Full text for summary-only feeds, end to end: the real binary against a feed of teasers and
//! article pages served on 127.0.0.1, with the cache read back from its file.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};

/// A teaser of a dozen words.
fn teaser(n: usize) -> String {
    format!("Item {n} in brief: a short teaser of the story, read on the site.")
}

/// An RSS feed whose items link to `links` (relative to the server when they start with `/`),
/// each with a teaser for its description.
fn feed(server: &TestServer, title: &str, links: &[String]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <link>{}</link>",
        server.url("/")
    );
    for (i, link) in links.iter().enumerate() {
        let url = if link.starts_with('/') {
            server.url(link)
        } else {
            link.clone()
        };
        s.push_str(&format!(
            "<item><guid>{title}-{i}</guid><title>{title} story {i}</title><link>{url}</link>\
             <pubDate>Mon, {:02} Nov 2026 10:00:00 +0000</pubDate>\
             <description>&lt;p&gt;{}&lt;/p&gt;</description></item>",
            i + 1,
            teaser(i)
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// Sentences no two test articles share, so that only real chrome recurs over a feed.
const SENTENCES: &[&str] = &[
    "The council met on Tuesday to discuss the harbour plan and agreed to publish the figures.",
    "Fishermen at the quay said the new moorings would cost them a season of work.",
    "An engineer from the port authority described the dredging schedule in detail.",
    "Rain delayed the opening of the orchard festival by almost three hours on Saturday.",
    "Growers brought forty kinds of apple, and a children's choir sang under the marquee.",
    "The mayor pressed the first cider herself and declared the vintage a fine one.",
    "A rare comet will be visible low in the western sky for the rest of the week.",
    "Astronomers at the observatory recommend binoculars and a dark field away from town.",
    "The last comparable visitor passed close to the sun more than eighty years ago.",
    "Library volunteers catalogued a donated collection of wartime letters this month.",
    "One bundle describes a winter crossing of the mountains on foot in great detail.",
    "The letters will go on display in the reading room from the first of March.",
];

/// An article page with site chrome around a clear `<article>`: three sentences of its own
/// (the `n`th set), `word` in the first, and the same newsletter line that every page ends its
/// article with.
fn page(title: &str, word: &str) -> String {
    page_n(title, word, 0)
}

fn page_n(title: &str, word: &str, n: usize) -> String {
    let own: String = SENTENCES[(n % 4) * 3..(n % 4) * 3 + 3]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == 0 {
                format!("<p>{t} It concerns {word}.</p>")
            } else {
                format!("<p>{t}</p>")
            }
        })
        .collect();
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body>\
         <nav><a href=/>Home</a> <a href=/world>World</a> <a href=/sport>Sport</a></nav>\
         <div class=cookie>We use cookies. Accept all?</div>\
         <article><h1>{title}</h1>{own}\
         <p>Sign up for our newsletter to get the day's stories every morning.</p></article>\
         <footer>Most read: everything else. Copyright.</footer></body></html>"
    )
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(out), stderr(out)))
}

fn fetch_json(home: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["fetch", "--json"];
    args.extend_from_slice(extra);
    let out = tidings(home, &args);
    assert!(out.status.success(), "fetch failed: {}", stderr(&out));
    json(&out)
}

fn add(home: &Path, args: &[&str]) {
    let mut all = vec!["add"];
    all.extend_from_slice(args);
    let out = tidings(home, &all);
    assert!(out.status.success(), "add failed: {}", stderr(&out));
}

fn show(home: &Path, source: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["show", source, "--json", "--width", "100"];
    args.extend_from_slice(extra);
    let out = tidings(home, &args);
    assert!(out.status.success(), "show failed: {}", stderr(&out));
    json(&out).as_array().unwrap().clone()
}

fn pages(report: &Value) -> (u64, u64, u64, u64) {
    let p = &report["pages"];
    let n = |k: &str| {
        p[k].as_u64()
            .unwrap_or_else(|| panic!("no {k} in {report}"))
    };
    (n("fetched"), n("kept"), n("failed"), n("pending"))
}

#[test]
fn articles_of_a_teaser_feed_are_fetched_shown_searchable_and_read_offline() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let links: Vec<String> = (0..4).map(|i| format!("/story/{i}")).collect();
    server.route("/feed.xml", Reply::ok(feed(&server, "Daily", &links)));
    for (i, link) in links.iter().enumerate() {
        let word = ["amberly", "birchwood", "cedarvale", "zephyrine"][i];
        server.route(
            link,
            Reply::ok(page_n(&format!("Daily story {i}"), word, i))
                .content_type("text/html; charset=utf-8"),
        );
    }
    add(home.path(), &[&server.url("/feed.xml")]);
    let out = tidings(home.path(), &["feeds"]);
    assert!(
        stdout(&out).contains("auto: teasers (median 14 words over the newest 4, 100% linked)"),
        "{}",
        stdout(&out)
    );
    let report = fetch_json(home.path(), &[]);
    assert_eq!(pages(&report), (4, 0, 0, 0), "{report}");
    for link in &links {
        assert_eq!(server.requests_to(link).len(), 1, "one request per page");
    }
    let ua = server.requests_to(&links[0])[0]
        .header("user-agent")
        .unwrap_or("")
        .to_string();
    assert!(ua.starts_with("tidings/"), "the tidings user agent: {ua}");

    // Stop the server: what follows reads the cache only.
    drop(server);
    let items = show(home.path(), "Daily", &[]);
    assert_eq!(items.len(), 4);
    for item in &items {
        let body = item["body"].as_str().unwrap();
        assert_eq!(item["full_text"], Value::Bool(true));
        assert!(body.contains("concerns"), "{body}");
        assert!(
            !body.contains("a short teaser"),
            "the article replaces the teaser"
        );
        assert!(!body.contains("World"), "no navigation: {body}");
        // The newsletter line recurs over the feed's articles: it folds as boilerplate.
        assert!(!body.contains("Sign up for our newsletter"), "{body}");
        assert!(item["folded"].as_u64().unwrap() >= 1);
    }
    let raw = show(home.path(), "Daily", &["--raw", "--item", "1"]);
    let body = raw[0]["body"].as_str().unwrap();
    assert!(
        body.contains("concerns") && body.contains("a short teaser"),
        "raw shows both: {body}"
    );

    // The search index holds the articles' words.
    let store = tidings::store::Store::open(&home.path().join("cache.db")).unwrap();
    let q = tidings::model::ItemQuery::new(tidings::model::View::Search("zephyrine".into()));
    let found = store.headlines(&q, 0, 10).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].title, "Daily story 3");
}

#[test]
fn pages_that_are_not_articles_keep_the_teaser_and_failures_wait_to_be_retried() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let links: Vec<String> = [
        "/pdf", "/wall", "/short", "/missing", "/moved", "/latin1", "/huge",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    server.route("/feed.xml", Reply::ok(feed(&server, "Mixed", &links)));
    server.route(
        "/pdf",
        Reply::ok("%PDF-1.4 not a page").content_type("application/pdf"),
    );
    server.route(
        "/wall",
        Reply::ok(
            "<html><body><article><p>Subscribe to continue reading.</p>\
             <p>Already a subscriber? Sign in.</p><p>The story.</p></article></body></html>",
        )
        .content_type("text/html"),
    );
    server.route(
        "/short",
        Reply::ok("<html><body><article><p>Too short.</p></article></body></html>")
            .content_type("text/html"),
    );
    server.route("/moved", Reply::redirect(301, "/article-here"));
    server.route(
        "/article-here",
        Reply::ok(page("Moved story", "relocated")).content_type("text/html"),
    );
    let mut latin1 = page("Café story", "caf\u{e9}")
        .replace("<head>", "<head><meta charset=\"iso-8859-1\">")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect::<Vec<u8>>();
    latin1.shrink_to_fit();
    server.route("/latin1", Reply::ok(latin1).content_type("text/html"));
    let mut huge = b"<html><body><article><p>".to_vec();
    huge.resize(20 * 1024 * 1024, b'a');
    server.route("/huge", Reply::ok(huge).content_type("text/html"));

    add(
        home.path(),
        &[&server.url("/feed.xml"), "--full-text", "always"],
    );
    let report = fetch_json(home.path(), &[]);
    // Fetched: the redirected page and the Latin-1 one; kept: PDF, wall, short; failed: the 404
    // and the page over 16 MiB.
    assert_eq!(pages(&report), (2, 3, 2, 0), "{report}");

    let items = show(home.path(), "Mixed", &["--raw"]);
    let by_title = |t: &str| {
        items
            .iter()
            .find(|i| i["title"].as_str() == Some(t))
            .unwrap_or_else(|| panic!("no {t}"))
    };
    for kept in [
        "Mixed story 0",
        "Mixed story 1",
        "Mixed story 2",
        "Mixed story 3",
        "Mixed story 6",
    ] {
        let item = by_title(kept);
        assert_eq!(item["full_text"], Value::Bool(false), "{kept}");
        assert!(item["body"].as_str().unwrap().contains("a short teaser"));
    }
    assert_eq!(by_title("Mixed story 4")["full_text"], Value::Bool(true));
    let cafe = by_title("Mixed story 5");
    assert!(
        cafe["body"].as_str().unwrap().contains("concerns café"),
        "{cafe}"
    );

    // Fetched again at once: nothing is retried before its hour is up.
    let again = fetch_json(home.path(), &[]);
    assert_eq!(pages(&again), (0, 0, 0, 0), "{again}");
    assert_eq!(server.requests_to("/missing").len(), 1);
    assert_eq!(server.requests_to("/pdf").len(), 1);
}

#[test]
fn full_body_feeds_fetch_no_pages_unless_told_and_never_means_never() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let long = "A long paragraph that carries the whole story in the feed itself. ".repeat(12);
    let body = |title: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
             <item><guid>1</guid><title>One</title><link>{}</link>\
             <description>&lt;p&gt;{long}&lt;/p&gt;</description></item></channel></rss>",
            server.url(&format!("/{title}/page"))
        )
    };
    server.route("/full.xml", Reply::ok(body("full")));
    server.route("/forced.xml", Reply::ok(body("forced")));
    server.route(
        "/teasers.xml",
        Reply::ok(feed(&server, "teasers", &["/teasers/page".to_string()])),
    );
    for p in ["/full/page", "/forced/page", "/teasers/page"] {
        server.route(
            p,
            Reply::ok(page("A page", &"word ".repeat(200))).content_type("text/html"),
        );
    }
    add(home.path(), &[&server.url("/full.xml")]);
    add(
        home.path(),
        &[&server.url("/forced.xml"), "--full-text", "always"],
    );
    add(
        home.path(),
        &[&server.url("/teasers.xml"), "--full-text", "never"],
    );
    let out = tidings(home.path(), &["feeds", "--json"]);
    let feeds = json(&out);
    let why = |title: &str| {
        feeds
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["title"].as_str() == Some(title))
            .map(|f| f["full_text_why"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(
        why("full").starts_with("auto: full bodies (median 144 words"),
        "{}",
        why("full")
    );
    assert_eq!(why("forced"), "always: set for this feed");
    assert_eq!(why("teasers"), "never: set for this feed");
    let report = fetch_json(home.path(), &[]);
    assert_eq!(pages(&report), (1, 0, 0, 0), "{report}");
    assert_eq!(server.requests_to("/full/page").len(), 0);
    assert_eq!(server.requests_to("/forced/page").len(), 1);
    assert_eq!(server.requests_to("/teasers/page").len(), 0);
}

#[test]
fn a_page_on_another_private_host_is_refused_and_pages_keep_to_two_per_host() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let other = TestServer::start_on("127.0.0.2");
    other.route(
        "/elsewhere",
        Reply::ok(page("Elsewhere", "elsewhere")).content_type("text/html"),
    );
    let mut links: Vec<String> = (0..6).map(|i| format!("/slow/{i}")).collect();
    links.push(other.url("/elsewhere"));
    server.route("/feed.xml", Reply::ok(feed(&server, "Local", &links)));
    for l in &links[..6] {
        server.route(
            l,
            Reply::ok(page("Slow", "slow"))
                .content_type("text/html")
                .delay(Duration::from_millis(300)),
        );
    }
    add(home.path(), &[&server.url("/feed.xml")]);
    let report = fetch_json(home.path(), &[]);
    assert_eq!(pages(&report), (6, 0, 1, 0), "{report}");
    assert!(
        other.requests().is_empty(),
        "127.0.0.2 is not the feed's host"
    );
    assert_eq!(
        server.peak_in_flight(&server.host()),
        2,
        "[full_text] per_host = 2"
    );
}

#[test]
fn a_fetch_waits_for_pages_at_most_the_run_timeout_and_backfill_fetches_stored_items() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[full_text]\nrun_timeout_secs = 1\nmax_pages_per_feed = 1\n",
    )
    .unwrap();
    let server = TestServer::start();
    let links: Vec<String> = (0..3).map(|i| format!("/p/{i}")).collect();
    server.route("/feed.xml", Reply::ok(feed(&server, "Waits", &links)));
    server.route(
        &links[0],
        Reply::ok(page("Stalls", "stall"))
            .content_type("text/html")
            .stall(),
    );
    server.route(
        &links[1],
        Reply::ok(page("One", "one")).content_type("text/html"),
    );
    server.route(
        &links[2],
        Reply::ok(page("Two", "two")).content_type("text/html"),
    );
    add(home.path(), &[&server.url("/feed.xml")]);
    let started = Instant::now();
    let report = fetch_json(home.path(), &[]);
    assert!(started.elapsed() < Duration::from_secs(20));
    // One page per feed and run, the newest (story 2), then nothing more.
    assert_eq!(pages(&report), (1, 0, 0, 0), "{report}");
    assert_eq!(server.requests_to(&links[2]).len(), 1);
    assert_eq!(server.requests_to(&links[1]).len(), 0);
    // A backfill takes every waiting page; the one that stalls is still pending at the timeout.
    let report = fetch_json(home.path(), &["--full-text-backfill", "Waits"]);
    assert_eq!(pages(&report), (1, 0, 0, 1), "{report}");
    let items = show(home.path(), "Waits", &[]);
    let full: Vec<bool> = items
        .iter()
        .map(|i| i["full_text"] == Value::Bool(true))
        .collect();
    assert_eq!(full, [true, true, false]);
}

#[test]
fn stories_across_feeds_compare_articles_not_teasers() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let story = page("Council story", "harbour");
    server.route(
        "/a/page",
        Reply::ok(story.clone()).content_type("text/html"),
    );
    server.route("/b/page", Reply::ok(story).content_type("text/html"));
    let item = |title: &str, link: &str, teaser: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
             <item><guid>{title}-1</guid><title>{title} reports</title><link>{}</link>\
             <description>{teaser}</description></item></channel></rss>",
            server.url(link)
        )
    };
    server.route(
        "/a.xml",
        Reply::ok(item(
            "Alpha",
            "/a/page",
            "Residents and the budget, in short.",
        )),
    );
    server.route(
        "/b.xml",
        Reply::ok(item(
            "Beta",
            "/b/page",
            "Harbour vote: what it means for you.",
        )),
    );
    add(
        home.path(),
        &[&server.url("/a.xml"), "--full-text", "always"],
    );
    add(
        home.path(),
        &[&server.url("/b.xml"), "--full-text", "always"],
    );
    let before = show(home.path(), "all", &[]);
    assert_eq!(before.len(), 2, "different teasers: two stories");
    let report = fetch_json(home.path(), &[]);
    assert_eq!(pages(&report), (2, 0, 0, 0), "{report}");
    let after = show(home.path(), "all", &[]);
    assert_eq!(after.len(), 1, "the same article: one story, {after:?}");
    assert_eq!(after[0]["also_in"].as_array().unwrap().len(), 1);
}

/// A local feed file (or a built-in demo feed) is left to `auto` only when fetched over http(s):
/// its teasers' pages are not fetched unless the feed is set to `always`.
#[test]
fn auto_fetches_no_pages_for_a_local_feed_file() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let links: Vec<String> = (0..4).map(|n| format!("/local/{n}")).collect();
    let file = home.path().join("teasers.xml");
    std::fs::write(&file, feed(&server, "Local teasers", &links)).unwrap();
    add(home.path(), &[file.to_str().unwrap()]);
    let out = tidings(home.path(), &["feeds", "--json"]);
    let feeds = json(&out);
    let local = &feeds.as_array().unwrap()[0];
    assert_eq!(local["full_text_fetched"], Value::Bool(false), "{feeds}");
    assert!(
        local["full_text_why"]
            .as_str()
            .unwrap()
            .starts_with("auto: a local source"),
        "{feeds}"
    );
    let report = fetch_json(home.path(), &[]);
    assert_eq!(pages(&report), (0, 0, 0, 0), "{report}");
    for link in &links {
        assert!(
            server.requests_to(link).is_empty(),
            "no page of a local feed"
        );
    }
}
