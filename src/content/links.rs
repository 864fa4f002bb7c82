//! Link numbering: URLs resolved against the item's base, filtered by scheme, numbered once each.

use std::collections::HashMap;

use url::Url;

use super::sanitize::sanitize_line;

/// Numbers the links of one document in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct LinkTable {
    base: Option<Url>,
    links: Vec<String>,
    index: HashMap<String, usize>,
}

impl LinkTable {
    /// A table resolving relative URLs against `base` (ignored when it is not an absolute URL).
    pub(crate) fn new(base: Option<&str>) -> Self {
        LinkTable {
            base: base.and_then(|b| Url::parse(b.trim()).ok()),
            ..LinkTable::default()
        }
    }

    /// Resolves `href`; `None` unless the result is an http, https or mailto URL.
    pub(crate) fn resolve(&self, href: &str) -> Option<String> {
        let href = href.trim();
        if href.is_empty() {
            return None;
        }
        let url = match Url::parse(href) {
            Ok(url) => url,
            Err(url::ParseError::RelativeUrlWithoutBase) => self.base.as_ref()?.join(href).ok()?,
            Err(_) => return None,
        };
        match url.scheme() {
            "http" | "https" | "mailto" => Some(sanitize_line(url.as_str()).into_owned()),
            _ => None,
        }
    }

    /// The number (from 1) of an already resolved URL, adding it when new.
    pub(crate) fn number(&mut self, url: String) -> usize {
        if let Some(&n) = self.index.get(&url) {
            return n;
        }
        self.links.push(url.clone());
        let n = self.links.len();
        self.index.insert(url, n);
        n
    }

    /// The numbered URLs, reference `[n]` being entry `n - 1`.
    pub(crate) fn into_links(self) -> Vec<String> {
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
        assert_eq!(t.number("http://a/".into()), 1);
        assert_eq!(t.number("http://b/".into()), 2);
        assert_eq!(t.number("http://a/".into()), 1);
        assert_eq!(t.into_links(), vec!["http://a/", "http://b/"]);
    }
}
