//! Searching in the reader as a person does it: the real binary in a pseudo-terminal, two local
//! feeds that share a story, the prompt's scope switched with Tab, results ranked, opened, and
//! left again.

mod support;

use std::path::Path;
use std::process::Command;

use support::pty::Term;

fn tidings(home: &Path, args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TIDINGS_HOME")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// An RSS item: title, day of November 2026, link, text.
type Item = (&'static str, u32, &'static str, &'static str);

fn write_feed(home: &Path, file: &str, title: &str, items: &[Item]) -> String {
    let items: String = items
        .iter()
        .map(|(t, day, link, text)| {
            format!(
                "<item><title>{t}</title><link>{link}</link><guid>{link}</guid>\
                 <pubDate>{day} Nov 2026 10:00:00 +0000</pubDate>\
                 <description>{text}</description></item>"
            )
        })
        .collect();
    let path = home.join(file);
    std::fs::write(
        &path,
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
             <link>https://news.invalid/</link>{items}</channel></rss>"
        ),
    )
    .unwrap();
    path.display().to_string()
}

const STORY: &str = "Volunteer divers finished the coral reef survey along the eastern breakwater \
                     on Saturday and counted more living coral heads than in any year since the \
                     harbour walls were rebuilt, the marine station said in its report.";

/// Two feeds, Quay Post and Lake Journal, that both carry the divers' story.
fn home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    let quay = write_feed(
        home.path(),
        "quay.xml",
        "Quay Post",
        &[
            (
                "Ferry timetable changes",
                28,
                "https://news.invalid/ferry",
                "Winter ferries run hourly.",
            ),
            (
                "Survey of the reef finds coral returning",
                27,
                "https://news.invalid/returning",
                "Divers counted heads.",
            ),
            (
                "Reef divers report",
                26,
                "https://news.invalid/divers",
                STORY,
            ),
            (
                "Coral Reef Survey",
                1,
                "https://news.invalid/annual",
                "The annual count opens.",
            ),
        ],
    );
    let lake = write_feed(
        home.path(),
        "lake.xml",
        "Lake Journal",
        &[
            (
                "Council meets",
                29,
                "https://news.invalid/council",
                "Budget talk.",
            ),
            (
                "Reef divers report",
                26,
                "https://news.invalid/divers",
                STORY,
            ),
            (
                "Market day",
                25,
                "https://news.invalid/market",
                "Stalls sold coral beads; a reef of stalls; a survey of prices.",
            ),
        ],
    );
    tidings(home.path(), &["add", &quay]);
    tidings(home.path(), &["add", &lake]);
    home
}

/// The screen line holding `title`, and whether its headline row carries the unread mark.
fn row_unread(screen: &str, title: &str) -> bool {
    let line = screen
        .lines()
        .find(|l| l.contains(title))
        .unwrap_or_else(|| panic!("{title} is on screen: {screen}"));
    let at = line.find(title).unwrap();
    let cell = line[..at].rsplit('│').next().unwrap_or_default();
    cell.trim_start().starts_with("N ")
}

/// The screen lines, top to bottom, on which each title first shows.
fn rows_of(screen: &str, titles: &[&str]) -> Vec<usize> {
    titles
        .iter()
        .map(|t| {
            screen
                .lines()
                .position(|l| l.contains(t))
                .unwrap_or_else(|| panic!("{t} is on screen: {screen}"))
        })
        .collect()
}

#[test]
fn search_scope_ranking_read_marks_and_going_back() {
    let home = home();
    let mut t = Term::start(home.path(), &[], 160, 40);
    t.wait_for("Market day", 10);
    // All lists the shared story once: six rows. Highlight the fifth, Market day.
    for _ in 0..4 {
        t.send("j");
    }

    // The prompt says where it searches; Tab switches to the highlighted item's feed and back.
    t.send("/");
    let s = t.wait_for("Search in all feeds (Tab: Lake Journal only)", 5);
    assert!(s.contains("Enter searches"), "{s}");
    t.send("coral");
    t.send("\t");
    t.wait_for("Search in Lake Journal (Tab: all feeds)", 5);
    t.send("\r");
    // The status line counts the view itself: two items in Lake Journal, both unread.
    let s = t.wait_for("search \"coral\" in Lake Journal: 2 items, 2 unread", 5);
    assert!(
        !s.contains("Coral Reef Survey"),
        "Quay Post is not searched: {s}"
    );

    // A new search from there starts in the same feed; Tab widens it to every feed.
    t.send("/");
    t.wait_for("Search in Lake Journal (Tab: all feeds)", 5);
    t.send("\t");
    t.wait_for("Search in all feeds (Tab: Lake Journal only)", 5);
    t.send("coral reef survey\r");
    let s = t.wait_for("search \"coral reef survey\": 4 items, 4 unread", 5);
    // Ranked: the exact title (the oldest item), a title holding the words, the text holding
    // them as a phrase (the story, listed once), then the words anywhere.
    let rows = rows_of(
        &s,
        &[
            "Coral Reef Survey",
            "Survey of the reef finds coral returning",
            "Reef divers report",
            "Market day",
        ],
    );
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "rank order: {s}");
    assert_eq!(
        s.lines()
            .filter(|l| l.contains("Reef divers report"))
            .count(),
        1,
        "the story carried by both feeds is one row: {s}"
    );
    assert!(row_unread(&s, "Coral Reef Survey"), "{s}");

    // Open the first result and go back: its row shows it read, the count follows.
    t.send("\r");
    t.wait_for("The annual count opens.", 5);
    t.send("q");
    let s = t.wait_for("search \"coral reef survey\": 4 items, 3 unread", 5);
    assert!(
        !row_unread(&s, "Coral Reef Survey"),
        "the opened result shows read: {s}"
    );

    // Open the shared story from the results: the one row shows read.
    t.send("jj\r");
    t.wait_for("marine station said", 5);
    t.send("q");
    let s = t.wait_for("4 items, 2 unread", 5);
    assert!(!row_unread(&s, "Reef divers report"), "{s}");

    // Leaving the results goes back to All with Market day still highlighted: Enter opens it.
    t.send("q");
    t.wait_for("All: 6 items, 4 unread", 5);
    t.send("\r");
    t.wait_for("Stalls sold coral beads", 5);

    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");
}
