//! Full text for summary-only feeds, the pure part: which feeds want their articles fetched
//! (the per-feed mode and the `auto` rule), how a downloaded page's bytes become text, and
//! whether an extracted article is worth showing instead of the feed's teaser.
//!
//! The network side lives in `crate::refresh` (it fetches pages under the feed fetcher's
//! rules); the cache keeps the articles (`crate::store`). Nothing here does I/O.

use std::fmt;

use serde::Serialize;

use super::extract::Article;

/// Whether a feed's articles are fetched: per feed, `auto` unless set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FullTextMode {
    /// Fetched when the feed looks summary-only (see [`auto_verdict`]).
    #[default]
    Auto,
    /// Always fetched.
    Always,
    /// Never fetched.
    Never,
}

impl FullTextMode {
    /// The mode a name gives (`auto`, `always` or `never`, any case), or `None`.
    pub fn from_name(name: &str) -> Option<FullTextMode> {
        match name.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(FullTextMode::Auto),
            "always" => Some(FullTextMode::Always),
            "never" => Some(FullTextMode::Never),
            _ => None,
        }
    }

    /// The mode's name as stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            FullTextMode::Auto => "auto",
            FullTextMode::Always => "always",
            FullTextMode::Never => "never",
        }
    }
}

impl fmt::Display for FullTextMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for FullTextMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FullTextMode::from_name(s).ok_or_else(|| format!("{s:?}: expected auto, always or never"))
    }
}

/// The limits of page fetching (`[full_text]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimits {
    /// Pages fetched per feed and run at most (the newest items first).
    pub max_pages_per_feed: usize,
    /// Pages fetched at once from one host (within the feed fetcher's own limits).
    pub per_host: usize,
    /// How long a fetch waits for pages once its feeds are stored.
    pub run_timeout: std::time::Duration,
}

impl Default for PageLimits {
    /// 20 pages per feed, 2 per host, 120 s.
    fn default() -> Self {
        PageLimits {
            max_pages_per_feed: 20,
            per_host: 2,
            run_timeout: std::time::Duration::from_secs(120),
        }
    }
}

/// How many of a feed's newest items the `auto` rule looks at.
pub const AUTO_WINDOW: usize = 20;
/// Below this median of plain-text words, a feed's items are teasers.
pub const AUTO_MAX_MEDIAN_WORDS: usize = 80;
/// At least this share of the items (in percent) must link to a page.
pub const AUTO_MIN_LINKED_PERCENT: usize = 80;

/// What the `auto` rule found over a feed's newest items, and what it decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AutoVerdict {
    /// Items looked at (at most [`AUTO_WINDOW`]).
    pub items: usize,
    /// The median of their plain-text word counts.
    pub median_words: usize,
    /// The share of them that link to a page, in percent.
    pub linked_percent: usize,
    /// Whether the articles should be fetched.
    pub fetch: bool,
}

impl fmt::Display for AutoVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.items == 0 {
            return f.write_str("no items yet");
        }
        write!(
            f,
            "median {} words over the newest {}, {}% linked",
            self.median_words, self.items, self.linked_percent
        )
    }
}

/// The `auto` rule over a feed's newest items, given as (plain-text words, has a link): fetch
/// when the median is under [`AUTO_MAX_MEDIAN_WORDS`] and at least
/// [`AUTO_MIN_LINKED_PERCENT`] of them link to a page. Only the first [`AUTO_WINDOW`] count.
pub fn auto_verdict(items: impl IntoIterator<Item = (usize, bool)>) -> AutoVerdict {
    let items: Vec<(usize, bool)> = items.into_iter().take(AUTO_WINDOW).collect();
    if items.is_empty() {
        return AutoVerdict {
            items: 0,
            median_words: 0,
            linked_percent: 0,
            fetch: false,
        };
    }
    let mut words: Vec<usize> = items.iter().map(|&(w, _)| w).collect();
    words.sort_unstable();
    let n = words.len();
    let median_words = if n % 2 == 1 {
        words[n / 2]
    } else {
        (words[n / 2 - 1] + words[n / 2]) / 2
    };
    let linked = items.iter().filter(|&&(_, l)| l).count();
    let linked_percent = linked * 100 / n;
    AutoVerdict {
        items: n,
        median_words,
        linked_percent,
        fetch: median_words < AUTO_MAX_MEDIAN_WORDS && linked_percent >= AUTO_MIN_LINKED_PERCENT,
    }
}

/// The words of a body for the `auto` rule, counted up to `2 x` [`AUTO_MAX_MEDIAN_WORDS`] and no
/// further (a median of such counts is under the limit exactly when the true one is), by a scan
/// that treats every tag as a space: no parse, so judging a download costs next to nothing.
pub fn words_for_auto(content: &str, html: bool) -> usize {
    let cap = 2 * AUTO_MAX_MEDIAN_WORDS;
    let (mut words, mut in_word, mut in_tag) = (0, false, false);
    for c in content.chars() {
        let space = if html && c == '<' {
            in_tag = true;
            true
        } else if in_tag {
            in_tag = c != '>';
            true
        } else {
            c.is_whitespace()
        };
        if space {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words >= cap {
                break;
            }
        }
    }
    words
}

/// Whether the `auto` rule may fetch the pages of a feed read from `feed_url`: only for feeds
/// fetched over http(s). A local file or a built-in demo feed (whose links go nowhere) gets
/// pages only when set to `always`.
pub fn auto_applies(feed_url: &str) -> bool {
    let scheme = feed_url.split_once(':').map_or("", |(s, _)| s);
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// Whether a feed's articles are fetched under `mode`, with the reason as `tidings feeds` shows it;
/// `remote` says whether the feed is fetched over http(s) (see [`auto_applies`]).
pub fn decide(mode: FullTextMode, verdict: &AutoVerdict, remote: bool) -> (bool, String) {
    match mode {
        FullTextMode::Always => (true, "always: set for this feed".to_string()),
        FullTextMode::Never => (false, "never: set for this feed".to_string()),
        FullTextMode::Auto if !remote => (
            false,
            "auto: a local source (set always to fetch its pages)".to_string(),
        ),
        FullTextMode::Auto if verdict.fetch => (true, format!("auto: teasers ({verdict})")),
        FullTextMode::Auto if verdict.items == 0 => {
            (false, format!("auto: full bodies assumed ({verdict})"))
        }
        FullTextMode::Auto => (false, format!("auto: full bodies ({verdict})")),
    }
}

/// Why a downloaded page leaves the teaser in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// The page is not HTML (its content type).
    NotHtml(String),
    /// Nothing on it looks like an article.
    NoArticle,
    /// The article has fewer words than the teaser.
    Shorter {
        /// Words of the page's article.
        article: usize,
        /// Words of the teaser.
        teaser: usize,
    },
    /// The page is mostly a call to subscribe or to consent to cookies.
    Walled,
}

impl fmt::Display for Kept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kept::NotHtml(t) => write!(f, "not an HTML page ({t})"),
            Kept::NoArticle => f.write_str("no article found on the page"),
            Kept::Shorter { article, teaser } => write!(
                f,
                "the page's article ({article} words) is shorter than the teaser ({teaser})"
            ),
            Kept::Walled => f.write_str("a paywall or cookie wall"),
        }
    }
}

/// Whether a response of `content_type` (and these first bytes, when the server named no type)
/// is an HTML page.
pub fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    match content_type {
        Some(t) => {
            let t = t
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            matches!(t.as_str(), "text/html" | "application/xhtml+xml")
        }
        None => {
            let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
            let head = head.trim_start_matches('\u{feff}').trim_start();
            head.starts_with("<!doctype html") || head.starts_with("<html")
        }
    }
}

pub use super::extract::decode_page;

/// Phrases of pages that ask to subscribe, sign in or consent rather than show the article.
const WALL_PHRASES: &[&str] = &[
    "subscribe",
    "subscription",
    "subscriber",
    "sign in",
    "log in",
    "register",
    "cookie",
    "consent",
    "accept all",
    "continue reading",
    "paywall",
    "free trial",
    "premium",
];

/// Articles shorter than this many words may be a wall.
const WALL_MAX_WORDS: usize = 150;

/// Whether an extracted article looks like a paywall or cookie wall: short, and most of its
/// paragraphs ask the reader to subscribe, sign in or consent.
pub fn looks_walled(article: &Article) -> bool {
    if article.words >= WALL_MAX_WORDS {
        return false;
    }
    let paragraphs: Vec<String> = article
        .text
        .split("\n\n")
        .map(str::to_lowercase)
        .filter(|p| !p.trim().is_empty())
        .collect();
    if paragraphs.is_empty() {
        return false;
    }
    let calls = paragraphs
        .iter()
        .filter(|p| WALL_PHRASES.iter().any(|w| p.contains(w)))
        .count();
    calls * 2 >= paragraphs.len()
}

/// Whether the article replaces a teaser of `teaser_words` words, or why the teaser stays.
pub fn judge(article: &Article, teaser_words: usize) -> Result<(), Kept> {
    if looks_walled(article) {
        return Err(Kept::Walled);
    }
    if article.words < teaser_words {
        return Err(Kept::Shorter {
            article: article.words,
            teaser: teaser_words,
        });
    }
    Ok(())
}

/// How long after its `failures`-th failure (1, 2, 3) an item's page is tried again: 1 h, 6 h,
/// 24 h; `None` once it is given up (after the fourth).
pub fn retry_after_secs(failures: u32) -> Option<i64> {
    match failures {
        0 | 1 => Some(3_600),
        2 => Some(6 * 3_600),
        3 => Some(24 * 3_600),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        Article {
            title: None,
            author: None,
            published: None,
            lead_image: None,
            text: text.to_string(),
            words: text.split_whitespace().count(),
            ..Article::default()
        }
    }

    #[test]
    fn auto_fetches_short_linked_items_only() {
        let teasers = (0..25).map(|i| (20 + i, true));
        let v = auto_verdict(teasers);
        assert_eq!((v.items, v.median_words, v.linked_percent), (20, 29, 100));
        assert!(v.fetch);
        let full = (0..20).map(|i| (300 + i, true));
        assert!(!auto_verdict(full).fetch);
        // Short but mostly without links: nothing to fetch.
        let unlinked = (0..10).map(|i| (10, i < 7));
        let v = auto_verdict(unlinked);
        assert_eq!(v.linked_percent, 70);
        assert!(!v.fetch);
        // Counting stops at twice the limit; tags count as spaces.
        assert_eq!(words_for_auto("<p>Two <b>words</b></p>", true), 2);
        assert_eq!(words_for_auto("a<b>c", false), 1);
        assert_eq!(words_for_auto("a<b>c", true), 2);
        assert_eq!(words_for_auto(&"word ".repeat(1000), false), 160);
        // Exactly 80 words is not under 80.
        assert!(!auto_verdict([(80, true), (80, true)]).fetch);
        assert!(!auto_verdict(std::iter::empty()).fetch);
    }

    #[test]
    fn modes_parse_and_decide() {
        assert_eq!(
            FullTextMode::from_name(" Always "),
            Some(FullTextMode::Always)
        );
        assert_eq!(FullTextMode::from_name("sometimes"), None);
        let teasers = auto_verdict([(10, true)]);
        assert!(decide(FullTextMode::Auto, &teasers, true).0);
        assert!(!decide(FullTextMode::Never, &teasers, true).0);
        let full = auto_verdict([(500, true)]);
        assert!(decide(FullTextMode::Always, &full, true).0);
        let (fetch, why) = decide(FullTextMode::Auto, &full, true);
        assert!(!decide(FullTextMode::Auto, &teasers, false).0);
        assert!(decide(FullTextMode::Always, &teasers, false).0);
        assert!(auto_applies("HTTPS://example.org/feed"));
        assert!(!auto_applies("demo:harbour-gazette"));
        assert!(!auto_applies("file:///tmp/feed.xml"));
        assert!(!fetch);
        assert_eq!(
            why,
            "auto: full bodies (median 500 words over the newest 1, 100% linked)"
        );
    }

    #[test]
    fn charset_comes_from_the_header_then_the_meta_tag() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><p>caf\xe9</p>";
        assert!(decode_page(latin1, Some("text/html")).contains("café"));
        assert!(decode_page(latin1, None).contains("café"));
        let utf8 = "<p>café</p>".as_bytes();
        assert!(decode_page(utf8, Some("text/html; charset=utf-8")).contains("café"));
        let koi = b"<p>\xc4\xc1</p>";
        assert!(decode_page(koi, Some("text/html; charset=koi8-r")).contains("да"));
    }

    #[test]
    fn html_is_told_from_other_types() {
        assert!(is_html(Some("text/html; charset=utf-8"), b""));
        assert!(is_html(Some("application/xhtml+xml"), b""));
        assert!(!is_html(Some("application/pdf"), b"<html>"));
        assert!(is_html(None, b"  <!DOCTYPE html><p>"));
        assert!(!is_html(None, b"%PDF-1.4"));
    }

    #[test]
    fn walls_and_short_pages_keep_the_teaser() {
        let wall = article(
            "Subscribe to keep reading.\n\nAlready a subscriber? Sign in.\n\nThe story begins.",
        );
        assert_eq!(judge(&wall, 5), Err(Kept::Walled));
        let cookies = article("We use cookies.\n\nAccept all or manage your consent.");
        assert!(looks_walled(&cookies));
        let short = article("Only four words here.");
        assert_eq!(
            judge(&short, 10),
            Err(Kept::Shorter {
                article: 4,
                teaser: 10
            })
        );
        let real = article(&"A sentence about the news of the day. ".repeat(30));
        assert_eq!(judge(&real, 10), Ok(()));
        // A long article that mentions subscribing is still an article.
        let long = article(&format!("{}\n\nSubscribe to our newsletter.", real.text));
        assert_eq!(judge(&long, 10), Ok(()));
    }

    #[test]
    fn retries_back_off_then_give_up() {
        assert_eq!(retry_after_secs(1), Some(3_600));
        assert_eq!(retry_after_secs(2), Some(21_600));
        assert_eq!(retry_after_secs(3), Some(86_400));
        assert_eq!(retry_after_secs(4), None);
    }
}
