//! The reader as a person uses it: the real binary in a pseudo-terminal, keys typed, the screen read
//! back through a terminal emulator.

mod support;

use std::path::Path;
use std::process::Command;

use support::pty::Term;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
        .display()
        .to_string()
}

fn tidings(home: &Path, args: &[&str]) -> std::process::Output {
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
    o
}

/// A home with two local feeds (one hostile) and no network refresh on start.
fn fixture_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    tidings(
        home.path(),
        &["add", &fixture("local-feed.xml"), "--tag", "local"],
    );
    tidings(home.path(), &["add", &fixture("hostile.json")]);
    home
}

fn unread(home: &Path) -> u64 {
    let o = tidings(home, &["feeds", "--json"]);
    let feeds: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    feeds.iter().map(|f| f["unread"].as_u64().unwrap()).sum()
}

/// Whether `hay` contains `needle` as bytes.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn move_open_scroll_help_search_quit() {
    let home = fixture_home();
    assert_eq!(unread(home.path()), 3);
    let mut t = Term::start(home.path(), &[], 130, 36);
    let s = t.wait_for("Hostile Red Feed", 10);
    assert!(
        s.contains("All") && s.contains("Unread") && s.contains("Starred"),
        "{s}"
    );
    assert!(s.contains("local"), "tags are folders: {s}");

    // The reader opens on the headlines of All: down two, open.
    t.wait_for("Second post", 5);
    t.send("j");
    t.send("j");
    t.send("\r");
    let s = t.wait_for("The first paragraph.", 5);
    assert!(s.contains("First post"), "{s}");
    assert!(s.contains("A. Writer"), "the header names the author: {s}");
    assert!(s.contains("audio/mpeg"), "enclosures are listed: {s}");

    // The help overlay (scrolling has its own test below).
    t.send("?");
    let s = t.wait_for("Mark read: highlighted feed/tag", 5);
    assert!(
        s.contains("Open in the browser"),
        "help comes from the key map: {s}"
    );
    t.send("\x1b");
    t.wait_gone("Mark read: highlighted feed/tag", 5);

    // Search through the index.
    t.send("/");
    t.send("relative");
    t.send("\r");
    // The view's name, not the key hint "search" the status line always shows.
    let s = t.wait_for("search \"relative\"", 5);
    assert!(s.contains("Second post"), "{s}");
    assert!(
        !s.contains("Clipboard"),
        "non-matching items are not listed: {s}"
    );
    t.send("\x1b");

    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");

    // Read state was written at once; the terminal was given back.
    assert_eq!(unread(home.path()), 2);
    let raw = t.raw();
    let entered = raw
        .windows(8)
        .rposition(|w| w == b"\x1b[?1049h")
        .expect("alternate screen entered");
    let left = raw
        .windows(8)
        .rposition(|w| w == b"\x1b[?1049l")
        .expect("alternate screen left");
    assert!(left > entered);
    assert!(
        contains(&raw[entered..], b"\x1b[?25h"),
        "cursor shown again"
    );
}

#[test]
fn feed_text_never_reaches_the_terminal_as_escape_sequences() {
    let home = fixture_home();
    let mut t = Term::start(home.path(), &[], 130, 36);
    t.wait_for("Hostile Red Feed", 10);
    let s = t.wait_for("Clipboard", 5);
    t.send("\r");
    t.wait_for("a clear-screen", 5);
    assert!(s.contains("Red"), "the hostile title shows as text: {s}");
    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");
    let raw = t.raw();
    assert!(
        !contains(&raw, b"ZXZpbA=="),
        "the feed's OSC 52 payload never reaches the terminal"
    );
    assert!(
        !contains(&raw, b"\x1b]0;title"),
        "nor its window-title sequence"
    );
    assert!(!contains(&raw, b"\x1b[2J a"), "nor its clear-screen");
    assert!(
        !contains(&raw, "\u{202e}".as_bytes()),
        "nor a bidi override"
    );
    assert!(
        !contains(&raw, "\u{9b}".as_bytes()) && !contains(&raw, "\u{9d}".as_bytes()),
        "nor C1 controls"
    );
}

#[test]
fn narrow_terminals_show_one_pane_and_resizing_keeps_the_selection() {
    let home = fixture_home();
    let mut t = Term::start(home.path(), &[], 80, 24);
    let s = t.wait_for("Second post", 10);
    assert!(!s.contains("Starred"), "one pane at a time: {s}");
    t.send("j");
    t.send("j");
    t.send("\r");
    t.wait_for("The first paragraph.", 5);
    t.send("q");
    let s = t.wait_for("Second post", 5);
    assert!(!s.contains("The first paragraph."), "q goes back: {s}");
    t.resize(140, 30);
    let s = t.wait_for("Starred", 5);
    assert!(s.contains("First post"), "{s}");
    t.send("\r");
    let s = t.wait_for("The first paragraph.", 5);
    assert!(
        s.contains("Second post"),
        "wide: all panes together, selection kept: {s}"
    );
    t.send("Q");
    assert!(t.wait_exit(10));
}

#[test]
fn space_pages_down_through_a_long_article_and_g_goes_back_to_the_top() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    let paras: String = (1..=80)
        .map(|i| format!("&lt;p&gt;Paragraph number {i:02} of the long read.&lt;/p&gt;"))
        .collect();
    let feed = home.path().join("long.xml");
    std::fs::write(
        &feed,
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Long Feed</title>\
             <item><guid>long-1</guid><title>The long read</title><description>{paras}</description></item>\
             </channel></rss>"
        ),
    )
    .unwrap();
    tidings(home.path(), &["add", feed.to_str().unwrap()]);
    let mut t = Term::start(home.path(), &[], 120, 30);
    t.wait_for("The long read", 10);
    t.send("\r");
    let s = t.wait_for("Paragraph number 01 of", 5);
    assert!(
        !s.contains("Paragraph number 60 of"),
        "a long article starts at its top: {s}"
    );
    t.send(" ");
    let s = t.wait_gone("Paragraph number 01 of", 5);
    assert!(
        s.contains("Paragraph number 1") || s.contains("Paragraph number 2"),
        "a page further down: {s}"
    );
    t.send("G");
    t.wait_for("Paragraph number 80 of", 5);
    t.send("g");
    let s = t.wait_for("Paragraph number 01 of", 5);
    assert!(
        !s.contains("Paragraph number 80 of"),
        "back at the top: {s}"
    );
    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");
}

#[test]
fn back_keys_on_the_feed_list_do_not_quit_but_q_does() {
    let home = fixture_home();
    let mut t = Term::start(home.path(), &[], 130, 36);
    t.wait_for("Second post", 10);
    // From the headlines, h goes to the feed list; Esc, h and Left there keep the reader open,
    // which the help screen opening afterwards shows.
    t.send("h");
    t.send("\x1b");
    t.send("h");
    t.send("\x1b[D");
    t.send("?");
    t.wait_for("Mark read: highlighted feed/tag", 5);
    t.send("?");
    t.wait_gone("Mark read: highlighted feed/tag", 5);
    t.send("q");
    assert!(t.wait_exit(10), "q quits from the feed list");
}
