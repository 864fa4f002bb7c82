//! The rows of the feed pane: the virtual feeds first (All, Unread, Starred), then each tag as a
//! folder followed by its feeds, then the feeds without a tag.

use crate::model::{FeedRow, View};

/// One row of the feed pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedEntry {
    /// Every item.
    All,
    /// Unread items.
    Unread,
    /// Starred items.
    Starred,
    /// A tag (folder), with the unread count of its feeds.
    Tag {
        /// The tag.
        name: String,
        /// Unread items of the feeds carrying it.
        unread: u64,
    },
    /// A query feed, by index into `State::queries`, with its filter.
    Query {
        /// Index into the query list.
        index: usize,
        /// Its filter (over every item).
        filter: String,
    },
    /// A feed, by index into `State::feeds`.
    Feed {
        /// Index into the feed list.
        index: usize,
        /// Whether it is listed under a tag (drawn indented).
        nested: bool,
    },
}

impl FeedEntry {
    /// The view this row opens.
    pub fn view(&self, feeds: &[FeedRow]) -> Option<View> {
        Some(match self {
            FeedEntry::All => View::All,
            FeedEntry::Unread => View::Unread,
            FeedEntry::Starred => View::Starred,
            FeedEntry::Tag { name, .. } => View::Tag(name.clone()),
            FeedEntry::Query { filter, .. } => crate::app::queries::view_of(filter),
            FeedEntry::Feed { index, .. } => View::Feed(feeds.get(*index)?.id),
        })
    }
}

/// Builds the rows of the feed pane from the feed list.
pub fn entries(feeds: &[FeedRow]) -> Vec<FeedEntry> {
    let mut out = vec![FeedEntry::All, FeedEntry::Unread, FeedEntry::Starred];
    let mut tags: Vec<&str> = feeds
        .iter()
        .flat_map(|f| f.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    for tag in tags {
        let members: Vec<usize> = (0..feeds.len())
            .filter(|&i| feeds[i].tags.iter().any(|t| t == tag))
            .collect();
        out.push(FeedEntry::Tag {
            name: tag.to_string(),
            unread: members.iter().map(|&i| feeds[i].unread).sum(),
        });
        out.extend(members.into_iter().map(|index| FeedEntry::Feed {
            index,
            nested: true,
        }));
    }
    out.extend(
        (0..feeds.len())
            .filter(|&i| feeds[i].tags.is_empty())
            .map(|index| FeedEntry::Feed {
                index,
                nested: false,
            }),
    );
    out
}

/// The row to select after a reload: the one showing the same view, else the same index.
pub fn reselect(
    old: Option<View>,
    entries: &[FeedEntry],
    feeds: &[FeedRow],
    index: usize,
) -> usize {
    old.and_then(|v| {
        entries
            .iter()
            .position(|e| e.view(feeds).as_ref() == Some(&v))
    })
    .unwrap_or(index)
    .min(entries.len().saturating_sub(1))
}
