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

    /// Renames the server's feed `feed` (as the server lists it now) to `title`, and files it
    /// in the folders `folders` (the feed's whole list of tags), each when given. Only what
    /// differs from `feed` is sent; see [`FolderEdit`] for a server with one folder per feed.
    fn edit_feed(
        &self,
        feed: &RemoteFeed,
        title: Option<&str>,
        folders: Option<&[String]>,
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

/// How a feed's folders change when its tags are edited: the folders to add and to remove.
///
/// Miniflux (and FreshRSS) file a feed in exactly one folder: there the feed moves to the
/// first folder added (in the tags' order, which is alphabetical), and a folder only removed
/// leaves the feed where it is (it cannot be in none). A server with labels (The Old Reader,
/// BazQux) takes every added and removed one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderEdit {
    /// Folders the feed is not in and should be, the one to move to first.
    pub added: Vec<String>,
    /// Folders the feed is in and should not be.
    pub removed: Vec<String>,
}

impl FolderEdit {
    /// The change from the folders `current` to `wanted` (names compared exactly).
    pub fn between(current: &[String], wanted: &[String]) -> FolderEdit {
        let mut added: Vec<String> = Vec::new();
        for w in wanted {
            if !current.contains(w) && !added.contains(w) {
                added.push(w.clone());
            }
        }
        FolderEdit {
            added,
            removed: current
                .iter()
                .filter(|c| !wanted.contains(c))
                .cloned()
                .collect(),
        }
    }

    /// The one folder a server of one folder per feed moves the feed to, if any.
    pub fn move_to(&self) -> Option<&str> {
        self.added.first().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::FolderEdit;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_tag_edit_moves_to_the_first_added_folder_and_removes_the_others() {
        let e = FolderEdit::between(&v(&["News"]), &v(&["Art", "News", "Tech"]));
        assert_eq!(e.added, v(&["Art", "Tech"]));
        assert!(e.removed.is_empty());
        assert_eq!(e.move_to(), Some("Art"));
        let e = FolderEdit::between(&v(&["News"]), &v(&["Tech"]));
        assert_eq!((e.move_to(), &e.removed), (Some("Tech"), &v(&["News"])));
        // Only removed: a server of one folder per feed keeps it where it is.
        let e = FolderEdit::between(&v(&["News"]), &[]);
        assert_eq!((e.move_to(), &e.removed), (None, &v(&["News"])));
        assert_eq!(
            FolderEdit::between(&v(&["News"]), &v(&["News"])),
            FolderEdit::default()
        );
    }
}
