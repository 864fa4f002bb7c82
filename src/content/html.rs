//! HTML bodies to blocks, through a real HTML5 parser (html5ever, into a `scraper` tree).
//!
//! The parse bounds nesting (see [`super::bounded`]), so its cost stays linear in the body; the
//! tree is walked without recursion (open and close edges). Every text node is sanitised as it
//! is read.

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::block::{Block, BlockKind, Document, ListMarker, Row, Table};
use super::edges::{Edges, Tag};
use super::elements::{expand_tabs, is_block, is_dropped};
use super::inline::Inline;
use super::links::{LinkKind, LinkTable, MAX_LINK_TEXT};
use super::sanitize::sanitize;
use super::style::{Span, Style};

/// Parses an HTML body into blocks and numbered links: ordinary markup on the quick path
/// ([`super::quick`]), anything else through the bounded HTML5 parse.
pub fn parse_html(raw: &str, base: Option<&str>) -> Document {
    let mut w = Walker::new(base);
    if super::quick::scan(raw, &mut w) {
        return w.finish();
    }
    parse_html_full(raw, base)
}

/// Parses an HTML body always through the bounded HTML5 parse: what [`parse_html`] gives, by
/// the way it gives it for any body the quick path does not take (for tests and benches).
pub fn parse_html_full(raw: &str, base: Option<&str>) -> Document {
    // html5ever panics on some markup no browser minds (the filter in `bounded` once fed it
    // one, found by the fuzzer): a body it cannot read is shown as its text, tags left out,
    // rather than taking the reader (or a refresh's writer) down with it.
    let Some(tree) = crate::feed::catch_quietly(|| parse_tree(raw)) else {
        UNPARSED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::warn!("a body's markup could not be parsed; it is shown as text");
        return super::text::parse_text(&super::strip::strip_html(raw));
    };
    let mut w = Walker::new(base);
    walk_tree(&tree, &mut w);
    w.finish()
}

/// Bodies shown as text because their markup could not be parsed, in this process.
static UNPARSED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many bodies this process has shown as text because html5ever panicked on their markup
/// (the fuzzer checks it stays 0: the fallback hides such a panic from everyone else).
pub fn bodies_shown_as_text() -> u64 {
    UNPARSED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Whether [`parse_html`] reads `raw` on the quick path (for tests and benches).
pub fn takes_quick_path(raw: &str) -> bool {
    struct Nothing;
    impl Edges for Nothing {
        fn open(&mut self, _: &impl Tag) {}
        fn text(&mut self, _: &str) {}
        fn close(&mut self, _: &str) {}
    }
    super::quick::scan(raw, &mut Nothing)
}

/// Hands the edges of a parsed body's tree to `out`, leaving out the elements the reader drops
/// (scripts, forms, media ...) with everything in them.
pub(super) fn walk_tree(html: &Html, out: &mut impl Edges) {
    let mut skip: Option<NodeId> = None;
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => out.text(text),
                    Node::Element(el) if is_dropped(el.name()) => skip = Some(node.id()),
                    Node::Element(el) => out.open(el),
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skip == Some(node.id()) {
                    skip = None;
                } else if skip.is_none()
                    && let Node::Element(el) = node.value()
                {
                    out.close(el.name());
                }
            }
        }
    }
}

impl Edges for Walker {
    fn open(&mut self, el: &impl Tag) {
        Walker::open(self, el);
    }

    fn text(&mut self, text: &str) {
        Walker::text(self, text);
    }

    fn close(&mut self, name: &str) {
        Walker::close(self, name);
    }
}

/// The tree of an HTML body, parsed with bounded nesting.
fn parse_tree(raw: &str) -> Html {
    #[cfg(test)]
    if raw.contains(tests::PANIC_MARKUP) {
        panic!("markup the HTML parser cannot take (test)");
    }
    super::bounded::parse_fragment(raw)
}

/// An open `<a>` element: its number is taken at the end, once it is known to show text.
struct OpenLink {
    url: Option<String>,
    pushed_at: usize,
    /// The text it shows so far (sanitised), for the link list; bounded.
    text: String,
}

impl OpenLink {
    /// Adds shown text, up to a few times what the link list keeps.
    fn add_text(&mut self, text: &str) {
        if self.text.len() < 4 * MAX_LINK_TEXT {
            self.text.push_str(text);
        }
    }
}

/// An open list.
struct List {
    ordered: bool,
    next: u32,
    started: bool,
}

/// An open list item.
struct Item {
    marker: ListMarker,
    depth: u8,
    first: bool,
}

/// A table being gathered (nested tables fold into the cells of the outermost one).
#[derive(Default)]
struct TableBuild {
    table: Table,
    row: Option<Row>,
    caption: Vec<Span>,
    depth: u32,
    cell_header: bool,
}

/// Turns the open, text and close edges of an HTML tree into blocks and numbered links.
pub(super) struct Walker {
    blocks: Vec<Block>,
    links: LinkTable,
    inline: Inline,
    bold: u32,
    italic: u32,
    code: u32,
    anchors: Vec<OpenLink>,
    pre: u32,
    pre_text: String,
    quote: u8,
    lists: Vec<List>,
    items: Vec<Item>,
    heading: Option<u8>,
    caption: u32,
    table: Option<TableBuild>,
}

impl Walker {
    /// A walker whose relative links resolve against `base`.
    pub(super) fn new(base: Option<&str>) -> Self {
        Walker {
            blocks: Vec::new(),
            links: LinkTable::new(base),
            inline: Inline::new(),
            bold: 0,
            italic: 0,
            code: 0,
            anchors: Vec::new(),
            pre: 0,
            pre_text: String::new(),
            quote: 0,
            lists: Vec::new(),
            items: Vec::new(),
            heading: None,
            caption: 0,
            table: None,
        }
    }

    fn style(&self) -> Style {
        Style {
            bold: self.bold > 0,
            heading: self.heading.is_some(),
            italic: self.italic > 0,
            code: self.code > 0,
            link: !self.anchors.is_empty() && self.anchors.iter().any(|a| a.url.is_some()),
            ..Style::PLAIN
        }
    }

    /// Takes a text node.
    pub(super) fn text(&mut self, text: &str) {
        if self.pre > 0 {
            self.pre_text.push_str(text);
        } else {
            let clean = sanitize(text);
            let style = self.style();
            self.inline.push_text(&clean, style);
            if let Some(anchor) = self.anchors.last_mut() {
                anchor.add_text(&clean);
            }
        }
    }

    /// Takes an element's start.
    pub(super) fn open(&mut self, el: &impl Tag) {
        let name = el.name();
        if self.pre > 0 {
            if name == "br" {
                self.pre_text.push('\n');
            } else if name == "pre" {
                self.pre += 1;
            }
            return;
        }
        if is_block(name) {
            self.open_block(name, el);
            return;
        }
        match name {
            "b" | "strong" => self.bold += 1,
            "i" | "em" | "cite" | "dfn" | "var" => self.italic += 1,
            "code" | "kbd" | "samp" | "tt" => self.code += 1,
            "br" => self.inline.line_break(),
            "wbr" => {}
            "a" => {
                let url = el.attr("href").and_then(|h| self.links.resolve(h));
                self.anchors.push(OpenLink {
                    url,
                    pushed_at: self.inline.pushed(),
                    text: String::new(),
                });
            }
            "img" => self.image(el),
            _ => {}
        }
    }

    /// Takes an element's end.
    pub(super) fn close(&mut self, name: &str) {
        if self.pre > 0 {
            if name == "pre" {
                self.pre -= 1;
                if self.pre == 0 {
                    self.finish_pre();
                }
            }
            return;
        }
        if is_block(name) {
            self.close_block(name);
            return;
        }
        match name {
            "b" | "strong" => self.bold = self.bold.saturating_sub(1),
            "i" | "em" | "cite" | "dfn" | "var" => self.italic = self.italic.saturating_sub(1),
            "code" | "kbd" | "samp" | "tt" => self.code = self.code.saturating_sub(1),
            "a" => {
                if let Some(OpenLink {
                    url: Some(url),
                    pushed_at,
                    text,
                }) = self.anchors.pop()
                    && self.inline.pushed() > pushed_at
                {
                    let n = self.links.number(url, &text, LinkKind::Link);
                    if !self.inline.is_empty() {
                        self.push_ref(n);
                    } else if let Some(block) = self.blocks.last_mut()
                        && !block.spans.is_empty()
                        && !block.is_code()
                    {
                        // The link held whole blocks (a linked heading): the last one gets the
                        // reference.
                        block.spans.push(Span::plain(" "));
                        block.spans.push(Span::new(format!("[{n}]"), Style::DIM));
                    }
                }
            }
            _ => {}
        }
    }

    fn push_ref(&mut self, n: usize) {
        self.inline.push_text(" ", Style::PLAIN);
        self.inline.push_text(&format!("[{n}]"), Style::DIM);
    }

    fn image(&mut self, el: &impl Tag) {
        let alt = el.attr("alt").map(sanitize).unwrap_or_default();
        let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
        let src = el
            .attr("src")
            .or_else(|| el.attr("data-src"))
            .and_then(|s| self.links.resolve(s))
            .filter(|u| !u.starts_with("mailto:"));
        if alt.is_empty() && src.is_none() {
            return;
        }
        let label = if alt.is_empty() {
            "[image]".to_string()
        } else {
            format!("[image: {alt}]")
        };
        let inline = self.table.is_some() || !self.inline.is_empty() || !self.anchors.is_empty();
        if !inline {
            self.flush();
        }
        let style = Style {
            italic: true,
            ..self.style()
        };
        self.inline.push_text(&label, style);
        if let Some(anchor) = self.anchors.last_mut() {
            anchor.add_text(&format!(" {label} "));
        }
        if let Some(url) = src {
            let n = self.links.number(url, &alt, LinkKind::Image);
            self.push_ref(n);
        }
        if !inline {
            let spans = self.inline.take();
            self.push_block(BlockKind::Image, spans);
        }
    }

    fn open_block(&mut self, name: &str, el: &impl Tag) {
        if let Some(t) = self.table.as_mut() {
            match name {
                "table" => t.depth += 1,
                "tr" if t.depth == 1 => {
                    finish_row(t);
                    t.row = Some(Row {
                        header: true,
                        ..Row::default()
                    });
                }
                "td" | "th" if t.depth == 1 => {
                    self.inline.take();
                    t.cell_header = name == "th";
                    if t.cell_header {
                        self.bold += 1;
                    }
                }
                "caption" if t.depth == 1 => {
                    self.inline.take();
                }
                _ => {}
            }
            self.inline.space(Style::PLAIN);
            return;
        }
        self.flush();
        match name {
            "pre" => {
                self.pre = 1;
                self.pre_text.clear();
            }
            "blockquote" => self.quote = self.quote.saturating_add(1),
            "ul" | "ol" | "menu" | "dir" => {
                let start = el.attr("start").and_then(|s| s.trim().parse().ok());
                self.lists.push(List {
                    ordered: name == "ol",
                    next: start.unwrap_or(1),
                    started: false,
                });
            }
            "li" => {
                let depth = self.lists.len().saturating_sub(1).min(u8::MAX as usize) as u8;
                let first = self.lists.len() <= 1
                    && !self
                        .lists
                        .last_mut()
                        .is_some_and(|l| std::mem::replace(&mut l.started, true));
                let marker = match self.lists.last_mut() {
                    Some(list) if list.ordered => {
                        let value = el.attr("value").and_then(|v| v.trim().parse().ok());
                        let n = value.unwrap_or(list.next);
                        list.next = n.saturating_add(1);
                        ListMarker::Number(n)
                    }
                    _ => ListMarker::Bullet,
                };
                self.items.push(Item {
                    marker,
                    depth,
                    first,
                });
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.heading = Some(name.as_bytes()[1] - b'0');
            }
            "figcaption" => self.caption += 1,
            "hr" => self.push_block(BlockKind::Rule, Vec::new()),
            "table" => {
                self.table = Some(TableBuild {
                    depth: 1,
                    ..TableBuild::default()
                })
            }
            _ => {}
        }
    }

    fn close_block(&mut self, name: &str) {
        if let Some(t) = self.table.as_mut() {
            match name {
                "table" if t.depth == 1 => {
                    finish_row(t);
                    let t = self.table.take().unwrap_or_default();
                    self.inline.take();
                    if !t.caption.is_empty() {
                        self.push_block(BlockKind::Caption, t.caption);
                    }
                    if !t.table.rows.is_empty() {
                        self.push_block(BlockKind::Table(t.table), Vec::new());
                    }
                    return;
                }
                "table" => t.depth -= 1,
                "td" | "th" if t.depth == 1 => {
                    if t.cell_header {
                        self.bold = self.bold.saturating_sub(1);
                    }
                    let cell: Vec<Span> = self.inline.take().into_iter().map(one_line).collect();
                    let row = t.row.get_or_insert_with(Row::default);
                    row.header &= t.cell_header;
                    row.cells.push(cell);
                }
                "tr" if t.depth == 1 => finish_row(t),
                "caption" if t.depth == 1 => {
                    t.caption = self.inline.take().into_iter().map(one_line).collect();
                }
                _ => self.inline.space(Style::PLAIN),
            }
            return;
        }
        self.flush();
        match name {
            "blockquote" => self.quote = self.quote.saturating_sub(1),
            "ul" | "ol" | "menu" | "dir" => {
                self.lists.pop();
            }
            "li" => {
                self.items.pop();
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.heading = None,
            "figcaption" => self.caption = self.caption.saturating_sub(1),
            _ => {}
        }
    }

    fn finish_pre(&mut self) {
        let text = expand_tabs(&self.pre_text);
        let clean = sanitize(&text);
        let trimmed = clean.trim_end_matches([' ', '\n']).trim_start_matches('\n');
        if !trimmed.trim().is_empty() {
            let style = Style {
                code: true,
                ..Style::PLAIN
            };
            self.push_block(BlockKind::Pre, vec![Span::new(trimmed, style)]);
        }
        self.pre_text.clear();
    }

    /// Ends the block being gathered, deciding its kind from the open elements.
    fn flush(&mut self) {
        if self.inline.is_empty() {
            self.inline.take();
            return;
        }
        let spans = self.inline.take();
        let kind = if let Some(level) = self.heading {
            BlockKind::Heading(level)
        } else if self.caption > 0 {
            BlockKind::Caption
        } else if let Some(item) = self.items.last_mut() {
            let marker = std::mem::replace(&mut item.marker, ListMarker::None);
            BlockKind::ListItem {
                depth: item.depth,
                marker,
                first: std::mem::take(&mut item.first),
            }
        } else if self.quote > 0 {
            BlockKind::Quote { depth: self.quote }
        } else {
            BlockKind::Paragraph
        };
        self.push_block(kind, spans);
    }

    fn push_block(&mut self, kind: BlockKind, spans: Vec<Span>) {
        self.blocks.push(Block {
            kind,
            spans,
            quote: self.quote,
        });
    }

    /// The blocks and links of everything taken.
    pub(super) fn finish(mut self) -> Document {
        if self.pre > 0 {
            self.finish_pre();
        }
        if let Some(t) = self.table.as_mut() {
            finish_row(t);
            let t = self.table.take().unwrap_or_default();
            if !t.table.rows.is_empty() {
                self.push_block(BlockKind::Table(t.table), Vec::new());
            }
        }
        self.flush();
        Document {
            blocks: self.blocks,
            links: self.links.into_links(),
        }
    }
}

fn finish_row(t: &mut TableBuild) {
    if let Some(row) = t.row.take()
        && row.cells.iter().any(|c| !c.is_empty())
    {
        t.table.rows.push(row);
    }
}

/// Table cells are one line: hard breaks become spaces.
fn one_line(mut span: Span) -> Span {
    if span.text.contains('\n') {
        span.text = span.text.replace('\n', " ");
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Markup on which [`parse_tree`] panics, as html5ever once did on input the fuzzer found
    /// (tests only): what is left to try the fallback with.
    pub(super) const PANIC_MARKUP: &str = "<!-- tidings test: the HTML parser panics here -->";

    #[test]
    fn a_body_the_parser_cannot_take_is_shown_as_its_text() {
        let before = bodies_shown_as_text();
        let raw = format!(
            "<p>Fish &amp; chips</p>{PANIC_MARKUP}<script>track()</script><p>at&nbsp;noon</p>"
        );
        let doc = parse_html_full(&raw, None);
        let text: Vec<String> = doc.blocks.iter().map(|b| b.text()).collect();
        assert_eq!(text, ["Fish & chips at noon"]);
        assert_eq!(bodies_shown_as_text(), before + 1);
        // A control character the stripper decodes from a reference is cleaned like any other.
        let doc = parse_html_full(&format!("{PANIC_MARKUP}<p>red&#27;[31m alert</p>"), None);
        let shown: String = doc.blocks.iter().map(|b| b.text()).collect();
        assert!(
            shown.contains("alert") && !shown.contains('\u{1b}'),
            "{shown:?}"
        );
    }

    fn kinds(raw: &str) -> Vec<(BlockKind, String, u8)> {
        parse_html(raw, None)
            .blocks
            .into_iter()
            .map(|b| {
                let text = b.text();
                (b.kind, text, b.quote)
            })
            .collect()
    }

    #[test]
    fn block_kinds_follow_the_markup() {
        let got = kinds(
            "<h3>T</h3>text<ol start=3><li>a<ul><li>b</li></ul></li></ol>\
             <blockquote><p>q</p><blockquote>qq</blockquote></blockquote><pre>\tx\n</pre><hr>",
        );
        let item = |depth, marker, first| BlockKind::ListItem {
            depth,
            marker,
            first,
        };
        assert_eq!(
            got,
            vec![
                (BlockKind::Heading(3), "T".into(), 0),
                (BlockKind::Paragraph, "text".into(), 0),
                (item(0, ListMarker::Number(3), true), "a".into(), 0),
                (item(1, ListMarker::Bullet, false), "b".into(), 0),
                (BlockKind::Quote { depth: 1 }, "q".into(), 1),
                (BlockKind::Quote { depth: 2 }, "qq".into(), 2),
                (BlockKind::Pre, "    x".into(), 0),
                (BlockKind::Rule, String::new(), 0),
            ]
        );
    }

    #[test]
    fn tables_keep_rows_cells_and_headers() {
        let doc = parse_html(
            "<table><tr><th>h1</th><th>h2</th></tr><tr><td>a<br>b</td><td><p>c</p></td></tr>\
             <tr><td><table><tr><td>in</td><td>ner</td></tr></table></td></tr></table>",
            None,
        );
        let BlockKind::Table(table) = &doc.blocks[0].kind else {
            panic!("not a table: {:?}", doc.blocks);
        };
        assert_eq!(table.rows.len(), 3);
        assert!(table.rows[0].header && !table.rows[1].header);
        assert!(table.rows[0].cells[0][0].style.bold);
        assert_eq!(doc.blocks[0].text(), "h1 | h2\na b | c\nin ner");
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let raw = "<div>".repeat(20_000) + "deep" + &"</div>".repeat(20_000);
        let doc = parse_html(&raw, None);
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!(doc.blocks[0].text(), "deep");
    }

    #[test]
    fn deep_markup_parses_into_a_shallow_tree() {
        let divs = "<div>".repeat(5_000) + "deep";
        let formatting: String = (0..5_000).map(|n| format!("<b id={n}>w")).collect();
        for raw in [divs, formatting] {
            let html = parse_tree(&raw);
            let deepest = html
                .tree
                .nodes()
                .map(|n| n.ancestors().count())
                .max()
                .unwrap_or(0);
            assert!(deepest <= 200, "a tree {deepest} deep");
        }
    }
}
