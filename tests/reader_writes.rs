//! The reader's writes while another connection holds the cache's write lock (a refresh storing,
//! or a `tidings fetch` from cron): the real binary in a pty, the lock held by a plain SQLite
//! connection of the test's own.

mod support;

use std::path::Path;
use std::process::Command;

use support::pty::Term;

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

fn unread(home: &Path) -> u64 {
    let o = tidings(home, &["feeds", "--json"]);
    let feeds: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    feeds.iter().map(|f| f["unread"].as_u64().unwrap()).sum()
}

#[test]
fn a_read_mark_made_while_the_lock_is_held_is_kept_when_the_reader_quits() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    let feed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli/local-feed.xml");
    tidings(home.path(), &["add", feed.to_str().unwrap()]);
    let before = unread(home.path());
    assert!(before > 0);

    let mut t = Term::start(home.path(), &[], 120, 30);
    t.wait_for("Second post", 10);
    let lock = rusqlite::Connection::open(home.path().join("cache.db")).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    // Mark the selected item read, then quit at once, while the lock is still held.
    t.send("m");
    t.send("Q");
    std::thread::sleep(std::time::Duration::from_millis(300));
    lock.execute_batch("COMMIT").unwrap();
    assert!(t.wait_exit(20), "the reader exits with success");
    assert_eq!(unread(home.path()), before - 1, "the mark was stored");
}
