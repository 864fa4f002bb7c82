//! What inside the article's element is still chrome: boxes whose class says so, lists of
//! links, share bars, forms, headings of link lists. Mostly the conditional cleaning of
//! Mozilla's Readability, measured on the page's [`Stats`].

use std::collections::HashSet;

use ego_tree::NodeId;
use scraper::{Html, Node, node::Element};

use super::stats::Stats;
use super::write::Roots;

/// What the class and id of an element say about it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClassWeight {
    /// +25 for each of class and id that sounds like content, -25 for each that sounds like
    /// chrome.
    pub weight: i32,
    /// The class or id names a kind of box that never holds the article.
    pub unlikely: bool,
}

const UNLIKELY: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumb",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
    "share",
    "sharing",
    "newsletter",
    "cookie",
    "consent",
    "subscribe",
    "signup",
    "sign-up",
    "promo",
    "outbrain",
    "taboola",
    "recommend",
    "trending",
    "most-read",
    "mostread",
    "most-popular",
    "modal",
    "toolbar",
    "byline",
    "author-bio",
    "advert",
    "paywall",
    "masthead",
    "skip-link",
    "jump-link",
];

const MAYBE: &[&str] = &[
    "and", "article", "body", "column", "content", "main", "shadow",
];

const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text",
    "blog", "story",
];

const NEGATIVE: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "foot",
    "footnote",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "tool",
    "widget",
    "newsletter",
    "byline",
    "caption",
    "credit",
    "timestamp",
    "dateline",
];

fn any_in(hay: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| hay.contains(n))
}

/// Reads what the class and id of an element say.
pub fn class_weight(el: &Element) -> ClassWeight {
    let mut w = ClassWeight::default();
    let mut both = String::new();
    for value in [el.attr("class"), el.attr("id")].into_iter().flatten() {
        if value.is_empty() {
            continue;
        }
        let v = value.to_ascii_lowercase();
        if any_in(&v, NEGATIVE) {
            w.weight -= 25;
        }
        if any_in(&v, POSITIVE) {
            w.weight += 25;
        }
        both.push_str(&v);
        both.push(' ');
    }
    w.unlikely = !both.is_empty() && any_in(&both, UNLIKELY) && !any_in(&both, MAYBE);
    w
}

/// The elements inside the article's roots to leave out, each with all it holds.
pub fn dropped_within(doc: &Html, stats: &Stats, roots: &Roots) -> HashSet<NodeId> {
    let mut dropped = HashSet::new();
    for &root in &roots.ids {
        let Some(root_node) = doc.tree.get(root) else {
            continue;
        };
        let root_text = stats.of(root).text;
        for node in root_node.descendants() {
            if node.id() == root || stats.pruned.contains(&node.id()) {
                continue;
            }
            if node.ancestors().any(|a| dropped.contains(&a.id())) {
                continue;
            }
            let Node::Element(el) = node.value() else {
                continue;
            };
            // Chrome is never most of the article: a box that holds more than half of its text
            // is its wrapper, whatever its class says.
            if stats.of(node.id()).text * 2 > root_text {
                continue;
            }
            if is_chrome(el, node.id(), stats) {
                dropped.insert(node.id());
            }
        }
    }
    dropped
}

/// Whether an element inside the article is chrome, by its class and measures.
fn is_chrome(el: &Element, id: NodeId, stats: &Stats) -> bool {
    let name = el.name();
    let s = stats.of(id);
    let weight = class_weight(el).weight;
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => weight < 0 || s.link_density() > 0.33,
        // A short paragraph that is all link is a teaser for another page.
        "p" | "li" | "dd" | "dt" => s.text < 200 && s.link_density() >= 0.8,
        "table" | "ul" | "ol" | "div" | "section" | "header" | "form" | "dl" | "figure"
        | "center" => {
            if weight < 0 && !matches!(name, "figure") {
                return true;
            }
            if s.commas >= 10 {
                return false;
            }
            let is_list = matches!(name, "ul" | "ol" | "dl");
            let p = f64::from(s.paragraphs);
            let img = f64::from(s.images);
            let li = f64::from(s.items) - 100.0;
            let controls = f64::from(s.controls);
            let ld = s.link_density();
            (img > 1.0 && p / img < 0.5 && name != "figure")
                || (!is_list && li > p)
                || controls > (p / 3.0).floor() && controls > 0.0
                || (!is_list && name != "figure" && s.text < 25 && (img == 0.0 || img > 2.0))
                || (weight < 25 && ld > 0.2 && !(name == "table" && s.text > 200 && ld < 0.5))
                || (weight >= 25 && ld > 0.5)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn weight_of(fragment: &str) -> ClassWeight {
        let doc = Html::parse_fragment(fragment);
        let el = doc
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "div")
            .unwrap();
        class_weight(el.value())
    }

    #[test]
    fn class_names_say_content_or_chrome() {
        assert_eq!(weight_of("<div class='article-body'></div>").weight, 25);
        assert!(!weight_of("<div class='article-body'></div>").unlikely);
        let share = weight_of("<div class='share-bar' id='social'></div>");
        assert!(share.unlikely && share.weight < 0);
        // "sidebar" is chrome, unless the same names say it is the content's column.
        assert!(weight_of("<div class='sidebar'></div>").unlikely);
        assert!(!weight_of("<div class='sidebar main-content'></div>").unlikely);
    }
}
