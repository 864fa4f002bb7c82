//! Property tests of the renderer: for any input and any width from 1 to 199, no line is wider
//! than the width and no control character survives.

use proptest::prelude::*;
use tidings::content::{self, LayoutOptions, header_lines, layout, to_plain_text};
use tidings::model::BodyKind;
use unicode_width::UnicodeWidthStr;

fn check(out: &str, width: usize) -> Result<(), TestCaseError> {
    for line in out.lines() {
        prop_assert!(
            UnicodeWidthStr::width(line) <= width,
            "line wider than {}: {:?}",
            width,
            line
        );
    }
    for c in out.chars() {
        prop_assert!(
            c == '\n' || !c.is_control(),
            "control U+{:04X} in {:?}",
            c as u32,
            out
        );
        prop_assert!(
            !matches!(c as u32, 0x202a..=0x202e | 0x2066..=0x2069 | 0x200e | 0x200f | 0x061c),
            "bidi control U+{:04X}",
            c as u32
        );
    }
    Ok(())
}

/// Strings built from pieces that stress the renderer: markup, escapes, wide and odd characters.
fn tricky() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<ul><li>".to_string()),
        Just("<ol start=\"99999\"><li>".to_string()),
        Just("<blockquote>".to_string()),
        Just("<pre>".to_string()),
        Just("</pre>".to_string()),
        Just("<table><tr><th>".to_string()),
        Just("<td>".to_string()),
        Just("<a href=\"http://x.example/".to_string()),
        Just("\">".to_string()),
        Just("</a>".to_string()),
        Just("<img alt=\"".to_string()),
        Just("<br>".to_string()),
        Just("<hr>".to_string()),
        Just("<h1>".to_string()),
        Just("&#x1b;[31m".to_string()),
        Just("\u{1b}]52;c;QUJD\u{7}".to_string()),
        Just("\u{9b}2J".to_string()),
        Just("\u{202e}".to_string()),
        Just("\t".to_string()),
        Just("\n\n".to_string()),
        Just("- ".to_string()),
        Just("日本語".to_string()),
        Just("👩\u{200d}💻".to_string()),
        Just("e\u{301}".to_string()),
        Just("averyveryverylongwordwithoutanyspacesatall".to_string()),
        "[a-z ]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_string_as_html(s in any::<String>(), width in 1usize..200) {
        check(&content::render_text(&s, BodyKind::Html, None, width), width)?;
    }

    #[test]
    fn any_string_as_text(s in any::<String>(), width in 1usize..200) {
        check(&content::render_text(&s, BodyKind::Text, None, width), width)?;
    }

    #[test]
    fn sanitize_is_idempotent(s in tricky()) {
        let once = content::sanitize(&s);
        prop_assert!(matches!(content::sanitize(&once), std::borrow::Cow::Borrowed(_)), "{:?}", once);
    }

    #[test]
    fn tricky_strings(s in tricky(), width in 1usize..200, max in 1usize..120, center: bool, raw: bool) {
        check(&content::render_text(&s, BodyKind::Html, Some("https://b.example/"), width), width)?;
        check(&content::render_text(&s, BodyKind::Text, None, width), width)?;
        let doc = content::parse(&s, BodyKind::Html, None);
        let hidden: Vec<bool> = (0..doc.blocks.len()).map(|i| i % 3 == 1).collect();
        let opts = LayoutOptions { width, max_width: Some(max), center, raw };
        check(&to_plain_text(&layout(&doc, &hidden, &opts)), width)?;
        check(&to_plain_text(&header_lines(&s, &s, Some(&s), Some(&s), Some(&s), &opts)), width)?;
    }
}
