//! Query feeds in the reader: the Queries section of the feed pane (the config's `[[query]]`
//! tables, then those saved in the cache, each with its counts, which the cache worker computes
//! after the first frame), the filter prompt (`F`) that narrows the current view, and saving a
//! narrowed view as a query kept in the cache (`W`). The config's queries are read-only here.

use crate::app::feeds::FeedEntry;
use crate::app::msg::Command;
use crate::app::state::{Focus, Overlay, State};
use crate::app::views::show_query;
use crate::config::keymap::{Key, KeyCode};
use crate::config::queries::Origin;
use crate::model::{ItemQuery, View};

pub use crate::app::query_row::{QueryRow, view_of};

/// The command that (re)loads the query list with its counts: the config's queries travel
/// with it, the worker adds the cache's.
pub fn load(state: &State) -> Command {
    Command::LoadQueries(
        state
            .queries
            .iter()
            .filter(|q| q.origin == Origin::Config)
            .map(|q| (q.name.clone(), q.filter.clone()))
            .collect(),
    )
}

/// Puts the query rows in the feed pane, after the virtual feeds.
pub fn with_queries(mut entries: Vec<FeedEntry>, queries: &[QueryRow]) -> Vec<FeedEntry> {
    let at = entries
        .iter()
        .position(|e| matches!(e, FeedEntry::Starred))
        .map_or(0, |p| p + 1);
    let rows = queries
        .iter()
        .enumerate()
        .map(|(index, q)| FeedEntry::Query {
            index,
            filter: q.filter.clone(),
        });
    entries.splice(at..at, rows);
    entries
}

/// Takes in the query list with counts from the worker.
pub fn loaded(state: &mut State, rows: Vec<QueryRow>) -> Vec<Command> {
    let old = state
        .entries
        .get(state.feed_selected)
        .and_then(|e| e.view(&state.feeds));
    state.queries = rows;
    let plain: Vec<FeedEntry> = state
        .entries
        .iter()
        .filter(|e| !matches!(e, FeedEntry::Query { .. }))
        .cloned()
        .collect();
    state.entries = with_queries(plain, &state.queries);
    state.feed_selected =
        crate::app::feeds::reselect(old, &state.entries, &state.feeds, state.feed_selected);
    crate::app::screen::keep_feed_visible(state);
    Vec::new()
}

/// `F`: opens the filter prompt.
pub fn open_prompt(state: &mut State) -> Vec<Command> {
    state.overlay = Some(Overlay::Filter {
        input: String::new(),
    });
    Vec::new()
}

/// `W`: opens the prompt for a name under which to save the narrowed view.
pub fn open_save(state: &mut State) -> Vec<Command> {
    match saved_filter(state, &state.list.query.view) {
        Ok(_) => {
            state.overlay = Some(Overlay::SaveQuery {
                input: String::new(),
            });
        }
        Err(why) => state.notify_error(why),
    }
    Vec::new()
}

/// Keys typed into the filter or save prompt; `None` when neither is open.
pub fn on_key(state: &mut State, key: &Key) -> Option<Vec<Command>> {
    let (input, saving) = match &mut state.overlay {
        Some(Overlay::Filter { input }) => (input, false),
        Some(Overlay::SaveQuery { input }) => (input, true),
        _ => return None,
    };
    if key.ctrl || key.alt {
        if key.ctrl && key.code == KeyCode::Char('c') {
            state.overlay = None;
        }
        return Some(Vec::new());
    }
    match key.code {
        KeyCode::Char(c) => input.push(c),
        KeyCode::Backspace => {
            input.pop();
        }
        KeyCode::Esc => state.overlay = None,
        KeyCode::Enter => {
            let text = input.trim().to_string();
            return Some(if saving {
                save(state, text)
            } else {
                narrow(state, text)
            });
        }
        _ => {}
    }
    Some(Vec::new())
}

/// Narrows the current view with `text`; a bad filter keeps the prompt open and says why.
fn narrow(state: &mut State, text: String) -> Vec<Command> {
    if text.is_empty() {
        state.overlay = None;
        return Vec::new();
    }
    if let Err(e) = crate::filter::parse(&text) {
        state.notify_error(format!("Filter, column {}: {}", e.column(), e.message));
        return Vec::new();
    }
    state.overlay = None;
    let (base, filter) = match &state.list.query.view {
        View::Filter { base, filter } => ((**base).clone(), format!("({filter}) and ({text})")),
        other => (other.clone(), text),
    };
    show_filter(state, base, filter)
}

/// Whether the search prompt's `text` is a filter expression rather than words to search for:
/// it parses as one and holds a field condition, a comparison or more than one word (a lone
/// `unread` or `starred` is searched for as a word).
pub fn is_filter(text: &str) -> bool {
    crate::filter::parse(text).is_ok()
        && (text.contains([':', '=', '<', '>']) || text.split_whitespace().nth(1).is_some())
}

/// Shows the items of `base` that pass `filter` (already checked), keeping the view left to go
/// back to.
pub fn show_filter(state: &mut State, base: View, filter: String) -> Vec<Command> {
    if state.before_search.is_none() {
        state.before_search = Some(state.list.clone());
    }
    let q = ItemQuery {
        view: View::Filter {
            base: Box::new(base),
            filter,
        },
        ..state.list.query.clone()
    };
    state.focus = Focus::Headlines;
    show_query(state, q)
}

/// Saves the narrowed view under `name`, in the cache.
fn save(state: &mut State, name: String) -> Vec<Command> {
    if name.is_empty() {
        state.overlay = None;
        return Vec::new();
    }
    if state
        .queries
        .iter()
        .any(|q| q.name == name && q.origin == Origin::Config)
    {
        state.notify_error(format!(
            "\"{name}\" is a query of the config file, which the reader does not change; pick another name"
        ));
        return Vec::new();
    }
    state.overlay = None;
    let filter = match saved_filter(state, &state.list.query.view) {
        Ok(f) => f,
        Err(why) => {
            state.notify_error(why);
            return Vec::new();
        }
    };
    state.notify(format!("Saved the query \"{name}\""));
    vec![Command::SaveQuery { name, filter }, load(state)]
}

/// The filter over every item that selects what `view` (a narrowed view) shows, or why there is none.
fn saved_filter(state: &State, view: &View) -> Result<String, String> {
    let View::Filter { base, filter } = view else {
        return Err("Narrow the view with a filter (F) first, then save it".into());
    };
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let base = match &**base {
        View::All => None,
        View::Unread => Some("unread".to_string()),
        View::Starred => Some("starred".to_string()),
        View::Tag(t) => Some(format!("tag=\"{}\"", quote(t))),
        View::Feed(id) => {
            let title = state
                .feeds
                .iter()
                .find(|f| f.id == *id)
                .map(|f| f.title.clone())
                .ok_or("The feed of this view is gone")?;
            Some(format!("feed=\"{}\"", quote(&title)))
        }
        View::Search(_) => {
            return Err(
                "A search cannot be saved as a query: filter with text:\"words\" instead".into(),
            );
        }
        inner @ View::Filter { .. } => Some(saved_filter(state, inner)?),
    };
    Ok(match base {
        Some(b) => format!("{b} and ({filter})"),
        None => filter.clone(),
    })
}
