//! Bytes of a feed (RSS 0.9x-2.0, RSS 1.0, Atom, JSON Feed) to a [`ParsedFeed`]; pure.
//!
//! The bytes are first decoded to UTF-8 (see `decode`), then repaired for common sloppiness (see
//! `repair`), then parsed by feed-rs inside a panic guard, then mapped to the model (see `map`).
//! Errors are [`FeedError`]s whose messages are the one-liners the reader shows.

mod check;
mod decode;
mod discover;
mod entities;
mod error;
mod map;
mod quiet;
mod repair;
mod xmlbase;

use feed_rs::parser::{Builder, ParseErrorKind, ParseFeedError};
use url::Url;

use crate::model::ParsedFeed;

pub use discover::{find_feed_links, looks_like_html};
pub use error::FeedError;
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
        return run_parser(body, &[], base.as_ref(), source_url, fetched_at);
    }
    if looks_like_html(body.as_bytes()) {
        return Err(FeedError::Html);
    }
    let prepared = repair::prepare_xml(&text);
    let body_bases = if prepared.contains("xml:base") {
        xmlbase::entry_bases(&prepared, base.as_ref())
    } else {
        Vec::new()
    };
    let feed = match run_parser(
        &prepared,
        &body_bases,
        base.as_ref(),
        source_url,
        fetched_at,
    ) {
        // An `<rss>` with no channel is an empty feed, not a foreign document.
        Err(FeedError::Unsupported) if repair::root_name(&prepared) == Some("rss") => {
            ParsedFeed::default()
        }
        other => other?,
    };
    if let Some(check::Problem::Truncated(at)) = check::first_problem(&prepared) {
        return Err(xml_error_at(&prepared, at));
    }
    Ok(feed)
}

/// Decodes downloaded text (a feed, or an HTML page to give to [`find_feed_links`]) to UTF-8 the
/// way [`parse`] does: byte order mark, then the `charset` of `content_type`, then the XML
/// declaration, else UTF-8 with replacement characters.
pub fn decode_to_utf8(bytes: &[u8], content_type: Option<&str>) -> String {
    decode::to_utf8(bytes, content_type)
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
