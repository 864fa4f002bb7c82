//! Parsing real-looking feeds: the fixtures under `tests/fixtures/feeds/` (written for tidings),
//! encodings, sloppy markup, errors, and a robustness walk over feedparser's test corpus.

#[path = "support/shared.rs"]
mod shared;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use tidings::feed::{FeedError, find_feed_links, looks_like_html, parse};
use tidings::model::{BodyKind, Enclosure, ParsedFeed};

/// The fetch time the tests pretend: 2025-06-15T15:06:40Z.
const NOW: i64 = 1_750_000_000;
const SRC: &str = "https://src.example/feeds/x.xml";

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feeds")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse_fixture(name: &str) -> ParsedFeed {
    parse(&fixture(name), None, SRC, NOW).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn error_of(bytes: &[u8]) -> FeedError {
    parse(bytes, None, SRC, NOW).expect_err("should not parse")
}

#[test]
fn rss_without_version_parses_with_relative_links_resolved() {
    let feed = parse_fixture("rss091_no_version.xml");
    assert_eq!(feed.title.as_deref(), Some("Harbour Notes"));
    assert_eq!(feed.site_link.as_deref(), Some("http://harbour.example/"));
    let titles: Vec<&str> = feed.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["Low tide at noon", "Ferry timetable"]);
    let first = &feed.items[0];
    assert_eq!(first.guid, None);
    assert_eq!(first.key, "http://harbour.example/tides/1");
    assert_eq!(first.content, "The <b>lowest</b> tide of the month.");
    assert_eq!(first.content_kind, BodyKind::Html);
    assert_eq!(
        feed.items[1].link.as_deref(),
        Some("https://src.example/ferry")
    );
}

#[test]
fn rss2_identity_content_dates_and_enclosures() {
    let feed = parse_fixture("rss20_full.xml");
    let [grafting, future, anonymous] = &feed.items[..] else {
        panic!("three items expected, got {}", feed.items.len());
    };
    assert_eq!(grafting.key, "orchard-post-41");
    assert_eq!(grafting.guid.as_deref(), Some("orchard-post-41"));
    assert_eq!(grafting.author.as_deref(), Some("Ada Pomme"));
    assert_eq!(grafting.published, Some(1_741_080_600));
    // content:encoded wins over description.
    assert!(
        grafting.content.starts_with("<p>Full text"),
        "{}",
        grafting.content
    );
    assert_eq!(
        grafting.base.as_deref(),
        Some("https://orchard.example/posts/grafting")
    );
    assert_eq!(
        grafting.enclosures,
        [Enclosure {
            url: "https://orchard.example/audio/41.mp3".into(),
            mime: Some("audio/mpeg".into()),
            length: Some(123_456),
        }]
    );

    // A date in 2100 is clamped to the fetch time; with no guid the link is the identity.
    assert_eq!(future.published, Some(NOW));
    assert_eq!(future.guid, None);
    assert_eq!(future.key, "https://orchard.example/posts/future");

    // Neither guid nor link: a hex hash of title and date, stable, and the site link as base.
    assert_eq!(anonymous.link, None);
    assert_eq!(anonymous.key.len(), 16);
    assert!(
        anonymous.key.chars().all(|c| c.is_ascii_hexdigit()),
        "{}",
        anonymous.key
    );
    assert_eq!(anonymous.key, parse_fixture("rss20_full.xml").items[2].key);
    assert_eq!(anonymous.base.as_deref(), Some("https://orchard.example/"));
}

#[test]
fn hash_identity_depends_on_title_and_date() {
    let item = |title: &str, date: &str| {
        let xml = format!(
            "<rss version='2.0'><channel><item><title>{title}</title><pubDate>{date}</pubDate></item></channel></rss>"
        );
        parse(xml.as_bytes(), None, SRC, NOW).unwrap().items[0]
            .key
            .clone()
    };
    let a = item("A", "Wed, 05 Mar 2025 10:00:00 GMT");
    assert_eq!(a, item("A", "Wed, 05 Mar 2025 10:00:00 GMT"));
    assert_ne!(a, item("B", "Wed, 05 Mar 2025 10:00:00 GMT"));
    assert_ne!(a, item("A", "Thu, 06 Mar 2025 10:00:00 GMT"));
}

#[test]
fn rss1_parses() {
    let feed = parse_fixture("rss10.rdf");
    assert_eq!(feed.title.as_deref(), Some("Lighthouse Log"));
    let item = &feed.items[0];
    assert_eq!(item.key, "http://lighthouse.example/log/7");
    assert_eq!(item.author.as_deref(), Some("Keeper One"));
    assert_eq!(item.published, Some(1_730_959_200));
    assert_eq!(item.content, "Horn sounded for six hours.");
}

#[test]
fn atom_xml_base_resolves_links_and_sets_the_body_base() {
    let feed = parse_fixture("atom_xml_base.xml");
    assert_eq!(
        feed.site_link.as_deref(),
        Some("https://quarry.example/blog/")
    );
    let granite = &feed.items[0];
    assert_eq!(granite.title, "Granite & slate");
    assert_eq!(
        granite.link.as_deref(),
        Some("https://quarry.example/blog/posts/granite")
    );
    assert_eq!(granite.author.as_deref(), Some("Rowan Stone, Mica Flint"));
    // published is preferred over updated.
    assert_eq!(granite.published, Some(1_746_000_000));
    // The content's own relative xml:base, resolved against the feed's.
    assert_eq!(
        granite.base.as_deref(),
        Some("https://quarry.example/blog/posts/")
    );
    assert_eq!(granite.content_kind, BodyKind::Html);
    assert!(granite.content.contains("<a href=\"granite-2\">"));
    assert_eq!(
        granite.enclosures[0].url,
        "https://quarry.example/blog/media/granite.jpg"
    );
    assert_eq!(granite.enclosures[0].length, Some(2048));

    let plain = &feed.items[1];
    assert_eq!(plain.content, "Just text, no markup.");
    assert_eq!(plain.content_kind, BodyKind::Text);
    // The feed's xml:base is the one in effect at this entry's summary.
    assert_eq!(plain.base.as_deref(), Some("https://quarry.example/blog/"));
}

#[test]
fn json_feed_parses_with_attachments() {
    let feed = parse_fixture("feed.json");
    assert_eq!(feed.title.as_deref(), Some("Kiln Updates"));
    assert_eq!(feed.site_link.as_deref(), Some("https://kiln.example/"));
    let first = &feed.items[0];
    assert_eq!(first.key, "kiln-3");
    assert_eq!(first.link.as_deref(), Some("https://kiln.example/3"));
    assert_eq!(first.content_kind, BodyKind::Html);
    assert_eq!(
        first.enclosures,
        [Enclosure {
            url: "https://kiln.example/3.pdf".into(),
            mime: Some("application/pdf".into()),
            length: Some(999),
        }]
    );
    assert_eq!(feed.items[1].content, "Plain body.");
    assert_eq!(feed.items[1].content_kind, BodyKind::Text);
}

#[test]
fn declared_single_byte_encodings_are_decoded() {
    let latin = parse_fixture("latin1.xml");
    assert_eq!(latin.title.as_deref(), Some("Café du Port"));
    assert_eq!(latin.items[0].title, "Crème brûlée");
    let cp = parse_fixture("cp1252.xml");
    assert_eq!(
        cp.title.as_deref(),
        Some("\u{201c}Quoted\u{201d} \u{2013} news")
    );
    assert_eq!(cp.items[0].title, "Price: 5 €");
}

#[test]
fn http_charset_overrides_the_declaration() {
    let bytes = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Ni\u{f1}o</title></channel></rss>"
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect::<Vec<u8>>();
    let feed = parse(&bytes, Some("text/xml; charset=ISO-8859-1"), SRC, NOW).unwrap();
    assert_eq!(feed.title.as_deref(), Some("Niño"));
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
    for unit in units {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_with_and_without_bom_parses_like_utf8() {
    let text = String::from_utf8(fixture("rss20_full.xml"))
        .unwrap()
        .replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    let expected = parse(text.as_bytes(), None, SRC, NOW).unwrap();
    assert_eq!(expected.items.len(), 3);
    for (big_endian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
        let bytes = utf16(&text, big_endian, bom);
        let got = parse(&bytes, None, SRC, NOW)
            .unwrap_or_else(|e| panic!("big_endian={big_endian} bom={bom}: {e}"));
        assert_eq!(got, expected, "big_endian={big_endian} bom={bom}");
    }
}

#[test]
fn sloppy_markup_is_tolerated() {
    let feed = parse_fixture("sloppy.xml");
    assert_eq!(
        feed.title.as_deref(),
        Some("Tom & Jerry\u{a0}Fan Club © 2025")
    );
    assert_eq!(
        feed.site_link.as_deref(),
        Some("http://club.example/?a=1&b=2")
    );
    let item = &feed.items[0];
    assert_eq!(item.title, "Café & bar… &madeup; tonight");
    assert_eq!(
        item.link.as_deref(),
        Some("http://club.example/item?x=1&y=2")
    );
    assert_eq!(item.content, "Fish & chips\u{a0}only");
}

#[test]
fn an_html_page_is_not_a_feed_but_names_its_feeds() {
    let page = fixture("page.html");
    assert!(looks_like_html(&page));
    let err = error_of(&page);
    assert_eq!(err, FeedError::Html);
    assert_eq!(
        err.to_string(),
        "not a feed (an HTML page with no feed link)"
    );
    let links = find_feed_links(
        std::str::from_utf8(&page).unwrap(),
        "https://bakery.example/home",
    );
    assert_eq!(
        links,
        [
            "https://bakery.example/news.rss",
            "https://bakery.example/atom"
        ]
    );
}

#[test]
fn garbage_empty_and_foreign_xml_are_refused() {
    assert_eq!(
        error_of(&fixture("garbage.txt")).to_string(),
        "unsupported format"
    );
    assert_eq!(
        error_of(&fixture("empty.xml")).to_string(),
        "empty document"
    );
    assert_eq!(error_of(b"").to_string(), "empty document");
    assert_eq!(
        error_of(&fixture("unsupported.xml")).to_string(),
        "unsupported format"
    );
    // Valid JSON that is not a JSON Feed.
    assert_eq!(
        error_of(b"{\"name\": \"not a feed\"}"),
        FeedError::Unsupported
    );
}

#[test]
fn an_rss_without_channel_is_an_empty_feed() {
    let feed = parse(b"<rss version=\"2.0\">\n</rss>", None, SRC, NOW).unwrap();
    assert_eq!(feed, ParsedFeed::default());
}

#[test]
fn an_unreadable_text_construct_is_placed() {
    let xml = "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title type=\"image/png\">x</title>\n</feed>";
    let err = error_of(xml.as_bytes());
    assert!(
        err.to_string()
            .starts_with("invalid feed at line 2, column "),
        "{err}"
    );
}

#[test]
fn junk_after_the_document_is_ignored() {
    let xml =
        "<rss version=\"2.0\"><channel><title>t</title></channel></rss>\n<b>Warning</b>: <div>";
    let feed = parse(xml.as_bytes(), None, SRC, NOW).unwrap();
    assert_eq!(feed.title.as_deref(), Some("t"));
}

#[test]
fn truncated_xml_reports_where_it_ends() {
    let err = error_of(&fixture("truncated.xml"));
    // The file has ten lines and a final newline: it ends at the start of line 11.
    assert_eq!(err.to_string(), "invalid XML at line 11, column 1");
}

#[test]
fn broken_xml_reports_its_line() {
    let xml = "<?xml version='1.0'?>\n<rss version='2.0'>\n<channel>\n  <title>x</titel>\n</channel></rss>";
    match error_of(xml.as_bytes()) {
        FeedError::XmlAt { line, .. } => assert_eq!(line, 4),
        other => panic!("{other:?}"),
    }
    let json = "{\n  \"version\": \"https://jsonfeed.org/version/1.1\",\n  \"title\": oops\n}";
    match error_of(json.as_bytes()) {
        FeedError::JsonAt { line, .. } => assert_eq!(line, 3),
        other => panic!("{other:?}"),
    }
}

/// The feedparser corpus, if this checkout has it (see `support/shared.rs`).
fn corpus_dir() -> Option<PathBuf> {
    shared::shared_path("datasets/feedparser-tests")
}

/// The `Content-Type` a corpus file says it is served with (`Header: Content-type: ...`).
fn declared_content_type(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]);
    head.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("Header:")?.trim();
        let (name, value) = rest.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-type")
            .then(|| value.trim().to_string())
    })
}

#[test]
fn feedparser_corpus_never_panics_or_hangs() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let files = shared::files_under(&dir);
    assert!(
        files.len() > 100,
        "only {} files in {}",
        files.len(),
        dir.display()
    );
    let total = files.len();

    // The walk runs on its own thread and reports before each file, so a file that hangs the
    // parser is named instead of stalling the test run.
    let (tx, rx) = mpsc::channel::<Result<PathBuf, (usize, usize)>>();
    std::thread::spawn(move || {
        let (mut parsed, mut failed) = (0, 0);
        for path in files {
            if tx.send(Ok(path.clone())).is_err() {
                return;
            }
            let bytes = std::fs::read(&path).expect("corpus file readable");
            let content_type = declared_content_type(&bytes);
            match parse(
                &bytes,
                content_type.as_deref(),
                "http://example.org/feed",
                NOW,
            ) {
                Ok(_) => parsed += 1,
                Err(e) => {
                    assert!(
                        !e.to_string().contains('\n'),
                        "{}: multi-line message",
                        path.display()
                    );
                    if std::env::var_os("TIDINGS_CORPUS_VERBOSE").is_some() {
                        println!("refused {}: {e}", path.display());
                    }
                    failed += 1;
                }
            }
        }
        let _ = tx.send(Err((parsed, failed)));
    });
    let mut current = None;
    loop {
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Ok(path)) => current = Some(path),
            Ok(Err((parsed, failed))) => {
                println!(
                    "feedparser corpus: {total} files, {parsed} parsed, {failed} refused with an error"
                );
                assert_eq!(parsed + failed, total);
                assert!(parsed > total / 2, "only {parsed} of {total} parsed");
                return;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("parser hangs on {current:?}"),
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("parser panicked on {current:?}"),
        }
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn samples() -> Vec<Vec<u8>> {
        [
            "rss20_full.xml",
            "atom_xml_base.xml",
            "sloppy.xml",
            "feed.json",
            "cp1252.xml",
        ]
        .iter()
        .map(|n| fixture(n))
        .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Cut anywhere, with a byte changed anywhere, a feed still parses or fails with a
        /// one-line error: the repairs slice text and must never panic on what they find.
        #[test]
        fn damaged_feeds_return(which in 0usize..5, cut in 0.0f64..1.0, at in 0.0f64..1.0, byte in any::<u8>()) {
            let mut bytes = samples()[which].clone();
            bytes.truncate((bytes.len() as f64 * cut) as usize);
            if !bytes.is_empty() {
                let i = ((bytes.len() - 1) as f64 * at) as usize;
                bytes[i] = byte;
            }
            // A panic inside feed-rs is caught and becomes an error; one in our own code fails here.
            if let Err(e) = parse(&bytes, None, SRC, NOW) {
                prop_assert!(!e.to_string().contains('\n'), "{e}");
            }
        }

        /// Arbitrary text wrapped in a feed never panics either.
        #[test]
        fn arbitrary_text_in_a_feed_returns(text in "\\PC{0,64}") {
            let xml = format!("<rss><channel><title>{text}</title><item><title>{text}</title></item></channel></rss>");
            let _ = parse(xml.as_bytes(), None, SRC, NOW);
        }
    }
}
