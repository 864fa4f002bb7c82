//! The article's link list as `L` shows it: the body's numbered links and images, then the item's
//! enclosures, each with its text and kind; and addresses shortened for the status line.

use crate::app::text::{Document, sanitize_line};
use crate::content::LinkKind;
use crate::content::header::human_size;
use crate::model::Enclosure;

/// One entry of the link list; entry `n - 1` is reference `[n]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEntry {
    /// The address, sanitised (it is validated again before it is opened or copied).
    pub url: String,
    /// What the article shows for it, sanitised and on one line; empty when nothing.
    pub text: String,
    /// A link, an image or an enclosure.
    pub kind: EntryKind,
}

/// What a link list entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A link in the body.
    Link,
    /// An image in the body.
    Image,
    /// A file attached to the item (a podcast's audio), with its type and size when the feed
    /// gives them.
    Enclosure {
        /// The MIME type, sanitised.
        mime: Option<String>,
        /// The size in bytes.
        size: Option<u64>,
    },
}

impl LinkEntry {
    /// The kind as the list shows it: "link", "image", or "enclosure · audio/mpeg, 24.0 MB".
    pub fn kind_label(&self) -> String {
        match &self.kind {
            EntryKind::Link => "link".into(),
            EntryKind::Image => "image".into(),
            EntryKind::Enclosure { mime, size } => {
                let details: Vec<String> =
                    mime.iter().cloned().chain(size.map(human_size)).collect();
                if details.is_empty() {
                    "enclosure".into()
                } else {
                    format!("enclosure · {}", details.join(", "))
                }
            }
        }
    }
}

/// The list for an article: the body's links in their numbering, then each enclosure the body
/// does not already link to (one the body links to keeps its number and becomes an enclosure).
pub fn entries(doc: &Document, enclosures: &[Enclosure]) -> Vec<LinkEntry> {
    let mut out: Vec<LinkEntry> = doc
        .links
        .iter()
        .map(|l| LinkEntry {
            url: l.url.clone(),
            text: l.text.clone(),
            kind: match l.kind {
                LinkKind::Link => EntryKind::Link,
                LinkKind::Image => EntryKind::Image,
            },
        })
        .collect();
    for e in enclosures {
        let url = sanitize_line(e.url.trim()).into_owned();
        let kind = EntryKind::Enclosure {
            mime: e
                .mime
                .as_deref()
                .map(|m| sanitize_line(m.trim()).into_owned())
                .filter(|m| !m.is_empty()),
            size: e.length,
        };
        match out.iter_mut().find(|l| l.url == url) {
            Some(known) => known.kind = kind,
            None => out.push(LinkEntry {
                text: file_name(&url),
                url,
                kind,
            }),
        }
    }
    out
}

/// The last segment of an address's path ("episode-12.mp3"), empty when it has none.
fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let after_host = path.split_once("://").map_or(path, |(_, rest)| rest);
    match after_host.split_once('/') {
        Some((_, path)) => path.rsplit('/').next().unwrap_or_default().to_string(),
        None => String::new(),
    }
}

/// An address cut to at most `max` characters for the status line: its start and its end (the
/// last part of its path, up to half the room), with a "…" where the middle was taken out.
pub fn shorten(url: &str, max: usize) -> String {
    let chars: Vec<char> = url.chars().collect();
    if chars.len() <= max {
        return url.to_string();
    }
    let keep = max.saturating_sub(1);
    let last_part = chars
        .iter()
        .rev()
        .position(|&c| c == '/')
        .map_or(0, |p| p + 1);
    let tail = last_part.clamp(keep / 3, keep / 2);
    let head = keep - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_the_path() {
        assert_eq!(file_name("https://a.example/p/ep-1.mp3?x=1#t"), "ep-1.mp3");
        assert_eq!(file_name("https://a.example"), "");
        assert_eq!(file_name("https://a.example/"), "");
    }

    #[test]
    fn short_addresses_stay_whole_and_long_ones_keep_both_ends() {
        assert_eq!(shorten("https://a.example/", 40), "https://a.example/");
        let long = format!("https://example.org/{}/end.html", "x".repeat(100));
        let short = shorten(&long, 30);
        assert_eq!(short.chars().count(), 30);
        assert!(short.starts_with("https://example.org/"));
        assert!(short.ends_with("end.html"));
        assert!(short.contains('…'));
    }
}
