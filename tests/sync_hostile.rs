//! A hostile server, untrusted like any feed: a loopback HTTP server answering Miniflux's REST
//! API with control and escape sequences, bidi overrides, `javascript:` addresses and an
//! oversized answer. What it sends reaches the terminal sanitised, its addresses are refused and
//! its oversized answer is a clear error. Needs no Miniflux.

mod support;

use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};

/// Terminal controls and bidi overrides a hostile text carries.
const EVIL: &str = "\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}\u{2066}\r\u{9b}31m";

fn hostile_server() -> TestServer {
    let server = TestServer::start();
    server.route("/v1/me", Reply::ok(r#"{"id":1}"#));
    let feeds = serde_json::json!([{
        "id": 7,
        "feed_url": server.url("/feed.xml"),
        "site_url": "javascript:alert(1)",
        "title": format!("Evil{EVIL}feed"),
        "category": {"title": format!("Ne{EVIL}ws")},
        "parsing_error_count": 1,
        "parsing_error_message": format!("broken{EVIL}feed"),
    }]);
    server.route("/v1/feeds", Reply::ok(feeds.to_string()));
    let entries = serde_json::json!({"total": 1, "entries": [{
        "id": 42,
        "feed_id": 7,
        "status": "unread",
        "title": format!("Hello{EVIL}there"),
        "url": "javascript:alert(1)",
        "published_at": "2026-11-02T10:00:00Z",
        "author": format!("Mal{EVIL}lory"),
        "content": format!(
            "<p>Body{EVIL}text <a href=\"javascript:alert(1)\">click</a></p>"
        ),
        "starred": false,
        "enclosures": [{"url": "javascript:alert(2)", "mime_type": "audio/mpeg", "size": 3}],
    }]});
    server.route("/v1/entries", Reply::ok(entries.to_string()));
    server
}

fn home_for(server: &TestServer) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[sync]\nserver = \"miniflux\"\nurl = \"{}\"\nusername = \"u\"\n\
             password_command = [\"printf\", \"pw\"]\n",
            server.url("")
        ),
    )
    .unwrap();
    home
}

/// Panics when `text` (what `what` printed) holds a terminal control or a bidi control.
fn assert_clean(what: &str, text: &str) {
    for c in text.chars() {
        let control = c.is_control() && c != '\n';
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!control && !bidi, "{what} printed {c:?}: {text:?}");
    }
}

#[test]
fn what_a_hostile_server_sends_reaches_the_terminal_clean_and_its_links_are_refused() {
    let server = hostile_server();
    let home = home_for(&server);
    let home = home.path();
    let out = tidings(home, &["sync"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_clean("sync", &stderr(&out));

    let out = tidings(home, &["show", "all", "--width", "200"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(
        shown.contains("Hello") && shown.contains("there"),
        "{shown}"
    );
    assert!(shown.contains("Body") && shown.contains("text"), "{shown}");
    assert_clean("show", &shown);
    assert!(!shown.contains("javascript:"), "{shown}");

    let out = tidings(home, &["feeds"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let feeds = stdout(&out);
    assert!(feeds.contains("Evil") && feeds.contains("feed"), "{feeds}");
    assert_clean("feeds", &feeds);
    assert_clean("feeds (stderr)", &stderr(&out));

    // Addresses other than http(s) are dropped, not stored.
    let out = tidings(home, &["show", "all", "--json"]);
    let items: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    assert!(items[0]["link"].is_null(), "{items}");
    let out = tidings(home, &["feeds", "--json"]);
    let listed = stdout(&out);
    assert!(!listed.contains("javascript:"), "{listed}");
    let store = tidings::store::Store::open(&home.join("cache.db")).unwrap();
    let feed = store.feeds().unwrap().remove(0);
    assert!(feed.site_link.is_none(), "{:?}", feed.site_link);
}

#[test]
fn an_oversized_answer_is_refused_in_one_line() {
    let server = hostile_server();
    // More than the 64 MiB an answer may have, sent gzip-compressed (a few dozen kilobytes).
    server.route(
        "/v1/entries",
        Reply::gzip_bomb(65 * 1024 * 1024).content_type("application/json"),
    );
    let home = home_for(&server);
    let out = tidings(home.path(), &["sync"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("exceeds") && err.contains("bytes"), "{err}");
}
