//! `tidings extract SOURCE`: the real binary on pages written by the project, read from local
//! files and from a real HTTP server on 127.0.0.1 (a redirect, a non-HTML link, a slow page, a
//! charset named only in a `<meta>`), with a home folder of the test's own.

mod support;

use std::time::Duration;

use support::cli::{stderr, stdout, tidings};
use support::server::{Reply, TestServer};

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/extract/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn a_local_file_prints_title_byline_and_the_wrapped_article() {
    let home = tempfile::tempdir().unwrap();
    let o = tidings(
        home.path(),
        &["extract", &fixture("semantic.html"), "--width", "60"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("Harbour bridge reopens after repairs"));
    let byline = lines.next().unwrap();
    assert!(
        byline.starts_with("Mara Quint · 2026-03-14 08:30 · "),
        "{byline}"
    );
    assert!(out.contains("The harbour bridge reopened to traffic on Saturday"));
    assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
    assert!(!out.contains("Sign up for our newsletter") && !out.contains("cookies"));
}

#[test]
fn json_has_title_author_published_text_and_body() {
    let home = tempfile::tempdir().unwrap();
    let o = tidings(
        home.path(),
        &[
            "extract",
            &fixture("divsoup.html"),
            "--json",
            "--width",
            "40",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["title"], "Why sourdough needs patience");
    assert_eq!(v["author"], "Ilse Brandt");
    assert_eq!(v["published"], "2025-11-02T00:00:00Z");
    let text = v["text"].as_str().unwrap();
    assert!(text.starts_with("A sourdough starter is a living culture"));
    assert!(text.contains("\n\nIn a cool kitchen"));
    let body = v["body"].as_str().unwrap();
    assert!(body.lines().all(|l| l.chars().count() <= 40), "{body}");
    assert!(body.contains("Room  │ Rise"), "{body}");
}

#[test]
fn a_url_is_fetched_through_redirects_and_decoded_by_its_meta_charset() {
    let server = TestServer::start();
    let page = std::fs::read(fixture("latin1.html")).unwrap();
    server.route("/cafe", Reply::ok(page).content_type("text/html"));
    server.route("/old", Reply::redirect(301, "/cafe"));
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["extract", &server.url("/old"), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["title"], "Café culture");
    assert!(v["text"].as_str().unwrap().contains("crème brûlée"));
}

#[test]
fn a_link_that_is_not_html_is_refused_with_a_message() {
    let server = TestServer::start();
    server.route(
        "/paper.pdf",
        Reply::ok(b"%PDF-1.7 binary".to_vec()).content_type("application/pdf"),
    );
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["extract", &server.url("/paper.pdf")]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("not an HTML page (application/pdf)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_slow_page_times_out() {
    let server = TestServer::start();
    server.route(
        "/slow",
        Reply::ok(b"<p>late</p>".to_vec())
            .content_type("text/html")
            .delay(Duration::from_secs(30)),
    );
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[fetch]\nrequest_timeout_secs = 1\n",
    )
    .unwrap();
    let o = tidings(home.path(), &["extract", &server.url("/slow")]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("timed out"), "{}", stderr(&o));
}

#[test]
fn a_device_or_a_page_of_links_gives_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let o = tidings(home.path(), &["extract", "/dev/zero"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    let o = tidings(home.path(), &["extract", &fixture("allnav.html")]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("holds no article text"),
        "{}",
        stderr(&o)
    );
    let o = tidings(
        home.path(),
        &["extract", &fixture("semantic.html"), "--selector", "div["],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bad CSS selector"), "{}", stderr(&o));
}
