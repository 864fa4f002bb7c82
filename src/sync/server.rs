//! What the sync asks of a server, whatever its API: the trait a server kind implements, and the
//! plain data it answers with.

use std::collections::HashSet;
use std::future::Future;

use super::SyncError;
use crate::store::SyncChange;

/// A subscription as the server lists it (untrusted: the sync caps and cleans it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteFeed {
    /// The server's id of the feed.
    pub id: String,
    /// The feed's address.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its web site.
    pub site_url: Option<String>,
    /// Its folders.
    pub categories: Vec<String>,
    /// The server's last error fetching it.
    pub error: Option<String>,
}

/// An item as the server gives it (untrusted: see `entries.rs`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteEntry {
    /// The server's id of the item.
    pub id: String,
    /// The server's id of its feed.
    pub feed_id: String,
    /// Title.
    pub title: String,
    /// The item's web address.
    pub url: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Publication time (Unix seconds).
    pub published: Option<i64>,
    /// The body, HTML.
    pub content: String,
    /// Attachments: address, media type, size.
    pub enclosures: Vec<(String, Option<String>, Option<u64>)>,
    /// Read on the server.
    pub read: bool,
    /// Starred on the server.
    pub starred: bool,
}

/// Which items one pass of a sync asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Every unread item.
    Unread,
    /// Every starred item.
    Starred,
    /// Read items published at or after this time (Unix seconds).
    ReadSince(i64),
    /// Items new or changed (read, starred) after this server time (Unix seconds).
    ChangedSince(i64),
}

/// One page of a pass: its items, and the token that asks for the next page (`None` after the
/// last).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The items.
    pub entries: Vec<RemoteEntry>,
    /// The next page's token, opaque to the sync.
    pub next: Option<String>,
}

/// The server's whole lists of unread and starred item ids, for kinds that cannot say which
/// items changed state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct States {
    /// Every unread item.
    pub unread: std::collections::HashSet<String>,
    /// Every starred item.
    pub starred: std::collections::HashSet<String>,
}

/// A kind of server (Miniflux's REST API, the Google Reader API): how to list, page and mark.
pub trait Server {
    /// The server as the user knows it (kind and address), for messages.
    fn describe(&self) -> String;

    /// Checks that the address answers with this kind's API and takes the credentials.
    fn check(&self) -> impl Future<Output = Result<(), SyncError>> + Send;

    /// The server's clock (Unix seconds): from its last answer's `Date`, else ours.
    fn now(&self) -> i64;

    /// Every subscription.
    fn feeds(&self) -> impl Future<Output = Result<Vec<RemoteFeed>, SyncError>> + Send;

    /// One page of `pass`, from `token` (`None`: the first page). `known` holds the ids of the
    /// items the cache has already, for a kind that lists ids before it asks for contents.
    fn page(
        &self,
        pass: Pass,
        token: Option<&str>,
        known: &HashSet<String>,
    ) -> impl Future<Output = Result<Page, SyncError>> + Send;

    /// For a kind whose changes cannot be asked for ([`Pass::ChangedSince`] brings only new
    /// items), the whole read and starred state, compared with the cache after an incremental
    /// sync; `None` (the default) for a kind whose changed items come with their state.
    fn states(&self) -> impl Future<Output = Result<Option<States>, SyncError>> + Send {
        async { Ok(None) }
    }

    /// Subscribes on the server to the feed at `url`, in the folder `tag` when given.
    fn subscribe(
        &self,
        url: &str,
        tag: Option<&str>,
    ) -> impl Future<Output = Result<(), SyncError>> + Send;

    /// Unsubscribes on the server from the feed the server knows as `id`.
    fn unsubscribe(&self, id: &str) -> impl Future<Output = Result<(), SyncError>> + Send;

    /// Applies one change to the items `ids` on the server.
    fn push(
        &self,
        change: SyncChange,
        ids: &[String],
    ) -> impl Future<Output = Result<(), SyncError>> + Send;
}
