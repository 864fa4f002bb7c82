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

fn offset(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

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
