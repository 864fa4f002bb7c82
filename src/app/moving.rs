//! Moving on: the next or previous unread article, across windows of the headline list and on
//! into the next or previous feed with unread items; and stepping article by article.

use crate::app::feeds::{FeedEntry, arrange};
use crate::app::msg::Command;
use crate::app::prefs::FeedListPrefs;
use crate::app::screen::{keep_feed_visible, list_height};
use crate::app::state::{Seek, State};
use crate::app::views::{open_selected, show_query};
use crate::model::{FeedId, ItemQuery, View};

/// Selects and opens the next (or previous) unread item, going on into the next (or previous)
/// feed with unread items when the current feed has none left.
pub fn next_unread(state: &mut State, forward: bool) -> Vec<Command> {
    seek(
        state,
        Seek {
            forward,
            inclusive: false,
            from_end: false,
        },
    )
}

/// Carries out a search for an unread item. When the loaded window has none, it walks to the
/// window's edge and asks for the next one; the search goes on when that window arrives.
pub fn seek(state: &mut State, mut seek: Seek) -> Vec<Command> {
    let h = list_height(state);
    if seek.from_end {
        if !state.list.loaded {
            state.seek_unread = Some(seek);
            return Vec::new();
        }
        let last = state.list.total.saturating_sub(1);
        state.list.select(last, h);
        seek.from_end = false;
        seek.inclusive = true;
    }
    let list = &state.list;
    let end = list.offset + list.rows.len() as u64;
    if list.total > 0 && !(list.offset..end).contains(&list.selected) {
        state.seek_unread = Some(seek);
        return vec![state.list.load_around()];
    }
    let skip = u64::from(!seek.inclusive);
    let found = if seek.forward {
        (list.selected + skip..end).find(|&i| list.row(i).is_some_and(|h| !h.read))
    } else {
        (list.offset..(list.selected + 1 - skip).max(list.offset))
            .rev()
            .find(|&i| list.row(i).is_some_and(|h| !h.read))
    };
    if let Some(i) = found {
        state.list.select(i, h);
        let mut cmds = open_selected(state);
        cmds.extend(state.list.window_command());
        return cmds;
    }
    let more = if seek.forward {
        end < list.total
    } else {
        list.offset > 0
    };
    if more && list.loaded && !list.rows.is_empty() {
        let edge = if seek.forward { end - 1 } else { list.offset };
        state.list.select(edge, h);
        state.seek_unread = Some(Seek {
            inclusive: false,
            ..seek
        });
        return vec![state.list.load_around()];
    }
    match neighbour_feed(state, seek.forward) {
        Some((entry, id)) => move_to_feed(state, entry, id, seek.forward),
        None => {
            state.notify("No more unread items");
            Vec::new()
        }
    }
}

/// The next (or previous) feed with unread items after the one shown, in the order of the feed
/// pane, going round; with its row in the pane. Only a feed's own view moves on this way (All
/// and Unread already hold every feed).
fn neighbour_feed(state: &State, forward: bool) -> Option<(usize, FeedId)> {
    let View::Feed(current) = state.list.query.view else {
        return None;
    };
    // Every feed in the pane's order, those in folded tags and hidden ones included.
    let unfolded = FeedListPrefs {
        order: state.prefs.feed_list.order,
        ..FeedListPrefs::default()
    };
    let mut order: Vec<(usize, FeedId, u64)> = Vec::new();
    for e in arrange(&state.feeds, &unfolded, &state.feed_latest, None) {
        if let FeedEntry::Feed { index, .. } = e
            && let Some(f) = state.feeds.get(index)
            && !order.iter().any(|o| o.1 == f.id)
        {
            order.push((pane_row(state, index), f.id, f.unread));
        }
    }
    let here = order.iter().position(|o| o.1 == current)?;
    let n = order.len();
    (1..n)
        .map(|k| {
            let j = if forward { here + k } else { here + n - k };
            order[j % n]
        })
        .find(|o| o.2 > 0)
        .map(|o| (o.0, o.1))
}

/// The row of the feed pane that shows feed `index`: its own, else that of the folded tag
/// holding it, else the row highlighted now.
fn pane_row(state: &State, index: usize) -> usize {
    let own = state
        .entries
        .iter()
        .position(|e| matches!(e, FeedEntry::Feed { index: i, .. } if *i == index));
    let tags = &state.feeds[index].tags;
    let folder = || {
        state
            .entries
            .iter()
            .position(|e| matches!(e, FeedEntry::Tag { name, .. } if tags.contains(name)))
    };
    own.or_else(folder).unwrap_or(state.feed_selected)
}

/// Shows a feed's headlines and goes on seeking there: its first unread item going forward, its
/// last going back. The status line names the feed.
fn move_to_feed(state: &mut State, entry: usize, id: FeedId, forward: bool) -> Vec<Command> {
    state.feed_selected = entry;
    keep_feed_visible(state);
    let (title, unread) = state
        .feeds
        .iter()
        .find(|f| f.id == id)
        .map_or((String::new(), 0), |f| (f.title.clone(), f.unread));
    let query = ItemQuery {
        view: View::Feed(id),
        ..state.list.query.clone()
    };
    let cmds = show_query(state, query);
    state.seek_unread = Some(Seek {
        forward,
        inclusive: true,
        from_end: !forward,
    });
    let dir = if forward { "next" } else { "previous" };
    state.notify(format!(
        "On to the {dir} feed with unread items: {title} ({unread} unread)"
    ));
    cmds
}

/// Opens the article `delta` rows below (or above) the selected one.
pub fn step_article(state: &mut State, delta: i64) -> Vec<Command> {
    let before = state.list.selected;
    let h = list_height(state);
    state.list.move_by(delta, h);
    if state.list.selected == before {
        state.notify(if delta > 0 {
            "This is the last article"
        } else {
            "This is the first article"
        });
        return Vec::new();
    }
    let mut cmds = if state.list.selected_row().is_some() {
        open_selected(state)
    } else {
        Vec::new()
    };
    cmds.extend(state.list.window_command());
    cmds
}
