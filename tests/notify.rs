//! `[notify] command` after a fetch that brought new stories, checked through a file the command
//! writes (a small script that appends its arguments to it), on feeds served from 127.0.0.1:
//! `tidings fetch` and the reader's own refresh (which also sends the terminal's notification
//! when asked to).

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::cli::{stderr, tidings};
use support::pty::Term;
use support::server::{Reply, TestServer};

/// An RSS document titled `title` with items `(guid, title, link)`.
fn rss(title: &str, items: &[(&str, &str, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://site.example/</link>"
    );
    for (i, (guid, t, link)) in items.iter().enumerate() {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{t}</title><link>{link}</link>\
             <pubDate>Mon, {:02} Nov 2026 10:00:00 +0000</pubDate>\
             <description>&lt;p&gt;Body of {t}, a story of its own.&lt;/p&gt;</description></item>",
            i + 1
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// A script that appends each of its arguments, one per line, then `END`, to `out`.
fn recorder(dir: &Path, out: &Path) -> PathBuf {
    let script = dir.join("record.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\necho END >> '{}'\n",
            out.display(),
            out.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// A home whose config runs `command` (TOML list text) after new stories.
fn home_with(command: &str, extra: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("feeds"), "").unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[reader]\nrefresh_interval_minutes = 0\nmouse = false\n\n[notify]\ncommand = {command}\n{extra}"
        ),
    )
    .unwrap();
    home
}

fn add(home: &Path, url: &str) {
    let o = tidings(home, &["add", url]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The lines the recorder wrote so far.
fn recorded(out: &Path) -> Vec<String> {
    std::fs::read_to_string(out)
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect()
}

/// Waits until the recorder has written `END` `n` times.
fn wait_runs(out: &Path, n: usize, secs: u64) -> Vec<String> {
    let deadline = support::pty::deadline(secs);
    loop {
        let lines = recorded(out);
        if lines.iter().filter(|l| *l == "END").count() >= n {
            return lines;
        }
        assert!(Instant::now() < deadline, "the command ran {lines:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_fetch_with_new_stories_runs_the_command_with_their_count_and_feeds() {
    let server = TestServer::start();
    let files = tempfile::tempdir().unwrap();
    let out = files.path().join("calls.txt");
    let script = recorder(files.path(), &out);
    let home = home_with(
        &format!(
            "[{:?}, \"{{count}}\", \"--\", \"{{feeds}}\"]",
            script.display().to_string()
        ),
        "",
    );
    let a = [
        ("a1", "Harbour reopens", "https://site.example/harbour"),
        ("a2", "Bridge closed", "https://site.example/bridge"),
    ];
    server.route("/a.xml", Reply::ok(rss("Alpha", &a)));
    // Beta carries Alpha's first story again: a copy, not news.
    let b = [("b1", "Harbour reopens", "https://site.example/harbour")];
    server.route("/b.xml", Reply::ok(rss("Beta", &b)));
    // `add` stores the first items: they are not a fetch's news.
    add(home.path(), &server.url("/a.xml"));
    assert!(recorded(&out).is_empty(), "{:?}", recorded(&out));

    // A fetch that brings Beta's copy and nothing else new to Alpha.
    let o = tidings(home.path(), &["add", &server.url("/b.xml")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let more = [
        a[0],
        a[1],
        ("a3", "Ferry returns", "https://site.example/ferry"),
        ("a4", "Lighthouse lit", "https://site.example/lighthouse"),
    ];
    server.route("/a.xml", Reply::ok(rss("Alpha", &more)));
    let b2 = [b[0], ("b2", "Ferry returns", "https://site.example/ferry")];
    server.route("/b.xml", Reply::ok(rss("Beta", &b2)));
    let o = tidings(home.path(), &["fetch", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = wait_runs(&out, 1, 10);
    // Three new items, two new stories: the ferry comes through both feeds.
    assert_eq!(lines[0], "2", "{lines:?}");
    assert_eq!(lines[1], "--");
    assert!(lines[2].contains("Alpha"), "{lines:?}");

    // A fetch that brings nothing new runs nothing.
    let o = tidings(home.path(), &["fetch", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(recorded(&out).iter().filter(|l| *l == "END").count(), 1);
}

#[test]
fn a_feed_title_that_looks_like_an_option_is_refused_without_a_double_dash() {
    let server = TestServer::start();
    let files = tempfile::tempdir().unwrap();
    let out = files.path().join("calls.txt");
    let script = recorder(files.path(), &out);
    let home = home_with(
        &format!("[{:?}, \"{{feeds}}\"]", script.display().to_string()),
        "",
    );
    server.route("/a.xml", Reply::ok(rss("-rf Alpha", &[])));
    add(home.path(), &server.url("/a.xml"));
    let items = [("a1", "First", "https://site.example/first")];
    server.route("/a.xml", Reply::ok(rss("-rf Alpha", &items)));
    let o = tidings(home.path(), &["fetch", "--quiet"]);
    assert!(
        o.status.success(),
        "a notify problem does not fail the fetch: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--"), "{}", stderr(&o));
    std::thread::sleep(Duration::from_millis(300));
    assert!(recorded(&out).is_empty(), "{:?}", recorded(&out));
}

#[test]
fn the_readers_refresh_runs_the_command_and_sends_the_terminal_notification() {
    let server = TestServer::start();
    let files = tempfile::tempdir().unwrap();
    let out = files.path().join("calls.txt");
    let script = recorder(files.path(), &out);
    let home = home_with(
        &format!("[{:?}, \"{{count}}\"]", script.display().to_string()),
        "terminal = \"osc9\"\n",
    );
    server.route("/a.xml", Reply::ok(rss("Alpha", &[])));
    add(home.path(), &server.url("/a.xml"));
    let items = [
        ("a1", "Harbour reopens", "https://site.example/harbour"),
        ("a2", "Bridge closed", "https://site.example/bridge"),
    ];
    server.route("/a.xml", Reply::ok(rss("Alpha", &items)));
    let mut t = Term::start(home.path(), &[], 100, 30);
    t.wait_for("Harbour reopens", 15);
    let lines = wait_runs(&out, 1, 10);
    assert_eq!(lines[0], "2", "{lines:?}");
    let deadline = Instant::now() + Duration::from_secs(5);
    let wanted = b"\x1b]9;2 new stories: Alpha\x07";
    while !t.raw().windows(wanted.len()).any(|w| w == wanted) {
        assert!(
            Instant::now() < deadline,
            "no OSC 9 in {:?}",
            String::from_utf8_lossy(&t.raw())
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    t.send("Q");
    assert!(t.wait_exit(10));
}
