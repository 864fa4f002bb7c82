//! Local reads are bounded like downloads: only regular files are read (devices, FIFOs and
//! directories are refused by name, without blocking), through the same size cap, and `show -`
//! reads standard input under that cap. Every command here runs the real binary with a deadline,
//! so a read that would hang or grow without end fails the test instead of stalling it.

mod support;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of the binary produced.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Longest any command here may take; the refused reads take milliseconds.
const DEADLINE: Duration = Duration::from_secs(20);

/// `tidings --home HOME ARGS...` with `stdin` as its input, killed (failing the test) if it
/// outlives [`DEADLINE`].
fn tidings_with_input(home: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TIDINGS_HOME")
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let feeder = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        // The reader may stop early (over the cap): a broken pipe is expected then.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tidings {args:?} still running after {DEADLINE:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(f) = feeder {
        let _ = f.join();
    }
    Run {
        ok: status.success(),
        stdout: String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
    }
}

fn tidings(home: &Path, args: &[&str]) -> Run {
    tidings_with_input(home, args, None)
}

/// A small RSS feed with `n` dated items.
fn rss(n: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local</title>\
         <link>https://site.example/</link>",
    );
    for i in 0..n {
        s.push_str(&format!(
            "<item><guid>g{i}</guid><title>Item {i}</title>\
             <pubDate>Mon, {:02} Nov 2026 10:00:00 +0000</pubDate>\
             <description>Body {i}</description></item>",
            i % 27 + 1
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Asserts that a run failed with a message naming `path` and saying it is not a regular file.
fn assert_refused(run: &Run, path: &Path, what: &str) {
    assert!(!run.ok, "{what}: expected a failure, got: {}", run.stdout);
    assert!(
        run.stderr.contains(&path.display().to_string()),
        "{what}: the message names the path: {}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches(&path.display().to_string()).count(),
        1,
        "{what}: the message names the path once: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("not a regular file"),
        "{what}: the message says why: {}",
        run.stderr
    );
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn devices_are_refused_by_name_without_reading() {
    let home = tempfile::tempdir().unwrap();
    for dev in ["/dev/zero", "/dev/urandom"] {
        let dev = Path::new(dev);
        assert_refused(&tidings(home.path(), &["add", s(dev)]), dev, "add");
        assert_refused(&tidings(home.path(), &["show", s(dev)]), dev, "show");
        assert_refused(&tidings(home.path(), &["import", s(dev)]), dev, "import");
        assert_refused(
            &tidings(home.path(), &["--config", s(dev), "feeds"]),
            dev,
            "--config",
        );
    }
}

#[test]
fn a_fifo_is_refused_at_once_even_with_no_writer() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("feed.xml");
    mkfifo(&fifo);
    let home = dir.path().join("home");
    assert_refused(&tidings(&home, &["add", s(&fifo)]), &fifo, "add");
    assert_refused(&tidings(&home, &["show", s(&fifo)]), &fifo, "show");
    assert_refused(&tidings(&home, &["import", s(&fifo)]), &fifo, "import");
    assert_refused(
        &tidings(&home, &["--config", s(&fifo), "feeds"]),
        &fifo,
        "--config",
    );
}

#[test]
fn a_directory_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("feeds.d");
    std::fs::create_dir(&sub).unwrap();
    let home = dir.path().join("home");
    assert_refused(&tidings(&home, &["add", s(&sub)]), &sub, "add");
    assert_refused(&tidings(&home, &["show", s(&sub)]), &sub, "show");
    assert_refused(&tidings(&home, &["import", s(&sub)]), &sub, "import");
    assert_refused(
        &tidings(&home, &["--config", s(&sub), "feeds"]),
        &sub,
        "--config",
    );
}

/// A subscribed file replaced by a FIFO fails alone; the other feed is stored and the run ends.
#[test]
fn a_fifo_never_stalls_a_fetch() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let good = dir.path().join("good.xml");
    let bad = dir.path().join("bad.xml");
    std::fs::write(&good, rss(3)).unwrap();
    std::fs::write(&bad, rss(2)).unwrap();
    for f in [&good, &bad] {
        let run = tidings(&home, &["add", s(f)]);
        assert!(run.ok, "{}", run.stderr);
    }
    std::fs::remove_file(&bad).unwrap();
    mkfifo(&bad);
    std::fs::write(&good, rss(5)).unwrap();
    let run = tidings(&home, &["fetch", "--json"]);
    assert!(run.ok, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["updated"], 1, "{report}");
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{report}");
    let error = failed[0]["error"].as_str().unwrap();
    assert!(error.contains("not a regular file"), "{error}");
    assert!(error.contains(s(&bad)), "{error}");
    assert_eq!(report["new_items"], 2, "{report}");
}

/// The reader's own refresh: a FIFO among the feeds fails alone and the refresh ends (the status
/// line leaves "refreshing 1/2" for "updated HH:MM").
#[test]
fn a_fifo_never_stalls_the_readers_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(
        home.join("config.toml"),
        "[reader]\nrefresh_on_start = true\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    let good = dir.path().join("good.xml");
    let bad = dir.path().join("bad.xml");
    std::fs::write(&good, rss(3)).unwrap();
    std::fs::write(&bad, rss(2)).unwrap();
    for f in [&good, &bad] {
        let run = tidings(&home, &["add", s(f)]);
        assert!(run.ok, "{}", run.stderr);
    }
    std::fs::remove_file(&bad).unwrap();
    mkfifo(&bad);
    let term = support::pty::Term::start(&home, &[], 120, 30);
    let screen = term.wait_for("updated ", 20);
    assert!(!screen.contains("refreshing"), "{screen}");
}

#[test]
fn files_over_the_cap_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(home.join("config.toml"), "[fetch]\nmax_body_mib = 1\n").unwrap();
    // A valid feed of about 2 MiB: its items are read and parsed today.
    let big = dir.path().join("big.xml");
    let mut text = rss(1);
    let pad = format!("<!-- {} -->", "x".repeat(2 << 20));
    text.insert_str(text.len() - "</channel></rss>".len(), &pad);
    std::fs::write(&big, text).unwrap();
    for args in [&["show", s(&big)][..], &["add", s(&big)][..]] {
        let run = tidings(&home, args);
        assert!(!run.ok, "{args:?}: refused: {}", run.stdout);
        assert!(run.stderr.contains("larger than 1 MiB"), "{}", run.stderr);
        assert!(run.stderr.contains(s(&big)), "{}", run.stderr);
    }
    // An import list over the cap is refused too.
    let list = dir.path().join("urls");
    let line = format!("{}\n", s(&big));
    std::fs::write(&list, line.repeat((2 << 20) / line.len() + 1)).unwrap();
    let run = tidings(&home, &["import", s(&list)]);
    assert!(!run.ok, "import of a 2 MiB list is refused");
    assert!(run.stderr.contains("larger than 1 MiB"), "{}", run.stderr);
}

#[test]
fn a_config_over_one_mib_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("big.toml");
    // Valid TOML: a fetch setting and a megabyte of comments.
    let mut text = String::from("[fetch]\nmax_in_flight = 8\n");
    let comment = format!("# {}\n", "c".repeat(78));
    text.push_str(&comment.repeat((1 << 20) / comment.len() + 1));
    std::fs::write(&config, &text).unwrap();
    let run = tidings(&dir.path().join("home"), &["--config", s(&config), "feeds"]);
    assert!(!run.ok, "a {} byte config is refused", text.len());
    assert!(run.stderr.contains(s(&config)), "{}", run.stderr);
    assert!(run.stderr.contains("larger than 1 MiB"), "{}", run.stderr);

    // Just under the limit is fine.
    text.truncate((1 << 20) - 100);
    let cut = text.rfind('\n').unwrap() + 1;
    text.truncate(cut);
    std::fs::write(&config, &text).unwrap();
    let run = tidings(&dir.path().join("home"), &["--config", s(&config), "feeds"]);
    assert!(run.ok, "{}", run.stderr);
}

#[test]
fn show_dash_reads_a_feed_from_standard_input_under_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let run = tidings_with_input(&home, &["show", "-", "--json"], Some(rss(4).into_bytes()));
    assert!(run.ok, "{}", run.stderr);
    let items: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(items.len(), 4);
    assert!(items.iter().any(|i| i["title"] == "Item 3"));

    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("config.toml"), "[fetch]\nmax_body_mib = 1\n").unwrap();
    let big = vec![b' '; (1 << 20) + 1];
    let run = tidings_with_input(&home, &["show", "-"], Some(big));
    assert!(!run.ok, "over the cap: {}", run.stdout);
    assert!(run.stderr.contains("standard input"), "{}", run.stderr);
    assert!(run.stderr.contains("larger than 1 MiB"), "{}", run.stderr);
}
