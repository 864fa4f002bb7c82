//! Why a download could not be read as a feed, in words a reader can act on.

use thiserror::Error;

/// A feed that could not be parsed. The `Display` text is the one-line message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FeedError {
    /// Nothing but whitespace arrived.
    #[error("empty document")]
    Empty,
    /// The download is a web page, not a feed; discovery found no feed link in it.
    #[error("not a feed (an HTML page with no feed link)")]
    Html,
    /// The XML is broken at a known place.
    #[error("invalid XML at line {line}, column {column}")]
    XmlAt {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
    },
    /// The XML is broken and no position is known.
    #[error("invalid XML: {0}")]
    Xml(String),
    /// The JSON is broken at a known place.
    #[error("invalid JSON at line {line}, column {column}")]
    JsonAt {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Well-formed XML, but a feed element holds something feed-rs cannot read.
    #[error("invalid feed at line {line}, column {column}: {reason}")]
    Invalid {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong there, in a few words.
        reason: String,
    },
    /// Well-formed, but neither RSS, Atom nor JSON Feed.
    #[error("unsupported format")]
    Unsupported,
    /// The document made the feed parser fail unexpectedly (it panicked).
    #[error("the feed parser crashed on this document")]
    ParserCrashed,
}

/// The 1-based line and column (in characters) of a byte offset into `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, 7), (2, 4));
        assert_eq!(line_column(text, 100), (3, 2));
    }

    #[test]
    fn messages_are_one_liners() {
        assert_eq!(
            FeedError::XmlAt { line: 3, column: 7 }.to_string(),
            "invalid XML at line 3, column 7"
        );
        assert_eq!(
            FeedError::Html.to_string(),
            "not a feed (an HTML page with no feed link)"
        );
    }
}
