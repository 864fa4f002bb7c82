//! The reader's download runner: a thread of its own, at the lower priority of background work
//! (see [`super::priority`]), that runs the queued downloads ([`crate::podcasts::run`], two at a
//! time) whenever it is asked to, and reports in the status line: what started, progress at most
//! once a second, what finished, and each failure (which stays in the queue with its error; the
//! reader does not retry it by itself: `D` on the item queues it again, `tidings download` retries).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::app::Msg;
use crate::fetch::FetchConfig;
use crate::podcasts::{self, Event, Folder, Take};

/// Progress shows in the status line at most this often.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// What the runner needs: the cache, where episodes go, and the fetcher's limits.
#[derive(Debug, Clone)]
pub struct Downloads {
    /// The cache file, whose queue is run.
    pub store_path: PathBuf,
    /// `[podcasts]`.
    pub folder: Folder,
    /// `[fetch]`'s limits (timeouts, redirects, user agent, proxy).
    pub fetch: FetchConfig,
}

/// The handle the loop keeps: asking for a run.
#[derive(Debug)]
pub struct Runner {
    kick: Sender<()>,
}

impl Runner {
    /// Starts the runner's thread, which reports on `tx` and waits to be asked.
    pub fn start(downloads: Downloads, tx: Sender<Msg>) -> Runner {
        let (kick, asked) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("downloads".into())
            .spawn(move || {
                super::priority::lower_this_thread();
                serve(&downloads, &asked, &tx);
            });
        if let Err(e) = spawned {
            tracing::error!("cannot start the download thread: {e}");
        }
        Runner { kick }
    }

    /// Asks for a run of the queue; a run under way takes the new downloads when it ends.
    pub fn run(&self) {
        let _ = self.kick.send(());
    }
}

/// Runs the queue each time it is asked, until the loop drops its handle.
fn serve(downloads: &Downloads, asked: &Receiver<()>, tx: &Sender<Msg>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = tx.send(Msg::CommandFailed(format!("Downloads cannot run: {e}")));
            return;
        }
    };
    while asked.recv().is_ok() {
        // Asks that came while waiting are answered by this one run.
        while asked.try_recv().is_ok() {}
        let events = reporter(tx.clone());
        let run = podcasts::run(
            &downloads.store_path,
            downloads.fetch.clone(),
            &downloads.folder,
            Take::Queued,
            events,
        );
        match runtime.block_on(run) {
            Ok(summary) if summary.done + summary.failed > 1 => {
                let _ = tx.send(Msg::Notice(format!(
                    "Downloads: {} done, {} failed (`tidings download --list`)",
                    summary.done, summary.failed
                )));
            }
            Ok(_) => {}
            Err(e) => {
                let _ = tx.send(Msg::CommandFailed(format!("Downloads: {e:#}")));
            }
        }
    }
}

/// When progress was last shown, and each running download's label and size.
type Shown = (Instant, HashMap<i64, (String, Option<u64>)>);

/// Turns a run's events into status-line messages: progress at most once a second.
fn reporter(tx: Sender<Msg>) -> impl Fn(Event) + Send + Sync + 'static {
    let sizes: Arc<Mutex<Shown>> = Arc::new(Mutex::new((Instant::now(), HashMap::new())));
    move |event| {
        let mut guard = sizes.lock().unwrap_or_else(|p| p.into_inner());
        let (last, known) = &mut *guard;
        let msg = match event {
            Event::Started {
                id, name, total, ..
            } => {
                let text = format!("Downloading {name}");
                known.insert(id, (name, total));
                Msg::Notice(text)
            }
            Event::Progress { id, done } => {
                if last.elapsed() < PROGRESS_EVERY {
                    return;
                }
                *last = Instant::now();
                let Some((name, total)) = known.get(&id) else {
                    return;
                };
                Msg::Notice(match total {
                    Some(total) if *total > 0 => {
                        format!("Downloading {name}: {}%", done * 100 / total)
                    }
                    _ => format!("Downloading {name}: {} MiB", done >> 20),
                })
            }
            Event::Done { id, path, .. } => {
                known.remove(&id);
                Msg::Notice(format!("Downloaded {}", path.display()))
            }
            Event::Failed { id, name, error } => {
                known.remove(&id);
                Msg::CommandFailed(format!("Download of {name} failed: {error}"))
            }
        };
        let _ = tx.send(msg);
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    use super::*;
    use crate::app::Command;
    use crate::model::{BodyKind, Enclosure, ParsedItem};
    use crate::store::{DownloadState, FeedUpdate, Store};

    /// Answers every request on 127.0.0.1 with `body` as `audio/mpeg`; returns the port.
    fn serve_bytes(body: Vec<u8>) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nContent-Length: {}\r\n\
                     ETag: \"e\"\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            }
        });
        port
    }

    #[test]
    fn a_queued_episode_is_downloaded_by_the_runner_and_reported() {
        let body: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
        let port = serve_bytes(body.clone());
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache.db");
        let mut store = Store::open(&cache).unwrap();
        let feed = store
            .add_feed(
                &format!("http://127.0.0.1:{port}/feed"),
                Some("Harbour/Weekly"),
                &[],
            )
            .unwrap();
        let item = ParsedItem {
            key: "k".into(),
            guid: Some("k".into()),
            link: None,
            title: "Ep 1: the wall".into(),
            author: None,
            published: Some(1_700_000_000),
            content: "<p>notes</p>".into(),
            content_kind: BodyKind::Html,
            base: None,
            enclosures: vec![
                Enclosure {
                    url: format!("http://127.0.0.1:{port}/cover.jpg"),
                    mime: Some("image/jpeg".into()),
                    length: None,
                },
                Enclosure {
                    url: format!("http://127.0.0.1:{port}/ep1.mp3"),
                    mime: Some("audio/mpeg".into()),
                    length: None,
                },
            ],
        };
        let update = FeedUpdate {
            fetched_at: 1_700_000_000,
            items: vec![item],
            ..FeedUpdate::default()
        };
        store.store_feed_update(feed, &update).unwrap();
        let id = store.items_of_feed(feed, 1).unwrap()[0].id;
        // What the reader's D sends the worker, from the headline list: the episode is its
        // audio enclosure, not the cover.
        let msg = crate::session::worker::execute(
            &store,
            Command::QueueDownload {
                item: id,
                url: None,
            },
        )
        .unwrap();
        assert_eq!(
            msg,
            Some(Msg::DownloadQueued("Harbour Weekly - Ep 1 the wall".into()))
        );
        let queued = store.downloads().unwrap();
        assert_eq!(queued[0].url, format!("http://127.0.0.1:{port}/ep1.mp3"));

        let pods = dir.path().join("pods");
        let (tx, rx) = mpsc::channel();
        let runner = Runner::start(
            Downloads {
                store_path: cache.clone(),
                folder: Folder {
                    dir: pods.clone(),
                    max_bytes: None,
                },
                fetch: FetchConfig::default(),
            },
            tx,
        );
        runner.run();
        let deadline = Instant::now() + Duration::from_secs(20);
        let done = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left).expect("the runner reports") {
                Msg::Notice(text) if text.starts_with("Downloaded ") => break text,
                Msg::CommandFailed(text) => panic!("{text}"),
                _ => {}
            }
        };
        let file = pods.join("Harbour Weekly - Ep 1 the wall.mp3");
        assert!(done.contains(&file.display().to_string()), "{done}");
        assert_eq!(std::fs::read(&file).unwrap(), body);
        let d = &store.downloads().unwrap()[0];
        assert_eq!(d.state, DownloadState::Done);
        assert_eq!(d.path.as_deref(), Some(file.to_string_lossy().as_ref()));
    }
}
