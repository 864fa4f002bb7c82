//! A bounded HTML5 parse: html5ever's tokenizer, then a filter that keeps nesting shallow, then
//! html5ever's tree builder, in one pass over the body.
//!
//! The tree builder walks its stack of open elements for every scope check and its list of
//! active formatting elements whenever it re-opens them, so a body of 100,000 nested `<div>`, or
//! a flat run of 100,000 distinct unclosed `<b>`, `<i>`, `<font>` ... (which nest just as
//! deeply), costs time in the square of its depth. The filter between the two keeps both short:
//!
//! - a start tag that would open an element deeper than [`MAX_DEPTH`] levels is dropped, and so
//!   is its end tag: the element's content stays, one level up;
//! - a formatting element (`<b>`, `<font>` ...) opened while [`MAX_FORMATTING`] are already
//!   active is dropped the same way;
//! - as a backstop for what the two cannot foresee, once the tree builder has made more elements
//!   than the body's length justifies (see [`element_budget`]), the rest of the body is kept as
//!   plain text.
//!
//! Nothing is lost but structure: every character of text reaches the tree.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{
    ElementFlags, NodeOrText, QuirksMode, TreeBuilder, TreeBuilderOpts, TreeSink, create_element,
};
use html5ever::{Attribute, LocalName, QualName, TokenizerResult, ns};
use scraper::{Html, HtmlTreeSink};

use super::elements::is_block;

/// The deepest an element may be nested; deeper start tags are dropped with their end tags.
pub const MAX_DEPTH: u32 = 128;

/// How many formatting elements may be active (open, or waiting to be re-opened) at once.
pub const MAX_FORMATTING: usize = 16;

/// The most elements one body may make, whatever its length. A long real article has a few
/// thousand; past this, time and memory go to markup built to waste them (formatting elements
/// re-opened in every one of a million paragraphs made 1.5 million elements, 660 MB and 3.4 s).
pub const MAX_ELEMENTS: usize = 100_000;

/// How many elements the tree builder may make for a body of `len` bytes before the rest of
/// the body is kept as plain text. Markup needs at least three bytes per element (`<p>`); the
/// budget allows one per four bytes, so only re-opened formatting elements multiplied over many
/// paragraphs reach it, and never more than [`MAX_ELEMENTS`].
pub fn element_budget(len: usize) -> usize {
    (len / 4 + 4096).min(MAX_ELEMENTS)
}

/// Parses an HTML fragment (an item body) as if inside `<body>`, with bounded nesting.
pub fn parse_fragment(raw: &str) -> Html {
    let sink = DepthSink::new(HtmlTreeSink::new(Html::new_fragment()));
    let context = create_element(
        &sink,
        QualName::new(None, ns!(html), LocalName::from("body")),
        Vec::new(),
    );
    let builder = TreeBuilder::new_for_fragment(sink, context, None, TreeBuilderOpts::default());
    let opts = TokenizerOpts {
        initial_state: Some(builder.tokenizer_state_for_context_elem(false)),
        ..TokenizerOpts::default()
    };
    let filter = Filter::new(builder, element_budget(raw.len()));
    let tokenizer = Tokenizer::new(filter, opts);
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(raw));
    while let TokenizerResult::Script(_) = tokenizer.feed(&input) {}
    tokenizer.end();
    tokenizer.sink.builder.sink.inner.finish()
}

/// Parses a whole HTML page (a document, with its `<head>`) with the same bounds as
/// [`parse_fragment`]; the article extractor reads pages through it.
pub fn parse_document(raw: &str) -> Html {
    let sink = DepthSink::new(HtmlTreeSink::new(Html::new_document()));
    let builder = TreeBuilder::new(sink, TreeBuilderOpts::default());
    let filter = Filter::new(builder, element_budget(raw.len()));
    let tokenizer = Tokenizer::new(filter, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(raw));
    while let TokenizerResult::Script(_) = tokenizer.feed(&input) {}
    tokenizer.end();
    tokenizer.sink.builder.sink.inner.finish()
}

/// Elements the tree builder inserts without pushing them on its stack.
pub(super) fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "image"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements the tree builder keeps in its list of active formatting elements.
pub(super) fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

/// Elements whose start puts a marker in the list of active formatting elements.
fn is_marker(name: &str) -> bool {
    matches!(
        name,
        "td" | "th" | "caption" | "applet" | "marquee" | "object" | "template"
    )
}

/// Elements whose end clears the list of active formatting elements back to its last marker.
fn clears_to_marker(name: &str) -> bool {
    is_marker(name) || matches!(name, "tr" | "table" | "tbody" | "thead" | "tfoot")
}

/// Elements whose text the tokenizer reads raw, and how.
fn raw_text(name: &str) -> Option<html5ever::tokenizer::states::RawKind> {
    use html5ever::tokenizer::states::RawKind;
    match name {
        "script" => Some(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
        "textarea" | "title" => Some(RawKind::Rcdata),
        _ => None,
    }
}

/// Hashes the node ids of one body's tree for [`DepthSink`]'s map (its SipHash took 1.3% of a
/// first fetch's instructions, counted by callgrind): an id is a small index the parser hands
/// out, so one multiply spreads it, into the high bits the table's tags come from as into the
/// low ones its buckets do, and nothing chosen by a feed can crowd a bucket.
#[derive(Default)]
struct NodeIdHasher(u64);

/// An odd constant (2^64 over the golden ratio): multiplying by it maps distinct ids to
/// distinct hashes whose high bits differ.
const SPREAD: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for NodeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(SPREAD);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(SPREAD);
    }
}

/// Elements a body's tree has room for before its depth map grows (a body of the generated
/// bench corpus holds about thirty; longer articles grow it once or twice).
const DEPTH_ROOM: usize = 128;

/// scraper's tree sink, watched: it records the depth of every element placed in the tree, and
/// so knows the depth of the tree builder's current node, and counts the elements made.
struct DepthSink {
    inner: HtmlTreeSink,
    /// The depth of every element in the tree (the document is at 0).
    depth: RefCell<HashMap<NodeId, u32, BuildHasherDefault<NodeIdHasher>>>,
    /// The depth of the tree builder's current node, as far as the calls show it.
    current: Cell<u32>,
    /// Elements made so far.
    elements: Cell<usize>,
}

impl DepthSink {
    fn new(inner: HtmlTreeSink) -> Self {
        DepthSink {
            inner,
            depth: RefCell::new(HashMap::with_capacity_and_hasher(
                DEPTH_ROOM,
                BuildHasherDefault::default(),
            )),
            current: Cell::new(0),
            elements: Cell::new(0),
        }
    }

    fn depth_of(&self, node: &NodeId) -> u32 {
        self.depth.borrow().get(node).copied().unwrap_or(0)
    }

    /// Records an element placed under a parent at `parent_depth`; it becomes the current node
    /// unless it is void.
    fn placed(&self, child: &NodeOrText<NodeId>, parent_depth: u32) {
        let NodeOrText::AppendNode(id) = child else {
            return;
        };
        let mut depth = self.depth.borrow_mut();
        let Some(d) = depth.get_mut(id) else {
            return; // a comment or processing instruction
        };
        *d = parent_depth.saturating_add(1);
        let d = *d;
        drop(depth);
        let void = is_void(&self.inner.elem_name(id).local);
        self.current.set(if void { parent_depth } else { d });
    }
}

impl TreeSink for DepthSink {
    type Handle = NodeId;
    type Output = Html;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Html {
        self.inner.finish()
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.elements.set(self.elements.get() + 1);
        let id = self.inner.create_element(name, attrs, flags);
        self.depth.borrow_mut().insert(id, 0);
        id
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.placed(&child, self.depth_of(parent));
        self.inner.append(parent, child)
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        // The child goes beside `element` or into `prev_element`: count the deeper of the two.
        let parent = self
            .depth_of(element)
            .saturating_sub(1)
            .max(self.depth_of(prev_element));
        self.placed(&child, parent);
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }

    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node)
    }

    fn pop(&self, node: &NodeId) {
        self.current.set(self.depth_of(node).saturating_sub(1));
        self.inner.pop(node)
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        let contents = self.inner.get_template_contents(target);
        let d = self.depth_of(target).saturating_add(1);
        self.depth.borrow_mut().insert(contents, d);
        contents
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.placed(&new_node, self.depth_of(sibling).saturating_sub(1));
        self.inner.append_before_sibling(sibling, new_node)
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }

    fn associate_with_form(
        &self,
        target: &NodeId,
        form: &NodeId,
        nodes: (&NodeId, Option<&NodeId>),
    ) {
        self.inner.associate_with_form(target, form, nodes)
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.inner
            .is_mathml_annotation_xml_integration_point(handle)
    }
}

/// The filter between tokenizer and tree builder.
struct Filter {
    builder: TreeBuilder<NodeId, DepthSink>,
    /// End tags still to drop, by name, for start tags dropped.
    swallow: RefCell<HashMap<LocalName, u32>>,
    /// The list of active formatting elements as the filter counts it (`None` is a marker).
    formatting: RefCell<Vec<Option<LocalName>>>,
    /// The element budget for this body.
    budget: usize,
    /// Past the budget: the rest of the body goes in as plain text.
    plain: Cell<bool>,
    /// In plain mode, the raw-text element (`<script>`, `<style>` ...) being skipped.
    skipping: RefCell<Option<LocalName>>,
    /// The tree builder has the tokenizer reading raw text (a `<script>`, `<style>` ...): the
    /// next end tag is the one that ends it, and must reach the tree builder, whatever start
    /// tags of its name were dropped before. (Dropped, it left the tree builder in its text
    /// mode while the tokenizer went back to markup, and html5ever panicked at the next start
    /// tag: "impossible case in Text mode", found by the fuzzer.)
    raw: Cell<bool>,
}

impl Filter {
    fn new(builder: TreeBuilder<NodeId, DepthSink>, budget: usize) -> Self {
        Filter {
            builder,
            swallow: RefCell::new(HashMap::new()),
            formatting: RefCell::new(Vec::new()),
            budget,
            plain: Cell::new(false),
            skipping: RefCell::new(None),
            raw: Cell::new(false),
        }
    }

    /// How many formatting elements are active after the last marker.
    fn active_formatting(&self) -> usize {
        let list = self.formatting.borrow();
        list.iter().rev().take_while(|e| e.is_some()).count()
    }

    /// Removes entries back to the last marker, the marker included (if there is one).
    fn clear_to_marker(&self) {
        let mut list = self.formatting.borrow_mut();
        if let Some(at) = list.iter().rposition(Option::is_none) {
            list.truncate(at);
        }
    }

    /// Decides whether a tag reaches the tree builder, and keeps the filter's counts.
    fn admit(&self, tag: &Tag) -> bool {
        let name = &tag.name;
        match tag.kind {
            TagKind::StartTag => {
                // A raw-text element holds only text, so however deep it nests no deeper; kept,
                // its text stays raw (a script's code is never read as markup).
                if is_void(name) || raw_text(name).is_some() {
                    return true;
                }
                let formatting = is_formatting(name);
                let deep = self.builder.sink.current.get() >= MAX_DEPTH;
                if deep || (formatting && self.active_formatting() >= MAX_FORMATTING) {
                    *self.swallow.borrow_mut().entry(name.clone()).or_default() += 1;
                    return false;
                }
                if formatting {
                    self.formatting.borrow_mut().push(Some(name.clone()));
                } else if is_marker(name) {
                    if matches!(&**name, "td" | "th") {
                        self.clear_to_marker();
                    }
                    self.formatting.borrow_mut().push(None);
                }
                true
            }
            TagKind::EndTag => {
                if let Some(n) = self.swallow.borrow_mut().get_mut(name)
                    && *n > 0
                {
                    *n -= 1;
                    return false;
                }
                if is_formatting(name) {
                    let mut list = self.formatting.borrow_mut();
                    let found = list
                        .iter()
                        .rev()
                        .take_while(|e| e.is_some())
                        .position(|e| e.as_ref() == Some(name));
                    if let Some(back) = found {
                        let at = list.len() - 1 - back;
                        list.remove(at);
                    }
                } else if clears_to_marker(name) {
                    self.clear_to_marker();
                }
                true
            }
        }
    }

    /// Past the budget: text goes straight into the document, tags only separate words.
    fn plain_token(&self, token: Token) -> TokenSinkResult<NodeId> {
        let sink = &self.builder.sink;
        let document = sink.get_document();
        match token {
            Token::CharacterTokens(text) if self.skipping.borrow().is_none() => {
                sink.inner.append(&document, NodeOrText::AppendText(text));
            }
            Token::TagToken(tag) => {
                let mut skipping = self.skipping.borrow_mut();
                match tag.kind {
                    TagKind::EndTag if skipping.as_ref() == Some(&tag.name) => *skipping = None,
                    _ if skipping.is_some() => {}
                    TagKind::StartTag => {
                        if let Some(kind) = raw_text(&tag.name) {
                            *skipping = Some(tag.name.clone());
                            return TokenSinkResult::RawData(kind);
                        }
                    }
                    TagKind::EndTag => {}
                }
                if skipping.is_none() && (is_block(&tag.name) || &*tag.name == "br") {
                    sink.inner.append(
                        &document,
                        NodeOrText::AppendText(StrTendril::from_slice("\n")),
                    );
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl TokenSink for Filter {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<NodeId> {
        if self.plain.get() {
            return self.plain_token(token);
        }
        let ends_raw =
            self.raw.get() && matches!(&token, Token::TagToken(t) if t.kind == TagKind::EndTag);
        if let Token::TagToken(tag) = &token
            && !ends_raw
            && !self.admit(tag)
        {
            return TokenSinkResult::Continue;
        }
        if ends_raw {
            self.raw.set(false);
        }
        let raw_start = match &token {
            Token::TagToken(tag)
                if tag.kind == TagKind::StartTag && raw_text(&tag.name).is_some() =>
            {
                Some(tag.name.clone())
            }
            _ => None,
        };
        let result = self.builder.process_token(token, line_number);
        if matches!(result, TokenSinkResult::RawData(_)) {
            self.raw.set(true);
        }
        if self.builder.sink.elements.get() > self.budget {
            self.plain.set(true);
            // The tokenizer may already read a `<script>` raw: skip it up to its end tag.
            if matches!(result, TokenSinkResult::RawData(_)) {
                *self.skipping.borrow_mut() = raw_start;
            }
        }
        result
    }

    fn end(&self) {
        self.builder.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        !self.plain.get()
            && self
                .builder
                .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ego_tree::iter::Edge;
    use scraper::Node;

    /// The deepest element of a tree, and all its text in order.
    fn shape(html: &Html) -> (u32, usize, String) {
        let (mut depth, mut deepest, mut elements) = (0u32, 0u32, 0usize);
        let mut text = String::new();
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Element(_) => {
                        depth += 1;
                        elements += 1;
                        deepest = deepest.max(depth);
                    }
                    Node::Text(t) => text.push_str(t),
                    _ => {}
                },
                Edge::Close(node) => {
                    if node.value().is_element() {
                        depth -= 1;
                    }
                }
            }
        }
        (deepest, elements, text)
    }

    #[test]
    fn ordinary_markup_parses_as_html5ever_parses_it() {
        for raw in [
            include_str!("../../assets/bench/article.html"),
            "<p>a<div>b</div>c</p><ul><li>one<li>two</ul><table><tr><td>x<td>y</table>",
            "<p><b>bold<p>still bold</b> plain<i>it<p>alic</i></p><a href=x>1<a href=y>2</a>",
            "<table>stray<tr><td><b>c</td></tr></table><svg><path/></svg><script>1<2</script>",
        ] {
            assert_eq!(parse_fragment(raw).html(), Html::parse_fragment(raw).html());
        }
    }

    #[test]
    fn raw_text_stays_raw_at_any_depth_and_its_end_tag_is_never_dropped() {
        // Found by the render fuzzer (minimised): a `<script>` dropped deep down, then one kept
        // once the nesting fell back, whose end tag the filter dropped as the first one's; the
        // tree builder stayed in its text mode and html5ever panicked ("impossible case in
        // Text mode") at the next start tag.
        let found = "\n<u><l><d><v><u><l><d><u><l><d><v><u><l><v><p><m><g><v><l><l><d><v><s=><m><v><v><u><l><d><v><s\"><m><g><v><u><l><d><v><l><m><s\"><v><v><l><v><v><l><d><u><v><u><l><v><l><l><d><v><l><l><d><v><u\"><l><g><v><u\"><m><v><v><u><l><v><u><l><d><v><s\"><m><g><v><u><l><d><v><u><l><n><v><u><l><i\"><v><v><m><r><g><v><v><m><g><v><l><m><g><v><u><l><g><v><l><l><d><v><u\"><m><r><a><v><u><m><h><d><d><l><i\"><d><d><script></a>\n<script></script><d>";
        // (The fuzzer's first byte is the width it renders at.)
        for kind in [crate::model::BodyKind::Html, crate::model::BodyKind::Text] {
            let doc = crate::content::parse(&found[1..], kind, Some("https://example.com/a/"));
            let out = crate::content::render_document(&doc, 11);
            assert!(out.lines().all(|l| l.chars().count() <= 11), "{out:?}");
        }
        let (_, _, text) = shape(&parse_fragment(&found[1..]));
        assert!(text.contains('\n'), "{text:?}");
        let deep = "<u>".repeat(MAX_DEPTH as usize + 10);
        let raw = format!("{deep}<script>one</a><b>x<script>two</script><p>after</p>");
        let html = parse_fragment(&raw);
        let (_, _, text) = shape(&html);
        assert!(text.ends_with("after"), "{text:?}");
        // The deep script is a script: its code is one text, never read as markup.
        let scripts: Vec<String> = html
            .select(&scraper::Selector::parse("script").unwrap())
            .map(|s| s.text().collect())
            .collect();
        assert_eq!(scripts, ["one</a><b>x<script>two"]);
    }

    #[test]
    fn deep_nesting_is_flattened_and_its_text_kept() {
        let raw = "<div>x".repeat(100_000) + &"</div>y".repeat(100_000);
        let (deepest, _, text) = shape(&parse_fragment(&raw));
        assert!(deepest <= MAX_DEPTH + 1, "depth {deepest}");
        assert_eq!(text, "x".repeat(100_000) + &"y".repeat(100_000));
    }

    #[test]
    fn a_run_of_unclosed_formatting_elements_is_flattened() {
        let tags = [
            "b", "i", "u", "s", "em", "strong", "small", "big", "tt", "code",
        ];
        let raw: String = (0..100_000)
            .map(|n| format!("<{} title={n}>w", tags[n % tags.len()]))
            .collect();
        let (deepest, _, text) = shape(&parse_fragment(&raw));
        assert!(deepest <= MAX_FORMATTING as u32 + 2, "depth {deepest}");
        assert_eq!(text, "w".repeat(100_000));
    }

    #[test]
    fn reopened_formatting_cannot_multiply_elements() {
        // Each paragraph re-opens every formatting element left open before it.
        let open: String = (0..MAX_FORMATTING)
            .map(|n| format!("<font size={n}>"))
            .collect();
        let raw = format!("<p>{open}{}", "</p><p>x".repeat(200_000));
        let html = parse_fragment(&raw);
        let (deepest, elements, text) = shape(&html);
        assert!(elements <= element_budget(raw.len()) + MAX_FORMATTING + 2);
        assert!(deepest <= MAX_DEPTH + 1);
        assert_eq!(text.matches('x').count(), 200_000);
    }

    #[test]
    fn past_the_budget_script_text_stays_out() {
        let open: String = (0..MAX_FORMATTING)
            .map(|n| format!("<font size={n}>"))
            .collect();
        let raw = format!(
            "<p>{open}{}<script>var hidden = 1;</script><style>p {{}}</style>end",
            "</p><p>x".repeat(20_000)
        );
        let (_, _, text) = shape(&parse_fragment(&raw));
        assert!(text.ends_with("end") && !text.contains("hidden") && !text.contains("p {"));
    }
}
