//! Link numbering: URLs resolved against the item's base, filtered by scheme, numbered once each,
//! with the text the body shows for them.

use std::cell::OnceCell;
use std::collections::HashMap;

use url::Url;

use super::sanitize::sanitize_line;

/// The most characters of a link's text kept for the link list.
pub const MAX_LINK_TEXT: usize = 200;

/// One numbered link of a body: where it leads, what the body shows for it, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The absolute URL, sanitised.
    pub url: String,
    /// The text the body shows for it (an anchor's text, an image's description), sanitised,
    /// on one line, at most [`MAX_LINK_TEXT`] characters; empty when the body shows none.
    pub text: String,
    /// A link or an image.
    pub kind: LinkKind,
}

/// What a numbered URL of a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// The target of an `<a href>`.
    Link,
    /// The source of an `<img>`.
    Image,
}

/// Numbers the links of one document in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct LinkTable {
    /// The base as given; parsed the first time a relative URL needs it (most bodies' links are
    /// absolute, and parsing the base took as long as resolving a link).
    base: Option<String>,
    parsed_base: OnceCell<Option<Url>>,
    links: Vec<Link>,
    index: HashMap<String, usize>,
}

/// Text on one line: runs of whitespace become one space, cut at [`MAX_LINK_TEXT`] characters.
pub(crate) fn one_line_text(text: &str) -> String {
    // Never longer than the text, nor than the cut (characters of up to four bytes and the
    // ellipsis): room for it at once.
    let mut out = String::with_capacity(text.len().min(4 * MAX_LINK_TEXT + 3));
    // Characters in `out`, counted as words are added.
    let mut chars = 0;
    for (n, word) in text.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += word.chars().count();
        if chars >= MAX_LINK_TEXT {
            break;
        }
    }
    match out.char_indices().nth(MAX_LINK_TEXT) {
        Some((at, _)) => {
            out.truncate(at);
            out.push('…');
            out
        }
        None => out,
    }
}

impl LinkTable {
    /// A table resolving relative URLs against `base` (ignored when it is not an absolute URL).
    pub(crate) fn new(base: Option<&str>) -> Self {
        LinkTable {
            base: base.map(|b| b.trim().to_owned()),
            ..LinkTable::default()
        }
    }

    /// Resolves `href`; `None` unless the result is an http, https or mailto URL.
    pub(crate) fn resolve(&self, href: &str) -> Option<String> {
        let href = href.trim();
        if href.is_empty() {
            return None;
        }
        if crate::feed::plain_url::is_plain(href) {
            return Some(sanitize_line(href).into_owned());
        }
        let url = match Url::parse(href) {
            Ok(url) => url,
            Err(url::ParseError::RelativeUrlWithoutBase) => self.base()?.join(href).ok()?,
            Err(_) => return None,
        };
        match url.scheme() {
            "http" | "https" | "mailto" => Some(sanitize_line(url.as_str()).into_owned()),
            _ => None,
        }
    }

    /// The base URL, parsed once; `None` when there is none or it is not an absolute URL.
    fn base(&self) -> Option<&Url> {
        self.parsed_base
            .get_or_init(|| self.base.as_deref().and_then(|b| Url::parse(b).ok()))
            .as_ref()
    }

    /// The number (from 1) of an already resolved URL, adding it when new. `text` is what the
    /// body shows for it (sanitised); the first non-empty text a URL gets is the one kept.
    pub(crate) fn number(&mut self, url: String, text: &str, kind: LinkKind) -> usize {
        if let Some(&n) = self.index.get(&url) {
            let link = &mut self.links[n - 1];
            if link.text.is_empty() {
                link.text = one_line_text(text);
            }
            return n;
        }
        self.links.push(Link {
            url: url.clone(),
            text: one_line_text(text),
            kind,
        });
        let n = self.links.len();
        self.index.insert(url, n);
        n
    }

    /// The numbered links, reference `[n]` being entry `n - 1`.
    pub(crate) fn into_links(self) -> Vec<Link> {
        self.links
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_urls_against_the_base() {
        let t = LinkTable::new(Some("https://example.com/blog/post.html"));
        assert_eq!(
            t.resolve("../img/a.png").as_deref(),
            Some("https://example.com/img/a.png")
        );
        assert_eq!(
            t.resolve("/x?y=1#z").as_deref(),
            Some("https://example.com/x?y=1#z")
        );
        assert_eq!(
            t.resolve("//cdn.example.org/f").as_deref(),
            Some("https://cdn.example.org/f")
        );
        assert_eq!(
            t.resolve(" mailto:me@example.com ").as_deref(),
            Some("mailto:me@example.com")
        );
    }

    #[test]
    fn drops_other_schemes_and_unresolvable_links() {
        let t = LinkTable::new(Some("https://example.com/"));
        assert_eq!(t.resolve("javascript:alert(1)"), None);
        assert_eq!(t.resolve("JavaScript:alert(1)"), None);
        assert_eq!(t.resolve("data:text/html;base64,AAAA"), None);
        assert_eq!(t.resolve("ftp://example.com/f"), None);
        assert_eq!(t.resolve(""), None);
        let no_base = LinkTable::new(None);
        assert_eq!(no_base.resolve("/relative"), None);
        assert_eq!(
            no_base.resolve("http://a.example/").as_deref(),
            Some("http://a.example/")
        );
    }

    #[test]
    fn numbers_each_url_once_in_order() {
        let mut t = LinkTable::new(None);
        assert_eq!(t.number("http://a/".into(), "", LinkKind::Image), 1);
        assert_eq!(t.number("http://b/".into(), "b", LinkKind::Link), 2);
        assert_eq!(
            t.number("http://a/".into(), " first\n text ", LinkKind::Link),
            1
        );
        assert_eq!(t.number("http://a/".into(), "second", LinkKind::Link), 1);
        let links = t.into_links();
        let got: Vec<(&str, &str, LinkKind)> = links
            .iter()
            .map(|l| (l.url.as_str(), l.text.as_str(), l.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                ("http://a/", "first text", LinkKind::Image),
                ("http://b/", "b", LinkKind::Link)
            ]
        );
    }

    #[test]
    fn link_text_is_one_line_and_bounded() {
        let long = "word ".repeat(10_000);
        let text = one_line_text(&long);
        assert_eq!(text.chars().count(), MAX_LINK_TEXT + 1);
        assert!(text.ends_with('…'));
        assert_eq!(one_line_text(" a\n\tb  c "), "a b c");
    }
}
