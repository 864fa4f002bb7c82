//! `tidings sync` with `server = "greader"`: the Google Reader API of a real Miniflux on loopback
//! (see `support/miniflux.rs`), subscribed to feeds this test's own HTTP server serves.

#[path = "support/gate.rs"]
mod gate;
#[path = "support/miniflux.rs"]
mod miniflux;
mod support;
#[path = "support/sync_cli.rs"]
mod sync_cli;

use std::path::Path;

use gate::Gate;
use miniflux::Miniflux;
use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};
use sync_cli::{cache, on_server, rss, sync_json, titles};

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

/// An RSS 2.0 document whose items are `(guid, title, link)`.
fn rss_links(title: &str, items: &[(&str, &str, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>http://127.0.0.1:9/{title}/</link>"
    );
    for (guid, t, link) in items {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{t}</title><link>{link}</link>\
             <pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate>\
             <description>&lt;p&gt;The text of {t}, told at some length so that it is a story.&lt;/p&gt;</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

#[test]
fn google_reader_syndicated_copies_are_one_story_and_reading_it_marks_every_copy() {
    let Some(mf) = Miniflux::start() else { return };
    mf.enable_google_reader();
    let server = TestServer::start();
    let big = "https://news.example/big";
    server.route(
        "/a.xml",
        Reply::ok(rss_links(
            "alpha",
            &[
                ("a1", "Big news", big),
                ("a2", "Alpha only", "https://alpha.example/2"),
            ],
        )),
    );
    server.route(
        "/b.xml",
        Reply::ok(rss_links(
            "beta",
            &[
                ("b1", "Big news", big),
                ("b2", "Beta only", "https://beta.example/2"),
            ],
        )),
    );
    mf.subscribe(&server.url("/a.xml"), "News");
    mf.subscribe(&server.url("/b.xml"), "News");
    let home = home_for(&mf, miniflux::PASSWORD);
    sync_json(home.path());

    let out = tidings(home.path(), &["show", "all", "--json"]);
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let big_items: Vec<&serde_json::Value> =
        all.iter().filter(|i| i["title"] == "Big news").collect();
    assert_eq!(big_items.len(), 1, "the story is shown once: {all:?}");
    assert_eq!(
        big_items[0]["also_in"].as_array().unwrap().len(),
        1,
        "{all:?}"
    );

    cache(home.path())
        .set_read(local_id(home.path(), "Big news"), true)
        .unwrap();
    let report = sync_json(home.path());
    assert_eq!(report["pushed"], 2, "both copies are sent: {report}");
    let read: Vec<String> = mf
        .entries()
        .into_iter()
        .filter(|e| e.2 == "read")
        .map(|e| e.1)
        .collect();
    assert_eq!(read, vec!["Big news", "Big news"]);
    assert_eq!(
        titles(home.path(), "unread"),
        vec!["Alpha only", "Beta only"]
    );
}

#[test]
fn a_google_reader_sync_killed_half_way_resumes_where_it_stopped() {
    let Some(mf) = Miniflux::start() else { return };
    mf.enable_google_reader();
    let server = TestServer::start();
    let names: Vec<(String, String)> = (0..1_500)
        .map(|i| (format!("g{i}"), format!("Item {i:04}")))
        .collect();
    let items: Vec<(&str, &str)> = names
        .iter()
        .map(|(g, t)| (g.as_str(), t.as_str()))
        .collect();
    server.route("/big.xml", Reply::ok(rss("Big", &items)));
    mf.subscribe(&server.url("/big.xml"), "News");
    assert_eq!(mf.get_json("/v1/entries?limit=1")["total"], 1_500);

    // Pages are lists of ids (1,000 a page, then their contents): the second list is asked for
    // only once the first page's items are stored. Held there.
    let port: u16 = mf.url().rsplit(':').next().unwrap().parse().unwrap();
    let gate = Gate::start(port, "GET /reader/api/0/stream/items/ids", 2);
    let home = home_for(&mf, miniflux::PASSWORD);
    let config = home.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace(&mf.url(), &gate.url())).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home.path())
        .arg("sync")
        .env_remove("TIDINGS_HOME")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    gate.wait_held(60, "the sync never asked for a second page of ids");
    child.kill().unwrap();
    child.wait().unwrap();
    let q = tidings::model::ItemQuery::new(tidings::model::View::All);
    assert_eq!(
        cache(home.path()).headlines(&q, 0, 10_000).unwrap().len(),
        1_000
    );

    gate.open();
    let report = sync_json(home.path());
    assert_eq!(report["resumed"], true, "{report}");
    assert_eq!(report["first"], true, "{report}");
    assert_eq!(
        report["items"], 500,
        "the stored page is not asked for again: {report}"
    );
    assert_eq!(report["new_items"], 500, "{report}");
    assert_eq!(
        cache(home.path()).headlines(&q, 0, 10_000).unwrap().len(),
        1_500
    );
    assert_eq!(titles(home.path(), "unread").len(), 1_500);
    let again = sync_json(home.path());
    assert_eq!(
        (again["resumed"].as_bool(), again["first"].as_bool()),
        (Some(false), Some(false)),
        "{again}"
    );
    assert_eq!(again["new_items"], 0, "{again}");
}
