//! Running the queue: [`AT_ONCE`] downloads at a time, each into its `.part` file and then to
//! its final name, every step noted in the cache so that an interrupted download resumes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncSeekExt, AsyncWriteExt};
use tokio::sync::Semaphore;

use super::files::{self, Part};
use super::names;
use crate::fetch::{FetchConfig, Fetcher, LinkPolicy, Resume};
use crate::store::{Download, DownloadState, Store};

/// How many downloads run at once.
pub const AT_ONCE: usize = 2;

/// Progress is reported at most this often per download.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

const MIB: u64 = 1024 * 1024;

/// Where episodes go, and how much room they may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// The folder (created when missing).
    pub dir: PathBuf,
    /// The most the folder's files may hold, in bytes; `None` for no cap.
    pub max_bytes: Option<u64>,
}

/// What a run reports as it goes. Names are the episode's label: its feed and title, sanitised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A download began (or resumed at `start`).
    Started {
        /// The queue row.
        id: i64,
        /// The episode's label.
        name: String,
        /// Bytes already in the `.part` file and kept.
        start: u64,
        /// The file's whole size, if known.
        total: Option<u64>,
    },
    /// Bytes arrived.
    Progress {
        /// The queue row.
        id: i64,
        /// Bytes of the file written so far.
        done: u64,
    },
    /// The file is complete under its final name.
    Done {
        /// The queue row.
        id: i64,
        /// The episode's label.
        name: String,
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// The download failed; it stays in the queue with this error.
    Failed {
        /// The queue row.
        id: i64,
        /// The episode's label.
        name: String,
        /// Why.
        error: String,
    },
}

/// How a run went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Downloads completed.
    pub done: usize,
    /// Downloads that failed (kept in the queue with their error).
    pub failed: usize,
}

/// Which downloads a run takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// Queued ones and those that failed before (`tidings download`).
    Pending,
    /// Queued ones only (the reader's background runs, which do not retry a failure by themselves).
    Queued,
}

type Sink = Arc<dyn Fn(Event) + Send + Sync>;

/// Runs the downloads of the queue in the cache at `store_path`, [`AT_ONCE`] at a time, into
/// `folder`, reporting to `events`. Fails only when the cache cannot be read.
pub async fn run(
    store_path: &Path,
    fetch: FetchConfig,
    folder: &Folder,
    take: Take,
    events: impl Fn(Event) + Send + Sync + 'static,
) -> anyhow::Result<Summary> {
    // One runner at a time over a cache (the reader's and a `tidings download`, say), so that
    // no two write one `.part` file.
    let mut lock_name = store_path.as_os_str().to_os_string();
    lock_name.push(".downloads.lock");
    let Some(_lock) = files::lock_queue(Path::new(&lock_name))? else {
        anyhow::bail!("another tidings is running the download queue; it downloads these too");
    };
    let store = Store::open(store_path)?;
    let mut pending = store.pending_downloads()?;
    if take == Take::Queued {
        pending.retain(|d| d.state == DownloadState::Queued);
    }
    if pending.is_empty() {
        return Ok(Summary::default());
    }
    let store = Arc::new(Mutex::new(store));
    let fetcher = Arc::new(Fetcher::new(fetch)?);
    let slots = Arc::new(Semaphore::new(AT_ONCE));
    // Measured once: the downloads running at once take their bytes from it, so that two of
    // them cannot both fill the room that each saw free.
    let room = Arc::new(Room::new(folder));
    let events: Sink = Arc::new(events);
    let mut tasks = tokio::task::JoinSet::new();
    for d in pending {
        let (store, fetcher, slots, events, room) = (
            Arc::clone(&store),
            Arc::clone(&fetcher),
            Arc::clone(&slots),
            Arc::clone(&events),
            Arc::clone(&room),
        );
        let folder = folder.clone();
        tasks.spawn(async move {
            let _slot = slots.acquire_owned().await;
            let name = label(&d);
            let outcome = one(&fetcher, &store, &d, (&folder, &room), &events).await;
            let store = store.lock().unwrap_or_else(|p| p.into_inner());
            match outcome {
                Ok((path, bytes)) => {
                    let noted = store.download_done(d.id, &path.to_string_lossy(), bytes);
                    if let Err(e) = noted {
                        tracing::warn!("cannot note a finished download: {e}");
                    }
                    events(Event::Done {
                        id: d.id,
                        name,
                        path,
                        bytes,
                    });
                    true
                }
                Err(error) => {
                    let error =
                        crate::content::sanitize_line(&crate::fetch::redact(&error)).into_owned();
                    if let Err(e) = store.download_failed(d.id, &error) {
                        tracing::warn!("cannot note a failed download: {e}");
                    }
                    events(Event::Failed {
                        id: d.id,
                        name,
                        error,
                    });
                    false
                }
            }
        });
    }
    let mut summary = Summary::default();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(true) => summary.done += 1,
            Ok(false) => summary.failed += 1,
            Err(e) => {
                tracing::error!("a download task failed: {e}");
                summary.failed += 1;
            }
        }
    }
    Ok(summary)
}

/// The label of an episode: `feed - title`, sanitised as its file name is.
pub fn label(d: &Download) -> String {
    names::stem(&d.feed_title, &d.title, None)
}

/// Downloads one episode; its final path and size, or why not.
async fn one(
    fetcher: &Fetcher,
    store: &Mutex<Store>,
    d: &Download,
    (folder, room): (&Folder, &Room),
    events: &Sink,
) -> Result<(PathBuf, u64), String> {
    std::fs::create_dir_all(&folder.dir)
        .map_err(|e| format!("cannot create {}: {e}", folder.dir.display()))?;
    room.check(folder)?;
    let mut claim = Claim::new(room);
    let ext = names::extension(&d.url, d.mime.as_deref());
    let mut part = the_part(d, folder, ext.as_deref())?;
    let note = |validator: Option<&str>, part: &Part| {
        let store = store.lock().unwrap_or_else(|p| p.into_inner());
        store
            .download_started(d.id, &part.path.to_string_lossy(), validator)
            .map_err(|e| format!("cannot note the download in the cache: {e}"))
    };
    note(d.validator.as_deref(), &part)?;
    let resume = match &d.validator {
        Some(validator) if part.len > 0 => Some(Resume {
            offset: part.len,
            validator: validator.clone(),
        }),
        _ => None,
    };
    let policy = LinkPolicy::from_page(&d.feed_url);
    let mut download = fetcher
        .download(&d.url, &policy, resume.as_ref())
        .await
        .map_err(|e| e.to_string())?;
    // The server's answer: the rest, or the whole file again (from the start).
    if download.start != part.len {
        part.file
            .set_len(0)
            .map_err(|e| format!("{}: {e}", part.path.display()))?;
        part.len = 0;
    }
    note(download.validator.as_deref(), &part)?;
    let kept = part.len;
    if let Some(total) = download.total {
        // What the `.part` file holds already is counted in the folder's usage.
        if !claim.grow_to(total.saturating_sub(kept)) {
            return Err(too_big(folder, total));
        }
    }
    events(Event::Started {
        id: d.id,
        name: label(d),
        start: kept,
        total: download.total,
    });
    let mut file = tokio::fs::File::from_std(part.file);
    file.seek(std::io::SeekFrom::Start(kept))
        .await
        .map_err(|e| format!("{}: {e}", part.path.display()))?;
    let mut written = kept;
    let mut last = Instant::now();
    loop {
        let chunk = match download.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                let _ = file.flush().await;
                return Err(format!("{e} after {written} bytes (the next run resumes)"));
            }
        };
        written += chunk.len() as u64;
        if !claim.grow_to(written - kept) {
            drop(file);
            let _ = std::fs::remove_file(&part.path);
            return Err(too_big(folder, written));
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| format!("{}: {e}", part.path.display()))?;
        claim.used = written - kept;
        if last.elapsed() >= PROGRESS_EVERY {
            last = Instant::now();
            events(Event::Progress {
                id: d.id,
                done: written,
            });
        }
    }
    if let Some(total) = download.total
        && written != total
    {
        return Err(format!(
            "the connection ended after {written} of {total} bytes (the next run resumes)"
        ));
    }
    file.sync_all()
        .await
        .map_err(|e| format!("{}: {e}", part.path.display()))?;
    drop(file);
    let stem = names::stem(&d.feed_title, &d.title, ext.as_deref());
    let path = files::finish(&part.path, &stem, ext.as_deref()).map_err(|e| e.to_string())?;
    Ok((path, written))
}

/// The `.part` file of a download: the one it started, when it is still there in this folder,
/// else a new one.
fn the_part(d: &Download, folder: &Folder, ext: Option<&str>) -> Result<Part, String> {
    if let Some(path) = d.part.as_deref().map(Path::new)
        && path.parent() == Some(folder.dir.as_path())
        && let Some(part) = files::open_part(path).map_err(|e| e.to_string())?
    {
        return Ok(part);
    }
    let stem = names::stem(&d.feed_title, &d.title, ext);
    files::create_part(&folder.dir, &stem, ext).map_err(|e| e.to_string())
}

/// What the podcasts folder may still take in one run (`None` inside: no cap), shared by the
/// downloads running at once: each claims its file's size before it starts (or its bytes as
/// they come, when the size is not known), so two downloads cannot both fill the room each saw.
struct Room {
    left: Mutex<Option<u64>>,
    /// What the folder held when the run began, for the message that it is full.
    used: u64,
}

impl Room {
    /// The room under `folder`'s cap, measured now.
    fn new(folder: &Folder) -> Room {
        let used = folder
            .max_bytes
            .map_or(0, |_| files::folder_usage(&folder.dir));
        Room {
            left: Mutex::new(folder.max_bytes.map(|max| max.saturating_sub(used))),
            used,
        }
    }

    /// The message that the folder is full, when it is.
    fn check(&self, folder: &Folder) -> Result<(), String> {
        match (*self.lock(), folder.max_bytes) {
            (Some(0), Some(max)) => Err(format!(
                "the podcasts folder {} holds {} MiB, its cap ([podcasts] max_mib = {}): delete episodes or raise the cap",
                folder.dir.display(),
                self.used.max(max) / MIB,
                max / MIB
            )),
            _ => Ok(()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<u64>> {
        self.left.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes `bytes` from the room; whether they were there.
    fn take(&self, bytes: u64) -> bool {
        let mut left = self.lock();
        match *left {
            None => true,
            Some(n) if bytes <= n => {
                *left = Some(n - bytes);
                true
            }
            Some(_) => false,
        }
    }

    /// Gives back `bytes` taken and not written.
    fn give(&self, bytes: u64) {
        if let Some(n) = self.lock().as_mut() {
            *n += bytes;
        }
    }
}

/// One download's share of the [`Room`]: what it claimed, and how much of that it has written;
/// what it did not write goes back when it ends (a failed download's `.part` keeps the bytes
/// it wrote, for the next run's resume).
struct Claim<'a> {
    room: &'a Room,
    claimed: u64,
    used: u64,
}

impl<'a> Claim<'a> {
    fn new(room: &'a Room) -> Claim<'a> {
        Claim {
            room,
            claimed: 0,
            used: 0,
        }
    }

    /// Claims up to `bytes` in all; whether the room had them.
    fn grow_to(&mut self, bytes: u64) -> bool {
        if bytes <= self.claimed {
            return true;
        }
        if !self.room.take(bytes - self.claimed) {
            return false;
        }
        self.claimed = bytes;
        true
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.room.give(self.claimed.saturating_sub(self.used));
    }
}

fn too_big(folder: &Folder, bytes: u64) -> String {
    format!(
        "the episode ({} MiB) does not fit under the podcasts folder's cap ([podcasts] max_mib = {}): delete episodes or raise the cap",
        bytes.div_ceil(MIB),
        folder.max_bytes.unwrap_or(0) / MIB
    )
}
