//! Searching from the reader: the prompt and its scope (every feed, or the current one; Tab
//! switches), the results view, and going back to the view the search started from, as it was.

use crate::app::msg::Command;
use crate::app::screen::relayout;
use crate::app::state::{Focus, Overlay, State};
use crate::app::views::show_query;
use crate::config::keymap::{Key, KeyCode};
use crate::model::{FeedId, SearchQuery, View};

/// Opens the search prompt. A feed is offered as the scope when one is current (the feed shown,
/// the feed a scoped search ran in, or the feed of the highlighted item or article); the prompt
/// starts in that feed when its headlines are shown, else in every feed.
pub fn open_prompt(state: &mut State) -> Vec<Command> {
    let (feed, in_feed) = match &state.list.query.view {
        View::Feed(id) if state.focus != Focus::Feeds => (Some(*id), true),
        View::Search(SearchQuery { feed: Some(id), .. }) => (Some(*id), true),
        _ => (state.current_feed(), false),
    };
    state.overlay = Some(Overlay::Search {
        input: String::new(),
        feed,
        in_feed: in_feed && feed.is_some(),
    });
    Vec::new()
}

/// A key typed into the open search prompt: text, Backspace, Tab (switch the scope), Enter
/// (search) or Esc (cancel).
pub fn prompt_key(state: &mut State, key: Key) -> Vec<Command> {
    let Some(Overlay::Search {
        input,
        feed,
        in_feed,
    }) = &mut state.overlay
    else {
        return Vec::new();
    };
    if key.ctrl || key.alt {
        if key.ctrl && key.code == KeyCode::Char('c') {
            state.overlay = None;
        }
        return Vec::new();
    }
    match key.code {
        KeyCode::Char(c) => input.push(c),
        KeyCode::Backspace => {
            input.pop();
        }
        KeyCode::Tab | KeyCode::BackTab => *in_feed = feed.is_some() && !*in_feed,
        KeyCode::Esc => state.overlay = None,
        KeyCode::Enter => {
            let text = input.trim().to_string();
            let scope = feed.filter(|_| *in_feed);
            state.overlay = None;
            // The prompt also takes a filter expression (`unread and tag:tech`), over the scope.
            if crate::app::queries::is_filter(&text) {
                let base = scope.map_or(View::All, View::Feed);
                return crate::app::queries::show_filter(state, base, text);
            }
            return search(state, text, scope);
        }
        _ => {}
    }
    Vec::new()
}

/// What the prompt's title says of its scope: the feed searched, or every feed, and what Tab
/// switches to.
pub fn scope_label(state: &State, feed: Option<FeedId>, in_feed: bool) -> String {
    let name = |id| state.name_of(&View::Feed(id));
    match (feed, in_feed) {
        (Some(id), true) => format!("in {} (Tab: all feeds)", name(id)),
        (Some(id), false) => format!("in all feeds (Tab: {} only)", name(id)),
        (None, _) => "in all feeds".to_string(),
    }
}

/// Shows the items matching `text` in `feed` (every feed when `None`); an empty text does
/// nothing. The view the first search left is kept whole, to go back to.
pub fn search(state: &mut State, text: String, feed: Option<FeedId>) -> Vec<Command> {
    if text.is_empty() {
        return Vec::new();
    }
    if state.before_search.is_none() {
        state.before_search = Some(state.list.clone());
    }
    let mut q = state.list.query.clone();
    q.view = View::Search(SearchQuery::new(text, feed));
    state.focus = Focus::Headlines;
    show_query(state, q)
}

/// Leaves the search results for the view the search started from, with its selection and
/// scroll where they were; the view is reloaded around the selection (read marks may have
/// changed meanwhile). `None` when no search is shown.
pub fn leave(state: &mut State) -> Option<Vec<Command>> {
    let list = state.before_search.take()?;
    state.list = list;
    state.list.pending = None;
    let cmd = state.list.load_around();
    relayout(state);
    Some(vec![cmd])
}
