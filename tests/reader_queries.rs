//! The reader's query feeds and filter prompt as a person uses them: the real binary in a
//! pseudo-terminal, on a cache of local feeds and a config with a `[[query]]` table.

mod support;

use std::path::Path;

use support::cli::{stderr, tidings};
use support::pty::Term;

/// A feed file with these titles, dated an hour apart from now backwards.
fn feed_file(dir: &Path, name: &str, titles: &[&str]) -> String {
    let now = chrono::Utc::now().timestamp();
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
         <link>http://127.0.0.1/</link>"
    );
    for (i, t) in titles.iter().enumerate() {
        let d = chrono::DateTime::from_timestamp(now - 3_600 * (i as i64 + 1), 0).unwrap();
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

fn home() -> (tempfile::TempDir, tempfile::TempDir) {
    let files = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n\n\
         [[query]]\nname = \"Markets\"\nfilter = \"title:market\"\n",
    )
    .unwrap();
    let a = feed_file(
        files.path(),
        "Harbour",
        &[
            "River market reopens",
            "Boats for sale",
            "Quiet river night",
        ],
    );
    let b = feed_file(files.path(), "North", &["Market news", "Compiler released"]);
    for f in [&a, &b] {
        let o = tidings(home.path(), &["add", f]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    (files, home)
}

/// The screen line holding `text`.
fn line_of(screen: &str, text: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no line with {text:?}:\n{screen}"))
        .to_string()
}

#[test]
fn the_query_section_the_filter_prompt_and_saving_a_query() {
    let (_files, home) = home();
    let mut t = Term::start(home.path(), &[], 130, 36);
    // The section is there from the first frame; the headlines and counts follow.
    t.wait_for("» Markets", 10);
    t.wait_for("Compiler released", 10);
    // Its unread count arrives from the worker.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let s = t.screen();
        let line = line_of(&s, "» Markets");
        let feed_pane = line.split('│').nth(1).unwrap_or_default();
        if feed_pane.split_whitespace().last() == Some("2") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no count: {s}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    // F narrows the current view (All).
    t.send("F");
    t.wait_for("Filter (Enter narrows this view", 5);
    t.send("title:river and not titel:x");
    t.send("\r");
    let s = t.wait_for("unknown condition", 5);
    assert!(s.contains("column 21"), "{s}");
    for _ in 0.." and not titel:x".len() {
        t.send("\x7f");
    }
    t.send("\r");
    let s = t.wait_for("All where title:river", 5);
    assert!(
        s.contains("Quiet river night") && s.contains("River market reopens"),
        "{s}"
    );
    let s = t.wait_gone("Compiler released", 5);
    assert!(!s.contains("Boats for sale"), "{s}");

    // W saves it as a query, kept in the cache.
    t.send("W");
    t.wait_for("Save as query", 5);
    t.send("Rivers\r");
    t.wait_for("» Rivers", 10);

    // A config query's name is refused.
    t.send("W");
    t.wait_for("Save as query", 5);
    t.send("Markets\r");
    t.wait_for("query of the config file", 5);
    t.send("\x1b");

    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");

    let o = tidings(home.path(), &["show", "query:Rivers", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut titles: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Quiet river night", "River market reopens"]);
}
