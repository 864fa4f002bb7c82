//! The reader's download runner: a thread of its own, at the lower priority of background work
//! (see [`super::priority`]), that runs the queued downloads ([`crate::podcasts::run`], two at a
//! time) whenever it is asked to, and reports in the status line: what started, progress at most
//! once a second, what finished, and each failure (which stays in the queue with its error; the
//! reader does not retry it by itself: `D` on the item queues it again, `tidings download` retries).

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

/// Turns a run's events into status-line messages: progress at most once a second.
fn reporter(tx: Sender<Msg>) -> impl Fn(Event) + Send + Sync + 'static {
    let sizes: Arc<
        Mutex<(
            Instant,
            std::collections::HashMap<i64, (String, Option<u64>)>,
        )>,
    > = Arc::new(Mutex::new((Instant::now(), Default::default())));
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
