//! Podcasts against the real binary and an HTTP server on 127.0.0.1 written here, which honours
//! `Range` with `If-Range` (or ignores it, or drops the connection half-way when told): a feed set
//! to `auto_download` queues its episodes; `tidings download` writes them under sanitised names,
//! resumes an interrupted download (and starts over when the server sends the whole file), never
//! follows a symbolic link planted where a file goes, never overwrites a file, and refuses a
//! full folder and an enclosure on another loopback address.

mod support;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::thread;

/// How the server answers a request for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `Range` is honoured when `If-Range` names the file's `ETag` (or is absent).
    Ranges,
    /// The whole file with a 200, whatever was asked.
    IgnoreRange,
    /// Headers for the whole answer, then only this many bytes of it, then the connection is
    /// closed; once, then back to `Ranges`.
    DropAfter(usize),
}

/// One request as the server saw it: its path and its headers (names in lower case).
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: HashMap<String, String>,
}

struct State {
    routes: HashMap<String, (Vec<u8>, &'static str)>,
    etag: String,
    mode: Mode,
    seen: Vec<Seen>,
}

/// The server: one thread, one connection at a time, every answer closes it.
struct Server {
    port: u16,
    state: Arc<Mutex<State>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            routes: HashMap::new(),
            etag: "\"v1\"".into(),
            mode: Mode::Ranges,
            seen: Vec::new(),
        }));
        let shared = Arc::clone(&state);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&shared);
                thread::spawn(move || serve(stream, &shared));
            }
        });
        Server { port, state }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn route(&self, path: &str, body: Vec<u8>, content_type: &'static str) {
        let mut s = self.state.lock().unwrap();
        s.routes.insert(path.to_string(), (body, content_type));
    }

    fn set_mode(&self, mode: Mode) {
        self.state.lock().unwrap().mode = mode;
    }

    fn set_etag(&self, etag: &str) {
        self.state.lock().unwrap().etag = etag.to_string();
    }

    fn requests_for(&self, path: &str) -> Vec<Seen> {
        let s = self.state.lock().unwrap();
        s.seen.iter().filter(|r| r.path == path).cloned().collect()
    }
}

fn serve(mut stream: TcpStream, state: &Mutex<State>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let (reply, cut) = {
        let mut s = state.lock().unwrap();
        s.seen.push(Seen {
            path: path.clone(),
            headers: headers.clone(),
        });
        let Some((body, content_type)) = s.routes.get(&path).cloned() else {
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            return;
        };
        let etag = s.etag.clone();
        let start = headers
            .get("range")
            .and_then(|r| r.strip_prefix("bytes="))
            .and_then(|r| r.strip_suffix('-'))
            .and_then(|n| n.parse::<usize>().ok());
        let if_range_ok = headers.get("if-range").is_none_or(|v| *v == etag);
        let partial = match (s.mode, start) {
            (Mode::IgnoreRange, _) => None,
            (_, Some(n)) if if_range_ok && n < body.len() => Some(n),
            _ => None,
        };
        let cut = match s.mode {
            Mode::DropAfter(n) => {
                s.mode = Mode::Ranges;
                Some(n)
            }
            _ => None,
        };
        let mut reply = match partial {
            Some(n) => format!(
                "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {n}-{}/{}\r\nContent-Length: {}\r\n",
                body.len() - 1,
                body.len(),
                body.len() - n
            )
            .into_bytes(),
            None => format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n", body.len()).into_bytes(),
        };
        reply.extend_from_slice(
            format!("Content-Type: {content_type}\r\nETag: {etag}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        reply.extend_from_slice(&body[partial.unwrap_or(0)..]);
        (reply, cut)
    };
    let head_len = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(0, |p| p + 4);
    let end = cut.map_or(reply.len(), |n| (head_len + n).min(reply.len()));
    let _ = stream.write_all(&reply[..end]);
    let _ = stream.flush();
}

/// An episode's bytes: `len` of them, not all alike, so that a misplaced byte shows.
fn episode(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(31).wrapping_add(seed as u32) as u8)
        .collect()
}

/// An RSS feed titled `title` whose items are `(title, enclosure address)`, newest first.
fn feed_xml(title: &str, items: &[(&str, String)]) -> Vec<u8> {
    let mut xml = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <link>http://127.0.0.1/</link><description>d</description>"
    );
    for (n, (t, url)) in items.iter().enumerate() {
        xml.push_str(&format!(
            "<item><title>{t}</title><guid>{url}</guid><link>http://127.0.0.1/{n}</link>\
             <pubDate>Mon, 0{} Jan 2024 10:00:00 GMT</pubDate><description>x</description>\
             <enclosure url=\"{url}\" type=\"audio/mpeg\" length=\"1\"/></item>",
            9 - n.min(8)
        ));
    }
    xml.push_str("</channel></rss>");
    xml.into_bytes()
}

/// Runs the binary on `home` with no proxy variables (every address here is on 127.0.0.1).
fn tidings(home: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
    cmd.arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TIDINGS_HOME");
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1").output().expect("the binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A home whose config sends episodes to `pods` and sets the feed at `feed_url` to
/// `auto_download`, with `extra` appended; returns the podcasts folder.
fn setup(home: &Path, feed_url: &str, extra: &str) -> PathBuf {
    let pods = home.join("pods");
    std::fs::write(
        home.join("config.toml"),
        format!(
            "[podcasts]\ndir = {:?}\n{extra}\n[[feed]]\nurl = {feed_url:?}\nauto_download = true\n",
            pods.display().to_string()
        ),
    )
    .unwrap();
    pods
}

fn subscribe(home: &Path, url: &str) {
    let o = tidings(home, &["add", url]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("episodes queued"), "{}", text(&o));
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn episodes_are_downloaded_under_sanitised_names_and_never_over_a_file() {
    let server = Server::start();
    let long = "L".repeat(300);
    server.route("/a.mp3", episode(50_000, 1), "audio/mpeg");
    server.route("/b.mp3", episode(7_000, 2), "audio/mpeg");
    server.route("/c", episode(3_000, 3), "audio/mpeg");
    let items = [
        ("Ep 1/2:\tthe\nstart", server.url("/a.mp3")),
        (long.as_str(), server.url("/b.mp3")),
        ("Same", server.url("/c")),
    ];
    server.route(
        "/feed.xml",
        feed_xml("News/Daily", &items),
        "application/rss+xml",
    );
    let home = tempfile::tempdir().unwrap();
    let pods = setup(home.path(), &server.url("/feed.xml"), "");
    // A file already bears the third episode's name: it stays as it is.
    std::fs::create_dir_all(&pods).unwrap();
    std::fs::write(pods.join("News Daily - Same.mp3"), "mine").unwrap();
    subscribe(home.path(), &server.url("/feed.xml"));
    let o = tidings(home.path(), &["download"]);
    assert!(o.status.success(), "{}", text(&o));
    let names = files_in(&pods);
    assert!(
        names.contains(&"News Daily - Ep 1 2 the start.mp3".to_string()),
        "{names:?}"
    );
    assert_eq!(
        std::fs::read(pods.join("News Daily - Ep 1 2 the start.mp3")).unwrap(),
        episode(50_000, 1)
    );
    assert_eq!(
        std::fs::read_to_string(pods.join("News Daily - Same.mp3")).unwrap(),
        "mine",
        "an existing file is never overwritten"
    );
    assert_eq!(
        std::fs::read(pods.join("News Daily - Same-2.mp3")).unwrap(),
        episode(3_000, 3),
        "the address has no extension: the declared type gives .mp3"
    );
    let long_name = names
        .iter()
        .find(|n| n.contains("LLLL"))
        .expect("the long title's file");
    assert!(long_name.len() <= 200, "{} bytes", long_name.len());
    assert!(long_name.ends_with(".mp3"), "{long_name}");
    assert!(names.iter().all(|n| !n.ends_with(".part")), "{names:?}");
    // Done is done: a second run downloads nothing again.
    let before = server.requests_for("/a.mp3").len();
    let o = tidings(home.path(), &["download"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(server.requests_for("/a.mp3").len(), before);
    let list = tidings(home.path(), &["download", "--list"]);
    assert_eq!(
        String::from_utf8_lossy(&list.stdout)
            .lines()
            .filter(|l| l.starts_with("done"))
            .count(),
        3,
        "{}",
        text(&list)
    );
}

#[test]
fn an_interrupted_download_resumes_with_if_range_and_starts_over_on_a_whole_answer() {
    let server = Server::start();
    let body = episode(200_000, 7);
    server.route("/ep.mp3", body.clone(), "audio/mpeg");
    server.route(
        "/feed.xml",
        feed_xml("Cast", &[("One", server.url("/ep.mp3"))]),
        "application/rss+xml",
    );
    let home = tempfile::tempdir().unwrap();
    let pods = setup(home.path(), &server.url("/feed.xml"), "");
    subscribe(home.path(), &server.url("/feed.xml"));

    server.set_mode(Mode::DropAfter(80_000));
    let o = tidings(home.path(), &["download"]);
    assert!(
        !o.status.success(),
        "a dropped connection fails: {}",
        text(&o)
    );
    assert!(text(&o).contains("failed: Cast - One"), "{}", text(&o));
    let part = pods.join("Cast - One.mp3.part");
    assert_eq!(
        std::fs::read(&part).unwrap(),
        body[..80_000],
        "the part is kept"
    );
    assert!(!pods.join("Cast - One.mp3").exists());

    let o = tidings(home.path(), &["download"]);
    assert!(o.status.success(), "{}", text(&o));
    let asks = server.requests_for("/ep.mp3");
    let resume = &asks.last().unwrap().headers;
    assert_eq!(
        resume.get("range").map(String::as_str),
        Some("bytes=80000-")
    );
    assert_eq!(resume.get("if-range").map(String::as_str), Some("\"v1\""));
    assert_eq!(std::fs::read(pods.join("Cast - One.mp3")).unwrap(), body);
    assert!(!part.exists());

    // Another episode, interrupted; then the server sends the whole file to the resume.
    let second = episode(120_000, 9);
    server.route("/two.mp3", second.clone(), "audio/mpeg");
    server.route(
        "/feed.xml",
        feed_xml(
            "Cast",
            &[
                ("Two", server.url("/two.mp3")),
                ("One", server.url("/ep.mp3")),
            ],
        ),
        "application/rss+xml",
    );
    let o = tidings(home.path(), &["fetch"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("1 new episodes queued"), "{}", text(&o));
    server.set_mode(Mode::DropAfter(50_000));
    let o = tidings(home.path(), &["download"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read(pods.join("Cast - Two.mp3.part"))
            .unwrap()
            .len(),
        50_000
    );
    server.set_mode(Mode::IgnoreRange);
    let o = tidings(home.path(), &["download"]);
    assert!(o.status.success(), "{}", text(&o));
    let asks = server.requests_for("/two.mp3");
    assert_eq!(
        asks.last()
            .unwrap()
            .headers
            .get("range")
            .map(String::as_str),
        Some("bytes=50000-")
    );
    assert_eq!(
        std::fs::read(pods.join("Cast - Two.mp3")).unwrap(),
        second,
        "the whole answer replaced the part, not appended to it"
    );
}

#[test]
fn a_changed_file_is_sent_whole_to_the_resume() {
    let server = Server::start();
    server.route("/ep.mp3", episode(90_000, 1), "audio/mpeg");
    server.route(
        "/feed.xml",
        feed_xml("Cast", &[("One", server.url("/ep.mp3"))]),
        "application/rss+xml",
    );
    let home = tempfile::tempdir().unwrap();
    let pods = setup(home.path(), &server.url("/feed.xml"), "");
    subscribe(home.path(), &server.url("/feed.xml"));
    server.set_mode(Mode::DropAfter(30_000));
    assert!(!tidings(home.path(), &["download"]).status.success());
    // The file changed on the server: If-Range no longer matches, the server sends it whole.
    let changed = episode(60_000, 5);
    server.route("/ep.mp3", changed.clone(), "audio/mpeg");
    server.set_etag("\"v2\"");
    let o = tidings(home.path(), &["download"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(std::fs::read(pods.join("Cast - One.mp3")).unwrap(), changed);
}

#[test]
fn a_link_planted_where_the_file_goes_is_not_followed() {
    let server = Server::start();
    server.route("/ep.mp3", episode(40_000, 1), "audio/mpeg");
    server.route(
        "/feed.xml",
        feed_xml("Cast", &[("One", server.url("/ep.mp3"))]),
        "application/rss+xml",
    );
    let home = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    let pods = setup(home.path(), &server.url("/feed.xml"), "");
    std::fs::create_dir_all(&pods).unwrap();
    subscribe(home.path(), &server.url("/feed.xml"));

    // At the .part path: refused with an error naming it, nothing written through it.
    let part = pods.join("Cast - One.mp3.part");
    std::os::unix::fs::symlink(&victim, &part).unwrap();
    let o = tidings(home.path(), &["download"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("is a symbolic link: not followed"),
        "{}",
        text(&o)
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    let list = tidings(home.path(), &["download", "--list"]);
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("failed  Cast - One"),
        "the failure stays in the queue with its error: {}",
        text(&list)
    );

    // At the final path: it is left alone and the episode gets the next name.
    std::fs::remove_file(&part).unwrap();
    std::os::unix::fs::symlink(&victim, pods.join("Cast - One.mp3")).unwrap();
    let o = tidings(home.path(), &["download"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    assert!(
        std::fs::symlink_metadata(pods.join("Cast - One.mp3"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read(pods.join("Cast - One-2.mp3")).unwrap(),
        episode(40_000, 1)
    );
}

#[test]
fn a_link_swapped_in_for_a_part_file_between_runs_is_not_followed() {
    let server = Server::start();
    server.route("/ep.mp3", episode(100_000, 4), "audio/mpeg");
    server.route(
        "/feed.xml",
        feed_xml("Cast", &[("One", server.url("/ep.mp3"))]),
        "application/rss+xml",
    );
    let home = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    let pods = setup(home.path(), &server.url("/feed.xml"), "");
    subscribe(home.path(), &server.url("/feed.xml"));
    server.set_mode(Mode::DropAfter(10_000));
    assert!(!tidings(home.path(), &["download"]).status.success());
    let part = pods.join("Cast - One.mp3.part");
    std::fs::remove_file(&part).unwrap();
    std::os::unix::fs::symlink(&victim, &part).unwrap();
    let o = tidings(home.path(), &["download"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("symbolic link"), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
}

#[test]
fn a_full_folder_and_a_private_address_are_refused_with_a_reason() {
    let server = Server::start();
    server.route("/ep.mp3", episode(3 << 20, 1), "audio/mpeg");
    server.route(
        "/feed.xml",
        feed_xml(
            "Cast",
            &[
                ("Big", server.url("/ep.mp3")),
                // Another loopback address than the feed's: a link from remote content may not lead there.
                (
                    "Elsewhere",
                    format!("http://127.0.0.2:{}/ep.mp3", server.port),
                ),
            ],
        ),
        "application/rss+xml",
    );
    let home = tempfile::tempdir().unwrap();
    let pods = setup(home.path(), &server.url("/feed.xml"), "max_mib = 2\n");
    subscribe(home.path(), &server.url("/feed.xml"));
    let o = tidings(home.path(), &["download"]);
    assert!(!o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("max_mib = 2"), "{out}");
    assert!(out.contains("refused 127.0.0.2"), "{out}");
    assert!(
        files_in(&pods).iter().all(|n| !n.ends_with(".mp3")),
        "{:?}",
        files_in(&pods)
    );
    assert!(server.requests_for("/ep.mp3").len() <= 1);
}

/// Two episodes that fit under the cap each but not together, downloaded two at a time: one is
/// written, the other refused, and the folder stays under its cap.
#[test]
fn two_downloads_at_once_share_the_room_under_the_cap() {
    let server = Server::start();
    server.route("/one.mp3", episode(700_000, 1), "audio/mpeg");
    server.route("/two.mp3", episode(700_000, 2), "audio/mpeg");
    let items = [
        ("One", server.url("/one.mp3")),
        ("Two", server.url("/two.mp3")),
    ];
    server.route("/feed.xml", feed_xml("Cast", &items), "application/rss+xml");
    let home = tempfile::tempdir().unwrap();
    let pods = setup(home.path(), &server.url("/feed.xml"), "max_mib = 1\n");
    subscribe(home.path(), &server.url("/feed.xml"));
    let o = tidings(home.path(), &["download"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("does not fit"), "{out}");
    let episodes: Vec<String> = files_in(&pods)
        .into_iter()
        .filter(|n| n.ends_with(".mp3"))
        .collect();
    assert_eq!(episodes.len(), 1, "{episodes:?}");
    let total: u64 = std::fs::read_dir(&pods)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    assert!(total <= 1024 * 1024, "{total} bytes under a 1 MiB cap");
}
