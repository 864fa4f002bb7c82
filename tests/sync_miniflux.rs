//! `tidings sync` against a real Miniflux on loopback (see `support/miniflux.rs`), subscribed to
//! feeds this test's own HTTP server serves.

mod support;
#[path = "support/miniflux.rs"]
mod miniflux;

use miniflux::Miniflux;
use support::server::{Reply, TestServer};

/// An RSS 2.0 document with items `(guid, title)`, each with a one-paragraph body.
fn rss(title: &str, items: &[(&str, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://site.example/</link>"
    );
    for (i, (guid, t)) in items.iter().enumerate() {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{t}</title><link>https://site.example/{guid}</link>\
             <pubDate>Mon, {:02} Nov 2026 10:00:00 +0000</pubDate><description>&lt;p&gt;Body of {t}.&lt;/p&gt;</description></item>",
            (i % 27) + 1
        ));
    }
    s.push_str("</channel></rss>");
    s
}

#[test]
fn the_harness_serves_a_subscribed_feed() {
    let Some(mf) = Miniflux::start() else { return };
    let server = TestServer::start();
    server.route("/a.xml", Reply::ok(rss("Alpha", &[("a1", "First"), ("a2", "Second")])));
    mf.subscribe(&server.url("/a.xml"), "News");
    mf.enable_google_reader();
    let titles: Vec<String> = mf.entries().into_iter().map(|e| e.1).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
}
