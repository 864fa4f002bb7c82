//! Renaming a feed (`c`) and editing its tags (`t`) as a person does it: the real binary in a
//! pseudo-terminal on a cache of local feeds, then `tidings feeds --json` in the same home.

mod support;

use std::path::Path;

use support::cli::{stderr, tidings};
use support::pty::Term;

/// A feed file named `name` with one item.
fn feed_file(dir: &Path, name: &str) -> String {
    let s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
         <link>http://127.0.0.1/</link><item><guid>{name}-0</guid><title>News of {name}</title>\
         <link>http://127.0.0.1/{name}/0</link><description>Body.</description></item>\
         </channel></rss>"
    );
    let path = dir.join(format!("{name}.xml"));
    std::fs::write(&path, s).unwrap();
    path.display().to_string()
}

/// The feeds of `tidings feeds --json` as (url file name, title, tags), by file name.
fn feeds(home: &Path) -> Vec<(String, String, Vec<String>)> {
    let o = tidings(home, &["feeds", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut out: Vec<(String, String, Vec<String>)> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "feed")
        .map(|f| {
            let url = f["url"].as_str().unwrap();
            let file = url.rsplit('/').next().unwrap().to_string();
            let tags = f["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            (file, f["title"].as_str().unwrap().to_string(), tags)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn renaming_and_retagging_a_feed_in_the_reader_is_kept_in_the_cache() {
    let files = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    for name in ["Harbour", "North"] {
        let o = tidings(home.path(), &["add", &feed_file(files.path(), name)]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let before = feeds(home.path());
    assert_eq!(before[1], ("North.xml".into(), "North".into(), Vec::new()));

    let mut t = Term::start(home.path(), &[], 120, 30);
    t.wait_for("News of North", 10);
    // To the feed list, and down to its last feed (they are ordered by title).
    t.send("h");
    t.send("G");
    t.send("c");
    t.wait_for("Rename feed", 5);
    t.wait_for("title: North_", 5);
    // Ctrl-U clears the prefilled title.
    t.send("\x15");
    t.send("Northern Lights\r");
    t.wait_for("Renamed \"North\" to \"Northern Lights\"", 5);

    // A tag that is too long keeps the prompt open with the reason; Esc leaves it unchanged.
    t.send("t");
    t.wait_for("Tags, comma- or space-separated", 5);
    t.send(&"x".repeat(70));
    t.send("\r");
    t.wait_for("at most 64 characters", 5);
    t.send("\x1b");
    t.wait_gone("Tags, comma- or space-separated", 5);

    t.send("t");
    t.wait_for("Tags, comma- or space-separated", 5);
    t.send("weekly, long read\r");
    t.wait_for("Tagged \"Northern Lights\": long read, weekly", 5);
    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");

    let after = feeds(home.path());
    assert_eq!(after[0], before[0], "the other feed is untouched");
    assert_eq!(
        after[1],
        (
            "North.xml".into(),
            "Northern Lights".into(),
            vec!["long read".into(), "weekly".into()]
        )
    );

    // An empty title gives the feed its own title back.
    let mut t = Term::start(home.path(), &[], 120, 30);
    t.wait_for("News of North", 10);
    // The feed is now listed under its tags: walk up the list to it.
    t.send("h");
    t.send("G");
    for _ in 0..8 {
        t.send("c");
        if t.wait_for("title: ", 5).contains("title: Northern Lights_") {
            break;
        }
        t.send("\x1b");
        t.wait_gone("title: ", 5);
        t.send("k");
    }
    t.wait_for("title: Northern Lights_", 5);
    t.send("\x15\r");
    t.wait_for("has its own title again", 5);
    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");
    assert_eq!(feeds(home.path())[1].1, "North");
}
