//! A well-formedness scan of XML text, to say where a document breaks.
//!
//! feed-rs reports XML errors without a position, and quietly accepts a document cut short between
//! two elements. This scan finds the byte offset of the first error, or the end of a document
//! whose elements are left open. It stops when the root element closes.

use quick_xml::Reader;
use quick_xml::events::Event;

/// The first place where `text` stops being well-formed XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A syntax error at this byte offset.
    At(usize),
    /// The document ends (at this offset) with elements still open: it was cut short.
    Truncated(usize),
}

/// Scans `text` and returns its first problem, or `None` when it is well-formed.
pub(crate) fn first_problem(text: &str) -> Option<Problem> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut seen_root = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                seen_root = true;
            }
            Ok(Event::Empty(_)) => seen_root = true,
            Ok(Event::End(_)) => {
                depth = depth.saturating_sub(1);
                // The root element is closed: whatever junk follows does not break the feed.
                if depth == 0 {
                    return None;
                }
            }
            Ok(Event::Eof) => {
                return (depth > 0 || !seen_root).then_some(Problem::Truncated(text.len()));
            }
            Ok(_) => {}
            Err(_) => return Some(Problem::At(offset(reader.error_position()))),
        }
    }
}

/// Whether `text` cannot have been cut short: it ends, but for white space, with the end tag of
/// its root element, and no other element's start is written like the root's. That end tag then
/// closes the root or is a syntax error (an element left open, or the tag inside an unfinished
/// comment or CDATA section): either way [`first_problem`] gives no [`Problem::Truncated`], and a
/// document that parsed need not be scanned again to learn it.
pub(crate) fn ends_with_its_root(text: &str) -> bool {
    let Some(name) = super::repair::root_name(text).filter(|n| !n.is_empty()) else {
        return false;
    };
    let end = text.trim_end();
    let closed = end
        .strip_suffix('>')
        .and_then(|e| e.strip_suffix(name))
        .is_some_and(|e| e.ends_with("</"));
    closed && memchr::memmem::find_iter(text.as_bytes(), format!("<{name}").as_bytes()).count() == 1
}

fn offset(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_ending_with_its_roots_end_tag_is_not_cut_short() {
        for (text, whole) in [
            ("<rss><channel/></rss>\n", true),
            (
                "<?xml version=\"1.0\"?>\n<rdf:RDF x='1'><item/></rdf:RDF>",
                true,
            ),
            // Cut short, or something after the end tag: the full scan decides.
            ("<rss><channel><item>", false),
            ("<rss><channel/></rss><!-- made by x -->", false),
            // Another element named like the root: its end tag may not be the root's.
            ("<rss><rss></rss>", false),
            ("<feed><entry/></feed >", false),
            ("{\"items\": []}", false),
            ("", false),
        ] {
            assert_eq!(ends_with_its_root(text), whole, "{text}");
            if whole {
                assert_ne!(
                    first_problem(text),
                    Some(Problem::Truncated(text.len())),
                    "{text}"
                );
            }
        }
        // The nested case is one the full scan finds cut short.
        let nested = "<rss><rss></rss>";
        assert_eq!(
            first_problem(nested),
            Some(Problem::Truncated(nested.len()))
        );
    }

    proptest::proptest! {
        #[test]
        fn a_document_said_whole_is_never_found_cut_short(
            text in "<(rss|feed)>(<(a|b|rss)>|</(a|b|rss|feed)>|<!--|-->|<!\\[CDATA\\[|\\]\\]>|x| ){0,12}</(rss|feed)> ?",
        ) {
            if ends_with_its_root(&text) {
                proptest::prop_assert!(
                    !matches!(first_problem(&text), Some(Problem::Truncated(_))),
                    "{}", text
                );
            }
        }
    }

    #[test]
    fn well_formed_has_no_problem() {
        assert_eq!(first_problem("<a><b/>text</a>"), None);
    }

    #[test]
    fn cut_short_is_truncated() {
        let text = "<a>\n<b>x</b>\n";
        assert_eq!(first_problem(text), Some(Problem::Truncated(text.len())));
    }

    #[test]
    fn junk_after_the_root_is_ignored() {
        assert_eq!(
            first_problem("<rss><channel/></rss>\n<div>Warning: oops"),
            None
        );
    }

    #[test]
    fn mismatched_end_tag_has_a_position() {
        match first_problem("<a>\n<b></c></a>") {
            Some(Problem::At(pos)) => assert!(pos >= 4, "{pos}"),
            other => panic!("{other:?}"),
        }
    }
}
