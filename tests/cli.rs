//! The real binary, driven the way a user drives it, on real files in a temporary home.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
}

/// `tidings --home HOME ARGS...`, with no terminal and no inherited TIDINGS_HOME.
fn tidings(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TIDINGS_HOME")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn feeds_json(home: &Path) -> Vec<serde_json::Value> {
    let o = tidings(home, &["feeds", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("feeds --json is JSON")
}

#[test]
fn opml_import_keeps_every_tag_refuses_commands_and_round_trips() {
    let home = tempfile::tempdir().unwrap();
    let o = tidings(
        home.path(),
        &["import", fixture("subs.opml").to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("exec:"),
        "the refused entry is named: {}",
        stderr(&o)
    );
    let feeds = feeds_json(home.path());
    assert_eq!(feeds.len(), 3, "{feeds:?}");
    let notes = feeds
        .iter()
        .find(|f| f["url"] == "https://notes.example.org/atom")
        .unwrap();
    let mut tags: Vec<&str> = notes["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    tags.sort();
    assert_eq!(tags, ["Reading", "Tech"]);
    let slow = feeds.iter().find(|f| f["title"] == "Slow Journal").unwrap();
    assert_eq!(slow["items"], 0);
    assert!(slow["last_success"].is_null());

    // Importing the same file again skips every feed with a note.
    let again = tidings(
        home.path(),
        &["import", fixture("subs.opml").to_str().unwrap()],
    );
    assert!(again.status.success());
    assert_eq!(
        stderr(&again).matches("already subscribed").count(),
        3,
        "{}",
        stderr(&again)
    );

    // Export, then import into a fresh home: the same subscriptions.
    let export = tidings(home.path(), &["export"]);
    assert!(export.status.success());
    let file = home.path().join("export.opml");
    std::fs::write(&file, &export.stdout).unwrap();
    let other = tempfile::tempdir().unwrap();
    assert!(
        tidings(other.path(), &["import", file.to_str().unwrap()])
            .status
            .success()
    );
    let key = |v: &Vec<serde_json::Value>| {
        let mut k: Vec<(String, String, Vec<String>)> = v
            .iter()
            .map(|f| {
                let mut tags: Vec<String> = f["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_string())
                    .collect();
                tags.sort();
                (
                    f["url"].as_str().unwrap().to_string(),
                    f["title"].as_str().unwrap().to_string(),
                    tags,
                )
            })
            .collect();
        k.sort();
        k
    };
    assert_eq!(key(&feeds_json(other.path())), key(&feeds));
}

#[test]
fn newsboat_urls_import_reads_tags_and_titles_and_runs_nothing() {
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["import", fixture("urls").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("exec:") && err.contains("filter:"), "{err}");
    let (feeds, queries): (Vec<_>, Vec<_>) = feeds_json(home.path())
        .into_iter()
        .partition(|f| f["kind"] == "feed");
    assert_eq!(feeds.len(), 2, "{feeds:?}");
    // The query feed line became a saved query, translated.
    assert_eq!(queries.len(), 1, "{queries:?}");
    assert_eq!(
        (&queries[0]["name"], &queries[0]["filter"]),
        (&serde_json::json!("Unread"), &serde_json::json!("unread"))
    );
    let one = feeds.iter().find(|f| f["title"] == "Number One").unwrap();
    assert_eq!(one["tags"], serde_json::json!(["long reads", "news"]));
    let two = feeds
        .iter()
        .find(|f| f["url"] == "https://two.example.org/rss")
        .unwrap();
    assert_eq!(two["tags"], serde_json::json!(["duplicate-line", "tech"]));
}

#[test]
fn show_prints_a_feed_file_newest_first_without_subscribing() {
    let home = tempfile::tempdir().unwrap();
    let file = fixture("local-feed.xml");
    let o = tidings(
        home.path(),
        &["show", file.to_str().unwrap(), "--json", "--width", "40"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["title"], "Second post");
    assert_eq!(items[0]["feed"], "Local Fixture Feed");
    assert_eq!(items[0]["published"], "2026-11-10T12:00:00Z");
    assert_eq!(items[0]["folded"], 0);
    let body = items[0]["body"].as_str().unwrap();
    assert!(body.contains("relative link [1]"), "{body}");
    assert!(
        body.contains("https://local.example.org/more"),
        "relative link resolved: {body}"
    );
    assert!(body.lines().all(|l| l.chars().count() <= 40), "{body}");
    assert_eq!(
        items[1]["body"].as_str().unwrap(),
        "The first paragraph.\n\nThe second paragraph."
    );

    let one = tidings(
        home.path(),
        &["show", file.to_str().unwrap(), "--item", "2"],
    );
    assert!(one.status.success());
    let text = stdout(&one);
    assert!(text.starts_with("First post\n"), "{text}");
    assert!(text.contains("audio/mpeg, 1.2 MB"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "plain text when stdout is not a terminal"
    );
    assert!(
        !home.path().join("cache.db").exists(),
        "show FILE subscribes nothing"
    );

    let past = tidings(
        home.path(),
        &["show", file.to_str().unwrap(), "--item", "3"],
    );
    assert!(!past.status.success());
    assert!(stderr(&past).contains("only 2 items"), "{}", stderr(&past));
}

#[test]
fn add_a_local_feed_then_show_it_from_the_cache_offline() {
    let home = tempfile::tempdir().unwrap();
    let file = fixture("local-feed.xml");
    let o = tidings(
        home.path(),
        &["add", file.to_str().unwrap(), "--tag", "local"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 items"), "{}", stdout(&o));
    let feeds = feeds_json(home.path());
    assert_eq!(feeds[0]["items"], 2);
    assert_eq!(feeds[0]["unread"], 2);
    assert_eq!(feeds[0]["tags"], serde_json::json!(["local"]));
    assert!(feeds[0]["last_success"].is_string());

    let dup = tidings(home.path(), &["add", file.to_str().unwrap()]);
    assert!(!dup.status.success());
    assert!(
        stderr(&dup).contains("already subscribed"),
        "{}",
        stderr(&dup)
    );

    for key in ["1", "Local Fixture Feed", "all"] {
        let o = tidings(home.path(), &["show", key, "--json"]);
        assert!(o.status.success(), "{key}: {}", stderr(&o));
        let items: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(items.len(), 2, "{key}");
        assert_eq!(items[0]["title"], "Second post", "{key}");
    }
    let rm = tidings(home.path(), &["remove", "Local Fixture Feed"]);
    assert!(rm.status.success(), "{}", stderr(&rm));
    assert!(feeds_json(home.path()).is_empty());
}

#[test]
fn demo_feeds_are_served_from_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["add", "demo:harbour-gazette"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = tidings(home.path(), &["show", "demo:harbour-gazette", "--json"]);
    let items: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(items.len() >= 3);
    assert!(
        items
            .iter()
            .all(|i| !i["body"].as_str().unwrap().trim().is_empty())
    );
}

#[test]
fn subcommands_never_seed_the_default_subscriptions() {
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["fetch", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(feeds_json(home.path()).is_empty());
}

#[test]
fn a_bad_config_is_an_error_naming_file_line_and_key() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[fetch]\nper_host = 4\nmax_inflight = 9\n",
    )
    .unwrap();
    let o = tidings(home.path(), &["feeds"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("config.toml:3:") && err.contains("max_inflight"),
        "{err}"
    );
}

#[test]
fn a_corrupt_cache_is_reported_and_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("cache.db");
    let garbage = b"this is not a database, but it is somebody's file".repeat(200);
    std::fs::write(&db, &garbage).unwrap();
    let o = tidings(home.path(), &["feeds"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("cache.db"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        garbage,
        "the file is not touched"
    );
}

#[test]
fn unsupported_schemes_are_refused() {
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["add", "ftp://example.org/feed.xml"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("ftp"), "{}", stderr(&o));
}
