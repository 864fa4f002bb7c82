//! Finding the element that holds the article: every paragraph scores its parent and
//! grandparents by its length and commas (Mozilla's Readability), the best-scored element wins,
//! and siblings that score near it join it.

use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::clean::class_weight;
use super::stats::Stats;
use super::write::{Roots, is_block_name};

/// Characters of text directly inside a box (not in a child element) that make it a paragraph
/// whatever else it holds.
const DIRECT_TEXT: usize = 100;

/// How many levels of ancestors a paragraph scores.
const LEVELS: usize = 5;

/// Chooses the article's element(s) on a page.
pub fn main_content(doc: &Html, stats: &Stats, hint: Option<&str>) -> Roots {
    let hint = hint.map(letters).filter(|h| h.chars().count() >= 300);
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    for node in doc.tree.root().descendants() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        if !stats.nodes.contains_key(&node.id()) {
            continue; // pruned, or inside a pruned subtree
        }
        let name = el.name();
        let paragraph_like = match name {
            "p" | "pre" => true,
            "td" | "div" | "section" | "span" | "font" => {
                !has_block_child(node) || direct_text(node) >= DIRECT_TEXT
            }
            _ => false,
        };
        if !paragraph_like {
            continue;
        }
        let s = stats.of(node.id());
        if s.text < 25 {
            continue;
        }
        let mut score = 1.0 + f64::from(s.commas) + (f64::from(s.text) / 100.0).floor().min(3.0);
        if let Some(hint) = &hint {
            // The page's own metadata says which paragraphs are the article.
            score *= if in_hint(node, hint) { 3.0 } else { 0.2 };
        }
        for (level, anc) in node.ancestors().take(LEVELS).enumerate() {
            let Node::Element(a) = anc.value() else {
                break;
            };
            let entry = scores
                .entry(anc.id())
                .or_insert_with(|| initial_score(a.name()) + f64::from(class_weight(a).weight));
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            *entry += score / divider;
        }
    }
    let mut best: Option<(NodeId, f64)> = None;
    for (&id, score) in scores.iter_mut() {
        *score *= 1.0 - stats.of(id).link_density();
        if best.is_none_or(|(_, b)| *score > b) {
            best = Some((id, *score));
        }
    }
    let Some((mut top, top_score)) = best else {
        return Roots::chosen(body(doc).into_iter().collect());
    };
    // An only child says no more than its parent.
    while let Some(node) = doc.tree.get(top)
        && let Some(parent) = node.parent()
        && matches!(parent.value(), Node::Element(e) if e.name() != "body" && e.name() != "html")
        && parent.children().filter(|c| c.value().is_element()).count() == 1
    {
        top = parent.id();
    }
    let node = doc.tree.get(top).expect("a node of the tree");
    let Some(parent) = node.parent() else {
        return Roots::chosen(vec![top]);
    };
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = match node.value() {
        Node::Element(e) => e.attr("class").map(str::to_string),
        _ => None,
    };
    let mut ids = Vec::new();
    for sib in parent.children() {
        if sib.id() == top {
            ids.push(top);
            continue;
        }
        let Node::Element(el) = sib.value() else {
            continue;
        };
        if !stats.nodes.contains_key(&sib.id()) {
            continue;
        }
        let mut bonus = 0.0;
        if top_class.is_some() && el.attr("class").map(str::to_string) == top_class {
            bonus = top_score * 0.2;
        }
        let score = scores.get(&sib.id()).copied().unwrap_or(0.0) + bonus;
        let keep = if score >= threshold {
            true
        } else if el.name() == "p"
            || (matches!(el.name(), "div" | "section") && !has_block_child(sib))
        {
            let s = stats.of(sib.id());
            let ld = s.link_density();
            (s.text > 80 && ld < 0.25)
                || (el.name() == "p" && s.text > 0 && ld == 0.0 && ends_sentence(sib))
        } else {
            false
        };
        if keep {
            ids.push(sib.id());
        }
    }
    Roots::chosen(ids)
}

/// Lower-case letters and digits only: text compared with the JSON-LD article body.
fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a paragraph's first letters appear in the JSON-LD article body.
fn in_hint(node: NodeRef<'_, Node>, hint: &str) -> bool {
    let mut key = String::new();
    for t in node.descendants().filter_map(|n| n.value().as_text()) {
        key.push_str(&letters(t));
        if key.chars().count() >= 60 {
            break;
        }
    }
    let key: String = key.chars().take(60).collect();
    key.chars().count() >= 20 && hint.contains(&key)
}

/// The starting score of an element by its name.
fn initial_score(name: &str) -> f64 {
    match name {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Characters of the text nodes directly inside an element.
fn direct_text(node: NodeRef<'_, Node>) -> usize {
    node.children()
        .filter_map(|c| c.value().as_text().map(|t| t.trim().len()))
        .sum()
}

/// Whether an element has an element child that starts a block.
fn has_block_child(node: NodeRef<'_, Node>) -> bool {
    node.children().any(|c| match c.value() {
        Node::Element(e) => e.name() != "br" && (is_block_name(e.name()) || e.name() == "img"),
        _ => false,
    })
}

/// Whether a short paragraph ends a sentence (its text ends with ". " or "." ).
fn ends_sentence(node: NodeRef<'_, Node>) -> bool {
    let text: String = node
        .descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect();
    text.trim_end().ends_with('.')
}

/// The page's `<body>`.
fn body(doc: &Html) -> Option<NodeId> {
    doc.tree.root().descendants().find_map(|n| match n.value() {
        Node::Element(e) if e.name() == "body" => Some(n.id()),
        _ => None,
    })
}
