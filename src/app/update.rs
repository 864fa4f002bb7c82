//! The pure update function: a message in, state changed, commands out. No I/O happens here.

use crate::app::actions;
use crate::app::arrange;
use crate::app::article::ArticleView;
use crate::app::geometry;
use crate::app::msg::{Command, MouseKind, Msg, RefreshCause};
use crate::app::refreshing::begin_refresh;
use crate::app::screen::{article_height, article_width, list_height, panes, relayout};
use crate::app::state::{Focus, Overlay, State};
use crate::app::text::LayoutOptions;
use crate::config::keymap::{Action, Key, KeyCode};

/// The commands to run when the reader starts: load the remembered view settings and what the
/// cache has, then refresh.
pub fn start(state: &mut State) -> Vec<Command> {
    // The remembered view settings come first, so that the first list drawn is in their order.
    let mut cmds = vec![
        Command::LoadViewSettings,
        Command::LoadFeeds,
        state.list.load_around(),
    ];
    if state.settings.refresh_on_start {
        cmds.push(begin_refresh(state, None, RefreshCause::Automatic));
    }
    // The queries' counts evaluate every query over the cache: after what the first frame needs.
    cmds.push(crate::app::queries::load(state));
    // Downloads queued in an earlier session (or by `tidings fetch`) run in the background.
    cmds.push(Command::RunDownloads);
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
    // A cache that cannot be written just does not remember the view settings: no error.
    let mut cmds = cmds;
    cmds.retain(|c| !matches!(c, Command::SaveViewSetting { .. } | Command::RunDownloads));
    let before = cmds.len();
    let mut refresh_dropped = false;
    let kept: Vec<Command> = cmds
        .into_iter()
        .filter(|c| match c {
            Command::SetRead(..)
            | Command::SetStarred(..)
            | Command::MarkAllRead(_)
            | Command::UndoMarkAll(_)
            | Command::SaveQuery { .. }
            | Command::EditFeed(_)
            | Command::QueueDownload { .. }
            | Command::UndoRules => false,
            Command::Refresh(..) => {
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
            crate::app::edit::apply_feed_tables(state, &mut rows);
            crate::app::names::name_feeds(&mut rows);
            let old = state
                .entries
                .get(state.feed_selected)
                .and_then(|e| e.view(&state.feeds));
            state.feed_labels = crate::app::labels::distinctive(&rows);
            state.feeds = rows;
            state.totals = totals;
            arrange::rebuild_entries_keeping(state, old);
            let mut cmds = arrange::latest_if_needed(state);
            cmds.extend(crate::app::view_counts::count_command(state));
            cmds
        }
        Msg::FeedLatestLoaded(latest) => {
            state.feed_latest = latest;
            arrange::rebuild_entries(state);
            Vec::new()
        }
        Msg::ViewSettingsLoaded(settings) => arrange::settings_loaded(state, &settings),
        msg @ Msg::HeadlinesPlaced { .. } => arrange::placed(state, msg),
        Msg::CacheChanged => arrange::cache_changed(state),
        Msg::RowMarks {
            hidden,
            highlighted,
        } => {
            crate::app::hidden::marks_loaded(state, hidden, highlighted);
            Vec::new()
        }
        Msg::RulesUndone(n) => crate::app::hidden::rules_undone(state, n),
        Msg::HeadlinesLoaded {
            query,
            offset,
            mut rows,
            total,
        } => {
            if query != state.list.query {
                return Vec::new();
            }
            crate::app::table_titles::retitle_headlines(state, &mut rows);
            crate::app::names::name_headlines(&mut rows);
            let h = list_height(state);
            state.list.receive(offset, rows, total, h);
            let count = crate::app::view_counts::count_command(state);
            if let Some(seek) = state.seek_unread.take() {
                let mut cmds = crate::app::moving::seek(state, seek);
                cmds.extend(count);
                return cmds;
            }
            state
                .list
                .window_command()
                .into_iter()
                .chain(count)
                .collect()
        }
        Msg::UnreadCounted { query, unread } => {
            if query == state.list.query {
                state.list.unread = Some(unread);
            }
            Vec::new()
        }
        Msg::ArticleLoaded(mut item, doc, hidden) => {
            if state.article_pending != Some(item.id) {
                return Vec::new();
            }
            crate::app::table_titles::retitle_item(state, &mut item);
            crate::app::names::name_item(&mut item);
            state.article_pending = None;
            let feed_text = state.feed_text_for.take() == Some(item.id);
            let opts = LayoutOptions {
                width: article_width(state),
                max_width: state.settings.text_width(),
                center: state.settings.center,
                raw: false,
            };
            let mut view =
                ArticleView::new(*item, (doc, hidden), opts.width, &opts, state.tz_offset);
            view.feed_text = feed_text;
            state.article = Some(view);
            crate::app::images::request(state)
        }
        Msg::ImageLoaded { item, url, picture } => {
            crate::app::images::loaded(state, item, url, picture);
            Vec::new()
        }
        Msg::Graphics(protocol) => {
            state.protocol = protocol;
            Vec::new()
        }
        Msg::PageFetched { item, outcome } => crate::app::full_text::fetched(state, item, outcome),
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
            // Feeds set to `auto_download` may have queued new episodes.
            vec![
                Command::LoadFeeds,
                state.list.reload_keeping_selection(),
                crate::app::queries::load(state),
                Command::RunDownloads,
            ]
        }
        Msg::DownloadQueued(label) => crate::app::downloads::queued(state, label),
        Msg::QueriesLoaded(rows) => crate::app::queries::loaded(state, rows),
        Msg::FeedEdited(edit) => crate::app::edit::saved(state, edit),
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
                        vec![begin_refresh(state, None, RefreshCause::Automatic)]
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
        Msg::Notice(text) => {
            state.notify(text);
            Vec::new()
        }
        Msg::CommandFailed(text) => {
            state.notify_error(text);
            Vec::new()
        }
        Msg::NewStories { count, feeds } => crate::app::notify::new_stories(state, count, &feeds),
        Msg::Error(message) => {
            state.list.pending = None;
            state.article_pending = None;
            state.fail("reader", message);
            Vec::new()
        }
    }
}

fn on_key(state: &mut State, key: Key) -> Vec<Command> {
    if let Some(cmds) = crate::app::queries::on_key(state, &key) {
        return cmds;
    }
    if let Some(cmds) = crate::app::edit::on_key(state, &key) {
        return cmds;
    }
    if let Some(Overlay::Confirm { .. }) = state.overlay {
        let yes = key.code == KeyCode::Char('y') && !key.ctrl && !key.alt;
        return crate::app::marking::answer(state, yes);
    }
    if let Some(Overlay::Search { .. }) = &state.overlay {
        return crate::app::search::prompt_key(state, key);
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
