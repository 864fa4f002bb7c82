//! Everything the commands print is clean: a hostile OPML list and a hostile feed on 127.0.0.1,
//! then every command, checking the bytes of standard output and standard error for escape
//! sequences, controls, bidi overrides and floods of combining marks, and that JSON keeps the data
//! as `\u` escapes.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::cli::tidings;
use support::server::{Reply, TestServer};
use unicode_normalization::char::is_combining_mark;

/// A title an older cache may hold: a clear-screen, an OSC 52 clipboard write, a C1 CSI, DEL and
/// a right-to-left override.
const HOSTILE: &str = "Old\u{1b}[2J\u{1b}]52;c;aGk=\u{7}\u{9b}31m\u{7f}\u{202e}Title";

/// Runs a command that must succeed and print only clean bytes; returns its standard output.
fn clean_run(home: &Path, args: &[&str]) -> String {
    let o = tidings(home, args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_clean(&o, args);
    String::from_utf8(o.stdout).unwrap()
}

/// Fails when standard output or standard error holds a character a terminal would act on or that
/// hides or reorders text: C0 (but newline), ESC, DEL, C1, bidi and format characters, or more
/// than eight combining marks on one character.
fn assert_clean(o: &Output, what: &[&str]) {
    for (name, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        let text = String::from_utf8(bytes.clone())
            .unwrap_or_else(|e| panic!("{what:?} {name} is not UTF-8: {e}"));
        let mut marks = 0;
        for (i, c) in text.char_indices() {
            let u = c as u32;
            let bad = (u < 0x20 && c != '\n')
                || (0x7f..=0x9f).contains(&u)
                || matches!(u, 0x61c | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2069 | 0xfeff);
            assert!(
                !bad,
                "{what:?} {name} holds U+{u:04X} at byte {i}: {:?}",
                text[i..].chars().take(60).collect::<String>()
            );
            marks = if is_combining_mark(c) { marks + 1 } else { 0 };
            assert!(marks <= 8, "{what:?} {name}: a flood of combining marks");
        }
    }
}

/// A feed whose every field tries something: raw escapes, escapes written as references (the
/// form XML forbids), C1 controls, bidi overrides and a flood of combining marks.
fn hostile_feed() -> Vec<u8> {
    let zalgo: String = std::iter::repeat_n('\u{301}', 1000).collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>\
         <title>Chan\u{1b}[31mnel\u{9b}1m\u{202e}</title><link>http://127.0.0.1/</link>\
         <item><guid>e1</guid><title>A&#27;[31mB&#x1b;]0;pwned&#7;</title>\
         <description>&lt;p&gt;Body &amp;#27;[2J &#x9b;1m text\u{1b}[5m&lt;/p&gt;</description></item>\
         <item><guid>e2</guid><title>Z{zalgo}</title><description>Z{zalgo}</description></item>\
         <item><guid>e3</guid><title>R&#x202E;L&#x7f;</title><link>http://127.0.0.1/x&#x9d;</link>\
         <description>three</description></item>\
         </channel></rss>"
    )
    .into_bytes()
}

/// An OPML list whose folder name clears the screen and writes the clipboard.
fn hostile_opml(dir: &Path, server: &TestServer) -> PathBuf {
    let text = format!(
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><body>\
         <outline text=\"News\u{1b}[2J\u{1b}]52;c;aGk=\u{7}\u{202e}\">\
         <outline type=\"rss\" text=\"Evil\u{9b}31m\u{7f}\u{2066}Feed\" xmlUrl=\"{}\" category=\"c\u{1b}[1m\u{85}at\"/>\
         <outline type=\"rss\" text=\"Gone\u{1b}[8m\" xmlUrl=\"{}\"/>\
         <outline type=\"rss\" text=\"Cmd\" xmlUrl=\"exec:\u{1b}]52;c;aGk=\u{7}rm\"/>\
         </outline></body></opml>",
        server.url("/evil.xml"),
        server.url("/gone.xml")
    );
    let path = dir.join("hostile.opml");
    std::fs::write(&path, text).unwrap();
    path
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn an_imported_hostile_list_is_printed_clean() {
    let server = TestServer::start();
    server.route(
        "/evil.xml",
        Reply::ok(hostile_feed()).content_type("application/rss+xml"),
    );
    server.route("/gone.xml", Reply::status(404));
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let opml = hostile_opml(home, &server);

    clean_run(home, &["import", opml.to_str().unwrap()]);
    let table = clean_run(home, &["feeds"]);
    assert!(
        table.contains("EvilFeed") && table.contains("News"),
        "{table}"
    );

    // Titles and tags were cleaned when imported: JSON holds them clean.
    let feeds = json(&clean_run(home, &["feeds", "--json"]));
    let evil = feeds
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"] == server.url("/evil.xml"))
        .unwrap();
    assert_eq!(evil["title"], "EvilFeed");
    let mut tags: Vec<&str> = evil["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    tags.sort();
    assert_eq!(tags, ["News", "cat"]);

    clean_run(home, &["export"]);
    clean_run(home, &["fetch"]);
    let report = json(&clean_run(home, &["fetch", "--json"]));
    assert_eq!(report["failed"].as_array().unwrap().len(), 1, "{report}");
}

#[test]
fn a_hostile_feed_is_shown_clean_with_its_escape_sequences_removed_whole() {
    let server = TestServer::start();
    server.route(
        "/evil.xml",
        Reply::ok(hostile_feed()).content_type("application/rss+xml"),
    );
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let added = clean_run(
        home,
        &[
            "add",
            "--title",
            "Evil\u{1b}[1mFeed",
            "--tag",
            "t\u{9b}1m\u{202e}ag",
            &server.url("/evil.xml"),
        ],
    );
    assert!(added.contains("Subscribed to EvilFeed"), "{added}");
    let feeds = json(&clean_run(home, &["feeds", "--json"]));
    assert_eq!(feeds[0]["tags"][0], "tag", "{feeds}");

    // Escape sequences are removed whole, in the feed's XML references as much as raw.
    let items = json(&clean_run(home, &["show", "EvilFeed", "--json"]));
    let titles: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"AB"), "{titles:?}");
    assert!(titles.contains(&"RL"), "{titles:?}");
    let zalgo = titles.iter().find(|t| t.starts_with('Z')).unwrap();
    assert_eq!(zalgo.chars().count(), 9, "a flood keeps eight marks");
    let text = clean_run(home, &["show", "EvilFeed"]);
    assert!(text.contains("Body") && text.contains("text"), "{text}");
    clean_run(home, &["show", "all"]);
    clean_run(home, &["show", &server.url("/evil.xml")]);
}

#[test]
fn a_cache_written_before_cleaning_is_printed_clean_and_its_json_keeps_escapes() {
    let server = TestServer::start();
    server.route(
        "/evil.xml",
        Reply::ok(hostile_feed()).content_type("application/rss+xml"),
    );
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let added = clean_run(home, &["add", &server.url("/evil.xml")]);
    assert!(added.contains("Subscribed to Channel"), "{added}");

    // What an older version stored raw: a hostile title, tag and item title.
    let paths = clean_run(home, &["paths"]);
    let cache = paths
        .lines()
        .find_map(|l| l.strip_prefix("cache:"))
        .unwrap()
        .trim();
    {
        let db = rusqlite::Connection::open(cache).unwrap();
        db.execute("UPDATE feeds SET user_title = ?1", [HOSTILE])
            .unwrap();
        db.execute(
            "INSERT INTO feed_tags (tag, feed_id) SELECT ?1, id FROM feeds",
            [HOSTILE],
        )
        .unwrap();
        db.execute("UPDATE items SET title = ?1", [HOSTILE])
            .unwrap();
    }

    let table = clean_run(home, &["feeds"]);
    assert!(table.contains("OldTitle"), "{table}");
    let raw = clean_run(home, &["feeds", "--json"]);
    for escape in ["\\u001b[2J", "\\u009b31m", "\\u007f", "\\u202e"] {
        assert!(raw.contains(escape), "{escape} in {raw}");
    }
    let feeds = json(&raw);
    assert_eq!(feeds[0]["title"], HOSTILE, "JSON keeps the data");
    assert!(
        feeds[0]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == HOSTILE)
    );

    // A failing fetch reports the old title, clean on stderr and escaped in JSON.
    server.route("/evil.xml", Reply::status(500));
    let o = tidings(home, &["fetch"]);
    assert_clean(&o, &["fetch"]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.contains("failed: OldTitle"), "{err}");
    let raw = clean_run(home, &["fetch", "--json"]);
    assert!(raw.contains("\\u202e"), "{raw}");
    assert_eq!(json(&raw)["failed"][0]["title"], HOSTILE);

    let shown = clean_run(home, &["show", "1"]);
    assert!(shown.contains("OldTitle"), "{shown}");
    clean_run(home, &["show", "1", "--json"]);
    let opml = clean_run(home, &["export"]);
    assert!(opml.contains("&#x202E;"), "{opml}");
    let removed = clean_run(home, &["remove", "1"]);
    assert!(removed.contains("Removed OldTitle"), "{removed}");
}

#[test]
fn errors_and_usage_messages_are_clean() {
    let server = TestServer::start();
    server.route("/page", Reply::status(404));
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let hostile_url = format!("{}?\u{1b}]52;c;aGk=\u{7}\u{202e}", server.url("/page"));
    for args in [
        vec!["add", hostile_url.as_str()],
        vec!["show", "\u{1b}[2J\u{9b}1m\u{202e}"],
        vec!["remove", "\u{1b}[2Jnobody"],
        vec!["\u{1b}[2Jbogus\u{202e}"],
        vec!["feeds", "--\u{1b}[2J"],
    ] {
        let o = tidings(home, &args);
        assert!(!o.status.success(), "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}: an error is printed");
        assert_clean(&o, &args);
    }
}
