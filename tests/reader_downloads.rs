//! The reader's download action in a pseudo-terminal, against an HTTP server on 127.0.0.1: `D`
//! on an article queues its episode, the reader's background runner downloads it into
//! `[podcasts] dir` and says so in the status line, and `D` again says it is done already; a
//! failure shows in the status line and stays in the queue with its error.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::cli::{stderr, stdout, tidings};
use support::pty::Term;
use support::server::{Reply, TestServer};

fn episode() -> Vec<u8> {
    (0..150_000u32).map(|i| (i * 7 % 253) as u8).collect()
}

/// A feed on `server` whose newest item carries `/ep.mp3` and the next `/missing.mp3`.
fn podcast(server: &TestServer) -> String {
    let now = chrono::Utc::now().timestamp();
    let date = |h: i64| {
        chrono::DateTime::from_timestamp(now - 3_600 * h, 0)
            .unwrap()
            .to_rfc2822()
    };
    let xml = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour Cast</title>\
         <link>http://127.0.0.1/</link>\
         <item><guid>e1</guid><title>Tide tables</title><link>http://127.0.0.1/e1</link>\
         <pubDate>{}</pubDate><description>Show notes.</description>\
         <enclosure url=\"{}\" type=\"audio/mpeg\" length=\"150000\"/></item>\
         <item><guid>e2</guid><title>Lost episode</title><link>http://127.0.0.1/e2</link>\
         <pubDate>{}</pubDate><description>Gone.</description>\
         <enclosure url=\"{}\" type=\"audio/mpeg\"/></item>\
         </channel></rss>",
        date(1),
        server.url("/ep.mp3"),
        date(2),
        server.url("/missing.mp3"),
    );
    server.route(
        "/feed.xml",
        Reply::ok(xml).content_type("application/rss+xml"),
    );
    server.route("/ep.mp3", Reply::ok(episode()).content_type("audio/mpeg"));
    server.url("/feed.xml")
}

fn wait_file(path: &Path, secs: u64) {
    let deadline = support::pty::deadline(secs);
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn d_downloads_the_episode_in_the_background_and_reports_in_the_status_line() {
    let server = TestServer::start();
    let home = tempfile::tempdir().unwrap();
    let pods = home.path().join("pods");
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n\n\
             [podcasts]\ndir = {:?}\n",
            pods.display().to_string()
        ),
    )
    .unwrap();
    let url = podcast(&server);
    let o = tidings(home.path(), &["add", &url]);
    assert!(o.status.success(), "{}", stderr(&o));

    let mut t = Term::start(home.path(), &[], 120, 30);
    t.wait_for("Tide tables", 10);
    t.send("\r");
    t.wait_for("Show notes.", 5);
    t.send("D");
    let file = pods.join("Harbour Cast - Tide tables.mp3");
    t.wait_for("Downloaded", 15);
    wait_file(&file, 5);
    assert_eq!(std::fs::read(&file).unwrap(), episode());
    t.send("D");
    t.wait_for("Already queued or downloaded", 5);

    // The next item's episode is missing on the server: the failure shows and is kept.
    t.send("J");
    t.wait_for("Gone.", 5);
    t.send("D");
    let screen = t.wait_for("404", 15);
    assert!(screen.contains("Lost episode"), "{screen}");
    t.send("Q");
    assert!(t.wait_exit(5));
    let list = tidings(home.path(), &["download", "--list"]);
    let listed = stdout(&list);
    assert!(
        listed.contains("done    Harbour Cast - Tide tables"),
        "{listed}"
    );
    assert!(
        listed.contains("failed  Harbour Cast - Lost episode  HTTP 404"),
        "{listed}"
    );
}
