//! Plain data shared by every layer: feeds, items and headlines as the store, the fetcher and the
//! interface exchange them. Nothing here does I/O.
//!
//! Times are Unix seconds (UTC) as `i64`; formatting happens at the edges.

use serde::Serialize;

/// Row id of a subscribed feed in the cache.
pub type FeedId = i64;
/// Row id of a cached item.
pub type ItemId = i64;

/// How an item's stored body should be read: as HTML, or as plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// HTML (or XHTML) markup, the common case.
    Html,
    /// Plain text: paragraphs are lines or blank-line separated runs.
    Text,
}

impl BodyKind {
    /// The name stored in the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyKind::Html => "html",
            BodyKind::Text => "text",
        }
    }

    /// Reads the stored name back; anything unknown is treated as HTML.
    pub fn from_name(s: &str) -> Self {
        if s == "text" {
            BodyKind::Text
        } else {
            BodyKind::Html
        }
    }
}

/// A media file attached to an item (a podcast episode, an image), kept with its declared type and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enclosure {
    /// Absolute URL of the file.
    pub url: String,
    /// MIME type as the feed declared it.
    pub mime: Option<String>,
    /// Size in bytes as the feed declared it.
    pub length: Option<u64>,
}

impl Enclosure {
    /// Whether the feed declared the file audio or video (a podcast episode).
    pub fn is_episode(&self) -> bool {
        self.mime.as_deref().is_some_and(|m| {
            let m = m.trim_start().to_ascii_lowercase();
            m.starts_with("audio/") || m.starts_with("video/")
        })
    }
}

/// The enclosure a download takes from an item: its first audio or video one, else its first.
pub fn episode_of(enclosures: &[Enclosure]) -> Option<&Enclosure> {
    enclosures
        .iter()
        .find(|e| e.is_episode())
        .or_else(|| enclosures.first())
}

/// A feed as parsed from one download, before it is stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedFeed {
    /// The feed's own title, if it has one.
    pub title: Option<String>,
    /// The web site the feed belongs to (its `link`), absolute.
    pub site_link: Option<String>,
    /// Items in the order the feed lists them.
    pub items: Vec<ParsedItem>,
}

/// One item as parsed, with its identity already decided and its dates already clamped.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedItem {
    /// Identity within its feed: the guid, else the link, else a hash of title and date.
    pub key: String,
    /// The guid (RSS `guid`, Atom `id`, JSON Feed `id`) when present.
    pub guid: Option<String>,
    /// The item's web address, absolute.
    pub link: Option<String>,
    /// Title, as received (sanitising happens at display time).
    pub title: String,
    /// Author names, joined with ", ".
    pub author: Option<String>,
    /// Publication (else update) time, clamped to the fetch time; `None` when the feed gives none.
    pub published: Option<i64>,
    /// The raw body: full content when the feed has it, else the summary.
    pub content: String,
    /// Whether `content` is HTML or plain text.
    pub content_kind: BodyKind,
    /// Base URL against which relative links and images in `content` resolve
    /// (`xml:base`, else the item link, else the feed link).
    pub base: Option<String>,
    /// Attached media.
    pub enclosures: Vec<Enclosure>,
}

/// A subscribed feed with its counters and the state of its last fetch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedRow {
    /// Row id.
    pub id: FeedId,
    /// Source address: http(s) URL, `file://` URL, local path, or `demo:NAME`.
    pub url: String,
    /// Display title: the user's or the feed's title, else the URL.
    pub title: String,
    /// The feed's web site, if known.
    pub site_link: Option<String>,
    /// Tags (folders), sorted.
    pub tags: Vec<String>,
    /// Items cached for this feed (tombstones excluded).
    pub items: u64,
    /// Unread items cached for this feed.
    pub unread: u64,
    /// When the feed was last fetched with success (200 or 304).
    pub last_success: Option<i64>,
    /// When the feed was last tried, whatever the result.
    pub last_checked: Option<i64>,
    /// The message of the last failure, cleared by the next success.
    pub last_error: Option<String>,
    /// `ETag` of the last 200 answer, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified` of the last 200 answer, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// Do not fetch before this time (from `Retry-After`).
    pub retry_not_before: Option<i64>,
}

/// One line of a headline list: what a list shows, without the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headline {
    /// Item row id.
    pub id: ItemId,
    /// Feed row id.
    pub feed_id: FeedId,
    /// Display title of the feed.
    pub feed_title: String,
    /// Item title as received.
    pub title: String,
    /// Item link, if any.
    pub link: Option<String>,
    /// The time the item sorts by: published, else first seen.
    pub sort_time: i64,
    /// Whether the item has been read.
    pub read: bool,
    /// Whether the item is starred.
    pub starred: bool,
    /// The other feeds carrying this story, when the list shows one item per story.
    pub also_in: Vec<String>,
}

/// A whole cached item, with its body, for the article pane and `tidings show`.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    /// Item row id.
    pub id: ItemId,
    /// Feed row id.
    pub feed_id: FeedId,
    /// Display title of the feed.
    pub feed_title: String,
    /// Identity within the feed.
    pub key: String,
    /// The guid, when the feed gave one.
    pub guid: Option<String>,
    /// Item link, absolute.
    pub link: Option<String>,
    /// Title as received.
    pub title: String,
    /// Author names.
    pub author: Option<String>,
    /// Publication time, if the feed gave one.
    pub published: Option<i64>,
    /// When the item was first stored.
    pub first_seen: i64,
    /// The time the item sorts by: published, else first seen.
    pub sort_time: i64,
    /// Raw body as received.
    pub content: String,
    /// How to read `content`.
    pub content_kind: BodyKind,
    /// Base URL for relative links in `content`.
    pub base: Option<String>,
    /// Attached media.
    pub enclosures: Vec<Enclosure>,
    /// Whether the item has been read.
    pub read: bool,
    /// Whether the item is starred.
    pub starred: bool,
    /// The other feeds carrying the same story (see [`ItemQuery::one_per_story`]).
    pub also_in: Vec<String>,
    /// The article fetched from the item's page, shown instead of `content` when there is one.
    pub full_text: Option<FullText>,
}

impl ItemRow {
    /// The body to show: the article when there is one (unless `feed_text` asks for the feed's
    /// own text), else the feed's; with how to read it and the base for its relative links.
    pub fn shown_body(&self, feed_text: bool) -> (&str, BodyKind, Option<&str>) {
        match &self.full_text {
            Some(a) if !feed_text => (&a.html, BodyKind::Html, Some(&a.url)),
            _ => (&self.content, self.content_kind, self.base.as_deref()),
        }
    }
}

/// An article extracted from an item's page and kept in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullText {
    /// The article's clean HTML.
    pub html: String,
    /// The page it came from (after redirects): the base of its relative links.
    pub url: String,
    /// When it was fetched (Unix seconds).
    pub fetched_at: i64,
}

/// A set of items the reader or `tidings show` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// Every item of every feed.
    All,
    /// Unread items of every feed.
    Unread,
    /// Starred items of every feed.
    Starred,
    /// One feed.
    Feed(FeedId),
    /// Every feed carrying this tag.
    Tag(String),
    /// Items matching a full-text query, in all feeds or in one (see [`SearchQuery`]).
    Search(SearchQuery),
    /// The items of another view that pass a filter (see [`crate::filter`]): a query feed (over
    /// All), or a view narrowed in the reader.
    Filter {
        /// The view narrowed.
        base: Box<View>,
        /// The filter as written.
        filter: String,
    },
}

/// What a search looks for and where: the user's text (words, and phrases in double quotes,
/// quoted for the index by the store) and its scope.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    /// The text as typed.
    pub text: String,
    /// The feed searched, or `None` for every feed.
    pub feed: Option<FeedId>,
}

impl SearchQuery {
    /// A search of one feed (`Some`) or of every feed (`None`).
    pub fn new(text: impl Into<String>, feed: Option<FeedId>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            feed,
        }
    }
}

impl From<&str> for SearchQuery {
    /// A search of every feed.
    fn from(text: &str) -> SearchQuery {
        SearchQuery::new(text, None)
    }
}

impl From<String> for SearchQuery {
    /// A search of every feed.
    fn from(text: String) -> SearchQuery {
        SearchQuery::new(text, None)
    }
}

/// A query for headlines: a view plus the list options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemQuery {
    /// Which items.
    pub view: View,
    /// Hide read items.
    pub unread_only: bool,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
    /// In All and Unread, list a story carried by several feeds once, by its first stored item
    /// (the others are named in its `also_in`).
    pub one_per_story: bool,
}

impl ItemQuery {
    /// Newest first, read items included.
    pub fn new(view: View) -> Self {
        ItemQuery {
            view,
            unread_only: false,
            oldest_first: false,
            one_per_story: false,
        }
    }

    /// The same query, hiding read items or not.
    pub fn unread_only(self, unread_only: bool) -> Self {
        ItemQuery {
            unread_only,
            ..self
        }
    }
}
