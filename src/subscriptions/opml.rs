//! OPML 2.0: folders (outlines without `xmlUrl`) become tags; a feed in several folders keeps every tag.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::Parsed;
use crate::content::sanitize::is_removed;

/// One subscription to write out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed<'a> {
    /// The feed's address.
    pub url: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its web site.
    pub site: Option<&'a str>,
    /// Its tags.
    pub tags: &'a [String],
}

/// Reads OPML. Nested folders each give a tag; newsboat's `category` attribute is read too.
pub fn parse_opml(text: &str) -> Result<Parsed, String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut parsed = Parsed::default();
    // One entry per open <outline>: Some(folder name) for folders, None for feeds with children.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut saw_opml = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("invalid OPML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"opml" => {
                saw_opml = true;
            }
            Event::Start(e) if e.local_name().as_ref() == b"outline" => {
                let o = outline(&e);
                if let Some(url) = &o.url {
                    add(&mut parsed, url, &o, &stack);
                    stack.push(None);
                } else {
                    stack.push(Some(o.text.clone().unwrap_or_default()));
                }
            }
            Event::Empty(e) if e.local_name().as_ref() == b"outline" => {
                let o = outline(&e);
                if let Some(url) = &o.url {
                    add(&mut parsed, url, &o, &stack);
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"outline" => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_opml {
        return Err("not an OPML document (no <opml> element)".to_string());
    }
    Ok(parsed)
}

/// The attributes of one `<outline>` that matter.
struct Outline {
    url: Option<String>,
    text: Option<String>,
    category: Option<String>,
}

fn outline(e: &BytesStart) -> Outline {
    let mut o = Outline {
        url: None,
        text: None,
        category: None,
    };
    let mut title = None;
    for attr in e.attributes().flatten() {
        let Ok(value) = attr.unescape_value() else {
            continue;
        };
        let value = value.trim().to_string();
        match attr.key.local_name().as_ref() {
            b"xmlUrl" | b"xmlurl" | b"url" if !value.is_empty() => o.url = Some(value),
            b"text" if !value.is_empty() => o.text = Some(value),
            b"title" if !value.is_empty() => title = Some(value),
            b"category" if !value.is_empty() => o.category = Some(value),
            _ => {}
        }
    }
    o.text = title.or(o.text);
    o
}

fn add(parsed: &mut Parsed, url: &str, o: &Outline, stack: &[Option<String>]) {
    let mut tags: Vec<String> = stack
        .iter()
        .flatten()
        .filter(|t| !t.is_empty())
        .cloned()
        .collect();
    if let Some(cat) = &o.category {
        tags.extend(
            cat.split([',', '/'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        );
    }
    parsed.push(url, o.text.clone(), &tags);
}

/// Writes OPML 2.0. A feed with tags appears once in each tag's folder; one with none at the top level.
pub fn write_opml(feeds: &[OpmlFeed]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>tidings subscriptions</title>\n  </head>\n  <body>\n",
    );
    let mut tags: Vec<&String> = feeds.iter().flat_map(|f| f.tags.iter()).collect();
    tags.sort();
    tags.dedup();
    for tag in tags {
        let t = escape(tag);
        out.push_str(&format!("    <outline text=\"{t}\" title=\"{t}\">\n"));
        for f in feeds.iter().filter(|f| f.tags.contains(tag)) {
            out.push_str("      ");
            feed_line(&mut out, f);
        }
        out.push_str("    </outline>\n");
    }
    for f in feeds.iter().filter(|f| f.tags.is_empty()) {
        out.push_str("    ");
        feed_line(&mut out, f);
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn feed_line(out: &mut String, f: &OpmlFeed) {
    let title = escape(f.title);
    out.push_str(&format!(
        "<outline type=\"rss\" text=\"{title}\" title=\"{title}\" xmlUrl=\"{}\"",
        escape(f.url)
    ));
    if let Some(site) = f.site {
        out.push_str(&format!(" htmlUrl=\"{}\"", escape(site)));
    }
    out.push_str("/>\n");
}

/// Escapes text for an XML attribute value. What the sanitiser would remove and XML allows (DEL,
/// C1 controls, bidi and format characters, tab) is written as a character reference, so the
/// document holds no such character raw; the C0 controls XML forbids are dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => {}
            c if is_removed(c) || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("&#x{:X};", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0"?>
<opml version="2.0"><head><title>x</title></head><body>
  <outline text="Tech">
    <outline text="Linux">
      <outline type="rss" text="LWN" xmlUrl="https://lwn.example/rss"/>
    </outline>
    <outline type="rss" text="Ars &amp; Co" xmlUrl="https://ars.example/feed"/>
  </outline>
  <outline title="News"><outline xmlUrl="https://ars.example/feed" text="Ars again"/></outline>
  <outline type="rss" text="Loose" xmlUrl="https://loose.example/f" category="/a/b,c"/>
  <outline type="rss" text="Bad" xmlUrl="exec:echo hi"/>
</body></opml>"#;

    #[test]
    fn nested_folders_become_tags_and_repeats_merge() {
        let p = parse_opml(SAMPLE).unwrap();
        assert_eq!(p.entries.len(), 3, "{:?}", p.entries);
        assert_eq!(p.entries[0].tags, vec!["Tech", "Linux"]);
        assert_eq!(p.entries[1].title.as_deref(), Some("Ars & Co"));
        assert_eq!(p.entries[1].tags, vec!["Tech", "News"]);
        assert_eq!(p.entries[2].tags, vec!["a", "b", "c"]);
        assert_eq!(p.warnings.len(), 1);
    }

    #[test]
    fn export_then_import_gives_the_same_subscriptions() {
        let p = parse_opml(SAMPLE).unwrap();
        let feeds: Vec<OpmlFeed> = p
            .entries
            .iter()
            .map(|e| OpmlFeed {
                url: &e.url,
                title: e.title.as_deref().unwrap_or(""),
                site: None,
                tags: &e.tags,
            })
            .collect();
        let again = parse_opml(&write_opml(&feeds)).unwrap();
        assert_eq!(again.entries.len(), p.entries.len());
        for e in &p.entries {
            let a = again.entries.iter().find(|a| a.url == e.url).unwrap();
            let (mut x, mut y) = (a.tags.clone(), e.tags.clone());
            x.sort();
            y.sort();
            assert_eq!(x, y);
            assert_eq!(a.title, e.title);
        }
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(parse_opml("<opml><body><outline xmlUrl=\"a\"></body>").is_err());
        assert!(parse_opml("<notopml/>").is_err());
    }

    #[test]
    fn export_writes_invisible_characters_as_references() {
        let tags = ["t\u{9b}ag".to_string()];
        let feeds = [OpmlFeed {
            url: "https://a.example/f?\u{202e}",
            title: "A\u{7f}\u{85}\u{2066}\tB\u{1b}",
            site: None,
            tags: &tags,
        }];
        let doc = write_opml(&feeds);
        assert!(
            doc.chars()
                .all(|c| c == '\n' || !(c.is_control() || is_removed(c))),
            "{doc:?}"
        );
        assert!(doc.contains("A&#x7F;&#x85;&#x2066;&#9;B\""), "{doc}");
        assert!(doc.contains("f?&#x202E;\""), "{doc}");
        let back = parse_opml(&doc).unwrap();
        assert_eq!(back.entries[0].title.as_deref(), Some("A B"));
    }
}
