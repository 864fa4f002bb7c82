//! Full text for synced items: a real Miniflux on loopback (see `support/miniflux.rs`) serves a
//! feed of teasers whose items link to article pages on this test's own HTTP server; with the
//! feed's full-text mode `always` (a `[[feed]]` table, or `tidings set --full-text`), `tidings
//! sync` and the sync inside `tidings fetch` fetch the new items' pages by the page fetcher's
//! rules, and `tidings show` gives the articles.

#[path = "support/miniflux.rs"]
mod miniflux;
mod support;

use std::path::Path;

use miniflux::Miniflux;
use serde_json::Value;
use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};

/// An RSS feed of teasers, item `i` linking to `/<name>/story/<i>` on `server`.
fn teasers(server: &TestServer, name: &str, count: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
         <link>{}</link>",
        server.url("/")
    );
    for i in 0..count {
        s.push_str(&format!(
            "<item><guid>{name}-{i}</guid><title>{name} story {i}</title>\
             <link>{}</link><pubDate>{}</pubDate>\
             <description>&lt;p&gt;Item {i} in brief: a short teaser, read on the site.&lt;/p&gt;\
             </description></item>",
            server.url(&format!("/{name}/story/{i}")),
            // Inside the days a first sync brings, whatever day the tests run; later items newer.
            support::cli::pub_date_days_ago(28 - (i % 27) as i64)
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// An article page: three paragraphs of made-up words no other page has (so that no paragraph
/// folds as one already seen), `word` in the first.
fn article(title: &str, word: &str) -> String {
    // A small generator of letters, seeded by the page's word.
    let mut state = word.bytes().fold(1469598103934665603u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(1099511628211)
    });
    let mut next_word = || -> String {
        (0..7)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + ((state >> 33) % 26) as u8)
            })
            .collect()
    };
    let mut paragraphs = String::new();
    for _ in 0..3 {
        let words: Vec<String> = (0..18).map(|_| next_word()).collect();
        paragraphs.push_str(&format!("<p>It concerns {word}: {}.</p>", words.join(" ")));
    }
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body>\
         <nav><a href=/>Home</a> <a href=/world>World</a></nav>\
         <article><h1>{title}</h1>{paragraphs}</article><footer>Copyright.</footer></body></html>"
    )
}

/// Serves feed `name` with `count` teasers and their article pages.
fn serve(server: &TestServer, name: &str, count: usize) {
    server.route(
        &format!("/{name}.xml"),
        Reply::ok(teasers(server, name, count)),
    );
    for i in 0..count {
        server.route(
            &format!("/{name}/story/{i}"),
            Reply::ok(article(
                &format!("{name} story {i}"),
                &format!("{name}word{}", ["zero", "one", "two", "three", "four"][i]),
            ))
            .content_type("text/html; charset=utf-8"),
        );
    }
}

fn home_for(mf: &Miniflux, extra: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[sync]\nserver = \"miniflux\"\nurl = \"{}\"\nusername = \"{}\"\n\
             password_command = [\"printf\", \"%s\", \"{}\"]\n\n{extra}",
            mf.url(),
            miniflux::USER,
            miniflux::PASSWORD
        ),
    )
    .unwrap();
    home
}

fn json(home: &Path, args: &[&str]) -> Value {
    let out = tidings(home, args);
    assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// The items of feed `feed` as `tidings show --json` gives them, by title: (full_text, body).
fn shown(home: &Path, feed: &str) -> Vec<(String, bool, String)> {
    let v = json(home, &["show", feed, "--json", "--width", "100"]);
    let mut out: Vec<(String, bool, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["title"].as_str().unwrap().to_string(),
                i["full_text"] == Value::Bool(true),
                i["body"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn synced_items_of_a_feed_set_to_always_get_their_articles_from_their_pages() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    serve(&server, "daily", 2);
    serve(&server, "weekly", 3);
    mf.subscribe(&server.url("/daily.xml"), "News");
    let weekly = mf.subscribe(&server.url("/weekly.xml"), "News");
    // Only the daily feed's articles are wanted from the start, by a [[feed]] table.
    let home = home_for(
        &mf,
        &format!(
            "[[feed]]\nurl = \"{}\"\nfull_text = \"always\"\n",
            server.url("/daily.xml")
        ),
    );
    let report = json(home.path(), &["sync", "--json"]);
    assert_eq!(report["new_items"], 5, "{report}");
    // Two pages for the daily feed (`always`), three for the weekly one (`auto`: teasers).
    assert_eq!(report["pages"]["fetched"], 5, "{report}");
    for page in ["/daily/story/0", "/daily/story/1", "/weekly/story/2"] {
        assert_eq!(server.requests_to(page).len(), 1, "one request per page");
    }
    let daily = shown(home.path(), "daily");
    assert_eq!(daily.len(), 2, "{daily:?}");
    for (i, (title, full, body)) in daily.iter().enumerate() {
        assert_eq!(title, &format!("daily story {i}"));
        assert!(full, "{title}: {body}");
        assert!(
            body.contains(&format!("dailyword{}", ["zero", "one"][i])),
            "{body}"
        );
        assert!(!body.contains("a short teaser"), "{body}");
        assert!(!body.contains("World"), "no navigation: {body}");
    }

    // The weekly feed is left to the `auto` rule, which finds teasers over its stored items.
    let weekly_items = shown(home.path(), "weekly");
    assert!(
        weekly_items.iter().all(|(_, full, _)| *full),
        "{weekly_items:?}"
    );

    // A feed set to `never` gets no page for its new items, even through `tidings fetch`; set
    // to `always`, the sync inside `tidings fetch` brings its new items' articles.
    let out = tidings(home.path(), &["set", "weekly", "--full-text", "never"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serve(&server, "weekly", 4);
    mf.refresh_feed(weekly);
    let report = json(home.path(), &["fetch", "--json"]);
    assert_eq!(report["sync"]["new_items"], 1, "{report}");
    assert_eq!(report["pages"]["fetched"], 0, "{report}");
    assert!(server.requests_to("/weekly/story/3").is_empty());

    let out = tidings(home.path(), &["set", "weekly", "--full-text", "always"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serve(&server, "weekly", 5);
    mf.refresh_feed(weekly);
    let report = json(home.path(), &["fetch", "--json"]);
    assert_eq!(report["sync"]["new_items"], 1, "{report}");
    assert_eq!(report["pages"]["fetched"], 1, "{report}");
    let weekly_items = shown(home.path(), "weekly");
    let (title, full, body) = &weekly_items[4];
    assert_eq!(title, "weekly story 4");
    assert!(*full && body.contains("weeklywordfour"), "{body}");
    // The item that came while the feed was set to `never` keeps its teaser.
    assert!(!weekly_items[3].1, "{weekly_items:?}");
}

#[test]
fn the_reader_refresh_brings_synced_articles_and_its_rename_of_a_server_feed_is_sent() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    serve(&server, "daily", 2);
    let daily = mf.subscribe(&server.url("/daily.xml"), "News");
    let home = home_for(
        &mf,
        &format!(
            "[reader]\nrefresh_on_start = true\nrefresh_interval_minutes = 0\nmouse = false\n\n\
             [[feed]]\nurl = \"{}\"\nfull_text = \"always\"\n",
            server.url("/daily.xml")
        ),
    );
    let mut t = support::pty::Term::start(home.path(), &[], 120, 30);
    t.wait_for("daily story 1", 20);
    // The refresh's sync brought the items; the same refresh fetches their pages.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !shown(home.path(), "daily").iter().all(|(_, full, _)| *full) {
        assert!(
            std::time::Instant::now() < deadline,
            "no articles: {:?}",
            shown(home.path(), "daily")
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(server.requests_to("/daily/story/0").len(), 1);

    // Rename the server's feed in the reader's feed list (`c`): its row may sit under its tag.
    t.send("h");
    t.send("G");
    for _ in 0..6 {
        t.send("c");
        if t.wait_for("title: ", 5).contains("title: daily_") {
            break;
        }
        t.send("\x1b");
        t.wait_gone("title: ", 5);
        t.send("k");
    }
    t.wait_for("title: daily_", 5);
    t.send("\x15");
    t.send("Daily Digest\r");
    t.wait_for("Renamed \"daily\" to \"Daily Digest\"", 5);
    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");

    let report = json(home.path(), &["sync", "--json"]);
    assert_eq!(report["feeds_edited"], 1, "{report}");
    let on_server = mf.get_json(&format!("/v1/feeds/{daily}"));
    assert_eq!(on_server["title"], "Daily Digest", "{on_server}");
    assert_eq!(shown(home.path(), "Daily Digest").len(), 2);
}
