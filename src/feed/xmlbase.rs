//! The `xml:base` in effect at each item's body.
//!
//! feed-rs resolves links against `xml:base` but does not say which base applies to an entry's
//! content, where relative links and images live. This scan follows the `xml:base` attributes
//! down the tree and reports, for each entry (Atom `entry`, RSS `item`) in document order, the
//! base in effect at its body (`content`, else `summary`, `content:encoded` or `description`),
//! or `None` when no `xml:base` applies there.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use url::Url;

/// One base per entry, in document order; empty when the document cannot be scanned.
pub(crate) fn entry_bases(text: &str, doc_base: Option<&Url>) -> Vec<Option<Url>> {
    let mut reader = Reader::from_str(text);
    // Each open element: the xml:base in effect inside it (`None` when none was declared).
    let mut stack: Vec<Option<Url>> = Vec::new();
    let mut out = Vec::new();
    let mut current: Option<OpenEntry> = None;
    let mut entry_name: Option<&[u8]> = None;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(_) => return Vec::new(),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let parent = stack.last().cloned().flatten();
                let base = declared_base(e, parent.as_ref().or(doc_base)).or(parent);
                let name = e.local_name().into_inner();
                if stack.is_empty() {
                    entry_name = Some(if name == b"feed" { b"entry" } else { b"item" });
                }
                if current.is_none() && Some(name) == entry_name {
                    if empty {
                        out.push(base.clone());
                    } else {
                        current = Some(OpenEntry {
                            depth: stack.len() + 1,
                            base: base.clone(),
                            body: None,
                        });
                    }
                } else if let Some(entry) = &mut current
                    && let Some(rank) = body_rank(name)
                    && entry.body.as_ref().is_none_or(|(r, _)| rank < *r)
                {
                    entry.body = Some((rank, base.clone()));
                }
                if !empty {
                    stack.push(base);
                }
            }
            Event::End(_) => {
                if let Some(entry) = current.take_if(|e| e.depth == stack.len()) {
                    out.push(entry.body.map_or(entry.base, |(_, b)| b));
                }
                stack.pop();
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// The entry being read.
struct OpenEntry {
    /// Its depth in the element stack.
    depth: usize,
    /// The base in effect on the entry element.
    base: Option<Url>,
    /// The best body element seen so far: its rank (see `body_rank`) and base.
    body: Option<(u8, Option<Url>)>,
}

/// The element's own `xml:base`, resolved against the base around it.
fn declared_base(e: &BytesStart<'_>, around: Option<&Url>) -> Option<Url> {
    let attr = e.try_get_attribute("xml:base").ok().flatten()?;
    let value = attr.unescape_value().ok()?;
    let value = value.trim();
    match around {
        Some(base) => base.join(value).ok(),
        None => Url::parse(value).ok(),
    }
}

/// How good a body element is (lower is better), or `None` if it is not one.
fn body_rank(local_name: &[u8]) -> Option<u8> {
    match local_name {
        b"content" | b"encoded" => Some(0),
        b"summary" | b"description" => Some(1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bases(text: &str) -> Vec<Option<String>> {
        let doc = Url::parse("https://src.example/feeds/x.xml").unwrap();
        entry_bases(text, Some(&doc))
            .into_iter()
            .map(|b| b.map(String::from))
            .collect()
    }

    #[test]
    fn bases_nest_and_resolve() {
        let atom = r#"<feed xml:base="https://a.example/blog/">
            <entry><content>x</content></entry>
            <entry xml:base="posts/"><summary xml:base="one/">s</summary><content>c</content></entry>
            <entry xml:base="/other/"><summary xml:base="deep/">s</summary></entry>
        </feed>"#;
        assert_eq!(
            bases(atom),
            [
                Some("https://a.example/blog/".to_string()),
                Some("https://a.example/blog/posts/".to_string()),
                Some("https://a.example/other/deep/".to_string()),
            ]
        );
    }

    #[test]
    fn no_declared_base_gives_none() {
        let rss = "<rss><channel><item><description>d</description></item><item/></channel></rss>";
        assert_eq!(bases(rss), [None, None]);
    }
}
