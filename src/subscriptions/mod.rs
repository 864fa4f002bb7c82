//! Subscription lists in and out: OPML 2.0 and newsboat `urls` files. Pure: text in, entries out.

pub mod newsboat;
pub mod newsboat_filter;
mod opml;
mod urls;

use crate::content::sanitize_line;

pub use opml::{OpmlFeed, parse_opml, write_opml};
pub use urls::parse_urls;

/// One subscription read from a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The feed's address.
    pub url: String,
    /// A title given by the list, if any.
    pub title: Option<String>,
    /// Tags (folders), in the order met, without duplicates.
    pub tags: Vec<String>,
}

/// What reading a list gave: the entries, and warnings about lines that were refused or skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Subscriptions, merged by URL (a feed listed in several folders keeps every tag).
    pub entries: Vec<Entry>,
    /// One line per refused or skipped entry.
    pub warnings: Vec<String>,
    /// The query feeds of a newsboat `urls` file, to be translated and saved as queries.
    pub queries: Vec<newsboat::QueryLine>,
}

impl Parsed {
    /// Adds an entry, or merges its tags into the entry already read for the same URL. Titles and
    /// tags are cleaned here (escape sequences, controls, bidi and format characters removed, one
    /// line): a shared list is untrusted, and they are printed and drawn later.
    fn push(&mut self, url: &str, title: Option<String>, tags: &[String]) {
        let url = url.trim();
        let title = title.map(|t| sanitize_line(&t).trim().to_string());
        let tags: Vec<String> = tags
            .iter()
            .map(|t| sanitize_line(t).trim().to_string())
            .collect();
        let tags = tags.as_slice();
        if let Some(reason) = refusal(url) {
            self.warnings.push(format!("refused {url:?}: {reason}"));
            return;
        }
        if let Some(existing) = self.entries.iter_mut().find(|e| e.url == url) {
            for t in tags {
                if !existing.tags.contains(t) {
                    existing.tags.push(t.clone());
                }
            }
            if existing.title.is_none() {
                existing.title = title;
            }
            return;
        }
        let mut unique: Vec<String> = Vec::new();
        for t in tags {
            if !t.is_empty() && !unique.contains(t) {
                unique.push(t.clone());
            }
        }
        self.entries.push(Entry {
            url: url.to_string(),
            title: title.filter(|t| !t.trim().is_empty()),
            tags: unique,
        });
    }
}

/// Reads a subscription list, telling OPML from a newsboat `urls` file by its content.
pub fn parse_any(text: &str) -> Result<Parsed, String> {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        if head.contains("<opml") {
            parse_opml(text)
        } else {
            Err("an XML file that is not OPML".to_string())
        }
    } else {
        Ok(parse_urls(text))
    }
}

/// Why an entry must not be subscribed, if it must not: entries that would run a command.
fn refusal(url: &str) -> Option<&'static str> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("exec:") || lower.starts_with("filter:") || url.starts_with('|') {
        Some("entries that run a command are never run")
    } else if lower.starts_with("query:") {
        Some("newsboat query feeds are not supported")
    } else if url.is_empty() {
        Some("empty address")
    } else if url.chars().any(char::is_control) {
        Some("an address may not hold control characters")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_the_format() {
        let opml = "<?xml version=\"1.0\"?><opml version=\"2.0\"><body><outline xmlUrl=\"https://a/f\"/></body></opml>";
        assert_eq!(parse_any(opml).unwrap().entries[0].url, "https://a/f");
        assert_eq!(
            parse_any("https://b/f tag\n").unwrap().entries[0].tags,
            vec!["tag"]
        );
        assert!(parse_any("<rss></rss>").is_err());
    }

    #[test]
    fn command_entries_are_refused_with_a_warning() {
        let p = parse_urls("exec:rm -rf ~\nfilter:x.sh:https://a/f\n|curl evil\nhttps://ok/f\n");
        assert_eq!(p.entries.len(), 1);
        assert_eq!(p.warnings.len(), 3);
        assert!(p.warnings.iter().all(|w| w.contains("run a command")));
    }

    #[test]
    fn titles_and_tags_are_cleaned_at_import() {
        let opml = "<opml version=\"2.0\"><body>\
            <outline text=\"News\u{1b}[2J\u{1b}]52;c;aGk=\u{7}\u{202e}\">\
            <outline text=\"T\u{9b}31m\u{7f}itle\" xmlUrl=\"https://a.example/f\" category=\"x\u{1b}[1m\"/>\
            </outline></body></opml>";
        let p = parse_any(opml).unwrap();
        assert_eq!(p.entries[0].title.as_deref(), Some("Title"));
        assert_eq!(p.entries[0].tags, ["News", "x"]);
        let p =
            parse_urls("https://b.example/f \"\u{1b}[31mred\u{1b}[0m\" \"~T\u{2066}it\u{85}le\"\n");
        assert_eq!(p.entries[0].tags, ["red"]);
        assert_eq!(p.entries[0].title.as_deref(), Some("Title"));
    }

    #[test]
    fn addresses_with_control_characters_are_refused() {
        let opml = "<opml version=\"2.0\"><body><outline xmlUrl=\"https://a/&#x1b;]52;c;x\"/>\
                    <outline xmlUrl=\"https://ok/f\"/></body></opml>";
        let p = parse_opml(opml).unwrap();
        assert_eq!(p.entries.len(), 1, "{p:?}");
        assert!(p.warnings[0].contains("control characters"), "{p:?}");
        let p = parse_urls("https://a/\u{7}bell\nhttps://ok/f\n");
        assert_eq!(p.entries.len(), 1, "{p:?}");
    }
}
