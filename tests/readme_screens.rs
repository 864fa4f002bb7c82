//! The README's screens of the reader, drawn by the real binary in a pseudo-terminal with the
//! shipped settings (no config file) on the four demo feeds built into the binary (no network).
//!
//! `cargo test --test readme_screens -- --nocapture` prints them in the README's order, ready to
//! paste: reading at 134x31, choosing at 134x31, and the headlines alone at 80x24. The test checks
//! what the README says about each screen, so that the prose and the screens keep agreeing.

mod support;

use std::path::Path;
use std::process::Command;

use support::pty::Term;

/// The demo feeds of `config/feeds.opml`, served from the binary itself.
const DEMO_FEEDS: [&str; 4] = [
    "demo:harbour-gazette",
    "demo:lakeside-ledger",
    "demo:science-wire",
    "demo:northern-science",
];

/// A home subscribed to the demo feeds alone, with no config file: the reader runs with the
/// shipped settings, and its refresh on start reads only the built-in feeds.
fn demo_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    for url in DEMO_FEEDS {
        let o = Command::new(env!("CARGO_BIN_EXE_tidings"))
            .arg("--home")
            .arg(home.path())
            .args(["add", url])
            .env_remove("TIDINGS_HOME")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert!(!home.path().join("config.toml").exists());
    home
}

/// Prints a screen as a fenced block, under a heading saying what it shows.
fn show(what: &str, screen: &str) {
    println!("{what}:\n\n```\n{}\n```\n", screen.trim_end());
}

fn lines_with<'a>(screen: &'a str, text: &str) -> Vec<&'a str> {
    screen.lines().filter(|l| l.contains(text)).collect()
}

#[test]
fn the_readme_screens_show_what_the_readme_says() {
    let home = demo_home();
    let mut t = run(home.path(), 134, 31);

    // Choosing first: the feed pane and the headlines, the coral story listed once with "+1".
    let choosing = t.wait_for("Volunteers count a record number of swifts", 10);
    assert!(choosing.contains("Feeds"), "{choosing}");
    let coral = lines_with(&choosing, "Deep-sea survey finds coral reef");
    assert_eq!(
        coral.len(),
        1,
        "the syndicated story is listed once:\n{choosing}"
    );
    assert!(coral[0].contains("+1"), "{choosing}");

    // Reading: the fifth headline, the aggregator's copy of the swifts story, with its repeated
    // and promotional blocks folded.
    for _ in 0..4 {
        t.send("j");
    }
    t.send("\r");
    t.wait_for("Feed: Lakeside Ledger via Aggregator (demo)", 10);
    let reading = t.wait_for("folded", 5);
    assert!(
        reading.contains("Volunteers count a record number of swifts"),
        "{reading}"
    );
    assert!(
        !reading.contains("┌ Feeds"),
        "the feed pane hides while reading (hide_feeds_while_reading):\n{reading}"
    );

    // Back to choosing, with the story now read.
    t.send("q");
    let chosen = t.wait_for("┌ Feeds", 5);

    // Narrow (under side_by_side_min_width): one pane at a time.
    t.resize(80, 24);
    let narrow = t.wait_until("the headlines alone", 5, |s| {
        !s.contains("┌ Feeds") && s.contains("Volunteers count")
    });
    assert_eq!(
        narrow.matches('┌').count(),
        1,
        "one pane at a time:\n{narrow}"
    );

    show("Reading at 134x31", &reading);
    show(
        "Choosing, with the headline list focused, at 134x31",
        &chosen,
    );
    show("The headlines alone at 80x24", &narrow);
}

fn run(home: &Path, cols: u16, rows: u16) -> Term {
    Term::start_env(home, &[], cols, rows, &[("TZ", "UTC")])
}
