//! Rules on arrival through the real binary: a feed served on loopback, a config of `[[rule]]`
//! tables, `tidings fetch` applying each action to the new items only (hide winning), `show`
//! leaving hidden items out unless `--include-hidden`, and `tidings rules apply` / `undo`.

mod support;

use std::path::Path;

use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};

fn rss(items: &[&str]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour Gazette</title>\
         <link>http://127.0.0.1/</link>",
    );
    for (i, t) in items.iter().enumerate() {
        s.push_str(&format!(
            "<item><guid>g-{t}</guid><title>{t}</title><link>http://127.0.0.1/i/{i}</link>\
             <description>Body of {t}.</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// Every action, in an order where hide depends on a tag an earlier rule sets, and a later
/// rule tries to star the hidden item (hide wins).
const RULES: &str = r#"
[reader]
refresh_on_start = false

[[rule]]
filter = 'title:~"(?i)sponsored"'
action = "tag:ad"

[[rule]]
filter = "tag:ad"
action = "hide"

[[rule]]
filter = "title:river"
action = "read"

[[rule]]
filter = "title:market"
action = "star"

[[rule]]
filter = "title:market or title:sponsored"
action = "highlight"

[[rule]]
filter = "title:sponsored"
action = "star"
"#;

const OLD: [&str; 2] = ["Old river news", "Sponsored old post"];
const NEW: [&str; 3] = ["Salmon in the river", "Market day", "SPONSORED: buy a boat"];

/// Runs `tidings show SOURCE --json EXTRA...` and returns its items.
fn show(home: &Path, source: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["show", source, "--json"];
    args.extend(extra);
    let o = tidings(home, &args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn titles(items: &[serde_json::Value]) -> Vec<String> {
    let mut t: Vec<String> = items
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

fn sorted(titles: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
    v.sort();
    v
}

/// A home subscribed to the served feed (stored before any rule), with `RULES` then put in
/// its config and the feed grown by the `NEW` items.
fn fetched_home(server: &TestServer) -> tempfile::TempDir {
    server.route("/feed.xml", Reply::ok(rss(&OLD)));
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    std::fs::write(
        h.join("config.toml"),
        "[reader]\nrefresh_on_start = false\n",
    )
    .unwrap();
    let o = tidings(h, &["add", &server.url("/feed.xml")]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(h.join("config.toml"), RULES).unwrap();
    let all: Vec<&str> = NEW.iter().chain(OLD.iter()).copied().collect();
    server.route("/feed.xml", Reply::ok(rss(&all)));
    let o = tidings(h, &["fetch", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    home
}

#[test]
fn a_fetch_applies_each_rule_to_the_new_items_and_hide_wins() {
    let server = TestServer::start();
    let home = fetched_home(&server);
    let h = home.path();

    // The hidden item is listed by neither `show all` nor `show FEED`, in any output form.
    let visible = sorted(&[
        "Salmon in the river",
        "Market day",
        "Old river news",
        "Sponsored old post",
    ]);
    assert_eq!(titles(&show(h, "all", &[])), visible);
    assert_eq!(titles(&show(h, "Harbour Gazette", &[])), visible);
    let text = stdout(&tidings(h, &["show", "all"]));
    assert!(!text.contains("buy a boat"), "{text}");
    assert!(text.contains("Market day"), "{text}");

    // Unless asked; it is marked hidden, and carries the tag the first rule set.
    let with = show(h, "all", &["--include-hidden"]);
    assert_eq!(with.len(), 5);
    let boat = with
        .iter()
        .find(|i| i["title"] == "SPONSORED: buy a boat")
        .unwrap();
    assert_eq!(boat["hidden"], true);
    assert_eq!(boat["tags"], serde_json::json!(["ad"]));
    let text = stdout(&tidings(h, &["show", "all", "--include-hidden"]));
    assert!(text.contains("Hidden by a rule"), "{text}");
    assert!(text.contains("Tags: ad"), "{text}");

    // Each action landed on the new items only: the old items are untouched.
    let flagged = |expr: &str| titles(&show(h, "all", &["--include-hidden", "--filter", expr]));
    assert_eq!(
        flagged("starred"),
        sorted(&["Market day", "SPONSORED: buy a boat"])
    );
    assert_eq!(flagged("not unread"), sorted(&["Salmon in the river"]));
    assert_eq!(flagged("tag:ad"), sorted(&["SPONSORED: buy a boat"]));
    // Hidden items stay out of filters too, unless asked.
    assert!(titles(&show(h, "all", &["--filter", "tag:ad"])).is_empty());

    // The counters leave the hidden item out.
    let o = tidings(h, &["feeds", "--json"]);
    let feeds: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let feed = &feeds.as_array().unwrap()[0];
    assert_eq!(feed["items"], 4, "{feed}");
    assert_eq!(feed["unread"], 3, "{feed}");

    // `tidings rules` lists the rules with how many cached items each matches.
    let o = tidings(h, &["rules", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let counts: Vec<(String, u64)> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_string(),
                r["items"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, u64)> = [
        ("tag:ad", 2),
        ("hide", 1),
        ("read", 2),
        ("star", 1),
        ("highlight", 3),
        ("star", 2),
    ]
    .iter()
    .map(|(a, n)| (a.to_string(), *n))
    .collect();
    assert_eq!(counts, want);
    let text = stdout(&tidings(h, &["rules"]));
    assert!(text.contains("title:river"), "{text}");
}

#[test]
fn rules_apply_dry_run_changes_nothing_apply_changes_and_undo_restores() {
    let server = TestServer::start();
    let home = fetched_home(&server);
    let h = home.path();
    let state = || {
        let items = show(h, "all", &["--include-hidden"]);
        let mut rows: Vec<String> = items
            .iter()
            .map(|i| format!("{} hidden={} tags={}", i["title"], i["hidden"], i["tags"]))
            .collect();
        rows.sort();
        let flags = (
            titles(&show(
                h,
                "all",
                &["--include-hidden", "--filter", "starred"],
            )),
            titles(&show(h, "all", &["--include-hidden", "--filter", "unread"])),
        );
        (rows, flags)
    };
    let before = state();

    let o = tidings(h, &["rules", "apply", "--dry-run", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dry: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let counts: Vec<u64> = dry["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["items"].as_u64().unwrap())
        .collect();
    // Only the old items are left to change: the sponsored one is tagged, hidden, highlighted
    // and starred; the old river one read.
    assert_eq!(counts, [1, 1, 1, 0, 1, 1]);
    assert_eq!(state(), before, "a dry run changes nothing");
    let text = stdout(&tidings(h, &["rules", "apply", "--dry-run"]));
    assert!(text.contains("would change 1 items"), "{text}");

    let o = tidings(h, &["rules", "apply", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let done: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(done["rules"], dry["rules"]);
    let after = state();
    assert_ne!(after, before);
    assert_eq!(
        titles(&show(h, "all", &[])),
        sorted(&["Salmon in the river", "Market day", "Old river news"])
    );

    let o = tidings(h, &["rules", "undo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 items"), "{}", stdout(&o));
    assert_eq!(state(), before, "undo restores every touched item");
    let o = tidings(h, &["rules", "undo"]);
    assert!(stdout(&o).contains("Nothing to undo"), "{}", stdout(&o));
}

#[test]
fn a_bad_rule_is_an_error_naming_the_file_line_and_column() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    std::fs::write(
        h.join("config.toml"),
        "[[rule]]\nfilter = \"unread\"\naction = \"hide\"\n\n[[rule]]\nfilter = \"title:x\"\naction = \"delete\"\n",
    )
    .unwrap();
    let o = tidings(h, &["rules"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("config.toml:7"), "{e}");
    assert!(e.contains("column 10"), "{e}");
    assert!(e.contains("unknown action \"delete\""), "{e}");
}
