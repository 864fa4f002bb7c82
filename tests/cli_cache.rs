//! The cache under stress: feeds removed during a fetch, a full disk, a read-only home, a damaged
//! file and `tidings repair`. Every test drives the real binary on real SQLite files; the full
//! disk is a real small tmpfs (in a private mount namespace, when this machine allows one) or a
//! file-size limit (always), the read-only home a read-only bind mount (in a private mount
//! namespace) or, for an unprivileged user, a home without write permission.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::server::{Reply, TestServer};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tidings")
}

fn tidings(home: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TIDINGS_HOME")
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// An RSS document with `n` items whose guids start with `prefix`, each with a body of
/// `body_bytes` of text that compresses badly.
fn rss(title: &str, prefix: &str, n: usize, body_bytes: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://site.example/</link>"
    );
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15 ^ (prefix.len() as u64) ^ (n as u64);
    for i in 0..n {
        let mut body = String::with_capacity(body_bytes);
        while body.len() < body_bytes {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            body.push_str(&format!("{:x} ", seed));
        }
        s.push_str(&format!(
            "<item><guid>{prefix}{i}</guid><title>{title} item {i}</title><link>https://site.example/{prefix}{i}</link>\
             <pubDate>Mon, {:02} Nov 2026 {:02}:{:02}:00 +0000</pubDate><description>{body}</description></item>",
            (i % 27) + 1,
            i % 24,
            i % 60
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON on stdout ({e}): {}\n{}", stdout(o), stderr(o)))
}

fn feed_by_url<'a>(feeds: &'a serde_json::Value, url: &str) -> Option<&'a serde_json::Value> {
    feeds.as_array().unwrap().iter().find(|f| f["url"] == url)
}

#[test]
fn a_feed_removed_during_a_fetch_is_skipped_and_the_others_are_stored() {
    let server = TestServer::start();
    for p in ["/a.xml", "/b.xml", "/c.xml"] {
        server.route(p, Reply::ok(rss(p, "old", 2, 50)));
    }
    let home = tempfile::tempdir().unwrap();
    for p in ["/a.xml", "/b.xml", "/c.xml"] {
        let o = tidings(home.path(), &["add", &server.url(p)]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let feeds = json(&tidings(home.path(), &["feeds", "--json"]));
    let a_id = feed_by_url(&feeds, &server.url("/a.xml")).unwrap()["id"]
        .as_i64()
        .unwrap();
    // Feed a answers late: it is removed while its download is under way; c answers after it.
    server.route(
        "/a.xml",
        Reply::ok(rss("/a.xml", "new", 3, 50)).delay(Duration::from_secs(3)),
    );
    server.route("/b.xml", Reply::ok(rss("/b.xml", "new", 3, 50)));
    server.route(
        "/c.xml",
        Reply::ok(rss("/c.xml", "new", 3, 50)).delay(Duration::from_secs(4)),
    );
    let child = Command::new(bin())
        .arg("--home")
        .arg(home.path())
        .args(["fetch", "--json"])
        .env_remove("TIDINGS_HOME")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while server.requests_to("/a.xml").len() < 2 {
        assert!(started.elapsed() < Duration::from_secs(20), "no request");
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = tidings(home.path(), &["remove", &a_id.to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A repair refuses while the fetch holds the cache.
    let o = tidings(home.path(), &["repair"]);
    assert!(!o.status.success(), "repair refuses during a fetch");
    assert!(stderr(&o).contains("in use"), "{}", stderr(&o));
    let mut child = child;
    assert!(
        child.try_wait().unwrap().is_none(),
        "the fetch is still under way when the feed is removed"
    );
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["updated"], 2, "{report}");
    assert_eq!(report["new_items"], 6, "{report}");
    let gone = report["gone"].as_array().unwrap();
    assert_eq!(gone.len(), 1, "{report}");
    assert_eq!(gone[0]["id"], a_id);
    assert!(report["not_stored"].as_array().unwrap().is_empty());

    let feeds = json(&tidings(home.path(), &["feeds", "--json"]));
    assert_eq!(feeds.as_array().unwrap().len(), 2);
    for p in ["/b.xml", "/c.xml"] {
        let f = feed_by_url(&feeds, &server.url(p)).unwrap();
        assert_eq!(f["items"], 5, "{f}");
    }
}

/// Whether this process may make a private mount namespace (root, and a kernel that allows it).
fn can_unshare() -> bool {
    Command::new("unshare")
        .args(["--mount", "--propagation", "private", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs a shell script in a private mount namespace (so its mounts vanish with it).
fn in_namespace(script: &str, vars: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new("unshare");
    cmd.args(["--mount", "--propagation", "private", "sh", "-euc", script]);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.env("BIN", bin()).env_remove("TIDINGS_HOME");
    cmd.output().unwrap()
}

/// A home with three subscribed feeds (small, big, late) whose next answers are ready on `server`:
/// the big one brings about `big_mib` MiB that compress badly, the others a few KB.
fn full_disk_home(server: &TestServer, big_mib: usize) -> tempfile::TempDir {
    for p in ["/small.xml", "/big.xml", "/late.xml"] {
        server.route(p, Reply::ok(rss(p, "old", 2, 50)));
    }
    let home = tempfile::tempdir().unwrap();
    for p in ["/small.xml", "/big.xml", "/late.xml"] {
        let o = tidings(home.path(), &["add", &server.url(p)]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    server.route("/small.xml", Reply::ok(rss("/small.xml", "new", 4, 200)));
    server.route(
        "/big.xml",
        Reply::ok(rss("/big.xml", "new", 64 * big_mib, 16 * 1024))
            .delay(Duration::from_millis(500)),
    );
    server.route(
        "/late.xml",
        Reply::ok(rss("/late.xml", "new", 4, 200)).delay(Duration::from_millis(2500)),
    );
    home
}

/// Checks a fetch that ran out of room for the big feed only: the report names it, the others
/// are stored, the big one keeps its old items.
fn check_full_disk_report(server: &TestServer, rc: &str, report: &str, feeds: &str, reason: &str) {
    assert_eq!(
        rc.trim(),
        "1",
        "the run says the cache could not take everything"
    );
    let report: serde_json::Value = serde_json::from_str(report)
        .unwrap_or_else(|e| panic!("a JSON report despite the full disk ({e}): {report:?}"));
    let not_stored = report["not_stored"].as_array().unwrap();
    assert_eq!(not_stored.len(), 1, "{report}");
    assert_eq!(not_stored[0]["url"], server.url("/big.xml").as_str());
    let error = not_stored[0]["error"].as_str().unwrap();
    assert!(error.contains(reason), "{error}");
    assert_eq!(report["updated"], 2, "{report}");
    let feeds: serde_json::Value = serde_json::from_str(feeds).unwrap();
    for (p, items) in [("/small.xml", 6), ("/late.xml", 6), ("/big.xml", 2)] {
        let f = feed_by_url(&feeds, &server.url(p)).unwrap();
        assert_eq!(f["items"], items, "{p}: {f}");
    }
}

#[test]
fn a_full_disk_reports_which_feeds_were_stored_and_which_not() {
    if !can_unshare() {
        println!(
            "SKIPPED: no private mount namespace here (needs root); the file-size test covers the path"
        );
        return;
    }
    let server = TestServer::start();
    let home = full_disk_home(&server, 4);
    let out = tempfile::tempdir().unwrap();
    let cache_kib = std::fs::metadata(home.path().join("cache.db"))
        .unwrap()
        .len()
        / 1024;
    // Room for the cache as it is and about a megabyte more: the small feeds fit, the big one not.
    let size = format!("{}k", cache_kib + 1024);
    let script = r#"
        mkdir -p "$OUT/disk"
        mount -t tmpfs -o size="$SIZE" tmpfs "$OUT/disk"
        cp "$SEED/cache.db" "$OUT/disk/"
        df -k "$OUT/disk" > "$OUT/df"
        set +e
        "$BIN" --home "$OUT/disk" fetch --json > "$OUT/report" 2> "$OUT/stderr"
        echo $? > "$OUT/rc"
        "$BIN" --home "$OUT/disk" feeds --json > "$OUT/feeds" 2>> "$OUT/stderr"
    "#;
    let mut cmd_vars = vec![("OUT", out.path()), ("SEED", home.path())];
    let size_path = PathBuf::from(&size);
    cmd_vars.push(("SIZE", size_path.as_path()));
    let o = in_namespace(script, &cmd_vars);
    let read = |f: &str| std::fs::read_to_string(out.path().join(f)).unwrap_or_default();
    assert!(o.status.success(), "{}\n{}", stderr(&o), read("stderr"));
    check_full_disk_report(
        &server,
        &read("rc"),
        &read("report"),
        &read("feeds"),
        "full",
    );
}

/// Runs `tidings --home HOME ARGS` with every file it writes limited to `limit` bytes (the
/// limit a full disk would set, without needing one).
fn with_file_size_limit(home: &Path, args: &[&str], limit: u64) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(bin());
    cmd.arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TIDINGS_HOME");
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().unwrap()
}

#[test]
fn a_file_size_limit_reports_which_feeds_were_stored_and_which_not() {
    let server = TestServer::start();
    let home = full_disk_home(&server, 4);
    let cache = std::fs::metadata(home.path().join("cache.db"))
        .unwrap()
        .len();
    let limit = cache + 1024 * 1024;
    let o = with_file_size_limit(home.path(), &["fetch", "--json"], limit);
    let feeds = tidings(home.path(), &["feeds", "--json"]);
    check_full_disk_report(
        &server,
        &o.status.code().unwrap_or(-1).to_string(),
        &stdout(&o),
        &stdout(&feeds),
        "I/O error",
    );
    // Said for people: which feed was not stored, and that the others were.
    let o = with_file_size_limit(home.path(), &["fetch"], limit);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let big = server.url("/big.xml");
    assert!(
        err.lines()
            .any(|l| l.starts_with("not stored: ") && l.contains(big.as_str())),
        "{err}"
    );
    assert!(err.contains("1 NOT STORED"), "{err}");
    assert!(err.contains("the others were stored"), "{err}");
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

/// A home with one local feed of `n` items, stored and closed (no `-wal` left).
fn home_with_items(n: usize, body_bytes: usize) -> (tempfile::TempDir, PathBuf, String) {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("feed.xml");
    std::fs::write(&file, rss("Local", "l", n, body_bytes)).unwrap();
    let o = tidings(home.path(), &["add", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let titles = stdout(&tidings(home.path(), &["show", "all", "--json"]));
    (home, file, titles)
}

#[test]
fn a_read_only_home_still_lists_shows_and_exports_and_writes_say_why_not() {
    let (home, file, _) = home_with_items(5, 100);
    // Logging is best effort; make sure it is not what the snapshot compares.
    let before = snapshot(home.path());
    let out = tempfile::tempdir().unwrap();
    let script = r#"
        set +e
        for cmd in "feeds --json" "show all --json" "export" "fetch" "add $FEED" "remove 1"; do
            name=$(echo "$cmd" | cut -d' ' -f1)
            "$BIN" --home "$HOME_DIR" $cmd > "$OUT/$name.out" 2> "$OUT/$name.err"
            echo $? > "$OUT/$name.rc"
        done
    "#;
    let o = if can_unshare() {
        let script = format!(
            "mount --bind \"$HOME_DIR\" \"$HOME_DIR\"\nmount -o remount,bind,ro \"$HOME_DIR\"\n{script}"
        );
        in_namespace(
            &script,
            &[
                ("HOME_DIR", home.path()),
                ("OUT", out.path()),
                ("FEED", &file),
            ],
        )
    } else if unsafe { libc::geteuid() } != 0 {
        use std::os::unix::fs::PermissionsExt;
        for (p, _) in &before {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o444)).unwrap();
        }
        std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
        let o = Command::new("sh")
            .args(["-c", script])
            .env("HOME_DIR", home.path())
            .env("OUT", out.path())
            .env("FEED", &file)
            .env("BIN", bin())
            .env_remove("TIDINGS_HOME")
            .output()
            .unwrap();
        std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        o
    } else {
        println!("SKIPPED: root without a private mount namespace cannot make a read-only home");
        return;
    };
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |f: &str| std::fs::read_to_string(out.path().join(f)).unwrap_or_default();
    for cmd in ["feeds", "show", "export"] {
        assert_eq!(
            read(&format!("{cmd}.rc")).trim(),
            "0",
            "{cmd}: {}",
            read(&format!("{cmd}.err"))
        );
    }
    let feeds: serde_json::Value = serde_json::from_str(&read("feeds.out")).unwrap();
    assert_eq!(feeds[0]["items"], 5);
    let items: serde_json::Value = serde_json::from_str(&read("show.out")).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 5);
    assert!(
        read("export.out").contains("<opml"),
        "{}",
        read("export.out")
    );
    for cmd in ["fetch", "add", "remove"] {
        assert_eq!(read(&format!("{cmd}.rc")).trim(), "1", "{cmd} must fail");
        let err = read(&format!("{cmd}.err"));
        assert!(
            err.contains("read-only") && err.contains("cache.db"),
            "{cmd}: {err}"
        );
    }
    assert_eq!(snapshot(home.path()), before, "nothing in the home changed");
}

/// Overwrites the middle leaf page of `table` (found with SQLite's `dbstat`) with garbage;
/// returns how many rows that page held.
fn damage_a_page_of(db: &Path, table: &str) -> i64 {
    let (page_size, pages): (i64, Vec<(i64, i64)>) = {
        let conn = rusqlite::Connection::open(db).unwrap();
        let size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT pageno, ncell FROM dbstat WHERE name = ?1 AND pagetype = 'leaf' ORDER BY pageno",
            )
            .unwrap();
        let pages = stmt
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<Vec<(i64, i64)>, _>>()
            .unwrap();
        (size, pages)
    };
    assert!(pages.len() >= 3, "{table} spans {} leaf pages", pages.len());
    let (page, cells) = pages[pages.len() / 2];
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    f.seek(SeekFrom::Start(((page - 1) * page_size) as u64))
        .unwrap();
    f.write_all(&vec![0xA5; page_size as usize]).unwrap();
    cells
}

#[test]
fn a_damaged_cache_is_named_never_written_and_repair_recovers_the_readable_rows() {
    let (home, _file, all) = home_with_items(400, 1500);
    let before: Vec<serde_json::Value> = serde_json::from_str(&all).unwrap();
    assert_eq!(before.len(), 400);
    let db = home.path().join("cache.db");
    let lost = damage_a_page_of(&db, "items");
    damage_a_page_of(&db, "item_bodies");
    assert!(!home.path().join("cache.db-wal").exists());

    // Reading meets the damage: the message names the file and says what to do.
    let o = tidings(home.path(), &["show", "all", "--json"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains(db.to_str().unwrap()), "{err}");
    assert!(
        err.contains("malformed") && err.contains("tidings repair"),
        "{err}"
    );
    assert!(
        home.path().join("cache.db.damaged").exists(),
        "the cache is marked"
    );

    // Nothing writes to it any more.
    let damaged = std::fs::read(&db).unwrap();
    for args in [
        &["fetch"][..],
        &["add", "demo:science-wire"],
        &["remove", "1"],
    ] {
        let o = tidings(home.path(), args);
        assert!(!o.status.success(), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("damaged") && err.contains("tidings repair"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(std::fs::read(&db).unwrap(), damaged, "not a byte written");
    assert!(!home.path().join("cache.db-wal").exists());

    // The reader opens it read-only, says so, and keeps repair away while it runs.
    let mut term = support::pty::Term::start(home.path(), &[], 120, 30);
    term.wait_for("damaged cache", 20);
    let o = tidings(home.path(), &["repair"]);
    assert!(
        !o.status.success(),
        "repair refuses while the reader has the cache"
    );
    assert!(stderr(&o).contains("in use"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&db).unwrap(), damaged);
    term.send("Q");
    assert!(term.wait_exit(10), "the reader quits cleanly");

    let o = tidings(home.path(), &["repair"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(said.contains("Kept the old file as"), "{said}");
    let kept: Vec<PathBuf> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("cache.db.broken-"))
        .collect();
    let old = kept
        .iter()
        .find(|p| {
            let name = p.to_string_lossy();
            !name.ends_with("-wal") && !name.ends_with("-shm") && !name.ends_with(".damaged")
        })
        .expect("the old database kept");
    assert!(
        kept.iter()
            .any(|p| p.to_string_lossy().ends_with(".damaged")),
        "the marker moved aside with it: {kept:?}"
    );
    assert_eq!(
        std::fs::read(old).unwrap(),
        damaged,
        "the old file is kept as it was"
    );
    assert!(!home.path().join("cache.db.damaged").exists());

    // The new cache holds every readable row, and only rows the old one had.
    let o = tidings(home.path(), &["show", "all", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let after: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    // Every item but those on the damaged page (and at most one beside it) is back.
    assert!(
        after.len() as i64 >= 400 - lost - 1 && after.len() < 400,
        "{} items recovered, {lost} were on the damaged page",
        after.len()
    );
    let titles: std::collections::HashSet<&str> = before
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    for item in &after {
        assert!(titles.contains(item["title"].as_str().unwrap()));
    }
    // And it can be written again: a fetch stores the feed anew.
    let o = tidings(home.path(), &["fetch"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let feeds = json(&tidings(home.path(), &["feeds", "--json"]));
    assert_eq!(
        feeds[0]["items"], 400,
        "the fetch brought the lost items back"
    );
}

/// The reader open in a pty while `tidings fetch` writes the cache from another process (and
/// checkpoints it from a thread of its own, see `store/checkpointer.rs`): the fetch stores
/// everything and the cache stays whole. (A build whose checkpointing thread closed a
/// descriptor of the cache file outside SQLite, dropping every lock the process held on it,
/// damaged the cache this way by hand, with the reader in tmux and 200 feeds of
/// `../shared/bench`'s corpus; this smaller run did not show it.)
#[test]
fn a_fetch_beside_the_open_reader_leaves_the_cache_whole() {
    let server = TestServer::start();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n",
    )
    .unwrap();
    let (first, feeds, items) = (10, 100, 30);
    let mut urls = Vec::new();
    for k in 0..feeds {
        let path = format!("/f{k}.xml");
        server.route(
            &path,
            Reply::ok(rss(&path, &format!("f{k}-"), items, 3_000)),
        );
        urls.push(server.url(&path));
    }
    let import = |urls: &[String]| {
        let list = home.path().join("urls.txt");
        std::fs::write(&list, urls.join("\n")).unwrap();
        let o = tidings(home.path(), &["import", list.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    import(&urls[..first]);
    let o = tidings(home.path(), &["fetch", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let mut reader = support::pty::Term::start(home.path(), &[], 120, 30);
    reader.wait_for("item", 20);
    import(&urls[first..]);
    let out = tidings(home.path(), &["fetch", "--json"]);
    // The reader goes on reading while the fetch ends.
    reader.send("j");
    reader.send("\r");
    std::thread::sleep(Duration::from_millis(300));
    reader.send("Q");
    assert!(reader.wait_exit(20), "the reader exits with success");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        json(&out)["new_items"],
        (feeds - first) * items,
        "{}",
        stdout(&out)
    );
    assert!(
        !home.path().join("cache.db.damaged").exists(),
        "{}",
        stderr(&out)
    );
    let conn = rusqlite::Connection::open(home.path().join("cache.db")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, (feeds * items) as i64);
}
