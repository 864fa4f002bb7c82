//! Golden tests for article extraction, on pages written by the project: site chrome of several
//! shapes (semantic HTML5, class-named div soup, a table layout with text in bare divs), a page
//! that is all navigation, input that is not HTML, a charset named only in a `<meta>`, a 20 MB
//! page, and a CSS selector that overrides the heuristics.

use tidings::content::extract::{ExtractError, decode_page, extract};
use url::Url;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/extract/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn page(name: &str) -> String {
    decode_page(&fixture(name), None)
}

fn base() -> Url {
    Url::parse("https://news.example/2026/03/bridge.html").unwrap()
}

#[test]
fn semantic_page_keeps_the_article_blocks_and_drops_the_chrome() {
    let a = extract(&page("semantic.html"), Some(&base()), None).unwrap();
    let want = "The harbour bridge reopened to traffic on Saturday morning, six weeks after engineers closed it to replace corroded cables, and the first buses crossed shortly after dawn.\n\n\
Crews worked in shifts through the night, the council said, so that the deck could be inspected, resurfaced and painted before the spring tides arrived.\n\n\
What changed\n\n\
Forty-two steel cables, each one replaced and tensioned again\n\n\
A wider footpath on the seaward side, with new railings\n\n\
We are relieved, and a little tired, but the bridge is sound for another fifty years.\n\n\
Traders on both banks said the closure had cost them customers, although most expected business to recover before the summer season begins.\n\n\
weight limit: 18 t\nspeed limit:  30 km/h";
    assert_eq!(a.text, want);
    assert_eq!(a.words, want.split_whitespace().count());
    assert_eq!(
        a.title.as_deref(),
        Some("Harbour bridge reopens after repairs")
    );
    assert_eq!(a.author.as_deref(), Some("Mara Quint"));
    assert_eq!(
        a.published.map(|d| d.to_rfc3339()),
        Some("2026-03-14T08:30:00+00:00".to_string())
    );
    assert_eq!(
        a.lead_image.as_deref(),
        Some("https://news.example/images/bridge.jpg")
    );
    // The blocks survive as HTML the renderer takes: heading, list, quote, figure, code.
    for tag in [
        "<h2>",
        "<ul>",
        "<li>",
        "<blockquote>",
        "<figure>",
        "<figcaption>",
        "<pre>",
    ] {
        assert!(a.html.contains(tag), "{tag} missing from {}", a.html);
    }
    assert!(
        a.html
            .contains("<img src=\"https://news.example/images/deck.jpg\" alt=\"The new deck\">")
    );
    // A caption is shown with its figure, and is not part of the article's prose.
    assert!(
        a.html
            .contains("<figcaption>The resurfaced deck, seen from the east bank.</figcaption>")
    );
    assert!(!a.text.contains("resurfaced deck, seen"));
    for chrome in [
        "cookies",
        "Share on",
        "Sign up",
        "Related",
        "comments",
        "Copyright",
        "Sport",
        "script",
    ] {
        assert!(!a.html.contains(chrome), "{chrome} kept: {}", a.html);
    }
}

#[test]
fn div_soup_page_finds_the_post_by_its_paragraphs() {
    let a = extract(&page("divsoup.html"), None, None).unwrap();
    let want = "A sourdough starter is a living culture of wild yeast and bacteria, and like any living thing it works at its own pace, whatever the recipe promises.\n\n\
In a cool kitchen, a loaf may need twelve hours to rise, while in summer the same dough can be ready in five, so the clock is a poor guide.\n\n\
Watch the dough instead: it should grow by half, feel airy, and spring back slowly when pressed with a floured finger.\n\n\
Room | Rise\n\n18 °C | 12 hours\n\n26 °C | 5 hours";
    assert_eq!(a.text, want);
    // Metadata from JSON-LD.
    assert_eq!(a.title.as_deref(), Some("Why sourdough needs patience"));
    assert_eq!(a.author.as_deref(), Some("Ilse Brandt"));
    assert_eq!(
        a.published.map(|d| d.to_rfc3339()),
        Some("2025-11-02T00:00:00+00:00".to_string())
    );
    assert_eq!(
        a.lead_image.as_deref(),
        Some("https://kitchen.example/img/loaf.jpg")
    );
    assert!(a.html.contains("<table>") && a.html.contains("<th>Room</th>"));
}

#[test]
fn table_layout_with_text_in_bare_divs() {
    let a = extract(&page("textdivs.html"), None, None).unwrap();
    assert_eq!(
        a.text,
        "The council met on Tuesday evening to discuss the new cycle lanes, the repairs to the school roof, and the budget for the summer festival.\n\n\
Most members agreed that the cycle lanes should be finished before the school year begins, although two asked for another survey of the traffic first.\n\n\
The festival budget was approved without a vote, and the roof repairs will be put out to tender next month, the clerk said."
    );
}

#[test]
fn a_page_of_navigation_has_no_article() {
    assert_eq!(
        extract(&page("allnav.html"), None, None),
        Err(ExtractError::Empty)
    );
}

#[test]
fn input_that_is_not_html_is_refused() {
    assert_eq!(
        extract("%PDF-1.7\n%âãÏÓ\n1 0 obj", None, None),
        Err(ExtractError::NotHtml)
    );
    assert_eq!(
        extract("just a line of plain text, no markup at all", None, None),
        Err(ExtractError::NotHtml)
    );
    let binary = decode_page(&[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xd8], None);
    assert_eq!(extract(&binary, None, None), Err(ExtractError::NotHtml));
}

#[test]
fn charset_named_only_in_meta_is_honoured() {
    let raw = fixture("latin1.html");
    assert!(std::str::from_utf8(&raw).is_err(), "the fixture is Latin-1");
    let a = extract(&decode_page(&raw, None), None, None).unwrap();
    assert_eq!(a.title.as_deref(), Some("Café culture"));
    assert!(
        a.text
            .starts_with("The café on the corner serves crème brûlée, and its owner, Renée,")
    );
    assert!(a.text.contains("naïve paintings"));
}

#[test]
fn a_selector_overrides_the_heuristics() {
    let html = page("semantic.html");
    let a = extract(&html, None, Some("section.comments")).unwrap();
    assert_eq!(
        a.text,
        "3 comments\n\nFirst! Great news for everyone who lives here, finally."
    );
    assert_eq!(
        extract(&html, None, Some("div[")),
        Err(ExtractError::BadSelector("div[".to_string()))
    );
    assert_eq!(
        extract(&html, None, Some("#nothing-here")),
        Err(ExtractError::NoMatch("#nothing-here".to_string()))
    );
}

#[test]
fn a_twenty_megabyte_page_of_deep_nesting_still_gives_its_article() {
    let article = "<article><p>The one real paragraph of this page, with enough words, commas, and sense to be an article.</p></article>";
    let mut html = String::with_capacity(21 << 20);
    html.push_str("<html><body>");
    html.push_str(article);
    // 10 MB of nested divs, then 10 MB of unclosed formatting elements.
    while html.len() < 10 << 20 {
        html.push_str("<div class=x>");
    }
    while html.len() < 20 << 20 {
        html.push_str("<b><i><u>");
    }
    html.push_str("</body></html>");
    let a = extract(&html, None, None).unwrap();
    assert!(
        a.text.starts_with("The one real paragraph of this page"),
        "{}",
        &a.text[..a.text.len().min(200)]
    );
}

#[test]
fn controls_and_escapes_in_the_page_do_not_reach_the_text() {
    let html = "<html><body><article><p>Breaking \u{1b}[2J\u{1b}]0;owned\u{7} news, with a bell \u{7} and a bidi \u{202e} override, told in a paragraph long enough.</p></article></body></html>";
    let a = extract(html, None, None).unwrap();
    assert!(
        !a.text.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        a.text
    );
    assert!(!a.text.contains('\u{202e}'));
    assert!(a.text.starts_with("Breaking"));
}
