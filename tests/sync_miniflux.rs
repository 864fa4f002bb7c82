//! `tidings sync` against a real Miniflux on loopback (see `support/miniflux.rs`), subscribed to
//! feeds this test's own HTTP server serves.

mod support;
#[path = "support/miniflux.rs"]
mod miniflux;

use std::path::Path;
use std::process::Output;

use miniflux::Miniflux;
use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};

/// A home whose config syncs with `mf` (the password printed by `printf`, no shell).
fn home_for(mf: &Miniflux, extra: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[sync]\nserver = \"miniflux\"\nurl = \"{}\"\nusername = \"{}\"\n\
             password_command = [\"printf\", \"%s\\\\n\", \"{}\"]\n{extra}",
            mf.url(),
            miniflux::USER,
            miniflux::PASSWORD
        ),
    )
    .unwrap();
    home
}

/// `tidings sync --json` on `home`, its report parsed (panics when it fails).
fn sync_json(home: &Path) -> serde_json::Value {
    let out = tidings(home, &["sync", "--json"]);
    assert!(out.status.success(), "sync failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// `tidings show all --json` as (title, read?) pairs cannot be had: the JSON has no read flag,
/// so read state is read through a filter.
fn titles(home: &Path, filter: &str) -> Vec<String> {
    let out = tidings(home, &["show", "all", "--json", "--filter", filter]);
    assert!(out.status.success(), "show failed: {}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut t: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

fn failed(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure: {}", stdout(out));
    stderr(out)
}

/// An RSS 2.0 document with items `(guid, title)`, each with a one-paragraph body.
fn rss(title: &str, items: &[(&str, &str)]) -> String {
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

#[test]
fn the_harness_serves_a_subscribed_feed() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    server.route("/a.xml", Reply::ok(rss("Alpha", &[("a1", "First"), ("a2", "Second")])));
    mf.subscribe(&server.url("/a.xml"), "News");
    mf.enable_google_reader();
    let titles: Vec<String> = mf.entries().into_iter().map(|e| e.1).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
}

#[test]
fn first_sync_brings_feeds_as_tags_items_and_their_state() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    server.route("/a.xml", Reply::ok(rss("Alpha", &[("a1", "Alpha one"), ("a2", "Alpha two")])));
    server.route("/b.xml", Reply::ok(rss("Beta", &[("b1", "Beta one")])));
    mf.subscribe(&server.url("/a.xml"), "News");
    mf.subscribe(&server.url("/b.xml"), "Tech");
    let entries = mf.entries();
    let id = |t: &str| entries.iter().find(|e| e.1 == t).unwrap().0;
    mf.set_status(&[id("Alpha two")], "read");
    mf.set_starred(&[id("Beta one")], true);

    let home = home_for(&mf, "");
    let report = sync_json(home.path());
    assert_eq!(report["feeds"], 2, "{report}");
    assert_eq!(report["new_items"], 3, "{report}");
    assert_eq!(report["first"], true, "{report}");
    assert_eq!(titles(home.path(), "unread"), vec!["Alpha one", "Beta one"]);
    assert_eq!(titles(home.path(), "starred"), vec!["Beta one"]);
    assert_eq!(titles(home.path(), "tag:\"Tech\""), vec!["Beta one"]);
    // The server's feeds are listed like any feed.
    let feeds = stdout(&tidings(home.path(), &["feeds", "--json"]));
    assert!(feeds.contains("/a.xml") && feeds.contains("/b.xml"), "{feeds}");

    // A second sync with nothing new brings nothing and changes nothing.
    let again = sync_json(home.path());
    assert_eq!(again["first"], false, "{again}");
    assert_eq!(again["new_items"], 0, "{again}");
    assert_eq!(again["state_changes"], 0, "{again}");
}
