//! What the sync tests ask of the binary, the cache and the Miniflux they run against, shared by
//! the test files. Include with `#[path = "support/sync_cli.rs"] mod sync_cli;` beside
//! `mod miniflux` (support/miniflux.rs) and `mod support`.

#![allow(dead_code)]

use std::path::Path;

use crate::miniflux::Miniflux;
use crate::support::cli::{pub_date_days_ago, stderr, stdout, tidings};

/// `tidings sync --json` on `home`, its report parsed (panics when it fails).
pub fn sync_json(home: &Path) -> serde_json::Value {
    let out = tidings(home, &["sync", "--json"]);
    assert!(out.status.success(), "sync failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// `tidings show all --json` as (title, read?) pairs cannot be had: the JSON has no read flag,
/// so read state is read through a filter.
pub fn titles(home: &Path, filter: &str) -> Vec<String> {
    let out = tidings(home, &["show", "all", "--json", "--filter", filter]);
    assert!(out.status.success(), "show failed: {}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut t: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

/// An RSS 2.0 document with items `(guid, title)`, each with a one-paragraph body. Its links
/// point at the discard port on loopback: Miniflux looks the site up for its icon, and a test
/// must never resolve a public name.
pub fn rss(title: &str, items: &[(&str, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>http://127.0.0.1:9/</link>"
    );
    for (i, (guid, t)) in items.iter().enumerate() {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{t}</title><link>http://127.0.0.1:9/{guid}</link>\
             <pubDate>{}</pubDate><description>&lt;p&gt;Body of {t}.&lt;/p&gt;</description></item>",
            pub_date_days_ago(28 - (i % 27) as i64)
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// The cache of `home`, opened as the reader opens it.
pub fn cache(home: &Path) -> tidings::store::Store {
    tidings::store::Store::open(&home.join("cache.db")).unwrap()
}

/// The server's (status, starred) of the entry titled `title`.
pub fn on_server(mf: &Miniflux, title: &str) -> (String, bool) {
    let e = mf.entries().into_iter().find(|e| e.1 == title).unwrap();
    (e.2, e.3)
}
