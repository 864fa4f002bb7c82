//! What each [`Action`] does to the state, by focus and overlay.

use crate::app::moving;
use crate::app::msg::{Command, RefreshCause};
use crate::app::open;
use crate::app::refreshing::begin_refresh;
use crate::app::screen::{article_height, feed_height, keep_feed_visible, list_height, relayout};
use crate::app::state::{Focus, Overlay, State};
use crate::app::views::{open_selected, show_query};
use crate::config::keymap::Action;

/// Runs one action.
pub fn run(state: &mut State, action: Action) -> Vec<Command> {
    state.notice = None;
    state.seek_unread = None;
    if state.overlay.is_some() {
        return in_overlay(state, action);
    }
    match action {
        Action::Quit => quit(state),
        Action::Back => back(state),
        Action::BackOrQuit if state.focus == Focus::Feeds => quit(state),
        Action::BackOrQuit => back(state),
        Action::Open | Action::FocusRight => open(state, action),
        Action::FocusNext => {
            state.focus = match state.focus {
                Focus::Feeds => Focus::Headlines,
                Focus::Headlines if state.article.is_some() => Focus::Article,
                _ => Focus::Feeds,
            };
            relayout(state);
            Vec::new()
        }
        Action::Down => move_focused(state, 1),
        Action::Up => move_focused(state, -1),
        Action::HalfPageDown => move_focused(state, page(state) / 2),
        Action::HalfPageUp => move_focused(state, -page(state) / 2),
        Action::PageDown => move_focused(state, page(state)),
        Action::PageUp => move_focused(state, -page(state)),
        Action::Top => move_focused(state, i64::MIN / 2),
        Action::Bottom => move_focused(state, i64::MAX / 2),
        Action::Help => {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            Vec::new()
        }
        Action::Search => crate::app::search::open_prompt(state),
        Action::ShowErrors => {
            state.overlay = Some(Overlay::Errors { selected: 0 });
            Vec::new()
        }
        Action::Filter => crate::app::queries::open_prompt(state),
        Action::SaveQuery => crate::app::queries::open_save(state),
        Action::RenameFeed => {
            crate::app::edit::open_prompt(state, crate::app::edit::FeedField::Title)
        }
        Action::EditTags => crate::app::edit::open_prompt(state, crate::app::edit::FeedField::Tags),
        Action::LinkList => {
            if state.article.is_some() {
                state.overlay = Some(Overlay::Links {
                    selected: 0,
                    typed: String::new(),
                });
            }
            Vec::new()
        }
        Action::RefreshAll => vec![begin_refresh(state, None, RefreshCause::Asked)],
        Action::RefreshFeed => {
            let feed = state.current_feed();
            vec![begin_refresh(state, feed, RefreshCause::Asked)]
        }
        Action::OpenBrowser => match current_link(state) {
            Some(u) => vec![Command::OpenUrl(u)],
            None => bad_link(state),
        },
        Action::CopyLink => match current_link(state) {
            Some(u) => copy(state, u),
            None => bad_link(state),
        },
        Action::OpenLink(n) => open_link(state, n),
        Action::Pipe(n) => crate::app::external::pipe(state, n),
        Action::Save => crate::app::external::save(state),
        Action::Download => crate::app::downloads::download(state),
        Action::ToggleStar => toggle_star(state),
        Action::ToggleRead => toggle_read(state),
        Action::MarkAllRead => crate::app::marking::mark_all(state),
        Action::UndoMarkAll => match state.last_mark_all.take() {
            Some(ids) => {
                for row in &mut state.list.rows {
                    if ids.contains(&row.id) {
                        row.read = false;
                    }
                }
                state.notify(format!("Marked {} unread again", ids.len()));
                vec![
                    Command::UndoMarkAll(ids),
                    Command::LoadFeeds,
                    state.list.load_around(),
                ]
            }
            None => crate::app::hidden::undo_rules(state),
        },
        Action::ToggleHidden => crate::app::hidden::toggle(state),
        Action::NextUnread => moving::next_unread(state, true),
        Action::PrevUnread => moving::next_unread(state, false),
        Action::NextArticle => moving::step_article(state, 1),
        Action::PrevArticle => moving::step_article(state, -1),
        Action::ToggleSort => crate::app::arrange::toggle_sort(state),
        Action::ToggleShowRead => crate::app::arrange::toggle_show_read(state),
        Action::ToggleFolder => crate::app::arrange::toggle_folder(state),
        Action::CycleFeedOrder => crate::app::arrange::cycle_feed_order(state),
        Action::ToggleReadFeeds => crate::app::arrange::toggle_read_feeds(state),
        Action::ToggleRaw => {
            let (max_width, center) = (state.settings.text_width(), state.settings.center);
            if let Some(a) = &mut state.article {
                a.raw = !a.raw;
                let w = a.width;
                a.relayout(w, max_width, center);
            }
            Vec::new()
        }
        Action::ToggleFullText => crate::app::full_text::toggle(state),
        Action::ToggleImages => crate::app::images::toggle(state),
        Action::FetchArticle => crate::app::full_text::fetch_again(state),
        Action::None => Vec::new(),
    }
}

fn quit(state: &mut State) -> Vec<Command> {
    state.quit = true;
    vec![Command::Quit]
}

/// Which keys quit, for a back key pressed on the feed list (which never quits).
fn quit_hint(state: &State) -> String {
    let key = |a| state.keymap.keys_for(a).first().map(|k| k.to_string());
    match (key(Action::BackOrQuit), key(Action::Quit)) {
        (Some(b), Some(q)) => format!("{b} quits from here, {q} from anywhere"),
        (Some(k), None) | (None, Some(k)) => format!("{k} quits"),
        (None, None) => "No key quits: bind quit in [keys]".to_string(),
    }
}

fn page(state: &State) -> i64 {
    let h = match state.focus {
        Focus::Feeds => feed_height(state) as u64,
        Focus::Headlines => list_height(state),
        Focus::Article => article_height(state) as u64,
    };
    (h.max(2) - 1) as i64
}

fn back(state: &mut State) -> Vec<Command> {
    match state.focus {
        Focus::Article => state.focus = Focus::Headlines,
        Focus::Headlines => {
            if let Some(cmds) = crate::app::search::leave(state) {
                return cmds;
            }
            state.focus = Focus::Feeds;
        }
        Focus::Feeds => {
            state.notify(quit_hint(state));
            return Vec::new();
        }
    }
    relayout(state);
    Vec::new()
}

/// Moves the selection (or scrolls the article) of the focused pane.
pub fn move_focused(state: &mut State, delta: i64) -> Vec<Command> {
    match state.focus {
        Focus::Feeds => move_feeds(state, delta),
        Focus::Headlines => {
            let h = list_height(state);
            state.list.move_by(delta, h);
            state.list.window_command().into_iter().collect()
        }
        Focus::Article => {
            let h = article_height(state);
            if let Some(a) = &mut state.article {
                a.scroll_by(delta, h);
            }
            Vec::new()
        }
    }
}

/// Moves the feed-pane selection.
pub fn move_feeds(state: &mut State, delta: i64) -> Vec<Command> {
    let last = state.entries.len().saturating_sub(1) as i64;
    state.feed_selected = (state.feed_selected as i64)
        .saturating_add(delta)
        .clamp(0, last) as usize;
    keep_feed_visible(state);
    Vec::new()
}

fn open(state: &mut State, action: Action) -> Vec<Command> {
    match state.focus {
        Focus::Feeds => {
            let Some(view) = state
                .entries
                .get(state.feed_selected)
                .and_then(|e| e.view(&state.feeds))
            else {
                return Vec::new();
            };
            state.before_search = None;
            state.focus = Focus::Headlines;
            let mut q = state.list.query.clone();
            q.view = view;
            if q == state.list.query && state.list.loaded {
                relayout(state);
                return Vec::new();
            }
            show_query(state, q)
        }
        Focus::Headlines => open_selected(state),
        Focus::Article => {
            if action == Action::Open {
                open_selected_link_hint(state);
            }
            Vec::new()
        }
    }
}

fn open_selected_link_hint(state: &mut State) {
    state.notify("o opens the article in the browser, L lists its links");
}

fn current_link(state: &State) -> Option<String> {
    let link = match (&state.article, state.focus) {
        (Some(a), Focus::Article) => a.item.link.clone(),
        _ => state.list.selected_row().and_then(|h| h.link.clone()),
    };
    open::validate(&link?)
}

fn bad_link(state: &mut State) -> Vec<Command> {
    state.notify_error("No http(s) link to open");
    Vec::new()
}

/// The address of entry `n` (from 1) of the article's link list, when it may be opened.
fn numbered_link(state: &State, n: usize) -> Option<String> {
    state
        .article
        .as_ref()
        .and_then(|a| a.listed_links().get(n.wrapping_sub(1)))
        .and_then(|l| open::validate(&l.url))
}

fn open_link(state: &mut State, n: usize) -> Vec<Command> {
    if let Some(cmds) = crate::app::external::open_enclosure(state, n) {
        return cmds;
    }
    match numbered_link(state, n) {
        Some(u) => vec![Command::OpenUrl(u)],
        None => bad_link(state),
    }
}

/// Copies an address and says in the status line which one, shortened to the room the status
/// line leaves it (the view, its counts, the time of the last refresh and the help hint take
/// about 64 columns).
fn copy(state: &mut State, url: String) -> Vec<Command> {
    let room = usize::from(state.width).saturating_sub(64).max(24);
    state.notify(format!("Copied {}", crate::app::links::shorten(&url, room)));
    vec![Command::CopyToClipboard(url)]
}

fn toggle_star(state: &mut State) -> Vec<Command> {
    let Some(id) = target_item(state) else {
        return Vec::new();
    };
    let mut now = false;
    if let Some(i) = state.list.index_of(id) {
        let r = state.list.row_mut(i).expect("index_of found it");
        r.starred = !r.starred;
        now = r.starred;
    }
    if let Some(a) = state.article.as_mut().filter(|a| a.item.id == id) {
        a.item.starred = !a.item.starred;
        now = a.item.starred;
    }
    vec![Command::SetStarred(id, now), Command::LoadFeeds]
}

fn toggle_read(state: &mut State) -> Vec<Command> {
    let Some(id) = target_item(state) else {
        return Vec::new();
    };
    let mut now = true;
    if let Some(i) = state.list.index_of(id) {
        let r = state.list.row_mut(i).expect("index_of found it");
        r.read = !r.read;
        now = r.read;
    }
    if let Some(a) = state.article.as_mut().filter(|a| a.item.id == id) {
        a.item.read = now;
    }
    vec![Command::SetRead(id, now), Command::LoadFeeds]
}

fn target_item(state: &State) -> Option<i64> {
    match (&state.article, state.focus) {
        (Some(a), Focus::Article) => Some(a.item.id),
        _ => state.list.selected_row().map(|h| h.id),
    }
}

fn in_overlay(state: &mut State, action: Action) -> Vec<Command> {
    let Some(overlay) = &mut state.overlay else {
        return Vec::new();
    };
    let n_links = state.article.as_ref().map_or(0, |a| a.listed_links().len());
    let n_errors = state.errors.len();
    let step = match action {
        Action::Down => 1,
        Action::Up => -1,
        Action::PageDown | Action::HalfPageDown => 10,
        Action::PageUp | Action::HalfPageUp => -10,
        Action::Top => i64::MIN / 2,
        Action::Bottom => i64::MAX / 2,
        _ => 0,
    };
    let shift =
        |v: usize, max: usize| (v as i64).saturating_add(step).clamp(0, max as i64) as usize;
    match (overlay, action) {
        (_, Action::Quit) => return quit(state),
        (_, Action::Back | Action::BackOrQuit)
        | (Overlay::Help { .. }, Action::Help)
        | (Overlay::Errors { .. }, Action::ShowErrors)
        | (Overlay::Links { .. }, Action::LinkList) => state.overlay = None,
        (Overlay::Help { scroll }, _) if step != 0 => {
            *scroll = shift(*scroll, 500);
        }
        (Overlay::Errors { selected }, _) if step != 0 => {
            *selected = shift(*selected, n_errors.saturating_sub(1));
        }
        (Overlay::Errors { selected }, Action::Open | Action::FocusRight) => {
            let sel = *selected;
            return crate::app::views::open_failed_feed(state, sel, false);
        }
        (Overlay::Errors { selected }, Action::RefreshFeed) => {
            let sel = *selected;
            return crate::app::views::open_failed_feed(state, sel, true);
        }
        (Overlay::Links { selected, typed }, _) if step != 0 => {
            typed.clear();
            *selected = shift(*selected, n_links.saturating_sub(1));
        }
        (Overlay::Links { selected, .. }, Action::Open | Action::OpenBrowser) => {
            let n = *selected + 1;
            state.overlay = None;
            return open_link(state, n);
        }
        (Overlay::Links { .. }, Action::Download) => return crate::app::downloads::download(state),
        (Overlay::Links { selected, .. }, Action::CopyLink) => {
            let n = *selected + 1;
            let link = numbered_link(state, n);
            state.overlay = None;
            return match link {
                Some(u) => copy(state, u),
                None => bad_link(state),
            };
        }
        _ => {}
    }
    Vec::new()
}
