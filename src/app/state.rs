//! The reader's state: plain data, changed only by [`crate::app::update`], read by the drawing code.

use crate::app::article::ArticleView;
use crate::app::feeds::FeedEntry;
use crate::app::list::HeadlineList;
use crate::app::msg::Totals;
use crate::config::ReaderSettings;
use crate::config::keymap::Keymap;
use crate::config::theme::Theme;
use crate::model::{FeedRow, ItemId, ItemQuery, View};

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The feed list.
    Feeds,
    /// The headline list.
    Headlines,
    /// The article.
    Article,
}

/// A window drawn over the panes; at most one is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The key help, scrolled by this many lines.
    Help {
        /// First line shown.
        scroll: usize,
    },
    /// The search prompt with the text typed so far and its scope.
    Search {
        /// The query being typed.
        input: String,
        /// The current feed, offered as the scope (`None`: there is none).
        feed: Option<crate::model::FeedId>,
        /// Whether the search is limited to `feed` (Tab switches).
        in_feed: bool,
    },
    /// The article's numbered links.
    Links {
        /// The highlighted link (0-based).
        selected: usize,
        /// Digits typed to pick a link by number.
        typed: String,
    },
    /// A y/n question before marking a wide view read.
    Confirm {
        /// The view to mark.
        view: View,
        /// Its name, for the status line.
        name: String,
    },
    /// The filter prompt (`F`) with the text typed so far.
    Filter {
        /// The filter being typed.
        input: String,
    },
    /// The prompt for the name of a query to save.
    SaveQuery {
        /// The name being typed.
        input: String,
    },
    /// The prompt that renames a feed (`c`) or edits its tags (`t`), prefilled with the current
    /// value.
    EditFeed {
        /// The feed edited.
        feed: crate::model::FeedId,
        /// Which value.
        field: crate::app::feed_edit::FeedField,
        /// The text so far.
        input: String,
    },
    /// The error list: each failing feed's last error, then the reader's own errors.
    Errors {
        /// The highlighted feed error (0-based).
        selected: usize,
    },
}

/// A search for an unread item that goes on when headlines arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seek {
    /// Forward (`n`) or back (`N`).
    pub forward: bool,
    /// Whether the selected row itself counts (a freshly shown feed).
    pub inclusive: bool,
    /// Start from the view's last row once it is known (going back into a feed).
    pub from_end: bool,
}

/// Where a background refresh stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefreshStatus {
    /// A refresh is under way.
    pub running: bool,
    /// Feeds done in the current refresh.
    pub done: usize,
    /// Feeds in the current refresh.
    pub total: usize,
    /// Feeds failed in the current refresh.
    pub failed: usize,
    /// The feed the current refresh is for (`None`: every feed).
    pub feed: Option<crate::model::FeedId>,
    /// When the last refresh was started.
    pub last_started: Option<i64>,
    /// When the last refresh finished.
    pub last_done: Option<i64>,
}

/// A line of the status bar that is not the usual summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The text.
    pub text: String,
    /// Whether it reports a failure.
    pub error: bool,
}

/// One entry of the error list overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEntry {
    /// What failed (a feed's name, or "reader").
    pub source: String,
    /// The message.
    pub message: String,
    /// When (Unix seconds).
    pub at: i64,
}

/// The whole state of the reader.
#[derive(Debug, Clone)]
pub struct State {
    /// The current time (Unix seconds), for dates and periodic refresh; set by `Tick`.
    pub now: i64,
    /// Offset of local time from UTC, in seconds, for showing dates.
    pub tz_offset: i32,
    /// Terminal width.
    pub width: u16,
    /// Terminal height.
    pub height: u16,
    /// The `[reader]` settings from the config file.
    pub settings: ReaderSettings,
    /// The key map.
    pub keymap: Keymap,
    /// The colours.
    pub theme: Theme,
    /// Which pane has the keyboard.
    pub focus: Focus,
    /// The open overlay, if any.
    pub overlay: Option<Overlay>,
    /// Subscribed feeds with counts.
    pub feeds: Vec<FeedRow>,
    /// Each feed's distinctive short name, for narrow columns (see [`crate::app::labels`]).
    pub feed_labels: std::collections::HashMap<crate::model::FeedId, String>,
    /// Counts of the virtual feeds.
    pub totals: Totals,
    /// The query feeds (see [`crate::app::queries`]).
    pub queries: Vec<crate::app::query_row::QueryRow>,
    /// The rows of the feed pane.
    pub entries: Vec<FeedEntry>,
    /// Selected row of the feed pane.
    pub feed_selected: usize,
    /// First row shown in the feed pane.
    pub feed_scroll: usize,
    /// The headline list of the current view.
    pub list: HeadlineList,
    /// The view to return to when a search is left, with its selection and scroll.
    pub before_search: Option<HeadlineList>,
    /// The open article, if any.
    pub article: Option<ArticleView>,
    /// The article asked for and not yet loaded.
    pub article_pending: Option<ItemId>,
    /// The item whose feed text (rather than its fetched article) was last asked for.
    pub feed_text_for: Option<ItemId>,
    /// Images are shown (the `i` key turns them off for the session; `[reader] images = "off"`
    /// and a feed's `images = "off"` win over it).
    pub images_on: bool,
    /// How the terminal draws images (half blocks until the session learns better, from the
    /// environment or the terminal's answer).
    pub protocol: crate::app::protocol::Protocol,
    /// Background refresh progress.
    pub refresh: RefreshStatus,
    /// The last error of each feed that failed, as the latest refresh of that feed left them.
    pub errors: Vec<ErrorEntry>,
    /// The reader's own errors (the cache, a browser), newest last.
    pub reader_errors: Vec<ErrorEntry>,
    /// A transient notice for the status line.
    pub notice: Option<Notice>,
    /// The name of the view a mark-all-read is under way for.
    pub marking: Option<String>,
    /// The items changed by the last mark-all-read, for undo.
    pub last_mark_all: Option<Vec<ItemId>>,
    /// Whether the current view lists the items rules hid, and which loaded rows are hidden
    /// or highlighted.
    pub marks: crate::app::row_marks::RowMarks,
    /// A next/previous unread search waiting for the next window.
    pub seek_unread: Option<Seek>,
    /// Set when the cache cannot be written (a read-only home, or a cache marked damaged): says
    /// so in the status line, and the reader then sends no command that writes.
    pub read_only: Option<String>,
    /// The remembered choices of the views and the feed list (see [`crate::app::prefs`]).
    pub prefs: crate::app::prefs::Prefs,
    /// The time of each feed's newest item, loaded while the feed list is ordered by it.
    pub feed_latest: std::collections::HashMap<crate::model::FeedId, i64>,
    /// The settings of the programs the reader runs for the user (`[open]`, `[notify]`,
    /// `[save]`).
    pub external: crate::config::commands::External,
    /// The config's `[[feed]]` tables: their titles and extra tags are shown over the cache's,
    /// and an edit they override says so.
    pub feed_rules: crate::config::feeds::FeedRules,
    /// The titles and tags of the feeds as the cache keeps them, by feed, where a `[[feed]]`
    /// table shows others: the edit prompts start from these.
    pub stored_names: std::collections::HashMap<crate::model::FeedId, (String, Vec<String>)>,
    /// The titles `[[feed]]` tables give feeds, by the title the cache keeps: headlines and
    /// articles, which the cache names by the latter, show the former.
    pub table_titles: std::collections::HashMap<String, String>,
    /// Set when the reader should stop.
    pub quit: bool,
}

impl State {
    /// A reader showing all items, with an empty cache until the first loads return.
    pub fn new(settings: ReaderSettings, keymap: Keymap, theme: Theme, now: i64) -> State {
        State {
            now,
            tz_offset: 0,
            width: 80,
            height: 24,
            settings,
            keymap,
            theme,
            focus: Focus::Headlines,
            overlay: None,
            feeds: Vec::new(),
            feed_labels: std::collections::HashMap::new(),
            totals: Totals::default(),
            queries: Vec::new(),
            entries: crate::app::feeds::entries(&[]),
            feed_selected: 0,
            feed_scroll: 0,
            list: HeadlineList::new(ItemQuery::new(View::All)),
            before_search: None,
            article: None,
            article_pending: None,
            feed_text_for: None,
            images_on: true,
            protocol: crate::app::protocol::Protocol::Halfblocks,
            refresh: RefreshStatus::default(),
            errors: Vec::new(),
            reader_errors: Vec::new(),
            notice: None,
            marking: None,
            last_mark_all: None,
            marks: Default::default(),
            seek_unread: None,
            read_only: None,
            prefs: crate::app::prefs::Prefs::default(),
            feed_latest: std::collections::HashMap::new(),
            external: crate::config::commands::External::default(),
            feed_rules: Default::default(),
            stored_names: Default::default(),
            table_titles: Default::default(),
            quit: false,
        }
    }

    /// Whether the three panes are shown together.
    pub fn is_wide(&self) -> bool {
        self.width >= self.settings.side_by_side_min_width
    }

    /// A short name of the current view for the status line and pane titles.
    pub fn view_name(&self) -> String {
        self.name_of(&self.list.query.view)
    }

    /// A short name of a view.
    pub fn name_of(&self, view: &View) -> String {
        match view {
            View::All => "All".to_string(),
            View::Unread => "Unread".to_string(),
            View::Starred => "Starred".to_string(),
            View::Feed(id) => self
                .feeds
                .iter()
                .find(|f| f.id == *id)
                .map_or_else(|| format!("feed {id}"), |f| f.title.clone()),
            View::Tag(t) => format!("tag {t}"),
            View::Search(s) => match s.feed {
                Some(id) => format!("search \"{}\" in {}", s.text, self.name_of(&View::Feed(id))),
                None => format!("search \"{}\"", s.text),
            },
            // A query feed by its name; a narrowed view by the view and the filter.
            View::Filter { base, filter } => {
                if **base == View::All
                    && let Some(q) = self.queries.iter().find(|q| q.filter == *filter)
                {
                    return q.name.clone();
                }
                format!("{} where {filter}", self.name_of(base))
            }
        }
    }

    /// Records the failures of a finished refresh: a refresh of every feed replaces the list, a
    /// refresh of one feed replaces that feed's entry.
    pub fn record_refresh_errors(&mut self, failed: Vec<(String, String)>, at: i64) {
        let names: Vec<(String, String)> = failed
            .into_iter()
            .map(|(f, m)| (crate::app::names::source_name(&f), m))
            .collect();
        match self.refresh.feed {
            None => self.errors.clear(),
            Some(id) => {
                let name = self
                    .feeds
                    .iter()
                    .find(|f| f.id == id)
                    .map(|f| f.title.clone());
                self.errors.retain(|e| {
                    Some(&e.source) != name.as_ref() && !names.iter().any(|n| n.0 == e.source)
                });
            }
        }
        for (source, message) in names {
            self.errors.push(ErrorEntry {
                source,
                message,
                at,
            });
        }
    }

    /// Shows a notice in the status line.
    pub fn notify(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
        });
    }

    /// Shows a failure in the status line without adding it to the error list.
    pub fn notify_error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
        });
    }

    /// Shows a failure of the reader itself in the status line and keeps it in the error list.
    pub fn fail(&mut self, source: &str, message: impl Into<String>) {
        let message = message.into();
        if self.reader_errors.len() >= 100 {
            self.reader_errors.remove(0);
        }
        self.reader_errors.push(ErrorEntry {
            source: source.to_string(),
            message: message.clone(),
            at: self.now,
        });
        self.notice = Some(Notice {
            text: message,
            error: true,
        });
    }
}

impl State {
    /// The feed the user is on: the highlighted feed, the article's, the view's, or the highlighted
    /// item's.
    pub fn current_feed(&self) -> Option<i64> {
        if self.focus == Focus::Feeds {
            return match self.entries.get(self.feed_selected)?.view(&self.feeds)? {
                View::Feed(id) => Some(id),
                _ => None,
            };
        }
        if let (Focus::Article, Some(a)) = (self.focus, &self.article) {
            return Some(a.item.feed_id);
        }
        match &self.list.query.view {
            View::Feed(id) => Some(*id),
            _ => self.list.selected_row().map(|h| h.feed_id),
        }
    }
}
