//! The pure update function: a message in, state changed, commands out. No I/O happens here.

use crate::app::actions;
use crate::app::article::ArticleView;
use crate::app::feeds;
use crate::app::geometry::{self, Panes};
use crate::app::msg::{Command, MouseKind, Msg};
use crate::app::state::{Focus, Overlay, State};
use crate::app::text::LayoutOptions;
use crate::config::keymap::{Action, Key, KeyCode};

/// The commands to run when the reader starts: load what the cache has, then refresh.
pub fn start(state: &mut State) -> Vec<Command> {
    let mut cmds = vec![Command::LoadFeeds, state.list.load_around()];
    if state.settings.refresh_on_start {
        cmds.push(begin_refresh(state, None));
    }
    // The queries' counts evaluate every query over the cache: after what the first frame needs.
    cmds.push(crate::app::queries::load(state));
    without_writes(state, cmds)
}

/// Applies one message to the state and returns the effects to carry out.
pub fn update(state: &mut State, msg: Msg) -> Vec<Command> {
    let cmds = apply(state, msg);
    without_writes(state, cmds)
}

/// On a cache that cannot be written, drops the commands that would write to it (marking read
/// or starred, refreshing) and says so once in the status line.
fn without_writes(state: &mut State, cmds: Vec<Command>) -> Vec<Command> {
    let Some(why) = state.read_only.clone() else {
        return cmds;
    };
    let before = cmds.len();
    let mut refresh_dropped = false;
    let kept: Vec<Command> = cmds
        .into_iter()
        .filter(|c| match c {
            Command::SetRead(..)
            | Command::SetStarred(..)
            | Command::MarkAllRead(_)
            | Command::UndoMarkAll(_)
            | Command::SaveQuery { .. } => false,
            Command::Refresh(_) => {
                refresh_dropped = true;
                false
            }
            _ => true,
        })
        .collect();
    if refresh_dropped {
        state.refresh.running = false;
    }
    if kept.len() < before {
        state.notify_error(format!("{why}: nothing is saved or refreshed"));
    }
    kept
}

/// Applies one message to the state (see [`update`]).
fn apply(state: &mut State, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Action(a) => actions::run(state, a),
        Msg::FeedsLoaded(mut rows, totals) => {
            crate::app::names::name_feeds(&mut rows);
            let old = state
                .entries
                .get(state.feed_selected)
                .and_then(|e| e.view(&state.feeds));
            state.entries =
                crate::app::queries::with_queries(feeds::entries(&rows), &state.queries);
            state.feed_selected = feeds::reselect(old, &state.entries, &rows, state.feed_selected);
            state.feed_labels = crate::app::labels::distinctive(&rows);
            state.feeds = rows;
            state.totals = totals;
            keep_feed_visible(state);
            Vec::new()
        }
        Msg::HeadlinesLoaded {
            query,
            offset,
            mut rows,
            total,
        } => {
            if query != state.list.query {
                return Vec::new();
            }
            crate::app::names::name_headlines(&mut rows);
            let h = list_height(state);
            state.list.receive(offset, rows, total, h);
            if let Some(seek) = state.seek_unread.take() {
                return crate::app::moving::seek(state, seek);
            }
            state.list.window_command().into_iter().collect()
        }
        Msg::ArticleLoaded(mut item, doc, hidden) => {
            if state.article_pending != Some(item.id) {
                return Vec::new();
            }
            crate::app::names::name_item(&mut item);
            state.article_pending = None;
            let opts = LayoutOptions {
                width: article_width(state),
                max_width: state.settings.text_width(),
                center: state.settings.center,
                raw: false,
            };
            state.article = Some(ArticleView::new(
                *item,
                (doc, hidden),
                opts.width,
                &opts,
                state.tz_offset,
            ));
            Vec::new()
        }
        Msg::MarkedAllRead(ids) => {
            let n = ids.len();
            match state.marking.take() {
                Some(name) => state.notify(format!("Marked {n} in {name} read; U undoes")),
                None => state.notify(format!("Marked {n} read; U undoes")),
            }
            state.last_mark_all = Some(ids);
            vec![Command::LoadFeeds, state.list.load_around()]
        }
        Msg::RefreshStarted { total } => {
            state.refresh.running = true;
            state.refresh.total = total;
            state.refresh.done = 0;
            state.refresh.failed = 0;
            Vec::new()
        }
        Msg::RefreshProgress {
            done,
            total,
            failed,
        } => {
            state.refresh.running = true;
            state.refresh.done = done;
            state.refresh.total = total;
            state.refresh.failed = failed;
            Vec::new()
        }
        Msg::RefreshDone {
            at,
            new_items,
            failed,
        } => {
            state.refresh.running = false;
            state.refresh.last_done = Some(at);
            let n = failed.len();
            state.record_refresh_errors(failed, at);
            if n > 0 {
                state.notify_error(format!(
                    "{} failed; E lists the errors",
                    crate::app::names::count(n as u64, "feed")
                ));
            } else {
                state.notify(crate::app::names::count(new_items as u64, "new item"));
            }
            vec![
                Command::LoadFeeds,
                state.list.load_around(),
                crate::app::queries::load(state),
            ]
        }
        Msg::QueriesLoaded(rows) => crate::app::queries::loaded(state, rows),
        Msg::Resize(w, h) => {
            state.width = w;
            state.height = h;
            relayout(state);
            Vec::new()
        }
        Msg::Mouse { kind, column, row } => on_mouse(state, kind, column, row),
        Msg::Tick(now) => {
            state.now = now;
            match state.settings.refresh_every() {
                Some(every) if !state.refresh.running => {
                    let since = state.refresh.last_started.unwrap_or(i64::MIN / 2);
                    if now.saturating_sub(since) >= every {
                        vec![begin_refresh(state, None)]
                    } else {
                        Vec::new()
                    }
                }
                _ => Vec::new(),
            }
        }
        Msg::CacheDamaged(message) => {
            state.list.pending = None;
            state.article_pending = None;
            state.read_only = Some(crate::store::ReadOnly::Damaged(String::new()).to_string());
            state.fail("cache", message);
            Vec::new()
        }
        Msg::Error(message) => {
            state.list.pending = None;
            state.article_pending = None;
            state.fail("reader", message);
            Vec::new()
        }
    }
}

/// Marks a refresh as started and returns its command.
pub fn begin_refresh(state: &mut State, feed: Option<i64>) -> Command {
    state.refresh.running = true;
    state.refresh.done = 0;
    state.refresh.failed = 0;
    state.refresh.last_started = Some(state.now);
    state.refresh.feed = feed;
    Command::Refresh(feed)
}

fn on_key(state: &mut State, key: Key) -> Vec<Command> {
    if let Some(cmds) = crate::app::queries::on_key(state, &key) {
        return cmds;
    }
    if let Some(Overlay::Confirm { .. }) = state.overlay {
        let yes = key.code == KeyCode::Char('y') && !key.ctrl && !key.alt;
        return crate::app::marking::answer(state, yes);
    }
    if let Some(Overlay::Search { input }) = &mut state.overlay {
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
            KeyCode::Esc => state.overlay = None,
            KeyCode::Enter => {
                let q = input.trim().to_string();
                state.overlay = None;
                return crate::app::views::search(state, q);
            }
            _ => {}
        }
        return Vec::new();
    }
    if let (Some(Overlay::Links { typed, selected }), KeyCode::Char(c)) =
        (&mut state.overlay, key.code)
        && c.is_ascii_digit()
        && !key.ctrl
        && !key.alt
    {
        typed.push(c);
        if let Ok(n) = typed.parse::<usize>()
            && n >= 1
        {
            *selected = n - 1;
        }
        return Vec::new();
    }
    match state.keymap.action(&key) {
        Some(a) => actions::run(state, a),
        None => Vec::new(),
    }
}

/// The screen layout for the current size and focus.
pub fn panes(state: &State) -> Panes {
    geometry::panes(state.width, state.height, state.focus, &state.settings)
}

fn inner_height(area: Option<ratatui::layout::Rect>, fallback: u16) -> u64 {
    let h = area.map_or(fallback, |a| geometry::inner(a).height);
    u64::from(h.max(1))
}

/// Rows of the headline list on screen (as if it were shown, in the narrow layout).
pub fn list_height(state: &State) -> u64 {
    let p = geometry::panes(state.width, state.height, Focus::Headlines, &state.settings);
    inner_height(p.headlines, 1)
}

/// Rows of the feed list on screen (as if it were shown).
pub fn feed_height(state: &State) -> usize {
    let p = geometry::panes(state.width, state.height, Focus::Feeds, &state.settings);
    inner_height(p.feeds, 1) as usize
}

/// The article pane: where it is in the current layout, else where it would be while reading.
fn article_area(state: &State) -> Option<ratatui::layout::Rect> {
    panes(state).article.or_else(|| {
        geometry::panes(state.width, state.height, Focus::Article, &state.settings).article
    })
}

/// Lines of article text on screen (as if it were shown).
pub fn article_height(state: &State) -> usize {
    inner_height(article_area(state), 1) as usize
}

/// The width article text wraps to: that of the pane as it is now (a preview beside a focused
/// headline list is narrower than the article being read).
pub fn article_width(state: &State) -> usize {
    geometry::article_text_width(article_area(state).map_or(state.width, |a| a.width))
}

/// Keeps the feed selection on screen.
pub fn keep_feed_visible(state: &mut State) {
    let h = feed_height(state);
    if state.feed_selected < state.feed_scroll {
        state.feed_scroll = state.feed_selected;
    } else if state.feed_selected >= state.feed_scroll + h {
        state.feed_scroll = state.feed_selected + 1 - h;
    }
}

/// Re-fits everything to the current size: selections stay, scroll positions follow them.
pub fn relayout(state: &mut State) {
    let h = list_height(state);
    state.list.keep_visible(h);
    keep_feed_visible(state);
    let width = article_width(state);
    let ah = article_height(state);
    let (max_width, center) = (state.settings.text_width(), state.settings.center);
    if let Some(a) = &mut state.article {
        if a.width != width {
            a.relayout(width, max_width, center);
        }
        a.scroll_by(0, ah);
    }
}

fn on_mouse(state: &mut State, kind: MouseKind, column: u16, row: u16) -> Vec<Command> {
    if !state.settings.mouse || state.overlay.is_some() {
        return Vec::new();
    }
    let p = panes(state);
    let hit = |r: Option<ratatui::layout::Rect>| {
        r.map(geometry::inner)
            .filter(|a| column >= a.x && column < a.right() && row >= a.y && row < a.bottom())
    };
    let wheel = match kind {
        MouseKind::WheelUp => -3,
        MouseKind::WheelDown => 3,
        MouseKind::Click => 0,
    };
    if let Some(a) = hit(p.feeds) {
        if wheel != 0 {
            return actions::move_feeds(state, wheel);
        }
        let index = state.feed_scroll + usize::from(row - a.y);
        if index < state.entries.len() {
            state.focus = Focus::Feeds;
            state.feed_selected = index;
        }
    } else if let Some(a) = hit(p.headlines) {
        let h = list_height(state);
        if wheel != 0 {
            state.list.move_by(wheel, h);
            return state.list.window_command().into_iter().collect();
        }
        let index = state.list.scroll + u64::from(row - a.y);
        if index < state.list.total {
            state.focus = Focus::Headlines;
            if index == state.list.selected {
                return actions::run(state, Action::Open);
            }
            state.list.select(index, h);
            return state.list.window_command().into_iter().collect();
        }
    } else if hit(p.article).is_some() {
        if wheel != 0 {
            let h = article_height(state);
            if let Some(a) = &mut state.article {
                a.scroll_by(wheel, h);
            }
        } else {
            state.focus = Focus::Article;
        }
    }
    Vec::new()
}
