//! An article page's HTML to its article: title, author, date, lead image, clean HTML and text.
//!
//! Interim: replaced by the extract branch at merge. This stand-in keeps the interface the full
//! extractor provides and a deliberately simple body: the element `selector` names when one is
//! given, else the page's `<article>`, else its `<main>`, else its `<body>`, parsed through
//! [`crate::content::bounded`]'s limits; the title comes from `<title>` (else the first `<h1>`).

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Selector};
use url::Url;

/// What extraction keeps of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The article's title ("" when the page has none).
    pub title: String,
    /// Its author, when the page names one.
    pub author: Option<String>,
    /// When it was published, when the page says.
    pub published: Option<DateTime<Utc>>,
    /// The address of its lead image, when it has one.
    pub lead_image: Option<String>,
    /// The article as clean HTML, for the renderer.
    pub html: String,
    /// The article's plain text, paragraphs separated by blank lines.
    pub text: String,
    /// How many words `text` holds.
    pub words: usize,
}

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The selector given for the site does not parse.
    #[error("bad CSS selector {0:?}")]
    BadSelector(String),
    /// Nothing on the page looks like an article.
    #[error("no article found on the page")]
    NoArticle,
}

/// Extracts the article of a page. `base` resolves relative addresses (unused by this interim
/// version); `selector`, a CSS selector, names the article's element for a site that needs it.
pub fn extract(
    html: &str,
    _base: Option<&Url>,
    selector: Option<&str>,
) -> Result<Article, ExtractError> {
    let doc = crate::content::bounded::parse_fragment(html);
    let mut choices: Vec<&str> = Vec::new();
    if let Some(s) = selector {
        Selector::parse(s).map_err(|_| ExtractError::BadSelector(s.to_string()))?;
        choices.push(s);
    } else {
        choices.extend(["article", "main", "body", "html"]);
    }
    let found: Option<ElementRef<'_>> = choices.iter().find_map(|s| {
        let sel = Selector::parse(s).ok()?;
        doc.select(&sel).next()
    });
    let root = found.unwrap_or_else(|| doc.root_element());
    let text = paragraphs(root);
    let words = text.split_whitespace().count();
    if words == 0 {
        return Err(ExtractError::NoArticle);
    }
    Ok(Article {
        title: first_text(&doc, "title")
            .or_else(|| first_text(&doc, "h1"))
            .unwrap_or_default(),
        author: None,
        published: None,
        lead_image: None,
        html: root.inner_html(),
        text,
        words,
    })
}

/// The trimmed text of the first element `selector` matches, when it has any.
fn first_text(doc: &scraper::Html, selector: &str) -> Option<String> {
    let sel = Selector::parse(selector).ok()?;
    let el = doc.select(&sel).next()?;
    let text = el.text().collect::<Vec<_>>().join(" ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The text of `root`, one paragraph per block element, separated by blank lines. Scripts and
/// styles are left out.
fn paragraphs(root: ElementRef<'_>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for edge in root.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => {
                if let Some(el) = node.value().as_element()
                    && is_block(el.name())
                {
                    flush(&mut current, &mut out);
                }
                if let Some(t) = node.value().as_text() {
                    let inside_code = node.ancestors().any(|a| {
                        a.value()
                            .as_element()
                            .is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript"))
                    });
                    if !inside_code {
                        current.push_str(t);
                    }
                }
            }
            ego_tree::iter::Edge::Close(node) => {
                if let Some(el) = node.value().as_element()
                    && is_block(el.name())
                {
                    flush(&mut current, &mut out);
                }
            }
        }
    }
    flush(&mut current, &mut out);
    out.join("\n\n")
}

fn flush(current: &mut String, out: &mut Vec<String>) {
    let words: Vec<&str> = current.split_whitespace().collect();
    if !words.is_empty() {
        out.push(words.join(" "));
    }
    current.clear();
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "table"
            | "tr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "ul"
            | "ol"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_article_element_and_the_title() {
        let page = "<html><head><title>A day</title></head><body><nav>Home News</nav>\
                    <article><h1>A day</h1><p>First words here.</p><p>Second.</p></article></body></html>";
        let a = extract(page, None, None).unwrap();
        assert_eq!(a.title, "A day");
        assert_eq!(a.text, "A day\n\nFirst words here.\n\nSecond.");
        assert_eq!(a.words, 6);
        assert!(!a.html.contains("Home News"));
    }

    #[test]
    fn a_selector_overrides_and_a_bad_one_is_an_error() {
        let page = "<div class=x><p>Only this.</p></div><article><p>Not this.</p></article>";
        assert_eq!(extract(page, None, Some(".x")).unwrap().text, "Only this.");
        assert!(matches!(
            extract(page, None, Some("[[")),
            Err(ExtractError::BadSelector(_))
        ));
    }
}
