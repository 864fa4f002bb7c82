//! Extraction and the renderer share one parse of the page: the blocks an extraction builds in
//! its own walk of the page (`Article::doc`) are exactly those the renderer gets by parsing the
//! article's clean HTML again, on every page of the extraction's golden tests and on pages built
//! to reach the writer's corners (text split over unwrapped elements, an escape sequence split
//! so, carriage returns in
//! preformatted text, relative, lazy and dropped links and images, tables, lists, figures, a
//! title repeated as the first heading).

use tidings::content::Document;
use tidings::content::extract::{Article, decode_page, extract};
use tidings::content::html::parse_html;
use url::Url;

fn base() -> Url {
    Url::parse("https://news.example/2026/03/bridge.html").unwrap()
}

/// The article of `html`, after checking that its walk's blocks equal its HTML parsed again.
fn same_blocks(name: &str, html: &str, base: Option<&Url>, selector: Option<&str>) -> Article {
    let a = extract(html, base, selector).unwrap_or_else(|e| panic!("{name}: {e}"));
    let parsed: Document = parse_html(&a.html, base.map(Url::as_str));
    assert!(!parsed.blocks.is_empty(), "{name}: no blocks");
    assert_eq!(
        a.doc, parsed,
        "{name}: the walk's blocks differ from the HTML's"
    );
    a
}

#[test]
fn every_golden_fixture_gives_the_blocks_its_html_parses_to() {
    let dir = format!("{}/tests/fixtures/extract", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let page = decode_page(&std::fs::read(&path).unwrap(), None);
        match extract(&page, Some(&base()), None) {
            // The page of navigation has no article: nothing to compare.
            Err(_) if name == "allnav.html" => {}
            Err(e) => panic!("{name}: {e}"),
            Ok(_) => {
                same_blocks(&name, &page, Some(&base()), None);
                same_blocks(&name, &page, None, None);
                seen += 1;
            }
        }
    }
    assert!(seen >= 4, "only {seen} fixtures compared");
    // The selector's path writes other elements (a comments section).
    let page = decode_page(
        &std::fs::read(format!("{dir}/semantic.html")).unwrap(),
        None,
    );
    same_blocks(
        "semantic.html",
        &page,
        Some(&base()),
        Some("section.comments"),
    );
}

#[test]
fn the_writers_corners_give_the_blocks_their_html_parses_to() {
    let pages = [
        (
            "split text and inline wrappers",
            "<html><head><title>Quay works</title></head><body><article><h1>Quay works</h1>\
             <p>Part <span>one</span><span> and </span>two, <font>fonts</font> &amp; \
             <abbr>abbr</abbr> &lt;tags&gt; with <b>bold <i>italic</i></b> and <code>code</code>, \
             <kbd>kbd</kbd>, <sub>sub</sub> and <q>quotes</q> in a paragraph long enough.</p>\
             <p>Second paragraph<br>after a break<br><br>and <wbr>more words here to count.</p>\
             </article></body></html>",
        ),
        (
            "an escape sequence split over two elements",
            "<html><body><article><p>Breaking \u{1b}<span>[2J</span> news, \u{1b}]0;<b>owned</b>\u{7} \
             told in a paragraph long enough to be the article.</p></article></body></html>",
        ),
        (
            "links and images",
            "<html><body><article><p>See <a href='/rel/page'>a relative link</a>, \
             <a href='javascript:alert(1)'>a script</a>, <a>no href</a>, \
             <a href='mailto:ed@news.example'>mail</a> and <a href='/rel/page'>the same again</a>, \
             all in one paragraph of some length.</p>\
             <figure><img data-src='/img/lazy.jpg' src='data:,x' alt='A \"lazy\" image'>\
             <figcaption>The caption, <a href='https://other.example/'>linked</a>.</figcaption></figure>\
             <p><img src='/img/inline.png'> an image inline, then text, quite a lot of it.</p>\
             <a href='/linked/heading'><h2>A linked heading</h2></a>\
             <p>Text after it, long enough to be a paragraph of the article.</p></article></body></html>",
        ),
        (
            "preformatted text with carriage returns and tabs",
            "<html><body><article><p>Code follows, explained at some length in this paragraph.</p>\
             <pre>\n\nfn main() {&#13;\n\tprintln!(\"hi\");&#13;}<br>  <b>bold</b>\n</pre>\
             <p>And after the code, another paragraph of explanation.</p></article></body></html>",
        ),
        (
            "lists, quotes, tables, rules",
            "<html><body><article><p>The list and the table below, with words enough.</p>\
             <ol start=4><li>four<ul><li>nested</li></ul></li><li value=9>nine</li></ol>\
             <blockquote><p>A quote</p><blockquote>in a quote</blockquote></blockquote><hr>\
             <table><caption>Tides</caption><thead><tr><th>day</th><th>high</th></tr></thead>\
             <tbody><tr><td>Mon<br>day</td><td><p>06:12</p></td></tr>\
             <tr><td><table><tr><td>in</td><td>ner</td></tr></table></td></tr></tbody></table>\
             <dl><dt>term</dt><dd>its definition</dd></dl>\
             <section><div><span>text in unwrapped boxes</span></div></section></article></body></html>",
        ),
    ];
    for (name, html) in pages {
        same_blocks(name, html, Some(&base()), None);
    }
    // The repeated title is left out of both.
    let a = same_blocks("split text and inline wrappers", pages[0].1, None, None);
    assert!(!a.doc.blocks.iter().any(|b| b.text() == "Quay works"));
}

#[test]
fn a_page_without_markup_of_its_own_gives_the_same_blocks() {
    // Text straight in <body>, a quirks-mode table inside a paragraph, and entities.
    let html = "<p>Before the table, an opening paragraph with words.<table><tr><td>cell</td></tr>\
                </table>after it &eacute;t&eacute; &#x1F600; and &nbsp; spaces.</p>";
    same_blocks("no doctype", html, Some(&base()), None);
}
