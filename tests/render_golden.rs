//! Golden tests of the article renderer: each construct at a narrow (30) and a wide (80) width.
//! Snapshots live in tests/snapshots/; each one was reviewed by eye.

use tidings::content::{
    self, Document, LayoutOptions, Line, Style, header_lines, layout, to_plain_text,
};
use tidings::model::BodyKind;

const BASE: Option<&str> = Some("https://example.com/blog/post.html");

/// Renders an HTML body at a width, checking on the way that no line is wider.
fn html(raw: &str, width: usize) -> String {
    let doc = content::parse(raw, BodyKind::Html, BASE);
    checked(&doc, &[], &LayoutOptions::new(width))
}

fn checked(doc: &Document, hidden: &[bool], opts: &LayoutOptions) -> String {
    let lines = layout(doc, hidden, opts);
    for line in &lines {
        assert!(
            line.width() <= opts.width,
            "line wider than {}: {:?}",
            opts.width,
            line.plain()
        );
    }
    to_plain_text(&lines)
}

/// Both widths in one snapshot, so a reviewer sees them side by side.
fn both(raw: &str) -> String {
    format!(
        "--- width 30 ---\n{}\n--- width 80 ---\n{}",
        html(raw, 30),
        html(raw, 80)
    )
}

/// Lines with their styles spelled out, for the tests about styling.
fn styled(lines: &[Line]) -> String {
    let flag = |s: &Style| {
        let mut f = String::new();
        for (on, c) in [
            (s.bold, 'b'),
            (s.italic, 'i'),
            (s.code, 'c'),
            (s.dim, 'd'),
            (s.link, 'l'),
            (s.heading, 'h'),
            (s.quote, 'q'),
            (s.folded, 'f'),
        ] {
            if on {
                f.push(c);
            }
        }
        f
    };
    lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| format!("<{}>{}", flag(&s.style), s.text))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn headings_and_paragraphs() {
    insta::assert_snapshot!(both(
        "<h1>The main title of this article</h1>\n<p>First   paragraph,\n with \
         <b>bold</b>, <i>italic</i> and <code>code</code>; entities: &amp; &lt;tag&gt; \
         &eacute;&#233;&#x00E9; &hellip; &mdash; &nbsp;done.</p><h2>Second</h2><p>Line one<br>line \
         two<br/><br>after an empty line.</p><h6>small</h6>"
    ));
}

#[test]
fn inline_styles_are_flagged() {
    let doc = content::parse(
        "<h2>Head</h2><p>plain <strong>bold <em>both</em></strong> <a href=\"/x\">link</a> \
         <code>x()</code></p>",
        BodyKind::Html,
        BASE,
    );
    insta::assert_snapshot!(styled(&layout(&doc, &[], &LayoutOptions::new(40))));
}

#[test]
fn links_are_numbered_and_listed() {
    insta::assert_snapshot!(both(
        "<p>See <a href=\"/about\">the about page</a>, <a href=\"https://other.example.org/a?b=c\">\
         another site</a>, <a href=\"mailto:me@example.com\">mail me</a>, \
         <a href=\"javascript:alert(1)\">a script</a>, <a href=\"data:text/html,x\">data</a>, \
         <a href=\"/about\">the about page again</a> and <a href=\"#top\">the top</a>.</p>\
         <p>A very long address: <a href=\"https://example.com/a/very/long/path/that/does/not/fit/in/thirty/columns/at/all.html\">\
         https://example.com/a/very/long/path/that/does/not/fit/in/thirty/columns/at/all.html</a></p>"
    ));
}

#[test]
fn images() {
    insta::assert_snapshot!(both(
        "<p><img src=\"img/cat.jpg\" alt=\"A cat\nasleep\"></p><p>Inline <img src=\"smile.png\" \
         alt=\"smile\"> image, and <a href=\"/big\"><img src=\"/thumb.png\" alt=\"thumb\"></a>.</p>\
         <img src=\"data:image/png;base64,AAAA\" alt=\"embedded\"><img src=\"/noalt.png\">"
    ));
}

#[test]
fn lists_nested_numbered_and_bulleted() {
    insta::assert_snapshot!(both(
        "<ul><li>First item, long enough to wrap at thirty columns</li><li>Second\
         <ul><li>Nested one</li><li>Nested two<ol><li>deep</li></ol></li></ul></li>\
         <li><p>Third, paragraph one.</p><p>Third, paragraph two.</p></li></ul>\
         <ol start=\"9\"><li>nine</li><li>ten, which also wraps when the width is small</li>\
         <li value=\"42\">forty-two</li></ol>"
    ));
}

#[test]
fn block_quotes() {
    insta::assert_snapshot!(both(
        "<p>Before.</p><blockquote><p>Quoted paragraph that is long enough to wrap.</p>\
         <p>Second quoted.</p><blockquote>Nested quote.</blockquote><ul><li>quoted item</li></ul>\
         </blockquote><p>After.</p>"
    ));
}

#[test]
fn pre_blocks_are_not_rewrapped() {
    insta::assert_snapshot!(both(
        "<p>Code:</p><pre><code>fn main() {\n\tlet words = vec![\"a\", \"b\"];   // keep   spacing\n    \
         println!(\"{}\", words.join(\" and a long tail so the line is wider than eighty columns\"));\n}\
         </code></pre><p>After the code.</p>"
    ));
}

#[test]
fn tables_as_columns_or_rows() {
    insta::assert_snapshot!(both(
        "<table><caption>Fruit prices</caption><thead><tr><th>Fruit</th><th>Price</th></tr></thead>\
         <tbody><tr><td>Apple</td><td>1.20</td></tr><tr><td>Kiwi <b>(new)</b></td><td>0.80</td></tr>\
         </tbody></table><table><tr><td>A cell with a great deal of text in it</td>\
         <td>and another cell that is quite long as well</td></tr><tr><td>short</td><td>row</td></tr>\
         </table>"
    ));
}

#[test]
fn figures_captions_and_rules() {
    insta::assert_snapshot!(both(
        "<p>Above.</p><hr><figure><img src=\"/chart.png\" alt=\"Sales chart\"><figcaption>Figure 1: \
         sales by quarter, which rose</figcaption></figure><hr/><p>Below.</p>"
    ));
}

#[test]
fn dropped_elements_leave_nothing() {
    insta::assert_snapshot!(both(
        "<p>Kept.</p><script>alert('no')</script><style>p{color:red}</style>\
         <iframe src=\"https://evil.example/\">frame text</iframe><form><input value=\"in\">\
         <button>Click</button><select><option>opt</option></select>form text</form>\
         <noscript>no script</noscript><svg><text>svg text</text></svg><template>tpl</template>\
         <object>obj</object><embed src=\"x\"><!-- a comment --><p>Also kept.</p>"
    ));
}

#[test]
fn wide_characters_wrap_by_display_width() {
    insta::assert_snapshot!(both(
        "<p>日本語のテキストは二桁の幅で表示されます。これは長い文です。</p>\
         <p>Emoji 👩‍💻 and 🎉🎉🎉 and flags 🇫🇷 with combining cafe\u{301} and na\u{308}ive words.</p>"
    ));
}

#[test]
fn plain_text_bodies() {
    let runs = "First paragraph\nwraps here.\n\nSecond paragraph.\n- item one\n- item two\n\n\
                1. numbered\n2. next";
    let lines = "One line.\nAnother line.\n* a star item";
    let out = format!(
        "--- runs, 30 ---\n{}\n--- lines, 30 ---\n{}\n--- runs, 80 ---\n{}",
        content::render_text(runs, BodyKind::Text, None, 30),
        content::render_text(lines, BodyKind::Text, None, 30),
        content::render_text(runs, BodyKind::Text, None, 80),
    );
    insta::assert_snapshot!(out);
}

#[test]
fn hidden_blocks_fold_into_one_notice() {
    let doc = content::parse(
        "<p>one</p><p>two</p><p>three</p><p>four</p><p>five</p>",
        BodyKind::Html,
        None,
    );
    let hidden = [false, true, true, false, true];
    let folded = checked(&doc, &hidden, &LayoutOptions::new(30));
    let raw = layout(
        &doc,
        &hidden,
        &LayoutOptions {
            raw: true,
            ..LayoutOptions::new(30)
        },
    );
    insta::assert_snapshot!(format!("{folded}\n--- raw ---\n{}", styled(&raw)));
}

#[test]
fn reading_column_is_centred() {
    let doc = content::parse(
        "<p>A paragraph in a reading column of twenty columns, centred in forty.</p>\
         <p><a href=\"https://example.com/\">link</a></p>",
        BodyKind::Html,
        None,
    );
    let opts = LayoutOptions {
        max_width: Some(20),
        center: true,
        ..LayoutOptions::new(40)
    };
    let header = header_lines(
        "A title\twith a tab and \u{1b}[31mescapes\u{1b}[0m",
        "Feed name",
        Some("Ann Author"),
        Some("2026-11-30"),
        Some("https://example.com/post"),
        &opts,
    );
    let mut out = to_plain_text(&header);
    out.push_str("\n\n");
    out.push_str(&checked(&doc, &[], &opts));
    insta::assert_snapshot!(out);
}

#[test]
fn relative_urls_resolve_against_the_base() {
    let doc = content::parse(
        "<a href=\"../up\">up</a> <a href=\"same\">same</a> <a href=\"//cdn.example.net/x\">cdn</a> \
         <img src=\"/root.png\" alt=\"r\">",
        BodyKind::Html,
        Some("https://example.com/a/b/c.html"),
    );
    assert_eq!(
        doc.links.iter().map(|l| l.url.as_str()).collect::<Vec<_>>(),
        vec![
            "https://example.com/a/up",
            "https://example.com/a/b/same",
            "https://cdn.example.net/x",
            "https://example.com/root.png",
        ]
    );
    let no_base = content::parse("<a href=\"/rel\">rel</a>", BodyKind::Html, None);
    assert!(no_base.links.is_empty());
    assert_eq!(
        to_plain_text(&layout(&no_base, &[], &LayoutOptions::new(20))),
        "rel"
    );
}

#[test]
fn relayout_needs_no_parse_and_text_is_stable() {
    let doc = content::parse(
        "<p>Words that wrap differently at different widths.</p>",
        BodyKind::Html,
        None,
    );
    let narrow = checked(&doc, &[], &LayoutOptions::new(12));
    let wide = checked(&doc, &[], &LayoutOptions::new(60));
    assert_eq!(
        narrow.split_whitespace().collect::<Vec<_>>(),
        wide.split_whitespace().collect::<Vec<_>>()
    );
    assert!(narrow.lines().count() > wide.lines().count());
    assert_eq!(
        doc.blocks[0].text(),
        "Words that wrap differently at different widths."
    );
}

#[test]
fn a_link_around_blocks_numbers_the_last_one() {
    let out = html(
        "<a href=\"/story\"><h2>Linked heading</h2><p>and its teaser</p></a><p>Next.</p>",
        40,
    );
    assert_eq!(
        out,
        "Linked heading\n\nand its teaser [1]\n\nNext.\n\n[1]: https://example.com/story"
    );
}
