//! A feed's CSS selector for its article pages (`tidings add --full-text-selector`): kept in the
//! cache, listed by `tidings feeds`, and used by the page fetcher instead of the heuristics, on a
//! 127.0.0.1 page where the heuristics pick the wrong block.

mod support;

use std::path::Path;

use serde_json::Value;
use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};

/// A page whose short article sits in `div.story-body` next to a long block of reader comments
/// written as paragraphs, which the heuristics take for the article.
fn page() -> String {
    let comment = "I have lived by this harbour for forty years and I can tell you that every \
                   plan the council makes ends the same way, with more meetings, more paper and \
                   nothing at all done about the moorings, the silt or the old warehouses.";
    let comments: String = (0..8)
        .map(|i| format!("<p>Reader {i}: {comment}</p>"))
        .collect();
    format!(
        "<!DOCTYPE html><html><head><title>Quay works</title></head><body>\
         <div class=\"story-body\"><p>Crews begin work on the north quay on Monday, the port \
         said, and the quayside car park closes until spring.</p></div>\
         <div class=\"discussion\">{comments}</div></body></html>"
    )
}

fn feed(server: &TestServer, title: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <item><guid>{title}-1</guid><title>Quay works</title><link>{}</link>\
         <description>Quay works begin.</description></item></channel></rss>",
        server.url("/quay")
    )
}

fn body_of(home: &Path, feed: &str) -> String {
    let out = tidings(home, &["show", feed, "--json", "--width", "100"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let items: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(items[0]["full_text"], Value::Bool(true), "{items}");
    items[0]["body"].as_str().unwrap().to_string()
}

#[test]
fn a_feed_selector_picks_the_article_where_the_heuristics_pick_the_wrong_block() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    server.route("/plain.xml", Reply::ok(feed(&server, "Plain")));
    server.route("/chosen.xml", Reply::ok(feed(&server, "Chosen")));
    server.route("/quay", Reply::ok(page()).content_type("text/html"));

    for args in [
        vec!["add", "/plain.xml", "--full-text", "always"],
        vec![
            "add",
            "/chosen.xml",
            "--full-text",
            "always",
            "--full-text-selector",
            "div.story-body",
        ],
    ] {
        let url = server.url(args[1]);
        let mut args = args.clone();
        args[1] = &url;
        let out = tidings(home.path(), &args);
        assert!(out.status.success(), "{}", stderr(&out));
    }

    let out = tidings(home.path(), &["feeds"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    let chosen = table.lines().find(|l| l.contains("Chosen")).unwrap();
    assert!(chosen.contains("div.story-body"), "{table}");
    let out = tidings(home.path(), &["feeds", "--json"]);
    let feeds: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let by_title = |t: &str| {
        feeds
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["title"] == t)
            .unwrap()
            .clone()
    };
    assert_eq!(by_title("Chosen")["full_text_selector"], "div.story-body");
    assert_eq!(by_title("Plain")["full_text_selector"], Value::Null);

    let out = tidings(home.path(), &["fetch"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Without a selector the heuristics take the comments; with one, the article.
    let plain = body_of(home.path(), "Plain");
    assert!(plain.contains("forty years"), "{plain}");
    let chosen = body_of(home.path(), "Chosen");
    assert!(chosen.contains("north quay"), "{chosen}");
    assert!(!chosen.contains("forty years"), "{chosen}");
}

#[test]
fn add_refuses_a_bad_selector_and_subscribes_to_nothing() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    server.route("/feed.xml", Reply::ok(feed(&server, "Plain")));
    let url = server.url("/feed.xml");
    let out = tidings(
        home.path(),
        &["add", &url, "--full-text-selector", "div[[class"],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("--full-text-selector") && err.contains("div[[class"),
        "a clear message: {err}"
    );
    let out = tidings(home.path(), &["feeds", "--json"]);
    let feeds: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(feeds.as_array().unwrap().is_empty(), "{feeds}");
}

#[test]
fn the_readers_f_extracts_with_the_feeds_selector_too() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    let server = TestServer::start();
    server.route("/chosen.xml", Reply::ok(feed(&server, "Chosen")));
    server.route("/quay", Reply::ok(page()).content_type("text/html"));
    let url = server.url("/chosen.xml");
    let out = tidings(
        home.path(),
        &["add", &url, "--full-text-selector", "div.story-body"],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let mut t = support::pty::Term::start(home.path(), &[], 130, 36);
    t.wait_for("Quay works", 10);
    t.send("\r");
    t.wait_for("Quay works begin.", 5);
    t.send("f");
    let s = t.wait_for("north quay", 10);
    assert!(!s.contains("forty years"), "{s}");
    t.send("Q");
    assert!(t.wait_exit(10));
}
