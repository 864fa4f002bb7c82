//! The cache worker: a thread that owns the store connection, carries out the store commands
//! and sends the results back as messages. The interface thread never waits on SQLite.

use std::sync::mpsc::{Receiver, Sender};

use crate::app::msg::{Command, Msg, Totals};
use crate::app::renderer::{self, RenderJob, Renderer};
use crate::content::dedup::{DedupOptions, FeedStats};
use crate::model::{ItemId, ItemQuery, View};
use crate::store::{Result, Store};

/// Runs store commands until the command channel closes; `dedup` says which blocks of a loaded
/// article fold. An article's body is parsed by the [`Renderer`], so that a slow one holds up
/// neither the cache nor the next article.
pub fn serve(store: Store, commands: Receiver<Command>, results: Sender<Msg>, dedup: DedupOptions) {
    let renderer = Renderer::new(results.clone(), dedup);
    while let Ok(cmd) = commands.recv() {
        let done = match cmd {
            Command::LoadArticle(id) => load_article(&store, id, &dedup).map(|job| {
                renderer.submit(job);
                None
            }),
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
        if results.send(msg).is_err() {
            break;
        }
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
        Command::LoadArticle(id) => renderer::render(load_article(store, id, dedup)?, dedup),
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
        Command::LoadQueries(config) => Msg::QueriesLoaded(load_queries(store, &config, dedup)?),
        Command::SaveQuery { name, filter } => {
            store.save_query(&name, &filter, now())?;
            return Ok(None);
        }
        Command::Refresh(_) | Command::OpenUrl(_) | Command::CopyToClipboard(_) | Command::Quit => {
            return Ok(None);
        }
    }))
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
fn load_article(store: &Store, id: ItemId, dedup: &DedupOptions) -> Result<RenderJob> {
    let mut item = store.item(id)?;
    if !dedup.stories {
        item.also_in.clear();
    }
    let stats = if dedup.boilerplate {
        store
            .feed_stats(item.feed_id)?
            .map(|s| FeedStats::from_counts(s.items, s.counts))
    } else {
        None
    };
    Ok(RenderJob { item, stats })
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
                Command::Refresh(_) | Command::Quit | Command::OpenUrl(_)
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
        assert_eq!(pump(&store, &mut state, cmds), vec![Command::Refresh(None)]);
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
}
