//! `tidings show SOURCE --filter EXPR` on real feeds served on loopback and stored in a real
//! cache: every output form lists exactly the expected items, and a bad filter is a clear error.

mod support;

use std::path::Path;

use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};

const DAY: i64 = 86_400;

/// One item of a test feed: title, author, body (HTML), age in seconds (`None`: undated).
struct It {
    title: &'static str,
    author: Option<&'static str>,
    body: &'static str,
    age: Option<i64>,
}

fn rss(title: &str, items: &[It]) -> String {
    let slug: String = title.split_whitespace().collect();
    let now = chrono::Utc::now().timestamp();
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <link>http://127.0.0.1/</link>"
    );
    for (i, it) in items.iter().enumerate() {
        let date = it.age.map_or(String::new(), |a| {
            let d = chrono::DateTime::from_timestamp(now - a, 0).unwrap();
            format!("<pubDate>{}</pubDate>", d.to_rfc2822())
        });
        let author = it.author.map_or(String::new(), |a| {
            format!("<dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">{a}</dc:creator>")
        });
        s.push_str(&format!(
            "<item><guid>{title}-{i}</guid><title>{}</title><link>http://127.0.0.1/{slug}/{i}</link>\
             {date}{author}<description><![CDATA[{}]]></description></item>",
            it.title, it.body
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn harbour() -> Vec<It> {
    vec![
        It {
            title: "River market reopens",
            author: Some("A. Writer"),
            body: "<p>The caf<b>é</b> by the river reopened.</p>",
            age: Some(3_600),
        },
        It {
            title: "Sponsored: buy a boat",
            author: None,
            body: "<p>Boats for sale.</p>",
            age: Some(3 * DAY),
        },
        It {
            title: "Harbour dredging",
            author: Some("C. Diver"),
            body: "<p>Mud, mostly.</p>",
            age: Some(9 * DAY),
        },
    ]
}

fn north() -> Vec<It> {
    vec![
        It {
            title: "New compiler released",
            author: Some("B. Coder"),
            body: "<p>A faster compiler <script>river()</script>.</p>",
            age: Some(10 * DAY),
        },
        It {
            title: "Market news from the North",
            author: None,
            body: "<p>Prices rose at the MARCHÉ and the river market.</p>",
            age: Some(DAY),
        },
        It {
            title: "SPONSORED post",
            author: None,
            body: "<p>Buy things.</p>",
            age: Some(2 * 3_600),
        },
    ]
}

/// A home with the two feeds subscribed (tags news+local and tech) and fetched.
fn home(server: &TestServer) -> tempfile::TempDir {
    server.route(
        "/harbour.xml",
        Reply::ok(rss("Harbour Gazette", &harbour())),
    );
    server.route("/north.xml", Reply::ok(rss("North Post", &north())));
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = false\n",
    )
    .unwrap();
    let a = tidings(
        home.path(),
        &[
            "add",
            &server.url("/harbour.xml"),
            "-t",
            "news",
            "-t",
            "local",
        ],
    );
    assert!(a.status.success(), "{}", stderr(&a));
    let b = tidings(
        home.path(),
        &["add", &server.url("/north.xml"), "-t", "tech"],
    );
    assert!(b.status.success(), "{}", stderr(&b));
    home
}

/// Marks items read or starred in the cache file, by title.
fn set(home: &Path, column: &str, titles: &[&str]) {
    let db = rusqlite::Connection::open(home.join("cache.db")).unwrap();
    for t in titles {
        let n = db
            .execute(
                &format!("UPDATE items SET {column} = 1 WHERE title = ?1"),
                [t],
            )
            .unwrap();
        assert_eq!(n, 1, "{t}");
    }
}

/// The titles `show SOURCE --filter EXPR --json` lists, sorted.
fn shown(home: &Path, source: &str, expr: &str) -> Vec<String> {
    let o = tidings(home, &["show", source, "--filter", expr, "--json"]);
    assert!(o.status.success(), "{expr}: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut titles: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

fn sorted(titles: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
    v.sort();
    v
}

#[test]
fn show_all_with_a_filter_lists_exactly_the_matching_items() {
    let server = TestServer::start();
    let home = home(&server);
    let h = home.path();
    set(h, "read", &["New compiler released", "Harbour dredging"]);
    set(h, "starred", &["New compiler released"]);
    let cases: &[(&str, &[&str])] = &[
        (
            r#"unread and tag:tech and not title:~"(?i)sponsored""#,
            &["Market news from the North"],
        ),
        (
            r#"feed:"Harbour Gazette" or author:"B. Coder""#,
            &[
                "River market reopens",
                "Sponsored: buy a boat",
                "Harbour dredging",
                "New compiler released",
            ],
        ),
        (
            r#"(title:"river" or title:"market") and not feed:"North""#,
            &["River market reopens"],
        ),
        ("starred", &["New compiler released"]),
        ("not unread", &["New compiler released", "Harbour dredging"]),
        (
            "age < 2d",
            &[
                "River market reopens",
                "Market news from the North",
                "SPONSORED post",
            ],
        ),
        ("age > 1w and tag:local", &["Harbour dredging"]),
        ("text:cafe", &["River market reopens"]),
        (
            "text:river",
            &["River market reopens", "Market news from the North"],
        ),
        ("text:\"river market\"", &["Market news from the North"]),
        (
            "tag=local and age >= 2d and age <= 4d",
            &["Sponsored: buy a boat"],
        ),
        ("url:~\"/1$\" and tag:tech", &["Market news from the North"]),
        (
            "title:sponsored",
            &["Sponsored: buy a boat", "SPONSORED post"],
        ),
    ];
    for (expr, want) in cases {
        assert_eq!(shown(h, "all", expr), sorted(want), "{expr}");
    }
}

#[test]
fn a_filter_narrows_one_feed_and_every_output_form_agrees() {
    let server = TestServer::start();
    let home = home(&server);
    let h = home.path();
    assert_eq!(
        shown(h, "North Post", "title:market or age > 1w"),
        sorted(&["Market news from the North", "New compiler released"])
    );
    // The plain form: the same items, newest first, with their bodies.
    let o = tidings(
        h,
        &["show", "all", "--filter", "title:market", "--width", "60"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let first = text.find("River market reopens").expect(&text);
    let second = text.find("Market news from the North").expect(&text);
    assert!(first < second, "newest first:\n{text}");
    assert!(text.contains("The café by the river reopened."), "{text}");
    assert!(!text.contains("Sponsored"), "{text}");
    // --raw lists the same items.
    let raw = tidings(h, &["show", "all", "--filter", "title:market", "--raw"]);
    assert!(stdout(&raw).contains("Market news from the North"));
    assert!(!stdout(&raw).contains("compiler"));
    // --item counts among the matching items only.
    let o = tidings(
        h,
        &[
            "show",
            "all",
            "--filter",
            "title:market",
            "--item",
            "2",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["title"], "Market news from the North");
    let o = tidings(
        h,
        &["show", "all", "--filter", "title:market", "--item", "3"],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("only 2 matching items"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_feed_file_is_filtered_too() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("north.xml");
    std::fs::write(&file, rss("North Post", &north())).unwrap();
    let home = tempfile::tempdir().unwrap();
    assert_eq!(
        shown(
            home.path(),
            file.to_str().unwrap(),
            "text:river or title:~\"^SPON\""
        ),
        sorted(&["Market news from the North", "SPONSORED post"])
    );
}

#[test]
fn a_bad_filter_quotes_the_expression_and_points_at_the_problem() {
    let server = TestServer::start();
    let home = home(&server);
    let o = tidings(
        home.path(),
        &["show", "all", "--filter", "unread and titel:x"],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("unknown condition `titel`"), "{err}");
    assert!(err.contains("  unread and titel:x\n"), "{err}");
    assert!(err.contains(&format!("\n  {}^", " ".repeat(11))), "{err}");
    assert!(stdout(&o).is_empty());

    let o = tidings(home.path(), &["show", "all", "--filter", "title:~\"[a-\""]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bad regex \"[a-\""), "{}", stderr(&o));
}

/// Writes the config file of `home`.
fn config(home: &Path, text: &str) {
    std::fs::write(home.join("config.toml"), text).unwrap();
}

const QUERIES: &str = r#"
[reader]
refresh_on_start = false

[[query]]
name = "Fresh"
filter = "age < 2d and not title:~\"(?i)sponsored\""

[[query]]
name = "North Post"
filter = "tag:local"
"#;

#[test]
fn queries_of_the_config_are_sources_and_are_listed_with_their_counts() {
    let server = TestServer::start();
    let home = home(&server);
    let h = home.path();
    config(h, QUERIES);
    set(h, "read", &["River market reopens"]);
    let fresh = sorted(&["River market reopens", "Market news from the North"]);
    assert_eq!(shown(h, "query:Fresh", "unread or not unread"), fresh);
    assert_eq!(
        shown(h, "Fresh", "unread or not unread"),
        fresh,
        "the bare name"
    );
    assert_eq!(
        shown(h, "query:Fresh", "unread"),
        sorted(&["Market news from the North"]),
        "--filter narrows the query"
    );
    // A feed has the name: the bare name is the feed, `query:` the query.
    assert_eq!(
        shown(h, "North Post", "unread or not unread"),
        sorted(&[
            "New compiler released",
            "Market news from the North",
            "SPONSORED post"
        ])
    );
    assert_eq!(
        shown(h, "query:North Post", "unread or not unread"),
        sorted(&[
            "River market reopens",
            "Sponsored: buy a boat",
            "Harbour dredging"
        ])
    );
    // Plain output of a query, without --filter.
    let o = tidings(h, &["show", "query:Fresh", "--width", "60"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Market news from the North"));
    assert!(!stdout(&o).contains("dredging"));

    // A query saved in the cache is a source too, and listed.
    let db = rusqlite::Connection::open(h.join("cache.db")).unwrap();
    db.execute(
        "INSERT INTO saved_queries (name, filter, created) VALUES ('Mine', 'author:coder', 0)",
        [],
    )
    .unwrap();
    drop(db);
    assert_eq!(
        shown(h, "Mine", "unread or not unread"),
        sorted(&["New compiler released"])
    );

    let o = tidings(h, &["feeds", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let queries: Vec<(String, String, u64, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "query")
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["origin"].as_str().unwrap().to_string(),
                e["items"].as_u64().unwrap(),
                e["unread"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        queries,
        [
            ("Fresh".to_string(), "config".to_string(), 2, 1),
            ("North Post".to_string(), "config".to_string(), 3, 2),
            ("Mine".to_string(), "cache".to_string(), 1, 1),
        ]
    );
    assert_eq!(
        v.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "feed")
            .count(),
        2
    );
    let o = tidings(h, &["feeds"]);
    let text = stdout(&o);
    let line = text
        .lines()
        .find(|l| l.starts_with("query:Fresh"))
        .unwrap_or_else(|| panic!("{text}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cells[cells.len() - 3..], ["2", "1", "config"], "{line}");
}

#[test]
fn a_bad_query_in_the_config_names_its_line_and_an_unknown_query_is_named() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    config(
        h,
        "[[query]]\nname = \"ok\"\nfilter = \"unread\"\n\n[[query]]\nname = \"bad\"\nfilter = \"unread and\"\n",
    );
    let o = tidings(h, &["feeds"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("config.toml:7:"), "{err}");
    assert!(err.contains("\"bad\""), "{err}");

    config(h, "[[query]]\nname = \"ok\"\nfilter = \"unread\"\n");
    let o = tidings(h, &["show", "query:nope"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no query is named \"nope\" (the queries are: ok)"),
        "{}",
        stderr(&o)
    );
}
