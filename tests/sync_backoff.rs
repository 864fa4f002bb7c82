//! Backoff after failed syncs, against a real Miniflux on loopback (see `support/miniflux.rs`)
//! seen through a counting proxy (`support/gate.rs`): with the server down, automatic syncs
//! (`tidings fetch --due`, the reader's start-up refresh) wait and do not contact it, while
//! `tidings sync`, a plain `tidings fetch` and the reader's refresh key try at once; a sync that
//! succeeds ends the wait.

#[path = "support/gate.rs"]
mod gate;
#[path = "support/miniflux.rs"]
mod miniflux;
mod support;

use std::path::Path;

use gate::Gate;
use miniflux::Miniflux;
use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};
use tidings::sync::backoff::Backoff;

const RSS: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Alpha</title>\
    <link>http://127.0.0.1:9/</link><item><guid>a1</guid><title>One</title>\
    <link>http://127.0.0.1:9/a1</link><description>Body of One.</description></item>\
    </channel></rss>";

/// A Miniflux subscribed to one feed, a counting proxy in front of it, and a home syncing with
/// it through the proxy (`extra` appended to the config), synced once.
fn setup(extra: &str) -> Option<(Miniflux, TestServer, Gate, tempfile::TempDir)> {
    let mf = Miniflux::start()?;
    let server = TestServer::start();
    server.route("/a.xml", Reply::ok(RSS));
    mf.subscribe(&server.url("/a.xml"), "News");
    let port: u16 = mf.url().rsplit(':').next().unwrap().parse().unwrap();
    let gate = Gate::counting(port);
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[sync]\nserver = \"miniflux\"\nurl = \"{}\"\nusername = \"{}\"\n\
             password_command = [\"printf\", \"%s\", \"{}\"]\n{extra}",
            gate.url(),
            miniflux::USER,
            miniflux::PASSWORD
        ),
    )
    .unwrap();
    let out = tidings(home.path(), &["sync"]);
    assert!(out.status.success(), "{}", stderr(&out));
    Some((mf, server, gate, home))
}

fn backoff(home: &Path, gate: &Gate) -> Backoff {
    let store = tidings::store::Store::open(&home.join("cache.db")).unwrap();
    Backoff::load(
        &store,
        &format!("miniflux {} {}", gate.url(), miniflux::USER),
    )
    .unwrap()
}

/// The lines of `tidings fetch` (with `args`) on stderr that are about the sync.
fn fetch_sync_lines(home: &Path, args: &[&str]) -> Vec<String> {
    let mut argv = vec!["fetch"];
    argv.extend_from_slice(args);
    let out = tidings(home, &argv);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
        .lines()
        .filter(|l| l.starts_with("sync: "))
        .map(str::to_string)
        .collect()
}

#[test]
fn after_a_failed_sync_fetch_due_waits_and_sync_or_a_plain_fetch_tries_at_once() {
    let Some((mut mf, _server, gate, home)) = setup("") else {
        return;
    };
    let home = home.path();
    assert_eq!(backoff(home, &gate), Backoff::default());
    mf.stop();

    // The first automatic sync tries, and fails.
    let before = gate.connections();
    let lines = fetch_sync_lines(home, &["--due"]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(!lines[0].contains("waiting"), "{lines:?}");
    assert!(gate.connections() > before, "the first one tries");
    assert_eq!(backoff(home, &gate).failures, 1);

    // The next waits a minute, without a word to the server.
    let before = gate.connections();
    let lines = fetch_sync_lines(home, &["--due"]);
    assert_eq!(
        lines,
        vec!["sync: waiting 1 min after 1 failed sync; `tidings sync` tries now"]
    );
    let out = tidings(home, &["fetch", "--due", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["sync"]["failed_syncs"], 1, "{v}");
    assert!(
        v["sync"]["skipped"]
            .as_str()
            .unwrap()
            .starts_with("waiting 1 min"),
        "{v}"
    );
    assert_eq!(gate.connections(), before, "no sync reached the server");
    assert_eq!(
        backoff(home, &gate).failures,
        1,
        "a skipped sync is no failure"
    );

    // Asked for, it tries at once; each failure doubles the wait.
    let out = tidings(home, &["sync"]);
    assert!(!out.status.success());
    assert!(gate.connections() > before, "`tidings sync` tries");
    assert_eq!(
        fetch_sync_lines(home, &["--due"]),
        vec!["sync: waiting 2 min after 2 failed syncs; `tidings sync` tries now"]
    );
    let before = gate.connections();
    let lines = fetch_sync_lines(home, &[]);
    assert!(!lines[0].contains("waiting"), "{lines:?}");
    assert!(gate.connections() > before, "a plain fetch tries");
    assert_eq!(backoff(home, &gate).failures, 3);
    assert_eq!(
        fetch_sync_lines(home, &["--due"]),
        vec!["sync: waiting 4 min after 3 failed syncs; `tidings sync` tries now"]
    );

    // Back up: a sync that succeeds ends the wait.
    mf.restart();
    let out = tidings(home, &["sync"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(backoff(home, &gate), Backoff::default());
    let before = gate.connections();
    assert!(fetch_sync_lines(home, &["--due"]).is_empty());
    assert!(gate.connections() > before, "fetch --due syncs again");
}

#[test]
fn the_reader_start_up_refresh_waits_and_its_refresh_key_tries_at_once() {
    let Some((mut mf, _server, gate, home)) =
        setup("[reader]\nrefresh_on_start = true\nrefresh_interval_minutes = 0\nmouse = false\n")
    else {
        return;
    };
    let home = home.path();
    mf.stop();
    let out = tidings(home, &["sync"]);
    assert!(!out.status.success());
    assert_eq!(backoff(home, &gate).failures, 1);

    let before = gate.connections();
    let mut t = support::pty::Term::start(home, &[], 160, 30);
    t.wait_for("One", 20);
    t.wait_for("E lists the errors", 20);
    t.send("E");
    t.wait_for(
        "waiting 1 min after 1 failed sync; a refresh asked for tries now",
        5,
    );
    assert_eq!(gate.connections(), before, "the start-up refresh waited");
    t.send("\x1b");
    t.send("R");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while backoff(home, &gate).failures < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the refresh key did not sync"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(gate.connections() > before, "the refresh key tries");
    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");
}
