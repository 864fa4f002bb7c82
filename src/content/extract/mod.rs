//! Article extraction: a web page's HTML to the article it carries, without the page's chrome.
//!
//! [`extract`] parses the page once (bounded like every body, see [`super::bounded`]), reads its
//! metadata (title, author, date, lead image: [`meta`]), finds the element that holds the
//! article by scoring the page's paragraphs ([`pick`]), drops what inside it is still chrome
//! (share bars, related links, newsletter boxes: [`clean`]), and writes what is left, in one walk
//! of that tree, as clean HTML (the form the cache keeps), as the renderer's blocks (the
//! [`Document`] that HTML parses to, so that showing or digesting the article just extracted
//! parses nothing again) and as plain text ([`write`]). A CSS selector, when given, replaces the
//! scoring.

mod charset;
mod clean;
mod meta;
mod pick;
mod stats;
mod write;

pub use charset::decode_page;

use chrono::{DateTime, Utc};
use scraper::{Html, Selector};
use url::Url;

use super::Document;

/// The article of a page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Article {
    /// The article's title, from the page's metadata or its first heading.
    pub title: Option<String>,
    /// The article's author, from the page's metadata or its byline link.
    pub author: Option<String>,
    /// When the article was published, from the page's metadata.
    pub published: Option<DateTime<Utc>>,
    /// The article's lead image (an absolute URL when the page's address is known).
    pub lead_image: Option<String>,
    /// The article as clean HTML (headings, paragraphs, lists, quotes, tables, figures, code),
    /// ready for [`super::html::parse_html`]: the form the cache keeps.
    pub html: String,
    /// The article's blocks and numbered links, built in the same walk as `html`: what
    /// `parse_html(&html, base)` gives, without parsing `html` again.
    pub doc: Document,
    /// The article as plain text: paragraphs separated by blank lines, no link list.
    pub text: String,
    /// How many words `text` holds.
    pub words: usize,
}

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The input is not an HTML page (binary data, or text without any markup).
    #[error("not an HTML page")]
    NotHtml,
    /// The page holds no article text (it is all navigation, or empty).
    #[error("the page holds no article text")]
    Empty,
    /// The CSS selector given does not parse.
    #[error("bad CSS selector {0:?}")]
    BadSelector(String),
    /// The CSS selector given matches nothing on the page.
    #[error("the CSS selector {0:?} matches nothing on the page")]
    NoMatch(String),
}

/// Extracts the article of a page. `base` (the page's address) resolves relative links and
/// images; `selector`, when given, names the article's element(s) instead of the heuristics.
pub fn extract(
    html: &str,
    base: Option<&Url>,
    selector: Option<&str>,
) -> Result<Article, ExtractError> {
    if !looks_like_html(html) {
        return Err(ExtractError::NotHtml);
    }
    let selector = match selector {
        Some(s) => Some((
            s,
            Selector::parse(s).map_err(|_| ExtractError::BadSelector(s.to_string()))?,
        )),
        None => None,
    };
    let doc = super::bounded::parse_document(html);
    extract_from(&doc, base, selector.as_ref().map(|(s, sel)| (*s, sel)))
}

/// Checks a CSS selector before it is kept for a feed: it must parse, and name something.
pub fn check_selector(selector: &str) -> Result<(), ExtractError> {
    if selector.trim().is_empty() || Selector::parse(selector).is_err() {
        return Err(ExtractError::BadSelector(selector.to_string()));
    }
    Ok(())
}

/// Text shorter than this, in characters, after a first attempt sends the extractor back to the
/// page without pruning boxes by their class names (which sometimes name the page's wrapper).
const RETRY_BELOW: usize = 500;

/// Extracts the article of a page already parsed (see [`super::bounded::parse_document`]).
fn extract_from(
    doc: &Html,
    base: Option<&Url>,
    selector: Option<(&str, &Selector)>,
) -> Result<Article, ExtractError> {
    let meta = meta::read(doc, base);
    let mut out = attempt(doc, base, selector, &meta, true)?;
    if selector.is_none() && out.text.len() < RETRY_BELOW {
        let again = attempt(doc, base, selector, &meta, false)?;
        if again.text.len() > out.text.len() {
            out = again;
        }
    }
    // Text that is mostly links is a page of navigation, not an article.
    if out.words == 0 || out.link_density > MAX_LINK_DENSITY {
        return Err(ExtractError::Empty);
    }
    Ok(Article {
        title: meta.title,
        author: meta.author,
        published: meta.published,
        lead_image: meta.lead_image,
        html: out.html,
        doc: out.doc,
        text: out.text,
        words: out.words,
    })
}

/// The largest share of an article's text that may be inside links.
const MAX_LINK_DENSITY: f64 = 0.5;

/// One pass of scoring, cleaning and writing; `by_class` prunes boxes by their class names.
fn attempt(
    doc: &Html,
    base: Option<&Url>,
    selector: Option<(&str, &Selector)>,
    meta: &meta::Meta,
    by_class: bool,
) -> Result<write::Written, ExtractError> {
    let stats = stats::Stats::gather(doc, by_class && selector.is_none());
    let roots = match selector {
        Some((text, sel)) => {
            let roots: Vec<_> = doc.select(sel).map(|e| e.id()).collect();
            if roots.is_empty() {
                return Err(ExtractError::NoMatch(text.to_string()));
            }
            write::Roots::chosen(roots)
        }
        None => pick::main_content(doc, &stats, meta.body_hint.as_deref()),
    };
    let dropped = if selector.is_some() {
        Default::default()
    } else {
        clean::dropped_within(doc, &stats, &roots)
    };
    Ok(write::write(
        doc,
        &roots,
        &stats,
        &dropped,
        base,
        meta.title.as_deref(),
    ))
}

/// Whether `raw` can be an HTML page: no NUL bytes near its start, and a tag among its first
/// kilobytes.
fn looks_like_html(raw: &str) -> bool {
    let head = &raw[..floor_char_boundary(raw, 4096)];
    if head.contains('\0') || head.starts_with("%PDF") {
        return false;
    }
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('<') || head.to_ascii_lowercase().contains("<html") || head.contains("<p")
}

/// The largest char boundary at or below `i`.
fn floor_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
