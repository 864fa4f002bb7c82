//! The cache worker: a thread that owns the store connection, carries out the store commands
//! and sends the results back as messages. The interface thread never waits on SQLite.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crate::app::msg::{Command, Msg, Totals};
use crate::config::feeds::FeedRules;
use crate::content::dedup::{DedupOptions, FeedStats};
use crate::model::{FeedRow, ItemId, ItemQuery, View};
use crate::session::renderer::{self, RenderJob, Renderer};
use crate::session::writes::{self, Deferred};
use crate::store::{Result, Store};

/// Runs store commands until the command channel closes; `dedup` says which blocks of a loaded
/// article fold. An article's body is parsed by the [`Renderer`], so that a slow one holds up
/// neither the cache nor the next article.
///
/// About once a second ([`POLL`]) it also asks SQLite whether another connection changed the
/// cache (`PRAGMA data_version`, which reads nothing from the file) and says so with
/// [`Msg::CacheChanged`], so that a `tidings fetch` from cron or an `add` shows without a refresh.
///
/// A write never holds up the reads behind it: one that meets another connection's write lock
/// (a refresh storing or indexing) waits on a thread of its own (see [`writes`]).
pub fn serve(store: Store, commands: Receiver<Command>, results: Sender<Msg>, dedup: DedupOptions) {
    serve_with(store, commands, results, dedup, FeedRules::default());
}

/// Runs store commands as [`serve`] does, with the config's `[[feed]]` tables (`rules`): the
/// articles of a feed set to `dedup = false` do not fold.
pub fn serve_with(
    store: Store,
    commands: Receiver<Command>,
    results: Sender<Msg>,
    dedup: DedupOptions,
    rules: FeedRules,
) {
    let renderer = Renderer::new(results.clone(), dedup);
    let path = store.path().map(Path::to_path_buf);
    let mut deferred = Deferred::new(path, results.clone(), dedup, execute_with);
    let mut watch = ChangeWatch::new(&store);
    loop {
        let cmd = match commands.recv_timeout(POLL) {
            Ok(cmd) => Some(cmd),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if watch.changed(&store) && results.send(Msg::CacheChanged).is_err() {
            break;
        }
        let Some(cmd) = cmd else {
            continue;
        };
        let done = match cmd {
            Command::LoadArticle(id) => load_article(&store, id, &dedup, &rules).map(|job| {
                renderer.submit(job);
                None
            }),
            Command::LoadFeedText(id) => load_article(&store, id, &dedup, &rules).map(|mut job| {
                job.feed_text = true;
                renderer.submit(job);
                None
            }),
            cmd if writes::is_write(&cmd) => deferred.write(&store, cmd),
            cmd => execute_with(&store, cmd, &dedup),
        };
        let msg = match done {
            Ok(Some(m)) => m,
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!("store command failed: {e}");
                match store.note_error(e) {
                    e @ crate::store::StoreError::Damaged { .. } => {
                        Msg::CacheDamaged(e.to_string())
                    }
                    e => Msg::Error(e.to_string()),
                }
            }
        };
        let marks = row_marks(&store, &msg);
        if results.send(msg).is_err() {
            break;
        }
        if let Some(marks) = marks
            && results.send(marks).is_err()
        {
            break;
        }
    }
}

/// The rules' marks of the rows a message carries ([`Msg::RowMarks`]), when it carries
/// headlines and some of them are marked.
fn row_marks(store: &Store, msg: &Msg) -> Option<Msg> {
    let (Msg::HeadlinesLoaded { rows, .. } | Msg::HeadlinesPlaced { rows, .. }) = msg else {
        return None;
    };
    let ids: Vec<ItemId> = rows.iter().map(|h| h.id).collect();
    match store.row_marks(&ids) {
        Ok((hidden, highlighted)) => Some(Msg::RowMarks {
            hidden,
            highlighted,
        }),
        Err(e) => {
            tracing::warn!("cannot read the rules' marks: {e}");
            None
        }
    }
}

/// The unread count of every tag of `feeds` as its view lists it: a story carried by several of
/// the tag's feeds counts once when `dedup.stories` is on (as in All). Empty when it is off: the
/// sums of the feeds' counters are then right.
fn tag_counts(
    store: &Store,
    feeds: &[FeedRow],
    dedup: &DedupOptions,
) -> Result<Vec<(String, u64)>> {
    if !dedup.stories {
        return Ok(Vec::new());
    }
    let mut tags: Vec<&str> = feeds
        .iter()
        .flat_map(|f| f.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    tags.into_iter()
        .map(|tag| {
            let q = ItemQuery {
                one_per_story: true,
                ..ItemQuery::new(View::Tag(tag.to_string())).unread_only(true)
            };
            Ok((tag.to_string(), store.count(&q)?))
        })
        .collect()
}

/// How often the worker looks for changes other processes made to the cache.
pub const POLL: Duration = Duration::from_secs(1);

/// Notices commits of other connections to the cache through `PRAGMA data_version`.
struct ChangeWatch {
    version: Option<i64>,
    checked: Instant,
}

impl ChangeWatch {
    fn new(store: &Store) -> ChangeWatch {
        ChangeWatch {
            version: store.data_version().ok(),
            checked: Instant::now(),
        }
    }

    /// Whether the cache changed since the last look; looks at most once per [`POLL`].
    fn changed(&mut self, store: &Store) -> bool {
        if self.checked.elapsed() < POLL {
            return false;
        }
        self.checked = Instant::now();
        let now = store.data_version().ok();
        let changed = now.is_some() && self.version.is_some() && now != self.version;
        if now.is_some() {
            self.version = now;
        }
        changed
    }
}

/// Carries out one store command with every kind of folding on; commands that are not for the
/// store do nothing.
pub fn execute(store: &Store, cmd: Command) -> Result<Option<Msg>> {
    execute_with(store, cmd, &DedupOptions::default())
}

/// Carries out one store command; a loaded article's blocks fold as `dedup` says, with its feed's
/// statistics as the cache keeps them.
pub fn execute_with(store: &Store, cmd: Command, dedup: &DedupOptions) -> Result<Option<Msg>> {
    Ok(Some(match cmd {
        Command::LoadFeeds if store.shows_hidden() => {
            // The feed list counts what the lists show by default, hidden items left out.
            store.set_show_hidden(false);
            let loaded = execute_with(store, Command::LoadFeeds, dedup);
            store.set_show_hidden(true);
            return loaded;
        }
        Command::LoadFeeds => {
            let feeds = store.feeds()?;
            let per_story = |view| ItemQuery {
                one_per_story: dedup.stories,
                ..ItemQuery::new(view)
            };
            let totals = Totals {
                all: store.count(&per_story(View::All))?,
                unread: store.count(&per_story(View::Unread))?,
                starred: store.starred_total()?,
                tags: tag_counts(store, &feeds, dedup)?,
            };
            Msg::FeedsLoaded(feeds, totals)
        }
        Command::LoadHeadlines {
            query,
            offset,
            limit,
        } => {
            // The list shows one item per story where the settings say so; the reply carries
            // the query as asked, which the state matches against its own.
            let asked = ItemQuery {
                one_per_story: dedup.stories,
                ..query.clone()
            };
            let (rows, total) = if let View::Filter { .. } = asked.view {
                store.filter_page(&asked, offset as usize, limit)?
            } else {
                (
                    store.headlines(&asked, offset as usize, limit)?,
                    store.count(&asked)?,
                )
            };
            Msg::HeadlinesLoaded {
                query,
                offset,
                rows,
                total,
            }
        }
        Command::CountUnread(query) => {
            let asked = ItemQuery {
                one_per_story: dedup.stories,
                unread_only: true,
                ..query.clone()
            };
            Msg::UnreadCounted {
                query,
                unread: store.count(&asked)?,
            }
        }
        Command::LoadArticle(id) => renderer::render(
            load_article(store, id, dedup, &FeedRules::default())?,
            dedup,
        ),
        Command::LoadFeedText(id) => {
            let mut job = load_article(store, id, dedup, &FeedRules::default())?;
            job.feed_text = true;
            renderer::render(job, dedup)
        }
        Command::SetRead(id, read) => {
            store.set_read(id, read)?;
            return Ok(None);
        }
        Command::SetStarred(id, starred) => {
            store.set_starred(id, starred)?;
            return Ok(None);
        }
        Command::MarkAllRead(query) => Msg::MarkedAllRead(store.mark_all_read(&query)?),
        Command::UndoMarkAll(ids) => {
            store.set_read_many(&ids, false)?;
            return Ok(None);
        }
        Command::UndoRules => Msg::RulesUndone(store.undo_rules()?),
        Command::SetShowHidden(show) => {
            store.set_show_hidden(show);
            return Ok(None);
        }
        Command::LoadHeadlinesAt {
            query,
            anchor,
            limit,
        } => {
            let asked = ItemQuery {
                one_per_story: dedup.stories,
                ..query.clone()
            };
            let total = store.count(&asked)?;
            let selected = store
                .position(&asked, anchor)?
                .unwrap_or(0)
                .min(total.saturating_sub(1));
            let offset = selected.saturating_sub(limit as u64 / 2);
            let rows = store.headlines(&asked, offset as usize, limit)?;
            Msg::HeadlinesPlaced {
                query,
                selected,
                offset,
                rows,
                total,
            }
        }
        Command::LoadViewSettings => Msg::ViewSettingsLoaded(store.view_settings()?),
        Command::SaveViewSetting {
            view,
            setting,
            value,
        } => {
            // A cache that cannot be written just does not remember.
            if store.read_only().is_none() {
                store.set_view_setting(&view, &setting, &value)?;
            }
            return Ok(None);
        }
        Command::LoadFeedLatest => Msg::FeedLatestLoaded(store.feed_latest()?),
        Command::LoadQueries(config) => {
            // Query counts leave hidden items out, whether the current view shows them or not.
            let shown = store.shows_hidden();
            store.set_show_hidden(false);
            let loaded = load_queries(store, &config, dedup);
            store.set_show_hidden(shown);
            Msg::QueriesLoaded(loaded?)
        }
        Command::SaveQuery { name, filter } => {
            store.save_query(&name, &filter, now())?;
            return Ok(None);
        }
        Command::EditFeed(edit) => {
            use crate::app::feed_edit::FeedChange;
            match &edit.change {
                FeedChange::Title(t) => {
                    store.set_feed_title(edit.feed, t.as_deref().unwrap_or(""))?
                }
                FeedChange::Tags(t) => store.set_feed_tags(edit.feed, t)?,
            }
            Msg::FeedEdited(edit)
        }
        Command::QueueDownload { item, url } => queue_download(store, item, url.as_deref())?,
        Command::Refresh(..)
        | Command::RunDownloads
        | Command::FetchPage(_)
        | Command::LoadImages { .. }
        | Command::OpenUrl(_)
        | Command::CopyToClipboard(_)
        | Command::Pipe { .. }
        | Command::OpenWith(_)
        | Command::SaveArticle { .. }
        | Command::Notify { .. }
        | Command::Quit => {
            return Ok(None);
        }
    }))
}

/// Queues the enclosure of `item` the link list shows as `url` (the item's episode when `None`);
/// the message says what became of it.
fn queue_download(store: &Store, item: ItemId, url: Option<&str>) -> Result<Msg> {
    let row = store.item(item)?;
    let chosen = match url {
        Some(url) => row
            .enclosures
            .iter()
            .find(|e| crate::content::sanitize_line(e.url.trim()) == url),
        None => crate::model::episode_of(&row.enclosures),
    };
    let Some(enclosure) = chosen else {
        return Ok(Msg::CommandFailed(
            "This item has no enclosure to download".to_string(),
        ));
    };
    let label = crate::podcasts::stem(&row.feed_title, &row.title, None);
    Ok(if store.queue_download(item, enclosure, now())? {
        Msg::DownloadQueued(label)
    } else {
        Msg::Notice(format!(
            "Already queued or downloaded: {label} (`tidings download --list`)"
        ))
    })
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The config's queries (`(name, filter)`), then those saved in the cache, each with its counts
/// over every item (one item per story where the settings say so).
fn load_queries(
    store: &Store,
    config: &[(String, String)],
    dedup: &DedupOptions,
) -> Result<Vec<crate::app::queries::QueryRow>> {
    use crate::config::queries::{QuerySpec, merged};
    let specs: Vec<QuerySpec> = config
        .iter()
        .filter_map(|(name, filter)| {
            Some(QuerySpec {
                name: name.clone(),
                filter: filter.clone(),
                expr: crate::filter::parse(filter).ok()?,
            })
        })
        .collect();
    let view = ItemQuery {
        one_per_story: dedup.stories,
        ..ItemQuery::new(View::All)
    };
    let now = now();
    merged(&specs, store.saved_queries()?)
        .into_iter()
        .map(|q| {
            let counts = store.filter_counts(&view, &q.expr, now)?;
            Ok(crate::app::queries::QueryRow {
                name: q.name,
                filter: q.filter,
                origin: q.origin,
                counts: Some(counts),
            })
        })
        .collect()
}

/// Reads an item and, when boilerplate folds, its feed's statistics: what parsing it needs.
fn load_article(
    store: &Store,
    id: ItemId,
    dedup: &DedupOptions,
    rules: &FeedRules,
) -> Result<RenderJob> {
    let mut item = store.item(id)?;
    let folds = rules.tables.is_empty() || {
        let feed = store.feed(item.feed_id)?;
        rules.effective(&feed.url, &feed.tags).settings.dedup != Some(false)
    };
    if !dedup.stories || !folds {
        item.also_in.clear();
    }
    let stats = if dedup.boilerplate && folds {
        store
            .feed_stats(item.feed_id)?
            .map(|s| FeedStats::from_counts(s.items, s.counts))
    } else {
        None
    };
    Ok(RenderJob {
        item,
        stats,
        feed_text: false,
        folds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::{Focus, State};
    use crate::app::update;
    use crate::config::ReaderSettings;
    use crate::config::keymap::{Action, Keymap};
    use crate::config::theme::Theme;
    use crate::model::{BodyKind, ParsedItem};
    use crate::store::FeedUpdate;

    const NOW: i64 = 1_796_040_000;

    fn parsed(i: i64) -> ParsedItem {
        ParsedItem {
            key: format!("k{i}"),
            guid: Some(format!("k{i}")),
            link: Some(format!("https://example.test/{i}")),
            title: format!("Item {i}"),
            author: None,
            published: Some(NOW - i * 60),
            content: format!("<p>Body of item {i}</p>"),
            content_kind: BodyKind::Html,
            base: None,
            enclosures: Vec::new(),
        }
    }

    /// Runs store commands and feeds their results back into the reader until nothing is left.
    fn pump(store: &Store, state: &mut State, cmds: Vec<Command>) -> Vec<Command> {
        let mut other = Vec::new();
        let mut cmds: std::collections::VecDeque<Command> = cmds.into();
        while let Some(cmd) = cmds.pop_front() {
            if matches!(
                cmd,
                Command::Refresh(..) | Command::Quit | Command::OpenUrl(_)
            ) {
                other.push(cmd);
                continue;
            }
            if let Some(msg) = execute(store, cmd).expect("store command") {
                cmds.extend(update(state, msg));
            }
        }
        other
    }

    #[test]
    fn showing_hidden_items_lists_them_but_the_feed_list_still_leaves_them_out() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let feed = store
            .add_feed("https://example.test/feed.xml", None, &[])
            .unwrap();
        store.set_rules(vec![crate::store::Rule {
            filter: "title:\"item 1\"".into(),
            expr: crate::filter::parse("title:\"item 1\"").unwrap(),
            action: crate::store::RuleAction::Hide,
        }]);
        let up = FeedUpdate {
            fetched_at: NOW,
            items: (0..5).map(parsed).collect(),
            ..FeedUpdate::default()
        };
        store.store_feed_update(feed, &up).unwrap();
        let mut state = State::new(
            ReaderSettings::default(),
            Keymap::default_keys(),
            Theme::default(),
            NOW,
        );
        state.width = 160;
        state.height = 40;
        let cmds = crate::app::start(&mut state);
        pump(&store, &mut state, cmds);
        assert_eq!((state.totals.all, state.list.total), (4, 4));
        let cmds = update(
            &mut state,
            Msg::Action(crate::config::keymap::Action::ToggleHidden),
        );
        pump(&store, &mut state, cmds);
        assert_eq!(state.list.total, 5, "the view lists the hidden item");
        assert!(state.list.rows.iter().any(|h| h.title == "Item 1"));
        pump(&store, &mut state, vec![Command::LoadFeeds]);
        assert_eq!(state.totals.all, 4, "the feed list counts it out");
        assert_eq!(state.list.total, 5);
    }

    #[test]
    fn the_reader_drives_a_real_cache_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let feed = store
            .add_feed("https://example.test/feed.xml", Some("Test feed"), &[])
            .unwrap();
        let items = (0..5).map(parsed).collect();
        store
            .store_feed_update(
                feed,
                &FeedUpdate {
                    fetched_at: NOW,
                    items,
                    ..FeedUpdate::default()
                },
            )
            .unwrap();

        let mut state = State::new(
            ReaderSettings::default(),
            Keymap::default_keys(),
            Theme::default(),
            NOW,
        );
        state.width = 160;
        state.height = 40;
        let cmds = crate::app::start(&mut state);
        assert_eq!(
            pump(&store, &mut state, cmds),
            vec![Command::Refresh(None, crate::app::RefreshCause::Automatic)]
        );
        assert_eq!(state.totals.all, 5);
        assert_eq!(state.totals.unread, 5);
        assert_eq!(state.list.total, 5);
        assert_eq!(state.list.rows[0].title, "Item 0", "newest first");

        let cmds = update(&mut state, Msg::Action(Action::Down));
        let cmds = [cmds, update(&mut state, Msg::Action(Action::Open))].concat();
        pump(&store, &mut state, cmds);
        assert_eq!(state.focus, Focus::Article);
        let article = state.article.as_ref().expect("article loaded");
        assert_eq!(article.item.title, "Item 1");
        assert!(article.item.read, "read mark written before the load");
        assert_eq!(state.totals.unread, 4);

        let cmds = update(&mut state, Msg::Action(Action::MarkAllRead));
        assert!(cmds.is_empty(), "All asks first");
        let yes = crate::config::keymap::Key::parse("y").unwrap();
        let cmds = update(&mut state, Msg::Key(yes));
        pump(&store, &mut state, cmds);
        assert_eq!(state.last_mark_all.as_ref().map(Vec::len), Some(4));
        assert_eq!(store.unread_total().unwrap(), 0);
        let cmds = update(&mut state, Msg::Action(Action::UndoMarkAll));
        pump(&store, &mut state, cmds);
        assert_eq!(store.unread_total().unwrap(), 4);
        assert_eq!(state.totals.unread, 4);
        assert!(!state.list.rows[0].read);
        assert!(state.list.rows[1].read);
    }

    #[test]
    fn a_change_by_another_connection_is_reported_within_two_polls() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let store = Store::open(&path).unwrap();
        let (cmd_tx, cmd_rx) = std::sync::mpsc::channel();
        let (msg_tx, msg_rx) = std::sync::mpsc::channel();
        let worker =
            std::thread::spawn(move || serve(store, cmd_rx, msg_tx, DedupOptions::default()));
        // Nothing changed: nothing is reported.
        let quiet = msg_rx.recv_timeout(POLL * 2 + POLL / 2);
        assert!(quiet.is_err(), "{quiet:?}");
        let other = Store::open(&path).unwrap();
        other
            .add_feed("https://example.test/other.xml", None, &[])
            .unwrap();
        let msg = msg_rx.recv_timeout(POLL * 3).expect("a report");
        assert_eq!(msg, Msg::CacheChanged);
        // The worker's own writes are not reported.
        cmd_tx
            .send(Command::SaveViewSetting {
                view: "all".into(),
                setting: "oldest_first".into(),
                value: "1".into(),
            })
            .unwrap();
        let quiet = msg_rx.recv_timeout(POLL * 2 + POLL / 2);
        assert!(quiet.is_err(), "{quiet:?}");
        drop(cmd_tx);
        worker.join().unwrap();
    }

    #[test]
    fn a_slow_article_does_not_hold_up_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let feed = store
            .add_feed("https://example.test/feed.xml", None, &[])
            .unwrap();
        let mut slow = parsed(0);
        slow.content = "<p>A long paragraph of <b>many</b> words, <i>again</i>.</p>".repeat(20_000);
        let items = vec![slow, parsed(1)];
        let update = FeedUpdate {
            fetched_at: NOW,
            items,
            ..FeedUpdate::default()
        };
        store.store_feed_update(feed, &update).unwrap();
        let id = |key: &str| {
            let rows = store.headlines(&ItemQuery::new(View::All), 0, 10).unwrap();
            rows.iter().find(|r| r.title == key).unwrap().id
        };
        let (slow, fast) = (id("Item 0"), id("Item 1"));

        let (cmd_tx, cmd_rx) = std::sync::mpsc::channel();
        let (msg_tx, msg_rx) = std::sync::mpsc::channel();
        let worker =
            std::thread::spawn(move || serve(store, cmd_rx, msg_tx, DedupOptions::default()));
        cmd_tx.send(Command::LoadArticle(slow)).unwrap();
        cmd_tx.send(Command::LoadArticle(fast)).unwrap();
        // The slow one may still be parsing, or may never be (a newer request replaced it
        // before a thread took it): the first article to arrive is the small one.
        match msg_rx.recv().unwrap() {
            Msg::ArticleLoaded(item, _, _) => {
                assert_eq!(
                    item.id, fast,
                    "the small article came first (slow is {slow})"
                )
            }
            other => panic!("unexpected {other:?}"),
        }
        drop(cmd_tx);
        worker.join().unwrap();
    }

    /// The hidden flags of the article `id` as the worker serving with `rules` renders it.
    fn folded_blocks(store: Store, id: ItemId, rules: FeedRules) -> Vec<bool> {
        let (cmd_tx, cmd_rx) = std::sync::mpsc::channel();
        let (msg_tx, msg_rx) = std::sync::mpsc::channel();
        let worker = std::thread::spawn(move || {
            serve_with(store, cmd_rx, msg_tx, DedupOptions::default(), rules)
        });
        cmd_tx.send(Command::LoadArticle(id)).unwrap();
        let hidden = match msg_rx.recv().unwrap() {
            Msg::ArticleLoaded(_, _, hidden) => hidden,
            other => panic!("unexpected {other:?}"),
        };
        drop(cmd_tx);
        worker.join().unwrap();
        hidden
    }

    #[test]
    fn an_article_of_a_feed_set_to_dedup_false_folds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let mut store = Store::open(&path).unwrap();
        let feed = store
            .add_feed("https://example.test/feed.xml", None, &[])
            .unwrap();
        let mut item = parsed(0);
        let para = "<p>The old harbour bridge reopened to traffic on Monday morning after eleven \
                    weeks of repairs, and the first buses crossed it shortly after six o'clock \
                    while a small crowd of commuters watched from the pier.</p>";
        item.content = format!(
            "{para}<p>Engineers replaced the worn bearings under the central span.</p>{para}"
        );
        let update = FeedUpdate {
            fetched_at: NOW,
            items: vec![item],
            ..FeedUpdate::default()
        };
        store.store_feed_update(feed, &update).unwrap();
        let id = store.headlines(&ItemQuery::new(View::All), 0, 1).unwrap()[0].id;
        drop(store);
        let folded = folded_blocks(Store::open(&path).unwrap(), id, FeedRules::default());
        assert!(folded.iter().any(|h| *h), "the repeat folds: {folded:?}");
        let config = crate::config::Config::from_user_text(
            "[[feed]]\nurl = \"https://example.test/feed.xml\"\ndedup = false\n",
            Path::new("c.toml"),
        )
        .unwrap();
        let folded = folded_blocks(Store::open(&path).unwrap(), id, config.feeds);
        assert!(folded.iter().all(|h| !*h), "nothing folds: {folded:?}");
    }

    /// Stores `items` in a new feed and digests them, as a fetch does.
    fn feed_with(store: &mut Store, url: &str, items: Vec<ParsedItem>) -> crate::model::FeedId {
        let feed = store.add_feed(url, None, &[]).unwrap();
        let update = FeedUpdate {
            fetched_at: NOW,
            items,
            ..FeedUpdate::default()
        };
        store.store_feed_update(feed, &update).unwrap();
        crate::digests::digest_pending(store, 1, |_| Ok(false)).unwrap();
        feed
    }

    #[test]
    fn the_selection_stays_on_a_story_when_its_item_joins_another_after_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let story = "<p>The harbour council voted on Tuesday to build a new sea wall along the \
            eastern quay, after two winters of flooding closed the fish market for weeks.</p>\
            <p>Work starts in March and should take two years, the council said, at a cost the \
            town will share with the regional government and the port authority.</p>";
        let mut full = parsed(1);
        full.title = "Council approves the new sea wall".into();
        full.content = story.into();
        full.link = Some("https://a.example.test/wall".into());
        let mut teaser = parsed(2);
        teaser.title = "Council approves the new sea wall".into();
        teaser.content = "<p>Read on.</p>".into();
        teaser.link = Some("https://b.example.test/wall".into());
        feed_with(&mut store, "https://a.example.test/feed.xml", vec![full]);
        let b = feed_with(&mut store, "https://b.example.test/feed.xml", vec![teaser]);
        for i in 3..8 {
            feed_with(
                &mut store,
                &format!("https://c{i}.example.test/f.xml"),
                vec![parsed(i)],
            );
        }
        let mut state = State::new(
            ReaderSettings::default(),
            Keymap::default_keys(),
            Theme::default(),
            NOW,
        );
        state.width = 160;
        state.height = 40;
        let cmds = crate::app::start(&mut state);
        pump(&store, &mut state, cmds);
        let ids = |state: &State| -> Vec<ItemId> { state.list.rows.iter().map(|h| h.id).collect() };
        let teaser_id = store
            .headlines(&ItemQuery::new(View::Feed(b)), 0, 1)
            .unwrap()[0]
            .id;
        assert_eq!(
            ids(&state)[1],
            teaser_id,
            "the two stand apart before the article"
        );
        let cmds = update(&mut state, Msg::Action(Action::Down));
        pump(&store, &mut state, cmds);
        assert_eq!(state.list.selected_row().map(|h| h.id), Some(teaser_id));

        // The teaser's article arrives: signed again, the item joins the other's story and
        // leaves the list, which shows one item per story.
        let article = crate::store::NewArticle {
            url: "https://b.example.test/wall".into(),
            html: story.into(),
            words: 60,
            title: None,
            author: None,
            published: None,
            parsed: None,
        };
        assert!(store.store_article(teaser_id, &article, NOW).unwrap());
        crate::digests::digest_pending(&mut store, 1, |_| Ok(false)).unwrap();
        let lead = store.story_lead(teaser_id).unwrap();
        assert_ne!(lead, teaser_id, "the teaser joined the other story");
        let done = Msg::RefreshDone {
            at: NOW,
            new_items: 0,
            failed: Vec::new(),
        };
        let cmds = update(&mut state, done);
        pump(&store, &mut state, cmds);
        assert!(!ids(&state).contains(&teaser_id));
        assert_eq!(
            state.list.selected_row().map(|h| h.id),
            Some(lead),
            "the selection stays on the story, not on whatever took the row"
        );
    }
}
