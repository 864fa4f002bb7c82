//! Arranging what the reader shows, with the choices remembered in the cache (see
//! [`crate::app::prefs`]): a view's order and its hidden read items (`S`, `H`), which keep the
//! selection on the same item; the feed list's folded tags (`z`), its order and its hiding of
//! feeds with nothing unread.

use crate::app::feeds::{self, FeedEntry};
use crate::app::list::{HeadlineList, WINDOW};
use crate::app::msg::{Command, Msg};
use crate::app::prefs::{FeedOrder, Prefs};
use crate::app::screen::{keep_feed_visible, list_height};
use crate::app::state::{Focus, State};
use crate::app::views::show_query;
use crate::model::{ItemQuery, View};
use crate::store::ViewSetting;

/// `S`: newest or oldest first, for the view shown; remembered for that view.
pub fn toggle_sort(state: &mut State) -> Vec<Command> {
    let mut q = state.list.query.clone();
    q.oldest_first = !q.oldest_first;
    let what = if q.oldest_first {
        "Oldest first"
    } else {
        "Newest first"
    };
    state.notify(format!("{what} in {}", state.view_name()));
    rearrange(state, q)
}

/// `H`: hide or show read items, for the view shown; remembered for that view.
pub fn toggle_show_read(state: &mut State) -> Vec<Command> {
    let mut q = state.list.query.clone();
    q.unread_only = !q.unread_only;
    let what = if q.unread_only {
        "Read items hidden"
    } else {
        "Read items shown"
    };
    state.notify(format!("{what} in {}", state.view_name()));
    rearrange(state, q)
}

/// Shows the view again with new choices, keeping the selected item selected (or, when it is
/// now hidden, the item that followed it) on the same screen row.
pub(crate) fn rearrange(state: &mut State, query: ItemQuery) -> Vec<Command> {
    let mut cmds = state.prefs.remember(&query);
    let Some(anchor) = state.list.selected_row().map(|h| h.id) else {
        state.list = HeadlineList::new(query);
        cmds.push(state.list.load_around());
        return cmds;
    };
    let (selected, scroll) = (state.list.selected, state.list.scroll);
    state.list = HeadlineList::new(query);
    state.list.selected = selected;
    state.list.scroll = scroll;
    state.list.pending = Some(selected.saturating_sub(WINDOW as u64 / 2));
    cmds.push(Command::LoadHeadlinesAt {
        query: state.list.query.clone(),
        anchor,
        limit: WINDOW,
    });
    cmds
}

/// Takes in a window placed around an item: the selection goes to the item, on the screen row
/// the selection had. When the user moved the selection while the window was on its way (keys
/// pressed during a refresh's reload), it stays on the item they moved to, if the window holds it.
pub fn placed(state: &mut State, msg: Msg) -> Vec<Command> {
    let Msg::HeadlinesPlaced {
        query,
        selected,
        offset,
        mut rows,
        total,
    } = msg
    else {
        return Vec::new();
    };
    if query != state.list.query {
        return Vec::new();
    }
    crate::app::table_titles::retitle_headlines(state, &mut rows);
    crate::app::names::name_headlines(&mut rows);
    let row = state.list.selected.saturating_sub(state.list.scroll);
    let current = state.list.selected_row().map(|h| h.id);
    state.list.rows.clear();
    state.list.selected = selected;
    state.list.scroll = selected.saturating_sub(row);
    let h = list_height(state);
    state.list.receive(offset, rows, total, h);
    if let Some(now) = current.and_then(|id| state.list.index_of(id))
        && now != state.list.selected
    {
        state.list.selected = now;
        state.list.scroll = now.saturating_sub(row);
        state.list.keep_visible(h);
    }
    state.list.window_command().into_iter().collect()
}

/// The remembered choices arrived: the feed list and the view shown follow them.
pub fn settings_loaded(state: &mut State, settings: &[ViewSetting]) -> Vec<Command> {
    state.prefs = Prefs::from_settings(settings);
    let mut cmds = latest_if_needed(state);
    rebuild_entries(state);
    let mut q = state.list.query.clone();
    state.prefs.apply(&mut q);
    if q != state.list.query {
        cmds.extend(show_query(state, q));
    }
    cmds
}

/// `z`: folds or unfolds the highlighted tag of the feed list, or the tag of the highlighted
/// feed (which then highlights the tag).
pub fn toggle_folder(state: &mut State) -> Vec<Command> {
    if state.focus != Focus::Feeds {
        state.notify("z folds a tag of the feed list");
        return Vec::new();
    }
    let tag = match state.entries.get(state.feed_selected) {
        Some(FeedEntry::Tag { name, .. }) => Some(name.clone()),
        Some(FeedEntry::Feed { nested: true, .. }) => state.entries[..state.feed_selected]
            .iter()
            .rev()
            .find_map(|e| match e {
                FeedEntry::Tag { name, .. } => Some(name.clone()),
                _ => None,
            }),
        _ => None,
    };
    let Some(tag) = tag else {
        state.notify("Not in a tag: z folds a tag of the feed list");
        return Vec::new();
    };
    let cmd = state.prefs.toggle_collapsed(&tag);
    let folded = state.prefs.feed_list.collapsed.contains(&tag);
    rebuild_entries(state);
    if let Some(row) = state
        .entries
        .iter()
        .position(|e| matches!(e, FeedEntry::Tag { name, .. } if *name == tag))
    {
        state.feed_selected = row;
        keep_feed_visible(state);
    }
    state.notify(format!(
        "Tag {tag} {}",
        if folded { "folded" } else { "unfolded" }
    ));
    vec![cmd]
}

/// Orders the feed list by title, unread count or newest item, in turn.
pub fn cycle_feed_order(state: &mut State) -> Vec<Command> {
    let mut cmds = vec![state.prefs.next_feed_order()];
    cmds.extend(latest_if_needed(state));
    rebuild_entries(state);
    state.notify(format!(
        "Feeds ordered by {}",
        state.prefs.feed_list.order.name()
    ));
    cmds
}

/// Hides or shows the feeds with nothing unread.
pub fn toggle_read_feeds(state: &mut State) -> Vec<Command> {
    let cmd = state.prefs.toggle_hide_read_feeds();
    rebuild_entries(state);
    state.notify(if state.prefs.feed_list.hide_read {
        "Feeds with nothing unread hidden"
    } else {
        "Feeds with nothing unread shown"
    });
    vec![cmd]
}

/// The load of each feed's newest item time, when the feed list is ordered by it.
pub fn latest_if_needed(state: &State) -> Vec<Command> {
    if state.prefs.feed_list.order == FeedOrder::Latest {
        vec![Command::LoadFeedLatest]
    } else {
        Vec::new()
    }
}

/// Builds the feed pane's rows again from the feed list and its settings, keeping the row of the
/// view that was highlighted.
pub fn rebuild_entries(state: &mut State) {
    let old = state
        .entries
        .get(state.feed_selected)
        .and_then(|e| e.view(&state.feeds));
    rebuild_entries_keeping(state, old);
}

/// As [`rebuild_entries`], highlighting the row of `old` when it is still listed.
pub fn rebuild_entries_keeping(state: &mut State, old: Option<View>) {
    let keep = match state.list.query.view {
        View::Feed(id) => Some(id),
        _ => None,
    };
    state.entries = feeds::arrange(
        &state.feeds,
        &state.prefs.feed_list,
        &state.feed_latest,
        keep,
    );
    feeds::use_tag_counts(&mut state.entries, &state.totals.tags);
    state.entries =
        crate::app::queries::with_queries(std::mem::take(&mut state.entries), &state.queries);
    state.feed_selected = feeds::reselect(old, &state.entries, &state.feeds, state.feed_selected);
    keep_feed_visible(state);
}

/// Another process changed the cache: load the feed list and the window shown again (the
/// selection stays on its item). A refresh of the reader's own reloads when it is done.
pub fn cache_changed(state: &mut State) -> Vec<Command> {
    if state.refresh.running {
        return Vec::new();
    }
    let mut cmds = vec![Command::LoadFeeds];
    if state.list.loaded {
        cmds.push(state.list.reload_keeping_selection());
    }
    cmds
}
