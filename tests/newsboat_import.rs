//! Moving over from newsboat with the real binary: a `urls` file with query feeds, a `config`
//! file with `ignore-article` lines (some that cannot be translated), and a newsboat `cache.db`
//! built here with newsboat's schema; results compared with `tidings show --json`.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use support::cli::{stderr, stdout, tidings};

/// A feed file named `name` whose items have these titles and ages in hours; guids are
/// `NAME-i` and links `http://127.0.0.1/NAME/i`.
fn feed_file(dir: &Path, name: &str, items: &[(&str, i64)]) -> String {
    let now = chrono::Utc::now().timestamp();
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
         <link>http://127.0.0.1/</link>"
    );
    for (i, (t, hours)) in items.iter().enumerate() {
        let d = chrono::DateTime::from_timestamp(now - 3_600 * hours, 0).unwrap();
        s.push_str(&format!(
            "<item><guid>{name}-{i}</guid><title>{t}</title><link>http://127.0.0.1/{name}/{i}</link>\
             <pubDate>{}</pubDate><description>Body of {t}.</description></item>",
            d.to_rfc2822()
        ));
    }
    s.push_str("</channel></rss>");
    let path = dir.join(format!("{name}.xml"));
    std::fs::write(&path, s).unwrap();
    path.display().to_string()
}

/// A home with a quiet config, and the two feed files.
struct Setup {
    files: tempfile::TempDir,
    home: tempfile::TempDir,
    harbour: String,
    north: String,
}

fn setup() -> Setup {
    let files = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("config.toml"), "[reader]\nmouse = false\n").unwrap();
    let harbour = feed_file(
        files.path(),
        "Harbour",
        &[
            ("River market reopens", 1),
            ("Sponsored: boats for sale", 2),
            ("Quiet river night", 50),
        ],
    );
    let north = feed_file(
        files.path(),
        "North",
        &[("Market news", 3), ("Compiler released", 4)],
    );
    Setup {
        files,
        home,
        harbour,
        north,
    }
}

/// Imports a urls file naming both feeds (tagged) and these query lines, then fetches.
fn import_urls(s: &Setup, queries: &str) -> std::process::Output {
    let urls = s.files.path().join("urls");
    std::fs::write(
        &urls,
        format!(
            "# newsboat urls\n{} news\n{} tech \"~The North\"\n{queries}",
            s.harbour, s.north
        ),
    )
    .unwrap();
    let o = tidings(
        s.home.path(),
        &["import", urls.to_str().unwrap(), "--allow-local"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let f = tidings(s.home.path(), &["fetch", "--quiet"]);
    assert!(f.status.success(), "{}", stderr(&f));
    o
}

/// The titles `tidings show SOURCE --json [--filter F]` lists.
fn titles(home: &Path, source: &str, filter: Option<&str>) -> BTreeSet<String> {
    let mut args = vec!["show", source, "--json"];
    if let Some(f) = filter {
        args.extend(["--filter", f]);
    }
    let o = tidings(home, &args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|t| t.to_string()).collect()
}

#[test]
fn query_lines_of_a_urls_file_become_saved_queries() {
    let s = setup();
    let o = import_urls(
        &s,
        "\"query:Rivers:title =~ \\\"river\\\"\"\n\
         \"query:Tech unread:tags # \\\"tech\\\" and unread = \\\"yes\\\"\"\n\
         \"query:By feed:rssurl =~ \\\"north\\\"\"\n\
         \"query:Recent or starred:age < 1 or (flags # \\\"s\\\" and title # \\\"Quiet\\\")\"\n",
    );
    let out = stdout(&o);
    assert!(out.contains("Saved 3 of 4 newsboat query feeds"), "{out}");
    let err = stderr(&o);
    // The untranslatable one is named with its line (line 6 of the file) and the reason.
    assert!(
        err.contains("urls:6: query \"By feed\" not imported") && err.contains("rssurl"),
        "{err}"
    );

    let home = s.home.path();
    assert_eq!(
        titles(home, "query:Rivers", None),
        set(&["River market reopens", "Quiet river night"])
    );
    assert_eq!(
        titles(home, "query:Tech unread", None),
        set(&["Market news", "Compiler released"])
    );
    assert_eq!(
        titles(home, "query:Recent or starred", None),
        set(&[
            "River market reopens",
            "Sponsored: boats for sale",
            "Market news",
            "Compiler released"
        ])
    );
    // Importing again changes nothing and saves nothing twice.
    let urls = s.files.path().join("urls");
    let again = tidings(home, &["import", urls.to_str().unwrap(), "--allow-local"]);
    assert!(
        stdout(&again).contains("Saved 0 of 4"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn ignore_article_lines_become_hide_rules_and_the_rest_is_listed_with_its_line() {
    let s = setup();
    import_urls(&s, "");
    let config = s.files.path().join("config");
    std::fs::write(
        &config,
        format!(
            "# newsboat config\n\
             ignore-article \"*\" \"title =~ \\\"^sponsored\\\"\"\n\
             ignore-article \"{}\" \"title # \\\"Compiler\\\"\"\n\
             ignore-article \"*\" \"enclosure_type = \\\"audio/mpeg\\\"\"\n\
             ignore-article \"http://127.0.0.1:9/not-subscribed.xml\" \"unread = \\\"yes\\\"\"\n\
             ignore-article \"*\" \"age > 1 and (title =~ \\\"river\\\" or author = \\\"Nobody\\\")\"\n\
             ignore-article \"*\"\n\
             ignore-mode \"display\"\n",
            s.north
        ),
    )
    .unwrap();
    let home = s.home.path();
    let o = tidings(
        home,
        &["import", "--newsboat-config", config.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    // Standard output is TOML to append to the config: [[rule]] tables that hide.
    let toml: toml::Value = toml::from_str(&stdout(&o)).unwrap();
    let rules = toml["rule"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["action"].as_str() == Some("hide")));
    let filters: Vec<&str> = rules
        .iter()
        .map(|r| r["filter"].as_str().unwrap())
        .collect();
    assert_eq!(filters.len(), 3, "{filters:?}");
    let hidden: Vec<BTreeSet<String>> = filters
        .iter()
        .map(|f| titles(home, "all", Some(f)))
        .collect();
    assert_eq!(
        hidden,
        [
            set(&["Sponsored: boats for sale"]),
            set(&["Compiler released"]),
            set(&["Quiet river night"]),
        ]
    );

    // Standard error lists what could not be translated, each with its line.
    let err = stderr(&o);
    assert!(
        err.contains("Translated 3 of 6 ignore-article lines"),
        "{err}"
    );
    for (line, why) in [
        (4, "enclosure_type"),
        (5, "not subscribed"),
        (7, "two quoted arguments"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(&format!("config:{line}:")) && l.contains(why)),
            "line {line}: {err}"
        );
    }
}

/// newsboat's cache schema (its `rss_feed` and `rss_item` tables as newsboat creates them).
const NEWSBOAT_SCHEMA: &str = "
CREATE TABLE rss_feed (
    rssurl VARCHAR(1024) PRIMARY KEY NOT NULL,
    url VARCHAR(1024) NOT NULL,
    title VARCHAR(1024) NOT NULL,
    lastmodified INTEGER(11) NOT NULL DEFAULT 0,
    is_rtl INTEGER(1) NOT NULL DEFAULT 0,
    etag VARCHAR(128) NOT NULL DEFAULT \"\");
CREATE TABLE rss_item (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    guid VARCHAR(64) NOT NULL,
    title VARCHAR(1024) NOT NULL,
    author VARCHAR(1024) NOT NULL,
    url VARCHAR(1024) NOT NULL,
    feedurl VARCHAR(1024) NOT NULL,
    pubDate INTEGER NOT NULL,
    content VARCHAR(65535) NOT NULL,
    unread INTEGER(1) NOT NULL,
    enclosure_url VARCHAR(1024),
    enclosure_type VARCHAR(1024),
    enqueued INTEGER(1) NOT NULL DEFAULT 0,
    flags VARCHAR(52),
    deleted INTEGER(1) NOT NULL DEFAULT 0,
    base VARCHAR(128) NOT NULL DEFAULT \"\",
    content_mime_type VARCHAR(255) NOT NULL DEFAULT \"\");
CREATE INDEX idx_guid ON rss_item(guid);
";

#[test]
fn read_and_starred_state_comes_over_from_newsboats_cache() {
    let s = setup();
    import_urls(&s, "");
    let db = s.files.path().join("cache.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(NEWSBOAT_SCHEMA).unwrap();
        let rows: [(&str, &str, &str, i64, Option<&str>); 4] = [
            // Matched by guid: read.
            (
                "Harbour-0",
                "http://127.0.0.1/elsewhere",
                &s.harbour,
                0,
                None,
            ),
            // Matched by link (newsboat's guid is unknown here): unread, starred.
            (
                "nb-1234",
                "http://127.0.0.1/North/1",
                &s.north,
                1,
                Some("s"),
            ),
            // Matched by guid: read and starred (among other flags).
            ("Harbour-2", "", &s.harbour, 0, Some("as")),
            // Not in the cache.
            ("gone", "http://127.0.0.1/gone", &s.north, 0, Some("s")),
        ];
        for (guid, url, feed, unread, flags) in rows {
            conn.execute(
                "INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, flags) \
                 VALUES (?1, 't', '', ?2, ?3, 0, '', ?4, ?5)",
                rusqlite::params![guid, url, feed, unread, flags],
            )
            .unwrap();
        }
    }
    let before = std::fs::read(&db).unwrap();
    let home = s.home.path();
    let o = tidings(home, &["import", "--newsboat-cache", db.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "Matched 3 of 4 newsboat items (2 by guid, 1 by link); 1 did not match. Marked 2 read and starred 2."
        ),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "newsboat's cache is only read"
    );
    assert_eq!(
        titles(home, "all", Some("not unread")),
        set(&["River market reopens", "Quiet river night"])
    );
    assert_eq!(
        titles(home, "all", Some("starred")),
        set(&["Compiler released", "Quiet river night"])
    );

    // A file that is not newsboat's cache gets a clear message and changes nothing.
    let other = s.files.path().join("urls.db");
    std::fs::write(&other, "https://example.invalid/feed\n").unwrap();
    let o = tidings(
        home,
        &["import", "--newsboat-cache", other.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("is not a newsboat cache"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("damaged"), "{}", stderr(&o));
    assert_eq!(
        titles(home, "all", Some("starred")),
        set(&["Compiler released", "Quiet river night"])
    );
    // tidings' own cache is not taken for damaged: it is still written to.
    let o = tidings(home, &["import", "--newsboat-cache", db.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Marked 0 read and starred 0."),
        "{}",
        stdout(&o)
    );
}
