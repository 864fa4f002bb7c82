//! The fuzz targets, shared by the libFuzzer binaries (`fuzz_targets/`, nightly) and the stable
//! mutation loop (`mutate.rs`, run with `cargo run --example fuzz`). Each target takes any bytes
//! and panics when a property it checks does not hold.

use std::borrow::Cow;
use std::path::Path;

use tidings::content::{LayoutOptions, layout, parse, sanitize, sanitize_line, to_plain_text};
use tidings::model::BodyKind;
use unicode_width::UnicodeWidthStr;

/// Every target by name, in the order the mutation loop runs them.
#[allow(dead_code)] // the libFuzzer binaries name their one target directly
pub const TARGETS: [&str; 7] = [
    "sanitize",
    "render",
    "quick_html",
    "feed",
    "opml",
    "urls",
    "config",
];

/// Runs the target called `name` on `data`; `false` when there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "sanitize" => sanitize_target(data),
        "render" => render_target(data),
        "quick_html" => quick_html_target(data),
        "feed" => feed_target(data),
        "opml" => opml_target(data),
        "urls" => urls_target(data),
        "config" => config_target(data),
        _ => return false,
    }
    true
}

/// Asserts that `s` holds no control character but newline and no bidi or invisible format
/// character.
fn assert_clean(s: &str, allow_newline: bool) {
    for c in s.chars() {
        let u = c as u32;
        assert!(
            (allow_newline && c == '\n') || !c.is_control(),
            "control U+{u:04X} in {s:?}"
        );
        assert!(
            !matches!(u, 0x202a..=0x202e | 0x2066..=0x2069 | 0x200b | 0x200c | 0x200e | 0x200f | 0xfeff | 0xad),
            "format U+{u:04X} in {s:?}"
        );
    }
}

/// The sanitiser: nothing unsafe survives, a second pass changes nothing (and borrows), and
/// `sanitize_line` leaves no newline.
pub fn sanitize_target(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let once = sanitize(&s);
    assert_clean(&once, true);
    let twice = sanitize(&once);
    assert!(
        matches!(twice, Cow::Borrowed(_)),
        "not idempotent: {once:?}"
    );
    let line = sanitize_line(&s);
    assert!(!line.contains('\n'));
    assert_clean(&line, false);
}

/// The renderer: any body, HTML or text, at any width from 1 to 256 (the first byte), lays out
/// with no line wider than the width and no control character left.
pub fn render_target(data: &[u8]) {
    let Some((&w, rest)) = data.split_first() else {
        return;
    };
    let width = usize::from(w) + 1;
    let raw = String::from_utf8_lossy(rest);
    for kind in [BodyKind::Html, BodyKind::Text] {
        render_body(&raw, kind, Some("https://example.com/a/"), width);
    }
}

/// Lays `raw` out in the ways the reader can and checks every line.
fn render_body(raw: &str, kind: BodyKind, base: Option<&str>, width: usize) {
    let unparsed = tidings::content::html::bodies_shown_as_text();
    let doc = parse(raw, kind, base);
    // The parse falls back to the body's text when html5ever panics: still a bug to find.
    assert_eq!(
        tidings::content::html::bodies_shown_as_text(),
        unparsed,
        "html5ever panicked on this body"
    );
    let hidden: Vec<bool> = (0..doc.blocks.len()).map(|i| i % 2 == 1).collect();
    for raw_mode in [false, true] {
        let opts = LayoutOptions {
            width,
            max_width: Some(width / 2 + 1),
            center: true,
            raw: raw_mode,
        };
        let out = to_plain_text(&layout(&doc, &hidden, &opts));
        for line in out.lines() {
            assert!(UnicodeWidthStr::width(line) <= width, "{width}: {line:?}");
        }
        assert_clean(&out, true);
    }
}

/// The quick HTML path: on any body, `parse_html` (which reads ordinary markup in one pass and
/// gives the rest to html5ever) builds exactly the document the full bounded parse builds. The
/// seeds are bodies it takes, so that the mutations land on both sides of what it accepts.
pub fn quick_html_target(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let base = Some("https://example.com/a/");
    assert_eq!(
        tidings::content::html::parse_html(&s, base),
        tidings::content::html::parse_html_full(&s, base),
        "{s:?}"
    );
}

/// The whole feed layer: decoding, HTML detection and feed discovery, parsing under each kind of
/// content type, and the bodies of what parsed, rendered at width 60.
pub fn feed_target(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let content_type = match sel % 5 {
        0 => None,
        1 => Some("application/rss+xml; charset=windows-1252"),
        2 => Some("application/atom+xml; charset=utf-16"),
        3 => Some("application/feed+json"),
        _ => Some("text/html; charset=iso-8859-1"),
    };
    let source = "https://example.com/feeds/main.xml";
    let text = tidings::feed::decode_to_utf8(rest, content_type);
    if tidings::feed::looks_like_html(rest) {
        for link in tidings::feed::find_feed_links(&text, source) {
            assert!(!link.is_empty());
        }
    }
    let Ok(feed) = tidings::feed::parse(rest, content_type, source, 1_700_000_000) else {
        return;
    };
    let mut keys = std::collections::HashSet::new();
    for item in feed.items.iter().take(20) {
        assert!(!item.key.is_empty(), "empty item key");
        keys.insert(item.key.as_str());
        if let Some(p) = item.published {
            assert!(p <= 1_700_000_000, "a date after the fetch time: {p}");
        }
        render_body(&item.content, item.content_kind, item.base.as_deref(), 60);
        assert_clean(&sanitize_line(&item.title), false);
    }
}

/// OPML: parsing never panics, every entry has an address, and what `write_opml` writes reads
/// back with the same addresses and tags.
pub fn opml_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(parsed) = tidings::subscriptions::parse_opml(&text) else {
        return;
    };
    check_entries(&parsed);
    let feeds: Vec<tidings::subscriptions::OpmlFeed> = parsed
        .entries
        .iter()
        .map(|e| tidings::subscriptions::OpmlFeed {
            url: &e.url,
            title: e.title.as_deref().unwrap_or(""),
            site: None,
            tags: &e.tags,
        })
        .collect();
    let written = tidings::subscriptions::write_opml(&feeds);
    let again = tidings::subscriptions::parse_opml(&written)
        .unwrap_or_else(|e| panic!("written OPML does not read back: {e}\n{written}"));
    let urls = |p: &tidings::subscriptions::Parsed| -> Vec<String> {
        let mut v: Vec<String> = p.entries.iter().map(|e| e.url.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(
        urls(&parsed),
        urls(&again),
        "round trip changed the addresses"
    );
}

/// A newsboat `urls` file: never panics, and no entry that would run a command gets through.
pub fn urls_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = tidings::subscriptions::parse_urls(&text);
    check_entries(&parsed);
    let any = tidings::subscriptions::parse_any(&text);
    if let Ok(p) = any {
        check_entries(&p);
    }
}

/// What every subscription list must give: addresses that are not empty, run no command and
/// appear once.
fn check_entries(parsed: &tidings::subscriptions::Parsed) {
    let mut seen = std::collections::HashSet::new();
    for e in &parsed.entries {
        assert!(!e.url.trim().is_empty(), "empty address");
        assert!(
            !e.url.chars().any(char::is_control),
            "an address with a control character: {:?}",
            e.url
        );
        let lower = e.url.to_ascii_lowercase();
        assert!(
            !lower.starts_with("exec:") && !lower.starts_with("filter:") && !e.url.starts_with('|'),
            "a command entry got through: {:?}",
            e.url
        );
        assert!(seen.insert(e.url.as_str()), "listed twice: {:?}", e.url);
    }
}

/// The config: any text either loads or gives an error that names a line of the file (or 0
/// when none applies), and never panics.
pub fn config_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let path = Path::new("/fuzz/config.toml");
    if let Err(e) = tidings::config::Config::from_user_text(&text, path) {
        let msg = e.to_string();
        assert!(!msg.is_empty());
    }
}
