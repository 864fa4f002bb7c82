//! One pass over the page that measures every element: its text, the text of its links, its
//! commas and paragraphs; and marks the subtrees that are never article (scripts, navigation,
//! hidden elements, boxes whose class says they are chrome).

use std::collections::{HashMap, HashSet};

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node, node::Element};

use super::clean::class_weight;

/// What one element holds, its pruned subtrees left out.
#[derive(Debug, Clone, Copy, Default)]
pub struct NodeStats {
    /// Characters of text (a run of white space counts as one).
    pub text: u32,
    /// Characters of text inside links.
    pub link_text: u32,
    /// Commas (of any script) in the text.
    pub commas: u32,
    /// `<p>` elements inside.
    pub paragraphs: u32,
    /// `<img>` elements inside.
    pub images: u32,
    /// `<li>` elements inside.
    pub items: u32,
    /// Form controls and embeds inside.
    pub controls: u32,
}

impl NodeStats {
    /// The share of the text that is inside links, 0 to 1.
    pub fn link_density(&self) -> f64 {
        if self.text == 0 {
            0.0
        } else {
            f64::from(self.link_text) / f64::from(self.text)
        }
    }

    fn add(&mut self, o: &NodeStats) {
        self.text += o.text;
        self.link_text += o.link_text;
        self.commas += o.commas;
        self.paragraphs += o.paragraphs;
        self.images += o.images;
        self.items += o.items;
        self.controls += o.controls;
    }
}

/// The measures of every element of a page, and the subtrees pruned from it.
pub struct Stats {
    /// The measures of every element not pruned.
    pub nodes: HashMap<NodeId, NodeStats>,
    /// The roots of pruned subtrees.
    pub pruned: HashSet<NodeId>,
}

impl Stats {
    /// Measures a page in one walk. With `by_class`, boxes whose class or id says they are
    /// chrome are pruned too.
    pub fn gather(doc: &Html, by_class: bool) -> Stats {
        let mut nodes = HashMap::new();
        let mut pruned = HashSet::new();
        let mut stack: Vec<NodeStats> = vec![NodeStats::default()];
        let mut skip: Option<NodeId> = None;
        let mut links = 0u32;
        let mut space = true;
        for edge in doc.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Element(el) => {
                            if is_pruned(el, by_class) {
                                pruned.insert(node.id());
                                skip = Some(node.id());
                                continue;
                            }
                            if el.name() == "a" {
                                links += 1;
                            }
                            stack.push(NodeStats::default());
                        }
                        Node::Text(t) => {
                            let top = stack.last_mut().expect("the root is never popped");
                            let (n, commas) = measure(t, &mut space);
                            top.text += n;
                            top.commas += commas;
                            if links > 0 {
                                top.link_text += n;
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skip == Some(node.id()) {
                        skip = None;
                        continue;
                    }
                    if skip.is_some() {
                        continue;
                    }
                    if let Node::Element(el) = node.value() {
                        let mut s = stack.pop().expect("pushed on open");
                        match el.name() {
                            "a" => links = links.saturating_sub(1),
                            "p" => s.paragraphs += 1,
                            "img" => s.images += 1,
                            "li" => s.items += 1,
                            "input" | "embed" | "object" | "iframe" => s.controls += 1,
                            _ => {}
                        }
                        if super::write::is_block_name(el.name()) {
                            space = true;
                        }
                        nodes.insert(node.id(), s);
                        stack.last_mut().expect("the root is never popped").add(&s);
                    }
                }
            }
        }
        Stats { nodes, pruned }
    }

    /// The measures of an element (zero for one pruned or unknown).
    pub fn of(&self, id: NodeId) -> NodeStats {
        self.nodes.get(&id).copied().unwrap_or_default()
    }
}

/// Counts the characters of a text node (runs of white space as one, across nodes) and its
/// commas.
fn measure(t: &str, space: &mut bool) -> (u32, u32) {
    let mut n = 0u32;
    let mut commas = 0u32;
    for c in t.chars() {
        if c.is_whitespace() {
            if !*space {
                n += 1;
                *space = true;
            }
        } else {
            n += 1;
            *space = false;
            if matches!(c, ',' | '，' | '、' | '،') {
                commas += 1;
            }
        }
    }
    (n, commas)
}

/// Whether an element and all it holds are never article: scripts and other non-text elements,
/// navigation and other landmarks of the site, hidden elements, and boxes whose class or id
/// says they are chrome (when `by_class`).
pub fn is_pruned(el: &Element, by_class: bool) -> bool {
    let name = el.name();
    if name != "form" && crate::content::elements::is_dropped(name) {
        return true;
    }
    if matches!(name, "nav" | "aside" | "footer" | "dialog" | "menu") {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(role) = el.attr("role")
        && matches!(
            role,
            "navigation"
                | "complementary"
                | "banner"
                | "contentinfo"
                | "menu"
                | "menubar"
                | "dialog"
                | "alertdialog"
                | "search"
                | "toolbar"
                | "tablist"
        )
    {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s = style.to_ascii_lowercase().replace(' ', "");
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if !by_class
        || matches!(
            name,
            "html" | "body" | "article" | "main" | "a" | "p" | "td" | "th" | "tr"
        )
    {
        return false;
    }
    class_weight(el).unlikely
}
