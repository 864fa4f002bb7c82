//! Addresses as an attacker would write them: a page on a loopback server whose feed links lead to
//! local files, demo feeds or other private hosts; lists naming local sources; passwords in
//! addresses; several spellings of one feed. Real binary, real HTTP on 127.0.0.1 (and 127.0.0.2),
//! nothing off this machine.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};
use tidings::fetch::{FetchConfig, FetchError, FetchOutcome, FetchRequest, Fetcher, LinkPolicy};

fn feeds(home: &Path) -> Vec<serde_json::Value> {
    let o = tidings(home, &["feeds", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn rss(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <item><guid>g1</guid><title>Item of {title}</title><description>Body</description></item>\
         </channel></rss>"
    )
}

/// An HTML page whose head advertises each of `links` as an RSS feed.
fn page(links: &[&str]) -> Reply {
    let mut html = String::from("<!doctype html><html><head><title>Page</title>");
    for l in links {
        html.push_str(&format!(
            "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"{l}\">"
        ));
    }
    html.push_str("</head><body>hi</body></html>");
    Reply::ok(html).content_type("text/html; charset=utf-8")
}

#[test]
fn a_page_never_leads_to_a_local_source() {
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("local.xml");
    std::fs::write(&local, rss("Local")).unwrap();
    let server = TestServer::start();
    let local_url = format!("file://{}", local.display());
    server.route(
        "/page.html",
        page(&["file:///etc/passwd", &local_url, "demo:tour"]),
    );
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["add", &server.url("/page.html")]);
    assert!(!o.status.success(), "subscribed: {}", stdout(&o));
    assert!(
        stderr(&o).contains("only http and https links are followed"),
        "{}",
        stderr(&o)
    );
    assert!(feeds(home.path()).is_empty());
}

#[test]
fn a_page_link_to_another_private_host_is_refused_without_a_request() {
    let page_server = TestServer::start();
    let other = TestServer::start_on("127.0.0.2");
    other.route("/feed.xml", Reply::ok(rss("Elsewhere")));
    page_server.route("/page.html", page(&[&other.url("/feed.xml")]));
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["add", &page_server.url("/page.html")]);
    assert!(!o.status.success(), "subscribed: {}", stdout(&o));
    assert!(stderr(&o).contains("refused 127.0.0.2"), "{}", stderr(&o));
    assert!(other.requests().is_empty(), "127.0.0.2 was contacted");
    assert!(feeds(home.path()).is_empty());
    // Typed by the user, the same feed is theirs to subscribe.
    let o = tidings(home.path(), &["add", &other.url("/feed.xml")]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_link_by_name_is_checked_after_resolution() {
    let server = TestServer::start();
    server.route("/feed.xml", Reply::ok(rss("Loopback")));
    let by_name = format!("http://localhost:{}/feed.xml", server.addr().port());
    server.route("/page.html", page(&[&by_name]));
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["add", &server.url("/page.html")]);
    assert!(!o.status.success(), "subscribed: {}", stdout(&o));
    assert!(stderr(&o).contains("refused localhost"), "{}", stderr(&o));
    assert!(server.requests_to("/feed.xml").is_empty());
    assert!(feeds(home.path()).is_empty());
}

#[test]
fn every_redirect_hop_of_a_link_is_checked() {
    let server = TestServer::start();
    let other = TestServer::start_on("127.0.0.2");
    other.route("/feed.xml", Reply::ok(rss("Elsewhere")));
    server.route("/hop", Reply::redirect(302, &other.url("/feed.xml")));
    server.route("/page.html", page(&["/hop"]));
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["add", &server.url("/page.html")]);
    assert!(!o.status.success(), "subscribed: {}", stdout(&o));
    assert_eq!(
        server.requests_to("/hop").len(),
        1,
        "the page's own host is trusted"
    );
    assert!(other.requests().is_empty(), "the redirect was followed");
    assert!(stderr(&o).contains("refused 127.0.0.2"), "{}", stderr(&o));
}

#[tokio::test]
async fn private_ip_literals_are_refused_before_any_connection() {
    let fetcher = Fetcher::new(FetchConfig {
        connect_timeout: Duration::from_secs(30),
        ..FetchConfig::default()
    })
    .unwrap();
    let policy = LinkPolicy::from_page("http://127.0.0.1:1/page.html");
    for (url, host) in [
        ("http://10.0.0.1/feed.xml", "10.0.0.1"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "169.254.169.254",
        ),
        ("https://192.168.0.1:8443/", "192.168.0.1"),
        ("http://[fd00::1]/", "[fd00::1]"),
    ] {
        let started = Instant::now();
        let req = FetchRequest {
            url: url.to_string(),
            ..FetchRequest::default()
        };
        match fetcher.fetch_link(&req, &policy).await {
            FetchOutcome::Failed { error, .. } => {
                assert_eq!(error, FetchError::NonPublicAddress(host.to_string()))
            }
            other => panic!("{url}: {other:?}"),
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{url}: a connection was tried"
        );
    }
}

#[test]
fn an_imported_list_names_its_local_sources_and_needs_allow_local() {
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("local.xml");
    std::fs::write(&local, rss("Local")).unwrap();
    let list = dir.path().join("urls");
    std::fs::write(
        &list,
        format!(
            "https://feeds.example.org/rss news\n{}\nfile://{}\ndemo:tour\n",
            local.display(),
            dir.path().join("other.xml").display()
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("other.xml"), rss("Other")).unwrap();
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["import", list.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(&local.display().to_string()), "{err}");
    assert!(err.contains("other.xml"), "{err}");
    assert!(err.contains("demo:tour"), "{err}");
    assert!(err.contains("--allow-local"), "{err}");
    assert!(
        stdout(&o).contains("3 local sources skipped"),
        "{}",
        stdout(&o)
    );
    let urls: Vec<String> = feeds(home.path())
        .iter()
        .map(|f| f["url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(urls, ["https://feeds.example.org/rss"]);

    let home = tempfile::tempdir().unwrap();
    let o = tidings(
        home.path(),
        &["import", "--allow-local", list.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(feeds(home.path()).len(), 4);
}

#[test]
fn a_password_is_never_printed() {
    let server = TestServer::start();
    server.route("/feed.xml", Reply::ok(rss("Private")));
    let home = tempfile::tempdir().unwrap();
    let with_secret = server
        .url("/feed.xml")
        .replace("http://", "http://alice:secret@");
    let o = tidings(home.path(), &["add", &with_secret]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("alice:***@"), "{}", stdout(&o));

    let missing = server
        .url("/missing.xml")
        .replace("http://", "http://bob:hunter2@");
    let o = tidings(home.path(), &["add", &missing]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bob:***@"), "{}", stderr(&o));

    // A feed without a title, failing at the next fetch.
    let untitled = server.url("/untitled.xml");
    server.route(
        "/untitled.xml",
        Reply::ok("<rss version=\"2.0\"><channel><item><guid>u</guid><title>U</title></item></channel></rss>"),
    );
    let o = tidings(
        home.path(),
        &[
            "add",
            &untitled.replace("http://", "http://carol:swordfish@"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    server.route("/feed.xml", Reply::status(500));
    server.route("/untitled.xml", Reply::status(500));
    let human = tidings(home.path(), &["fetch"]);
    let json = tidings(home.path(), &["fetch", "--json"]);
    let table = tidings(home.path(), &["feeds"]);
    let listed = tidings(home.path(), &["feeds", "--json"]);
    let export = tidings(home.path(), &["export"]);
    for (what, o) in [
        ("fetch", &human),
        ("fetch --json", &json),
        ("feeds", &table),
        ("feeds --json", &listed),
        ("export", &export),
    ] {
        assert!(o.status.success(), "{what}: {}", stderr(o));
        let all = format!("{}{}", stdout(o), stderr(o));
        for secret in ["secret", "hunter2", "swordfish"] {
            assert!(!all.contains(secret), "{what} printed a password: {all}");
        }
    }
    assert!(stderr(&human).contains("alice:***@"), "{}", stderr(&human));
    assert!(stdout(&json).contains("carol:***@"), "{}", stdout(&json));
    assert!(stdout(&table).contains("alice:***@"), "{}", stdout(&table));
    assert!(
        stdout(&export).contains("alice:***@"),
        "{}",
        stdout(&export)
    );

    let full = tidings(home.path(), &["export", "--with-credentials"]);
    assert!(full.status.success());
    assert!(stdout(&full).contains("alice:secret@"), "{}", stdout(&full));
    assert!(
        stdout(&full).contains("carol:swordfish@"),
        "{}",
        stdout(&full)
    );
}

#[test]
fn one_subscription_per_feed() {
    let server = TestServer::start();
    server.route("/feed.xml", Reply::ok(rss("Once")));
    let home = tempfile::tempdir().unwrap();
    let url = server.url("/feed.xml");
    let o = tidings(home.path(), &["add", &url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let port = server.addr().port();
    for other in [
        format!("http:/127.0.0.1:{port}/feed.xml"),
        format!("http:127.0.0.1:{port}/feed.xml"),
        format!("HTTP://127.0.0.1:{port}/feed.xml#latest"),
        format!("http://someone:pw@127.0.0.1:{port}/feed.xml"),
    ] {
        let o = tidings(home.path(), &["add", &other]);
        assert!(!o.status.success(), "{other} subscribed again");
        assert!(stderr(&o).contains("already subscribed"), "{}", stderr(&o));
    }
    for raw in [
        format!("{url}\r\n"),
        format!("{url}\tx"),
        format!("{url}\nX-Injected: 1"),
    ] {
        let o = tidings(home.path(), &["add", &raw]);
        assert!(!o.status.success(), "{raw:?} accepted");
        assert!(stderr(&o).contains("control character"), "{}", stderr(&o));
    }
    assert_eq!(feeds(home.path()).len(), 1);
    assert_eq!(server.requests_to("/feed.xml").len(), 1);
}
