//! A change to a feed's title or tags as the reader's messages carry it: plain data, so that
//! the messages and the state can name it without importing the prompts of [`crate::app::edit`].

use crate::model::FeedId;

/// Which value of a feed a prompt edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedField {
    /// The title the reader shows (the user's, else the feed's own).
    Title,
    /// The feed's tags.
    Tags,
}

/// A change to one feed, as sent to the cache worker and reported back once saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEdit {
    /// The feed changed.
    pub feed: FeedId,
    /// What changes.
    pub change: FeedChange,
}

/// The new value of a feed's title or tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedChange {
    /// The user's title; `None` gives the feed its own title back.
    Title(Option<String>),
    /// The whole new list of tags (possibly empty).
    Tags(Vec<String>),
}
