//! `tidings sync` with `server = "greader"`: the Google Reader API of a real Miniflux on loopback
//! (see `support/miniflux.rs`), subscribed to feeds this test's own HTTP server serves.

#[path = "support/miniflux.rs"]
mod miniflux;
mod support;

use std::path::Path;

use miniflux::Miniflux;
use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};

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

fn home_for(mf: &Miniflux, password: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[sync]\nserver = \"greader\"\nurl = \"{}\"\nusername = \"{}\"\n\
             password_command = [\"printf\", \"%s\", \"{password}\"]\ndays = 3650\n",
            mf.url(),
            miniflux::USER,
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

fn cache(home: &Path) -> tidings::store::Store {
    tidings::store::Store::open(&home.join("cache.db")).unwrap()
}

fn local_id(home: &Path, title: &str) -> i64 {
    let q = tidings::model::ItemQuery::new(tidings::model::View::All);
    cache(home)
        .headlines(&q, 0, 10_000)
        .unwrap()
        .into_iter()
        .find(|h| h.title == title)
        .unwrap()
        .id
}

fn on_server(mf: &Miniflux, title: &str) -> (String, bool) {
    let e = mf.entries().into_iter().find(|e| e.1 == title).unwrap();
    (e.2, e.3)
}

#[test]
fn the_google_reader_kind_syncs_items_read_and_star_both_ways_and_new_items() {
    let Some(mf) = Miniflux::start() else { return };
    mf.enable_google_reader();
    let server = TestServer::start();
    server.route(
        "/a.xml",
        Reply::ok(rss(
            "Alpha",
            &[("a1", "One"), ("a2", "Two"), ("a3", "Three")],
        )),
    );
    let feed = mf.subscribe(&server.url("/a.xml"), "News");
    let ids: std::collections::HashMap<String, i64> =
        mf.entries().into_iter().map(|e| (e.1, e.0)).collect();
    mf.set_status(&[ids["Three"]], "read");
    mf.set_starred(&[ids["Two"]], true);

    let home = home_for(&mf, miniflux::PASSWORD);
    let report = sync_json(home.path());
    assert_eq!(report["feeds"], 1, "{report}");
    assert_eq!(report["new_items"], 3, "{report}");
    assert_eq!(titles(home.path(), "unread"), vec!["One", "Two"]);
    assert_eq!(titles(home.path(), "starred"), vec!["Two"]);
    assert_eq!(
        titles(home.path(), "tag:\"News\""),
        vec!["One", "Three", "Two"]
    );

    // Local: One read, Three starred. Server: Two read and unstarred.
    let store = cache(home.path());
    store.set_read(local_id(home.path(), "One"), true).unwrap();
    store
        .set_starred(local_id(home.path(), "Three"), true)
        .unwrap();
    drop(store);
    mf.set_status(&[ids["Two"]], "read");
    mf.set_starred(&[ids["Two"]], false);
    let report = sync_json(home.path());
    assert_eq!(report["pushed"], 2, "{report}");
    assert_eq!(on_server(&mf, "One").0, "read");
    assert!(on_server(&mf, "Three").1);
    assert_eq!(titles(home.path(), "unread"), Vec::<String>::new());
    assert_eq!(titles(home.path(), "starred"), vec!["Three"]);

    // A new item on the server comes with the next sync.
    server.route(
        "/a.xml",
        Reply::ok(rss(
            "Alpha",
            &[
                ("a1", "One"),
                ("a2", "Two"),
                ("a3", "Three"),
                ("a4", "Four"),
            ],
        )),
    );
    mf.refresh_feed(feed);
    for _ in 0..100 {
        if mf.entries().iter().any(|e| e.1 == "Four") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let report = sync_json(home.path());
    assert_eq!(report["new_items"], 1, "{report}");
    assert_eq!(titles(home.path(), "unread"), vec!["Four"]);
}

#[test]
fn bad_google_reader_credentials_are_one_clear_line() {
    let Some(mf) = Miniflux::start() else { return };
    mf.enable_google_reader();
    let home = home_for(&mf, "wrong-password");
    let out = tidings(home.path(), &["sync"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(&format!("greader at {}", mf.url())), "{err}");
    assert!(err.contains("refused the credentials"), "{err}");
}

#[test]
fn add_and_remove_go_to_the_google_reader_server() {
    let Some(mf) = Miniflux::start() else { return };
    mf.enable_google_reader();
    let server = TestServer::start();
    server.route("/a.xml", Reply::ok(rss("Alpha", &[("a1", "One")])));
    let home = home_for(&mf, miniflux::PASSWORD);
    let out = tidings(
        home.path(),
        &["add", &server.url("/a.xml"), "--tag", "Science"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let feeds = mf.get_json("/v1/feeds");
    assert_eq!(feeds.as_array().unwrap().len(), 1, "{feeds}");
    assert_eq!(feeds[0]["category"]["title"], "Science");
    assert_eq!(titles(home.path(), "tag:\"Science\""), vec!["One"]);
    let out = tidings(home.path(), &["remove", "Alpha"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(mf.get_json("/v1/feeds").as_array().unwrap().is_empty());
}

#[test]
fn the_google_reader_queue_waits_while_the_server_is_down() {
    let Some(mut mf) = Miniflux::start() else {
        return;
    };
    mf.enable_google_reader();
    let server = TestServer::start();
    server.route(
        "/a.xml",
        Reply::ok(rss("Alpha", &[("a1", "One"), ("a2", "Two")])),
    );
    mf.subscribe(&server.url("/a.xml"), "News");
    let home = home_for(&mf, miniflux::PASSWORD);
    sync_json(home.path());
    mf.stop();
    cache(home.path())
        .set_starred(local_id(home.path(), "Two"), true)
        .unwrap();
    let out = tidings(home.path(), &["sync"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("greader at") && err.contains("cannot reach"),
        "{err}"
    );
    assert_eq!(titles(home.path(), "starred"), vec!["Two"]);
    mf.restart();
    let report = sync_json(home.path());
    assert_eq!(report["pushed"], 1, "{report}");
    assert!(on_server(&mf, "Two").1);
    assert_eq!(titles(home.path(), "starred"), vec!["Two"]);
}
