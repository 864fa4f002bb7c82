//! `tidings sync` against a real Miniflux on loopback (see `support/miniflux.rs`), subscribed to
//! feeds this test's own HTTP server serves.

#[path = "support/gate.rs"]
mod gate;
#[path = "support/miniflux.rs"]
mod miniflux;
mod support;
#[path = "support/sync_cli.rs"]
mod sync_cli;

use std::path::Path;
use std::process::Output;

use gate::Gate;
use miniflux::Miniflux;
use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};
use sync_cli::{cache, on_server, rss, sync_json, titles};

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

fn failed(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure: {}", stdout(out));
    stderr(out)
}

#[test]
fn the_harness_serves_a_subscribed_feed() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    server.route(
        "/a.xml",
        Reply::ok(rss("Alpha", &[("a1", "First"), ("a2", "Second")])),
    );
    mf.subscribe(&server.url("/a.xml"), "News");
    mf.enable_google_reader();
    let titles: Vec<String> = mf.entries().into_iter().map(|e| e.1).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
}

#[test]
fn first_sync_brings_feeds_as_tags_items_and_their_state() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    server.route(
        "/a.xml",
        Reply::ok(rss("Alpha", &[("a1", "Alpha one"), ("a2", "Alpha two")])),
    );
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
    assert!(
        feeds.contains("/a.xml") && feeds.contains("/b.xml"),
        "{feeds}"
    );

    // A second sync with nothing new brings nothing and changes nothing.
    let again = sync_json(home.path());
    assert_eq!(again["first"], false, "{again}");
    assert_eq!(again["new_items"], 0, "{again}");
    assert_eq!(again["state_changes"], 0, "{again}");

    // A feed the server fails to fetch shows its error like a feed tidings failed to fetch.
    server.route("/b.xml", Reply::status(500));
    let beta = mf
        .get_json("/v1/feeds")
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["feed_url"].as_str().unwrap().ends_with("/b.xml"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let _ = mf.request_status("PUT", &format!("/v1/feeds/{beta}/refresh"));
    let report = sync_json(home.path());
    assert_eq!(report["feed_errors"], 1, "{report}");
    let feeds: serde_json::Value =
        serde_json::from_str(&stdout(&tidings(home.path(), &["feeds", "--json"]))).unwrap();
    let b = feeds
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"].as_str().unwrap().ends_with("/b.xml"))
        .unwrap();
    assert!(
        b["last_error"]
            .as_str()
            .is_some_and(|e| e.starts_with("on the server: ") && e.contains("server error")),
        "{b}"
    );
}

/// The local id of the item titled `title`.
fn local_id(home: &Path, title: &str) -> i64 {
    let q = tidings::model::ItemQuery::new(tidings::model::View::All);
    cache(home)
        .headlines(&q, 0, 10_000)
        .unwrap()
        .into_iter()
        .find(|h| h.title == title)
        .unwrap_or_else(|| panic!("no item {title}"))
        .id
}

fn account(mf: &Miniflux) -> String {
    format!("miniflux {} {}", mf.url(), miniflux::USER)
}

#[test]
fn read_and_star_go_both_ways_and_a_queued_local_change_wins() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    server.route(
        "/a.xml",
        Reply::ok(rss(
            "Alpha",
            &[("a1", "One"), ("a2", "Two"), ("a3", "Three")],
        )),
    );
    mf.subscribe(&server.url("/a.xml"), "News");
    let home = home_for(&mf, "");
    sync_json(home.path());
    assert_eq!(titles(home.path(), "unread"), vec!["One", "Three", "Two"]);

    // Local: One read, Two starred (as the reader does it, through the cache).
    let store = cache(home.path());
    store.set_read(local_id(home.path(), "One"), true).unwrap();
    store
        .set_starred(local_id(home.path(), "Two"), true)
        .unwrap();
    drop(store);
    // Server: Three read, One starred.
    let ids: std::collections::HashMap<String, i64> =
        mf.entries().into_iter().map(|e| (e.1, e.0)).collect();
    mf.set_status(&[ids["Three"]], "read");
    mf.set_starred(&[ids["One"]], true);

    let report = sync_json(home.path());
    assert_eq!(report["pushed"], 2, "{report}");
    assert_eq!(on_server(&mf, "One"), ("read".to_string(), true));
    assert_eq!(on_server(&mf, "Two"), ("unread".to_string(), true));
    assert_eq!(titles(home.path(), "unread"), vec!["Two"]);
    assert_eq!(titles(home.path(), "starred"), vec!["One", "Two"]);

    // Both sides change Three: the local change, queued, wins over the server's newer one.
    cache(home.path())
        .set_read(local_id(home.path(), "Three"), false)
        .unwrap();
    mf.set_status(&[ids["Three"]], "read");
    sync_json(home.path());
    assert_eq!(on_server(&mf, "Three").0, "unread");
    assert_eq!(titles(home.path(), "unread"), vec!["Three", "Two"]);
    assert_eq!(cache(home.path()).queued_count(&account(&mf)).unwrap(), 0);
}

#[test]
fn an_incremental_sync_brings_only_what_is_new_or_changed() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    server.route("/a.xml", Reply::ok(rss("Alpha", &[("a1", "One")])));
    let feed = mf.subscribe(&server.url("/a.xml"), "News");
    let home = home_for(&mf, "");
    // The next sync asks from a second before this one starts (the server's clock has whole
    // seconds): an entry older than that is not asked for again unless it changes.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    assert_eq!(sync_json(home.path())["new_items"], 1);

    server.route(
        "/a.xml",
        Reply::ok(rss("Alpha", &[("a1", "One"), ("a2", "Two")])),
    );
    mf.refresh_feed(feed);
    let two = (0..100)
        .find_map(|_| {
            let found = mf.entries().into_iter().find(|e| e.1 == "Two");
            if found.is_none() {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            found
        })
        .expect("Miniflux refreshed the feed");
    let report = sync_json(home.path());
    assert_eq!(report["first"], false, "{report}");
    assert_eq!(
        report["items"], 1,
        "only the new entry is asked for: {report}"
    );
    assert_eq!(report["new_items"], 1, "{report}");
    assert_eq!(titles(home.path(), "unread"), vec!["One", "Two"]);

    mf.set_status(&[two.0], "read");
    let report = sync_json(home.path());
    assert_eq!(report["items"], 1, "only the changed entry: {report}");
    assert_eq!(report["state_changes"], 1, "{report}");
    assert_eq!(titles(home.path(), "unread"), vec!["One"]);
}

#[test]
fn with_the_server_down_the_sync_fails_in_one_line_and_the_queue_waits_for_its_return() {
    let Some(mut mf) = Miniflux::start() else {
        return;
    };
    let server = TestServer::start();
    server.route(
        "/a.xml",
        Reply::ok(rss("Alpha", &[("a1", "One"), ("a2", "Two")])),
    );
    mf.subscribe(&server.url("/a.xml"), "News");
    let home = home_for(&mf, "");
    sync_json(home.path());

    mf.stop();
    cache(home.path())
        .set_read(local_id(home.path(), "One"), true)
        .unwrap();
    let out = tidings(home.path(), &["sync"]);
    let err = failed(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(&format!("miniflux at {}", mf.url())), "{err}");
    assert!(err.contains("cannot reach the server"), "{err}");
    // Nothing lost: the item stays read and the change stays queued.
    assert_eq!(titles(home.path(), "unread"), vec!["Two"]);
    assert_eq!(cache(home.path()).queued_count(&account(&mf)).unwrap(), 1);

    mf.restart();
    let report = sync_json(home.path());
    assert_eq!(report["pushed"], 1, "{report}");
    assert_eq!(on_server(&mf, "One").0, "read");
    assert_eq!(titles(home.path(), "unread"), vec!["Two"]);
    assert_eq!(cache(home.path()).queued_count(&account(&mf)).unwrap(), 0);
}

#[test]
fn bad_credentials_and_a_server_of_another_kind_are_one_clear_line() {
    let Some(mf) = Miniflux::start() else { return };
    let home = home_for(&mf, "");
    let config = home.path().join("config.toml");
    let good = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, good.replace(miniflux::PASSWORD, "wrong-password")).unwrap();
    let err = failed(&tidings(home.path(), &["sync"]));
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("refused the credentials"), "{err}");
    assert!(
        !err.contains("wrong-password"),
        "the secret is never printed: {err}"
    );

    let other = TestServer::start();
    std::fs::write(&config, good.replace(&mf.url(), &other.url(""))).unwrap();
    let err = failed(&tidings(home.path(), &["sync"]));
    assert!(err.contains("no Miniflux API at this address"), "{err}");

    std::fs::write(
        &config,
        good.replace("[\"printf\"", "[\"/nonexistent/pass-helper\""),
    )
    .unwrap();
    let err = failed(&tidings(home.path(), &["sync"]));
    assert!(err.contains("password_command"), "{err}");
}

#[test]
fn fetch_syncs_the_server_feeds_and_fetches_only_the_local_ones() {
    let Some(mut mf) = Miniflux::start() else {
        return;
    };
    let server = TestServer::start();
    server.route(
        "/a.xml",
        Reply::ok(rss("Alpha", &[("a1", "From the server")])),
    );
    mf.subscribe(&server.url("/a.xml"), "News");
    let home = home_for(&mf, "");
    let local = home.path().join("local.xml");
    std::fs::write(&local, rss("Local", &[("l1", "From a file")])).unwrap();
    let out = tidings(home.path(), &["add", local.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let asked = server.requests_to("/a.xml").len();

    let out = tidings(home.path(), &["fetch", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["sync"]["new_items"], 1, "{report}");
    assert_eq!(
        report["feeds"], 1,
        "only the local feed is fetched: {report}"
    );
    assert_eq!(
        server.requests_to("/a.xml").len(),
        asked,
        "tidings never fetches a server feed itself"
    );
    assert_eq!(
        titles(home.path(), "unread"),
        vec!["From a file", "From the server"]
    );

    // The server down: one line, and the local feeds are still fetched.
    mf.stop();
    std::fs::write(
        &local,
        rss("Local", &[("l1", "From a file"), ("l2", "Second")]),
    )
    .unwrap();
    let out = tidings(home.path(), &["fetch"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(
        err.lines().filter(|l| l.starts_with("sync: ")).count(),
        1,
        "{err}"
    );
    assert!(err.contains("cannot reach the server"), "{err}");
    assert_eq!(
        titles(home.path(), "unread"),
        vec!["From a file", "From the server", "Second"]
    );
}

/// An RSS 2.0 document whose items are `(guid, title, link)`.
fn rss_links(title: &str, items: &[(&str, &str, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>http://127.0.0.1:9/{title}/</link>"
    );
    for (guid, t, link) in items {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{t}</title><link>{link}</link>\
             <pubDate>{}</pubDate>\
             <description>&lt;p&gt;The text of {t}, told at some length so that it is a story.&lt;/p&gt;</description></item>",
            support::cli::pub_date_days_ago(27)
        ));
    }
    s.push_str("</channel></rss>");
    s
}

#[test]
fn syndicated_copies_are_one_story_and_reading_it_marks_every_copy_on_the_server() {
    let Some(mf) = Miniflux::start() else { return };
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
    let home = home_for(&mf, "");
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
fn a_sync_killed_half_way_resumes_where_it_stopped() {
    let Some(mf) = Miniflux::start() else { return };
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

    let port: u16 = mf.url().rsplit(':').next().unwrap().parse().unwrap();
    // The second page is asked for only once the first is stored: held there.
    let gate = Gate::start(port, "GET /v1/entries", 2);
    let home = home_for(&mf, "");
    let config = home.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace(&mf.url(), &format!("http://127.0.0.1:{}", gate.port)),
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home.path())
        .arg("sync")
        .env_remove("TIDINGS_HOME")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    gate.wait_held(60, "the sync never asked for a second page");
    // Killed there.
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
    let again = sync_json(home.path());
    assert_eq!(
        (again["resumed"].as_bool(), again["first"].as_bool()),
        (Some(false), Some(false))
    );
}

#[test]
fn the_reader_refresh_syncs_and_reading_an_item_queues_it_for_the_server() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    server.route(
        "/a.xml",
        Reply::ok(rss("Alpha", &[("a1", "Synced headline")])),
    );
    mf.subscribe(&server.url("/a.xml"), "News");
    let home = home_for(
        &mf,
        "[reader]\nrefresh_on_start = true\nrefresh_interval_minutes = 0\nmouse = false\n",
    );
    let mut t = support::pty::Term::start(home.path(), &[], 120, 30);
    t.wait_for("Synced headline", 20);
    t.send("\r");
    t.wait_for("Body of Synced headline", 5);
    t.send("\x1b");
    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");
    assert_eq!(
        server.requests_to("/a.xml").len(),
        1,
        "only Miniflux fetched the feed, once, when subscribed"
    );
    assert_eq!(cache(home.path()).queued_count(&account(&mf)).unwrap(), 1);
    assert_eq!(on_server(&mf, "Synced headline").0, "unread");
    let report = sync_json(home.path());
    assert_eq!(report["pushed"], 1, "{report}");
    assert_eq!(on_server(&mf, "Synced headline").0, "read");
}

#[test]
fn add_and_remove_of_a_web_feed_go_to_the_server_and_add_local_stays_here() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    server.route("/a.xml", Reply::ok(rss("Alpha", &[("a1", "Alpha one")])));
    server.route(
        "/l.xml",
        Reply::ok(rss("Kept here", &[("l1", "Local one")])),
    );
    let home = home_for(&mf, "");

    let out = tidings(
        home.path(),
        &["add", &server.url("/a.xml"), "--tag", "Science"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Subscribed on miniflux at"),
        "{}",
        stdout(&out)
    );
    let on_server = mf.get_json("/v1/feeds");
    let feed = &on_server.as_array().unwrap()[0];
    assert!(
        feed["feed_url"].as_str().unwrap().ends_with("/a.xml"),
        "{feed}"
    );
    assert_eq!(feed["category"]["title"], "Science");
    assert_eq!(titles(home.path(), "tag:\"Science\""), vec!["Alpha one"]);

    let out = tidings(home.path(), &["add", "--local", &server.url("/l.xml")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mf.get_json("/v1/feeds").as_array().unwrap().len(), 1);
    assert_eq!(
        server.requests_to("/l.xml").len(),
        1,
        "tidings fetched it itself"
    );

    let out = tidings(home.path(), &["remove", "Alpha"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(mf.get_json("/v1/feeds").as_array().unwrap().is_empty());
    assert_eq!(titles(home.path(), "unread"), vec!["Local one"]);
}
