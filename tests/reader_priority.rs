//! A refresh started from the reader runs at a lower scheduling priority than the interface:
//! the real binary in a pty, refreshing from a loopback server that holds its answer back, its
//! threads' nice values read from `/proc` while the refresh is under way.

#![cfg(target_os = "linux")]

mod support;

use std::time::{Duration, Instant};

use support::pty::Term;
use support::server::{Reply, TestServer};

/// Each thread of process `pid`: its name and nice value.
fn threads(pid: u32) -> Vec<(String, i32)> {
    let mut out = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap() {
        let dir = task.unwrap().path();
        let Ok(stat) = std::fs::read_to_string(dir.join("stat")) else {
            continue; // the thread ended meanwhile
        };
        let name = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        // The fields after the name (in parentheses, which may hold spaces): state is the 3rd
        // field of the line, nice the 19th.
        let rest = &stat[stat.rfind(')').unwrap() + 2..];
        let nice: i32 = rest.split(' ').nth(16).unwrap().parse().unwrap();
        out.push((name.trim().to_string(), nice));
    }
    out
}

fn main_thread_nice(pid: u32) -> i32 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/stat")).unwrap();
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    rest.split(' ').nth(16).unwrap().parse().unwrap()
}

fn home_with(url: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = true\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home.path())
        .args(["add", url])
        .env_remove("TIDINGS_HOME")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    home
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_refresh_from_the_reader_runs_nicer_than_the_interface() {
    let server = TestServer::start();
    let rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Slow</title>\
               <item><title>One</title><guid>one</guid></item></channel></rss>";
    server.route("/slow.xml", Reply::ok(rss));
    let home = home_with(&server.url("/slow.xml"));
    // From now on the feed's answers are held back: the reader's refresh stays under way.
    server.route("/slow.xml", Reply::ok(rss).stall());
    let asked = server.requests_to("/slow.xml").len();
    let term = Term::start(home.path(), &[], 100, 30);
    let pid = term.pid();
    // The refresh is under way once its download reached the server, which holds it there.
    wait_until("the refresh's request", || {
        server.requests_to("/slow.xml").len() > asked
    });
    let ui = main_thread_nice(pid);
    let all = threads(pid);
    let refresh: Vec<&(String, i32)> = all
        .iter()
        .filter(|(name, _)| name.starts_with("tokio-r") || name == "refresh")
        .collect();
    assert!(
        refresh.iter().any(|(name, _)| name == "refresh"),
        "the refresh thread is named: {all:?}"
    );
    assert!(refresh.len() >= 2, "{all:?}");
    for (name, nice) in &refresh {
        assert!(
            *nice > ui,
            "{name} runs at nice {nice}, the interface at {ui}: {all:?}"
        );
    }
    // The interface's other threads (input, cache worker) keep the interface's priority.
    assert!(
        all.iter()
            .filter(|(name, _)| name == "tidings")
            .all(|(_, nice)| *nice == ui),
        "{all:?}"
    );
    drop(term);
}
