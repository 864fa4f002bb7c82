//! Messages into the reader and commands out of it.

use std::collections::HashMap;

use crate::app::text::Document;
use crate::config::keymap::{Action, Key};
use crate::model::{FeedId, FeedRow, Headline, ItemId, ItemQuery, ItemRow};
use crate::store::ViewSetting;

/// Why a refresh runs: a sync with a server is held back by the backoff of failed syncs only
/// when nobody asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshCause {
    /// The user asked (the refresh keys, a retry from the error list).
    Asked,
    /// The reader's own: at start or on its timer.
    Automatic,
}

/// Counts for the virtual feeds and the tags, as the store reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Every item.
    pub all: u64,
    /// Unread items.
    pub unread: u64,
    /// Starred items.
    pub starred: u64,
    /// Unread items of each tag, counting a story carried by several of its feeds once; a tag
    /// missing here counts the sum of its feeds.
    pub tags: Vec<(String, u64)>,
}

/// What the mouse did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    /// A left click.
    Click,
    /// The wheel turned up (scroll back).
    WheelUp,
    /// The wheel turned down (scroll on).
    WheelDown,
}

/// Everything that can change the reader's state: input, and results of earlier commands.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key press; the key map (or the open prompt) decides what it means.
    Key(Key),
    /// An action to run directly, as if its key had been pressed.
    Action(Action),
    /// The feed list and the virtual feeds' counts.
    FeedsLoaded(Vec<FeedRow>, Totals),
    /// A window of headlines of a query, starting at `offset` in the whole view.
    HeadlinesLoaded {
        /// The query the rows answer; stale answers are ignored.
        query: ItemQuery,
        /// Index in the whole view of the first row.
        offset: u64,
        /// The rows.
        rows: Vec<Headline>,
        /// How many items the whole view holds.
        total: u64,
    },
    /// A whole item, its parsed body, and which blocks deduplication folds (one flag per block;
    /// empty folds nothing).
    ArticleLoaded(Box<ItemRow>, Document, Vec<bool>),
    /// An image of an article, fetched (or read from the image cache) and decoded.
    ImageLoaded {
        /// The article it is for; ignored when another is open.
        item: ItemId,
        /// Its address, as the body's link list has it.
        url: String,
        /// The picture.
        picture: std::sync::Arc<crate::content::picture::Picture>,
    },
    /// The graphics protocol the terminal speaks, as the session found it out.
    Graphics(crate::app::protocol::Protocol),
    /// The unread items of a query's view, as the cache counted them.
    UnreadCounted {
        /// The query counted; stale answers are ignored.
        query: ItemQuery,
        /// Its unread items.
        unread: u64,
    },
    /// A mark-all-read finished; these items changed from unread to read.
    MarkedAllRead(Vec<ItemId>),
    /// A refresh started for this many feeds.
    RefreshStarted {
        /// Feeds to fetch.
        total: usize,
    },
    /// A refresh made progress.
    RefreshProgress {
        /// Feeds done so far.
        done: usize,
        /// Feeds to fetch.
        total: usize,
        /// Feeds that failed so far.
        failed: usize,
    },
    /// A refresh finished.
    RefreshDone {
        /// When it finished (Unix seconds).
        at: i64,
        /// New items stored.
        new_items: usize,
        /// The feeds that failed: title and message.
        failed: Vec<(String, String)>,
    },
    /// The terminal has a new size.
    Resize(u16, u16),
    /// A mouse event at a cell.
    Mouse {
        /// What happened.
        kind: MouseKind,
        /// Column of the cell.
        column: u16,
        /// Row of the cell.
        row: u16,
    },
    /// Time passes; the current time in Unix seconds (for periodic refresh).
    Tick(i64),
    /// An item's page was fetched (or could not be): what happened, to show.
    PageFetched {
        /// The item.
        item: ItemId,
        /// One line saying what happened.
        outcome: String,
    },
    /// A feed's title or tags were saved in the cache ([`Command::EditFeed`]).
    FeedEdited(crate::app::feed_edit::FeedEdit),
    /// A command failed; the message is shown, never a modal.
    Error(String),
    /// Something to say in the status line (a program the reader ran finished, a file was
    /// written).
    Notice(String),
    /// A program the reader ran for the user failed: shown in the status line.
    CommandFailed(String),
    /// A refresh stored new stories (unread, not copies): the reader notifies.
    NewStories {
        /// How many.
        count: usize,
        /// The titles of their feeds.
        feeds: Vec<String>,
    },
    /// An episode was queued for download ([`Command::QueueDownload`]): its label.
    DownloadQueued(String),
    /// The query feeds with their counts.
    QueriesLoaded(Vec<crate::app::query_row::QueryRow>),
    /// The cache turned out to be damaged (the message names it and says what to do): from now
    /// on the reader only reads.
    CacheDamaged(String),
    /// Another process (a `tidings fetch` from cron, an `add`) changed the cache.
    CacheChanged,
    /// Which of the rows just loaded rules hid and which they highlighted.
    RowMarks {
        /// The hidden ones (listed only while hidden items are shown).
        hidden: Vec<ItemId>,
        /// The highlighted ones.
        highlighted: Vec<ItemId>,
    },
    /// The last application of the rules was undone: how many items were put back.
    RulesUndone(u64),
    /// The remembered view settings ([`Command::LoadViewSettings`]).
    ViewSettingsLoaded(Vec<ViewSetting>),
    /// The time of each feed's newest item ([`Command::LoadFeedLatest`]).
    FeedLatestLoaded(HashMap<FeedId, i64>),
    /// A window of headlines placed around an item ([`Command::LoadHeadlinesAt`]).
    HeadlinesPlaced {
        /// The query the rows answer; stale answers are ignored.
        query: ItemQuery,
        /// Index in the whole view of the item asked for, or of the first item after it when
        /// the view does not hold it.
        selected: u64,
        /// Index in the whole view of the first row.
        offset: u64,
        /// The rows.
        rows: Vec<Headline>,
        /// How many items the whole view holds.
        total: u64,
    },
}

/// An effect the runtime carries out; its result, if any, comes back as a [`Msg`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Load the feed list and the totals ([`Msg::FeedsLoaded`]).
    LoadFeeds,
    /// Load a window of headlines ([`Msg::HeadlinesLoaded`]).
    LoadHeadlines {
        /// Which items.
        query: ItemQuery,
        /// Index of the first row wanted.
        offset: u64,
        /// How many rows at most.
        limit: usize,
    },
    /// Count the unread items of a query's view ([`Msg::UnreadCounted`]).
    CountUnread(ItemQuery),
    /// Load an item and parse its body ([`Msg::ArticleLoaded`]).
    LoadArticle(ItemId),
    /// Load an item and parse the feed's own text, not the article fetched from its page
    /// ([`Msg::ArticleLoaded`]).
    LoadFeedText(ItemId),
    /// Fetch the article of an item from its page, in the background ([`Msg::PageFetched`]).
    FetchPage(ItemId),
    /// Fetch (or read from the image cache) and decode the images of an open article, in the
    /// background ([`Msg::ImageLoaded`] for each that decodes).
    LoadImages {
        /// The article.
        item: ItemId,
        /// Its feed's address: images on the feed's own host are trusted as the feed is.
        feed_url: String,
        /// The images' addresses, at most [`crate::app::images::MAX_PER_ARTICLE`].
        urls: Vec<String>,
    },
    /// Mark one item read or unread.
    SetRead(ItemId, bool),
    /// Star or unstar one item.
    SetStarred(ItemId, bool),
    /// Mark every item of a query read ([`Msg::MarkedAllRead`]).
    MarkAllRead(ItemQuery),
    /// Mark these items unread again, undoing a mark-all.
    UndoMarkAll(Vec<ItemId>),
    /// Undo the last application of the rules ([`Msg::RulesUndone`]).
    UndoRules,
    /// List the items that rules hid, or leave them out again (the default).
    SetShowHidden(bool),
    /// Fetch one feed, or all when `None`, for the reason given.
    Refresh(Option<FeedId>, RefreshCause),
    /// Open an http(s) address in the browser.
    OpenUrl(String),
    /// Put an http(s) address on the clipboard with OSC 52.
    CopyToClipboard(String),
    /// Load the query feeds with their counts ([`Msg::QueriesLoaded`]): the config's, given
    /// as `(name, filter)`, then those saved in the cache.
    LoadQueries(Vec<(String, String)>),
    /// Save a query in the cache.
    SaveQuery {
        /// Its name.
        name: String,
        /// The filter.
        filter: String,
    },
    /// Save a feed's new title or tags in the cache ([`Msg::FeedEdited`]).
    EditFeed(crate::app::feed_edit::FeedEdit),
    /// Leave the reader.
    Quit,
    /// Run a user's `pipe` command with the article's text on its standard input
    /// ([`Msg::Notice`] or [`Msg::CommandFailed`] when it ends).
    Pipe {
        /// The program and its arguments, placeholders filled.
        argv: Vec<String>,
        /// The article's text, unwrapped.
        input: String,
        /// The program needs the terminal: the reader steps aside while it runs.
        terminal: bool,
    },
    /// Run an `[open]` command for an enclosure, detached.
    OpenWith(Vec<String>),
    /// Write an article as Markdown into a folder ([`Msg::Notice`] with the file).
    SaveArticle {
        /// The folder (`[save] dir`).
        dir: std::path::PathBuf,
        /// The title, from which the file is named.
        title: String,
        /// The Markdown text.
        markdown: String,
    },
    /// Tell the user about new stories: run the `[notify]` command, write the terminal's own
    /// notification.
    Notify {
        /// The command, placeholders filled, when one is configured.
        argv: Option<Vec<String>>,
        /// The escape sequence (OSC 9 or 777, cleaned), when one is configured.
        osc: Option<String>,
    },
    /// Queue an enclosure of an item for download ([`Msg::DownloadQueued`], or a notice that it
    /// is queued or done already).
    QueueDownload {
        /// The item.
        item: ItemId,
        /// The enclosure's address as the link list shows it; `None` for the item's episode (its
        /// first audio or video enclosure, else its first).
        url: Option<String>,
    },
    /// Run the downloads waiting in the queue, in the background (progress and results come
    /// back as [`Msg::Notice`] and [`Msg::CommandFailed`]).
    RunDownloads,
    /// Load the remembered view settings ([`Msg::ViewSettingsLoaded`]).
    LoadViewSettings,
    /// Remember one view setting in the cache; a cache that cannot be written does not.
    SaveViewSetting {
        /// The view's key (see [`crate::app::prefs::view_key`]).
        view: String,
        /// The setting's name.
        setting: String,
        /// Its value.
        value: String,
    },
    /// Load the time of each feed's newest item ([`Msg::FeedLatestLoaded`]).
    LoadFeedLatest,
    /// Load a window of headlines around an item of a query ([`Msg::HeadlinesPlaced`]).
    LoadHeadlinesAt {
        /// Which items.
        query: ItemQuery,
        /// The item to keep selected.
        anchor: ItemId,
        /// How many rows at most.
        limit: usize,
    },
}
