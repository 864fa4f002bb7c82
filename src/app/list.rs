//! The virtualised headline list: the state holds only a window of rows around the selection and
//! the total count of the view. Selection and scroll are indices into the whole view; moving near
//! the edge of the window asks for the next window.

use crate::app::msg::Command;
use crate::model::{Headline, ItemId, ItemQuery, View};

/// Rows asked for per window.
pub const WINDOW: usize = 200;
/// When the selection comes this close to an edge of the window, the next window is loaded.
pub const MARGIN: u64 = 50;

/// The headline list of one view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadlineList {
    /// The view and its options.
    pub query: ItemQuery,
    /// Items in the whole view.
    pub total: u64,
    /// Index in the view of `rows[0]`.
    pub offset: u64,
    /// The loaded window.
    pub rows: Vec<Headline>,
    /// Index in the view of the selected item.
    pub selected: u64,
    /// Index in the view of the first row on screen.
    pub scroll: u64,
    /// Offset of a window asked for and not yet received.
    pub pending: Option<u64>,
    /// Whether any answer has arrived for this query.
    pub loaded: bool,
    /// The view's unread items as the cache last counted them (asked only for views whose
    /// count the feed list does not give; see [`crate::app::view_counts`]).
    pub unread: Option<u64>,
}

impl HeadlineList {
    /// An empty list of a query, waiting for its first window.
    pub fn new(query: ItemQuery) -> HeadlineList {
        HeadlineList {
            query,
            total: 0,
            offset: 0,
            rows: Vec::new(),
            selected: 0,
            scroll: 0,
            pending: None,
            loaded: false,
            unread: None,
        }
    }

    /// The row at an index of the view, when it is in the loaded window.
    pub fn row(&self, index: u64) -> Option<&Headline> {
        let i = index.checked_sub(self.offset)?;
        self.rows.get(usize::try_from(i).ok()?)
    }

    /// The row at an index of the view, mutably.
    pub fn row_mut(&mut self, index: u64) -> Option<&mut Headline> {
        let i = index.checked_sub(self.offset)?;
        self.rows.get_mut(usize::try_from(i).ok()?)
    }

    /// The selected row, when loaded.
    pub fn selected_row(&self) -> Option<&Headline> {
        self.row(self.selected)
    }

    /// Where an item sits in the view, when it is in the loaded window.
    pub fn index_of(&self, id: ItemId) -> Option<u64> {
        self.rows
            .iter()
            .position(|h| h.id == id)
            .map(|p| self.offset + p as u64)
    }

    /// Moves the selection by `delta` rows, clamped to the view, and keeps it on screen.
    pub fn move_by(&mut self, delta: i64, height: u64) {
        let last = self.total.saturating_sub(1);
        let target = if delta < 0 {
            self.selected.saturating_sub(delta.unsigned_abs())
        } else {
            self.selected.saturating_add(delta as u64).min(last)
        };
        self.select(target, height);
    }

    /// Selects an index (clamped) and scrolls the least needed to show it.
    pub fn select(&mut self, index: u64, height: u64) {
        self.selected = index.min(self.total.saturating_sub(1));
        self.keep_visible(height);
    }

    /// Scrolls so that the selection is on screen in a list `height` rows tall.
    pub fn keep_visible(&mut self, height: u64) {
        let height = height.max(1);
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + height {
            self.scroll = self.selected + 1 - height;
        }
        let max_scroll = self.total.saturating_sub(height);
        self.scroll = self.scroll.min(max_scroll);
    }

    /// The window load the selection needs, if any: when it nears an edge of the loaded window
    /// (or has left it) and no load is already under way.
    pub fn window_command(&mut self) -> Option<Command> {
        if self.pending.is_some() || !self.loaded {
            return None;
        }
        let end = self.offset + self.rows.len() as u64;
        let near_start = self.offset > 0 && self.selected < self.offset + MARGIN;
        let near_end = end < self.total && self.selected + MARGIN >= end;
        if !(near_start || near_end) {
            return None;
        }
        Some(self.load_around())
    }

    /// A load of the window centred on the selection (also used to reload after a change).
    pub fn load_around(&mut self) -> Command {
        let offset = self.selected.saturating_sub(WINDOW as u64 / 2);
        self.pending = Some(offset);
        Command::LoadHeadlines {
            query: self.query.clone(),
            offset,
            limit: WINDOW,
        }
    }

    /// A reload after the cache changed under the list (a refresh, another process, an article
    /// that arrived): placed around the selected item rather than at the selected index, so the
    /// selection stays on that item, or on the story it joined when it no longer leads one,
    /// whatever arrived or merged above it. Views whose positions the store cannot count (search
    /// results, filters) reload at the index and follow the item within the window.
    pub fn reload_keeping_selection(&mut self) -> Command {
        let placeable = !matches!(self.query.view, View::Search(_) | View::Filter { .. });
        match self.selected_row().map(|h| h.id) {
            Some(anchor) if placeable => {
                self.pending = Some(self.selected.saturating_sub(WINDOW as u64 / 2));
                Command::LoadHeadlinesAt {
                    query: self.query.clone(),
                    anchor,
                    limit: WINDOW,
                }
            }
            _ => self.load_around(),
        }
    }

    /// Takes in an answer for this list's query. The selected item keeps its place on screen even
    /// when new items arrived above it: the selection follows the item's id.
    pub fn receive(&mut self, offset: u64, rows: Vec<Headline>, total: u64, height: u64) {
        let anchor = self.selected_row().map(|h| h.id);
        let old_selected = self.selected;
        self.offset = offset;
        self.rows = rows;
        self.total = total;
        self.pending = None;
        self.loaded = true;
        if let Some(new_index) = anchor.and_then(|id| self.index_of(id))
            && new_index != old_selected
        {
            self.scroll = (self.scroll + new_index).saturating_sub(old_selected);
            self.selected = new_index;
        }
        self.selected = self.selected.min(total.saturating_sub(1));
        self.keep_visible(height);
    }
}
