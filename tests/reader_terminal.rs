//! What the reader does to the terminal beyond its screens: it gives the terminal back after a
//! panic, never prints its logs on the screen, honours `NO_COLOR` from the environment, and on a
//! first run seeds the embedded default subscriptions without fetching them. The real binary runs
//! in a pseudo-terminal; nothing here leaves 127.0.0.1 or the temporary home.

mod support;

use std::path::Path;
use std::process::Command;

use support::pty::Term;

/// A config that keeps the reader off the network: no refresh at start or on a timer.
const NO_REFRESH: &str =
    "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n";

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

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
        .display()
        .to_string()
}

/// A home with the local fixture feed subscribed and the given config.
fn home_with(config: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    tidings(home.path(), &["add", &fixture("local-feed.xml")]);
    home
}

/// Whether `hay` contains `needle` as bytes.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The position of the last `needle` in `hay`.
fn last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[test]
fn a_panic_gives_the_terminal_back_and_shows_its_message() {
    let home = home_with(NO_REFRESH);
    let mut t = Term::start_env(
        home.path(),
        &[],
        100,
        30,
        &[("TIDINGS_DEBUG_PANIC", "reader")],
    );
    assert!(!t.wait_exit(15), "a panic is a failure exit");
    let raw = t.raw();
    let entered = last(&raw, b"\x1b[?1049h").expect("the alternate screen was entered");
    let left = last(&raw, b"\x1b[?1049l").expect("the alternate screen was left");
    assert!(left > entered, "left after entering");
    assert!(
        contains(&raw[entered..], b"\x1b[?25h"),
        "the cursor is shown again"
    );
    let message = last(&raw, b"a deliberate panic").expect("the panic message is printed");
    assert!(
        message > left,
        "the message comes after the terminal was restored, on the normal screen"
    );
    assert!(
        t.screen().contains("a deliberate panic"),
        "and it is readable there: {}",
        t.screen()
    );
}

#[test]
fn logs_go_to_the_log_file_never_to_the_screen() {
    // A refresh at start (of a local file) with every log level on gives the log plenty to say.
    let home = home_with(
        "[reader]\nrefresh_on_start = true\nrefresh_interval_minutes = 0\nmouse = false\n",
    );
    let mut t = Term::start_env(home.path(), &[], 120, 30, &[("TIDINGS_LOG", "trace")]);
    t.wait_for("Second post", 10);
    std::thread::sleep(std::time::Duration::from_millis(800));
    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");
    let log = std::fs::read_to_string(home.path().join("tidings.log")).expect("a log file");
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "TIDINGS_LOG=trace wrote nothing to log");
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    for level in [" TRACE ", " DEBUG ", " INFO ", " WARN ", " ERROR "] {
        assert!(
            !raw.contains(level),
            "a log line reached the terminal: {level:?}"
        );
    }
    for line in &lines {
        // The message part of each log line (after the target) never shows on the terminal.
        let message = line.rsplit(": ").next().unwrap_or(line).trim();
        if message.len() >= 12 {
            assert!(!raw.contains(message), "log text on the terminal: {line}");
        }
    }
}

#[test]
fn no_color_from_the_environment_draws_without_colours() {
    let home = home_with(NO_REFRESH);
    // With colours first, so that the check below can fail.
    let mut coloured = Term::start(home.path(), &[], 120, 30);
    coloured.wait_for("Second post", 10);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        coloured.colored_cells() > 0,
        "the default theme uses colours"
    );
    coloured.send("Q");
    assert!(coloured.wait_exit(10));

    let mut plain = Term::start_env(home.path(), &[], 120, 30, &[("NO_COLOR", "1")]);
    let s = plain.wait_for("Second post", 10);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(plain.colored_cells(), 0, "NO_COLOR=1 draws no colour: {s}");
    plain.send("Q");
    assert!(plain.wait_exit(10));
    let raw = plain.raw();
    for sgr in [
        &b"\x1b[38;"[..],
        b"\x1b[48;",
        b"\x1b[31m",
        b"\x1b[32m",
        b"\x1b[34m",
    ] {
        assert!(
            !contains(&raw, sgr),
            "a colour sequence under NO_COLOR: {sgr:?}"
        );
    }
}

#[test]
fn a_first_run_seeds_the_embedded_subscriptions_without_fetching_them() {
    let home = tempfile::tempdir().unwrap();
    // The first run would refresh at start: this config turns that off, so that no public name is
    // ever resolved.
    std::fs::write(home.path().join("config.toml"), NO_REFRESH).unwrap();
    let mut t = Term::start(home.path(), &[], 120, 30);
    t.wait_for("Harbour Gazette", 10);
    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");

    let expected = tidings::subscriptions::parse_opml(tidings::config::DEFAULT_FEEDS_OPML).unwrap();
    let o = tidings(home.path(), &["feeds", "--json"]);
    let feeds: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let mut got: Vec<&str> = feeds.iter().map(|f| f["url"].as_str().unwrap()).collect();
    let mut want: Vec<&str> = expected.entries.iter().map(|e| e.url.as_str()).collect();
    got.sort_unstable();
    want.sort_unstable();
    assert!(want.len() > 4, "the embedded list has feeds");
    assert_eq!(got, want, "every embedded subscription, once");
    for f in &feeds {
        assert!(
            f["last_checked"].is_null() && f["items"] == 0,
            "nothing was fetched: {f}"
        );
        let url = f["url"].as_str().unwrap();
        let entry = expected.entries.iter().find(|e| e.url == url).unwrap();
        let tags: Vec<&str> = f["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(tags, entry.tags, "the OPML folders become tags: {url}");
    }

    // A second run seeds nothing more, even after the user removed one.
    tidings(home.path(), &["remove", "demo:science-wire"]);
    let mut t = Term::start(home.path(), &[], 120, 30);
    t.wait_for("Harbour Gazette", 10);
    t.send("Q");
    assert!(t.wait_exit(10));
    let o = tidings(home.path(), &["feeds", "--json"]);
    let after: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        after.len(),
        want.len() - 1,
        "seeding happens only on the very first run"
    );
}
