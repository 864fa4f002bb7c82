//! Writing the article's elements out: as clean HTML (a small set of elements, links and images
//! made absolute, no attributes but `href`, `src` and `alt`), as plain text (paragraphs separated
//! by blank lines), and, in the same walk, as the renderer's blocks: every element and text
//! written to the HTML goes to a [`DocumentSink`] too, so the blocks are those the HTML parses
//! to, without parsing it.

use std::collections::HashSet;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node, node::Element};
use url::Url;

use super::stats::Stats;
use crate::content::{Document, DocumentSink, sanitize};

/// The elements that hold the article, in page order.
#[derive(Debug, Clone, Default)]
pub struct Roots {
    /// The elements, each written with all it holds.
    pub ids: Vec<NodeId>,
}

impl Roots {
    /// The roots chosen by a selector or the scoring.
    pub fn chosen(ids: Vec<NodeId>) -> Roots {
        Roots { ids }
    }
}

/// The article, written.
pub struct Written {
    /// Clean HTML.
    pub html: String,
    /// The blocks and links of `html`, built in the same walk.
    pub doc: Document,
    /// Plain text, paragraphs separated by blank lines.
    pub text: String,
    /// Words in `text`.
    pub words: usize,
    /// The share of the text's characters inside links, 0 to 1.
    pub link_density: f64,
}

/// Whether an element ends the text before it and starts a new paragraph.
pub fn is_block_name(name: &str) -> bool {
    crate::content::elements::is_block(name) || matches!(name, "li" | "br" | "figure")
}

/// The elements kept in the clean HTML under their own name; any other element is replaced by
/// what it holds (block elements by a `<div>`).
fn kept(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "blockquote"
            | "pre"
            | "code"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "th"
            | "td"
            | "caption"
            | "figure"
            | "figcaption"
            | "em"
            | "strong"
            | "b"
            | "i"
            | "hr"
            | "dl"
            | "dt"
            | "dd"
            | "sub"
            | "sup"
            | "a"
            | "kbd"
            | "samp"
            | "s"
            | "u"
            | "mark"
            | "q"
            | "cite"
    )
}

/// Writes the roots, leaving out pruned and dropped elements, and a first heading that repeats
/// the title.
pub fn write(
    doc: &Html,
    roots: &Roots,
    stats: &Stats,
    dropped: &HashSet<NodeId>,
    base: Option<&Url>,
    title: Option<&str>,
) -> Written {
    let mut w = Writer {
        html: String::new(),
        doc: DocumentSink::new(base.map(Url::as_str)),
        paras: Vec::new(),
        para: String::new(),
        space: true,
        pre: 0,
        base,
        title: title.map(normalise),
        headings: 0,
        links: 0,
        captions: 0,
        chars: 0,
        linked: 0,
    };
    for &root in &roots.ids {
        let Some(node) = doc.tree.get(root) else {
            continue;
        };
        let mut skip: Option<NodeId> = None;
        for edge in node.traverse() {
            match edge {
                Edge::Open(n) => {
                    if skip.is_some() {
                        continue;
                    }
                    match n.value() {
                        Node::Element(el) => {
                            if stats.pruned.contains(&n.id())
                                || dropped.contains(&n.id())
                                || w.repeats_title(el, n)
                            {
                                skip = Some(n.id());
                                continue;
                            }
                            w.open(el);
                        }
                        Node::Text(t) => w.text(t),
                        _ => {}
                    }
                }
                Edge::Close(n) => {
                    if skip == Some(n.id()) {
                        skip = None;
                    } else if skip.is_none()
                        && let Node::Element(el) = n.value()
                    {
                        w.close(el);
                    }
                }
            }
        }
    }
    w.flush();
    let text = w.paras.join("\n\n");
    let words = text.split_whitespace().count();
    let link_density = if w.chars == 0 {
        0.0
    } else {
        w.linked as f64 / w.chars as f64
    };
    Written {
        html: w.html,
        doc: w.doc.finish(),
        text,
        words,
        link_density,
    }
}

struct Writer<'a> {
    html: String,
    /// The renderer's blocks, fed what `html` is written.
    doc: DocumentSink,
    paras: Vec<String>,
    para: String,
    space: bool,
    pre: u32,
    base: Option<&'a Url>,
    title: Option<String>,
    headings: u32,
    /// Links open around the current text.
    links: u32,
    /// Captions open around the current text (kept in the HTML, left out of the text).
    captions: u32,
    /// Characters of text written, and how many of them were inside links.
    chars: usize,
    linked: usize,
}

impl Writer<'_> {
    /// Whether `el` is the article's first heading and says the title again.
    fn repeats_title(&mut self, el: &Element, node: ego_tree::NodeRef<'_, Node>) -> bool {
        // Only before the article's first words, and only a heading or a box of text.
        if !self.paras.is_empty()
            || !self.para.trim().is_empty()
            || !matches!(
                el.name(),
                "h1" | "h2" | "h3" | "div" | "p" | "header" | "span" | "strong"
            )
        {
            return false;
        }
        self.headings += 1;
        if self.headings > 8 {
            return false;
        }
        let Some(title) = &self.title else {
            return false;
        };
        let text: String = node
            .descendants()
            .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
            .collect();
        let text = normalise(&text);
        if text.is_empty() {
            return false;
        }
        if matches!(el.name(), "h1" | "h2") {
            title.contains(&text) || text.contains(title.as_str())
        } else {
            text == *title
        }
    }

    fn text(&mut self, t: &str) {
        if self.pre > 0 {
            escape_into(&mut self.html, t);
            self.doc.text(t);
            self.para.push_str(t);
            return;
        }
        let mut collapsed = String::with_capacity(t.len());
        for c in t.chars() {
            if c.is_whitespace() {
                if !self.space {
                    collapsed.push(' ');
                    self.space = true;
                }
            } else {
                collapsed.push(c);
                self.space = false;
            }
        }
        escape_into(&mut self.html, &collapsed);
        self.doc.text(&collapsed);
        if self.captions > 0 {
            return;
        }
        let n = collapsed.chars().filter(|c| !c.is_whitespace()).count();
        self.chars += n;
        if self.links > 0 {
            self.linked += n;
        }
        self.para.push_str(&collapsed);
    }

    fn open(&mut self, el: &Element) {
        let name = el.name();
        if is_block_name(name) && !matches!(name, "td" | "th") {
            self.flush();
        }
        match name {
            "pre" => self.pre += 1,
            "br" => {
                self.html.push_str("<br>");
                self.doc.open("br", &[]);
                self.doc.close("br");
                self.para.push('\n');
                self.space = true;
                return;
            }
            "td" | "th" => {
                if !self.para.trim().is_empty() {
                    self.para.push_str(" | ");
                }
                self.space = true;
            }
            "img" => {
                self.image(el);
                return;
            }
            _ => {}
        }
        if name == "figcaption" {
            self.captions += 1;
        }
        if name == "a" {
            self.links += 1;
            match el.attr("href").and_then(|h| self.resolve(h)) {
                Some(href) => {
                    self.html.push_str("<a href=\"");
                    escape_into(&mut self.html, &href);
                    self.html.push_str("\">");
                    self.doc.open("a", &[("href", &href)]);
                }
                None => {
                    self.html.push_str("<a>");
                    self.doc.open("a", &[]);
                }
            }
        } else if kept(name) {
            self.html.push('<');
            self.html.push_str(name);
            self.html.push('>');
            self.doc.open(name, &[]);
        } else if is_block_name(name) {
            self.html.push_str("<div>");
            self.doc.open("div", &[]);
        }
    }

    fn close(&mut self, el: &Element) {
        let name = el.name();
        if matches!(name, "br" | "img") {
            return;
        }
        if name == "pre" {
            self.pre = self.pre.saturating_sub(1);
        }
        if name == "a" {
            self.links = self.links.saturating_sub(1);
        }
        if name == "figcaption" {
            self.captions = self.captions.saturating_sub(1);
        }
        if kept(name) {
            self.html.push_str("</");
            self.html.push_str(name);
            self.html.push('>');
            self.doc.close(name);
        } else if is_block_name(name) {
            self.html.push_str("</div>");
            self.doc.close("div");
        }
        if is_block_name(name) && !matches!(name, "td" | "th") {
            self.flush();
        }
    }

    fn image(&mut self, el: &Element) {
        let src = ["data-src", "data-original", "data-lazy-src", "src"]
            .iter()
            .filter_map(|a| el.attr(a))
            .find(|s| !s.trim().is_empty() && !s.trim_start().starts_with("data:"))
            .and_then(|s| self.resolve(s));
        let Some(src) = src else {
            return;
        };
        self.html.push_str("<img src=\"");
        escape_into(&mut self.html, &src);
        self.html.push('"');
        let alt = el.attr("alt").filter(|a| !a.trim().is_empty());
        if let Some(alt) = alt {
            self.html.push_str(" alt=\"");
            escape_into(&mut self.html, alt);
            self.html.push('"');
        }
        self.html.push('>');
        match alt {
            Some(alt) => self.doc.open("img", &[("src", &src), ("alt", alt)]),
            None => self.doc.open("img", &[("src", &src)]),
        }
        self.doc.close("img");
    }

    /// A link or image address made absolute; only http(s) and mailto are kept.
    fn resolve(&self, href: &str) -> Option<String> {
        let href = href.trim();
        let url = match self.base {
            Some(base) => base.join(href).ok()?,
            None => Url::parse(href).ok()?,
        };
        matches!(url.scheme(), "http" | "https" | "mailto").then(|| url.to_string())
    }

    /// Ends the paragraph being gathered.
    fn flush(&mut self) {
        let para: String = self
            .para
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if !para.is_empty() {
            self.paras.push(sanitize(&para).into_owned());
        }
        self.para.clear();
        self.space = true;
    }
}

/// Lower case, white space collapsed: for comparing a heading with the title.
fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Appends `s` with `&`, `<`, `>` and `"` escaped.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}
