//! The quick path against the tree it stands in for: edge for edge, attributes included.

use proptest::prelude::*;

use super::super::bounded::parse_fragment;
use super::super::edges::{Edges, Tag};
use super::super::html::{parse_html, parse_html_full, walk_tree};
use super::scan;

#[derive(Debug, Clone, PartialEq)]
enum Ev {
    Open(String, Vec<(String, String)>),
    Text(String),
    Close(String),
}

#[derive(Default)]
struct Record(Vec<Ev>);

impl Edges for Record {
    fn open(&mut self, el: &impl Tag) {
        self.0.push(Ev::Open(el.name().to_string(), el.attr_list()));
    }

    fn text(&mut self, text: &str) {
        self.0.push(Ev::Text(text.to_string()));
    }

    fn close(&mut self, name: &str) {
        self.0.push(Ev::Close(name.to_string()));
    }
}

fn tree_edges(raw: &str) -> Vec<Ev> {
    let mut r = Record::default();
    walk_tree(&parse_fragment(raw), &mut r);
    r.0
}

/// The quick path's edges, or `None` when it gives up.
fn quick_edges(raw: &str) -> Option<Vec<Ev>> {
    let mut r = Record::default();
    scan(raw, &mut r).then_some(r.0)
}

/// Checks that the quick path either gives up or gives the tree's edges; returns whether it
/// took the body.
fn agrees(raw: &str) -> bool {
    match quick_edges(raw) {
        Some(quick) => {
            assert_eq!(quick, tree_edges(raw), "edges of {raw:?}");
            true
        }
        None => false,
    }
}

/// Bodies as the feeds of the bench corpus and ordinary blogs write them.
const ORDINARY: &[&str] = &[
    "<p>94226 response library don&#8217;t trait &copy; 2026 <a href=\"https://x.example/ref/6\">41584 closure</a> 50&nbsp;km &euro;12.</p>\n<p><em>Gateway</em> <strong>Airport</strong></p>",
    "<ul>\n<li>one</li>\n<li>two &amp; three</li>\n</ul>\n<blockquote><p>quoted</p></blockquote>\n<p><img src=\"/a.png\" alt=\"A &quot;b&quot;\"> &lt;code&gt;</p>",
    "<h2>Title</h2><p>Text<br>more<br/>and <code>x &lt; y</code></p><hr><pre>\nfn main() {}\n</pre>",
    "<div class=\"post\"><p>One</p><p>Two<p>Three</div><!-- end -->",
    "<ol><li>a<li>b</ol><dl><dt>t<dd>d<dt>u</dl>",
    "plain text with a < sign and & ampersand",
    "<P CLASS=Lead>Upper case <A HREF='/x?a=1&amp;b=2'>link</A></P>",
    "<figure><img src=x.jpg><figcaption>Caption</figcaption></figure>",
    "<p>a\r\nb\rc</p>",
    "<p>unclosed <b>bold",
];

#[test]
fn ordinary_bodies_take_the_quick_path_with_the_trees_edges() {
    for raw in ORDINARY {
        assert!(agrees(raw), "gave up on {raw:?}");
    }
}

#[test]
fn the_fragment_is_wrapped_in_its_html_element() {
    let edges = quick_edges("x").unwrap();
    assert_eq!(
        edges,
        vec![
            Ev::Open("html".into(), vec![]),
            Ev::Text("x".into()),
            Ev::Close("html".into())
        ]
    );
}

/// What the tree builder or the tokenizer reshapes: left to them.
const RESHAPED: &[&str] = &[
    "<table><tr><td>x</td></tr></table>",
    "<b><i>x</b></i>",
    "<a href=1>one <a href=2>two</a></a>",
    "<p><b>x<div>y</div></b></p>",
    "<script>alert(1)</script>",
    "<p>x</span></p>",
    "a &amp b",
    "&notit;",
    "&#0;",
    "&#128;",
    "&#65",
    "<!DOCTYPE html><p>x</p>",
    "<![CDATA[x]]>",
    "<?php x ?>",
    "<p class=a class=b>x</p>",
    "<form><input></form>",
    "<svg><circle/></svg>",
    "<x-widget>y</x-widget>",
    "<p>x\0y</p>",
    "<h1>a<h2>b</h2></h1>",
    "<li><p>a<li>b",
    "<!-- a -- b -->",
    "<!-->",
    "</p>",
    "<br></br>",
    "<p a=\"x\"b=\"y\">",
];

#[test]
fn reshaped_markup_is_left_to_the_full_parse() {
    for raw in RESHAPED {
        assert!(quick_edges(raw).is_none(), "took {raw:?}");
        assert_eq!(parse_html(raw, None), parse_html_full(raw, None), "{raw:?}");
    }
}

#[test]
fn nesting_near_the_bounded_parse_limits_is_left_to_it() {
    let deep = "<div>".repeat(200) + "x";
    assert!(quick_edges(&deep).is_none());
    let bold = "<b>".repeat(20) + "x";
    assert!(quick_edges(&bold).is_none());
    let shallow = "<div>".repeat(50) + "x";
    assert!(agrees(&shallow));
}

/// Pieces of tag soup: markup the quick path takes, markup it must give up on, and text.
fn piece() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "a",
        "b",
        "i",
        "em",
        "strong",
        "code",
        "span",
        "font",
        "s",
        "u",
        "sub",
        "q",
        "p",
        "div",
        "ul",
        "ol",
        "li",
        "dl",
        "dd",
        "dt",
        "h1",
        "h2",
        "pre",
        "blockquote",
        "section",
        "br",
        "img",
        "hr",
        "wbr",
        "table",
        "td",
        "tr",
        "script",
        "style",
        "form",
        "nobr",
        "svg",
        "button",
        "select",
        "title",
        "textarea",
        "x-y",
        "P",
        "DIV",
        "Em",
        "body",
        "html",
    ]);
    let attrs = prop::sample::select(vec![
        "",
        " href=\"/x\"",
        " href='/y?a=1&amp;b=2'",
        " href=/z?a=1&b=2",
        " class=c",
        " title=\"a&copyb\"",
        " title=\"a&copy=b\"",
        " title=\"&copy; &#65; &#x3B1; &notin; &foo; &\"",
        " alt=\"\"",
        " HREF=\"Q\"",
        " data-x",
        " id=a id=b",
        " src=x.png/",
        " a=\"1\"b=\"2\"",
        " =x",
        " a=`b`",
        "/",
        " /",
    ]);
    let text = prop::sample::select(vec![
        "hello",
        " ",
        "\n",
        "\n\n",
        "a < b",
        "<3",
        "&amp;",
        "&amp",
        "&ampx;",
        "&notin;",
        "&notit;",
        "&#65;",
        "&#x3b1;",
        "&#0;",
        "&#128;",
        "&#;",
        "&",
        "&foo;",
        "&;",
        "\r\n",
        "\r",
        "é",
        "\u{feff}",
        "\t",
        "x\u{0}y",
        "&#10;",
        "&#x1F600;",
        "&#xFFFE;",
        "&#55296;",
    ]);
    let other = prop::sample::select(vec![
        "<!-- c -->",
        "<!---->",
        "<!-->",
        "<!--->",
        "<!-- a -- b -->",
        "<!-- <!-- x -->",
        "<!DOCTYPE html>",
        "<![CDATA[x]]>",
        "<?php ?>",
        "</>",
        "</ p>",
        "</p >",
        "</3>",
        "<",
        "</",
        "<p",
        "<a href=\"x",
    ]);
    prop_oneof![
        4 => (names.clone(), attrs).prop_map(|(n, a)| format!("<{n}{a}>")),
        4 => names.prop_map(|n| format!("</{n}>")),
        4 => text.prop_map(str::to_string),
        1 => other.prop_map(str::to_string),
    ]
}

/// Well-nested bodies of the elements the quick path takes, which it mostly does.
fn nested(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop::sample::select(vec![
        "word",
        " ",
        "\n",
        "a &amp; b",
        "&#8217;",
        "&copy;",
        "<br>",
        "<img src=x alt=y>",
        "<wbr>",
        "x &lt; y",
        "<!-- c -->",
    ])
    .prop_map(str::to_string);
    if depth == 0 {
        return leaf.boxed();
    }
    let names = prop::sample::select(vec![
        "p",
        "div",
        "ul",
        "li",
        "ol",
        "em",
        "strong",
        "a",
        "code",
        "span",
        "blockquote",
        "h2",
        "pre",
        "dl",
        "dt",
        "dd",
        "b",
        "i",
        "section",
        "figure",
        "figcaption",
    ]);
    prop_oneof![
        2 => leaf,
        3 => (names, prop::collection::vec(nested(depth - 1), 0..4), any::<bool>()).prop_map(
            |(n, kids, close)| {
                let attrs = if n == "a" { " href=\"/l?a=1&amp;b=2\"" } else { "" };
                let end = if close { format!("</{n}>") } else { String::new() };
                format!("<{n}{attrs}>{}{end}", kids.concat())
            }
        ),
    ]
    .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn tag_soup_is_taken_exactly_or_left(pieces in prop::collection::vec(piece(), 0..24)) {
        let raw = pieces.concat();
        agrees(&raw);
        if quick_edges(&raw).is_some() {
            prop_assert_eq!(parse_html(&raw, None), parse_html_full(&raw, None));
        }
    }

    #[test]
    fn nested_markup_is_taken_exactly_or_left(kids in prop::collection::vec(nested(4), 1..6)) {
        agrees(&kids.concat());
    }
}

/// The generators reach the quick path often enough to test it (neither generator only makes
/// bodies it gives up on).
#[test]
fn the_generators_reach_the_quick_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut soup, mut nest) = (0, 0);
    for _ in 0..500 {
        let raw = prop::collection::vec(piece(), 0..24)
            .new_tree(&mut runner)
            .unwrap()
            .current()
            .concat();
        soup += usize::from(agrees(&raw));
        let raw = prop::collection::vec(nested(4), 1..6)
            .new_tree(&mut runner)
            .unwrap()
            .current()
            .concat();
        nest += usize::from(agrees(&raw));
    }
    assert!(soup >= 25, "tag soup taken {soup} times in 500");
    assert!(nest >= 150, "nested markup taken {nest} times in 500");
}

#[test]
fn a_body_with_more_tags_than_the_element_budget_is_left_to_the_full_parse() {
    let raw = "<p>x</p>".repeat(60_000);
    assert!(quick_edges(&raw).is_none());
    let mut fewer = "<p>x</p>".repeat(2_000);
    fewer.push_str(&"word ".repeat(40_000));
    assert!(agrees(&fewer));
}

/// The quick path's kinds agree with the bounded parse's own lists, so neither drifts alone.
#[test]
fn the_kinds_agree_with_the_bounded_parse() {
    use super::super::bounded::{is_formatting, is_void};
    use super::super::elements::is_dropped;
    use super::{Kind, element};
    let names = [
        "a", "b", "big", "code", "em", "font", "i", "s", "small", "strike", "strong", "tt", "u",
        "nobr", "span", "p", "div", "li", "dd", "dt", "pre", "h1", "h6", "br", "img", "wbr", "hr",
        "table", "script", "source", "video", "iframe", "svg", "input", "x",
    ];
    for name in names {
        let Some((static_name, kind)) = element(name.as_bytes()) else {
            continue;
        };
        assert_eq!(static_name, name);
        assert_eq!(kind == Kind::Formatting, is_formatting(name), "{name}");
        assert_eq!(
            matches!(kind, Kind::Void | Kind::Rule),
            is_void(name),
            "{name}"
        );
        assert!(!is_dropped(name), "{name}");
    }
    assert!(element(b"nobr").is_none() && element(b"table").is_none());
}
