//! Renames and tag edits of a server's feeds, made in the cache (as `tidings set --title` and
//! the reader's cache worker make them), go to a real Miniflux on loopback (see
//! `support/miniflux.rs`) at the next sync, through its REST API and its Google Reader API; the
//! server's old title never overwrites the local edit, and an edit made while the server is
//! down waits for its return.

#[path = "support/miniflux.rs"]
mod miniflux;
mod support;

use std::path::Path;

use miniflux::Miniflux;
use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};

/// A home syncing with `mf` through the `kind` API (`miniflux` or `greader`).
fn home_for(mf: &Miniflux, kind: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[sync]\nserver = \"{kind}\"\nurl = \"{}\"\nusername = \"{}\"\n\
             password_command = [\"printf\", \"%s\", \"{}\"]\n",
            mf.url(),
            miniflux::USER,
            miniflux::PASSWORD
        ),
    )
    .unwrap();
    home
}

fn sync_json(home: &Path) -> serde_json::Value {
    let out = tidings(home, &["sync", "--json"]);
    assert!(out.status.success(), "sync failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn rss(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://site.example/</link><item><guid>x1</guid><title>{title} one</title>\
         <link>https://site.example/x1</link><description>Body.</description></item></channel></rss>"
    )
}

/// The local feed whose address ends with `path`: (id, title, tags).
fn local_feed(home: &Path, path: &str) -> (i64, String, Vec<String>) {
    let out = tidings(home, &["feeds", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = v
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"].as_str().is_some_and(|u| u.ends_with(path)))
        .unwrap_or_else(|| panic!("no feed {path} in {v}"))
        .clone();
    let tags = f["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    (
        f["id"].as_i64().unwrap(),
        f["title"].as_str().unwrap().to_string(),
        tags,
    )
}

/// The server's (title, category) of its feed `id`, through its REST API.
fn on_server(mf: &Miniflux, id: i64) -> (String, String) {
    let f = mf.get_json(&format!("/v1/feeds/{id}"));
    (
        f["title"].as_str().unwrap().to_string(),
        f["category"]["title"].as_str().unwrap().to_string(),
    )
}

fn cache(home: &Path) -> tidings::store::Store {
    tidings::store::Store::open(&home.join("cache.db")).unwrap()
}

fn account(mf: &Miniflux, kind: &str) -> String {
    format!("{kind} {} {}", mf.url(), miniflux::USER)
}

/// Rename and tag edit in the cache, a sync, the server's feed checked; a second sync keeps the
/// title; a rename on the server comes back; an edit while the server is down waits.
fn renames_and_tag_edits_reach_the_server(kind: &str) {
    let Some(mut mf) = Miniflux::start() else {
        return;
    };
    if kind == "greader" {
        mf.enable_google_reader();
    }
    let server = TestServer::start();
    server.route("/a.xml", Reply::ok(rss("Alpha")));
    server.route("/b.xml", Reply::ok(rss("Beta")));
    let alpha = mf.subscribe(&server.url("/a.xml"), "News");
    let beta = mf.subscribe(&server.url("/b.xml"), "News");
    let home = home_for(&mf, kind);
    sync_json(home.path());
    let (local_alpha, title, tags) = local_feed(home.path(), "/a.xml");
    assert_eq!((title.as_str(), tags), ("Alpha", vec!["News".to_string()]));

    // A rename through `tidings set`, a tag edit as the reader's `t` saves it.
    let out = tidings(home.path(), &["set", "Alpha", "--title", "Renamed Alpha"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("goes to {kind} at {}", mf.url())),
        "{}",
        stderr(&out)
    );
    let (local_beta, ..) = local_feed(home.path(), "/b.xml");
    cache(home.path())
        .set_feed_tags(local_beta, &["Science".to_string()])
        .unwrap();
    assert_eq!(
        cache(home.path())
            .queued_feed_edit_count(&account(&mf, kind))
            .unwrap(),
        2
    );

    let report = sync_json(home.path());
    assert_eq!(report["feeds_edited"], 2, "{report}");
    assert_eq!(
        on_server(&mf, alpha),
        ("Renamed Alpha".to_string(), "News".to_string())
    );
    assert_eq!(
        on_server(&mf, beta),
        ("Beta".to_string(), "Science".to_string())
    );
    // Here, the edits stand after the server's list came back, and after a second sync.
    for _ in 0..2 {
        let (id, title, tags) = local_feed(home.path(), "/a.xml");
        assert_eq!(
            (id, title.as_str(), tags),
            (local_alpha, "Renamed Alpha", vec!["News".to_string()])
        );
        assert_eq!(
            local_feed(home.path(), "/b.xml").2,
            vec!["Science".to_string()]
        );
        let again = sync_json(home.path());
        assert_eq!(again["feeds_edited"], 0, "{again}");
    }

    // The title sent is the server's now: a rename on the server (the phone) shows here.
    mf.api(
        "PUT",
        &format!("/v1/feeds/{alpha}"),
        Some(r#"{"title": "Named on the phone"}"#),
    );
    sync_json(home.path());
    assert_eq!(local_feed(home.path(), "/a.xml").1, "Named on the phone");

    // With the server down, the edit waits in the cache; it is sent once the server is back.
    mf.stop();
    let out = tidings(
        home.path(),
        &["set", "Named on the phone", "--title", "Offline"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = tidings(home.path(), &["sync", "--json"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    let answer: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(answer["queued_feed_edits"], 1, "{answer}");
    assert_eq!(local_feed(home.path(), "/a.xml").1, "Offline");
    mf.restart();
    let report = sync_json(home.path());
    assert_eq!(report["feeds_edited"], 1, "{report}");
    assert_eq!(on_server(&mf, alpha).0, "Offline");
    assert_eq!(local_feed(home.path(), "/a.xml").1, "Offline");
    assert_eq!(
        cache(home.path())
            .queued_feed_edit_count(&account(&mf, kind))
            .unwrap(),
        0
    );
}

#[test]
fn renames_and_tag_edits_reach_miniflux_through_its_rest_api() {
    renames_and_tag_edits_reach_the_server("miniflux");
}

#[test]
fn renames_and_tag_edits_reach_the_server_through_the_google_reader_api() {
    renames_and_tag_edits_reach_the_server("greader");
}
