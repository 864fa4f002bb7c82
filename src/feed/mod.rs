//! Bytes of a feed (RSS 0.9x-2.0, RSS 1.0, Atom, JSON Feed) to a [`ParsedFeed`]; pure.
//!
//! The bytes are first decoded to UTF-8 (see `decode`), then repaired for common sloppiness (see
//! `repair`), then parsed by feed-rs inside a panic guard, then mapped to the model (see `map`).
//! Errors are [`FeedError`]s whose messages are the one-liners the reader shows.

mod cap;
mod check;
mod dates;
pub(crate) mod decode;
mod discover;
mod entities;
mod error;
mod hints;
mod map;
pub(crate) mod plain_url;
mod quiet;
mod repair;
mod split;
mod xmlbase;

use std::borrow::Cow;

use feed_rs::parser::{Builder, ParseErrorKind, ParseFeedError};
use url::Url;

use crate::model::ParsedFeed;

pub use cap::keep_newest;
pub use discover::{find_feed_links, looks_like_html};
pub use error::FeedError;
pub use hints::{MAX_HINT_SECS, cache_max_age, refresh_hint};
pub(crate) use quiet::catch as catch_quietly;
pub use quiet::install_quiet_panic_filter;

/// Parses one download of a feed.
///
/// `content_type` is the HTTP `Content-Type` (its `charset` counts), `source_url` the address it
/// came from (relative links resolve against it), and `fetched_at` the Unix time of the download
/// (later publication dates are clamped to it).
pub fn parse(
    bytes: &[u8],
    content_type: Option<&str>,
    source_url: &str,
    fetched_at: i64,
) -> Result<ParsedFeed, FeedError> {
    parse_capped(bytes, content_type, source_url, fetched_at, usize::MAX)
}

/// Items parsed at once when a feed has more than it may yield (see [`parse_capped`]).
const CHUNK_ITEMS: usize = 1000;

/// Parses one download as [`parse`] does, yielding at most `max_items` items: the newest by
/// date, in document order where dates are missing (see [`keep_newest`]).
///
/// An RSS, RSS 1.0, Atom or JSON Feed document with more items than that is parsed
/// [`CHUNK_ITEMS`] at a time, keeping only the newest `max_items` after each chunk, so that
/// memory stays in proportion to the cap rather than to the number of items. Feed-level fields
/// come from the text around the items, as in a whole parse.
pub fn parse_capped(
    bytes: &[u8],
    content_type: Option<&str>,
    source_url: &str,
    fetched_at: i64,
    max_items: usize,
) -> Result<ParsedFeed, FeedError> {
    let text = decode::to_utf8(bytes, content_type);
    let body = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\0');
    if body
        .trim_end_matches(|c: char| c.is_whitespace() || c == '\0')
        .is_empty()
    {
        return Err(FeedError::Empty);
    }
    let base = base_url(source_url);
    if body.starts_with('{') {
        let ctx = ParseContext {
            base: base.as_ref(),
            source_url,
            fetched_at,
        };
        let ranges = (max_items < usize::MAX)
            .then(|| split::json_item_ranges(body))
            .flatten()
            .filter(|r| r.len() > max_items);
        let mut feed = match ranges {
            Some(ranges) => parse_in_chunks(body, &ranges, (",", &[]), &ctx, max_items)?,
            None => run_parser(body, &[], base.as_ref(), source_url, fetched_at)?,
        };
        keep_newest(&mut feed.items, max_items, fetched_at, |_| true);
        return Ok(feed);
    }
    if looks_like_html(body.as_bytes()) {
        return Err(FeedError::Html);
    }
    // The repaired text: the decoded text from where the repairs start keeping it when they
    // changed nothing else (no copy), else their copy (and the decoded text is let go at once).
    let prepared: Cow<'_, str> = match (repair::prepare_xml(&text), text) {
        (repair::Prepared::From(from), Cow::Borrowed(text)) => Cow::Borrowed(&text[from..]),
        (repair::Prepared::From(from), Cow::Owned(mut text)) => {
            text.drain(..from);
            Cow::Owned(text)
        }
        (repair::Prepared::Fixed(fixed), _) => Cow::Owned(fixed),
    };
    let body_bases = if prepared.contains("xml:base") {
        xmlbase::entry_bases(&prepared, base.as_ref())
    } else {
        Vec::new()
    };
    let ctx = ParseContext {
        base: base.as_ref(),
        source_url,
        fetched_at,
    };
    let ranges = (split::count_hint(&prepared) > max_items)
        .then(|| split::item_ranges(&prepared))
        .flatten()
        .filter(|r| r.len() > max_items);
    let whole = match ranges {
        Some(ranges) => parse_in_chunks(&prepared, &ranges, ("\n", &body_bases), &ctx, max_items),
        None => run_parser(&prepared, &body_bases, ctx.base, source_url, fetched_at),
    };
    let mut feed = match whole {
        // An `<rss>` with no channel is an empty feed, not a foreign document.
        Err(FeedError::Unsupported) if repair::root_name(&prepared) == Some("rss") => {
            ParsedFeed::default()
        }
        other => other?,
    };
    // feed-rs takes a document cut short between two elements; one that ends with its root's
    // end tag cannot be (the common case, spared a second scan).
    if !check::ends_with_its_root(&prepared)
        && let Some(check::Problem::Truncated(at)) = check::first_problem(&prepared)
    {
        return Err(xml_error_at(&prepared, at));
    }
    keep_newest(&mut feed.items, max_items, fetched_at, |_| true);
    Ok(feed)
}

/// Where a document came from, as the parser needs it.
struct ParseContext<'a> {
    base: Option<&'a Url>,
    source_url: &'a str,
    fetched_at: i64,
}

/// Parses the items at `ranges` of `prepared` [`CHUNK_ITEMS`] at a time (joined by `sep` in each
/// chunk's document), keeping the newest `max_items` after each chunk. The feed's own fields come
/// from the first chunk. `body_bases` is as for `map::to_model`: one per range, or none.
fn parse_in_chunks(
    prepared: &str,
    ranges: &[std::ops::Range<usize>],
    (sep, body_bases): (&str, &[Option<Url>]),
    ctx: &ParseContext<'_>,
    max_items: usize,
) -> Result<ParsedFeed, FeedError> {
    let mut feed: Option<ParsedFeed> = None;
    let mut start = 0;
    while start < ranges.len() {
        let end = (start + CHUNK_ITEMS).min(ranges.len());
        let doc = split::sub_document(prepared, ranges, start..end, sep);
        let bases = if body_bases.len() == ranges.len() {
            &body_bases[start..end]
        } else {
            &[]
        };
        let part = run_parser(&doc, bases, ctx.base, ctx.source_url, ctx.fetched_at)
            // A position in a chunk of XML means nothing to the user: place it in the whole.
            .map_err(|e| match check::first_problem(prepared) {
                _ if prepared.starts_with('{') => e,
                Some(check::Problem::At(at) | check::Problem::Truncated(at)) => {
                    xml_error_at(prepared, at)
                }
                None => e,
            })?;
        match &mut feed {
            None => feed = Some(part),
            Some(feed) => feed.items.extend(part.items),
        }
        if let Some(feed) = &mut feed {
            keep_newest(&mut feed.items, max_items, ctx.fetched_at, |_| true);
        }
        start = end;
    }
    Ok(feed.unwrap_or_default())
}

/// Decodes downloaded text (a feed, or an HTML page to give to [`find_feed_links`]) to UTF-8 the
/// way [`parse`] does: byte order mark, then the `charset` of `content_type`, then the XML
/// declaration, else UTF-8 with replacement characters.
pub fn decode_to_utf8(bytes: &[u8], content_type: Option<&str>) -> String {
    decode::to_utf8(bytes, content_type).into_owned()
}

/// The URL relative links resolve against: the source URL, or a `file://` URL for a local path.
fn base_url(source_url: &str) -> Option<Url> {
    match Url::parse(source_url) {
        Ok(url) if matches!(url.scheme(), "http" | "https" | "file") => Some(url),
        Ok(_) => None,
        Err(_) => std::path::absolute(source_url)
            .ok()
            .and_then(|p| Url::from_file_path(p).ok()),
    }
}

/// Runs feed-rs on prepared text, turning its errors and panics into [`FeedError`]s.
fn run_parser(
    text: &str,
    body_bases: &[Option<Url>],
    base: Option<&Url>,
    source_url: &str,
    fetched_at: i64,
) -> Result<ParsedFeed, FeedError> {
    let parser = Builder::new()
        .base_uri(base.map(Url::as_str))
        // An empty id marks an entry the document gave no id, so that `map` can tell.
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false)
        // The standard date forms read directly, the others as feed-rs reads them.
        .timestamp_parser(dates::parse)
        .build();
    let result = quiet::catch(|| parser.parse(text.as_bytes())).ok_or(FeedError::ParserCrashed)?;
    match result {
        Ok(feed) => Ok(map::to_model(
            feed, body_bases, base, source_url, fetched_at,
        )),
        Err(err) => Err(explain(text, err)),
    }
}

/// The user-facing error for a feed-rs failure, with a position when the XML is broken.
fn explain(text: &str, err: ParseFeedError) -> FeedError {
    let problem = || match check::first_problem(text) {
        Some(check::Problem::At(at) | check::Problem::Truncated(at)) => {
            Some(xml_error_at(text, at))
        }
        None => None,
    };
    match err {
        // Valid JSON of the wrong shape is not a JSON Feed; broken JSON is placed.
        ParseFeedError::JsonSerde(e) if e.classify() == serde_json::error::Category::Data => {
            FeedError::Unsupported
        }
        ParseFeedError::JsonSerde(e) => FeedError::JsonAt {
            line: e.line(),
            column: e.column(),
        },
        ParseFeedError::JsonUnsupportedVersion(_) => FeedError::Unsupported,
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            if text.trim_start().starts_with('<') {
                problem().unwrap_or(FeedError::Unsupported)
            } else {
                FeedError::Unsupported
            }
        }
        ParseFeedError::ParseError(kind) => invalid(text, kind),
        ParseFeedError::XmlReader(e) => problem().unwrap_or_else(|| FeedError::Xml(e.to_string())),
        other => problem().unwrap_or_else(|| FeedError::Xml(other.to_string())),
    }
}

/// A feed-rs complaint about a well-formed document, placed at its line and column.
fn invalid(text: &str, kind: ParseErrorKind) -> FeedError {
    let (position, reason) = match kind {
        ParseErrorKind::UnknownMimeType { position, mime } => {
            (position, format!("unsupported content type '{mime}'"))
        }
        ParseErrorKind::MissingContent {
            position,
            reference,
        } => (position, format!("missing {reference}")),
        ParseErrorKind::UnknownEnumVariant {
            position,
            reference,
        } => (position, format!("unknown value '{reference}'")),
        ParseErrorKind::IllegalState {
            position,
            reference,
        } => (position, format!("unexpected {reference}")),
        ParseErrorKind::NoFeedRoot => return FeedError::Unsupported,
    };
    let at = usize::try_from(position).unwrap_or(usize::MAX);
    let (line, column) = error::line_column(text, at);
    FeedError::Invalid {
        line,
        column,
        reason,
    }
}

fn xml_error_at(text: &str, at: usize) -> FeedError {
    let (line, column) = error::line_column(text, at);
    FeedError::XmlAt { line, column }
}
