//! Renames and tag edits of a server's feeds, made in the cache (as `tidings set --title` and
//! the reader's cache worker make them), go to a real Miniflux on loopback (see
//! `support/miniflux.rs`) at the next sync, through its REST API and its Google Reader API; the
//! server's old title never overwrites the local edit, and an edit made while the server is
//! down waits for its return.

#[path = "support/miniflux.rs"]
mod miniflux;
mod support;
#[path = "support/sync_cli.rs"]
mod sync_cli;

use std::path::Path;

use miniflux::Miniflux;
use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};
use sync_cli::{cache, sync_json};

/// A home syncing with `mf` through the `kind` API (`miniflux` or `greader`).
fn home_for(mf: &Miniflux, kind: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[sync]\nserver = \"{kind}\"\nurl = \"{}\"\nusername = \"{}\"\n\
             password_command = [\"printf\", \"%s\", \"{}\"]\n",
            mf.url(),
            miniflux::USER,
            miniflux::PASSWORD
        ),
    )
    .unwrap();
    home
}

fn rss(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <link>http://127.0.0.1:9/</link><item><guid>x1</guid><title>{title} one</title>\
         <link>http://127.0.0.1:9/x1</link><description>Body.</description></item></channel></rss>"
    )
}

/// The local feed whose address ends with `path`: (id, title, tags).
fn local_feed(home: &Path, path: &str) -> (i64, String, Vec<String>) {
    let out = tidings(home, &["feeds", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = v
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"].as_str().is_some_and(|u| u.ends_with(path)))
        .unwrap_or_else(|| panic!("no feed {path} in {v}"))
        .clone();
    let tags = f["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    (
        f["id"].as_i64().unwrap(),
        f["title"].as_str().unwrap().to_string(),
        tags,
    )
}

/// The server's (title, category) of its feed `id`, through its REST API.
fn on_server(mf: &Miniflux, id: i64) -> (String, String) {
    let f = mf.get_json(&format!("/v1/feeds/{id}"));
    (
        f["title"].as_str().unwrap().to_string(),
        f["category"]["title"].as_str().unwrap().to_string(),
    )
}

fn account(mf: &Miniflux, kind: &str) -> String {
    format!("{kind} {} {}", mf.url(), miniflux::USER)
}

/// Rename and tag edit in the cache, a sync, the server's feed checked; a second sync keeps the
/// title; a rename on the server comes back; an edit while the server is down waits.
fn renames_and_tag_edits_reach_the_server(kind: &str) {
    let Some(mut mf) = Miniflux::start() else {
        return;
    };
    if kind == "greader" {
        mf.enable_google_reader();
    }
    let server = TestServer::start();
    server.route("/a.xml", Reply::ok(rss("Alpha")));
    server.route("/b.xml", Reply::ok(rss("Beta")));
    let alpha = mf.subscribe(&server.url("/a.xml"), "News");
    let beta = mf.subscribe(&server.url("/b.xml"), "News");
    let home = home_for(&mf, kind);
    sync_json(home.path());
    let (local_alpha, title, tags) = local_feed(home.path(), "/a.xml");
    assert_eq!((title.as_str(), tags), ("Alpha", vec!["News".to_string()]));

    // A rename through `tidings set`, a tag edit as the reader's `t` saves it.
    let out = tidings(home.path(), &["set", "Alpha", "--title", "Renamed Alpha"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("goes to {kind} at {}", mf.url())),
        "{}",
        stderr(&out)
    );
    let (local_beta, ..) = local_feed(home.path(), "/b.xml");
    cache(home.path())
        .set_feed_tags(local_beta, &["Science".to_string()])
        .unwrap();
    assert_eq!(
        cache(home.path())
            .queued_feed_edit_count(&account(&mf, kind))
            .unwrap(),
        2
    );

    let report = sync_json(home.path());
    assert_eq!(report["feeds_edited"], 2, "{report}");
    assert_eq!(
        on_server(&mf, alpha),
        ("Renamed Alpha".to_string(), "News".to_string())
    );
    assert_eq!(
        on_server(&mf, beta),
        ("Beta".to_string(), "Science".to_string())
    );
    // Here, the edits stand after the server's list came back, and after a second sync.
    for _ in 0..2 {
        let (id, title, tags) = local_feed(home.path(), "/a.xml");
        assert_eq!(
            (id, title.as_str(), tags),
            (local_alpha, "Renamed Alpha", vec!["News".to_string()])
        );
        assert_eq!(
            local_feed(home.path(), "/b.xml").2,
            vec!["Science".to_string()]
        );
        let again = sync_json(home.path());
        assert_eq!(again["feeds_edited"], 0, "{again}");
    }

    // The title sent is the server's now: a rename on the server (the phone) shows here.
    mf.api(
        "PUT",
        &format!("/v1/feeds/{alpha}"),
        Some(r#"{"title": "Named on the phone"}"#),
    );
    sync_json(home.path());
    assert_eq!(local_feed(home.path(), "/a.xml").1, "Named on the phone");

    // With the server down, the edit waits in the cache; it is sent once the server is back.
    mf.stop();
    let out = tidings(
        home.path(),
        &["set", "Named on the phone", "--title", "Offline"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = tidings(home.path(), &["sync", "--json"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    let answer: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(answer["queued_feed_edits"], 1, "{answer}");
    assert_eq!(local_feed(home.path(), "/a.xml").1, "Offline");
    mf.restart();
    let report = sync_json(home.path());
    assert_eq!(report["feeds_edited"], 1, "{report}");
    assert_eq!(on_server(&mf, alpha).0, "Offline");
    assert_eq!(local_feed(home.path(), "/a.xml").1, "Offline");
    assert_eq!(
        cache(home.path())
            .queued_feed_edit_count(&account(&mf, kind))
            .unwrap(),
        0
    );
}

#[test]
fn renames_and_tag_edits_reach_miniflux_through_its_rest_api() {
    renames_and_tag_edits_reach_the_server("miniflux");
}

#[test]
fn renames_and_tag_edits_reach_the_server_through_the_google_reader_api() {
    renames_and_tag_edits_reach_the_server("greader");
}

/// A loopback proxy in front of Miniflux that, once `refuse` is set, answers every
/// `PUT /v1/feeds/...` itself with `400 Bad Request` (as a server refusing an edit would) and
/// passes everything else through.
struct Refuser {
    port: u16,
    refuse: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Refuser {
    fn start(upstream: u16) -> Refuser {
        use std::io::{Read, Write};
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let refuse = Arc::new(AtomicBool::new(false));
        let flag = refuse.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(mut client) = client else { return };
                let Ok(mut server) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let (mut client_w, mut server_r) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut server_r, &mut client_w);
                    let _ = client_w.shutdown(std::net::Shutdown::Both);
                });
                let flag = flag.clone();
                std::thread::spawn(move || {
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let n = match client.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        if flag.load(Ordering::SeqCst) && buf[..n].starts_with(b"PUT /v1/feeds/") {
                            let body = r#"{"error_message":"refused by the test"}"#;
                            let _ = write!(
                                client,
                                "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\
                                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                                body.len()
                            );
                            let _ = client.shutdown(std::net::Shutdown::Both);
                            break;
                        }
                        if server.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = server.shutdown(std::net::Shutdown::Both);
                });
            }
        });
        Refuser { port, refuse }
    }
}

#[test]
fn an_edit_the_server_refuses_is_said_and_dropped_and_the_sync_goes_on() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    server.route("/a.xml", Reply::ok(rss("Alpha")));
    let alpha = mf.subscribe(&server.url("/a.xml"), "News");
    let upstream: u16 = mf.url().rsplit(':').next().unwrap().parse().unwrap();
    let proxy = Refuser::start(upstream);
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[sync]\nserver = \"miniflux\"\nurl = \"http://127.0.0.1:{}\"\nusername = \"{}\"\n\
             password_command = [\"printf\", \"%s\", \"{}\"]\n",
            proxy.port,
            miniflux::USER,
            miniflux::PASSWORD
        ),
    )
    .unwrap();
    sync_json(home.path());
    let out = tidings(home.path(), &["set", "Alpha", "--title", "Mine"]);
    assert!(out.status.success(), "{}", stderr(&out));

    proxy
        .refuse
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let out = tidings(home.path(), &["sync"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("the edit of the feed \"Alpha\" was refused (HTTP 400 to PUT /v1/feeds)"),
        "{err}"
    );
    assert_eq!(on_server(&mf, alpha).0, "Alpha");
    // Dropped from the queue (it would be refused at every sync); the title stays the user's.
    let report = sync_json(home.path());
    assert_eq!(report["feeds_edited"], 0, "{report}");
    assert_eq!(report["edits_refused"], serde_json::json!([]), "{report}");
    assert_eq!(local_feed(home.path(), "/a.xml").1, "Mine");
}
