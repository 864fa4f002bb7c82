//! The event loop: sets the terminal up (and restores it on every exit path, panics included,
//! through `ratatui::init`), turns terminal events and worker results into messages, runs the
//! pure update, carries out the commands, and redraws only when a message changed something.
//! After the first frame it asks the terminal which graphics protocol it speaks (unless the
//! environment said, or images are never `auto`) and starts reading keys only once the answer
//! is in; after each frame, the [`Placer`] writes what moved of the protocol images.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::Duration;

use anyhow::Context;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;

use crate::app::msg::{Command, Msg, RefreshCause};
use crate::app::protocol::Protocol;
use crate::app::state::State;
use crate::app::{open, update};
use crate::config::ReaderSettings;
use crate::config::keymap::Keymap;
use crate::config::theme::Theme;
use crate::content::dedup::DedupOptions;
use crate::model::{FeedId, ItemId};
use crate::session::images::ImageLoader;
use crate::session::placements::Placer;
use crate::session::{aside, browser, downloads, external, graphics, keys, probe, worker};
use crate::store::Store;

/// How often the loop wakes up with [`Msg::Tick`] when nothing else happens.
const TICK: Duration = Duration::from_secs(30);

/// Starts background refreshes; the lead plugs in `crate::refresh` through this.
pub trait Refresher: Send {
    /// Starts refreshing one feed (or all when `None`) without blocking, and reports on `tx`
    /// with [`Msg::RefreshStarted`], [`Msg::RefreshProgress`] and finally [`Msg::RefreshDone`].
    /// An [`RefreshCause::Automatic`] one may hold back a sync whose server failed lately.
    fn start(&mut self, feed: Option<FeedId>, cause: RefreshCause, tx: Sender<Msg>);

    /// Fetches the article of one item from its page without blocking, and reports on `tx` with
    /// [`Msg::PageFetched`]. Without an implementation, says that it cannot.
    fn fetch_page(&mut self, item: ItemId, tx: Sender<Msg>) {
        let _ = tx.send(Msg::PageFetched {
            item,
            outcome: "Articles cannot be fetched here".to_string(),
        });
    }
}

/// Everything the reader needs to start.
pub struct RunOptions {
    /// The cache file.
    pub store_path: PathBuf,
    /// The `[reader]` settings.
    pub settings: ReaderSettings,
    /// Which kinds of deduplication fold an article's blocks (from `[dedup]`).
    pub dedup: DedupOptions,
    /// The key map (defaults merged with the user's).
    pub keymap: Keymap,
    /// The colours ([`Theme::from_env`] respects `NO_COLOR`).
    pub theme: Theme,
    /// Background refresh; without one, refresh requests finish at once with nothing new.
    pub refresher: Option<Box<dyn Refresher>>,
    /// The config's `[[query]]` tables, listed in the feed pane (with those saved in the cache).
    pub queries: Vec<crate::config::queries::QuerySpec>,
    /// The programs the reader runs for the user (`[open]`, `[notify]`, `[save]`).
    pub external: crate::config::commands::External,
    /// The config's `[[feed]]` tables (titles, extra tags, and edits they override).
    pub feed_rules: crate::config::feeds::FeedRules,
    /// The podcast downloads the reader runs in the background; `None` runs none.
    pub downloads: Option<downloads::Downloads>,
    /// How article images are fetched and where they are kept; `None` fetches none.
    pub images: Option<ImageSource>,
}

/// How article images are fetched, and the image cache they are kept in.
pub type ImageSource = (
    crate::fetch::FetchConfig,
    crate::store::image_files::ImageFiles,
);

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Runs the reader until the user quits. The cache is opened before the terminal is taken over,
/// so that a bad cache file is reported as a plain error.
pub fn run(opts: RunOptions) -> anyhow::Result<()> {
    let store = Store::open_readable(&opts.store_path)
        .with_context(|| format!("opening the cache {}", opts.store_path.display()))?;
    let mut state = State::new(opts.settings, opts.keymap, opts.theme, unix_now());
    state.read_only = store.read_only().map(ToString::to_string);
    state.external = opts.external;
    state.feed_rules = opts.feed_rules;
    state.queries = opts
        .queries
        .iter()
        .map(|q| crate::app::queries::QueryRow {
            name: q.name.clone(),
            filter: q.filter.clone(),
            origin: crate::config::queries::Origin::Config,
            counts: None,
        })
        .collect();
    state.entries = crate::app::queries::with_queries(state.entries.clone(), &state.queries);
    state.tz_offset = chrono::Local::now().offset().local_minus_utc();
    let mouse = state.settings.mouse;

    let mut terminal = ratatui::init();
    // A feed parser panic caught during a background refresh must not restore the terminal:
    // the quiet filter sits above ratatui's hook and passes on only panics from other threads.
    crate::feed::install_quiet_panic_filter();
    if mouse {
        let _ = execute!(std::io::stdout(), EnableMouseCapture);
    }
    let result = event_loop(
        &mut terminal,
        state,
        store,
        opts.dedup,
        (opts.refresher, opts.downloads, opts.images),
    );
    if mouse {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
    }
    ratatui::restore();
    result
}

/// Flags shared with the input thread.
#[derive(Default)]
struct InputControl {
    /// Stop reading for now (a terminal browser owns the keyboard).
    paused: AtomicBool,
    /// Stop for good (the reader is leaving).
    stop: AtomicBool,
}

/// Reads terminal events on a thread of its own until told to stop; `late` drops a graphics
/// answer that came after the reader stopped waiting for it.
fn spawn_input(tx: Sender<Msg>, control: Arc<InputControl>, mut late: keys::LateAnswer) {
    thread::spawn(move || {
        while !control.stop.load(Ordering::Acquire) {
            if control.paused.load(Ordering::Acquire) {
                thread::sleep(Duration::from_millis(50));
                continue;
            }
            match crossterm::event::poll(Duration::from_millis(100)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => break,
            }
            let Ok(ev) = crossterm::event::read() else {
                break;
            };
            if !late.pass(&ev) {
                continue;
            }
            if let Some(msg) = keys::msg_of(&ev)
                && tx.send(msg).is_err()
            {
                break;
            }
        }
    });
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    mut state: State,
    store: Store,
    dedup: DedupOptions,
    (refresher, downloads, images): (
        Option<Box<dyn Refresher>>,
        Option<downloads::Downloads>,
        Option<ImageSource>,
    ),
) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel::<Msg>();
    let runner = downloads.map(|d| downloads::Runner::start(d, tx.clone()));
    let images = images.map(|(fetch, files)| ImageLoader::start(fetch, files, tx.clone()));
    let (store_tx, store_rx) = mpsc::channel::<Command>();
    let results = tx.clone();
    let rules = state.feed_rules.clone();
    let worker = thread::spawn(move || worker::serve_with(store, store_rx, results, dedup, rules));
    let control = Arc::new(InputControl::default());
    let mut placer = Placer::new(Protocol::Halfblocks, (8, 16));
    let result = serve(
        terminal,
        &mut state,
        (&control, &mut placer),
        (refresher, runner, images),
        (tx, rx),
        store_tx,
    );
    let _ = placer.clear(&mut std::io::stdout());
    control.stop.store(true, Ordering::Release);
    // The worker stops once its queue is closed (when `serve` returned) and the writes that were
    // waiting for a refresh's lock are stored: wait for them rather than lose a read mark.
    let _ = worker.join();
    result
}

/// The loop proper: run commands, draw if something changed, wait for messages.
fn serve(
    terminal: &mut DefaultTerminal,
    state: &mut State,
    (control, placer): (&Arc<InputControl>, &mut Placer),
    (mut refresher, runner, images): (
        Option<Box<dyn Refresher>>,
        Option<downloads::Runner>,
        Option<ImageLoader>,
    ),
    (tx, rx): (Sender<Msg>, mpsc::Receiver<Msg>),
    store_tx: Sender<Command>,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    update(state, Msg::Resize(size.width, size.height));
    let mut pending: Vec<Command> = crate::app::start(state);
    let mut dirty = true;
    // Asked after the first frame; the input thread starts once the answer is in.
    let mut ask = Some(graphics_setup(state, placer));
    loop {
        for cmd in pending.drain(..) {
            match cmd {
                Command::Quit => return Ok(()),
                Command::Refresh(feed, cause) => match refresher.as_mut() {
                    Some(r) => r.start(feed, cause, tx.clone()),
                    None => {
                        let _ = tx.send(Msg::RefreshDone {
                            at: unix_now(),
                            new_items: 0,
                            failed: Vec::new(),
                        });
                    }
                },
                Command::FetchPage(item) => match refresher.as_mut() {
                    Some(r) => r.fetch_page(item, tx.clone()),
                    None => {
                        let _ = tx.send(Msg::PageFetched {
                            item,
                            outcome: "Articles cannot be fetched here".to_string(),
                        });
                    }
                },
                Command::OpenUrl(url) => {
                    open_url(terminal, &control.paused, &state.settings, &url, &tx)?;
                    placer.forget();
                    dirty = true;
                }
                Command::CopyToClipboard(url) => {
                    if let Some(seq) = open::osc52(&url) {
                        write_terminal(&seq);
                    }
                }
                Command::Pipe {
                    argv,
                    input,
                    terminal: in_terminal,
                } => {
                    if in_terminal {
                        let mouse = state.settings.mouse;
                        let status = aside::step_aside(terminal, &control.paused, mouse, || {
                            external::run_pipe_in_terminal(&argv, input)
                        })?;
                        let _ = tx.send(external::ended(&argv[0], status, "Back from"));
                        placer.forget();
                        dirty = true;
                    } else {
                        external::spawn_pipe(argv, input, tx.clone());
                    }
                }
                Command::OpenWith(argv) => external::spawn_open(argv, tx.clone()),
                Command::LoadImages {
                    item,
                    feed_url,
                    urls,
                } => {
                    if let Some(images) = &images {
                        images.load(item, feed_url, urls);
                    }
                }
                Command::RunDownloads => {
                    if let Some(runner) = &runner {
                        runner.run();
                    }
                }
                Command::SaveArticle {
                    dir,
                    title,
                    markdown,
                } => {
                    let _ = tx.send(match external::save_article(&dir, &title, &markdown) {
                        Ok(path) => Msg::Notice(format!("Saved {}", path.display())),
                        Err(e) => {
                            Msg::CommandFailed(format!("Cannot save into {}: {e}", dir.display()))
                        }
                    });
                }
                Command::Notify { argv, osc } => {
                    if let Some(seq) = osc {
                        write_terminal(&seq);
                    }
                    if let Some(argv) = argv {
                        external::spawn_open(argv, tx.clone());
                    }
                }
                other => {
                    if store_tx.send(other).is_err() {
                        anyhow::bail!("the cache worker stopped");
                    }
                }
            }
        }
        if state.quit {
            return Ok(());
        }
        if dirty {
            let frame = terminal.draw(|f| crate::ui::render(state, f))?.area;
            dirty = false;
            let spots = crate::app::image_spots::spots(state);
            placer.sync(&spots, (frame.width, frame.height), &mut std::io::stdout())?;
            debug_panic_after_draw();
        }
        if let Some(asking) = ask.take() {
            let (late, typed) = graphics_answer(asking, state, placer);
            spawn_input(tx.clone(), Arc::clone(control), late);
            // The keys typed meanwhile come after what the workers sent before them.
            for msg in typed {
                let _ = tx.send(msg);
            }
            if state.protocol != Protocol::Halfblocks {
                dirty = true;
                continue;
            }
        }
        let first = match rx.recv_timeout(TICK) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => Msg::Tick(unix_now()),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        // Take every message already waiting before drawing once (batched redraws).
        for msg in std::iter::once(first).chain(rx.try_iter()) {
            let tick = matches!(msg, Msg::Tick(_));
            let cmds = update(state, msg);
            dirty |= !tick || !cmds.is_empty();
            pending.extend(cmds);
        }
    }
}

/// The protocol from the environment, when it names one (then set at once); otherwise whether
/// the terminal is to be asked after the first frame: only with images on `auto` somewhere,
/// and only a terminal (never a pipe).
fn graphics_setup(state: &mut State, placer: &mut Placer) -> bool {
    if !crate::app::images::auto_anywhere(state) {
        return false;
    }
    match graphics::from_env(|k| std::env::var(k).ok()) {
        Some(p) => {
            update(state, Msg::Graphics(p));
            *placer = Placer::new(p, cell_size(None));
            false
        }
        None => probe::stdout_is_tty(),
    }
}

/// Asks the terminal (when `asking`) and takes its answer: the protocol into the state and the
/// placer. Returns the input thread's filter for an answer that comes too late (armed when the
/// terminal did not finish answering in time) and the keys typed meanwhile.
fn graphics_answer(
    asking: bool,
    state: &mut State,
    placer: &mut Placer,
) -> (keys::LateAnswer, Vec<Msg>) {
    if !asking {
        return (keys::LateAnswer::new(false), Vec::new());
    }
    let Ok(answer) = probe::ask(probe::wait()) else {
        return (keys::LateAnswer::new(true), Vec::new());
    };
    let protocol = graphics::from_answer(&answer.answers);
    tracing::debug!("graphics: {protocol:?} (answered in time: {})", answer.done);
    if protocol != Protocol::Halfblocks {
        update(state, Msg::Graphics(protocol));
        *placer = Placer::new(protocol, cell_size(answer.cell_size()));
    }
    (
        keys::LateAnswer::new(!answer.done),
        keys::typed_msgs(&answer.typed),
    )
}

/// The size of a cell in pixels (width, height): from the terminal's window size, else from
/// its answer to `CSI 16 t`, else 8 x 16.
fn cell_size(answered: Option<(u16, u16)>) -> (u16, u16) {
    crossterm::terminal::window_size()
        .ok()
        .filter(|w| w.width > 0 && w.height > 0 && w.columns > 0 && w.rows > 0)
        .map(|w| (w.width / w.columns, w.height / w.rows))
        .filter(|&(w, h)| w > 0 && h > 0)
        .or(answered)
        .unwrap_or((8, 16))
}

/// Writes an escape sequence the reader made (OSC 52, OSC 9) straight to the terminal.
fn write_terminal(seq: &str) {
    let mut out = std::io::stdout();
    let _ = out.write_all(seq.as_bytes()).and_then(|()| out.flush());
}

/// Test-only, and only in debug builds: with `TIDINGS_DEBUG_PANIC=reader`, panics on the reader's
/// own thread right after a screen was drawn (raw mode on, cursor hidden, alternate screen), so
/// that `tests/reader_terminal.rs` can check that the terminal is given back. Release builds
/// ignore the variable.
fn debug_panic_after_draw() {
    #[cfg(debug_assertions)]
    if std::env::var_os("TIDINGS_DEBUG_PANIC").is_some_and(|v| v == "reader") {
        panic!("TIDINGS_DEBUG_PANIC=reader: a deliberate panic with the terminal taken over");
    }
}

fn open_url(
    terminal: &mut DefaultTerminal,
    paused: &AtomicBool,
    settings: &ReaderSettings,
    url: &str,
    tx: &Sender<Msg>,
) -> anyhow::Result<()> {
    let Some(url) = open::validate(url) else {
        return Ok(());
    };
    let env = std::env::var("BROWSER").ok();
    let b = browser::browser(settings, env.as_deref());
    let mouse = settings.mouse;
    if !b.in_terminal {
        match browser::spawn_detached(&b, &url) {
            Ok(mut child) => {
                thread::spawn(move || child.wait());
            }
            Err(e) => {
                let _ = tx.send(Msg::Error(format!("cannot start {}: {e}", b.program)));
            }
        }
        return Ok(());
    }
    let status = aside::step_aside(terminal, paused, mouse, || {
        browser::run_foreground(&b, &url)
    })?;
    if let Err(e) = status {
        let _ = tx.send(Msg::Error(format!("cannot start {}: {e}", b.program)));
    }
    Ok(())
}
