//! The reader beside other processes, and its remembered views: the real binary in a pty, feeds
//! from a real HTTP server on 127.0.0.1, a second `tidings` changing the same cache.

mod support;

use std::path::Path;

use support::cli::{stderr, tidings};
use support::pty::Term;
use support::server::{Reply, TestServer};

/// An RSS 2.0 document with items `(guid, title, day of November 2026)`.
fn rss(title: &str, items: &[(&str, &str, u32)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://site.example/</link>"
    );
    for (guid, t, day) in items {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{t}</title><link>https://site.example/{guid}</link>\
             <pubDate>Mon, {day:02} Nov 2026 10:00:00 +0000</pubDate><description>&lt;p&gt;Body of {t}.&lt;/p&gt;</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn serve(server: &TestServer, path: &str, body: String) {
    server.route(path, Reply::ok(body).content_type("application/rss+xml"));
}

fn run_ok(home: &Path, args: &[&str]) {
    let o = tidings(home, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
}

/// A home whose reader neither refreshes nor uses the mouse, subscribed to `url`.
fn home_with(url: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    run_ok(home.path(), &["add", url]);
    home
}

#[test]
fn an_add_and_a_fetch_by_another_process_show_without_r() {
    let server = TestServer::start();
    serve(
        &server,
        "/harbour.xml",
        rss("Harbour Gazette", &[("h1", "Tide tables posted", 2)]),
    );
    serve(
        &server,
        "/coral.xml",
        rss("Coral Weekly", &[("c1", "Reef survey done", 3)]),
    );
    let home = home_with(&server.url("/harbour.xml"));
    let mut t = Term::start(home.path(), &[], 130, 30);
    t.wait_for("Tide tables posted", 10);

    // Another process subscribes to a feed while the reader is open.
    run_ok(home.path(), &["add", &server.url("/coral.xml")]);
    let s = t.wait_for("Reef survey done", 5);
    assert!(s.contains("Coral Weekly"), "the feed list has it: {s}");

    // A cron fetch brings a new item.
    serve(
        &server,
        "/harbour.xml",
        rss(
            "Harbour Gazette",
            &[
                ("h1", "Tide tables posted", 2),
                ("h2", "Lighthouse repainted", 4),
            ],
        ),
    );
    run_ok(home.path(), &["fetch", "--quiet"]);
    t.wait_for("Lighthouse repainted", 5);

    t.send("Q");
    assert!(t.wait_exit(10));
}

/// The line of the screen holding `text`.
fn line_of(screen: &str, text: &str) -> usize {
    screen
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text} not on screen: {screen}"))
}

#[test]
fn sort_is_remembered_across_restarts_and_keeps_the_selection() {
    let server = TestServer::start();
    let items: Vec<(String, String, u32)> = (1..=9)
        .map(|d| (format!("g{d}"), format!("Gazette story {d}"), d))
        .collect();
    let refs: Vec<(&str, &str, u32)> = items
        .iter()
        .map(|(g, t, d)| (g.as_str(), t.as_str(), *d))
        .collect();
    serve(&server, "/g.xml", rss("Gazette", &refs));
    let home = home_with(&server.url("/g.xml"));

    let mut t = Term::start(home.path(), &[], 130, 30);
    let s = t.wait_for("Gazette story 1", 10);
    assert!(line_of(&s, "Gazette story 9") < line_of(&s, "Gazette story 1"));
    // Select story 7 (newest first: 9, 8, 7) and open it.
    t.send("jj\r");
    t.wait_for("Link: https://site.example/g7", 5);
    t.send("\x1b");
    t.send("S");
    let oldest_first = |s: &str| line_of(s, "Gazette story 1") < line_of(s, "Gazette story 9");
    t.wait_until("the oldest story first", 5, oldest_first);
    // Still on story 7: opening what is selected shows it (after showing another article).
    t.send("k\r");
    t.wait_for("Link: https://site.example/g6", 5);
    t.send("\x1b");
    t.send("j\r");
    t.wait_for("Link: https://site.example/g7", 5);
    t.send("Q");
    assert!(t.wait_exit(10));

    let mut t = Term::start(home.path(), &[], 130, 30);
    t.wait_for("Gazette story 9", 10);
    let s = t.wait_for("Gazette story 1", 5);
    // The remembered order is loaded before the first list is drawn.
    assert!(
        line_of(&s, "Gazette story 1") < line_of(&s, "Gazette story 9"),
        "oldest first after a restart: {s}"
    );
    t.send("Q");
    assert!(t.wait_exit(10));
}
