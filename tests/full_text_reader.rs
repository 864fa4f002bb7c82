//! Full text in the reader: the real binary in a pseudo-terminal, `f` fetching the article of an
//! item from its page on a 127.0.0.1 server, then switching back to the feed's own text.

mod support;

use support::cli::{stderr, tidings};
use support::pty::Term;
use support::server::{Reply, TestServer};

/// A home with a reader that never refreshes on its own, and a server with a teaser feed whose
/// item links to an article page.
fn harbour(home: &std::path::Path) -> TestServer {
    std::fs::write(
        home.join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour News</title>\
             <item><guid>1</guid><title>Sea wall vote</title><link>{}</link>\
             <description>Teaser: the council voted.</description></item></channel></rss>",
            server.url("/story")
        )),
    );
    server.route(
        "/story",
        Reply::ok(
            "<html><head><title>Sea wall vote</title></head><body><nav>Home World</nav>\
             <article><p>The harbour council voted on Tuesday to rebuild the old sea wall.</p>\
             <p>Engineers had warned that the stones shifted in last winter's storms.</p>\
             </article></body></html>",
        )
        .content_type("text/html"),
    );
    server
}

#[test]
fn f_and_fetch_again_on_a_feed_set_to_never_fetch_no_page_and_say_why() {
    let home = tempfile::tempdir().unwrap();
    let server = harbour(home.path());
    let out = tidings(
        home.path(),
        &["add", &server.url("/feed.xml"), "--full-text", "never"],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let mut t = Term::start(home.path(), &[], 130, 36);
    t.wait_for("Sea wall vote", 10);
    t.send("\r");
    t.wait_for("Teaser: the council voted.", 5);
    t.send("f");
    let s = t.wait_for("set to never", 10);
    assert!(s.contains("Teaser: the council voted."), "{s}");
    t.send("\x12"); // ctrl-r: fetch the article again
    t.wait_for("set to never", 10);
    t.send("Q");
    assert!(t.wait_exit(10));
    assert!(
        server.requests_to("/story").is_empty(),
        "a feed set to never had a page fetched"
    );
    let out = tidings(home.path(), &["show", "Harbour News", "--json"]);
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items[0]["full_text"], serde_json::Value::Bool(false));
}

#[test]
fn f_fetches_the_article_then_switches_back_to_the_feed_text() {
    let home = tempfile::tempdir().unwrap();
    let server = harbour(home.path());
    // The page is queued by `add` but fetched only by the next fetch, which this reader
    // (no refresh on start) never runs.
    let out = tidings(
        home.path(),
        &["add", &server.url("/feed.xml"), "--full-text", "always"],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let mut t = Term::start(home.path(), &[], 130, 36);
    t.wait_for("Sea wall vote", 10);
    t.send("\r");
    let s = t.wait_for("Teaser: the council voted.", 5);
    assert!(!s.contains("Article from the page"), "{s}");
    assert!(server.requests_to("/story").is_empty());
    // No article yet: f fetches it in the background, then shows it.
    t.send("f");
    let s = t.wait_for("Engineers had warned", 10);
    assert!(s.contains("Article from the page"), "{s}");
    assert!(!s.contains("Teaser: the council voted."), "{s}");
    assert_eq!(server.requests_to("/story").len(), 1);
    // Back to what the feed said.
    t.send("f");
    let s = t.wait_for("Teaser: the council voted.", 5);
    assert!(s.contains("Feed text"), "{s}");
    t.send("Q");
    assert!(t.wait_exit(10));
    // The article stays in the cache for offline reading.
    drop(server);
    let out = tidings(home.path(), &["show", "Harbour News", "--json"]);
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        items[0]["full_text"],
        serde_json::Value::Bool(true),
        "{items}"
    );
}
