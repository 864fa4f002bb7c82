//! The rows of the feed pane: the virtual feeds first (All, Unread, Starred), then each tag as a
//! folder followed by its feeds (unless it is folded), then the feeds without a tag. The feeds
//! come in the order the feed list's settings choose, and those with nothing unread may be hidden.

use std::collections::HashMap;

use crate::app::prefs::{FeedListPrefs, FeedOrder};
use crate::model::{FeedId, FeedRow, View};

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
        /// Whether its feeds are folded away.
        collapsed: bool,
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
            FeedEntry::Query { filter, .. } => crate::app::query_row::view_of(filter),
            FeedEntry::Feed { index, .. } => View::Feed(feeds.get(*index)?.id),
        })
    }
}

/// Builds the rows of the feed pane from the feed list, with every tag open, in title order.
pub fn entries(feeds: &[FeedRow]) -> Vec<FeedEntry> {
    arrange(feeds, &FeedListPrefs::default(), &HashMap::new(), None)
}

/// Builds the rows of the feed pane as the feed list's settings say: feeds in their `order`
/// (`latest` gives each feed's newest item time), folded tags without their feeds, and with
/// `hide_read` no feed with nothing unread (except `keep`, the feed shown) and no tag left empty.
pub fn arrange(
    feeds: &[FeedRow],
    prefs: &FeedListPrefs,
    latest: &HashMap<FeedId, i64>,
    keep: Option<FeedId>,
) -> Vec<FeedEntry> {
    let mut order: Vec<usize> = (0..feeds.len()).collect();
    match prefs.order {
        FeedOrder::Title => {}
        FeedOrder::Unread => order.sort_by_key(|&i| std::cmp::Reverse(feeds[i].unread)),
        FeedOrder::Latest => {
            order.sort_by_key(|&i| std::cmp::Reverse(latest.get(&feeds[i].id).copied()))
        }
    }
    let shown = |i: usize| !prefs.hide_read || feeds[i].unread > 0 || Some(feeds[i].id) == keep;
    let mut out = vec![FeedEntry::All, FeedEntry::Unread, FeedEntry::Starred];
    let mut tags: Vec<&str> = feeds
        .iter()
        .flat_map(|f| f.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    for tag in tags {
        let members: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| feeds[i].tags.iter().any(|t| t == tag))
            .collect();
        let unread = members.iter().map(|&i| feeds[i].unread).sum();
        let visible: Vec<usize> = members.into_iter().filter(|&i| shown(i)).collect();
        if visible.is_empty() && prefs.hide_read && unread == 0 {
            continue;
        }
        let collapsed = prefs.collapsed.contains(tag);
        out.push(FeedEntry::Tag {
            name: tag.to_string(),
            unread,
            collapsed,
        });
        if !collapsed {
            out.extend(visible.into_iter().map(|index| FeedEntry::Feed {
                index,
                nested: true,
            }));
        }
    }
    out.extend(
        order
            .into_iter()
            .filter(|&i| feeds[i].tags.is_empty() && shown(i))
            .map(|index| FeedEntry::Feed {
                index,
                nested: false,
            }),
    );
    out
}

/// Puts the store's tag counts (see `worker::tag_counts`) in the tag rows.
pub fn use_tag_counts(entries: &mut [FeedEntry], counts: &[(String, u64)]) {
    for entry in entries {
        if let FeedEntry::Tag { name, unread, .. } = entry
            && let Some((_, n)) = counts.iter().find(|(t, _)| t == name)
        {
            *unread = *n;
        }
    }
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
